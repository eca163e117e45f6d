//! What OpenAI-compatible gateways (LiteLLM and the like) and Azure send
//! back, through both clients: nulls where the service sends values, foreign
//! statuses, their own error envelopes and request-id headers, long ids.

use std::time::Duration;

use serde_json::{Value, json};
use videos_core::{ApiErrorKind, CreateVideo, Error, PollOptions, RetryPolicy};
use videos_tests::transport::{both, config};
use videos_tests::video_json;
use videos_types::{UnixTime, Video, VideoSeconds, VideoStatus};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An id as LiteLLM makes them: 240 characters of base64 ending in `==`.
fn gateway_id() -> String {
    let mut id = "dmlkZW9fdmVvMy1qb2ItMTIzNDU2Nzg5MA".repeat(7);
    id.truncate(238);
    id.push_str("==");
    id
}

/// A Veo job as LiteLLM 1.109 answers a create, just after it started.
fn veo_job(id: &str) -> Value {
    json!({
        "id": id, "object": "video", "model": "veo-3.0-generate-preview", "status": "processing",
        "created_at": null, "completed_at": null, "expires_at": null, "progress": null,
        "prompt": null, "seconds": null, "size": null, "remixed_from_video_id": null, "error": null,
        "usage": {"duration_seconds": 8}
    })
}

async fn answering(route: &str, verb: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb)).and(path(route)).respond_with(response).mount(&server).await;
    server
}

#[tokio::test]
async fn a_gateway_job_full_of_nulls_is_created_once_and_read() {
    // Before, `"created_at": null` failed the decode after the job was made
    // upstream, and the retry paid for a second one.
    let id = gateway_id();
    for i in 0..2 {
        let server = answering(
            "/v1/videos",
            "POST",
            ResponseTemplate::new(200).set_body_json(veo_job(&id)).insert_header("x-litellm-call-id", "call-42"),
        )
        .await;
        let t = both(&config(&server.uri()))[i].clone();
        let video = t.create(CreateVideo::new("a fox").model("veo-3.0-generate-preview")).await.unwrap();
        assert_eq!(video.id, id, "{}", t.name());
        assert_eq!(video.status.as_ref().map(VideoStatus::as_str), Some("processing"));
        assert_eq!((video.progress, video.created_at.clone(), video.size.clone()), (None, None, None));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{}: one job, not two", t.name());
        // What was read writes back as it came.
        assert_eq!(serde_json::to_value(&video).unwrap(), veo_job(&id));
    }
}

#[test]
fn numbers_where_the_service_sends_strings_and_fractions_in_timestamps_read_and_write_back() {
    let sent = json!({
        "id": "video_1", "object": "video", "model": "sora-2", "status": "queued", "progress": 0,
        "created_at": 1_712_697_600.25, "completed_at": null, "expires_at": 1_712_784_000,
        "prompt": "p", "seconds": "8", "size": "720x1280", "remixed_from_video_id": null, "error": null
    });
    let video: Video = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(video.created_at.as_ref().map(UnixTime::as_secs), Some(1_712_697_600));
    assert_eq!(serde_json::to_value(&video).unwrap(), sent, "a fractional timestamp is kept exactly");
    let mut numeric = sent.clone();
    numeric["seconds"] = json!(8);
    let video: Video = serde_json::from_value(numeric).unwrap();
    assert_eq!(video.seconds, Some(VideoSeconds::Eight), "a number reads as the listed value");
    // Only `id` is required: a body of just an id is a Video.
    let bare: Video = serde_json::from_value(json!({"id": "video_2"})).unwrap();
    assert_eq!((bare.id.as_str(), bare.status, bare.progress), ("video_2", None, None));
    assert!(serde_json::from_value::<Video>(json!({"status": "queued"})).is_err(), "but never without an id");
}

