//! Transport benchmarks against a local server on 127.0.0.1.
//!
//! Run: `cargo bench -p videos-tests --bench transport` (add `-- quick` for
//! shorter rounds). Each comparison runs the SDK and a bare baseline in
//! back-to-back pairs, alternating which goes first, and quotes the median
//! of the pairs' ratios. Two baselines answer two questions: a bare client
//! with its defaults (what a user would write instead) and one with the
//! SDK's settings (what the SDK's own code costs).
//! Memory is the peak RSS (VmHWM) of a child process that does only the
//! client's work, while the server runs in this process.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use videos_core::{Config, CreateVideo, FilePart, InputReference};
use videos_tests::bench_server::{BenchServer, bare_retrieve, bare_ureq_retrieve, ureq_agent_with_sdk_timeouts};
use videos_tests::measure::{median, status_kib};

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

/// One paired comparison of async retrieves: the SDK against `bare` (a
/// reqwest client plus the same GET and a serde parse into `Video`).
fn async_pairs(sdk: &videos_reqwest::Videos, bare: &reqwest::Client, target: &str) -> (f64, f64, f64) {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
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
                let (b, t) = (bare.clone(), target.to_owned());
                runtime.block_on(throughput(move || {
                    let (b, t) = (b.clone(), t.clone());
                    async move {
                        std::hint::black_box(bare_retrieve(&b, &t).await);
                    }
                }))
            }
        })
    })
}

