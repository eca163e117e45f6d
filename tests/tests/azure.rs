//! Both clients and the CLI against the emulator in Azure mode: an `api-key`
//! key, a token provider whose token rotates, `api-version` on every
//! request, `apim-request-id`, and media behind a redirect to another origin
//! that refuses any credential.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use videos_core::{Config, CreateVideo, Error, RetryPolicy};
use videos_emulator::{AzureMode, Emulator, EmulatorConfig};
use videos_tests::transport::both;
use videos_types::VideoStatus;

const VERSION: &str = "2025-04-01-preview";

async fn azure_emulator(key: &str) -> Emulator {
    let config = EmulatorConfig {
        api_key: Some(key.to_owned()),
        azure: Some(AzureMode { api_version: Some(VERSION.to_owned()), strict_blobs: true }),
        ..EmulatorConfig::fast()
    };
    Emulator::start(config).await.expect("emulator starts")
}

fn quick(config: Config) -> Config {
    config.with_retry(RetryPolicy::none()).with_timeouts(Duration::from_secs(2), Duration::from_secs(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_azure_key_creates_polls_and_downloads_through_a_redirect_to_another_origin() {
    let emulator = azure_emulator("az-key").await;
    let config =
        quick(Config::azure(&emulator.endpoint()).unwrap().with_azure_api_key("az-key").with_api_version(VERSION));
    for t in both(&config) {
        let video = t.create_and_poll(CreateVideo::new("a lighthouse in the fog")).await.unwrap();
        assert_eq!(video.status, Some(VideoStatus::Completed), "{}", t.name());
        // The content answer is a redirect to the blob origin, which answers 403
        // to any request carrying `api-key` or `authorization`.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        let written = t.download_to(&video.id, None, &path).await.unwrap();
        let media = videos_emulator::render::probe(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!((written > 0, media.duration_ms), (true, 4000), "{}", t.name());
        // Errors carry Azure's request id.
        let err = t.retrieve("video_missing").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        assert!(err.request_id().is_some_and(|id| id.starts_with("req_")), "{}: {err}", t.name());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_version_is_required_and_the_key_goes_one_way() {
    let emulator = azure_emulator("az-key").await;
    let without_version = quick(Config::azure(&emulator.endpoint()).unwrap().with_azure_api_key("az-key"));
    let bearer_only =
        quick(Config::azure(&emulator.endpoint()).unwrap().with_api_key("wrong").with_api_version(VERSION));
    for i in 0..2 {
        let t = both(&without_version)[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!((api.status.as_u16(), api.code.as_deref()), (400, Some("missing_api_version")), "{}", t.name());
        let t = both(&bearer_only)[i].clone();
        let err = t.retrieve("video_1").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", t.name());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_provider_is_asked_again_and_follows_a_rotation() {
    let emulator = azure_emulator("token-1").await;
    let current = Arc::new(Mutex::new("token-1".to_owned()));
    let asked = Arc::new(Mutex::new(0usize));
    let provider = {
        let (current, asked) = (current.clone(), asked.clone());
        move || {
            *asked.lock().unwrap() += 1;
            Ok(current.lock().unwrap().clone())
        }
    };
    let config =
        quick(Config::azure(&emulator.endpoint()).unwrap().with_token_provider(provider).with_api_version(VERSION));
    let stale = quick(Config::azure(&emulator.endpoint()).unwrap().with_api_key("token-1").with_api_version(VERSION));
    for (i, t) in both(&config).into_iter().enumerate() {
        let first = t.create(CreateVideo::new("first")).await.unwrap();
        // The token expires; the service now accepts only the new one.
        let next = format!("token-{}", i + 2);
        emulator.set_api_key(Some(next.clone()));
        *current.lock().unwrap() = next;
        t.retrieve(&first.id).await.unwrap();
        let err = both(&stale)[i].retrieve(&first.id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "the old token is refused: {}", t.name());
    }
    assert_eq!(*asked.lock().unwrap(), 4, "asked once per call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_token_provider_serves_the_async_client_and_is_refused_by_the_blocking_one() {
    let emulator = azure_emulator("async-token").await;
    let config = quick(
        Config::azure(&emulator.endpoint())
            .unwrap()
            .with_async_token_provider(|| Box::pin(async { Ok("async-token".to_owned()) }))
            .with_api_version(VERSION),
    );
    let client = videos_reqwest::Client::new(config.clone()).unwrap();
    client.videos().create(CreateVideo::new("async")).await.unwrap();
    let err = videos_blocking::Client::new(config).unwrap_err();
    assert!(err.to_string().contains("token_provider"), "{err}");
    // A provider that fails ends the call before anything is sent.
    let failing = Config::azure(&emulator.endpoint()).unwrap().with_token_provider(|| Err("no identity".into()));
    for t in both(&failing) {
        let err = t.retrieve("video_1").await.unwrap_err();
        assert!(matches!(err, Error::Credential(_)), "{}: {err:?}", t.name());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_own_http_client_still_gets_the_sdks_rules() {
    // A default ureq agent treats 4xx as errors and follows redirects itself
    // (forwarding `api-key` to the media origin); the SDK configures every
    // request it sends through a caller's agent so neither happens.
    let emulator = azure_emulator("az-key").await;
    let config =
        quick(Config::azure(&emulator.endpoint()).unwrap().with_azure_api_key("az-key").with_api_version(VERSION));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let transports = [
        videos_tests::transport::Transport::Async(
            videos_reqwest::Client::with_http_client(config.clone(), http).unwrap(),
        ),
        videos_tests::transport::Transport::Blocking(
            videos_blocking::Client::with_agent(config, ureq::Agent::new_with_defaults()).unwrap(),
        ),
    ];
    for t in transports {
        let video = t.create_and_poll(CreateVideo::new("through the caller's client")).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        t.download_to(&video.id, None, &path).await.unwrap();
        let err = t.retrieve("video_missing").await.unwrap_err();
        assert!(matches!(&err, Error::Api(api) if api.status.as_u16() == 404), "{}: {err:?}", t.name());
    }
}
