//! The exchange driven by hand: every decision of a call (timeouts,
//! redirects, retries, body limits, the answer) under a virtual clock, with
//! no network and no sleeping.

mod common;

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use common::{VIDEO_JSON, config};
use http::header::{AUTHORIZATION, LOCATION};
use http::{HeaderMap, HeaderValue, StatusCode};
use videos_core::exchange::timed_out;
use videos_core::response::{ERROR_BODY_LIMIT, JSON_BODY_LIMIT};
use videos_core::{
    Action, Config, CreateVideo, DownloadContent, Error, Exchange, MediaBody, Now, RequestOptions, RetrieveVideo,
    RetryPolicy, Timeouts, TransportError, TransportFailure,
};
use videos_types::Video;

/// A virtual clock: monotonic time starts at `t0`, the wall clock at a fixed date.
struct Clock {
    t0: Instant,
    elapsed: Duration,
    wall0: SystemTime,
    jitter: f64,
}

impl Clock {
    fn new() -> Self {
        Self {
            t0: Instant::now(),
            elapsed: Duration::ZERO,
            wall0: SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000),
            jitter: 0.0,
        }
    }
    fn now(&self) -> Now {
        Now::new(self.t0 + self.elapsed, self.wall0 + self.elapsed, self.jitter)
    }
    fn advance(&mut self, by: Duration) {
        self.elapsed += by;
    }
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    h
}

fn cfg() -> Config {
    config().with_timeouts(Duration::from_secs(2), Duration::from_secs(5)).with_read_timeout(Duration::from_secs(3))
}

fn retrieve(config: &Config) -> Exchange<Video> {
    Exchange::new(&RetrieveVideo::new("video_123"), config, &RequestOptions::default(), 7).unwrap()
}

/// Takes the Send action, returning its idempotency key, URI, authorization and timeouts.
fn expect_send<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock) -> (Option<String>, String, bool, Timeouts) {
    match ex.next_action(&clock.now()) {
        Action::Send { request, timeouts } => (
            request.headers().get("idempotency-key").map(|v| v.to_str().unwrap().to_owned()),
            request.uri().to_string(),
            request.headers().contains_key(AUTHORIZATION),
            timeouts,
        ),
        other => panic!("expected Send, got {other:?}"),
    }
}

fn expect_read<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock) -> (Duration, usize) {
    match ex.next_action(&clock.now()) {
        Action::Read { timeout, max } => (timeout, max),
        other => panic!("expected Read, got {other:?}"),
    }
}

fn expect_wait<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock) -> Duration {
    match ex.next_action(&clock.now()) {
        Action::Wait(d) => d,
        other => panic!("expected Wait, got {other:?}"),
    }
}

fn expect_done<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock) -> Result<videos_core::ApiResponse<T>, Error> {
    match ex.next_action(&clock.now()) {
        Action::Done(result) => result,
        other => panic!("expected Done, got {other:?}"),
    }
}

