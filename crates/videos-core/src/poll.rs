//! Waiting for a job to finish, as a state machine the transport drives.
//!
//! ```text
//!            ┌──────────── Wait(d) ◄─────────┐
//!            ▼                               │ not final, deadline not reached
//!  start ─► Send(RetrieveVideo) ─► handle_video ─► Done(video)   completed | failed
//!                                            └─► TimedOut        deadline reached
//! ```
//!
//! The transport calls [`Poller::next`] with the current [`Now`] and does
//! what it says: send the retrieve request and hand the [`Video`] back
//! through [`Poller::handle_video`], or sleep. The poller never reads the
//! clock itself. A status this SDK does not know is treated as "not final":
//! polling goes on, bounded by the deadline, and the timeout names it.
//!
//! A job that is running is never given up because reading its status
//! failed: a retryable failure (a 429, a 5xx, no answer) handed to
//! [`Poller::handle_error`] is waited out — for as long as the service asked,
//! else a backoff that doubles up to [`MAX_SERVER_POLL_INTERVAL`] — and the
//! status is asked again, until the deadline. Only the deadline, or a
//! failure no retry can mend (the job is gone, the key is wrong), ends the
//! wait; the timeout then names the last failure, and the job id to resume with.

use std::time::{Duration, Instant};

use http::HeaderMap;
use videos_types::{Video, VideoStatus};

use crate::error::{Error, PollTimeout};
use crate::io::Now;
use crate::ops::RetrieveVideo;
use crate::response::poll_after;

/// `at` moved on by `wait`, or as far as the clock goes: a caller's huge
/// interval waits long, it does not panic.
pub(crate) fn later(at: Instant, wait: Duration) -> Instant {
    at.checked_add(wait).or_else(|| at.checked_add(Duration::from_secs(86_400 * 365))).unwrap_or(at)
}

/// The wait between polls when neither the caller nor the service sets one.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The shortest wait between polls a server may ask for: `openai-poll-after-ms:
/// 0` would otherwise make the poller spin.
pub const MIN_SERVER_POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The longest wait between polls a server may ask for.
pub const MAX_SERVER_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// How long polling goes on by default before giving up. Sora jobs take
/// minutes; an hour is far past any normal job but still ends.
pub const DEFAULT_POLL_DEADLINE: Duration = Duration::from_secs(60 * 60);

/// Whether a status is final: `completed` or `failed`, or one of the ends
/// other services report for a job that will never complete (`cancelled`,
/// `canceled`, `expired`). Any other status, and none at all, is still
/// running as far as polling is concerned.
pub fn is_final(status: &VideoStatus) -> bool {
    match status {
        VideoStatus::Completed | VideoStatus::Failed => true,
        other => matches!(other.as_str(), "cancelled" | "canceled" | "expired"),
    }
}

/// How to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// A fixed wait between polls; `None` follows the service's
    /// `openai-poll-after-ms` (clamped to [`MIN_SERVER_POLL_INTERVAL`] ..=
    /// [`MAX_SERVER_POLL_INTERVAL`]), or [`DEFAULT_POLL_INTERVAL`] without it.
    pub interval: Option<Duration>,
    /// How long to keep polling, from the first call to [`Poller::next`].
    pub deadline: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self { interval: None, deadline: DEFAULT_POLL_DEADLINE }
    }
}

/// What the transport does next.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum PollAction {
    /// Send this request and pass the video to [`Poller::handle_video`].
    Send(RetrieveVideo),
    /// Sleep this long, then call [`Poller::next`] again.
    Wait(Duration),
    /// The job is final (completed or failed).
    Done(Box<Video>),
    /// The deadline passed first.
    TimedOut(PollTimeout),
}

#[derive(Debug, Clone)]
enum State {
    /// The next step is a retrieve.
    NeedVideo,
    /// Sent; waiting for the transport to hand the video back.
    AwaitingVideo,
    /// Got a non-final video; wait until `until`.
    Sleeping { until: Instant },
    /// Got a final video.
    Finished(Box<Video>),
}

