//! A real service's limits, driven by hand under a virtual clock: polls that
//! outlive refusals and dropped answers, creates that wait their turn with
//! one idempotency key, and every exchange sending within one shared budget.

mod common;

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use common::{VIDEO_JSON, config};
use http::{HeaderMap, HeaderValue, StatusCode};
use videos_core::{
    Action, ApiErrorKind, CreateVideo, Error, Exchange, Now, PaceOptions, PollAction, PollOptions, Poller,
    RequestOptions, RetrieveVideo, RetryPolicy, SharedPacer, TransportError, TransportFailure,
};
use videos_types::{Video, VideoStatus};

fn now_at(t0: Instant, elapsed: Duration) -> Now {
    Now::new(t0 + elapsed, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000) + elapsed, 0.0)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

fn refused(kind: &str) -> Error {
    videos_core::response::api_error(
        StatusCode::TOO_MANY_REQUESTS,
        &HeaderMap::new(),
        format!(r#"{{"error":{{"message":"Rate limit reached for {kind}","type":"requests"}}}}"#).as_bytes(),
    )
}

fn video(status: &str) -> Video {
    serde_json::from_value(serde_json::json!({"id": "video_1", "object": "video", "status": status})).unwrap()
}

#[test]
fn a_poll_outlives_refusals_and_lost_answers_until_the_job_ends() {
    let t0 = Instant::now();
    let mut now = t0;
    let mut poller = Poller::new("video_1", PollOptions::default());
    // Twelve failed reads in a row (429s, a reset, a 503), then the job is there, completed.
    let mut failures = (0..12)
        .map(|i| match i % 3 {
            0 => refused("requests per minute"),
            1 => TransportError::new(TransportFailure::Reset, "reset").into(),
            _ => videos_core::response::api_error(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), b""),
        })
        .collect::<Vec<_>>()
        .into_iter();
    let mut waits = Vec::new();
    let done = loop {
        match poller.next(&at(now)) {
            PollAction::Send(_) => match failures.next() {
                Some(error) => assert!(poller.handle_error(error, &at(now)).is_none(), "gave up on a live job"),
                None => poller.handle_video(video("completed"), &HeaderMap::new(), &at(now)),
            },
            PollAction::Wait(d) => {
                waits.push(d);
                now += d;
            }
            PollAction::Done(video) => break video,
            PollAction::TimedOut(t) => panic!("timed out: {t}"),
        }
        assert!(waits.len() < 100);
    };
    assert_eq!(done.status, Some(VideoStatus::Completed));
    // The waits back off from the interval and never pass the longest poll interval.
    assert_eq!(waits[0], Duration::from_secs(2));
    assert!(waits.windows(2).all(|w| w[1] >= w[0]), "{waits:?}");
    assert_eq!(*waits.last().unwrap(), videos_core::poll::MAX_SERVER_POLL_INTERVAL);
}

#[test]
fn a_poll_waits_as_long_as_the_service_asks() {
    let t0 = Instant::now();
    let mut poller = Poller::new("video_1", PollOptions::default());
    assert!(matches!(poller.next(&at(t0)), PollAction::Send(_)));
    let mut asked = headers(&[("retry-after-ms", "4500")]);
    asked.insert("x-request-id", HeaderValue::from_static("req_1"));
    let error = videos_core::response::api_error(StatusCode::TOO_MANY_REQUESTS, &asked, b"{}");
    assert!(poller.handle_error(error, &at(t0)).is_none());
    assert_eq!(poller.next(&at(t0)), PollAction::Wait(Duration::from_millis(4500)));
}

#[test]
fn a_failure_no_retry_mends_ends_the_wait() {
    let t0 = Instant::now();
    let mut poller = Poller::new("video_1", PollOptions::default());
    assert!(matches!(poller.next(&at(t0)), PollAction::Send(_)));
    let gone = videos_core::response::api_error(StatusCode::NOT_FOUND, &HeaderMap::new(), b"{}");
    let error = poller.handle_error(gone, &at(t0)).expect("a missing job is not waited for");
    assert_eq!(error.api_kind(), Some(ApiErrorKind::NotFound));
}

#[test]
fn the_deadline_names_the_job_and_the_last_failure() {
    let t0 = Instant::now();
    let options = PollOptions { interval: Some(Duration::from_secs(1)), deadline: Duration::from_secs(30) };
    let mut poller = Poller::new("video_42", options);
    let mut now = t0;
    let timeout = loop {
        match poller.next(&at(now)) {
            PollAction::Send(_) => assert!(poller.handle_error(refused("requests per minute"), &at(now)).is_none()),
            PollAction::Wait(d) => now += d,
            PollAction::TimedOut(t) => break t,
            PollAction::Done(_) => panic!("done without an answer"),
        }
    };
    assert_eq!(now - t0, Duration::from_secs(30));
    let text = timeout.to_string();
    assert!(text.contains("video_42") && text.contains("Rate limit reached for requests per minute"), "{text}");
}

