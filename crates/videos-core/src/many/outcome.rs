//! What many jobs tell their caller and their transport: each item's end
//! ([`JobOutcome`]), the counts per state, the events an observer hears, and
//! the next action.

use std::path::PathBuf;
use std::time::Duration;

use videos_types::Video;

use super::ManyItem;
use crate::error::Error;
use crate::ops::{ListVideos, RetrieveVideo};

/// How one item ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum JobOutcome {
    /// The job completed (and its video was saved to `file`, when saving).
    Completed {
        /// The item's position in the input.
        index: usize,
        /// The job as last seen.
        video: Box<Video>,
        /// Where its video was saved, when saving.
        file: Option<PathBuf>,
    },
    /// The job exists but did not give a saved video: it failed, it is
    /// gone, it ran past the deadline, or saving it failed.
    Failed {
        /// The item's position in the input.
        index: usize,
        /// The job's id.
        job_id: String,
        /// The job as last seen, when it was seen.
        video: Option<Box<Video>>,
        /// Why: the job's own error for a failed job, else what went wrong.
        error: Option<Error>,
    },
    /// The create was never accepted (refused past its patience, or invalid).
    NotAccepted {
        /// The item's position in the input.
        index: usize,
        /// Why.
        error: Error,
    },
}

impl JobOutcome {
    /// The item's position in the input.
    pub fn index(&self) -> usize {
        match self {
            Self::Completed { index, .. } | Self::Failed { index, .. } | Self::NotAccepted { index, .. } => *index,
        }
    }
}

/// Counts per state, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ManyCounts {
    /// Not created yet.
    pub waiting: usize,
    /// Created, not final yet.
    pub in_progress: usize,
    /// Completed (and saved, when saving).
    pub completed: usize,
    /// Ended without a saved video.
    pub failed: usize,
    /// Never accepted.
    pub not_accepted: usize,
    /// Saved to files (a subset of `completed`).
    pub saved: usize,
}

/// What a caller of `create_many` is told as it happens, besides the outcomes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ManyEvent<'a> {
    /// Item `index` was accepted as job `job_id`: a caller that records it
    /// (with the item's idempotency key) can resume without a second job.
    Created {
        /// The item's position.
        index: usize,
        /// The job's id.
        job_id: &'a str,
    },
    /// The counts after an action.
    Progress(ManyCounts),
}

/// What the transport does next.
#[derive(Debug)]
#[must_use]
pub enum ManyAction<'a> {
    /// Create item `index` (with its key and extra fields); report with [`super::ManyJobs::handle_created`].
    Create {
        /// The item's position.
        index: usize,
        /// The item.
        item: &'a ManyItem,
    },
    /// Read this list page; report with [`super::ManyJobs::handle_page`].
    Refresh(ListVideos),
    /// Read this job; report with [`super::ManyJobs::handle_retrieved`].
    Retrieve {
        /// The item's position.
        index: usize,
        /// The request.
        op: RetrieveVideo,
    },
    /// Download this completed job's MP4 to `file`; report with [`super::ManyJobs::handle_saved`].
    Save {
        /// The item's position.
        index: usize,
        /// The job.
        job_id: String,
        /// Where to.
        file: PathBuf,
    },
    /// An item ended: hand this to the caller, then ask again.
    Finished(JobOutcome),
    /// Nothing to do before this long has passed (or an action reported).
    Wait(Duration),
    /// Every item has ended.
    Done,
}
