//! 3,000 sequential retrieves against the local bench server, through one
//! client, for counting instructions, which is repeatable where time is not:
//!
//! ```sh
//! cargo build --release -p videos-tests --example retrieve_loop
//! for side in sdk bare-defaults bare-same blocking-sdk blocking-bare-defaults; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/retrieve_loop $side
//! done
//! ```
//!
//! - `sdk`: videos-reqwest; `bare-defaults`: `reqwest::Client::new()` doing
//!   the same GET and serde parse (what a user would write instead);
//!   `bare-same`: bare reqwest with the SDK's 600 s request timeout.
//! - `blocking-sdk`: videos-blocking; `blocking-bare-defaults`:
//!   `ureq::Agent::new_with_defaults()` with the same GET and parse;
//!   `blocking-bare-same`: a bare agent with the SDK's timeouts per phase.
//!
//! Every total includes the server and start-up; the difference of two
//! totals divided by 3,000 is one side's extra cost per call.
//!
//! `retrieve_loop SIDE c64` runs an async side as 64 tasks of 46 retrieves
//! (2,944 in all) on two worker threads instead. Valgrind runs the threads
//! one at a time, so the count is the work done, scheduling included, not
//! the waiting.

use std::time::Duration;

use videos_tests::bench_server::{BenchServer, bare_retrieve, bare_ureq_retrieve, ureq_agent_with_sdk_timeouts};

const CALLS: usize = 3_000;

const SIDES: &[&str] =
    &["sdk", "bare-defaults", "bare-same", "blocking-sdk", "blocking-bare-defaults", "blocking-bare-same"];

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    assert!(SIDES.contains(&which.as_str()), "usage: retrieve_loop {}", SIDES.join("|"));
    if which.starts_with("blocking") {
        return blocking(&which);
    }
    let concurrent = std::env::args().nth(2).as_deref() == Some("c64");
    let runtime = if concurrent {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
    };
    runtime.block_on(async {
        let server = BenchServer::start().await;
        let config =
            videos_core::Config::new("sk-bench").with_base_url(&format!("{}/v1", server.url)).expect("base url");
        let sdk = videos_reqwest::Client::new(config).expect("client").videos();
        let bare = match which.as_str() {
            "bare-same" => reqwest::Client::builder().timeout(Duration::from_secs(600)).build().expect("bare client"),
            _ => reqwest::Client::new(),
        };
        let url = format!("{}/v1/videos/video_bench", server.url);
        if concurrent {
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let (sdk, bare, url, which) = (sdk.clone(), bare.clone(), url.clone(), which.clone());
                    tokio::spawn(async move {
                        for _ in 0..CALLS / 64 {
                            retrieve(&which, &sdk, &bare, &url).await;
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
            return;
        }
        for _ in 0..CALLS {
            retrieve(&which, &sdk, &bare, &url).await;
        }
    });
}

/// One async retrieve by `which` side.
async fn retrieve(which: &str, sdk: &videos_reqwest::Videos, bare: &reqwest::Client, url: &str) {
    if which == "sdk" {
        std::hint::black_box(sdk.retrieve("video_bench").await.expect("retrieve"));
    } else {
        std::hint::black_box(bare_retrieve(bare, url).await);
    }
}

/// The blocking sides: the server on a runtime thread, the client on this one.
fn blocking(which: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let server = runtime.block_on(BenchServer::start());
    let config = videos_core::Config::new("sk-bench").with_base_url(&format!("{}/v1", server.url)).expect("base url");
    let sdk = videos_blocking::Client::new(config).expect("client").videos();
    let agent = match which {
        "blocking-bare-same" => ureq_agent_with_sdk_timeouts(),
        _ => ureq::Agent::new_with_defaults(),
    };
    let url = format!("{}/v1/videos/video_bench", server.url);
    for _ in 0..CALLS {
        if which == "blocking-sdk" {
            std::hint::black_box(sdk.retrieve("video_bench").expect("retrieve"));
        } else {
            std::hint::black_box(bare_ureq_retrieve(&agent, &url));
        }
    }
}