/// Runs `exchange` against a script of answers (status, headers), returning the
/// waits it asked for, when it sent, and how it ended. The script is told each
/// send's number, moment and `Idempotency-Key`.
fn run_script<T: std::fmt::Debug>(
    ex: &mut Exchange<T>,
    t0: Instant,
    mut answer: impl FnMut(usize, Duration, Option<&str>) -> (u16, HeaderMap, &'static [u8]),
) -> (Vec<Duration>, Vec<Duration>, Result<videos_core::ApiResponse<T>, Error>) {
    let mut elapsed = Duration::ZERO;
    let (mut waits, mut sends) = (Vec::new(), Vec::new());
    for _ in 0..10_000 {
        let now = now_at(t0, elapsed);
        match ex.next_action(&now) {
            Action::Send { request, .. } => {
                let key = request.headers().get("idempotency-key").and_then(|v| v.to_str().ok());
                let (status, headers, body) = answer(sends.len(), elapsed, key);
                sends.push(elapsed);
                ex.handle_head(StatusCode::from_u16(status).unwrap(), headers, &now);
                ex.handle_chunk(Bytes::from_static(body), &now);
                ex.handle_end(&now);
            }
            Action::Wait(d) => {
                waits.push(d);
                elapsed += d;
            }
            Action::Done(result) => return (waits, sends, result),
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("the exchange never ended");
}

#[test]
fn a_refused_create_waits_its_turn_with_one_key_within_its_patience() {
    let t0 = Instant::now();
    let config = config().with_patience(Duration::from_secs(600));
    let mut ex: Exchange<Video> =
        Exchange::new(&CreateVideo::new("a cat"), &config, &RequestOptions::default(), 9).unwrap();
    // Refused for two minutes (no Retry-After, as OpenAI answers), then accepted.
    let mut keys = Vec::new();
    let (_, sends, result) = run_script(&mut ex, t0, |_, elapsed, key| {
        keys.push(key.map(str::to_owned));
        if elapsed < Duration::from_secs(120) {
            (429, HeaderMap::new(), br#"{"error":{"message":"Rate limit reached","type":"requests"}}"#)
        } else {
            (200, HeaderMap::new(), VIDEO_JSON)
        }
    });
    assert_eq!(result.unwrap().value.id, "video_123");
    assert!(keys[0].is_some(), "a create carries a key");
    assert!(keys.iter().all(|k| *k == keys[0]), "one key on every attempt: {keys:?}");
    assert!(sends.len() > 3, "only the policy's retries: {sends:?}");
    assert!(sends.len() < 40, "{} attempts in two minutes: too eager", sends.len());
    assert!(*sends.last().unwrap() >= Duration::from_secs(120));
}

#[test]
fn patience_runs_out_and_a_get_waits_out_only_refusals() {
    let t0 = Instant::now();
    let config = config().with_patience(Duration::from_secs(60));
    let mut create: Exchange<Video> =
        Exchange::new(&CreateVideo::new("a cat"), &config, &RequestOptions::default(), 9).unwrap();
    let (_, sends, result) = run_script(&mut create, t0, |_, _, _| (429, HeaderMap::new(), b"{}"));
    assert_eq!(result.unwrap_err().api_kind(), Some(ApiErrorKind::RateLimit));
    let last = *sends.last().unwrap();
    assert!(last < Duration::from_secs(60) && last >= Duration::from_secs(30), "{sends:?}");

    // A retrieve is patient with refusals (they did nothing), not with other failures.
    let mut get: Exchange<Video> =
        Exchange::new(&RetrieveVideo::new("video_1"), &config, &RequestOptions::default(), 9).unwrap();
    let (_, sends, result) = run_script(&mut get, t0, |_, _, _| (429, HeaderMap::new(), b"{}"));
    assert!(result.is_err());
    assert!(sends.len() > 3 && *sends.last().unwrap() >= Duration::from_secs(30), "{sends:?}");
    let mut get: Exchange<Video> =
        Exchange::new(&RetrieveVideo::new("video_1"), &config, &RequestOptions::default(), 9).unwrap();
    let (_, sends, result) = run_script(&mut get, t0, |_, _, _| (503, HeaderMap::new(), b"{}"));
    assert!(result.is_err());
    assert_eq!(sends.len(), 3, "a retrieve keeps the policy's two retries for a 503");

    // A per-call patience wins over the configured one; RetryPolicy::none() has none.
    let options = RequestOptions::default().patience(Duration::ZERO);
    let mut impatient: Exchange<Video> = Exchange::new(&CreateVideo::new("a cat"), &config, &options, 9).unwrap();
    assert_eq!(run_script(&mut impatient, t0, |_, _, _| (429, HeaderMap::new(), b"{}")).1.len(), 3);
    let none = config.with_retry(RetryPolicy::none());
    let mut once: Exchange<Video> =
        Exchange::new(&CreateVideo::new("a cat"), &none, &RequestOptions::default(), 9).unwrap();
    assert_eq!(run_script(&mut once, t0, |_, _, _| (429, HeaderMap::new(), b"{}")).1.len(), 1);
}

#[test]
fn exchanges_sharing_a_pacer_send_within_the_stated_limit() {
    let t0 = Instant::now();
    let pacer = SharedPacer::new(PaceOptions::default());
    let config = config();
    let limit = headers(&[("x-ratelimit-limit-requests", "30"), ("x-ratelimit-remaining-requests", "29")]);
    let mut all_sends = Vec::new();
    // Ten retrieves one after another through one client's pacer: after the first answer states
    // 30 a minute, the sends are two seconds (and the margin) apart.
    let mut offset = Duration::ZERO;
    for _ in 0..10 {
        let mut ex: Exchange<Video> = Exchange::new(&RetrieveVideo::new("video_1"), &config, &Default::default(), 1)
            .unwrap()
            .paced(pacer.clone());
        let start = t0 + offset;
        let (waits, sends, result) = run_script(&mut ex, start, |_, _, _| (200, limit.clone(), VIDEO_JSON));
        assert!(result.is_ok());
        offset += waits.iter().sum::<Duration>();
        all_sends.extend(sends.iter().map(|s| offset - waits.iter().sum::<Duration>() + *s));
    }
    let gaps: Vec<Duration> = all_sends.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| *g >= Duration::from_secs(2)), "{gaps:?}");
    assert_eq!(pacer.lock().stats().sent, 10);
}

#[test]
fn a_refusal_seen_by_one_exchange_holds_back_the_next() {
    let t0 = Instant::now();
    let pacer = SharedPacer::new(PaceOptions::default());
    let config = config().with_retry(RetryPolicy::none());
    let mut first: Exchange<Video> =
        Exchange::new(&RetrieveVideo::new("video_1"), &config, &Default::default(), 1).unwrap().paced(pacer.clone());
    let spent = headers(&[("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "6s")]);
    let (_, _, result) = run_script(&mut first, t0, |_, _, _| (429, spent.clone(), b"{}"));
    assert!(result.is_err());
    let mut second: Exchange<Video> =
        Exchange::new(&RetrieveVideo::new("video_1"), &config, &Default::default(), 1).unwrap().paced(pacer);
    assert_eq!(second.next_action(&now_at(t0, Duration::ZERO)).wait(), Some(Duration::from_secs(6)));
}

trait WaitOf {
    fn wait(self) -> Option<Duration>;
}

impl<T> WaitOf for Action<'_, T> {
    fn wait(self) -> Option<Duration> {
        match self {
            Action::Wait(d) => Some(d),
            _ => None,
        }
    }
}

/// A moment of the virtual clock: monotonic time `at`, a fixed wall clock, no jitter.
fn at(at: std::time::Instant) -> videos_core::Now {
    videos_core::Now::new(at, std::time::SystemTime::UNIX_EPOCH, 0.0)
}

#[test]
fn a_create_whose_outcome_stays_unknown_says_a_job_may_exist_and_how_to_find_it() {
    // Before, an answer cut after the job was made ended the call in a plain
    // error after two retries: a billed job the caller could not find again.
    let t0 = Instant::now();
    let config = config().with_patience(Duration::from_secs(60));
    let options = RequestOptions::default();
    for failure in ["timeout", "reset", "500"] {
        let mut ex: Exchange<Video> =
            Exchange::new(&CreateVideo::new("a cat").idempotency_key("order-42"), &config, &options, 9).unwrap();
        let mut elapsed = Duration::ZERO;
        let error = loop {
            let now = now_at(t0, elapsed);
            match ex.next_action(&now) {
                Action::Send { request, .. } => {
                    assert_eq!(request.headers()["idempotency-key"], "order-42", "the caller's key on every attempt");
                    match failure {
                        "timeout" => ex.handle_error(TransportError::new(TransportFailure::Timeout, "t"), &now),
                        "reset" => ex.handle_error(TransportError::new(TransportFailure::Reset, "r"), &now),
                        _ => {
                            ex.handle_head(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new(), &now);
                            ex.handle_end(&now);
                        }
                    }
                }
                Action::Wait(d) => elapsed += d,
                Action::Done(result) => break result.unwrap_err(),
                other => panic!("{other:?}"),
            }
        };
        assert!(elapsed >= Duration::from_secs(30), "{failure}: gave up after {elapsed:?}, within its patience");
        assert!(error.job_may_exist(), "{failure}: {error}");
        assert_eq!(error.idempotency_key(), Some("order-42"));
        assert!(error.to_string().contains("order-42"), "{error}");
    }
    // A refusal made nothing: no such claim, and a connect failure neither.
    let mut ex: Exchange<Video> =
        Exchange::new(&CreateVideo::new("a cat"), &config.clone().with_retry(RetryPolicy::none()), &options, 9)
            .unwrap();
    let (_, _, result) = run_script(&mut ex, t0, |_, _, _| (429, HeaderMap::new(), b"{}"));
    assert!(!result.unwrap_err().job_may_exist());
}
