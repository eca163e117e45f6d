//! The HTTP surface: one router with the ten operations under `/v1` (or
//! `/openai/v1` in Azure mode), behind authentication, fault injection and
//! a body limit; and, in Azure mode, the blob router media redirect to.

mod assets;
mod azure;
mod characters;
mod content;
mod input;
mod limits;
mod middleware;
mod shared;
mod videos;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::error::ApiError;
pub(crate) use shared::{AppState, Shared};

/// The router for `state`.
pub(crate) fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/videos", post(videos::create).get(videos::list))
        .route("/videos/edits", post(videos::edit))
        .route("/videos/extensions", post(videos::extend))
        .route("/videos/characters", post(characters::create))
        .route("/videos/characters/{character_id}", get(characters::retrieve))
        .route("/videos/{video_id}", get(videos::retrieve).delete(videos::delete))
        .route("/videos/{video_id}/content", get(content::download))
        .route("/videos/{video_id}/remix", post(videos::remix))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::authenticate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::inject_faults))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::count_requests))
        .layer(axum::middleware::from_fn_with_state(state.clone(), azure::require_api_version))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_id))
        .with_state(state.clone());
    let prefix = if state.config.azure.is_some() { "/openai/v1" } else { "/v1" };
    Router::new().nest(prefix, api).fallback(not_found).layer(axum::middleware::from_fn(middleware::log_request))
}

/// The blob origin's router (Azure mode): signed media URLs, no credentials.
pub(crate) fn blob_router(state: AppState) -> Router {
    Router::new()
        .route("/blobs/{video_id}/{variant}", get(azure::blob))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_id))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(middleware::log_request))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message:
            "Unknown request URL. The emulator serves the Videos API under /v1/videos (/openai/v1/videos with --azure)."
                .to_owned(),
        error_type: "invalid_request_error",
        param: None,
        code: Some("unknown_url"),
    }
}
