//! `DELETE /videos/{video_id}`: remove a finished job and its media.

use http::{Method, Request};
use videos_types::VideoDeleteResponse;

use super::Operation;
use crate::config::Config;
use crate::error::Error;
use crate::request::{Body, Draft, RequestOptions, build};
use crate::url::path_segment;

/// Deletes a completed or failed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteVideo {
    /// The job's id.
    pub video_id: String,
}

impl DeleteVideo {
    /// Deletes the job `video_id`.
    pub fn new(video_id: impl Into<String>) -> Self {
        Self { video_id: video_id.into() }
    }
}

impl Operation for DeleteVideo {
    type Output = VideoDeleteResponse;
    const EXPECTED: &'static str = "a VideoDeleteResponse";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let id = path_segment("video_id", &self.video_id)?;
        build(Draft::new(Method::DELETE, ["/videos/", &id].concat()), config, options)
    }
}
