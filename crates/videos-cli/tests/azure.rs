//! The `videos` command against Azure OpenAI (the emulator in Azure mode):
//! the variables the official SDKs read, the flags that override them, and
//! errors that name what supplied the credential.

use assert_cmd::Command;
use videos_emulator::{AzureMode, Emulator, EmulatorConfig};

const VERSION: &str = "2025-04-01-preview";

/// `videos` with none of the connection variables of the environment running the tests.
fn videos() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
    for name in [
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_AD_TOKEN",
        "OPENAI_API_VERSION",
    ] {
        cmd.env_remove(name);
    }
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

fn azure_emulator(runtime: &tokio::runtime::Runtime) -> Emulator {
    let config = EmulatorConfig {
        api_key: Some("az-key".to_owned()),
        azure: Some(AzureMode { api_version: Some(VERSION.to_owned()), strict_blobs: true }),
        ..EmulatorConfig::fast()
    };
    runtime.block_on(Emulator::start(config)).unwrap()
}

#[test]
fn azure_variables_make_a_video_end_to_end() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = azure_emulator(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let output = videos()
        .current_dir(dir.path())
        .env("AZURE_OPENAI_ENDPOINT", emulator.endpoint())
        .env("AZURE_OPENAI_API_KEY", "az-key")
        .env("OPENAI_API_VERSION", VERSION)
        .args(["create", "a lighthouse", "--output", "clip.mp4"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("built-in emulator"), "Azure was chosen: {stderr}");
    let media = videos_emulator::render::probe(&std::fs::read(dir.path().join("clip.mp4")).unwrap()).unwrap();
    assert_eq!(media.duration_ms, 4000);
}

#[test]
fn flags_do_the_same_and_a_refused_key_names_its_source() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = azure_emulator(&runtime);
    let endpoint = emulator.endpoint();
    let ok = videos()
        .args(["--azure-endpoint", &endpoint, "--api-key", "az-key", "--api-version", VERSION, "list"])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    let refused = videos()
        .env("AZURE_OPENAI_ENDPOINT", &endpoint)
        .env("AZURE_OPENAI_API_KEY", "az-wrong-secret")
        .env("OPENAI_API_VERSION", VERSION)
        .args(["get", "video_1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("401") && stderr.contains("the credential came from AZURE_OPENAI_API_KEY"), "{stderr}");
    assert!(!stderr.contains("az-wrong-secret"), "the key is never printed: {stderr}");

    let flagged = videos()
        .args([
            "--azure-endpoint",
            &endpoint,
            "--api-key",
            "az-wrong-secret",
            "--api-version",
            VERSION,
            "get",
            "video_1",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&flagged.stderr).contains("the credential came from --api-key"));
}

#[test]
fn empty_or_malformed_settings_are_refused_before_any_request_naming_them() {
    // (variables, arguments, what the error says)
    type Case = (&'static [(&'static str, &'static str)], &'static [&'static str], &'static str);
    let cases: [Case; 4] = [
        (&[("OPENAI_API_KEY", "")], &["list"], "invalid OPENAI_API_KEY: is set but empty"),
        (&[("AZURE_OPENAI_ENDPOINT", "not a url")], &["list"], "invalid AZURE_OPENAI_ENDPOINT"),
        (&[], &["--azure-endpoint", "ftp:/x", "list"], "invalid --azure-endpoint"),
        (&[], &["--api-key", "", "list"], "invalid --api-key: is empty"),
    ];
    for (vars, args, expected) in cases {
        let mut cmd = videos();
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let output = cmd.args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
