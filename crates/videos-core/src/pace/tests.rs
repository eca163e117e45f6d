//! The pacer under a virtual clock: every header format, absent headers,
//! hostile values.

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue, StatusCode};

use super::*;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).expect("a test's own literal")
}

#[test]
fn reset_durations_in_every_format_openai_writes() {
    for (text, expected) in [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1m30.5s", 90.5),
        ("2h", 7200.0),
        ("0s", 0.0),
        ("17", 17.0),
        ("0.25", 0.25),
        (" 3s ", 3.0),
    ] {
        assert_eq!(parse_reset(text), Some(secs(expected)), "{text}");
    }
    for hostile in ["", "-1s", "s", "1x", "1.2.3s", "NaN", "inf", "-5", "1s2", "ms", &"9".repeat(80)] {
        assert_eq!(parse_reset(hostile), None, "{hostile:?}");
    }
}

#[test]
fn an_unknowing_pacer_sends_at_once() {
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    for i in 0..100 {
        assert_eq!(pacer.reserve(&at(t0 + Duration::from_millis(i))), Duration::ZERO);
    }
    assert_eq!(pacer.stats().sent, 100);
}

#[test]
fn a_stated_limit_spaces_sends_evenly() {
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    pacer.observe(&at(t0), StatusCode::OK, &headers(&[(LIMIT_REQUESTS, "60"), (REMAINING_REQUESTS, "59")]));
    // 60 a minute, with the safety margin: 1.05 s apart.
    let wait = pacer.reserve(&at(t0));
    assert_eq!(wait, secs(1.05));
    assert_eq!(pacer.reserve(&at(t0 + wait)), Duration::ZERO);
    // Over a simulated ten minutes of eager callers, no 60-second window holds more than 60 sends.
    let mut now = t0 + wait;
    let mut sends = vec![t0, now];
    while now < t0 + Duration::from_secs(600) {
        let wait = pacer.reserve(&at(now));
        if wait.is_zero() {
            sends.push(now);
            pacer.observe(&at(now), StatusCode::OK, &headers(&[(LIMIT_REQUESTS, "60"), (REMAINING_REQUESTS, "30")]));
        } else {
            now += wait;
        }
    }
    for (i, start) in sends.iter().enumerate() {
        let in_window = sends[i..].iter().take_while(|t| t.duration_since(*start) < Duration::from_secs(60)).count();
        assert!(in_window <= 60, "{in_window} sends in the minute from send {i}");
    }
    assert!(sends.len() >= 560, "only {} sends in ten minutes at 60 a minute", sends.len());
}

#[test]
fn the_callers_cap_applies_without_any_header() {
    let t0 = Instant::now();
    let mut pacer = Pacer::new(PaceOptions { requests_per_minute: Some(10), ..PaceOptions::default() });
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    assert_eq!(pacer.reserve(&at(t0)), secs(6.3));
    // And the lower of the cap and the stated limit wins.
    pacer.observe(&at(t0), StatusCode::OK, &headers(&[(LIMIT_REQUESTS, "5")]));
    assert_eq!(pacer.rate(), Some(5.0));
}

#[test]
fn nothing_left_waits_for_the_reset() {
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    let spent = headers(&[(LIMIT_REQUESTS, "1000"), (REMAINING_REQUESTS, "0"), (RESET_REQUESTS, "1m30.5s")]);
    pacer.observe(&at(t0), StatusCode::OK, &spent);
    assert_eq!(pacer.reserve(&at(t0)), secs(90.5));
    assert_eq!(pacer.reserve(&at(t0 + secs(90.5))), Duration::ZERO);
}

#[test]
fn remaining_counts_down_with_sends_made_since_the_answer() {
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    let two_left = headers(&[(LIMIT_REQUESTS, "1000000"), (REMAINING_REQUESTS, "2"), (RESET_REQUESTS, "20ms")]);
    pacer.observe(&at(t0), StatusCode::OK, &two_left);
    let mut now = t0;
    let mut sent = 0;
    while sent < 2 {
        let wait = pacer.reserve(&at(now));
        if wait.is_zero() { sent += 1 } else { now += wait }
    }
    // Both used: the next waits for the reset, 20 ms after the answer.
    assert_eq!(pacer.reserve(&at(now)), (t0 + secs(0.02)).duration_since(now));
}

