//! The offline default remembers: separate `videos` commands on the
//! built-in emulator share one state directory, as they would share a real
//! service, and many of them at once lose nothing.

mod common;
use common::Reaped;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `videos` on its built-in emulator, keeping jobs in `state`.
fn videos(state: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
    cmd.env("VIDEOS_STATE_DIR", state);
    for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "RUST_LOG"] {
        cmd.env_remove(name);
    }
    cmd
}

/// Runs `videos ARGS` to completion: (exit code, stdout, stderr).
fn run(state: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = videos(state).args(args).stdin(Stdio::null()).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

/// The id at the start of a job line.
fn id_of(line: &str) -> String {
    line.split_whitespace().next().unwrap_or_default().to_owned()
}

#[test]
fn separate_commands_see_the_same_jobs() {
    // Before, each command started a fresh emulator: `list` after `create`
    // showed nothing and `get ID` was a 404.
    let state = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (code, stdout, stderr) = run(state.path(), &["create", "a fox in the snow", "--seconds", "4"]);
    assert_eq!(code, Some(0), "{stderr}");
    let id = id_of(&stdout);
    assert!(id.starts_with("video_"), "{stdout}");
    assert!(stderr.contains(&format!("videos wait {id} --output {id}.mp4")), "says what to run next: {stderr}");

    let (code, stdout, stderr) = run(state.path(), &["list"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(id_of(&stdout), id, "list shows the job: {stdout}");

    // The built-in emulator takes 0.75 s per second of video: 3 s for this
    // one, which pass while no `videos` process runs.
    std::thread::sleep(Duration::from_millis(3200).saturating_sub(started.elapsed()));
    let (code, stdout, stderr) = run(state.path(), &["get", &id]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("completed  100%"), "finished with no process running: {stdout}");

    let clip = work.path().join("clip.mp4");
    let (code, _, stderr) = run(state.path(), &["wait", &id, "--output", clip.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let probe = videos_emulator::render::probe(&std::fs::read(&clip).unwrap()).unwrap();
    assert_eq!((probe.width, probe.height, probe.duration_ms), (720, 1280, 4000));

    let (code, _, stderr) = run(state.path(), &["delete", &id]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(state.path(), &["get", &id]);
    assert_eq!(code, Some(1), "deleted for every later command too: {stderr}");
    assert!(!state.path().join(&id).exists(), "its media are gone");
}

#[test]
fn ten_processes_creating_at_once_lose_no_job() {
    let state = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..10)
        .map(|i| {
            videos(state.path())
                .args(["create", &format!("job number {i}"), "--seconds", "4"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut created = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        created.push(id_of(&String::from_utf8_lossy(&output.stdout)));
    }
    let (code, stdout, stderr) = run(state.path(), &["list", "--limit", "100"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut listed: Vec<String> = stdout.lines().map(id_of).collect();
    listed.sort();
    created.sort();
    assert_eq!(listed, created, "every job, once");
    // Every line of the journal is whole.
    let journal = std::fs::read_to_string(state.path().join("journal.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> =
        journal.lines().filter(|l| !l.is_empty()).map(|l| serde_json::from_str(l).expect("a whole line")).collect();
    assert_eq!(entries.len(), 10);
}

#[cfg(unix)]
#[test]
fn serve_with_the_state_dir_serves_the_same_jobs() {
    use std::io::BufRead;
    let state = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = run(state.path(), &["create", "kept for the server", "--seconds", "4"]);
    let id = id_of(&stdout);
    assert!(id.starts_with("video_"), "{stderr}");
    let child = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["serve", "--addr", "127.0.0.1:0", "--api-key", "k", "--state-dir"])
        .arg(state.path())
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Reaped(child);
    let mut first = String::new();
    std::io::BufReader::new(server.0.stderr.take().unwrap()).read_line(&mut first).unwrap();
    let base = first.split("base URL ").nth(1).and_then(|r| r.split_whitespace().next()).expect("a base URL");
    let output = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["--base-url", base, "--api-key", "k", "get", &id])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with(&id));
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_wait_says_how_to_resume() {
    use std::io::{BufRead, Read};
    let state = tempfile::tempdir().unwrap();
    // 12 s of video: 9 s of work, far longer than the test waits.
    let (_, stdout, stderr) = run(state.path(), &["create", "a long one", "--seconds", "12"]);
    let id = id_of(&stdout);
    assert!(id.starts_with("video_"), "{stderr}");
    let child =
        videos(state.path()).args(["wait", &id, "--output", "later.mp4"]).stderr(Stdio::piped()).spawn().unwrap();
    let mut waiting = Reaped(child);
    let mut stderr = std::io::BufReader::new(waiting.0.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("built-in emulator"), "{first}");
    std::thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill").arg("-INT").arg(waiting.0.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = waiting.0.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(exit.code(), Some(130), "{rest}");
    assert!(rest.contains(&format!("Resume with: videos wait {id} --output later.mp4")), "{rest}");
}

#[test]
fn an_unusable_state_dir_is_named_with_the_way_out() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let (code, _, stderr) = run(&file.path().join("below-a-file"), &["list"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("VIDEOS_STATE_DIR") && stderr.contains("--state-dir"), "{stderr}");
    let (code, _, stderr) = run(Path::new(""), &["list"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("invalid VIDEOS_STATE_DIR: is set but empty"), "{stderr}");
}
