//! Helpers shared by the core's tests: fixed options and a byte-exact
//! rendering of a request.

#![allow(dead_code, unreachable_pub)]

use bytes::Bytes;
use http::Request;
use videos_core::{Body, Config, RequestOptions, Segment};

pub const KEY: &str = "sk-test-secret";

pub fn config() -> Config {
    Config::new(KEY).with_organization("org-1").with_project("proj-1").with_user_agent("videos-rs/test")
}

pub fn options() -> RequestOptions {
    RequestOptions {
        idempotency_key: Some("idem-1".into()),
        multipart_boundary: Some("BOUNDARY".into()),
        ..RequestOptions::default()
    }
}

/// The body as bytes, with each file part replaced by `<file NAME LEN>`.
pub fn body_text(body: &Body) -> String {
    match body {
        Body::Empty => String::new(),
        Body::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        Body::Multipart(m) => m
            .segments()
            .iter()
            .map(|s| match s {
                Segment::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
                Segment::File(f) => format!("<file {} {}>", f.file_name(), f.len()),
            })
            .collect(),
    }
}

/// The whole request as text: request line, headers in order, blank line, body.
pub fn render(request: &Request<Body>) -> String {
    let mut out = format!("{} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        out.push_str(&format!("{}: {}\n", name, value.to_str().unwrap()));
    }
    out.push('\n');
    out.push_str(&body_text(request.body()));
    out
}

/// The full multipart body with file contents read from disk.
pub fn multipart_bytes(body: &Body) -> Bytes {
    let Body::Multipart(m) = body else { panic!("not multipart") };
    let mut out = Vec::new();
    for s in m.segments() {
        match s {
            Segment::Bytes(b) => out.extend_from_slice(b),
            Segment::File(f) => out.extend(std::fs::read(f.path()).unwrap()),
        }
    }
    out.into()
}

pub fn response(status: u16, headers: &[(&str, &str)], body: &'static [u8]) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    builder.body(Bytes::from_static(body)).unwrap()
}

pub const VIDEO_JSON: &[u8] = br#"{"id":"video_123","object":"video","model":"sora-2","status":"in_progress","progress":40,"created_at":1712697600,"completed_at":null,"expires_at":null,"prompt":"p","size":"720x1280","seconds":"4","remixed_from_video_id":null,"error":null}"#;
