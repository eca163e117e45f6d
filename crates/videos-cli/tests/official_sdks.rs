//! The official OpenAI SDKs, Python and Node, against `videos serve` and
//! `videos serve --azure`: the emulator claims to serve any OpenAI SDK, so
//! it is checked with theirs, not only with ours.
//!
//! The SDKs come from PyPI and npm: `.ci/run` installs them and names them
//! in `VIDEOS_PYTHON` (a Python with `openai` installed) and
//! `VIDEOS_NODE_PATH` (a `node_modules` holding `openai`). Without them the
//! test says so and passes on a developer's machine, but fails under CI,
//! where they must be present.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const KEY: &str = "sk-official-sdk-test";
const VERSION: &str = "2025-04-01-preview";

/// `videos serve`, stopped when dropped.
struct Server {
    child: Child,
    base_url: String,
}

impl Server {
    fn start(azure: bool) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--seconds-per-video-second", "0", "--fps", "4", "--api-key", KEY]);
        if azure {
            cmd.args(["--azure", "--api-version", VERSION]);
        }
        let mut child = cmd.env_remove("OPENAI_API_KEY").stderr(Stdio::piped()).spawn().expect("videos serve starts");
        let mut line = String::new();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        stderr.read_line(&mut line).unwrap();
        // Keep reading its request log, so the pipe never fills.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let base_url = line
            .split("base URL ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("serve names its base URL: {line}"))
            .to_owned();
        Server { child, base_url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tool a variable names, or `None` (and a note) outside CI.
fn tool(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if std::env::var_os("CI").is_some() => panic!("{variable} is not set: .ci/run installs the official SDKs"),
        _ => {
            eprintln!("skipped: {variable} is not set (`bash .ci/run` installs the official SDKs and sets it)");
            None
        }
    }
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/official").join(name)
}

/// Runs `program args` against a fresh server in each mode.
fn run_against_both_modes(program: &str, args: &[PathBuf], extra_env: &[(&str, &str)]) {
    for azure in [false, true] {
        let server = Server::start(azure);
        let tmp = tempfile::tempdir().unwrap();
        let output = assert_cmd::Command::new(program)
            .args(args)
            .env("VIDEOS_MODE", if azure { "azure" } else { "openai" })
            .env("VIDEOS_BASE_URL", &server.base_url)
            .env("VIDEOS_KEY", KEY)
            .env("VIDEOS_API_VERSION", VERSION)
            .env("VIDEOS_TMP", tmp.path())
            .envs(extra_env.iter().copied())
            .env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_BASE_URL")
            .timeout(Duration::from_secs(180))
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{program} (azure: {azure}):\n{stdout}\n{stderr}");
        assert!(stdout.contains(": ok"), "{stdout}");
    }
}

#[test]
fn the_official_python_sdk_runs_every_operation() {
    let Some(python) = tool("VIDEOS_PYTHON") else { return };
    run_against_both_modes(&python, &[script("python_sdk.py")], &[]);
}

#[test]
fn the_official_node_sdk_runs_every_operation() {
    let Some(node_path) = tool("VIDEOS_NODE_PATH") else { return };
    run_against_both_modes("node", &[script("node_sdk.mjs")], &[("NODE_PATH", &node_path)]);
}
