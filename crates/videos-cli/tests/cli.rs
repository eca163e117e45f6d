//! The `videos` command as a user runs it: the README's main command on a
//! machine with no key and no network, `--json`, and one-line errors.

use assert_cmd::Command;
use videos_emulator::{Emulator, EmulatorConfig};

/// `videos` with no OpenAI settings from the environment running the tests.
fn videos() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
    cmd.env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_ORG_ID")
        .env_remove("OPENAI_PROJECT_ID");
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

#[test]
fn the_readme_main_command_makes_a_real_video_offline() {
    let dir = tempfile::tempdir().unwrap();
    let output = videos()
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
    let output = videos()
        .args(["--json", "create", "A lighthouse at dusk", "--seconds", "8", "--size", "1280x720"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let video: videos_types::Video = serde_json::from_slice(&output.stdout).expect("stdout is one Video in JSON");
    assert_eq!((video.seconds.as_str(), video.size.as_str()), ("8", "1280x720"));
    assert_eq!(video.object.as_str(), "video");
}

#[test]
fn errors_are_one_line_with_a_nonzero_exit() {
    let output = videos().args(["get", "video_missing"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("error: 404 invalid_request_error: No video found with id 'video_missing'."), "{stderr}");
    assert!(last.contains("(request id req_"), "{last}");

    let output = videos().args(["create", "x", "--seconds", "5"]).output().unwrap();
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
