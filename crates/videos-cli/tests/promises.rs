//! Two promises the command keeps: never a billed job the user cannot find
//! (a command repeated with the same `--idempotency-key` gets the same job,
//! and a create whose outcome stayed unknown prints the command that finds
//! its job without making another), and never a credential on the terminal.

use std::process::Command;

mod common;

/// A service whose every answer is a 500 after the request was read: what a
/// create meets when the service fails after (perhaps) making the job.
fn failing_server() -> String {
    // Bounded: the command's few attempts, then the thread ends.
    common::answering_server(64, |_| {
        ("500 Internal Server Error", r#"{"error":{"message":"upstream failed","type":"server_error"}}"#)
    })
}

#[test]
fn a_create_whose_outcome_stayed_unknown_prints_the_command_with_its_key() {
    let url = failing_server();
    let output = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["create", "a lighthouse at dusk", "--patience", "0.3"])
        .env("OPENAI_BASE_URL", &url)
        .env("OPENAI_API_KEY", "k")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("may have made one"), "{stderr}");
    let hint = stderr.lines().find(|l| l.starts_with("to get that job without making another, run: ")).expect(&stderr);
    assert!(hint.contains("create 'a lighthouse at dusk' --patience 0.3 --idempotency-key videos-rs-"), "{hint}");
}

#[test]
fn the_same_key_gets_the_same_job() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let output = Command::new(env!("CARGO_BIN_EXE_videos"))
            .args(["--json", "--state-dir"])
            .arg(dir.path())
            .args(["create", "a lighthouse at dusk", "--idempotency-key", "order-42"])
            .env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_BASE_URL")
            .env_remove("AZURE_OPENAI_ENDPOINT")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let video: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        video["id"].as_str().unwrap().to_owned()
    };
    assert_eq!(run(), run(), "one job for one key");
}

/// No credential in the command's output at any verbosity: a key given
/// where the base URL goes, and a wrong key through the environment.
#[test]
fn a_secret_never_reaches_the_terminal() {
    const SECRET: &str = "sk-SECRET-abc123";
    let url = failing_server();
    /// The command's arguments and the environment it runs in.
    type Run<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let runs: Vec<Run<'_>> = vec![
        (vec!["--base-url", SECRET, "list"], vec![("OPENAI_API_KEY", "k")]),
        (vec!["-vvv", "list"], vec![("OPENAI_BASE_URL", SECRET), ("OPENAI_API_KEY", "k")]),
        (vec!["-vvv", "get", "video_1"], vec![("OPENAI_BASE_URL", url.as_str()), ("OPENAI_API_KEY", SECRET)]),
        (
            vec!["-vvv", "--patience", "0.2", "create", "p"],
            vec![("OPENAI_BASE_URL", url.as_str()), ("OPENAI_API_KEY", SECRET)],
        ),
    ];
    for (args, env) in runs {
        let mut command = Command::new(env!("CARGO_BIN_EXE_videos"));
        command.args(&args).env_remove("RUST_LOG").env_remove("OPENAI_BASE_URL").env_remove("AZURE_OPENAI_ENDPOINT");
        for (name, value) in &env {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.status.code(), Some(1), "{args:?}: {all}");
        assert!(!all.contains(SECRET), "{args:?} printed the secret: {all}");
    }
}
