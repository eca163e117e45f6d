//! `POST /videos/edits`: a new job editing an existing video.

use http::{Method, Request};
use videos_types::{Video, VideoEditBody, VideoModel};

use super::{Operation, validate};
use crate::config::Config;
use crate::error::Error;
use crate::request::multipart::FilePart;
use crate::request::{Body, Draft, Fields, RequestOptions, build};
use crate::response::{ApiResponse, parse_created_job};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// The video an edit or extension starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoSource {
    /// A completed job, by id (sent as JSON).
    Id(String),
    /// A video file uploaded with the request (sent as multipart).
    Upload(FilePart),
}

impl VideoSource {
    /// A completed job by id.
    pub fn id(id: impl Into<String>) -> Self {
        Self::Id(id.into())
    }

    /// The job id for the body's `video` field; an upload's is empty, and
    /// its file takes the field's place (see [`Self::fields`]).
    pub(super) fn id_or_empty(&self) -> &str {
        match self {
            VideoSource::Id(id) => id,
            VideoSource::Upload(_) => "",
        }
    }

    /// The fields of `body` (an edit or extension of this source), with
    /// `model` when set, and this source as its `video`: the id, checked, or
    /// the uploaded file in the field's place.
    pub(super) fn fields(&self, body: &impl serde::Serialize, model: Option<&VideoModel>) -> Result<Fields, Error> {
        let fields = Fields::of(body)?.optional("model", model.map(VideoModel::as_str));
        match self {
            VideoSource::Id(id) => {
                validate::id("video.id", id)?;
                Ok(fields)
            }
            VideoSource::Upload(file) => Ok(fields.file("video", file.clone())),
        }
    }
}

/// Edits a video under a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditVideo {
    /// The video to edit.
    pub video: VideoSource,
    /// How to change it, 1 to 32000 characters.
    pub prompt: String,
    /// The model, for services that route on it (gateways); OpenAI's own
    /// API takes none here, so it is sent only when set.
    pub model: Option<VideoModel>,
    /// This call's own `Idempotency-Key` (see [`Self::idempotency_key`]).
    pub idempotency_key: Option<String>,
}

impl EditVideo {
    /// Edits `video` with `prompt`.
    pub fn new(video: VideoSource, prompt: impl Into<String>) -> Self {
        Self { video, prompt: prompt.into(), model: None, idempotency_key: None }
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

impl Operation for EditVideo {
    type Output = Video;
    const EXPECTED: &'static str = "a Video";

    /// Keeps the job whenever the answer names its id (see [`parse_created_job`]).
    fn decode(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Video>, Error> {
        parse_created_job(status, headers, body)
    }

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::prompt("prompt", &self.prompt)?;
        let body = VideoEditBody::new(self.video.id_or_empty(), &self.prompt);
        let fields = self.video.fields(&body, self.model.as_ref())?;
        let draft = Draft::new(Method::POST, "/videos/edits".to_owned()).fields(fields);
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}
