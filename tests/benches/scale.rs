//! How the SDK's cost grows with the work: `list_all` over listings of
//! 1,000 to 100,000 videos (peak memory should not grow with the count),
//! many `create_and_poll` jobs at once on one runtime (memory and requests
//! per job), and the same jobs through `create_many` (requests per job with
//! list refresh, against one retrieve per job per poll interval).
//!
//! Run: `cargo bench -p videos-tests --bench scale` (`-- jobs` for the job parts only). Each measurement runs
//! in a child process that does only the client's side, and reads its peak
//! RSS (VmHWM); servers run in this process, on 127.0.0.1.

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use videos_core::{Config, CreateVideo, ListVideos};
use videos_emulator::{Emulator, EmulatorConfig};
use videos_tests::bench_server::BenchServer;
use videos_tests::measure::status_kib;

/// Child: walks a listing of `total` videos with `list_all`, counting them.
async fn child_list(url: &str, total: usize) {
    let config = Config::new("sk-bench").with_base_url(&format!("{url}/v1")).expect("base url");
    let videos = videos_reqwest::Client::new(config).expect("client").videos().with_query("total", &total.to_string());
    let mut params = ListVideos::new();
    params.limit = Some(100);
    let started = Instant::now();
    let mut seen = 0usize;
    let mut all = std::pin::pin!(videos.list_all(params));
    while let Some(video) = all.next().await {
        std::hint::black_box(video.expect("video"));
        seen += 1;
    }
    println!("{seen} {} {}", started.elapsed().as_secs_f64(), status_kib("VmHWM"));
}

/// Child: `jobs` create_and_poll calls at once on one runtime.
async fn child_jobs(url: &str, jobs: usize) {
    let config = Config::new("sk-bench").with_base_url(url).expect("base url");
    let client = videos_reqwest::Client::new(config).expect("client");
    let videos = client.videos();
    let before = status_kib("VmRSS");
    let started = Instant::now();
    let tasks: Vec<_> = (0..jobs)
        .map(|i| {
            let videos = videos.clone();
            tokio::spawn(async move { videos.create_and_poll(CreateVideo::new(format!("job {i}"))).await })
        })
        .collect();
    let mut completed = 0;
    for task in tasks {
        if task.await.expect("task").expect("job").status.is_some_and(|s| s.as_str() == "completed") {
            completed += 1;
        }
    }
    let sent = client.pace_stats().sent;
    println!("{completed} {} {before} {} {sent}", started.elapsed().as_secs_f64(), status_kib("VmHWM"));
}

/// Child: `jobs` jobs through one `create_many`, at most `concurrency` in progress.
async fn child_many(url: &str, jobs: usize, concurrency: usize) {
    let config = Config::new("sk-bench").with_base_url(url).expect("base url");
    let client = videos_reqwest::Client::new(config).expect("client");
    let items = (0..jobs).map(|i| videos_core::ManyItem::new(CreateVideo::new(format!("many {i}")))).collect();
    let options = videos_core::ManyOptions { concurrency, ..videos_core::ManyOptions::default() };
    let before = status_kib("VmRSS");
    let started = Instant::now();
    let outcomes: Vec<_> = client.videos().create_many(items, options, |_| {}).collect().await;
    let completed = outcomes.iter().filter(|o| matches!(o, videos_core::JobOutcome::Completed { .. })).count();
    let sent = client.pace_stats().sent;
    println!("{completed} {} {before} {} {sent}", started.elapsed().as_secs_f64(), status_kib("VmHWM"));
}

fn run_child(args: &[String]) -> Vec<f64> {
    let exe = std::env::current_exe().expect("exe");
    let out = Command::new(exe).args(args).output().expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    assert!(fields.len() >= 3, "child said: {text} {}", String::from_utf8_lossy(&out.stderr));
    fields
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Some(i) = args.iter().position(|a| a == "child-list") {
        return runtime.block_on(child_list(&args[i + 1], args[i + 2].parse().expect("total")));
    }
    if let Some(i) = args.iter().position(|a| a == "child-jobs") {
        return runtime.block_on(child_jobs(&args[i + 1], args[i + 2].parse().expect("jobs")));
    }
    if let Some(i) = args.iter().position(|a| a == "child-many") {
        let (jobs, concurrency) = (args[i + 2].parse().expect("jobs"), args[i + 3].parse().expect("concurrency"));
        return runtime.block_on(child_many(&args[i + 1], jobs, concurrency));
    }
    if !args.iter().any(|a| a == "--bench") {
        return; // `cargo test` runs bench targets with no arguments.
    }

    // `-- jobs` runs only the parts with jobs.
    let lists = !args.iter().any(|a| a == "jobs");
    let server = runtime.block_on(BenchServer::start());
    for total in [1_000usize, 10_000, 100_000].into_iter().filter(|_| lists) {
        let f = run_child(&["child-list".into(), server.url.clone(), total.to_string()]);
        assert_eq!(f[0] as usize, total, "every video listed");
        println!(
            "list_all over {total} videos: {:.2} s ({:.0} videos/s), client peak RSS {:.1} MiB",
            f[1],
            f[0] / f[1],
            f[2] / 1024.0
        );
    }

    // Jobs that take 2 s each, media never rendered: the emulator stays light.
    let config = EmulatorConfig {
        time_per_video_second: Duration::from_millis(500),
        render_ahead: false,
        max_jobs: 100_000,
        ..EmulatorConfig::default()
    };
    let emulator = runtime.block_on(Emulator::start(config)).expect("emulator");
    for jobs in [10usize, 1_000] {
        let f = run_child(&["child-jobs".into(), emulator.base_url(), jobs.to_string()]);
        assert_eq!(f[0] as usize, jobs, "every job completed");
        println!(
            "{jobs} concurrent create_and_poll: {:.2} s, client RSS {:.1} MiB before, peak {:.1} MiB, {:.1} KiB per job",
            f[1],
            f[2] / 1024.0,
            f[3] / 1024.0,
            (f[3] - f[2]) / jobs as f64
        );
        println!("  requests: {:.0} ({:.2} per job)", f[4], f[4] / jobs as f64);
    }
    // The same 1,000 jobs through create_many, 100 in progress at once.
    let f = run_child(&["child-many".into(), emulator.base_url(), "1000".into(), "100".into()]);
    assert_eq!(f[0] as usize, 1000, "every job completed");
    println!(
        "1000 jobs through create_many (100 in progress): {:.2} s, requests: {:.0} ({:.2} per job)",
        f[1],
        f[4],
        f[4] / 1000.0
    );
}
