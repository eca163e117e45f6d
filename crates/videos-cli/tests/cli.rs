//! The `videos` command as a user runs it: the README's main command on a
//! machine with no key and no network, `--json`, and one-line errors.

use assert_cmd::Command;
use videos_emulator::{Emulator, EmulatorConfig};

/// `videos` with no OpenAI settings from the environment running the tests.
/// Its built-in emulator cannot start (the state directory cannot be made),
/// so a test that means to use it says where, with [`offline`], and never
/// writes into the user's data directory.
fn videos() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
    cmd.env("VIDEOS_STATE_DIR", "/dev/null/tests-give-a-state-dir")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_ORG_ID")
        .env_remove("OPENAI_PROJECT_ID");
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

/// `videos` on its built-in emulator, which keeps its jobs in `state`.
fn offline(state: &tempfile::TempDir) -> Command {
    let mut cmd = videos();
    cmd.env("VIDEOS_STATE_DIR", state.path());
    cmd
}

#[test]
fn the_readme_main_command_makes_a_real_video_offline() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let output = offline(&state)
        .current_dir(dir.path())
        .args(["create", "A calico cat playing a piano on stage", "--wait", "--output", "cat.mp4"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "stderr: {stderr}");
    assert!(stderr.contains("using the built-in emulator"), "says it runs offline: {stderr}");
    assert!(stderr.contains("wrote cat.mp4"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("completed  100%  720x1280  4s  sora-2"), "{stdout}");
    let media = videos_emulator::render::probe(&std::fs::read(dir.path().join("cat.mp4")).unwrap()).unwrap();
    assert_eq!((media.width, media.height, media.duration_ms), (720, 1280, 4000));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "only cat.mp4, no temporary files");
}

#[test]
fn json_prints_the_raw_object() {
    let state = tempfile::tempdir().unwrap();
    let output = offline(&state)
        .args(["--json", "create", "A lighthouse at dusk", "--seconds", "8", "--size", "1280x720"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let video: videos_types::Video = serde_json::from_slice(&output.stdout).expect("stdout is one Video in JSON");
    assert_eq!((video.seconds.unwrap().as_str(), video.size.unwrap().as_str()), ("8", "1280x720"));
    assert_eq!(video.object.unwrap().as_str(), "video");
}

#[test]
fn errors_are_one_line_with_a_nonzero_exit() {
    let state = tempfile::tempdir().unwrap();
    let output = offline(&state).args(["get", "video_missing"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("error: 404 invalid_request_error: No video found with id 'video_missing'."), "{stderr}");
    assert!(last.contains("(request id req_"), "{last}");

    let output = offline(&state).args(["create", "x", "--seconds", "5"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.lines().last().unwrap().starts_with("error: 400 invalid_request_error: Invalid value: '5'."),
        "{stderr}"
    );
}

#[test]
fn a_wrong_key_is_a_401_and_the_key_is_not_printed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig { api_key: Some("right".into()), ..EmulatorConfig::fast() }))
        .unwrap();
    let output =
        videos().args(["--base-url", &emulator.base_url(), "--api-key", "sk-wrong-secret", "list"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: 401 invalid_request_error: Incorrect API key provided."), "{stderr}");
    assert!(!stderr.contains("sk-wrong-secret"));
    drop(emulator);
}

#[test]
fn usage_errors_exit_2() {
    let output = videos().args(["create"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A server on 127.0.0.1 that answers one download with a 10 MB head, sends
/// 64 KB of it, then goes quiet for `quiet`; returns its base URL.
fn stalling_download_server(quiet: std::time::Duration) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: 10000000\r\n\r\n";
            let _ = socket.write_all(head.as_bytes());
            let _ = socket.write_all(&[0u8; 65536]);
            let _ = socket.flush();
            std::thread::sleep(quiet);
        }
    });
    url
}

#[test]
fn read_timeout_ends_a_stalled_download_and_keeps_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("clip.mp4");
    std::fs::write(&target, b"the previous clip").unwrap();
    let url = stalling_download_server(std::time::Duration::from_secs(30));
    let started = std::time::Instant::now();
    let output = videos()
        .args([
            "--base-url",
            &url,
            "--api-key",
            "sk-test",
            "--read-timeout",
            "0.5",
            "download",
            "video_1",
            "--force",
            "--output",
        ])
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "ended by --read-timeout, not by the server");
    assert!(stderr.contains("timed out") || stderr.contains("within"), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), b"the previous clip");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn timeout_bounds_a_call_whose_answer_never_comes() {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        // Reads every request (retries included) and never answers; held open for 30 s.
        let mut held = Vec::new();
        listener.set_nonblocking(false).unwrap();
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < until {
            let Ok((mut socket, _)) = listener.accept() else { break };
            let _ = socket.read(&mut [0u8; 4096]);
            held.push(socket);
        }
    });
    let started = std::time::Instant::now();
    let output = videos()
        .args(["--base-url", &url, "--api-key", "sk-test", "--timeout", "0.3", "get", "video_1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // Three attempts of 0.3 s and two backoffs of at most a few seconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    assert!(stderr.contains("within 300"), "names the limit: {stderr}");
}

#[cfg(unix)]
#[test]
fn a_download_stopped_by_sigterm_or_sigint_leaves_no_partial_file() {
    for signal in ["-TERM", "-INT"] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("clip.mp4");
        std::fs::write(&target, b"the previous clip").unwrap();
        let url = stalling_download_server(std::time::Duration::from_secs(20));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_videos"))
            .args(["--base-url", &url, "--api-key", "sk-test", "download", "video_1", "--force", "--output"])
            .arg(&target)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait (bounded) until the download is under way: its temporary file exists.
        let part = || {
            std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".part"))
        };
        let started = std::time::Instant::now();
        while !part() && started.elapsed() < std::time::Duration::from_secs(20) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(part(), "the download never started");
        let status = std::process::Command::new("kill").arg(signal).arg(child.id().to_string()).status().unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert_eq!(exit.code(), Some(130), "{signal}");
        assert!(!part(), "{signal}: the temporary file is gone");
        assert_eq!(std::fs::read(&target).unwrap(), b"the previous clip", "{signal}: the target is untouched");
    }
}

#[test]
fn serve_refuses_numbers_out_of_range_naming_the_flag() {
    for (flag, value) in [
        ("--fault-rate-limit", "2"),
        ("--fault-cut", "NaN"),
        ("--fps", "1000000"),
        ("--fps", "0"),
        ("--seconds-per-video-second", "5e18"),
        ("--seconds-per-video-second", "-1"),
        ("--fault-delay-ms", "99999999999"),
    ] {
        let output = videos().args(["serve", &format!("{flag}={value}")]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(flag), "{flag} {value}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn serve_stops_gracefully_on_sigterm_and_removes_its_temporary_state() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("OPENAI_API_KEY")
        .env_remove("VIDEOS_STATE_DIR")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let dir = line.split("(media in ").nth(1).and_then(|rest| rest.split(';').next()).expect("the state dir is named");
    let dir = std::path::PathBuf::from(dir);
    assert!(dir.is_dir(), "{line}");
    let status = std::process::Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "a graceful stop");
    assert!(!dir.exists(), "the temporary state directory {} is removed", dir.display());
}
