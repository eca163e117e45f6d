//! What an exchange tells `tracing`: one span per call (method and path,
//! then its status and request id) and an event at each decision, with the
//! attempt it concerns. Never a
//! header, a query, a body or a prompt: credentials and user content stay
//! out of logs at every level.

use std::time::Duration;

use http::{Request, Uri};
use tracing::field::Empty;

use crate::error::Error;
use crate::request::Body;
use crate::response::ApiResponse;

/// The span of one call.
pub(super) fn span(request: &Request<Body>) -> tracing::Span {
    tracing::info_span!(
        target: "videos",
        "videos.call",
        method = %request.method(),
        path = request.uri().path(),
        status = Empty,
        request_id = Empty,
    )
}

/// An attempt (or a redirect's next hop) is about to be sent.
pub(super) fn sending(span: &tracing::Span, attempt: u32, hop: usize) {
    span.in_scope(|| tracing::debug!(target: "videos", attempt, hop, "sending"));
}

/// A redirect is followed.
pub(super) fn redirected(span: &tracing::Span, to: &Uri, same_origin: bool) {
    let host = to.host().unwrap_or_default();
    span.in_scope(|| tracing::debug!(target: "videos", host, path = to.path(), same_origin, "following a redirect"));
}

/// The attempt failed in a way worth another try.
pub(super) fn retrying(span: &tracing::Span, next_attempt: u32, wait: Duration, cause: &str) {
    let wait_ms = wait.as_millis() as u64;
    span.in_scope(|| tracing::info!(target: "videos", next_attempt, wait_ms, cause, "retrying"));
}

/// The client's request budget holds the attempt back.
pub(super) fn paced(span: &tracing::Span, wait: Duration) {
    let wait_ms = wait.as_millis() as u64;
    span.in_scope(|| tracing::debug!(target: "videos", wait_ms, "waiting for the request budget"));
}

/// The call is over.
pub(super) fn finished<T>(span: &tracing::Span, result: &Result<ApiResponse<T>, Error>) {
    match result {
        Ok(response) => {
            span.record("status", response.status.as_u16());
            if let Some(id) = &response.request_id {
                span.record("request_id", id.as_str());
            }
            span.in_scope(|| tracing::debug!(target: "videos", status = response.status.as_u16(), "answered"));
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            if let Some(id) = error.request_id() {
                span.record("request_id", id);
            }
            // The error's text may quote what the server sent back; only at debug.
            let retryable = error.is_retryable();
            span.in_scope(|| {
                tracing::info!(target: "videos", retryable, "failed");
                tracing::debug!(target: "videos", %error, "failure");
            });
        }
    }
}