/// The polling state machine for one job.
#[derive(Debug, Clone)]
pub struct Poller {
    video_id: String,
    options: PollOptions,
    started: Option<Instant>,
    state: State,
    last: Option<(Option<VideoStatus>, Option<i64>)>,
    /// Status reads that failed since the last one that worked.
    failures: u32,
    /// What the last failed read said.
    last_failure: Option<String>,
}

impl Poller {
    /// Polls `video_id`, starting with a retrieve.
    pub fn new(video_id: impl Into<String>, options: PollOptions) -> Self {
        Self {
            video_id: video_id.into(),
            options,
            started: None,
            state: State::NeedVideo,
            last: None,
            failures: 0,
            last_failure: None,
        }
    }

    /// Polls a job the caller already has a fresh copy of (from create, say):
    /// if it is final there is nothing to do, otherwise the first step is a wait.
    pub fn from_video(video: Video, headers: &HeaderMap, options: PollOptions, now: &Now) -> Self {
        let mut poller = Self::new(video.id.clone(), options);
        poller.started = Some(now.at);
        poller.state = State::AwaitingVideo;
        poller.handle_video(video, headers, now);
        poller
    }

    /// The job being watched.
    pub fn video_id(&self) -> &str {
        &self.video_id
    }

    /// The last status and progress seen (each `None` when the answer had none).
    pub fn last_seen(&self) -> Option<&(Option<VideoStatus>, Option<i64>)> {
        self.last.as_ref()
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: &Now) -> PollAction {
        let now = now.at;
        let started = *self.started.get_or_insert(now);
        let elapsed = now.saturating_duration_since(started);
        match &self.state {
            State::Finished(video) => PollAction::Done(video.clone()),
            _ if elapsed >= self.options.deadline => PollAction::TimedOut(PollTimeout {
                video_id: self.video_id.clone(),
                last_status: self.last.as_ref().and_then(|(s, _)| s.clone()),
                last_progress: self.last.as_ref().and_then(|(_, p)| *p),
                waited: elapsed,
                last_failure: self.last_failure.clone(),
            }),
            State::Sleeping { until } if now < *until => {
                // Never sleep past the deadline: wake to report it on time.
                let remaining = self.options.deadline - elapsed;
                PollAction::Wait((*until - now).min(remaining))
            }
            State::NeedVideo | State::AwaitingVideo | State::Sleeping { .. } => {
                self.state = State::AwaitingVideo;
                PollAction::Send(RetrieveVideo::new(self.video_id.clone()))
            }
        }
    }

    /// The request a [`PollAction::Send`] asked for failed. A failure worth
    /// another try (see [`Error::is_retryable`]) is waited out and `None`
    /// returned: call [`Poller::next`] again. Any other ends the wait: it is
    /// handed back, for the caller to return.
    pub fn handle_error(&mut self, error: Error, now: &Now) -> Option<Error> {
        if !error.is_retryable() {
            return Some(error);
        }
        self.failures = self.failures.saturating_add(1);
        let base = self.options.interval.unwrap_or(DEFAULT_POLL_INTERVAL).max(MIN_SERVER_POLL_INTERVAL);
        let backoff = base.saturating_mul(1 << self.failures.min(8)).min(MAX_SERVER_POLL_INTERVAL);
        let wait = error.retry_after().filter(|d| !d.is_zero()).map_or(backoff, |d| d.min(MAX_SERVER_POLL_INTERVAL));
        self.last_failure = Some(error.to_string());
        self.state = State::Sleeping { until: later(now.at, wait) };
        None
    }

    /// Hands over the video a [`PollAction::Send`] fetched, with its response headers.
    pub fn handle_video(&mut self, video: Video, headers: &HeaderMap, now: &Now) {
        self.failures = 0;
        self.last = Some((video.status.clone(), video.progress));
        if video.status.as_ref().is_some_and(is_final) {
            self.state = State::Finished(Box::new(video));
            return;
        }
        let advised = || poll_after(headers).map(|d| d.clamp(MIN_SERVER_POLL_INTERVAL, MAX_SERVER_POLL_INTERVAL));
        let wait = self.options.interval.or_else(advised).unwrap_or(DEFAULT_POLL_INTERVAL);
        self.state = State::Sleeping { until: later(now.at, wait) };
    }
}
