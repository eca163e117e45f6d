//! Transport benchmarks against a local server on 127.0.0.1.
//!
//! Run: `cargo bench -p videos-tests --bench transport` (add `-- quick` for
//! shorter rounds). Each throughput figure is the median of three rounds,
//! SDK and bare baseline alternating, so both see the same machine state.
//! Memory is the peak RSS (VmHWM) of a child process that does only the
//! client's work, while the server runs in this process.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use videos_core::{Config, CreateVideo, FilePart, InputReference};
use videos_tests::bench_server::{BenchServer, bare_retrieve};
use videos_tests::measure::{median, status_kib};
use videos_types::Video;

const CONCURRENCY: usize = 64;

fn quick() -> bool {
    std::env::args().any(|a| a == "quick")
}

fn round_length() -> Duration {
    if quick() { Duration::from_millis(500) } else { Duration::from_secs(2) }
}

/// Rounds per comparison. The machine is noisy, so rounds are short, many,
/// and paired: each pair measures both sides back to back (in alternating
/// order) and the reported ratio is the median of the pairs' ratios.
fn rounds() -> usize {
    if quick() { 3 } else { 9 }
}

/// Runs `ours` and `base` in `rounds()` back-to-back pairs; returns the median
/// rates and the median pairwise ratio.
fn paired(mut measure: impl FnMut(bool) -> f64) -> (f64, f64, f64) {
    let (mut ours, mut base, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds() {
        let (o, b) = if round % 2 == 0 {
            let b = measure(false);
            (measure(true), b)
        } else {
            let o = measure(true);
            (o, measure(false))
        };
        eprintln!("  round {round}: ours {o:.0}/s, base {b:.0}/s, ratio {:.3}", o / b);
        ours.push(o);
        base.push(b);
        ratios.push(o / b);
    }
    (median(ours), median(base), median(ratios))
}

fn config(url: &str) -> Config {
    Config::new("sk-bench").with_base_url(&format!("{url}/v1")).expect("base url")
}

/// Requests per second for `CONCURRENCY` tasks each running `call` in a loop.
async fn throughput<F, Fut>(call: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + round_length();
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (call, done) = (call.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    call().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("bench task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

async fn async_retrieve(url: &str) {
    let sdk = videos_reqwest::Client::new(config(url)).expect("client").videos();
    // The same client settings the SDK uses: timeouts, no redirects, no Nagle.
    let bare = reqwest::Client::builder()
        .connect_timeout(videos_core::config::DEFAULT_CONNECT_TIMEOUT)
        .timeout(videos_core::config::DEFAULT_REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .build()
        .expect("bare client");
    let target = format!("{url}/v1/videos/video_bench");
    let runtime = tokio::runtime::Handle::current();
    let (o, b, ratio) = tokio::task::block_in_place(|| {
        paired(|sdk_side| {
            if sdk_side {
                let s = sdk.clone();
                runtime.block_on(throughput(move || {
                    let s = s.clone();
                    async move {
                        std::hint::black_box(s.retrieve("video_bench").await.expect("retrieve"));
                    }
                }))
            } else {
                let (b, t) = (bare.clone(), target.clone());
                runtime.block_on(throughput(move || {
                    let (b, t) = (b.clone(), t.clone());
                    async move {
                        std::hint::black_box(bare_retrieve(&b, &t).await);
                    }
                }))
            }
        })
    });
    println!(
        "retrieve, async, concurrency {CONCURRENCY}: videos-reqwest {o:.0} req/s, bare reqwest {b:.0} req/s, ratio {ratio:.3} (median of paired rounds)"
    );
}

fn blocking_retrieve(url: &str) {
    let sdk = videos_blocking::Client::new(config(url)).expect("client").videos();
    // The same agent settings the SDK uses (timeouts cost ureq a few syscalls per request).
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(videos_core::config::DEFAULT_CONNECT_TIMEOUT))
        .timeout_global(Some(videos_core::config::DEFAULT_REQUEST_TIMEOUT))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into();
    let target = format!("{url}/v1/videos/video_bench");
    let rate = |f: &dyn Fn()| {
        let (started, mut n) = (Instant::now(), 0u64);
        while started.elapsed() < round_length() {
            f();
            n += 1;
        }
        n as f64 / started.elapsed().as_secs_f64()
    };
    let (o, b, ratio) = paired(|sdk_side| {
        if sdk_side {
            rate(&|| {
                std::hint::black_box(sdk.retrieve("video_bench").expect("retrieve"));
            })
        } else {
            rate(&|| {
                let mut resp = agent
                    .get(&target)
                    .header("authorization", "Bearer sk-bench")
                    .header("user-agent", "videos-rs/0.1.0")
                    .header("accept", "application/json")
                    .call()
                    .expect("call");
                let body = resp.body_mut().read_to_vec().expect("body");
                std::hint::black_box(serde_json::from_slice::<Video>(&body).expect("video"));
            })
        }
    });
    println!(
        "retrieve, blocking, sequential: videos-blocking {o:.0} req/s, bare ureq {b:.0} req/s, ratio {ratio:.3} (median of paired rounds)"
    );
}

/// Child process: download `len` bytes to `path` with the async client, print bytes, seconds and peak RSS.
async fn child_download(url: &str, len: u64, path: &Path) {
    let videos = videos_reqwest::Client::new(config(url)).expect("client").videos();
    let started = Instant::now();
    let written = videos.download_to(&format!("bytes-{len}"), None, path).await.expect("download");
    let secs = started.elapsed().as_secs_f64();
    println!("{written} {secs} {}", status_kib("VmHWM"));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Some(i) = args.iter().position(|a| a == "child-download") {
        let (url, len, path) = (&args[i + 1], args[i + 2].parse().expect("len"), Path::new(&args[i + 3]));
        runtime.block_on(child_download(url, len, path));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "child-upload") {
        let (url, path) = (&args[i + 1], Path::new(&args[i + 2]));
        runtime.block_on(async {
            let client = videos_reqwest::Client::new(config(url)).expect("client");
            let started = Instant::now();
            let params = CreateVideo::new("upload bench")
                .input_reference(InputReference::Upload(FilePart::from_path(path).expect("file")));
            client.videos().create(params).await.expect("upload");
            println!("{} {}", started.elapsed().as_secs_f64(), status_kib("VmHWM"));
        });
        return;
    }
    if args.iter().any(|a| a == "serve") {
        // For tests/benches/compare_revisions.py: serve until stdin closes.
        let server = runtime.block_on(BenchServer::start());
        println!("{}", server.url);
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
        return;
    }
    if !args.iter().any(|a| a == "--bench" || a == "quick") {
        // `cargo test` runs bench targets with no arguments: do nothing there.
        return;
    }

    let server = runtime.block_on(BenchServer::start());
    runtime.block_on(async_retrieve(&server.url));
    let url = server.url.clone();
    std::thread::spawn(move || blocking_retrieve(&url)).join().expect("blocking bench");

    let dir = tempfile::tempdir().expect("tempdir");
    let exe = std::env::current_exe().expect("exe");
    let gib: u64 = 1 << 30;
    let mut sdk_rates = Vec::new();
    let mut curl_rates = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..3 {
        let out = Command::new(&exe)
            .args(["child-download", &server.url, &gib.to_string()])
            .arg(dir.path().join("sdk.mp4"))
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        assert_eq!(fields.len(), 3, "child said: {text} {}", String::from_utf8_lossy(&out.stderr));
        sdk_rates.push(fields[0] / fields[1] / (1 << 20) as f64);
        rss.push(fields[2] / 1024.0);
        let started = Instant::now();
        let status = Command::new("curl")
            .args(["-s", "-o"])
            .arg(dir.path().join("curl.mp4"))
            .arg(format!("{}/v1/videos/bytes-{gib}/content", server.url))
            .status()
            .expect("curl");
        assert!(status.success());
        curl_rates.push(gib as f64 / started.elapsed().as_secs_f64() / (1 << 20) as f64);
    }
    let (s, c) = (median(sdk_rates), median(curl_rates));
    println!(
        "download 1 GiB to a file: videos-reqwest {s:.0} MiB/s (peak RSS {:.1} MiB), curl -o {c:.0} MiB/s, ratio {:.3}",
        median(rss),
        s / c
    );

    let upload = dir.path().join("upload.bin");
    let file = std::fs::File::create(&upload).expect("create");
    file.set_len(200 << 20).expect("size");
    drop(file);
    let out = Command::new(&exe).args(["child-upload", &server.url]).arg(&upload).output().expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    assert_eq!(fields.len(), 2, "child said: {text} {}", String::from_utf8_lossy(&out.stderr));
    println!(
        "upload 200 MiB: {:.0} MiB/s, peak RSS {:.1} MiB (server counted {} bytes)",
        200.0 / fields[0],
        fields[1] / 1024.0,
        server.uploaded()
    );
}
