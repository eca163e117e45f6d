//! No bytes from the network make the core panic, wait unboundedly or spin:
//! arbitrary header values and bodies through every parsing path, the retry
//! policy, the poller and a whole exchange.
//!
//! 10,000 cases per property by default (what CI runs). On demand, a
//! million: `VIDEOS_FUZZ_CASES=1000000 cargo test --release -p videos-core --test no_panic`.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use proptest::prelude::*;
use videos_core::poll::{MAX_SERVER_POLL_INTERVAL, MIN_SERVER_POLL_INTERVAL};
use videos_core::{
    Action, Config, DeleteVideo, DownloadContent, Exchange, ListVideos, Now, Operation, PollAction, PollOptions,
    Poller, RequestOptions, RetrieveCharacter, RetrieveVideo, RetryPolicy,
};

fn config() -> ProptestConfig {
    let cases = std::env::var("VIDEOS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn respond(status: u16, content_type: Option<&str>, body: Vec<u8>) -> http::Response<Bytes> {
    let mut b = http::Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT").body(Bytes::from(body)).unwrap()
}

/// Bytes that are sometimes JSON-like, to reach deeper into the parsers.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        "\\{\"(id|error|object|data|status|message)\": ?(null|\"[a-z]*\"|[0-9]{1,20}|\\{|\\[)[,\\]\\}]{0,3}".prop_map(String::into_bytes),
        (0usize..400).prop_map(|cut| br#"{"error":{"message":"m","type":"t","param":null,"code":null}}"#.iter().copied().cycle().take(cut).collect()),
    ]
}

/// Header values a hostile or broken server might send for a number or a date.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        "-?[0-9]{1,40}(\\.[0-9]{0,10})?([eE][-+]?[0-9]{1,4})?",
        Just("NaN".to_owned()),
        Just("inf".to_owned()),
        Just("-inf".to_owned()),
        Just("1e30".to_owned()),
        Just("18446744073709551616".to_owned()),
        (0u64..=u64::MAX).prop_map(|n| n.to_string()),
        (0i64..=4_102_444_800)
            .prop_map(|secs| httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64))),
    ]
}

fn headers(values: &[String]) -> http::HeaderMap {
    let names = ["retry-after", "retry-after-ms", "openai-poll-after-ms", "content-length", "x-should-retry"];
    let mut h = http::HeaderMap::new();
    for (name, value) in names.iter().zip(values) {
        if let Ok(value) = http::HeaderValue::from_str(value) {
            h.insert(*name, value);
        }
    }
    h
}

fn video_body(status: &str) -> Vec<u8> {
    format!(r#"{{"id":"v","object":"video","model":"sora-2","status":"{status}","progress":1,"created_at":1,"size":"720x1280","seconds":"4"}}"#).into_bytes()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic(status in 100u16..600, json in any::<bool>(), body in body()) {
        let ct = json.then_some("application/json");
        let _ = RetrieveVideo::new("v").parse(respond(status, ct, body.clone()));
        let _ = ListVideos::new().parse(respond(status, ct, body.clone()));
        let _ = DeleteVideo::new("v").parse(respond(status, ct, body.clone()));
        let _ = RetrieveCharacter::new("c").parse(respond(status, ct, body.clone()));
        let op = DownloadContent::new("v");
        let _ = op.parse_error(http::StatusCode::from_u16(status).unwrap(), &http::HeaderMap::new(), &body);
    }

    #[test]
    fn header_values_are_bounded_and_never_panic(values in prop::collection::vec(header_value(), 5)) {
        let h = headers(&values);
        let epoch = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let _ = videos_core::response::retry_after(&h, Some(epoch));
        let _ = videos_core::response::poll_after(&h);
        let _ = DownloadContent::new("v").parse_head(http::StatusCode::OK, &h);
        let policy = RetryPolicy::default();
        let outcome = videos_core::Outcome::Response { status: http::StatusCode::TOO_MANY_REQUESTS, headers: &h };
        if let videos_core::Decision::Retry { after } = policy.decide(0, &outcome, 0.5, epoch) {
            prop_assert!(after <= policy.max_retry_after, "{after:?}");
        }
        // The poller's wait, whatever the server advises, stays in bounds.
        let video = serde_json::from_slice(&video_body("in_progress")).unwrap();
        let now = Instant::now();
        let mut poller = Poller::from_video(video, &h, PollOptions::default(), &at(now));
        match poller.next(&at(now)) {
            PollAction::Wait(wait) => prop_assert!((MIN_SERVER_POLL_INTERVAL..=MAX_SERVER_POLL_INTERVAL).contains(&wait) || wait == Duration::from_secs(1), "{wait:?}"),
            other => prop_assert!(false, "expected a wait, got {other:?}"),
        }
    }

    #[test]
    fn a_whole_exchange_ends_with_bounded_waits(
        script in prop::collection::vec((100u16..600, prop::collection::vec(header_value(), 5), body()), 1..6),
    ) {
        let config = Config::new("sk").with_retry(RetryPolicy { max_retries: 3, ..RetryPolicy::default() });
        let mut exchange: Exchange<videos_types::Video> =
            Exchange::new(&RetrieveVideo::new("v"), &config, &RequestOptions::default(), 1).unwrap();
        let t0 = Instant::now();
        let mut now = Now::new(t0, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000), 0.3);
        let mut answers = script.into_iter();
        // Bounded: a handful of answers, each at most one send, a few reads and a wait.
        for _ in 0..200 {
            match exchange.next_action(&now) {
                Action::Send { .. } => match answers.next() {
                    Some((status, values, body)) => {
                        exchange.handle_head(http::StatusCode::from_u16(status).unwrap(), headers(&values), &now);
                        for chunk in body.chunks(64) {
                            exchange.handle_chunk(Bytes::copy_from_slice(chunk), &now);
                        }
                        exchange.handle_end(&now);
                    }
                    None => exchange.handle_error(videos_core::exchange::timed_out("response", Duration::ZERO), &now),
                },
                Action::Read { .. } => exchange.handle_end(&now),
                Action::Wait(wait) => {
                    prop_assert!(wait <= Duration::from_secs(60), "{wait:?}");
                    now = now.later(now.at + wait);
                }
                Action::Authorize(_) => exchange.handle_token(Ok("token".to_owned())),
                Action::Done(_) => return Ok(()),
            }
        }
        prop_assert!(false, "the exchange did not end");
    }
}

