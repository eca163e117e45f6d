//! Emulator benchmarks: retrieve throughput, memory per stored job, and the
//! CPU time to render a clip (the README's, and the largest the API made).
//!
//! Run: `cargo bench -p videos-tests --bench emulator` (add `-- quick` for a
//! shorter run). The emulator runs in this process on 127.0.0.1 and a reqwest
//! client at concurrency 64 loads it, so client and server share the two
//! cores: the figure is a floor for the server alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use videos_emulator::render::{RenderJob, render};
use videos_emulator::{Emulator, EmulatorConfig};
use videos_tests::measure::{median, status_kib};

fn quick() -> bool {
    std::env::args().any(|a| a == "quick")
}

/// This process's CPU time (user + system), from /proc: the render's own
/// thread and any its encoders start (the AAC encoder works on threads of
/// its own); the runtime is idle while it is read around a render.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

async fn retrieve_throughput(emulator: &Emulator, id: &str) -> f64 {
    let client = reqwest::Client::new();
    let url = format!("{}/videos/{id}", emulator.base_url());
    let done = Arc::new(AtomicU64::new(0));
    let length = if quick() { Duration::from_millis(1500) } else { Duration::from_secs(3) };
    let deadline = Instant::now() + length;
    let started = Instant::now();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (client, url, done) = (client.clone(), url.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let response = client.get(&url).bearer_auth("bench").send().await.expect("send");
                    assert!(response.status().is_success());
                    response.bytes().await.expect("body");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench" || a == "quick") {
        return; // `cargo test` runs bench targets without arguments: nothing to do.
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");

    // Render: one 4 s 720x1280 clip at the default 24 fps.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    for round in 0..3 {
        let job = RenderJob {
            segments: vec![(format!("A calico cat playing a piano on stage {round}"), 4)],
            title: format!("video_{round:032x}"),
            subtitle: "A calico cat playing a piano on stage".to_owned(),
            width: 720,
            height: 1280,
            fps: 24,
        };
        let (c0, w0) = (process_cpu(), Instant::now());
        render(&job, &dir.path().join(round.to_string())).expect("render");
        cpu.push((process_cpu() - c0).as_secs_f64());
        wall.push(w0.elapsed().as_secs_f64());
    }
    println!("render 4 s 720x1280 at 24 fps: CPU {:.2} s, wall {:.2} s (median of 3)", median(cpu), median(wall));

    // The largest clip as last served: 20 s of 1920x1080 (sora-2-pro), once.
    let job = RenderJob {
        segments: vec![("A lighthouse at dusk, waves below".to_owned(), 20)],
        title: format!("video_{:032x}", 7),
        subtitle: "A lighthouse at dusk, waves below".to_owned(),
        width: 1920,
        height: 1080,
        fps: 24,
    };
    let (c0, w0) = (process_cpu(), Instant::now());
    render(&job, &dir.path().join("largest")).expect("render");
    println!(
        "render 20 s 1920x1080 at 24 fps (the largest clip): CPU {:.2} s, wall {:.2} s",
        (process_cpu() - c0).as_secs_f64(),
        w0.elapsed().as_secs_f64()
    );

    runtime.block_on(async {
        let config = EmulatorConfig { max_jobs: 200_000, ..EmulatorConfig::fast() };
        let emulator = Emulator::start(config).await.expect("emulator");
        let client = reqwest::Client::new();
        let created: serde_json::Value = serde_json::from_slice(
            &client
                .post(format!("{}/videos", emulator.base_url()))
                .bearer_auth("bench")
                .header("content-type", "application/json")
                .body(r#"{"prompt":"[fail] a job that never renders"}"#)
                .send()
                .await
                .expect("create")
                .bytes()
                .await
                .expect("body"),
        )
        .expect("json");
        let id = created["id"].as_str().expect("id").to_owned();
        let rates: Vec<f64> = {
            let mut v = Vec::new();
            for _ in 0..3 {
                v.push(retrieve_throughput(&emulator, &id).await);
            }
            v
        };
        println!("emulator retrieve, concurrency 64: {:.0} req/s (median of 3; client in the same process)", median(rates));

        // Memory per stored job: jobs that fail by design keep no media, so RSS growth is the store itself.
        let n = if quick() { 2_000 } else { 5_000 };
        let before = status_kib("VmRSS");
        for i in 0..n {
            let response = client
                .post(format!("{}/videos", emulator.base_url()))
                .bearer_auth("bench")
                .header("content-type", "application/json")
                .body(format!(r#"{{"prompt":"[fail] memory probe number {i} with a prompt of ordinary length, about eighty chars"}}"#))
                .send()
                .await
                .expect("create");
            assert!(response.status().is_success(), "create {i}: {}", response.status());
            response.bytes().await.expect("body");
        }
        let after = status_kib("VmRSS");
        println!("emulator memory per stored job: {:.0} bytes ({n} jobs, RSS {before} -> {after} KiB)", (after.saturating_sub(before) * 1024) as f64 / n as f64);

        // Retrieve throughput as the store grows (jobs that fail by design: no media).
        let mut stored = n + 1;
        let sizes: &[usize] = if quick() { &[10_000] } else { &[10_000, 100_000] };
        for &size in sizes {
            let started = Instant::now();
            while stored < size {
                let response = client
                    .post(format!("{}/videos", emulator.base_url()))
                    .bearer_auth("bench")
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"prompt":"[fail] store growth {stored}"}}"#))
                    .send()
                    .await
                    .expect("create");
                assert!(response.status().is_success(), "create {stored}: {}", response.status());
                response.bytes().await.expect("body");
                stored += 1;
            }
            let filled = started.elapsed().as_secs_f64();
            let mut rates = Vec::new();
            for _ in 0..3 {
                rates.push(retrieve_throughput(&emulator, &id).await);
            }
            println!(
                "emulator retrieve with {size} stored jobs, concurrency 64: {:.0} req/s (median of 3; filled in {filled:.1} s)",
                median(rates)
            );
        }
        emulator.shutdown().await;
    });
}
