//! Polling and pagination over both transports.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use videos_core::{CreateVideo, Error, ListVideos, PollOptions};
use videos_tests::transport::{both, config};
use videos_tests::video_json;
use videos_types::VideoStatus;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

struct Progression {
    states: Vec<Value>,
    next: Arc<AtomicUsize>,
}

impl Respond for Progression {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst).min(self.states.len() - 1);
        ResponseTemplate::new(200).set_body_json(&self.states[i]).insert_header("openai-poll-after-ms", "20")
    }
}

async fn job(states: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/videos/video_1"))
        .respond_with(Progression { states, next: Arc::default() })
        .mount(&server)
        .await;
    server
}

fn fast() -> PollOptions {
    PollOptions { interval: None, deadline: Duration::from_secs(10) }
}

#[tokio::test]
async fn poll_ends_completed_and_reports_progress() {
    for i in 0..2 {
        let server = job(vec![
            video_json("video_1", "queued", 0),
            video_json("video_1", "in_progress", 35),
            video_json("video_1", "in_progress", 80),
            video_json("video_1", "completed", 100),
        ])
        .await;
        let t = both(&config(&server.uri()))[i].clone();
        let (result, seen) = t.poll("video_1", fast()).await;
        assert_eq!(result.unwrap().status, Some(VideoStatus::Completed));
        let progress: Vec<i64> = seen.iter().map(|(_, p)| *p).collect();
        assert_eq!(progress, [0, 35, 80, 100], "{}", t.name());
    }
}

#[tokio::test]
async fn poll_ends_failed_with_the_error() {
    for i in 0..2 {
        let mut failed = video_json("video_1", "failed", 20);
        failed["error"] = json!({"code": "moderation_blocked", "message": "flagged"});
        let server = job(vec![video_json("video_1", "in_progress", 20), failed]).await;
        let t = both(&config(&server.uri()))[i].clone();
        let video = t.poll("video_1", fast()).await.0.unwrap();
        assert_eq!(video.status, Some(VideoStatus::Failed));
        assert_eq!(video.error.unwrap().code.as_deref(), Some("moderation_blocked"), "{}", t.name());
    }
}

#[tokio::test]
async fn an_unknown_status_is_stopped_by_the_deadline() {
    for i in 0..2 {
        let server = job(vec![video_json("video_1", "awaiting_review", 50)]).await;
        let t = both(&config(&server.uri()))[i].clone();
        let options = PollOptions { interval: Some(Duration::from_millis(50)), deadline: Duration::from_millis(400) };
        let (result, seen) = t.poll("video_1", options).await;
        let Err(Error::PollTimeout(timeout)) = result else { panic!("{}: {result:?}", t.name()) };
        assert_eq!(timeout.last_status.as_ref().map(|s| s.as_str()), Some("awaiting_review"));
        assert!(timeout.to_string().contains("\"awaiting_review\" is not one this SDK knows"));
        assert!((4..=12).contains(&seen.len()), "{}: polled {} times", t.name(), seen.len());
    }
}

#[tokio::test]
async fn create_and_poll_waits_from_the_created_job() {
    for i in 0..2 {
        let server = job(vec![video_json("video_1", "in_progress", 50), video_json("video_1", "completed", 100)]).await;
        Mock::given(method("POST"))
            .and(path("/v1/videos"))
            .respond_with(ResponseTemplate::new(200).set_body_json(video_json("video_1", "queued", 0)))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let video = t.create_and_poll(CreateVideo::new("p")).await.unwrap();
        assert_eq!(video.status, Some(VideoStatus::Completed), "{}", t.name());
    }
}

fn page(ids: &[&str], has_more: bool) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| video_json(id, "completed", 100)).collect();
    json!({"object": "list", "data": data, "first_id": ids.first(), "last_id": ids.last(), "has_more": has_more})
}

#[tokio::test]
async fn list_all_walks_three_pages() {
    for i in 0..2 {
        let server = MockServer::start().await;
        let answer = |body: Value| ResponseTemplate::new(200).set_body_json(body);
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param_is_missing("after"))
            .respond_with(answer(page(&["v1", "v2"], true)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param("after", "v2"))
            .respond_with(answer(page(&["v3", "v4"], true)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param("after", "v4"))
            .respond_with(answer(page(&["v5"], false)))
            .expect(1)
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let all = t.list_all(ListVideos::new().limit(2)).await.unwrap();
        let ids: Vec<&str> = all.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["v1", "v2", "v3", "v4", "v5"], "{}", t.name());
        for request in server.received_requests().await.unwrap() {
            assert_eq!(
                request.url.query_pairs().find(|(k, _)| k == "limit").map(|(_, v)| v.into_owned()).as_deref(),
                Some("2")
            );
        }
    }
}

#[tokio::test]
async fn list_all_ends_with_an_error_on_an_empty_page_that_claims_more() {
    // A page that claims more but gives no cursor cannot be walked on: a typed error, not a silent stop.
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param_is_missing("after"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["v1"], true)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param("after", "v1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&[], true)))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let err = t.list_all(ListVideos::new()).await.unwrap_err();
        assert!(matches!(&err, videos_core::Error::Pagination(e) if e.pages == 2), "{}: {err:?}", t.name());
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}