/// A moment of the virtual clock: monotonic time `at`, a fixed wall clock, no jitter.
fn at(at: std::time::Instant) -> videos_core::Now {
    videos_core::Now::new(at, std::time::SystemTime::UNIX_EPOCH, 0.0)
}

/// Any duration at all, the extremes most of all.
fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        Just(Duration::from_nanos(1)),
        (0u64..=u64::MAX, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (0u64..100_000).prop_map(Duration::from_millis),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// A caller's own settings never panic: `RetryPolicy { initial_delay:
    /// Duration::MAX, .. }` once did, in the backoff's float conversion.
    #[test]
    fn a_callers_extreme_settings_never_panic(
        initial in any_duration(), max in any_duration(), after in any_duration(), patience in any_duration(),
        interval in any_duration(), deadline in any_duration(), retries in 0u32..=u32::MAX, jitter in any::<f64>(),
    ) {
        let policy = RetryPolicy { max_retries: 3, initial_delay: initial, max_delay: max, max_retry_after: after, patience };
        let _ = policy.backoff(retries, jitter);
        let headers = http::HeaderMap::new();
        let outcome = videos_core::Outcome::Response { status: http::StatusCode::TOO_MANY_REQUESTS, headers: &headers };
        let _ = policy.decide_patiently(retries, &outcome, jitter, SystemTime::UNIX_EPOCH, true);

        let t0 = Instant::now();
        let now = Now::new(t0, SystemTime::UNIX_EPOCH, 0.5);
        let mut poller = Poller::new("video_1", PollOptions { interval: Some(interval), deadline });
        for _ in 0..4 {
            match poller.next(&now) {
                PollAction::Send(_) => {
                    let video: videos_types::Video =
                        serde_json::from_value(serde_json::json!({"id": "video_1", "status": "in_progress"})).unwrap();
                    poller.handle_video(video, &headers, &now);
                }
                _ => break,
            }
        }

        // A whole create through the exchange with that policy: patience and backoff as set.
        let config = Config::new("sk").with_retry(policy);
        let mut exchange: Exchange<videos_types::Video> =
            Exchange::new(&videos_core::CreateVideo::new("p"), &config, &RequestOptions::default(), 1).unwrap();
        for _ in 0..4 {
            match exchange.next_action(&now) {
                Action::Send { .. } => {
                    exchange.handle_head(http::StatusCode::TOO_MANY_REQUESTS, http::HeaderMap::new(), &now);
                    exchange.handle_end(&now);
                }
                Action::Done(_) => break,
                _ => {}
            }
        }

        let options = videos_core::ManyOptions { refresh_interval: interval, deadline, ..videos_core::ManyOptions::default() };
        let mut many = videos_core::ManyJobs::new(vec![], options, &now);
        let _ = many.next(&now);
    }
}
