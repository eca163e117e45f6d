//! Criterion benchmarks of the core's hot paths, each next to its floor.
//!
//! Run: `cargo bench -p videos-core --bench core`; `… --bench core -- count
//! parse` (or `floor`, `parse-pretty`, `floor-pretty`) only parses, for
//! callgrind. The floor for parsing is
//! `serde_json::from_slice::<IgnoredAny>` on the same bytes: the cost of
//! merely walking the JSON. BENCHMARKS.md records the figures.
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group};
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use videos_core::{Config, CreateVideo, ListVideos, Operation, RequestOptions, RetrieveVideo};
use videos_types::{VideoModel, VideoSeconds, VideoSize};

/// A small deterministic generator, so every run parses the same page.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const WORDS: &[&str] = &[
    "calico", "cat", "piano", "stage", "neon", "city", "street", "rain", "ocean", "sunset", "waves", "forest", "light",
    "robot", "alien", "planet", "moons", "slow", "pan", "across", "golden", "hour", "drone", "shot", "of", "the", "a",
];

/// One video as the service would send it, with varied statuses, nulls and lengths.
fn video(rng: &mut Lcg, i: usize) -> Value {
    let status = rng.pick(&["completed", "completed", "completed", "failed", "in_progress", "queued"]);
    let words = 8 + (rng.next() % 60) as usize;
    let prompt: Vec<&str> = (0..words).map(|_| rng.pick(WORDS)).collect();
    let created = 1_760_000_000 + i as i64 * 37;
    let done = matches!(status, "completed" | "failed");
    json!({
        "id": format!("video_68d7{:028x}", rng.next() as u128 * 0x9e37_79b9_7f4a_7c15),
        "object": "video",
        "model": rng.pick(&["sora-2", "sora-2-pro", "sora-2-2025-10-06"]),
        "status": status,
        "progress": if done { 100 } else { (rng.next() % 100) as i64 },
        "created_at": created,
        "completed_at": if done { Some(created + 90) } else { None },
        "expires_at": if status == "completed" { Some(created + 86_400) } else { None },
        "prompt": prompt.join(" "),
        "size": rng.pick(&["720x1280", "1280x720", "1024x1792", "1792x1024"]),
        "seconds": rng.pick(&["4", "8", "12"]),
        "remixed_from_video_id": if rng.next().is_multiple_of(5) { Some(format!("video_{:024x}", rng.next())) } else { None },
        "error": if status == "failed" { json!({"code": "moderation_blocked", "message": "The prompt was flagged by moderation."}) } else { Value::Null },
    })
}

fn page(n: usize) -> Bytes {
    let mut rng = Lcg(42);
    let data: Vec<Value> = (0..n).map(|i| video(&mut rng, i)).collect();
    let first = data.first().map(|v| v["id"].clone());
    let last = data.last().map(|v| v["id"].clone());
    let doc = json!({"object": "list", "data": data, "first_id": first, "last_id": last, "has_more": true});
    serde_json::to_vec(&doc).unwrap().into()
}

/// The best any typed serde parse can do: every field borrowed, nothing allocated.
/// Not an API anyone would want; it shows how much of the gap is allocation.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct BorrowedVideo<'a> {
    id: &'a str,
    object: &'a str,
    model: &'a str,
    status: &'a str,
    progress: i64,
    created_at: i64,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
    prompt: Option<&'a str>,
    size: &'a str,
    seconds: &'a str,
    remixed_from_video_id: Option<&'a str>,
    error: Option<IgnoredAny>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct BorrowedPage<'a> {
    #[serde(borrow)]
    data: Vec<BorrowedVideo<'a>>,
    has_more: bool,
}

fn response(body: Bytes) -> http::Response<Bytes> {
    http::Response::builder().status(200).header("content-type", "application/json").body(body).unwrap()
}

