//! Both clients against the emulator's limits: a window of requests that
//! counts refusals too, and a cap on jobs in progress. Jobs are waited for
//! through refusals, creates wait their turn with one key, and the
//! emulator's answers carry the `x-ratelimit-*` headers the clients learn from.

use std::time::Duration;

use videos_core::{CreateVideo, RetryPolicy};
use videos_emulator::{Emulator, EmulatorConfig, Limits};
use videos_tests::transport::{Transport, config};
use videos_types::VideoStatus;

async fn limited(requests: u32, window_ms: u64, jobs: Option<u32>, retry_after: bool) -> Emulator {
    let limits = Limits {
        requests_per_window: Some(requests),
        window: Duration::from_millis(window_ms),
        max_jobs_in_progress: jobs,
        retry_after,
    };
    let config = EmulatorConfig { limits, time_per_video_second: Duration::from_millis(100), ..EmulatorConfig::fast() };
    Emulator::start(config).await.expect("emulator starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_carry_the_limit_and_refusals_count() {
    let emulator = limited(3, 60_000, None, false).await;
    let url = format!("http://{}/v1/videos", emulator.address());
    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let response = http.get(&url).bearer_auth("k").send().await.unwrap();
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        seen.push((
            response.status().as_u16(),
            header("x-ratelimit-limit-requests"),
            header("x-ratelimit-remaining-requests"),
            header("retry-after"),
        ));
        if response.status() == 429 {
            let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            assert_eq!(body["error"]["code"], "rate_limit_exceeded", "{body}");
            assert!(body["error"]["message"].as_str().unwrap().contains("Rate limit reached for requests"));
        }
    }
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        seen,
        [
            (200, s("3"), s("2"), None),
            (200, s("3"), s("1"), None),
            (200, s("3"), s("0"), None),
            (429, s("3"), s("0"), None),
            (429, s("3"), s("0"), None),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_may_say_when_to_come_back_and_jobs_in_progress_are_capped() {
    let emulator = limited(1, 5_000, Some(1), true).await;
    let url = format!("http://{}/v1/videos", emulator.address());
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).bearer_auth("k").send().await.unwrap().status(), 200);
    let refused = http.get(&url).bearer_auth("k").send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=5).contains(&wait), "{wait}");

    let emulator = limited(100, 60_000, Some(1), false).await;
    let url = format!("http://{}/v1/videos", emulator.address());
    let create = |prompt: &str| {
        let body = serde_json::json!({ "prompt": prompt }).to_string();
        http.post(&url).bearer_auth("k").header("content-type", "application/json").body(body)
    };
    assert_eq!(create("first").send().await.unwrap().status(), 200);
    let busy = create("second").send().await.unwrap();
    assert_eq!(busy.status(), 429);
    assert!(busy.headers().get("x-should-retry").is_none(), "a slot frees: worth retrying");
    let body: serde_json::Value = serde_json::from_slice(&busy.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "too_many_jobs_in_progress");
    // The first job takes 0.4 s; then there is room again.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(create("third").send().await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_poll_waits_through_the_limits_on_both_clients() {
    // 6 requests per 1.5 s window (240 a minute as the header states it), one job at a time,
    // no Retry-After: before, polling gave up on the first 429 after two quick retries.
    let emulator = limited(6, 1_500, Some(1), false).await;
    let base = format!("http://{}", emulator.address());
    // Waits as a real client's are, in proportion: the harness's 10 to 40 ms
    // backoff would spend the window on refusals (refused requests count).
    let mut config = config(&base).with_patience(Duration::from_secs(120));
    config.retry = RetryPolicy {
        max_retries: 2,
        initial_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(1),
        ..config.retry
    };
    let clients = [
        Transport::Async(videos_reqwest::Client::new(config.clone()).unwrap()),
        Transport::Blocking(videos_blocking::Client::new(config.clone()).unwrap()),
    ];
    let mut tasks = Vec::new();
    for client in clients {
        for i in 0..3 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let video = client.create_and_poll(CreateVideo::new(format!("job {i}"))).await;
                (client.name(), video)
            }));
        }
    }
    let mut ids = Vec::new();
    for task in tasks {
        let (name, video) = tokio::time::timeout(Duration::from_secs(120), task).await.expect("bounded").unwrap();
        let video = video.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(video.status, Some(VideoStatus::Completed), "{name}");
        ids.push(video.id);
    }
    // Six creates, six jobs: none made twice.
    let lister = videos_reqwest::Client::new(config).unwrap();
    let all: Vec<_> =
        futures_util::TryStreamExt::try_collect::<Vec<_>>(lister.videos().list_all(videos_core::ListVideos::new()))
            .await
            .unwrap();
    assert_eq!(all.len(), 6, "{:?}", all.iter().map(|v| &v.id).collect::<Vec<_>>());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6);
}
