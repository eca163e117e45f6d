//! The command against a service's limits, as a user meets them: several
//! `videos create --output` started together from a shell loop, with no
//! coordination between them, against `videos serve` limiting requests
//! (refused ones count) and jobs in progress, answering 429 with OpenAI's
//! headers and no Retry-After. Before, every one exited 1 within seconds and
//! jobs were created and abandoned; now each waits its turn and saves its video.

#![cfg(unix)]

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;

use common::Reaped;

#[test]
fn creates_started_together_all_finish_against_the_limits() {
    // A two-second window allowing 4 requests (120 a minute) and 2 jobs at once; 1 s jobs.
    let (server, stderr, address) = common::serve(&[
        "--seconds-per-video-second",
        "0.25",
        "--fps",
        "4",
        "--requests-per-minute",
        "4",
        "--rate-limit-window",
        "2",
        "--max-jobs-in-progress",
        "2",
    ]);
    let base = format!("http://{address}/v1");
    let log = std::thread::spawn(move || stderr.lines().map_while(Result::ok).collect::<Vec<_>>());

    let dir = tempfile::tempdir().unwrap();
    let jobs = 6;
    let children: Vec<_> = (0..jobs)
        .map(|i| {
            Reaped(
                Command::new(env!("CARGO_BIN_EXE_videos"))
                    .args(["create", &format!("cat number {i}"), "--output"])
                    .arg(dir.path().join(format!("{i}.mp4")))
                    .args(["--timeout", "20"])
                    .env("OPENAI_BASE_URL", &base)
                    .env("OPENAI_API_KEY", "k")
                    .env_remove("RUST_LOG")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    for (i, child) in children.into_iter().enumerate() {
        let (code, stderr) = finish(child, Duration::from_secs(240));
        assert_eq!(code, Some(0), "create {i} failed after {:?}: {stderr}", started.elapsed());
        let size = std::fs::metadata(dir.path().join(format!("{i}.mp4"))).unwrap().len();
        assert!(size > 1000, "create {i} saved {size} bytes");
    }
    drop(server);
    let lines = log.join().unwrap();
    let created = lines.iter().filter(|l| l.contains("POST /v1/videos 200")).count();
    let refused = lines.iter().filter(|l| l.contains(" 429 ")).count();
    assert_eq!(created, jobs, "jobs created (each exactly once): {lines:#?}");
    assert!(refused > 0, "the limits were never reached, so this test proves nothing");
}

/// The exit code and stderr of `child`, killed (code `None`) if it runs past `within`.
fn finish(mut child: Reaped, within: Duration) -> (Option<i32>, String) {
    use std::io::Read;
    let deadline = std::time::Instant::now() + within;
    let code = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.0.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.0.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (code, stderr)
}
