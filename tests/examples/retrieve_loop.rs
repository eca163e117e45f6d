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
//!   `ureq::Agent::new_with_defaults()` with the same GET and parse.
//!
//! Every total includes the server and start-up; the difference of two
//! totals divided by 3,000 is one side's extra cost per call.

use std::time::Duration;

use videos_tests::bench_server::{BenchServer, bare_retrieve, bare_ureq_retrieve};

const CALLS: usize = 3_000;

const SIDES: &[&str] =
    &["sdk", "bare-defaults", "bare-same", "blocking-sdk", "blocking-bare-defaults", "blocking-bare-same"];

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    assert!(SIDES.contains(&which.as_str()), "usage: retrieve_loop {}", SIDES.join("|"));
    if which.starts_with("blocking") {
        return blocking(&which);
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
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
        for _ in 0..CALLS {
            if which == "sdk" {
                std::hint::black_box(sdk.retrieve("video_bench").await.expect("retrieve"));
            } else {
                std::hint::black_box(bare_retrieve(&bare, &url).await);
            }
        }
    });
}

/// The blocking sides: the server on a runtime thread, the client on this one.
fn blocking(which: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let server = runtime.block_on(BenchServer::start());
    let config = videos_core::Config::new("sk-bench").with_base_url(&format!("{}/v1", server.url)).expect("base url");
    let sdk = videos_blocking::Client::new(config).expect("client").videos();
    let agent = match which {
        "blocking-bare-same" => blocking_same_agent(),
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

/// A bare agent with the SDK's timeouts, set per phase as the SDK sets them.
fn blocking_same_agent() -> ureq::Agent {
    use videos_core::config::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
    ureq::Agent::config_builder()
        .timeout_connect(Some(DEFAULT_CONNECT_TIMEOUT))
        .timeout_send_request(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_send_body(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_recv_response(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_recv_body(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_per_read(Some(DEFAULT_READ_TIMEOUT))
        .build()
        .into()
}
