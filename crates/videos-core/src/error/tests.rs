//! The error type: its size, its accessors, its messages.

use super::*;

#[test]
fn errors_stay_two_words() {
    // Boxed variants keep `Result<Video, Error>` no bigger than the video itself needs.
    assert_eq!(std::mem::size_of::<Error>(), 2 * std::mem::size_of::<usize>());
}

#[test]
fn accessors_answer_for_every_phase() {
    let timeout = Error::from(TransportError::new(TransportFailure::Timeout, "slow"));
    assert!(timeout.is_timeout() && timeout.is_retryable());
    assert_eq!((timeout.status(), timeout.request_id()), (None, None));
    let redirect = Error::from(TransportError::new(TransportFailure::Redirect, "loop"));
    assert!(!redirect.is_retryable() && !redirect.is_timeout());
    let decode = Error::from(DecodeError {
        expected: "a Video",
        status: StatusCode::OK,
        content_type: None,
        snippet: snippet(b"<html>"),
        body: bytes::Bytes::from_static(b"<html>"),
        over_limit: None,
        request_id: Some("req_7".into()),
        source: None,
    });
    assert_eq!((decode.status(), decode.request_id()), (Some(StatusCode::OK), Some("req_7")));
    assert!(!decode.is_retryable());
    assert!(decode.to_string().ends_with("(request id req_7)"), "{decode}");
    let limited = Error::from(ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        kind: ApiErrorKind::RateLimit,
        message: "slow down".into(),
        error_type: None,
        param: None,
        code: None,
        request_id: None,
        body_snippet: None,
        body: bytes::Bytes::new(),
        retry_after: Some(Duration::from_secs(3)),
        retryable: true,
    });
    assert!(limited.is_retryable());
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(3)));
}

#[test]
fn snippets_are_bounded() {
    let big = "x".repeat(10 * 1024 * 1024);
    let s = snippet(big.as_bytes());
    assert!(s.len() < 400, "{}", s.len());
    assert!(s.ends_with("(10485760 bytes in all)"));
    assert_eq!(snippet(b""), "an empty body");
    assert_eq!(snippet(b"<html>\n"), "\"<html> \"");
}

#[test]
fn snippets_cut_on_char_boundaries() {
    let text = "é".repeat(SNIPPET_LIMIT);
    let s = snippet(text.as_bytes());
    assert!(!s.contains('\u{FFFD}'), "{s}");
}

#[test]
fn api_errors_read_as_one_line() {
    let e = ApiError {
        status: StatusCode::UNAUTHORIZED,
        kind: ApiErrorKind::Authentication,
        message: "Incorrect API key provided.".into(),
        error_type: Some("authentication_error".into()),
        param: None,
        code: Some("invalid_api_key".into()),
        request_id: Some("req_1".into()),
        body_snippet: None,
        body: bytes::Bytes::new(),
        retry_after: None,
        retryable: false,
    };
    assert_eq!(e.to_string(), "401 authentication_error: Incorrect API key provided. (request id req_1)");
}
