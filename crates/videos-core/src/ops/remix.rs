//! `POST /videos/{video_id}/remix`: a new job reworking a completed video.

use http::{Method, Request};
use videos_types::{Video, VideoRemixBody};

use super::{Operation, validate};
use crate::config::Config;
use crate::error::Error;
use crate::request::{Body, Draft, Fields, RequestOptions, build};
use crate::response::{ApiResponse, parse_created_job};
use crate::url::path_segment;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Remixes a completed job under a new prompt (sent as JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemixVideo {
    /// The completed job to start from.
    pub video_id: String,
    /// How the remix should differ.
    pub prompt: String,
    /// This create's own `Idempotency-Key` (see [`Self::idempotency_key`]).
    pub idempotency_key: Option<String>,
}

impl RemixVideo {
    /// Remixes `video_id` with `prompt`.
    pub fn new(video_id: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self { video_id: video_id.into(), prompt: prompt.into(), idempotency_key: None }
    }

    /// Sends `key` as this call's `Idempotency-Key`: the same call with the
    /// same key gets the job the first one made, never a second. Keep it
    /// (a job id, an order number) to repeat a call whose outcome was lost;
    /// without one, each call draws a fresh key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

impl Operation for RemixVideo {
    type Output = Video;
    const EXPECTED: &'static str = "a Video";

    /// Keeps the job whenever the answer names its id (see [`parse_created_job`]).
    fn decode(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Video>, Error> {
        parse_created_job(status, headers, body)
    }

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let id = path_segment("video_id", &self.video_id)?;
        validate::prompt("prompt", &self.prompt)?;
        let fields = Fields::of(&VideoRemixBody::new(&self.prompt))?;
        let draft = Draft::new(Method::POST, ["/videos/", &id, "/remix"].concat()).fields(fields);
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}
