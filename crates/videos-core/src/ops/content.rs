//! `GET /videos/{video_id}/content`: the MP4 or a preview image.
//!
//! The core builds the request and judges the response head; the transport
//! streams the body wherever the caller wants it, never holding it whole.

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, Method, Request, StatusCode};
use videos_types::VideoContentVariant;

use crate::config::Config;
use crate::error::{Error, TransportError, TransportFailure};
use crate::request::{Body, Draft, RequestOptions, build};
use crate::response::{api_error, request_id};
use crate::url::path_segment;

/// Downloads the media of a completed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadContent {
    /// The job's id.
    pub video_id: String,
    /// Which asset (the service assumes the MP4 video).
    pub variant: Option<VideoContentVariant>,
}

/// What a successful download's head says about the body to come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentHead {
    /// The HTTP status.
    pub status: StatusCode,
    /// The media type, such as `video/mp4` or `image/webp`.
    pub content_type: Option<String>,
    /// The body's length, when the service states it; [`crate::MediaBody`] checks the bytes that came against it.
    pub content_length: Option<u64>,
    /// The `x-request-id`.
    pub request_id: Option<String>,
}

impl ContentHead {
    /// What a response head says about its body.
    pub(crate) fn read(status: StatusCode, headers: &HeaderMap) -> Self {
        let text = |name| headers.get(name).and_then(|v: &http::HeaderValue| v.to_str().ok());
        ContentHead {
            status,
            content_type: text(CONTENT_TYPE).map(str::to_owned),
            content_length: text(CONTENT_LENGTH).and_then(|v| v.trim().parse().ok()),
            request_id: request_id(headers),
        }
    }

    /// Checks that the body that arrived was whole: `received` bytes against
    /// the `Content-Length` the service announced (when it announced one).
    pub fn check_complete(&self, received: u64) -> Result<(), Error> {
        match self.content_length {
            Some(expected) if expected != received => Err(TransportError::new(
                TransportFailure::Reset,
                format!("the body ended after {received} of {expected} bytes"),
            )
            .into()),
            _ => Ok(()),
        }
    }
}

impl DownloadContent {
    /// Downloads the MP4 of `video_id`.
    pub fn new(video_id: impl Into<String>) -> Self {
        Self { video_id: video_id.into(), variant: None }
    }

    /// Downloads another asset instead.
    pub fn variant(mut self, variant: VideoContentVariant) -> Self {
        self.variant = Some(variant);
        self
    }

    /// Builds the request. Nothing is sent.
    pub fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let id = path_segment("video_id", &self.video_id)?;
        let mut draft = Draft::new(Method::GET, ["/videos/", &id, "/content"].concat());
        draft.query.push_opt("variant", self.variant.as_ref().map(|v| v.as_str()));
        // The asset's own type, which the upstream spec lists for this
        // operation (a validating proxy answers 406 to anything else).
        draft.accept = match self.media_types() {
            [] => "*/*",
            [one] => one,
            _ => "image/jpeg, image/webp",
        };
        build(draft, config, options)
    }

    /// The media types the asked-for variant may come as: `video/mp4` for
    /// the video, `image/webp` for the thumbnail, `image/jpeg` or
    /// `image/webp` for the spritesheet (the upstream spec lists only WebP
    /// images), anything for a variant this version does not know.
    pub fn media_types(&self) -> &'static [&'static str] {
        match &self.variant {
            None | Some(VideoContentVariant::Video) => &["video/mp4"],
            Some(VideoContentVariant::Thumbnail) => &["image/webp"],
            Some(VideoContentVariant::Spritesheet) => &["image/jpeg", "image/webp"],
            Some(_) => &[],
        }
    }

    /// Checks a successful answer's `Content-Type` against the variant asked
    /// for: a gateway that answers a thumbnail request with the MP4 must not
    /// leave an MP4 in `thumbnail.webp`. An answer without a type, or with a
    /// generic binary one, is taken (the body is still checked for wholeness).
    pub fn check_media_type(&self, status: StatusCode, headers: &HeaderMap) -> Result<(), Error> {
        check_media_type(self.media_types(), status, headers)
    }

    /// Judges the response head: `Some` when the body is the asset. On `None`
    /// the transport reads at most [`crate::response::ERROR_BODY_LIMIT`] bytes
    /// of the body and hands them to [`DownloadContent::parse_error`].
    pub fn parse_head(&self, status: StatusCode, headers: &HeaderMap) -> Option<ContentHead> {
        status.is_success().then(|| ContentHead::read(status, headers))
    }

    /// The error for a failed download, from its status, headers and the start of its body.
    pub fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
        api_error(status, headers, body)
    }
}

/// [`DownloadContent::check_media_type`] for a list of acceptable types.
pub(crate) fn check_media_type(
    expected: &'static [&'static str],
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<(), Error> {
    let Some(essence) = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    else {
        return Ok(());
    };
    let generic = ["application/octet-stream", "binary/octet-stream", "application/binary", ""];
    if expected.is_empty() || generic.contains(&essence.as_str()) || expected.contains(&essence.as_str()) {
        return Ok(());
    }
    let mut error = crate::error::DecodeError::of(expected[0], status, headers, bytes::Bytes::new(), None);
    error.snippet = format!("a {essence} body (not read, and nothing written)");
    Err(error.into())
}
