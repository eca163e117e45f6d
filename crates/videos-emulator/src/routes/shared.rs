//! What every handler shares: the emulator's settings, its store of jobs,
//! its renders and limits, and the operations on them that several routes
//! need (finding a job as it is now, starting a new one).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use videos_types::{Video, VideoModel, VideoSeconds, VideoSize, VideoStatus};

use crate::config::EmulatorConfig;
use crate::error::ApiError;
use crate::media::Renders;
use crate::render::Rendered;
use crate::state::{Created, Job, Store, failure_for, new_id, new_video, status_text, unix_now_ms};

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

/// The header that keys a retried POST to its first result.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// What a new job is made of.
pub(crate) struct NewJob {
    pub(crate) model: VideoModel,
    pub(crate) size: VideoSize,
    pub(crate) seconds: u32,
    pub(crate) prompt: String,
    pub(crate) remixed_from: Option<String>,
    /// Prompts and their seconds, in order (an extension repeats its source's first).
    pub(crate) segments: Vec<(String, u32)>,
}

pub(crate) fn json_video(video: Video, poll_after: Duration) -> Response {
    let mut response = Json(video).into_response();
    let ms = poll_after.as_millis().clamp(50, 5_000);
    if let Ok(value) = HeaderValue::from_str(&ms.to_string()) {
        response.headers_mut().insert("openai-poll-after-ms", value);
    }
    response
}

impl Shared {
    pub(crate) fn poll_hint(&self) -> Duration {
        (self.config.time_per_video_second * 4) / 10
    }

    /// Stores a job (or returns the one an earlier request with the same key created) and starts rendering it.
    pub(crate) fn start(
        self: &std::sync::Arc<Self>,
        route: &str,
        headers: &HeaderMap,
        job: NewJob,
    ) -> Result<Response, ApiError> {
        let key = headers.get(IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()).map(|k| format!("{route}\n{k}"));
        let id = new_id("video");
        let seconds = VideoSeconds::from_secs(job.seconds);
        let video = new_video(id, job.model, job.size, seconds, Some(job.prompt.clone()), job.remixed_from);
        let length_ms = (self.config.time_per_video_second * job.seconds).as_millis();
        let stored = Job {
            video,
            created_ms: unix_now_ms(),
            length_ms: u64::try_from(length_ms).unwrap_or(u64::MAX),
            fail: failure_for(&job.prompt),
            segments: job.segments,
        };
        let max_in_progress = self.config.limits.max_jobs_in_progress.map(|n| n as usize);
        let created = self
            .store()
            .create(stored.clone(), key, self.config.max_jobs, max_in_progress)
            .map_err(|e| ApiError::storage(&e))?;
        let job = match created {
            Created::Existing(existing) => return Ok(json_video(existing.observe(unix_now_ms()), self.poll_hint())),
            Created::Full => {
                let error = ApiError {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    message: format!("The emulator keeps at most {} jobs; delete some first.", self.config.max_jobs),
                    error_type: "rate_limit_error",
                    param: None,
                    code: Some("job_limit_reached"),
                };
                // Waiting does not help, so tell clients not to retry.
                let mut response = error.into_response();
                response.headers_mut().insert("x-should-retry", HeaderValue::from_static("false"));
                return Ok(response);
            }
            Created::Busy(running) => {
                // Worth waiting for: a job ends and the slot frees, so no x-should-retry here.
                return Err(ApiError {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    message: format!(
                        "Too many jobs in progress: {running}, and at most {} run at once. Try again when one finishes.",
                        max_in_progress.unwrap_or(running)
                    ),
                    error_type: "rate_limit_error",
                    param: None,
                    code: Some("too_many_jobs_in_progress"),
                });
            }
            Created::New => stored,
        };
        if job.fail.is_none() && self.config.render_ahead {
            // Rendered ahead, so the first download need not wait; a download
            // that comes first, or in another process, renders on its own.
            let shared = self.clone();
            let ahead = job.clone();
            tokio::spawn(async move {
                if let Err(reason) = shared.media(&ahead).await {
                    tracing::warn!(video_id = %ahead.video.id, "render failed: {reason}");
                }
            });
        }
        Ok(json_video(job.observe(unix_now_ms()), self.poll_hint()))
    }

    /// A stored job as it is now (the video the API shows, and the stored job), or 404.
    pub(crate) fn find_job(&self, id: &str) -> Result<(Video, Job), ApiError> {
        let store = self.store();
        let job = store.jobs.get(id).ok_or_else(|| ApiError::not_found("video_id", "video", id))?;
        Ok((job.observe(unix_now_ms()), job.clone()))
    }

    /// A completed source job, for remix, edit and extend.
    pub(crate) fn completed_source(&self, id: &str, param: &'static str) -> Result<(Video, Job), ApiError> {
        let (video, job) = self.find_job(id).map_err(|_| ApiError::not_found(param, "video", id))?;
        if video.status != Some(VideoStatus::Completed) {
            return Err(ApiError::invalid(
                param,
                format!("Video '{id}' has status {}; only completed videos can be used.", status_text(&video)),
            ));
        }
        Ok((video, job))
    }
}
