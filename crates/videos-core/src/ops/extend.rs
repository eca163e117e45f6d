//! `POST /videos/extensions`: a new job continuing an existing video.

use http::{Method, Request};
use videos_types::{Video, VideoExtendBody, VideoModel, VideoSeconds};

use super::{Operation, VideoSource, validate};
use crate::config::Config;
use crate::error::{Error, InvalidInput};
use crate::request::{Body, Draft, RequestOptions, build};
use crate::response::{ApiResponse, parse_created_job};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Extends a video by a new segment; the result's `seconds` is the stitched total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendVideo {
    /// The video to continue.
    pub video: VideoSource,
    /// What happens in the new segment, 1 to 32000 characters.
    pub prompt: String,
    /// The length of the new segment alone.
    pub seconds: VideoSeconds,
    /// The model, for services that route on it (gateways); sent only when set.
    pub model: Option<VideoModel>,
    /// This call's own `Idempotency-Key` (see [`Self::idempotency_key`]).
    pub idempotency_key: Option<String>,
}

impl ExtendVideo {
    /// Extends `video` by `seconds` following `prompt`.
    pub fn new(video: VideoSource, prompt: impl Into<String>, seconds: impl Into<VideoSeconds>) -> Self {
        Self { video, prompt: prompt.into(), seconds: seconds.into(), model: None, idempotency_key: None }
    }

    /// Sends `key` as this call's `Idempotency-Key`: the same call with the
    /// same key gets what the first one made, never a second. Keep it to
    /// repeat a call whose outcome was lost; without one, each call draws a
    /// fresh key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sends `model` too (for a gateway that routes on it).
    pub fn model(mut self, model: impl Into<VideoModel>) -> Self {
        self.model = Some(model.into());
        self
    }
}

impl Operation for ExtendVideo {
    type Output = Video;
    const EXPECTED: &'static str = "a Video";

    /// Keeps the job whenever the answer names its id (see [`parse_created_job`]).
    fn decode(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Video>, Error> {
        parse_created_job(status, headers, body)
    }

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::prompt("prompt", &self.prompt)?;
        if self.seconds.as_str().is_empty() {
            return Err(InvalidInput::new("seconds", "must not be empty").into());
        }
        let body = VideoExtendBody::new(self.video.id_or_empty(), &self.prompt, self.seconds.clone());
        let fields = self.video.fields(&body, self.model.as_ref())?;
        let draft = Draft::new(Method::POST, "/videos/extensions".to_owned()).fields(fields);
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}