fn answer<T>(ex: &mut Exchange<T>, clock: &Clock, status: u16, h: &[(&str, &str)], chunks: &[&'static [u8]]) {
    ex.handle_head(StatusCode::from_u16(status).unwrap(), headers(h), &clock.now());
    for chunk in chunks {
        ex.handle_chunk(Bytes::from_static(chunk), &clock.now());
    }
    ex.handle_end(&clock.now());
}

#[test]
fn a_json_answer_in_pieces_is_decoded_with_its_request_id() {
    let clock = Clock::new();
    let mut ex = retrieve(&cfg());
    let (key, uri, auth, timeouts) = expect_send(&mut ex, &clock);
    assert_eq!((key, uri.as_str(), auth), (None, "https://api.openai.com/v1/videos/video_123", true));
    assert_eq!(
        timeouts,
        Timeouts { head: Duration::from_secs(5), read: Duration::from_secs(3), body: Some(Duration::from_secs(5)) }
    );
    ex.handle_head(
        StatusCode::OK,
        headers(&[("content-type", "application/json"), ("x-request-id", "req_1")]),
        &clock.now(),
    );
    let (timeout, max) = expect_read(&mut ex, &clock);
    assert_eq!((timeout, max), (Duration::from_secs(3), JSON_BODY_LIMIT + 1));
    ex.handle_chunk(Bytes::from_static(&VIDEO_JSON[..10]), &clock.now());
    ex.handle_chunk(Bytes::from_static(&VIDEO_JSON[10..]), &clock.now());
    ex.handle_end(&clock.now());
    let done = expect_done(&mut ex, &clock).unwrap();
    assert_eq!((done.value.id.as_str(), done.request_id.as_deref()), ("video_123", Some("req_1")));
}

#[test]
fn the_deadline_covers_the_whole_attempt_and_bounds_each_read() {
    let mut clock = Clock::new();
    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    clock.advance(Duration::from_secs(4));
    ex.handle_head(StatusCode::OK, headers(&[]), &clock.now());
    // One second of the attempt's five is left, less than the three-second read timeout.
    assert_eq!(expect_read(&mut ex, &clock).0, Duration::from_secs(1));
    clock.advance(Duration::from_secs(1));
    ex.handle_error(timed_out("body data", Duration::from_secs(1)), &clock.now());
    // A timeout is retried: a fresh attempt gets the whole budget again.
    let wait = expect_wait(&mut ex, &clock);
    assert_eq!(wait, Duration::from_millis(500), "first backoff with no jitter");
    clock.advance(wait);
    assert_eq!(expect_send(&mut ex, &clock).3.head, Duration::from_secs(5));
}

#[test]
fn retries_resend_the_same_request_with_one_idempotency_key() {
    let mut clock = Clock::new();
    clock.jitter = 0.5;
    let mut ex: Exchange<Video> =
        Exchange::new(&CreateVideo::new("a cat"), &cfg(), &RequestOptions::default(), 0xabc).unwrap();
    let (first_key, ..) = expect_send(&mut ex, &clock);
    assert!(first_key.is_some());
    answer(&mut ex, &clock, 500, &[], &[br#"{"error":{"message":"boom","type":"server_error"}}"#]);
    // 0.5 s less a quarter of the jitter's half: 437.5 ms.
    let wait = expect_wait(&mut ex, &clock);
    assert_eq!(wait, Duration::from_micros(437_500));
    clock.advance(Duration::from_millis(100));
    assert_eq!(expect_wait(&mut ex, &clock), wait - Duration::from_millis(100), "an early wake-up waits the rest");
    clock.advance(wait);
    let (second_key, ..) = expect_send(&mut ex, &clock);
    assert_eq!(first_key, second_key);
    answer(&mut ex, &clock, 200, &[], &[VIDEO_JSON]);
    assert_eq!(expect_done(&mut ex, &clock).unwrap().value.id, "video_123");
    assert_eq!(ex.retries(), 1);
}

#[test]
fn a_retry_after_date_is_a_wait_and_reaches_the_error() {
    let clock = Clock::new();
    let date = httpdate::fmt_http_date(clock.wall0 + Duration::from_secs(3));
    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    answer(&mut ex, &clock, 429, &[("retry-after", &date)], &[b"{}"]);
    assert_eq!(expect_wait(&mut ex, &clock), Duration::from_secs(3));

    let mut ex = retrieve(&cfg().with_retry(RetryPolicy::none()));
    let _ = expect_send(&mut ex, &clock);
    answer(&mut ex, &clock, 429, &[("retry-after", &date), ("x-request-id", "req_9")], &[b"{}"]);
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!((err.status(), err.request_id()), (Some(StatusCode::TOO_MANY_REQUESTS), Some("req_9")));
    assert!(err.is_retryable());
}

#[test]
fn redirects_share_the_deadline_and_drop_credentials_across_origins() {
    let mut clock = Clock::new();
    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    clock.advance(Duration::from_secs(1));
    ex.handle_head(StatusCode::TEMPORARY_REDIRECT, headers(&[("location", "/v1/videos/moved")]), &clock.now());
    let (_, uri, auth, timeouts) = expect_send(&mut ex, &clock);
    assert_eq!((uri.as_str(), auth), ("https://api.openai.com/v1/videos/moved", true));
    assert_eq!(timeouts.head, Duration::from_secs(4), "the hop has what is left of the attempt");
    ex.handle_head(StatusCode::FOUND, headers(&[(LOCATION.as_str(), "https://cdn.example/v.json")]), &clock.now());
    let (_, uri, auth, _) = expect_send(&mut ex, &clock);
    assert_eq!((uri.as_str(), auth), ("https://cdn.example/v.json", false));
    answer(&mut ex, &clock, 200, &[], &[VIDEO_JSON]);
    assert!(expect_done(&mut ex, &clock).is_ok());
}

#[test]
fn a_redirect_loop_is_a_final_error() {
    let clock = Clock::new();
    let mut ex = retrieve(&cfg());
    for _ in 0..=videos_core::redirect::MAX_REDIRECTS {
        let _ = expect_send(&mut ex, &clock);
        ex.handle_head(StatusCode::FOUND, headers(&[("location", "/v1/again")]), &clock.now());
    }
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.failure == TransportFailure::Redirect), "{err:?}");
}

#[test]
fn a_json_body_over_the_limit_is_final_even_with_retries_left() {
    let clock = Clock::new();
    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    ex.handle_head(StatusCode::OK, headers(&[("x-request-id", "req_big")]), &clock.now());
    let big = Bytes::from(vec![b' '; JSON_BODY_LIMIT]);
    ex.handle_chunk(big, &clock.now());
    assert_eq!(expect_read(&mut ex, &clock).1, 1, "one byte more is still worth reading");
    ex.handle_chunk(Bytes::from_static(b" "), &clock.now());
    let err = expect_done(&mut ex, &clock).unwrap_err();
    let Error::Decode(decode) = &err else { panic!("{err:?}") };
    assert_eq!(decode.over_limit, Some(JSON_BODY_LIMIT), "callers can tell a body too large from a malformed one");
    assert_eq!(err.request_id(), Some("req_big"));
    assert_eq!(ex.retries(), 0);
}

#[test]
fn only_the_start_of_an_error_body_is_read() {
    let clock = Clock::new();
    let mut ex = retrieve(&cfg().with_retry(RetryPolicy::none()));
    let _ = expect_send(&mut ex, &clock);
    ex.handle_head(StatusCode::BAD_GATEWAY, headers(&[("content-type", "text/html")]), &clock.now());
    assert_eq!(expect_read(&mut ex, &clock).1, ERROR_BODY_LIMIT);
    ex.handle_chunk(Bytes::from(vec![b'x'; ERROR_BODY_LIMIT + 10]), &clock.now());
    // No further Read: the answer is decided on what was read.
    let err = expect_done(&mut ex, &clock).unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert!(api.body_snippet.as_deref().unwrap().contains(&format!("({ERROR_BODY_LIMIT} bytes in all)")));
}

#[test]
fn transport_failures_retry_by_kind() {
    let mut clock = Clock::new();
    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    ex.handle_error(TransportError::new(TransportFailure::Connect, "refused"), &clock.now());
    clock.advance(expect_wait(&mut ex, &clock));
    let _ = expect_send(&mut ex, &clock);
    ex.handle_error(TransportError::new(TransportFailure::Reset, "reset"), &clock.now());
    clock.advance(expect_wait(&mut ex, &clock));
    let _ = expect_send(&mut ex, &clock);
    ex.handle_error(TransportError::new(TransportFailure::Timeout, "slow"), &clock.now());
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert!(err.is_timeout(), "the last failure is reported after two retries: {err:?}");
    assert_eq!(ex.retries(), 2);
}

#[test]
fn a_download_ends_at_its_accepted_head() {
    let clock = Clock::new();
    let op = DownloadContent::new("video_123");
    let mut ex = Exchange::download(&op, &cfg(), &RequestOptions::default(), 1).unwrap();
    let (.., timeouts) = expect_send(&mut ex, &clock);
    assert_eq!(timeouts.body, None, "a download's body is bounded by the read timeout only");
    let h = [("content-type", "video/mp4"), ("content-length", "10"), ("x-request-id", "req_d")];
    ex.handle_head(StatusCode::OK, headers(&h), &clock.now());
    let mut media: MediaBody = expect_done(&mut ex, &clock).unwrap().value;
    assert_eq!(
        (media.content_type(), media.content_length(), media.request_id()),
        (Some("video/mp4"), Some(10), Some("req_d"))
    );
    assert_eq!(media.read_timeout(), Duration::from_secs(3));
    assert_eq!(media.durability(), videos_core::Durability::Synced, "synced unless the config says otherwise");
    media.handle_chunk(&[0; 4]).unwrap();
    assert!(media.handle_end().is_err(), "cut short");
    media.handle_chunk(&[0; 6]).unwrap();
    assert_eq!(media.handle_end().unwrap(), 10);
    assert!(media.handle_chunk(&[0]).is_err(), "past the announced length");
}

#[test]
fn a_download_carries_the_configured_durability_to_the_file_it_saves() {
    let clock = Clock::new();
    let config = cfg().with_download_durability(videos_core::Durability::Unsynced);
    let mut ex = Exchange::download(&DownloadContent::new("v"), &config, &RequestOptions::default(), 1).unwrap();
    expect_send(&mut ex, &clock);
    ex.handle_head(StatusCode::OK, headers(&[("content-type", "video/mp4")]), &clock.now());
    assert_eq!(expect_done(&mut ex, &clock).unwrap().value.durability(), videos_core::Durability::Unsynced);
}

#[test]
fn a_failed_download_reads_its_error_body() {
    let clock = Clock::new();
    let op = DownloadContent::new("video_123");
    let mut ex = Exchange::download(&op, &cfg(), &RequestOptions::default(), 1).unwrap();
    let _ = expect_send(&mut ex, &clock);
    let envelope: &[u8] =
        br#"{"error":{"message":"not ready","type":"invalid_request_error","code":"video_not_ready"}}"#;
    answer(&mut ex, &clock, 404, &[("x-request-id", "req_n")], &[envelope]);
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert_eq!((err.status(), err.request_id()), (Some(StatusCode::NOT_FOUND), Some("req_n")));
}

#[test]
fn events_out_of_order_end_the_call_without_a_panic() {
    let clock = Clock::new();
    let mut ex = retrieve(&cfg());
    ex.handle_chunk(Bytes::from_static(b"x"), &clock.now());
    assert!(expect_done(&mut ex, &clock).is_err());
    assert!(expect_done(&mut ex, &clock).is_err(), "asking again after the end is an error too");

    let mut ex = retrieve(&cfg());
    let _ = expect_send(&mut ex, &clock);
    assert!(expect_done(&mut ex, &clock).is_err(), "asking before reporting the head");
}

/// Takes the Authorize action and answers it with `token`.
fn authorize<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock, token: videos_core::TokenResult) {
    match ex.next_action(&clock.now()) {
        Action::Authorize(_) => ex.handle_token(token),
        other => panic!("expected Authorize, got {other:?}"),
    }
}

