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
mod videos;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tokio::sync::Semaphore;

use crate::config::EmulatorConfig;
use crate::error::ApiError;
use crate::media::Renders;
use crate::render::Rendered;
use crate::state::{Job, Store};

/// What every handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) store: Mutex<Store>,
    pub(crate) state_dir: PathBuf,
    /// Renders run one at a time per CPU, so a burst of jobs cannot starve the server.
    pub(crate) render_slots: Semaphore,
    pub(crate) renders: Renders,
    pub(crate) faults: Mutex<fastrand::Rng>,
    /// When the requests of the current rate-limit window arrived, oldest first.
    pub(crate) requests: Mutex<std::collections::VecDeque<std::time::Instant>>,
    /// The key accepted now; starts as the configured one and can be rotated.
    pub(crate) accepted_key: RwLock<Option<String>>,
    /// `http://HOST:PORT` of the blob listener, in Azure mode.
    pub(crate) blob_origin: OnceLock<String>,
    /// Signs blob URLs.
    pub(crate) blob_secret: std::hash::RandomState,
}

/// The handlers' state.
pub(crate) type AppState = Arc<Shared>;

impl Shared {
    /// The store, caught up with what other processes journaled, even if a
    /// handler panicked while holding it (the data stays consistent: every
    /// change is one journal entry, applied whole).
    pub(crate) fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        let mut store = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = store.catch_up() {
            // What was read before stays; the next request tries again.
            tracing::warn!("could not read the journal: {e}");
        }
        store
    }

    /// The media of a completed job, rendered now if no one has yet.
    pub(crate) async fn media(&self, job: &Job) -> Result<Rendered, String> {
        let dir = self.state_dir.join(&job.video.id);
        self.renders.ensure(job, &dir, self.config.fps, &self.render_slots).await
    }
}

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
