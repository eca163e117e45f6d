//! 3,000 sequential retrieves against the local bench server, through the
//! SDK (`sdk`) or bare reqwest doing the same GET and parse (`bare`), on one
//! thread. Made for counting instructions, which is repeatable where time is not:
//!
//! ```sh
//! cargo build --release -p videos-tests --example retrieve_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/retrieve_loop sdk
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/retrieve_loop bare
//! ```
//!
//! Both totals include the server and start-up; their difference divided by
//! 3,000 is the SDK's cost per call.

use std::time::Duration;

use videos_tests::bench_server::{BenchServer, bare_retrieve};

const CALLS: usize = 3_000;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    assert!(which == "sdk" || which == "bare", "usage: retrieve_loop sdk|bare");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let server = BenchServer::start().await;
        let config =
            videos_core::Config::new("sk-bench").with_base_url(&format!("{}/v1", server.url)).expect("base url");
        let sdk = videos_reqwest::Client::new(config).expect("client").videos();
        // The same settings the SDK uses (a timeout costs a timer per request in either client).
        let bare = reqwest::Client::builder().timeout(Duration::from_secs(600)).build().expect("bare client");
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