/// The Authorization header the next Send carries.
fn sent_authorization<T: std::fmt::Debug>(ex: &mut Exchange<T>, clock: &Clock) -> Option<String> {
    match ex.next_action(&clock.now()) {
        Action::Send { request, .. } => {
            request.headers().get(AUTHORIZATION).map(|v| (v.is_sensitive(), v.to_str().unwrap().to_owned())).map(
                |(sensitive, value)| {
                    assert!(sensitive, "a token is sent marked sensitive");
                    value
                },
            )
        }
        other => panic!("expected Send, got {other:?}"),
    }
}

#[test]
fn a_token_provider_is_asked_before_every_attempt_and_not_before_a_hop() {
    let clock = Clock::new();
    let config = Config::anonymous()
        .with_base_url("https://res.openai.azure.com/openai/v1")
        .unwrap()
        .with_token_provider(|| unreachable!("the test answers Authorize itself"));
    let mut ex = retrieve(&config);
    authorize(&mut ex, &clock, Ok("token-1".into()));
    assert_eq!(sent_authorization(&mut ex, &clock).as_deref(), Some("Bearer token-1"));
    // A redirect within the origin keeps the token, without asking again.
    ex.handle_head(
        StatusCode::TEMPORARY_REDIRECT,
        headers(&[("location", "/openai/v1/videos/video_123?again=1")]),
        &clock.now(),
    );
    assert_eq!(sent_authorization(&mut ex, &clock).as_deref(), Some("Bearer token-1"));
    // One that leaves the origin carries none.
    ex.handle_head(StatusCode::FOUND, headers(&[("location", "https://elsewhere.example/x")]), &clock.now());
    assert_eq!(sent_authorization(&mut ex, &clock), None);
    // A retry asks for a fresh token.
    answer(&mut ex, &clock, 503, &[], &[]);
    let _ = expect_wait(&mut ex, &clock);
    let mut clock = clock;
    clock.advance(Duration::from_secs(60));
    authorize(&mut ex, &clock, Ok("token-2".into()));
    assert_eq!(sent_authorization(&mut ex, &clock).as_deref(), Some("Bearer token-2"));
}

