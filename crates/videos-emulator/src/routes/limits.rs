//! The request limit, as OpenAI's API applies it: every request counts over
//! a sliding window, refused ones too, and every answer says where the
//! budget stands in `x-ratelimit-*-requests` headers.
//!
//! `x-ratelimit-reset-requests` is the time until the oldest request counted
//! leaves the window, which is when one more request is allowed once the
//! budget is spent. It is written as OpenAI writes durations (`20ms`, `1s`,
//! `1m30.5s`).
//!
//! A window shorter than a minute (for tests) is a minute compressed:
//! `x-ratelimit-limit-requests` states the equivalent rate per minute, as
//! the service's does, so a client paces itself as it would against the
//! real minute; `remaining` counts what is left in the window itself.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::ApiError;

/// Counts the request, refuses it when the window is full, and adds the headers.
pub(crate) async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limit) = state.config.limits.requests_per_window else {
        return next.run(request).await;
    };
    let window = state.config.limits.window;
    let now = Instant::now();
    let (allowed, remaining, reset) = {
        let mut times = state.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= window) {
            times.pop_front();
        }
        let allowed = times.len() < limit as usize;
        // Refused requests count too; the deque never holds more than a window's worth of arrivals.
        times.push_back(now);
        let remaining = (limit as usize).saturating_sub(times.len());
        let reset = times.front().map_or(Duration::ZERO, |oldest| (*oldest + window).saturating_duration_since(now));
        (allowed, remaining, reset)
    };
    let mut response = if allowed {
        next.run(request).await
    } else {
        let mut refused = ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!(
                "Rate limit reached for requests per {}: limit {limit}, used {limit}. Please try again in {}.",
                window_name(window),
                openai_duration(reset)
            ),
            error_type: "requests",
            param: None,
            code: Some("rate_limit_exceeded"),
        }
        .into_response();
        if state.config.limits.retry_after {
            let seconds = reset.as_secs() + u64::from(reset.subsec_nanos() > 0);
            refused.headers_mut().insert("retry-after", HeaderValue::from(seconds));
        }
        refused
    };
    let per_minute = (f64::from(limit) * 60.0 / window.as_secs_f64()).round().max(1.0) as u64;
    insert_headers(response.headers_mut(), per_minute, remaining, reset);
    response
}

fn insert_headers(headers: &mut HeaderMap, limit: u64, remaining: usize, reset: Duration) {
    headers.insert("x-ratelimit-limit-requests", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining-requests", HeaderValue::from(remaining));
    if let Ok(value) = HeaderValue::from_str(&openai_duration(reset)) {
        headers.insert("x-ratelimit-reset-requests", value);
    }
}

fn window_name(window: Duration) -> String {
    if window == Duration::from_secs(60) { "min".to_owned() } else { openai_duration(window) }
}

/// A duration as OpenAI's headers write it: `20ms` under a second, else
/// minutes and seconds with at most three decimals (`1s`, `6m0s`, `1m30.5s`).
pub(crate) fn openai_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (minutes, rest_ms) = (ms / 60_000, ms % 60_000);
    let seconds = format!("{}.{:03}", rest_ms / 1000, rest_ms % 1000);
    let seconds = seconds.trim_end_matches('0').trim_end_matches('.');
    if minutes > 0 { format!("{minutes}m{seconds}s") } else { format!("{seconds}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_as_openai_writes_them() {
        for (ms, text) in
            [(20, "20ms"), (0, "0ms"), (1000, "1s"), (360_000, "6m0s"), (90_500, "1m30.5s"), (1_250, "1.25s")]
        {
            assert_eq!(openai_duration(Duration::from_millis(ms)), text);
        }
    }
}
