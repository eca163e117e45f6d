//! `GET /videos`: one page of the caller's jobs.

use http::{Method, Request};
use videos_types::{VideoList, VideoListOrder, limits};

use super::Operation;
use crate::config::Config;
use crate::error::{Error, InvalidInput};
use crate::request::{Body, Draft, RequestOptions, build};

/// Lists jobs, one page at a time. All fields are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListVideos {
    /// Page size, 0 to 100 (the service assumes 20).
    pub limit: Option<i64>,
    /// Sort order by creation time (the service assumes newest first).
    pub order: Option<VideoListOrder>,
    /// Start after this job id (the previous page's `last_id`).
    pub after: Option<String>,
}

impl ListVideos {
    /// The first page with the service's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets the order.
    pub fn order(mut self, order: VideoListOrder) -> Self {
        self.order = Some(order);
        self
    }

    /// Starts after `id`.
    pub fn after(mut self, id: impl Into<String>) -> Self {
        self.after = Some(id.into());
        self
    }
}

impl Operation for ListVideos {
    type Output = VideoList;
    const EXPECTED: &'static str = "a VideoList";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let mut draft = Draft::new(Method::GET, "/videos".to_owned());
        if let Some(limit) = self.limit {
            let range = limits::LIST_LIMIT_MINIMUM..=limits::LIST_LIMIT_MAXIMUM;
            if !range.contains(&limit) {
                let reason = format!("must be between {} and {}, got {limit}", range.start(), range.end());
                return Err(InvalidInput::new("limit", reason).into());
            }
            draft.query.push("limit", &limit.to_string());
        }
        draft.query.push_opt("order", self.order.as_ref().map(|o| o.as_str()));
        if let Some(after) = &self.after {
            if after.is_empty() {
                return Err(InvalidInput::new("after", "must not be empty").into());
            }
            draft.query.push("after", after);
        }
        build(draft, config, options)
    }
}