fn bench(c: &mut Criterion) {
    let config = Config::new("sk-bench");
    let options = RequestOptions::from_random(7);
    let create = CreateVideo::new("A calico cat playing a piano on stage, slow pan across the audience")
        .model(VideoModel::Sora2Pro)
        .seconds(VideoSeconds::Eight)
        .size(VideoSize::Landscape1280x720);
    c.bench_function("build create request", |b| b.iter(|| black_box(create.request(&config, &options).unwrap())));

    let one = {
        let mut rng = Lcg(7);
        Bytes::from(serde_json::to_vec(&video(&mut rng, 0)).unwrap())
    };
    let mut group = c.benchmark_group("parse one video");
    group.throughput(Throughput::Bytes(one.len() as u64));
    group.bench_function("floor: IgnoredAny", |b| {
        b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(&one).unwrap()))
    });
    let op = RetrieveVideo::new("v");
    group.bench_function("RetrieveVideo::parse", |b| b.iter(|| black_box(op.parse(response(one.clone())).unwrap())));
    group.finish();

    let hundred = page(100);
    let mut group = c.benchmark_group("parse 100-video page");
    group.throughput(Throughput::Bytes(hundred.len() as u64));
    group.bench_function("floor: IgnoredAny", |b| {
        b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(&hundred).unwrap()))
    });
    group.bench_function("reference: zero-copy borrowed struct", |b| {
        // Same path as ours: one UTF-8 check of the body, then `from_str`.
        b.iter(|| {
            let text = std::str::from_utf8(&hundred).unwrap();
            black_box(serde_json::from_str::<BorrowedPage>(text).unwrap().data.len())
        })
    });
    // What parsing cost before the core checked UTF-8 once and used `from_str`.
    group.bench_function("reference: serde_json::from_slice::<VideoList>", |b| {
        b.iter(|| black_box(serde_json::from_slice::<videos_types::VideoList>(&hundred).unwrap()))
    });
    let op = ListVideos::new();
    group.bench_function("ListVideos::parse", |b| b.iter(|| black_box(op.parse(response(hundred.clone())).unwrap())));
    group.bench_function("ListVideos::parse (drop not timed)", |b| {
        b.iter_with_large_drop(|| op.parse(response(hundred.clone())).unwrap())
    });
    group.finish();

    // The same page as a person or a gateway might indent it.
    let value: serde_json::Value = serde_json::from_slice(&hundred).unwrap();
    let pretty = Bytes::from(serde_json::to_vec_pretty(&value).unwrap());
    let mut group = c.benchmark_group("parse 100-video page, pretty-printed");
    group.throughput(Throughput::Bytes(pretty.len() as u64));
    group.bench_function("floor: IgnoredAny", |b| {
        b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(&pretty).unwrap()))
    });
    group.bench_function("ListVideos::parse", |b| b.iter(|| black_box(op.parse(response(pretty.clone())).unwrap())));
    group.finish();
}

criterion_group!(benches, bench);

/// `count SIDE [N]`: parses the 100-video page N (1,000) times one way and exits,
/// for counting instructions under callgrind, which this noisy machine
/// cannot disturb (see BENCHMARKS.md). SIDE is `floor` or `parse`, alone
/// or with `-pretty` (indented) or `-gateway` (two unknown fields a job).
fn count(side: &str, times: usize) {
    let compact = page(100);
    let mut value: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    let pretty = Bytes::from(serde_json::to_vec_pretty(&value).unwrap());
    // A gateway's page: two fields of its own on every job, kept in `extra`.
    for video in value["data"].as_array_mut().into_iter().flatten() {
        video["gateway_cost_usd"] = json!(0.04);
        video["provider"] = json!({"name": "azure", "region": "eastus2"});
    }
    let gateway = Bytes::from(serde_json::to_vec(&value).unwrap());
    let body = match side {
        s if s.ends_with("pretty") => pretty,
        s if s.ends_with("gateway") => gateway,
        _ => compact,
    };
    let op = ListVideos::new();
    for _ in 0..times {
        if side.starts_with("floor") {
            black_box(serde_json::from_slice::<IgnoredAny>(&body).unwrap());
        } else {
            black_box(op.parse(response(body.clone())).unwrap());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "count") {
        let times = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1_000);
        return count(args.get(i + 1).map_or("parse", String::as_str), times);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
