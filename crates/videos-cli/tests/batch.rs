//! `videos batch` against `videos serve` with limits: every line saved,
//! a bad line refused before any job exists, and a batch killed at any
//! moment resumes without creating any job twice.

#![cfg(unix)]

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::Reaped;

/// `videos serve` with limits (8 requests a second, 2 jobs at once, 1 s jobs), its base URL, and its log.
fn serve() -> (Reaped, String, std::thread::JoinHandle<Vec<String>>) {
    let limits = ["--seconds-per-video-second", "0.25", "--fps", "4", "--requests-per-minute", "8"];
    let (server, stderr, address) =
        common::serve(&[&limits[..], &["--rate-limit-window", "1", "--max-jobs-in-progress", "2"]].concat());
    // The server logs one line per request; keep reading so it never blocks on a full pipe.
    let log = std::thread::spawn(move || stderr.lines().map_while(Result::ok).collect::<Vec<_>>());
    (server, format!("http://{address}/v1"), log)
}

fn batch(base: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_videos"));
    command.arg("batch").args(args).env("OPENAI_BASE_URL", base).env("OPENAI_API_KEY", "k").env_remove("RUST_LOG");
    command
}

fn lines(dir: &Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("lines.jsonl");
    let text: String = (0..n).map(|i| format!("{{\"prompt\":\"batch {i}\"}}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn jobs_listed(base: &str) -> usize {
    let output = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["list", "--limit", "100", "--json"])
        .env("OPENAI_BASE_URL", base)
        .env("OPENAI_API_KEY", "k")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let page: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    page["data"].as_array().unwrap().len()
}

#[test]
fn a_bad_line_is_refused_before_any_job_exists() {
    let (_server, base, _log) = serve();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.jsonl");
    std::fs::write(&file, "{\"prompt\":\"fine\"}\n{\"prompt\":\"bad\",\"seconds\":\"x\"}\n").unwrap();
    let output =
        batch(&base, &[file.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 2") && stderr.contains("seconds"), "{stderr}");
    assert_eq!(jobs_listed(&base), 0);
}

#[test]
fn a_killed_batch_resumes_without_a_second_job() {
    let (_server, base, _log) = serve();
    let dir = tempfile::tempdir().unwrap();
    let file = lines(dir.path(), 6);
    let out = dir.path().join("out");
    let args = [file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--concurrency", "2"];
    // Killed once some jobs exist and before all are saved.
    let mut first = Reaped(batch(&base, &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let manifest = std::fs::read_to_string(out.join("videos-batch.json")).unwrap_or_default();
        if manifest.matches("\"job_id\": \"video_").count() >= 3 {
            break;
        }
        assert!(Instant::now() < deadline, "no jobs created: {manifest}");
        assert!(first.0.try_wait().unwrap().is_none(), "the batch ended before it could be killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    // Run again, as the user would, with --json.
    let mut args = args.to_vec();
    args.push("--json");
    let output = batch(&base, &args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for i in 1..=6 {
        let size = std::fs::metadata(out.join(format!("{i:04}.mp4"))).map(|m| m.len()).unwrap_or(0);
        assert!(size > 1000, "line {i}: {size} bytes");
    }
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let result: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(result["status"], "saved", "{result}");
    }
    assert_eq!(jobs_listed(&base), 6, "six lines, six jobs, however often the batch ran");
    // And once more: nothing left to do, nothing fetched again.
    let output = batch(&base, &args).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("6 of 6 lines already saved"));
    assert_eq!(jobs_listed(&base), 6);
}