#[test]
fn a_refusal_pauses_for_what_the_service_asks() {
    let t0 = Instant::now();
    for (pairs, pause) in [
        (vec![("retry-after-ms", "1500")], 1.5),
        (vec![("retry-after", "7")], 7.0),
        (vec![(REMAINING_REQUESTS, "0"), (RESET_REQUESTS, "6m0s")], 300.0), // clamped to MAX_PAUSE
        (vec![(REMAINING_REQUESTS, "0"), (RESET_REQUESTS, "2s"), ("retry-after", "3")], 3.0),
        (vec![], 1.0),
    ] {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
        pacer.observe(&at(t0), StatusCode::TOO_MANY_REQUESTS, &headers(&pairs));
        assert_eq!(pacer.reserve(&at(t0)), secs(pause), "{pairs:?}");
        assert_eq!(pacer.stats().refused, 1);
    }
}

#[test]
fn refusals_that_say_nothing_back_off_and_teach_a_rate() {
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    // 30 sends in the first second, then refusals with no header at all.
    for _ in 0..30 {
        assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    }
    let mut now = t0;
    let mut pauses = Vec::new();
    for _ in 0..8 {
        pacer.observe(&at(now), StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new());
        let wait = pacer.reserve(&at(now));
        pauses.push(wait);
        now += wait;
        assert_eq!(pacer.reserve(&at(now)), Duration::ZERO);
    }
    // Doubling from 1 s (or the learned spacing, when longer), never past a minute; the rate
    // learned is two thirds of what was refused, then less.
    assert!(pauses[0] >= secs(1.0), "{pauses:?}");
    assert!(pauses[1] >= secs(2.0) && pauses[2] >= secs(4.0), "{pauses:?}");
    assert!(pauses.iter().all(|p| *p <= Duration::from_secs(60)));
    assert!(pacer.rate().unwrap() < 20.0 && pacer.rate().unwrap() >= 1.0, "{:?}", pacer.rate());
    // Accepted answers regrow it slowly.
    let before = pacer.rate().unwrap();
    pacer.observe(&at(now), StatusCode::OK, &HeaderMap::new());
    assert!(pacer.rate().unwrap() > before);
}

#[test]
fn a_refusal_with_requests_left_does_not_slow_other_requests() {
    // A gateway refusing a create for its cap on jobs in progress still has requests to spare.
    let t0 = Instant::now();
    let mut pacer = Pacer::default();
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
    pacer.observe(&at(t0), StatusCode::TOO_MANY_REQUESTS, &headers(&[(REMAINING_REQUESTS, "40")]));
    assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
}

#[test]
fn hostile_headers_are_ignored_or_clamped() {
    let t0 = Instant::now();
    for pairs in [
        vec![(LIMIT_REQUESTS, "0"), (REMAINING_REQUESTS, "-1"), (RESET_REQUESTS, "-3s")],
        vec![(LIMIT_REQUESTS, "99999999999999999999999"), (REMAINING_REQUESTS, "x")],
        vec![(LIMIT_REQUESTS, "1.5"), (RESET_REQUESTS, "1e300s")],
        vec![("retry-after", "99999999999"), (REMAINING_REQUESTS, "0"), (RESET_REQUESTS, "999999h")],
    ] {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.reserve(&at(t0)), Duration::ZERO);
        pacer.observe(&at(t0), StatusCode::OK, &headers(&pairs));
        pacer.observe(&at(t0), StatusCode::TOO_MANY_REQUESTS, &headers(&pairs));
        let wait = pacer.reserve(&at(t0));
        assert!(wait <= MAX_PAUSE, "{pairs:?}: {wait:?}");
        assert_eq!(pacer.reserve(&at(t0 + wait)), Duration::ZERO, "{pairs:?}");
    }
}

#[test]
fn jobs_in_progress_are_capped_when_the_caller_says_so() {
    let mut pacer = Pacer::new(PaceOptions { max_jobs_in_progress: Some(2), ..PaceOptions::default() });
    assert!(pacer.try_start_job());
    assert!(pacer.try_start_job());
    assert!(!pacer.try_start_job());
    pacer.finish_job();
    assert!(pacer.try_start_job());
    assert_eq!(pacer.stats().jobs_in_progress, 2);
    let mut open = Pacer::default();
    assert!((0..1000).all(|_| open.try_start_job()));
}

#[test]
fn clones_of_a_shared_pacer_share_one_budget() {
    let t0 = Instant::now();
    let a = SharedPacer::new(PaceOptions { requests_per_minute: Some(60), ..PaceOptions::default() });
    let b = a.clone();
    assert_eq!(a.lock().reserve(&at(t0)), Duration::ZERO);
    assert!(!b.lock().reserve(&at(t0)).is_zero());
}

/// A moment of the virtual clock: monotonic time `at`, a fixed wall clock, no jitter.
fn at(at: std::time::Instant) -> crate::Now {
    crate::Now::new(at, std::time::SystemTime::UNIX_EPOCH, 0.0)
}
