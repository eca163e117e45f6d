//! The emulator's memory: jobs, characters and idempotency keys, and how a
//! job's status follows from the time since it was created.
//!
//! A job is stored once and *observed*: its status and progress are computed
//! from the clock and from whether its media are rendered, so there is no
//! background ticking and no state to fall out of step.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Map;
use videos_types::{
    UnixTime, Video, VideoCharacter, VideoCreateError, VideoModel, VideoObject, VideoSeconds, VideoSize, VideoStatus,
};

use crate::render::Rendered;

/// Unix seconds now.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// A prompt that asks the emulator to fail the job, and how.
const FAIL_TRIGGERS: &[(&str, &str, &str)] = &[
    ("[fail]", "video_generation_failed", "The emulator failed this job because its prompt contains [fail]."),
    ("[moderation]", "moderation_blocked", "The emulator blocked this job because its prompt contains [moderation]."),
];

/// The failure a prompt asks for, if any.
pub(crate) fn failure_for(prompt: &str) -> Option<(&'static str, &'static str)> {
    let lower = prompt.to_ascii_lowercase();
    FAIL_TRIGGERS.iter().find(|(t, _, _)| lower.contains(t)).map(|(_, code, message)| (*code, *message))
}

/// Where a job's media stand.
#[derive(Debug, Clone)]
pub(crate) enum Media {
    /// Being rendered.
    Pending,
    /// Rendered; the files exist.
    Ready(Rendered),
    /// Rendering failed; the job fails with this message.
    Failed(String),
    /// Not rendered at all (a job that was asked to fail).
    None,
}

/// One job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The job as created; status, progress and timestamps are filled in by [`Job::observe`].
    pub(crate) video: Video,
    pub(crate) created: Instant,
    pub(crate) length: Duration,
    pub(crate) fail: Option<(&'static str, &'static str)>,
    pub(crate) media: Media,
    pub(crate) dir: PathBuf,
    /// The prompts the video is made of, with their seconds (for extensions).
    pub(crate) segments: Vec<(String, u32)>,
}

impl Job {
    /// The job as it is at `now`.
    pub(crate) fn observe(&mut self, now: Instant) -> Video {
        let elapsed = now.saturating_duration_since(self.created);
        let fraction = if self.length.is_zero() { 1.0 } else { elapsed.as_secs_f64() / self.length.as_secs_f64() };
        let v = &mut self.video;
        if matches!(v.status, Some(VideoStatus::Completed | VideoStatus::Failed)) {
            return v.clone();
        }
        let finished = |v: &mut Video, status: VideoStatus| {
            v.status = Some(status);
            v.completed_at = Some(UnixTime::from_secs(unix_now()));
        };
        match (&self.fail, &self.media) {
            (Some((code, message)), _) if fraction >= 0.3 => {
                finished(v, VideoStatus::Failed);
                v.error = Some(VideoCreateError {
                    code: Some((*code).to_owned()),
                    message: Some((*message).to_owned()),
                    extra: Map::new(),
                });
            }
            (None, Media::Failed(reason)) => {
                finished(v, VideoStatus::Failed);
                v.error = Some(VideoCreateError {
                    code: Some("render_failed".to_owned()),
                    message: Some(reason.clone()),
                    extra: Map::new(),
                });
            }
            (None, Media::Ready(_)) if fraction >= 1.0 => {
                finished(v, VideoStatus::Completed);
                v.progress = Some(100);
                v.expires_at = v.completed_at.as_ref().map(|t| UnixTime::from_secs(t.as_secs() + 24 * 60 * 60));
            }
            _ if fraction < 0.1 => {
                v.status = Some(VideoStatus::Queued);
                v.progress = Some(0);
            }
            _ => {
                v.status = Some(VideoStatus::InProgress);
                v.progress = Some(((fraction * 100.0) as i64).clamp(1, 99));
            }
        }
        v.clone()
    }
}

/// Everything the emulator remembers.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) jobs: HashMap<String, Job>,
    /// Job ids in creation order.
    pub(crate) order: Vec<String>,
    pub(crate) characters: HashMap<String, VideoCharacter>,
    /// `route + key` → the job created the first time.
    pub(crate) idempotency: HashMap<String, String>,
}

/// A job's status for messages (the emulator always sets one).
pub(crate) fn status_text(video: &Video) -> &str {
    video.status.as_ref().map_or("unknown", VideoStatus::as_str)
}

/// A fresh id with `prefix`.
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{:032x}", fastrand::u128(..))
}

/// A new job's `Video`, before it is observed.
pub(crate) fn new_video(
    id: String,
    model: VideoModel,
    size: VideoSize,
    seconds: VideoSeconds,
    prompt: Option<String>,
    remixed_from: Option<String>,
) -> Video {
    Video {
        id,
        object: Some(VideoObject::Video),
        model: Some(model),
        status: Some(VideoStatus::Queued),
        progress: Some(0),
        created_at: Some(UnixTime::from_secs(unix_now())),
        completed_at: None,
        expires_at: None,
        prompt,
        size: Some(size),
        seconds: Some(seconds),
        remixed_from_video_id: remixed_from,
        error: None,
        extra: Map::new(),
    }
}
