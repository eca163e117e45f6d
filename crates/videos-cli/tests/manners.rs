//! How the `videos` command behaves around the edges of a session: a
//! reader that goes away, a job started without waiting.

mod common;

use std::process::{Command, Stdio};

use videos_emulator::{Emulator, EmulatorConfig};

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    // Before, `videos list | head -1` panicked on the broken pipe (exit 101).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::start(EmulatorConfig::fast())).unwrap();
    let client =
        videos_reqwest::Client::new(videos_core::Config::new("k").with_base_url(&emulator.base_url()).unwrap())
            .unwrap();
    runtime.block_on(async {
        for i in 0..20 {
            client.videos().create(videos_core::CreateVideo::new(format!("job {i}"))).await.unwrap();
        }
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["--base-url", &emulator.base_url(), "--api-key", "k", "list"])
        .env_remove("OPENAI_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before anything is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A port on 127.0.0.1 that counts the connections made to it (and answers none).
fn counting_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[test]
fn local_inputs_are_checked_before_a_job_is_created() {
    // Before, a missing reference file was sent as a Files API id, a bad
    // --output was found only after the (paid) job existed, and an existing
    // output was overwritten.
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("kept.mp4");
    std::fs::write(&existing, b"earlier work").unwrap();
    let (url, connections) = counting_server();
    // A reference image whose header says 1280x720 (a PNG's signature and IHDR are enough),
    // one that claims 65534x65534, and a file that is no image at all.
    let png = |width: u32, height: u32| {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    };
    let landscape = dir.path().join("landscape.png");
    std::fs::write(&landscape, png(1280, 720)).unwrap();
    let huge = dir.path().join("huge.png");
    std::fs::write(&huge, png(65534, 65534)).unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, b"not an image at all").unwrap();
    let reference = |path: &std::path::Path| {
        vec!["create".into(), "p".into(), "--input-reference".into(), path.display().to_string()]
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (reference(&landscape), "the reference image is 1280x720 but the requested size is 720x1280"),
        (reference(&huge), "the reference image is 65534x65534, beyond the largest size"),
        (reference(&text), "could not read the size"),
        (
            vec!["create".into(), "p".into(), "--input-reference".into(), "./missing.png".into()],
            "--input-reference: no file",
        ),
        (
            vec!["create".into(), "p".into(), "--input-reference".into(), "holiday.jpg".into()],
            "--input-reference: no file",
        ),
        (vec!["create".into(), "p".into(), "--output".into(), existing.display().to_string()], "pass --force"),
        (
            vec![
                "create".into(),
                "p".into(),
                "--output".into(),
                dir.path().join("no/such/dir/x.mp4").display().to_string(),
            ],
            "does not exist",
        ),
        (vec!["edit".into(), "./missing.mp4".into(), "p".into()], "VIDEO: no file"),
        (vec!["extend".into(), "clip.mov".into(), "p".into(), "--seconds".into(), "4".into()], "VIDEO: no file"),
        (vec!["download".into(), "video_1".into(), "--output".into(), existing.display().to_string()], "pass --force"),
    ];
    for (args, expected) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_videos"))
            .args(["--base-url", &url, "--api-key", "k"])
            .args(&args)
            .env_remove("OPENAI_API_KEY")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing was sent");
    assert_eq!(std::fs::read(&existing).unwrap(), b"earlier work");
}

/// A server that answers the first request 503 and every later one with a queued job.
fn flaky_server() -> String {
    common::answering_server(4, |i| match i {
        0 => ("503 Service Unavailable", r#"{"error":{"message":"busy","type":"server_error"}}"#),
        _ => ("200 OK", r#"{"id":"video_7","object":"video","status":"queued","progress":0}"#),
    })
}

#[test]
fn verbose_logs_show_each_decision_and_never_the_key_or_the_prompt() {
    let url = flaky_server();
    let output = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["-vv", "--base-url", &url, "--api-key", "sk-never-logged", "create", "a secret birthday surprise"])
        .env_remove("OPENAI_API_KEY")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("retrying") && stderr.contains("next_attempt=2"), "{stderr}");
    assert!(stderr.contains("request_id=\"req_log\"") || stderr.contains("request_id=req_log"), "{stderr}");
    assert!(stderr.contains("path=\"/v1/videos\"") || stderr.contains("path=/v1/videos"), "{stderr}");
    assert!(!stderr.contains("sk-never-logged") && !stderr.contains("birthday"), "{stderr}");
    // Without -v, nothing but the command's own output.
    let quiet = Command::new(env!("CARGO_BIN_EXE_videos"))
        .args(["--base-url", &flaky_server(), "--api-key", "k", "create", "p"])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("retrying"));
}

#[cfg(unix)]
#[test]
fn serve_logs_one_line_per_request() {
    use std::io::{BufRead, Read, Write};
    let (child, mut stderr, address) = common::serve(&[]);
    let mut socket = std::net::TcpStream::connect(&address).unwrap();
    socket
        .write_all(
            b"GET /v1/videos?limit=1 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\nconnection: close\r\n\r\n",
        )
        .unwrap();
    let _ = socket.read_to_end(&mut Vec::new());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    drop(child);
    assert!(line.contains("GET /v1/videos 200") && line.contains("ms"), "{line}");
}

#[cfg(unix)]
#[test]
fn serve_keeps_answering_when_its_stderr_is_closed() {
    // Before, with the request log on, a closed stderr made the log's own
    // error report panic inside the handler: every answer was a dropped
    // connection (the official SDKs' test harness stopped reading stderr).
    use std::io::{Read, Write};
    let (child, stderr, address) = common::serve(&[]);
    drop(stderr);
    for _ in 0..3 {
        let mut socket = std::net::TcpStream::connect(&address).unwrap();
        socket
            .write_all(b"GET /v1/videos HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\nconnection: close\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer);
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
    }
    drop(child);
}

#[test]
fn help_shows_defaults_and_the_variables_each_flag_reads() {
    let help = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_videos")).args(args).output().unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let top = help(&["--help"]);
    for expected in
        ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "VIDEOS_STATE_DIR", "RUST_LOG", "[default: 600]"]
    {
        assert!(top.contains(expected), "--help names {expected}: {top}");
    }
    let create = help(&["create", "--help"]);
    for expected in
        ["[default: the service's, sora-2]", "[default: the service's, 4]", "[default: the service's, 720x1280]"]
    {
        assert!(create.contains(expected), "create --help shows {expected}: {create}");
    }
    // A command's own options come first; the shared ones under their own heading.
    let own = create.find("--input-reference").unwrap();
    let connection = create.find("Connection:").expect("a Connection heading");
    assert!(own < connection, "{create}");
}
