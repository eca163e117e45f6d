//! `POST /videos`: start a job from a prompt, optionally with a reference image.

use http::{Method, Request};
use videos_types::{ImageInputReference, Video, VideoCreateBody, VideoModel, VideoSeconds, VideoSize, limits};

use super::{Operation, validate};
use crate::config::Config;
use crate::error::{Error, InvalidInput};
use crate::request::multipart::FilePart;
use crate::request::{Body, Draft, Fields, RequestOptions, build};
use crate::response::{ApiResponse, parse_created_job};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// A reference image that guides the first frames.
#[derive(Debug, Clone, PartialEq)]
pub enum InputReference {
    /// An image file uploaded with the request (sent as multipart).
    Upload(FilePart),
    /// An image by Files API id or URL (sent as JSON). Exactly one of the two must be set.
    Object(ImageInputReference),
}

/// Starts a video-generation job.
///
/// ```
/// use videos_core::{CreateVideo, Config, Operation, RequestOptions};
/// use videos_types::{VideoSeconds, VideoSize};
///
/// let create = CreateVideo::new("A calico cat playing a piano on stage")
///     .seconds(VideoSeconds::Eight)
///     .size(VideoSize::Landscape1280x720);
/// let request = create.request(&Config::new("sk-test"), &RequestOptions::default()).unwrap();
/// assert_eq!(request.uri(), "https://api.openai.com/v1/videos");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CreateVideo {
    /// What the video should show, 1 to 32000 characters.
    pub prompt: String,
    /// The model (the service assumes `sora-2`).
    pub model: Option<VideoModel>,
    /// The clip length (the service assumes 4 seconds).
    pub seconds: Option<VideoSeconds>,
    /// The frame size (the service assumes 720x1280).
    pub size: Option<VideoSize>,
    /// An optional reference image.
    pub input_reference: Option<InputReference>,
    /// This create's own `Idempotency-Key` (see [`Self::idempotency_key`]).
    pub idempotency_key: Option<String>,
}

impl CreateVideo {
    /// A job for `prompt` with the service's defaults.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self {
            prompt: prompt.into(),
            model: None,
            seconds: None,
            size: None,
            input_reference: None,
            idempotency_key: None,
        }
    }

    /// Sends `key` as this call's `Idempotency-Key`: the same call with the
    /// same key gets the job the first one made, never a second. Keep it
    /// (a job id, an order number) to repeat a call whose outcome was lost;
    /// without one, each call draws a fresh key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sets the model.
    pub fn model(mut self, model: impl Into<VideoModel>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the clip length.
    pub fn seconds(mut self, seconds: impl Into<VideoSeconds>) -> Self {
        self.seconds = Some(seconds.into());
        self
    }

    /// Sets the frame size.
    pub fn size(mut self, size: impl Into<VideoSize>) -> Self {
        self.size = Some(size.into());
        self
    }

    /// Sets the reference image.
    pub fn input_reference(mut self, reference: InputReference) -> Self {
        self.input_reference = Some(reference);
        self
    }
}

fn check_reference_object(reference: &ImageInputReference) -> Result<(), InvalidInput> {
    match (&reference.file_id, &reference.image_url) {
        (Some(_), Some(_)) => Err(InvalidInput::new("input_reference", "set either file_id or image_url, not both")),
        (None, None) => Err(InvalidInput::new("input_reference", "set one of file_id or image_url")),
        (Some(id), None) => validate::id("input_reference.file_id", id),
        (None, Some(url)) => {
            validate::length("input_reference.image_url", url, 1, limits::IMAGE_INPUT_REFERENCE_IMAGE_URL_MAX_LENGTH)
        }
    }
}

impl Operation for CreateVideo {
    type Output = Video;
    const EXPECTED: &'static str = "a Video";

    /// Keeps the job whenever the answer names its id (see [`parse_created_job`]).
    fn decode(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Video>, Error> {
        parse_created_job(status, headers, body)
    }

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::prompt("prompt", &self.prompt)?;
        let input_reference = match &self.input_reference {
            Some(InputReference::Object(object)) => {
                check_reference_object(object)?;
                Some(object.clone())
            }
            _ => None,
        };
        let body = VideoCreateBody {
            prompt: self.prompt.clone(),
            model: self.model.clone(),
            seconds: self.seconds.clone(),
            size: self.size.clone(),
            input_reference,
            ..VideoCreateBody::default()
        };
        let mut fields = Fields::of(&body)?;
        if let Some(InputReference::Upload(file)) = &self.input_reference {
            fields = fields.file("input_reference", file.clone());
        }
        let draft = Draft::new(Method::POST, "/videos".to_owned()).fields(fields);
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}
