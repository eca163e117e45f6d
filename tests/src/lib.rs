//! Shared harness for the workspace-level tests in `tests/tests/`.

pub mod bench_server;
pub mod brief;
pub mod measure;
pub mod raw;
pub mod transport;

/// A JSON `Video` with the given id and status, as the service sends it.
pub fn video_json(id: &str, status: &str, progress: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "video", "model": "sora-2", "status": status, "progress": progress,
        "created_at": 1_712_697_600, "completed_at": null, "expires_at": null, "prompt": "p",
        "size": "720x1280", "seconds": "4", "remixed_from_video_id": null, "error": null,
    })
}

/// The error envelope.
pub fn error_json(message: &str, kind: &str, param: Option<&str>) -> serde_json::Value {
    serde_json::json!({"error": {"message": message, "type": kind, "param": param, "code": null}})
}
