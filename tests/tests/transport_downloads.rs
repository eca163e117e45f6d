//! Downloads and redirects over both transports: byte-for-byte content, no
//! partial file after a cut, and no credentials across hosts.

use videos_core::{ApiErrorKind, Error};
use videos_tests::error_json;
use videos_tests::raw::{RawServer, Step};
use videos_tests::transport::{both, config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn content(len: usize) -> Vec<u8> {
    // Not a repeating pattern with a short period, so misplaced chunks would show.
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[tokio::test]
async fn a_multi_megabyte_download_arrives_byte_for_byte() {
    let body = content(6 * 1024 * 1024 + 123);
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "video/mp4"))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let target = dir.path().join(format!("video-{i}.mp4"));
        let written = t.download_to("video_1", None, &target).await.unwrap();
        assert_eq!(written, body.len() as u64);
        assert!(std::fs::read(&target).unwrap() == body, "{}: content differs", t.name());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), i + 1, "{}: no temporary files left", t.name());
    }
}

#[tokio::test]
async fn a_download_cut_short_leaves_no_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2 {
        let server = RawServer::start(vec![Step::short("video/mp4", 1_000_000, &content(300_000))]).await;
        let t = both(&config(&server.url))[i].clone();
        let fresh = dir.path().join(format!("fresh-{i}.mp4"));
        let err = t.download_to("video_1", None, &fresh).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{}: {err:?}", t.name());
        assert!(!fresh.exists(), "{}: no partial file at the target", t.name());

        let existing = dir.path().join(format!("existing-{i}.mp4"));
        std::fs::write(&existing, b"the previous, complete video").unwrap();
        let server = RawServer::start(vec![Step::short("video/mp4", 1_000_000, &content(1000))]).await;
        let t = both(&config(&server.url))[i].clone();
        t.download_to("video_1", None, &existing).await.unwrap_err();
        assert_eq!(std::fs::read(&existing).unwrap(), b"the previous, complete video", "{}", t.name());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only the two pre-existing files: {leftovers:?}");
}

#[tokio::test]
async fn a_download_of_an_unfinished_job_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .respond_with(ResponseTemplate::new(404).set_body_json(error_json(
                "Video is not ready yet",
                "invalid_request_error",
                None,
            )))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let target = dir.path().join("v.mp4");
        let err = t.download_to("video_1", None, &target).await.unwrap_err();
        assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound));
        assert!(err.to_string().contains("Video is not ready yet"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{}", t.name());
    }
}

#[tokio::test]
async fn a_cross_host_redirect_does_not_carry_the_key() {
    for i in 0..2 {
        let cdn = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/signed/video.mp4"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b"MP4 bytes".to_vec(), "video/mp4"))
            .mount(&cdn)
            .await;
        let gateway = MockServer::start().await;
        // Another host name for the same machine: a different origin.
        let elsewhere = format!("http://localhost:{}/signed/video.mp4?sig=abc", cdn.address().port());
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", elsewhere.as_str()))
            .mount(&gateway)
            .await;
        let config = config(&gateway.uri()).with_organization("org-secret").with_project("proj-secret");
        let t = both(&config)[i].clone();
        let (_, bytes) = t.download_bytes("video_1", None).await.unwrap();
        assert_eq!(bytes, b"MP4 bytes");

        let at_gateway = gateway.received_requests().await.unwrap();
        assert!(at_gateway[0].headers.get("authorization").is_some(), "the gateway gets the key");
        let at_cdn = cdn.received_requests().await.unwrap();
        assert_eq!(at_cdn.len(), 1);
        for name in ["authorization", "openai-organization", "openai-project"] {
            assert!(at_cdn[0].headers.get(name).is_none(), "{}: {name} leaked across hosts", t.name());
        }
        assert_eq!(at_cdn[0].url.query(), Some("sig=abc"));
    }
}

#[tokio::test]
async fn a_same_host_redirect_keeps_the_key() {
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .respond_with(ResponseTemplate::new(307).insert_header("location", "/files/video_1.mp4"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/files/video_1.mp4"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b"same host".to_vec(), "video/mp4"))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let (_, bytes) = t.download_bytes("video_1", None).await.unwrap();
        assert_eq!(bytes, b"same host");
        let requests = server.received_requests().await.unwrap();
        assert!(requests[1].headers.get("authorization").is_some(), "{}", t.name());
    }
}
