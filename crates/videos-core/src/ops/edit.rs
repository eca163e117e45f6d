//! `POST /videos/edits`: a new job editing an existing video.

use http::{Method, Request};
use videos_types::{Video, VideoEditBody, VideoModel};

use super::{Operation, validate};
use crate::config::Config;
use crate::error::Error;
use crate::request::multipart::{FilePart, Multipart};
use crate::request::{Body, Draft, RequestOptions, build};
use crate::response::{ApiResponse, parse_created_job};
use bytes::Bytes;
use http::Response;

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
    fn decode(response: Response<Bytes>) -> Result<ApiResponse<Video>, Error> {
        parse_created_job(response)
    }

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::prompt("prompt", &self.prompt)?;
        let draft = Draft::new(Method::POST, "/videos/edits".to_owned());
        let draft = match &self.video {
            VideoSource::Id(id) => {
                validate::id("video.id", id)?;
                let mut body = VideoEditBody::new(id, &self.prompt);
                if let Some(model) = &self.model {
                    body.extra.insert("model".to_owned(), model.as_str().into());
                }
                draft.json(&body)?
            }
            VideoSource::Upload(file) => {
                let form = upload_form(options, file, &self.prompt, None, self.model.as_ref())?;
                Draft { body: Body::Multipart(form), ..draft }
            }
        };
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}

/// Builds the multipart form of an upload-based edit or extension.
pub(super) fn upload_form(
    options: &RequestOptions,
    file: &FilePart,
    prompt: &str,
    seconds: Option<&str>,
    model: Option<&VideoModel>,
) -> Result<Multipart, Error> {
    let mut form = Multipart::builder(&options.boundary())?.file("video", file.clone()).text("prompt", prompt);
    if let Some(seconds) = seconds {
        form = form.text("seconds", seconds);
    }
    if let Some(model) = model {
        form = form.text("model", model.as_str());
    }
    Ok(form.finish())
}
