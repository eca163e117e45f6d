//! `GET /videos/{video_id}`: the current state of one job.

use http::{Method, Request};
use videos_types::Video;

use super::Operation;
use crate::config::Config;
use crate::error::Error;
use crate::request::{Body, Draft, RequestOptions, build};
use crate::url::path_segment;

/// Reads one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrieveVideo {
    /// The job's id.
    pub video_id: String,
}

impl RetrieveVideo {
    /// Reads the job `video_id`.
    pub fn new(video_id: impl Into<String>) -> Self {
        Self { video_id: video_id.into() }
    }
}

impl Operation for RetrieveVideo {
    type Output = Video;
    const EXPECTED: &'static str = "a Video";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let id = path_segment("video_id", &self.video_id)?;
        build(Draft::new(Method::GET, ["/videos/", &id].concat()), config, options)
    }
}