#[test]
fn a_failing_token_provider_ends_the_call_with_a_credential_error() {
    let clock = Clock::new();
    let config = Config::anonymous().with_token_provider(|| unreachable!());
    let mut ex = retrieve(&config);
    authorize(&mut ex, &clock, Err("the identity service is down".into()));
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert_eq!(err.to_string(), "no credential: the token provider failed: the identity service is down");
    assert!(std::error::Error::source(&err).is_some(), "the provider's error is the source");
    assert!(!err.is_retryable());

    let mut ex = retrieve(&config);
    authorize(&mut ex, &clock, Ok("bad\ntoken".into()));
    let err = expect_done(&mut ex, &clock).unwrap_err();
    assert!(err.to_string().contains("cannot carry") && !err.to_string().contains("bad"), "{err}");
}

#[test]
fn an_azure_key_never_follows_a_redirect_to_another_origin() {
    let clock = Clock::new();
    let config = Config::azure("https://res.openai.azure.com").unwrap().with_azure_api_key("az-secret");
    let op = DownloadContent::new("video_123");
    let mut ex = Exchange::download(&op, &config, &RequestOptions::default(), 1).unwrap();
    let has_key = |ex: &mut Exchange<MediaBody>| match ex.next_action(&clock.now()) {
        Action::Send { request, .. } => request.headers().contains_key("api-key"),
        other => panic!("expected Send, got {other:?}"),
    };
    assert!(has_key(&mut ex));
    ex.handle_head(StatusCode::FOUND, headers(&[("location", "https://blob.example/signed?sig=1")]), &clock.now());
    assert!(!has_key(&mut ex), "the api-key stays with the resource");
}
