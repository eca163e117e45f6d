//! How the emulator reads multipart bodies as the official SDKs write them:
//! an object field as bracketed parts (`video[id]`, `input_reference[image_url]`),
//! validated like its JSON twin; a part it cannot map is a 400 naming it.

use serde_json::Value;
use videos_core::CreateVideo;
use videos_emulator::{Emulator, EmulatorConfig};
use videos_tests::transport::{both, config};

/// A multipart body of text parts.
fn form(parts: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in parts {
        body.push_str(&format!("--b\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str("--b--\r\n");
    body
}

async fn post(emulator: &Emulator, path: &str, parts: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", emulator.base_url()))
        .bearer_auth("k")
        .header("content-type", "multipart/form-data; boundary=b")
        .body(form(parts))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_slice(&response.bytes().await.unwrap()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bracketed_parts_are_read_as_their_object() {
    let emulator = Emulator::start(EmulatorConfig::fast()).await.unwrap();
    let [t, _] = both(&config(&format!("http://{}", emulator.address())));
    let source = t.create_and_poll(CreateVideo::new("a harbour at dawn")).await.unwrap();
    // Before, an edit by id sent as `video[id]` was answered 400 "Missing required parameter: 'video'".
    for path in ["/videos/edits", "/videos/extensions"] {
        let mut parts = vec![("prompt", "make it rain"), ("video[id]", source.id.as_str())];
        if path.ends_with("extensions") {
            parts.push(("seconds", "4"));
        }
        let (status, body) = post(&emulator, path, &parts).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["object"], "video");
    }
    let (status, body) = post(&emulator, "/videos", &[("prompt", "p"), ("input_reference[file_id]", "file-abc")]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bracketed_parts_are_validated_and_unmappable_ones_named() {
    let emulator = Emulator::start(EmulatorConfig::fast()).await.unwrap();
    // Before, `input_reference[image_url]` was dropped and the job created without it, URL or not.
    let cases: [(&str, &str, &str); 5] = [
        ("input_reference[image_url]", "not a url", "input_reference"),
        ("input_reference[url]", "https://x/y.png", "input_reference[url]"),
        ("video[id", "video_1", "video[id"),
        ("input_reference[file_id][x]", "file-1", "input_reference[file_id][x]"),
        ("prompt[text]", "p", "prompt[text]"),
    ];
    for (name, value, param) in cases {
        let (status, body) = post(&emulator, "/videos", &[("prompt", "p"), (name, value)]).await;
        assert_eq!(status, 400, "{name}: {body}");
        assert_eq!(body["error"]["param"], param, "{name}: {body}");
    }
    let both_ways = post(
        &emulator,
        "/videos",
        &[("prompt", "p"), ("input_reference", r#"{"file_id":"f"}"#), ("input_reference[file_id]", "f")],
    )
    .await;
    assert_eq!(
        (both_ways.0, both_ways.1["error"]["param"].as_str()),
        (400, Some("input_reference")),
        "{}",
        both_ways.1
    );
}