async fn async_retrieve(url: &str) {
    let sdk = videos_reqwest::Client::new(config(url)).expect("client").videos();
    let target = format!("{url}/v1/videos/video_bench");
    // What a user would write instead: a client with reqwest's defaults.
    let defaults = reqwest::Client::new();
    let (o, b, ratio) = async_pairs(&sdk, &defaults, &target);
    println!(
        "retrieve, async, concurrency {CONCURRENCY}: videos-reqwest {o:.0} req/s, bare reqwest with its defaults {b:.0} req/s, ratio {ratio:.3} (median of paired rounds)"
    );
    // The SDK's own settings on a bare client: what the SDK's code costs, apart from its choices.
    let same = reqwest::Client::builder()
        .connect_timeout(videos_core::config::DEFAULT_CONNECT_TIMEOUT)
        .timeout(videos_core::config::DEFAULT_REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .build()
        .expect("bare client");
    let (o, b, ratio) = async_pairs(&sdk, &same, &target);
    println!(
        "retrieve, async, concurrency {CONCURRENCY}: videos-reqwest {o:.0} req/s, bare reqwest with the SDK's settings {b:.0} req/s, ratio {ratio:.3} (median of paired rounds)"
    );
}

fn blocking_retrieve(url: &str) {
    let sdk = videos_blocking::Client::new(config(url)).expect("client").videos();
    // What a user would write instead: one reused agent with ureq's defaults.
    let defaults = ureq::Agent::new_with_defaults();
    // The SDK's timeouts on a bare agent, set the simple way (one global limit).
    let same: ureq::Agent = ureq::Agent::config_builder()
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
    // The SDK's timeouts on a bare agent, set per phase as the SDK sets them
    // (ureq's timeouts cost a bare agent too: the fair same-settings baseline).
    let phased = ureq_agent_with_sdk_timeouts();
    for (name, agent) in [
        ("with its defaults", &defaults),
        ("with the SDK's timeouts per phase", &phased),
        ("with a global timeout", &same),
    ] {
        let (o, b, ratio) = paired(|sdk_side| {
            if sdk_side {
                rate(&|| {
                    std::hint::black_box(sdk.retrieve("video_bench").expect("retrieve"));
                })
            } else {
                rate(&|| {
                    std::hint::black_box(bare_ureq_retrieve(agent, &target));
                })
            }
        });
        println!(
            "retrieve, blocking, sequential: videos-blocking {o:.0} req/s, bare ureq {name} {b:.0} req/s, ratio {ratio:.3} (median of paired rounds)"
        );
    }
}

/// Child process: download `len` bytes to `path` the `how` way, print bytes, seconds and peak RSS.
async fn child_download(how: &str, url: &str, len: u64, path: &Path) {
    use tokio::io::AsyncWriteExt;
    let started = Instant::now();
    let written = match how {
        "sdk" | "sdk-unsynced" => {
            let durability =
                if how == "sdk" { videos_core::Durability::Synced } else { videos_core::Durability::Unsynced };
            let videos =
                videos_reqwest::Client::new(config(url).with_download_durability(durability)).expect("client").videos();
            videos.download_to(&format!("bytes-{len}"), None, path).await.expect("download")
        }
        // What a user would write instead: reqwest's defaults, each chunk written as it comes.
        "bare" | "bare-fsync" => {
            let mut response = reqwest::Client::new()
                .get(format!("{url}/v1/videos/bytes-{len}/content"))
                .bearer_auth("sk-bench")
                .send()
                .await
                .expect("send");
            let mut file = tokio::fs::File::create(path).await.expect("create");
            let mut written = 0u64;
            while let Some(chunk) = response.chunk().await.expect("chunk") {
                file.write_all(&chunk).await.expect("write");
                written += chunk.len() as u64;
            }
            file.flush().await.expect("flush");
            if how == "bare-fsync" {
                file.sync_all().await.expect("fsync");
            }
            written
        }
        other => panic!("unknown download side {other}"),
    };
    let secs = started.elapsed().as_secs_f64();
    println!("{written} {secs} {}", status_kib("VmHWM"));
}

/// One download in a child process: (MiB/s, peak RSS in MiB).
fn download_once(exe: &Path, how: &str, url: &str, len: u64, path: &Path) -> (f64, f64) {
    let out = Command::new(exe).args(["child-download", how, url, &len.to_string()]).arg(path).output().expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    assert_eq!(fields.len(), 3, "child said: {text} {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_file(path);
    (fields[0] / fields[1] / (1 << 20) as f64, fields[2] / 1024.0)
}

/// The SDK's download against bare reqwest streaming into a file, with and
/// without the sync to disk on both sides, paired and alternating.
fn downloads(url: &str, dir: &Path) {
    let exe = std::env::current_exe().expect("exe");
    let len: u64 = if quick() { 256 << 20 } else { 1 << 30 };
    let path = dir.join("download.mp4");
    let mut peak: f64 = 0.0;
    for (ours, base, label) in
        [("sdk", "bare-fsync", "synced (fsync) on both sides"), ("sdk-unsynced", "bare", "no sync on either side")]
    {
        let (o, b, ratio) = paired(|sdk_side| {
            let (rate, rss) = download_once(&exe, if sdk_side { ours } else { base }, url, len, &path);
            if sdk_side {
                peak = peak.max(rss);
            }
            rate
        });
        println!(
            "download {} MiB to a file, {label}: videos-reqwest {o:.0} MiB/s, bare reqwest {b:.0} MiB/s, ratio {ratio:.3} (median of paired rounds; time ratio {:.3})",
            len >> 20,
            1.0 / ratio
        );
    }
    println!("download: the SDK's peak RSS {peak:.1} MiB");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Some(i) = args.iter().position(|a| a == "child-download") {
        let (how, url, len, path) =
            (&args[i + 1], &args[i + 2], args[i + 3].parse().expect("len"), Path::new(&args[i + 4]));
        runtime.block_on(child_download(how, url, len, path));
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

    // `-- only async` (or `blocking`, `transfers`) runs one part.
    let only = args.iter().position(|a| a == "only").and_then(|i| args.get(i + 1)).map(String::as_str);
    let part = |name: &str| only.is_none_or(|o| o == name);
    let server = runtime.block_on(BenchServer::start());
    if part("async") {
        runtime.block_on(async_retrieve(&server.url));
    }
    if part("blocking") {
        let url = server.url.clone();
        std::thread::spawn(move || blocking_retrieve(&url)).join().expect("blocking bench");
    }
    if !part("transfers") {
        return;
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let exe = std::env::current_exe().expect("exe");
    downloads(&server.url, dir.path());

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
