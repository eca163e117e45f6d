//! Responses of every status class and envelope shape.

mod common;

use common::{VIDEO_JSON, response};
use http::StatusCode;
use videos_core::{ApiErrorKind, DeleteVideo, DownloadContent, Error, ListVideos, Operation, RetrieveVideo};
use videos_types::VideoStatus;

#[test]
fn a_video_with_its_request_id() {
    let r = RetrieveVideo::new("video_123")
        .parse_with_meta(response(200, &[("content-type", "application/json"), ("x-request-id", "req_9")], VIDEO_JSON))
        .unwrap();
    assert_eq!(r.value.status, Some(VideoStatus::InProgress));
    assert_eq!(r.value.progress, Some(40));
    assert_eq!(r.request_id.as_deref(), Some("req_9"));
    assert_eq!(r.status, StatusCode::OK);
}

#[test]
fn a_list_and_a_delete() {
    let page = ListVideos::new()
        .parse(response(200, &[], br#"{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}"#))
        .unwrap();
    assert!(page.data.is_empty() && page.has_more == Some(false));
    let deleted = DeleteVideo::new("v")
        .parse(response(
            200,
            &[("content-type", "application/json; charset=utf-8")],
            br#"{"id":"v","object":"video.deleted","deleted":true}"#,
        ))
        .unwrap();
    assert_eq!(deleted.deleted, Some(true));
}

fn api(status: u16, headers: &[(&str, &str)], body: &'static [u8]) -> videos_core::ApiError {
    match RetrieveVideo::new("v").parse(response(status, headers, body)) {
        Err(Error::Api(e)) => *e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn every_error_status_maps_to_its_kind() {
    let envelope = br#"{"error":{"message":"m","type":"t","param":null,"code":null}}"#;
    for (status, kind) in [
        (400, ApiErrorKind::BadRequest),
        (401, ApiErrorKind::Authentication),
        (403, ApiErrorKind::PermissionDenied),
        (404, ApiErrorKind::NotFound),
        (409, ApiErrorKind::Conflict),
        (422, ApiErrorKind::UnprocessableEntity),
        (429, ApiErrorKind::RateLimit),
        (500, ApiErrorKind::Server),
        (503, ApiErrorKind::Server),
        (418, ApiErrorKind::Other),
        (302, ApiErrorKind::Other),
    ] {
        let e = api(status, &[], envelope);
        assert_eq!(e.kind, kind, "{status}");
        assert_eq!(e.status.as_u16(), status);
    }
}

#[test]
fn the_envelope_fields_and_request_id_are_kept() {
    let e = api(
        400,
        &[("x-request-id", "req_abc"), ("retry-after-ms", "1500")],
        br#"{"error":{"message":"Invalid size","type":"invalid_request_error","param":"size","code":"invalid_value"}}"#,
    );
    assert_eq!(e.message, "Invalid size");
    assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(e.param.as_deref(), Some("size"));
    assert_eq!(e.code.as_deref(), Some("invalid_value"));
    assert_eq!(e.request_id.as_deref(), Some("req_abc"));
    assert_eq!(e.retry_after, Some(std::time::Duration::from_millis(1500)));
    assert_eq!(e.to_string(), "400 invalid_request_error: Invalid size (param size) (request id req_abc)");
}

#[test]
fn envelopes_with_missing_or_extra_fields() {
    let e = api(404, &[], br#"{"error":{"message":"gone"}}"#);
    assert_eq!((e.message.as_str(), e.error_type, e.code), ("gone", None, None));
    let e = api(
        500,
        &[],
        br#"{"error":{"message":"x","type":"server_error","param":null,"code":null,"extra":1},"more":true}"#,
    );
    assert_eq!(e.error_type.as_deref(), Some("server_error"));
}

#[test]
fn a_proxy_html_page_becomes_an_api_error_with_a_snippet() {
    let e = api(502, &[("content-type", "text/html")], b"<html><body><h1>502 Bad Gateway</h1></body></html>");
    assert_eq!(e.kind, ApiErrorKind::Server);
    assert_eq!(e.message, "Bad Gateway (no error envelope in the body)");
    assert!(e.body_snippet.as_deref().unwrap().contains("<h1>502 Bad Gateway</h1>"));
    let e = api(503, &[], b"");
    assert_eq!(e.body_snippet.as_deref(), Some("an empty body"));
}

fn decode(status: u16, headers: &[(&str, &str)], body: &'static [u8]) -> videos_core::DecodeError {
    match RetrieveVideo::new("v").parse(response(status, headers, body)) {
        Err(Error::Decode(e)) => *e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn malformed_truncated_and_empty_bodies_are_decode_errors() {
    let e = decode(200, &[], b"{\"id\": ");
    assert!(e.to_string().starts_with("expected a Video in the 200 response, got: "), "{e}");
    assert!(std::error::Error::source(&e).is_some());
    let e = decode(200, &[], &VIDEO_JSON[..VIDEO_JSON.len() - 5]);
    assert_eq!(e.expected, "a Video");
    let e = decode(200, &[], b"");
    assert!(e.to_string().ends_with("got: an empty body"));
    let e = decode(200, &[], br#"{"status":"queued"}"#);
    assert!(std::error::Error::source(&e).unwrap().to_string().contains("missing field"));
    let e = decode(200, &[], br#"[1,2,3]"#);
    assert_eq!(e.status, StatusCode::OK);
}

#[test]
fn a_wrong_content_type_is_a_decode_error_naming_it() {
    let e = decode(200, &[("content-type", "text/html")], b"<html>hello</html>");
    assert_eq!(e.content_type.as_deref(), Some("text/html"));
    assert_eq!(e.to_string(), "expected a Video in the 200 response (text/html), got: \"<html>hello</html>\"");
}

#[test]
fn huge_bodies_are_quoted_briefly() {
    let body: &'static [u8] = Box::leak(vec![b'x'; 8 * 1024 * 1024].into_boxed_slice());
    let e = decode(200, &[], body);
    assert!(e.to_string().len() < 512);
}

#[test]
fn download_heads() {
    let op = DownloadContent::new("v");
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", "video/mp4".parse().unwrap());
    headers.insert("content-length", "1048576".parse().unwrap());
    let head = op.parse_head(StatusCode::OK, &headers).unwrap();
    assert_eq!((head.content_type.as_deref(), head.content_length), (Some("video/mp4"), Some(1_048_576)));
    assert!(op.parse_head(StatusCode::NOT_FOUND, &headers).is_none());
    let err = op.parse_error(
        StatusCode::NOT_FOUND,
        &http::HeaderMap::new(),
        br#"{"error":{"message":"Video is not ready","type":"invalid_request_error"}}"#,
    );
    assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound));
}

#[test]
fn the_request_id_comes_from_the_first_header_in_order_of_preference() {
    let headers = |pairs: &[(&'static str, &'static str)]| {
        let mut map = http::HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, http::HeaderValue::from_static(value));
        }
        map
    };
    // Whatever order they arrive in, OpenAI's wins, then Azure APIM's, Azure's, LiteLLM's.
    let all = headers(&[
        ("x-litellm-call-id", "call-1"),
        ("x-ms-request-id", "ms-1"),
        ("apim-request-id", "apim-1"),
        ("x-request-id", "req_1"),
    ]);
    assert_eq!(videos_core::response::request_id(&all).as_deref(), Some("req_1"));
    let azure = headers(&[("x-litellm-call-id", "call-1"), ("x-ms-request-id", "ms-1"), ("apim-request-id", "apim-1")]);
    assert_eq!(videos_core::response::request_id(&azure).as_deref(), Some("apim-1"));
    // A blank value is no id: the next header is taken.
    let blank = headers(&[("x-request-id", "  "), ("x-litellm-call-id", "call-2")]);
    assert_eq!(videos_core::response::request_id(&blank).as_deref(), Some("call-2"));
    assert_eq!(videos_core::response::request_id(&headers(&[("x-other", "1")])), None);
}
