//! Retries, timeouts, dropped connections and error mapping, over both transports.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use videos_core::{ApiErrorKind, CreateVideo, Error, RetryPolicy, TransportFailure};
use videos_tests::raw::{RawServer, Step};
use videos_tests::transport::{both, config};
use videos_tests::{error_json, video_json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers with the scripted responses in order, then the last one forever.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    next: Arc<AtomicUsize>,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[i.min(self.responses.len() - 1)].clone()
    }
}

async fn scripted(verb: &str, at: &str, responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(Sequence { responses, next: Arc::default() })
        .mount(&server)
        .await;
    server
}

fn failing(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(error_json("try again", "server_error", None))
}

fn ok_video() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(video_json("video_1", "queued", 0))
}

#[tokio::test]
async fn retries_429_500_503_then_succeeds_with_one_idempotency_key() {
    for i in 0..2 {
        let server = scripted(
            "POST",
            "/v1/videos",
            vec![failing(429).insert_header("retry-after-ms", "30"), failing(500), ok_video()],
        )
        .await;
        let t = both(&config(&server.uri()))[i].clone();
        let started = Instant::now();
        let video = t.create(CreateVideo::new("p")).await.unwrap();
        assert_eq!(video.id, "video_1");
        assert!(started.elapsed() >= Duration::from_millis(30), "{}: honoured retry-after-ms", t.name());
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3, "{}", t.name());
        let keys: Vec<_> = requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().clone()).collect();
        assert!(keys.iter().all(|k| *k == keys[0]), "{}: one key across all retries", t.name());
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    for i in 0..2 {
        let server =
            scripted("GET", "/v1/videos/video_1", vec![failing(503).insert_header("retry-after", "1"), ok_video()])
                .await;
        let t = both(&config(&server.uri()))[i].clone();
        let started = Instant::now();
        t.retrieve("video_1").await.unwrap();
        assert!(started.elapsed() >= Duration::from_secs(1), "{}", t.name());
    }
}

#[tokio::test]
async fn gives_up_after_two_retries_with_the_last_error() {
    for i in 0..2 {
        let server =
            scripted("GET", "/v1/videos/video_1", vec![failing(500).insert_header("x-request-id", "req_last")]).await;
        let t = both(&config(&server.uri()))[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::Server));
        assert_eq!(err.request_id(), Some("req_last"));
        assert_eq!(server.received_requests().await.unwrap().len(), 3, "{}", t.name());
    }
}

#[tokio::test]
async fn x_should_retry_false_stops_at_once() {
    for i in 0..2 {
        let server =
            scripted("POST", "/v1/videos", vec![failing(503).insert_header("x-should-retry", "false"), ok_video()])
                .await;
        let t = both(&config(&server.uri()))[i].clone();
        let err = t.create(CreateVideo::new("p")).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{}", t.name());
    }
}

#[tokio::test]
async fn errors_map_to_kinds_with_request_ids() {
    for (status, kind) in
        [(401, ApiErrorKind::Authentication), (404, ApiErrorKind::NotFound), (422, ApiErrorKind::UnprocessableEntity)]
    {
        for i in 0..2 {
            let server = scripted(
                "GET",
                "/v1/videos/video_1",
                vec![
                    ResponseTemplate::new(status)
                        .set_body_json(error_json("nope", "invalid_request_error", Some("video_id")))
                        .insert_header("x-request-id", "req_42"),
                ],
            )
            .await;
            let t = both(&config(&server.uri()))[i].clone();
            let err = t.retrieve("video_1").await.unwrap_err();
            let Error::Api(api) = &err else { panic!("{}: {err:?}", t.name()) };
            assert_eq!((api.kind, api.status.as_u16()), (kind, status));
            assert_eq!(api.param.as_deref(), Some("video_id"));
            assert_eq!(err.request_id(), Some("req_42"));
            assert_eq!(server.received_requests().await.unwrap().len(), 1, "{status} is not retried");
            assert!(!format!("{err} {err:?}").contains(videos_tests::transport::KEY), "no key in errors");
        }
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    for i in 0..2 {
        let server = RawServer::start(vec![
            Step::Close,
            Step::respond(200, "application/json", video_json("video_1", "queued", 0).to_string().as_bytes()),
        ])
        .await;
        let t = both(&config(&server.url))[i].clone();
        let video = t.create(CreateVideo::new("p")).await.unwrap();
        assert_eq!(video.id, "video_1");
        assert_eq!(server.request_count(), 2, "{}", t.name());
        let keys: Vec<String> = server
            .requests()
            .iter()
            .map(|r| {
                String::from_utf8_lossy(r)
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("idempotency-key"))
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(keys[0], keys[1], "{}: the retry carries the same key", t.name());
    }
}

#[tokio::test]
async fn a_connection_that_keeps_dropping_is_a_transport_error() {
    for i in 0..2 {
        let server = RawServer::start(vec![Step::Close]).await;
        let t = both(&config(&server.url))[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        assert!(matches!(&err, Error::Transport(e) if e.failure == TransportFailure::Reset), "{}: {err:?}", t.name());
        assert_eq!(server.request_count(), 3);
    }
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    for i in 0..2 {
        let server = scripted("GET", "/v1/videos/video_1", vec![ok_video().set_delay(Duration::from_secs(3))]).await;
        let config = config(&server.uri())
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(300))
            .with_retry(RetryPolicy::none());
        let t = both(&config)[i].clone();
        let started = Instant::now();
        let err = t.retrieve("video_1").await.unwrap_err();
        assert!(matches!(&err, Error::Transport(e) if e.failure == TransportFailure::Timeout), "{}: {err:?}", t.name());
        assert!(started.elapsed() < Duration::from_secs(2), "{}", t.name());
    }
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    for i in 0..2 {
        let t = both(&config(&format!("http://127.0.0.1:{port}")))[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        assert!(matches!(&err, Error::Transport(e) if e.failure == TransportFailure::Connect), "{}: {err:?}", t.name());
    }
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_is_an_api_error() {
    for i in 0..2 {
        let server =
            RawServer::start(vec![Step::respond(502, "text/html", b"<html><h1>502 Bad Gateway</h1></html>")]).await;
        let config = config(&server.url).with_retry(RetryPolicy::none());
        let t = both(&config)[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.kind, ApiErrorKind::Server);
        assert!(api.body_snippet.as_deref().unwrap().contains("502 Bad Gateway"), "{}", t.name());
    }
}
