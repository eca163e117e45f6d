//! The `videos` command toward a gateway: `--extra KEY=VALUE` fields and
//! `--model` where OpenAI takes none, as they arrive on the wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc;

use assert_cmd::Command;

/// A server on 127.0.0.1 that answers one request with a queued job and
/// hands over the request's head and body.
fn capture_one() -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((socket, _)) = listener.accept() else { return };
        socket.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        let mut reader = BufReader::new(socket);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let length = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        let answer = r#"{"id":"video_1","object":"video","status":"queued","progress":0}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        reader.get_mut().write_all(response.as_bytes()).unwrap();
        tx.send((head, body)).unwrap();
    });
    (url, rx)
}

fn videos(url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_videos"));
    cmd.env_remove("OPENAI_API_KEY").env_remove("AZURE_OPENAI_ENDPOINT").env_remove("OPENAI_API_VERSION");
    cmd.args(["--base-url", url, "--api-key", "sk-test"]);
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

#[test]
fn extra_fields_and_model_reach_a_json_body_typed() {
    let (url, captured) = capture_one();
    let output = videos(&url)
        .args(["edit", "video_0", "make it rain", "--model", "veo-3", "--extra", "steps=30", "--extra"])
        .arg(r#"style={"look":"noir"}"#)
        .args(["--extra", "aspect_ratio=16:9"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (head, body) = captured.recv().unwrap();
    assert!(head.starts_with("POST /v1/videos/edits "), "{head}");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "video": {"id": "video_0"}, "prompt": "make it rain", "model": "veo-3",
            "steps": 30, "style": {"look": "noir"}, "aspect_ratio": "16:9"
        })
    );
}

#[test]
fn extra_fields_and_model_reach_a_multipart_body_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("me.mp4");
    std::fs::write(&clip, b"a clip").unwrap();
    let (url, captured) = capture_one();
    let output = videos(&url)
        .args(["character", "create", "--name", "Ada", "--model", "veo-3", "--extra", "steps=30", "--video"])
        .arg(&clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (head, body) = captured.recv().unwrap();
    assert!(head.starts_with("POST /v1/videos/characters "), "{head}");
    let form = String::from_utf8_lossy(&body);
    for part in ["name=\"model\"\r\n\r\nveo-3\r\n", "name=\"steps\"\r\n\r\n30\r\n", "name=\"name\"\r\n\r\nAda\r\n"] {
        assert!(form.contains(part), "{part:?} in {form}");
    }
}

#[test]
fn a_malformed_extra_is_a_usage_error_naming_the_flag() {
    let output = videos("http://127.0.0.1:9/v1").args(["create", "p", "--extra", "no-equals-sign"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--extra"));
}
