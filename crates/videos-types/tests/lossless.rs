//! The generated readers of objects that keep unknown fields: every field
//! read, unknown ones kept whatever their shape, and the derive's rules
//! (required fields, duplicate keys, renamed keys) unchanged.

use serde_json::{Value, json};
use videos_types::{ErrorObject, Video, VideoStatus};

#[test]
fn known_fields_are_read_and_unknown_ones_kept_whole() {
    let input = json!({
        "id": "video_1",
        "object": "video",
        "status": "completed",
        "progress": 100,
        "created_at": 1_712_697_600,
        "completed_at": null,
        "expires_at": null,
        "error": null,
        "model": "sora-2",
        "prompt": "a cat",
        "remixed_from_video_id": null,
        "seconds": "8",
        "size": "1280x720",
        "gateway": {"route": ["a", 1, null, {"deep": true}]},
        "cost_usd": 0.42
    });
    let video: Video = serde_json::from_value(input.clone()).unwrap();
    assert_eq!((video.id.as_str(), video.status.clone()), ("video_1", Some(VideoStatus::Completed)));
    assert_eq!(video.prompt.as_deref(), Some("a cat"));
    assert_eq!(video.extra.len(), 2);
    assert_eq!(video.extra["gateway"], input["gateway"]);
    assert_eq!(serde_json::to_value(&video).unwrap(), input, "a round trip loses nothing");
    // The same from text, where keys may come escaped.
    let text = r#"{"id":"video_2","pro\u006dpt":"escaped key","x":[1,2]}"#;
    let video: Video = serde_json::from_str(text).unwrap();
    assert_eq!(video.prompt.as_deref(), Some("escaped key"));
    assert_eq!(video.extra["x"], json!([1, 2]));
}

#[test]
fn the_derives_rules_hold() {
    let missing = serde_json::from_str::<Video>(r#"{"status":"queued"}"#).unwrap_err().to_string();
    assert!(missing.contains("missing field `id`"), "{missing}");
    let twice = serde_json::from_str::<Video>(r#"{"id":"a","id":"b"}"#).unwrap_err().to_string();
    assert!(twice.contains("duplicate field `id`"), "{twice}");
    let wrong = serde_json::from_str::<Video>(r#"{"id":7}"#).unwrap_err().to_string();
    assert!(wrong.contains("invalid type"), "{wrong}");
    let not_an_object = serde_json::from_str::<Video>(r#""video_1""#).unwrap_err().to_string();
    assert!(not_an_object.contains("a Video object"), "{not_an_object}");
    // Absent and null optional fields both read as None.
    let sparse: Video = serde_json::from_str(r#"{"id":"a","prompt":null}"#).unwrap();
    assert_eq!((sparse.prompt, sparse.status, sparse.extra.len()), (None, None, 0));
    // A renamed field is read from its JSON key.
    let error: ErrorObject = serde_json::from_value(json!({"message": "m", "type": "server_error", "x": 1})).unwrap();
    assert_eq!((error.type_.as_deref(), error.extra.get("x")), (Some("server_error"), Some(&Value::from(1))));
}
