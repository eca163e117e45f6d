//! End to end: both transports against an in-process emulator, through the
//! whole workflow, with real media checked by parsing the files.

use std::time::Duration;

use videos_core::{ApiErrorKind, CreateVideo, Error, ExtendVideo, ListVideos, PollOptions, RetryPolicy, VideoSource};
use videos_emulator::{Emulator, EmulatorConfig, Faults};
use videos_tests::transport::{Transport, both, config};
use videos_types::{VideoContentVariant, VideoSeconds, VideoSize, VideoStatus};

async fn emulator(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

fn clients(emulator: &Emulator) -> [Transport; 2] {
    both(&config(&format!("http://{}", emulator.address())))
}

fn probe(path: &std::path::Path) -> videos_emulator::render::Probe {
    videos_emulator::render::probe(&std::fs::read(path).expect("downloaded file")).expect("a valid MP4")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_workflow_on_both_transports() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    for t in clients(&emulator) {
        let name = t.name();
        // Create and wait.
        let video = t
            .create_and_poll(
                CreateVideo::new("A calico cat playing a piano on stage").size(VideoSize::Landscape1280x720),
            )
            .await
            .unwrap();
        assert_eq!(video.status, Some(VideoStatus::Completed), "{name}");
        assert!(video.completed_at.is_some() && video.expires_at.is_some());

        // Download and check the file itself.
        let path = dir.path().join(format!("{name}.mp4"));
        let bytes = t.download_to(&video.id, None, &path).await.unwrap();
        let media = probe(&path);
        assert_eq!((media.width, media.height), (1280, 720), "{name}");
        assert_eq!(media.duration_ms, 4000, "{name}");
        assert_eq!(bytes, std::fs::metadata(&path).unwrap().len());
        let (content_type, thumb) = t.download_bytes(&video.id, Some(VideoContentVariant::Thumbnail)).await.unwrap();
        assert_eq!((content_type.as_deref(), &thumb[8..12]), (Some("image/webp"), &b"WEBP"[..]));
        let (content_type, sheet) = t.download_bytes(&video.id, Some(VideoContentVariant::Spritesheet)).await.unwrap();
        assert_eq!((content_type.as_deref(), &sheet[..2]), (Some("image/jpeg"), &[0xff, 0xd8][..]));

        // Remix, then extend: the extension's seconds are the stitched total.
        let remix = t.remix(&video.id, "The same scene in a thunderstorm").await.unwrap();
        assert_eq!(remix.remixed_from_video_id.as_deref(), Some(video.id.as_str()));
        let remix = t.poll(&remix.id, PollOptions::default()).await.0.unwrap();
        assert_eq!(remix.status, Some(VideoStatus::Completed));
        let extended = t
            .extend(ExtendVideo::new(VideoSource::id(&remix.id), "Then the sun comes out", VideoSeconds::Four))
            .await
            .unwrap();
        assert_eq!(extended.seconds.as_ref().and_then(|s| s.as_secs()), Some(8), "{name}");
        let extended = t.poll(&extended.id, PollOptions::default()).await.0.unwrap();
        let path = dir.path().join(format!("{name}-extended.mp4"));
        t.download_to(&extended.id, None, &path).await.unwrap();
        assert_eq!(probe(&path).duration_ms, 8000, "{name}: the stitched video is 8 s long");

        // Delete, then it is gone.
        assert!(t.delete(&video.id).await.unwrap().deleted == Some(true));
        let err = t.retrieve(&video.id).await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_walks_every_page_in_order() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    let [t, blocking] = clients(&emulator);
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(t.create(CreateVideo::new(format!("scene {i}"))).await.unwrap().id);
    }
    for t in [t, blocking] {
        let newest_first: Vec<String> =
            t.list_all(ListVideos::new().limit(2)).await.unwrap().into_iter().map(|v| v.id).collect();
        let mut expected = ids.clone();
        expected.reverse();
        assert_eq!(newest_first, expected, "{}", t.name());
        let page = t.list(ListVideos::new().limit(2).order(videos_types::VideoListOrder::Asc)).await.unwrap();
        assert_eq!(page.data.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), &ids[..2]);
        assert_eq!(page.has_more, Some(true));
        assert_eq!(page.last_id.as_deref(), Some(ids[1].as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_ends_failed_and_has_no_content() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    for t in clients(&emulator) {
        let video = t.create_and_poll(CreateVideo::new("[fail] a storm at sea")).await.unwrap();
        assert_eq!(video.status, Some(VideoStatus::Failed), "{}", t.name());
        assert_eq!(video.error.as_ref().and_then(|e| e.code.as_deref()), Some("video_generation_failed"));
        let err = t.download_bytes(&video.id, None).await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound));
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.code.as_deref(), Some("video_not_ready"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_of_a_running_job_is_an_error_not_an_empty_body() {
    let config = EmulatorConfig { time_per_video_second: Duration::from_secs(30), ..EmulatorConfig::fast() };
    let emulator = emulator(config).await;
    for t in clients(&emulator) {
        let video = t.create(CreateVideo::new("slow")).await.unwrap();
        let err = t.download_bytes(&video.id, None).await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound), "{}", t.name());
        let err = t.delete(&video.id).await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::BadRequest), "a running job cannot be deleted");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_faults_and_retries_still_create_exactly_one_job() {
    let faults =
        Faults { seed: 7, rate_limit: 0.15, server_error: 0.15, unavailable: 0.15, cut: 0.15, ..Faults::default() };
    let emulator = emulator(EmulatorConfig { faults, ..EmulatorConfig::fast() }).await;
    let config = config(&format!("http://{}", emulator.address())).with_retry(RetryPolicy {
        max_retries: 12,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    });
    for (i, t) in both(&config).into_iter().enumerate() {
        for n in 0..4 {
            let video = t
                .create_with_key(CreateVideo::new(format!("fault test {i}-{n}")), &format!("key-{i}-{n}"))
                .await
                .unwrap();
            assert_eq!(video.object.as_ref().unwrap().as_str(), "video");
        }
    }
    let listed = both(&config)[0].list_all(ListVideos::new().limit(100)).await.unwrap();
    assert_eq!(listed.len(), 8, "one job per call, however many attempts each took");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_api_key_is_refused() {
    let emulator = emulator(EmulatorConfig { api_key: Some("the-right-key".into()), ..EmulatorConfig::fast() }).await;
    for t in clients(&emulator) {
        let err = t.retrieve("video_1").await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.kind, ApiErrorKind::Authentication, "{}", t.name());
        assert_eq!(api.code.as_deref(), Some("invalid_api_key"));
        assert!(!err.to_string().contains(videos_tests::transport::KEY), "the key is not echoed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_like_the_service() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    let url = emulator.base_url();
    let http = reqwest::Client::new();
    let post = |body: serde_json::Value| {
        http.post(format!("{url}/videos"))
            .bearer_auth("k")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    for (body, param) in [
        (serde_json::json!({"prompt": "x", "size": "999x999"}), "size"),
        (serde_json::json!({"prompt": "x", "seconds": "5"}), "seconds"),
        (serde_json::json!({"prompt": ""}), "prompt"),
        (serde_json::json!({"model": "sora-2"}), "prompt"),
        (
            serde_json::json!({"prompt": "x", "input_reference": {"file_id": "f", "image_url": "https://x"}}),
            "input_reference",
        ),
    ] {
        let response = post(body.clone()).await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let envelope: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(envelope["error"]["param"], param, "{body}");
        assert_eq!(envelope["error"]["type"], "invalid_request_error");
    }
    // The same rules for multipart bodies.
    let form = "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"seconds\"\r\n\r\n7\r\n--b--\r\n";
    let response = http
        .post(format!("{url}/videos"))
        .bearer_auth("k")
        .header("content-type", "multipart/form-data; boundary=b")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let envelope: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["error"]["param"], "seconds");
    let response = http.get(format!("{url}/videos/nope")).bearer_auth("k").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = http.get(format!("{url}/videos")).send().await.unwrap();
    assert_eq!(response.status(), 401, "no key, no answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_content_honours_range_requests() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    let [t, _] = clients(&emulator);
    let video = t.create_and_poll(CreateVideo::new("ranges")).await.unwrap();
    let (_, whole) = t.download_bytes(&video.id, None).await.unwrap();
    let url = format!("{}/videos/{}/content", emulator.base_url(), video.id);
    let http = reqwest::Client::new();

    let response = http.get(&url).bearer_auth("k").header("range", "bytes=100-199").send().await.unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(response.headers()["content-range"], format!("bytes 100-199/{}", whole.len()).as_str());
    assert_eq!(response.bytes().await.unwrap(), &whole[100..200]);

    let response = http.get(&url).bearer_auth("k").header("range", "bytes=-50").send().await.unwrap();
    assert_eq!(response.bytes().await.unwrap(), &whole[whole.len() - 50..]);

    let response =
        http.get(&url).bearer_auth("k").header("range", format!("bytes={}-", whole.len())).send().await.unwrap();
    assert_eq!(response.status(), 416);
    assert_eq!(response.headers()["content-range"], format!("bytes */{}", whole.len()).as_str());

    let response = http.get(&url).bearer_auth("k").send().await.unwrap();
    assert_eq!((response.status().as_u16(), response.headers()["accept-ranges"].to_str().unwrap()), (200, "bytes"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn characters_are_created_from_a_video_and_read_back() {
    let emulator = emulator(EmulatorConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("mochi.mp4");
    for t in clients(&emulator) {
        let video = t.create_and_poll(CreateVideo::new("Mochi the cat")).await.unwrap();
        t.download_to(&video.id, None, &clip).await.unwrap();
        let params = videos_core::CreateCharacter::new("Mochi", videos_core::FilePart::from_path(&clip).unwrap());
        let character = t.create_character(params).await.unwrap();
        let id = character.id.clone().unwrap();
        assert!(id.starts_with("char_"), "{}", t.name());
        assert_eq!(t.retrieve_character(&id).await.unwrap(), character);
        let err = t.retrieve_character("char_missing").await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound));
        let long = videos_core::CreateCharacter::new("n".repeat(81), videos_core::FilePart::from_path(&clip).unwrap());
        assert!(matches!(t.create_character(long).await, Err(Error::InvalidInput(_))), "checked before sending");

        // An uploaded video as the source of an extension: its length comes from the file.
        let extended = t
            .extend(ExtendVideo::new(
                VideoSource::Upload(videos_core::FilePart::from_path(&clip).unwrap()),
                "more",
                VideoSeconds::Eight,
            ))
            .await
            .unwrap();
        assert_eq!(extended.seconds.as_ref().and_then(|s| s.as_secs()), Some(12), "{}: 4 s upload + 8 s", t.name());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_answer_in_the_envelope() {
    let emulator = emulator(EmulatorConfig { max_jobs: 2, max_body_bytes: 4096, ..EmulatorConfig::fast() }).await;
    let [t, _] = clients(&emulator);
    t.create(CreateVideo::new("one")).await.unwrap();
    t.create(CreateVideo::new("two")).await.unwrap();
    let err = t.create(CreateVideo::new("three")).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.kind, api.code.as_deref()), (ApiErrorKind::RateLimit, Some("job_limit_reached")));

    let err = t.create(CreateVideo::new("x".repeat(5000))).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), api.code.as_deref()), (413, Some("request_too_large")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_fault_meets_the_client_timeout() {
    let faults = Faults { slow: 1.0, delay: Duration::from_millis(500), ..Faults::default() };
    let emulator = emulator(EmulatorConfig { faults, ..EmulatorConfig::fast() }).await;
    let config = config(&format!("http://{}", emulator.address()))
        .with_timeouts(Duration::from_secs(1), Duration::from_millis(150))
        .with_retry(RetryPolicy::none());
    for t in both(&config) {
        let err = t.retrieve("video_1").await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(e) if e.failure == videos_core::TransportFailure::Timeout),
            "{}: {err:?}",
            t.name()
        );
    }
}