#[tokio::test]
async fn a_created_job_is_never_lost_to_a_field_this_sdk_cannot_read() {
    for i in 0..2 {
        let mut body = video_json("video_9", "queued", 0);
        body["progress"] = json!("starting");
        body["created_at"] = json!("2026-11-30T12:00:00Z");
        let server = answering("/v1/videos", "POST", ResponseTemplate::new(201).set_body_json(&body)).await;
        let t = both(&config(&server.uri()))[i].clone();
        let video = t.create(CreateVideo::new("a fox")).await.unwrap();
        assert_eq!((video.id.as_str(), video.status.clone()), ("video_9", Some(VideoStatus::Queued)), "{}", t.name());
        assert_eq!((video.progress, video.created_at.clone()), (None, None));
        assert_eq!(video.extra["progress"], "starting", "kept raw");
        assert_eq!(video.extra["created_at"], "2026-11-30T12:00:00Z");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_created_job_without_an_id_is_a_final_error_with_the_body_and_request_id() {
    for i in 0..2 {
        let server = answering(
            "/v1/videos",
            "POST",
            ResponseTemplate::new(200)
                .set_body_json(json!({"job": "somewhere", "state": "ok"}))
                .insert_header("apim-request-id", "apim-7"),
        )
        .await;
        let t = both(&config(&server.uri()))[i].clone();
        let err = t.create(CreateVideo::new("a fox")).await.unwrap_err();
        // The service said yes to a create and no id could be read: a job may well exist,
        // and the error carries the key that finds it, with the unreadable answer as its cause.
        let Error::JobMayExist(may_exist) = &err else { panic!("{err:?}") };
        assert!(err.idempotency_key().is_some_and(|k| k.starts_with("videos-rs-")));
        let Error::Decode(decode) = &may_exist.last else { panic!("{err:?}") };
        assert_eq!(decode.body.as_ref(), br#"{"job":"somewhere","state":"ok"}"#);
        assert_eq!(err.request_id(), Some("apim-7"));
        assert!(!err.is_retryable());
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{}: never retried", t.name());
    }
}

#[tokio::test]
async fn error_envelopes_of_every_shape_are_read_with_their_request_ids() {
    // (status, body, request-id header, message read, code read)
    type Case = (u16, Value, (&'static str, &'static str), &'static str, Option<&'static str>);
    let cases: Vec<Case> = vec![
        (
            400,
            json!({"error": {"message": "litellm.BadRequestError: no model", "type": "None", "param": "None", "code": "400"}}),
            ("x-litellm-call-id", "call-1"),
            "litellm.BadRequestError: no model",
            Some("400"),
        ),
        (
            429,
            json!({"error": {"message": "Too many", "code": 429}}),
            ("apim-request-id", "apim-1"),
            "Too many",
            Some("429"),
        ),
        (404, json!({"detail": "Not Found"}), ("x-ms-request-id", "ms-1"), "Not Found", None),
        (500, json!({"error": "upstream failed"}), ("x-request-id", "req_1"), "upstream failed", None),
        (
            422,
            json!({"detail": [{"loc": ["body", "prompt"], "msg": "field required"}]}),
            ("x-litellm-call-id", "call-2"),
            r#"[{"loc":["body","prompt"],"msg":"field required"}]"#,
            None,
        ),
    ];
    for i in 0..2 {
        for (status, body, (header, id), message, code) in &cases {
            let server = answering(
                "/v1/videos/video_1",
                "GET",
                ResponseTemplate::new(*status).set_body_json(body).insert_header(*header, *id),
            )
            .await;
            let t = both(&config(&server.uri()).with_retry(RetryPolicy::none()))[i].clone();
            let err = t.retrieve("video_1").await.unwrap_err();
            let Error::Api(api) = &err else { panic!("{err:?}") };
            assert_eq!(api.message, *message, "{} {status}", t.name());
            assert_eq!(api.code.as_deref(), *code, "{status}");
            assert_eq!(api.request_id.as_deref(), Some(*id), "{status}");
            assert_eq!(serde_json::from_slice::<Value>(&api.body).unwrap(), *body, "the raw body is kept");
            assert!(err.to_string().contains(id), "{err}");
        }
    }
}

#[tokio::test]
async fn polling_ends_on_the_ends_other_services_report() {
    for status in ["cancelled", "canceled", "expired"] {
        for i in 0..2 {
            let server = answering(
                "/v1/videos/video_1",
                "GET",
                ResponseTemplate::new(200).set_body_json(video_json("video_1", status, 10)),
            )
            .await;
            let t = both(&config(&server.uri()))[i].clone();
            let options = PollOptions { interval: Some(Duration::from_millis(10)), deadline: Duration::from_secs(5) };
            let (result, seen) = t.poll("video_1", options).await;
            assert_eq!(result.unwrap().status.unwrap().as_str(), status, "{}", t.name());
            assert_eq!(seen.len(), 1, "{status}: one poll, then done");
        }
    }
}

#[test]
fn an_api_error_kind_still_follows_the_status() {
    // The gateway's "code": "400" is a string code, not a kind.
    assert_eq!(ApiErrorKind::from_status(http::StatusCode::TOO_MANY_REQUESTS), ApiErrorKind::RateLimit);
}

#[tokio::test]
async fn a_thumbnail_answered_with_the_mp4_is_refused_and_the_target_kept() {
    // Before, a gateway's MP4 was saved as thumbnail.webp without a word.
    use wiremock::matchers::{header, query_param};
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .and(query_param("variant", "thumbnail"))
            .and(header("accept", "image/webp"))
            .respond_with(
                ResponseTemplate::new(200).set_body_bytes(vec![0u8; 64]).insert_header("content-type", "video/mp4"),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("thumbnail.webp");
        std::fs::write(&target, b"the old thumbnail").unwrap();
        let t = both(&config(&server.uri()))[i].clone();
        let err =
            t.download_to("video_1", Some(videos_types::VideoContentVariant::Thumbnail), &target).await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("image/webp") && text.contains("video/mp4"), "{}: names both: {text}", t.name());
        assert!(!err.is_retryable());
        assert_eq!(std::fs::read(&target).unwrap(), b"the old thumbnail", "{}", t.name());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file");
    }
}

#[tokio::test]
async fn extra_body_fields_and_a_model_reach_the_wire_in_json_and_multipart() {
    use videos_core::{EditVideo, FilePart, VideoSource};
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    std::fs::write(&clip, b"not really an mp4").unwrap();
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(video_json("video_1", "queued", 0)))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let with_extras = |video: VideoSource| {
            (
                EditVideo::new(video, "make it rain").model("veo-3"),
                [("aspect_ratio", json!("16:9")), ("steps", json!(30))],
            )
        };
        for source in [VideoSource::id("video_0"), VideoSource::Upload(FilePart::from_path(&clip).unwrap())] {
            let (params, extras) = with_extras(source);
            t.edit_with_fields(params, &extras).await.unwrap();
        }
        let requests = server.received_requests().await.unwrap();
        let json_body: Value = serde_json::from_slice(&requests[0].body).unwrap();
        assert_eq!(
            json_body,
            json!({"video": {"id": "video_0"}, "prompt": "make it rain", "model": "veo-3", "aspect_ratio": "16:9", "steps": 30}),
            "{}",
            t.name()
        );
        let form = String::from_utf8_lossy(&requests[1].body);
        for part in
            ["name=\"model\"\r\n\r\nveo-3\r\n", "name=\"aspect_ratio\"\r\n\r\n16:9\r\n", "name=\"steps\"\r\n\r\n30\r\n"]
        {
            assert!(form.contains(part), "{}: {part:?} in {form}", t.name());
        }
        assert!(form.trim_end().ends_with("--"), "the form is still closed properly");
    }
}
