//! Authentication and fault injection, in front of every route.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::ApiError;

/// One line per request at info level (target `videos_emulator`): method,
/// path, status and milliseconds; never a header or a body.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "videos_emulator", "{method} {path} {} {ms:.1}ms", response.status().as_u16());
    response
}

/// Every answer carries a request id, as the service's do: `x-request-id`,
/// or Azure's `apim-request-id` in Azure mode.
pub(crate) async fn request_id(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let name = if state.config.azure.is_some() { "apim-request-id" } else { "x-request-id" };
    if let Ok(value) = HeaderValue::from_str(&format!("req_{:024x}", fastrand::u128(..) >> 32)) {
        response.headers_mut().insert(name, value);
    }
    response
}

/// A key is required: a Bearer token, or in Azure mode an `api-key` header
/// too; when the emulator has a key, only that key.
pub(crate) async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let api_key = request.headers().get("api-key").and_then(|v| v.to_str().ok()).map(str::trim);
    let token = match state.config.azure {
        Some(_) => api_key.or(bearer),
        None => bearer,
    };
    let accepted = state.accepted_key.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let unauthorized = |message: &str, code: Option<&'static str>| {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: message.to_owned(),
            error_type: "invalid_request_error",
            param: None,
            code,
        }
        .into_response()
    };
    match (token, &accepted) {
        (None | Some(""), _) if state.config.azure.is_some() => unauthorized(
            "Access denied due to missing subscription key. Send it in the 'api-key' header, or a token as 'Authorization: Bearer TOKEN'.",
            None,
        ),
        (None | Some(""), _) => unauthorized(
            "You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.",
            None,
        ),
        // The key itself is never echoed back.
        (Some(given), Some(expected)) if given != expected => {
            unauthorized("Incorrect API key provided.", Some("invalid_api_key"))
        }
        _ => next.run(request).await,
    }
}

enum Fault {
    RateLimit,
    ServerError,
    Unavailable,
    Slow,
    Cut,
}

/// Answers a seeded fraction of requests with a fault instead.
pub(crate) async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let faults = &state.config.faults;
    if !faults.any() {
        return next.run(request).await;
    }
    // A cut needs the whole answer in memory first; media downloads are never cut.
    let cuttable = !request.uri().path().ends_with("/content");
    let fault = {
        let mut rng = state.faults.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let draw = rng.f64();
        let mut edge = 0.0;
        let mut pick = |share: f64, fault: Fault| {
            edge += share;
            (draw < edge).then_some(fault)
        };
        pick(faults.rate_limit, Fault::RateLimit)
            .or_else(|| pick(faults.server_error, Fault::ServerError))
            .or_else(|| pick(faults.unavailable, Fault::Unavailable))
            .or_else(|| pick(faults.slow, Fault::Slow))
            .or_else(|| pick(if cuttable { faults.cut } else { 0.0 }, Fault::Cut))
    };
    let injected = |status: StatusCode, message: &str, error_type: &'static str| {
        ApiError { status, message: message.to_owned(), error_type, param: None, code: Some("injected_fault") }
            .into_response()
    };
    match fault {
        None => next.run(request).await,
        Some(Fault::RateLimit) => {
            let mut response = injected(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit reached (injected by the emulator).",
                "rate_limit_error",
            );
            response.headers_mut().insert("retry-after-ms", HeaderValue::from_static("20"));
            response
        }
        Some(Fault::ServerError) => {
            injected(StatusCode::INTERNAL_SERVER_ERROR, "Internal error (injected by the emulator).", "server_error")
        }
        Some(Fault::Unavailable) => {
            injected(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable (injected by the emulator).", "server_error")
        }
        Some(Fault::Slow) => {
            tokio::time::sleep(faults.delay.min(Duration::from_secs(60))).await;
            next.run(request).await
        }
        Some(Fault::Cut) => {
            // Run the request (so a create still creates), then send half the body and fail the stream,
            // which makes the server drop the connection mid-body.
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            parts.headers.insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let stream = futures_util::stream::iter([Ok(half), Err(std::io::Error::other("cut by the emulator"))]);
            Response::from_parts(parts, Body::from_stream(stream))
        }
    }
}
