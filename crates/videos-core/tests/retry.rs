//! The retry table.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue, StatusCode};
use videos_core::error::TransportFailure;
use videos_core::{Decision, Outcome, RetryPolicy};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn decide(retries_done: u32, status: u16, pairs: &[(&'static str, &str)], jitter: f64) -> Decision {
    let h = headers(pairs);
    RetryPolicy::default().decide(
        retries_done,
        &Outcome::Response { status: StatusCode::from_u16(status).unwrap(), headers: &h },
        jitter,
        now(),
    )
}

fn retry(ms: u64) -> Decision {
    Decision::Retry { after: Duration::from_millis(ms) }
}

#[test]
fn retryable_statuses() {
    for status in [408, 409, 429, 500, 502, 503, 504, 599] {
        assert_eq!(decide(0, status, &[], 0.0), retry(500), "{status}");
    }
    for status in [200, 201, 301, 400, 401, 403, 404, 422] {
        assert_eq!(decide(0, status, &[], 0.0), Decision::Stop, "{status}");
    }
}

#[test]
fn backoff_doubles_to_the_cap_with_jitter() {
    let p = RetryPolicy { max_retries: 10, ..RetryPolicy::default() };
    let waits: Vec<u128> = (0..6).map(|n| p.backoff(n, 0.0).as_millis()).collect();
    assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000]);
    assert_eq!(p.backoff(0, 1.0), Duration::from_millis(375));
    assert_eq!(p.backoff(1, 0.5), Duration::from_millis(875));
    assert_eq!(p.backoff(0, f64::NAN), Duration::from_millis(500));
}

#[test]
fn two_retries_then_stop() {
    assert_eq!(decide(0, 500, &[], 0.0), retry(500));
    assert_eq!(decide(1, 500, &[], 0.0), retry(1000));
    assert_eq!(decide(2, 500, &[], 0.0), Decision::Stop);
}

#[test]
fn retry_after_forms() {
    assert_eq!(decide(0, 429, &[("retry-after-ms", "250")], 0.9), retry(250));
    assert_eq!(decide(0, 429, &[("retry-after", "3")], 0.9), retry(3000));
    assert_eq!(decide(0, 429, &[("retry-after", "1.5")], 0.9), retry(1500));
    // ms wins over seconds.
    assert_eq!(decide(0, 429, &[("retry-after-ms", "10"), ("retry-after", "30")], 0.0), retry(10));
    // An HTTP date, measured from the `now` handed in.
    let date = httpdate::fmt_http_date(now() + Duration::from_secs(7));
    assert_eq!(decide(0, 503, &[("retry-after", &date)], 0.0), retry(7000));
    // Garbage and zero fall back to the backoff.
    assert_eq!(decide(0, 429, &[("retry-after", "soon")], 0.0), retry(500));
    assert_eq!(decide(0, 429, &[("retry-after", "0")], 0.0), retry(500));
    // Up to a minute is honoured; more is clamped to a minute, however absurd.
    assert_eq!(decide(0, 429, &[("retry-after", "60")], 0.0), retry(60_000));
    assert_eq!(decide(0, 429, &[("retry-after", "61")], 0.0), retry(60_000));
    assert_eq!(decide(0, 429, &[("retry-after-ms", "120000")], 0.0), retry(60_000));
    assert_eq!(decide(0, 429, &[("retry-after", "1e30")], 0.0), retry(60_000));
    assert_eq!(decide(0, 429, &[("retry-after-ms", "1e30")], 0.0), retry(60_000));
    assert_eq!(decide(0, 429, &[("retry-after", "inf")], 0.0), retry(500), "not finite: ignored");
    assert_eq!(decide(0, 429, &[("retry-after-ms", "-5")], 0.0), retry(500), "negative: ignored");
}

#[test]
fn x_should_retry_overrides_the_status() {
    assert_eq!(decide(0, 500, &[("x-should-retry", "false")], 0.0), Decision::Stop);
    assert_eq!(decide(0, 400, &[("x-should-retry", "true")], 0.0), retry(500));
    assert_eq!(decide(2, 400, &[("x-should-retry", "true")], 0.0), Decision::Stop, "the budget still holds");
    assert_eq!(decide(0, 503, &[("x-should-retry", "maybe")], 0.0), retry(500));
    assert_eq!(decide(0, 200, &[("x-should-retry", "true")], 0.0), Decision::Stop, "success is final");
}

#[test]
fn transport_failures() {
    let p = RetryPolicy::default();
    for kind in [TransportFailure::Connect, TransportFailure::Reset, TransportFailure::Timeout] {
        assert_eq!(p.decide(0, &Outcome::Transport(kind), 0.0, now()), retry(500), "{kind:?}");
    }
    for kind in [TransportFailure::Redirect, TransportFailure::Other] {
        assert_eq!(p.decide(0, &Outcome::Transport(kind), 0.0, now()), Decision::Stop, "{kind:?}");
    }
    assert_eq!(
        RetryPolicy::none().decide(0, &Outcome::Transport(TransportFailure::Connect), 0.0, now()),
        Decision::Stop
    );
}

#[test]
fn retryable_is_the_policys_verdict_x_should_retry_included() {
    // Before, is_retryable looked at the status alone: the emulator's
    // "do not retry" 429 (its job store is full) read as retryable.

    let mut never = HeaderMap::new();
    never.insert("x-should-retry", HeaderValue::from_static("false"));
    let mut always = HeaderMap::new();
    always.insert("x-should-retry", HeaderValue::from_static("true"));
    for (status, headers, expected) in [
        (StatusCode::TOO_MANY_REQUESTS, &never, false),
        (StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), true),
        (StatusCode::BAD_REQUEST, &always, true),
        (StatusCode::BAD_REQUEST, &HeaderMap::new(), false),
        (StatusCode::SERVICE_UNAVAILABLE, &never, false),
    ] {
        let error = videos_core::response::api_error(status, headers, b"{}");
        assert_eq!(error.is_retryable(), expected, "{status} {headers:?}");
        let outcome = videos_core::retry::Outcome::Response { status, headers };
        let decision = videos_core::RetryPolicy::default().decide(0, &outcome, 0.0, std::time::SystemTime::UNIX_EPOCH);
        assert_eq!(matches!(decision, videos_core::retry::Decision::Retry { .. }), expected, "{status} {headers:?}");
    }
}
