//! When to retry, and how long to wait first: a pure function of the attempt
//! and what came of it.
//!
//! The defaults are the official SDKs': two retries, waits of 0.5 s doubling
//! up to 8 s, shortened by up to a quarter at random (the jitter, handed in
//! by the transport so tests are exact). The service's own `retry-after-ms`
//! or `retry-after` (seconds or an HTTP date) wins, clamped to
//! [`RetryPolicy::max_retry_after`] (a minute): whatever a server sends —
//! negative, huge, not a number — the wait is bounded and nothing panics.
//!
//! Calls are *patient*: once its retries are spent, a call goes on
//! retrying a refusal (429) until [`RetryPolicy::patience`] has passed
//! since its first attempt, since a refused request did nothing and the
//! service's limit frees up in time; a job-creating call (one that carries
//! an `Idempotency-Key`) does the same for every retryable failure, with
//! the same key. A failure with no answer (a cut body, a reset, a timeout,
//! a 5xx) may have made a job that only the same key finds again: giving up
//! early leaves the caller with nothing, or with a billed job it cannot find.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

use crate::error::TransportFailure;
pub use crate::error::{is_retryable_answer, is_retryable_status};
use crate::response::retry_after;

pub use crate::header::SHOULD_RETRY;

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each one after.
    pub initial_delay: Duration,
    /// The longest computed wait.
    pub max_delay: Duration,
    /// The longest wait the service may ask for; a longer request waits this long.
    pub max_retry_after: Duration,
    /// How long a call keeps retrying refusals (and a job-creating call any
    /// retryable failure), from its first attempt, after `max_retries` are
    /// spent (see the module docs). Zero: never beyond them.
    pub patience: Duration,
}

/// How long a job-creating call keeps retrying by default: refusals for a
/// service's limits last a minute or so, a job slot frees in minutes.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(5 * 60);

/// The longest computed wait between patient retries (or four times the
/// policy's `max_delay`, when that is shorter): long enough not to spend a
/// rate limit on refusals, short enough to take a slot soon after it frees.
pub const PATIENT_MAX_DELAY: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            patience: DEFAULT_PATIENCE,
        }
    }
}

/// What came of one attempt.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The service answered (any status).
    Response {
        /// The status.
        status: StatusCode,
        /// The headers.
        headers: &'a HeaderMap,
    },
    /// No answer.
    Transport(TransportFailure),
}

/// What an outcome says for retrying, read once: whether another try is
/// worth it, and how long the service asked to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    /// Whether another try might succeed (`x-should-retry`, else the status or the failure).
    pub retryable: bool,
    /// `retry-after-ms` or `retry-after` (seconds, or an HTTP date from `now`).
    pub asked: Option<Duration>,
}

impl Judgement {
    /// Reads `outcome`; `now` is the wall clock, for a `retry-after` date.
    pub fn of(outcome: &Outcome<'_>, now: SystemTime) -> Self {
        match outcome {
            Outcome::Transport(kind) => Self {
                retryable: matches!(
                    kind,
                    TransportFailure::Connect | TransportFailure::Reset | TransportFailure::Timeout
                ),
                asked: None,
            },
            Outcome::Response { status, .. } if status.is_success() || status.is_redirection() => {
                Self { retryable: false, asked: None }
            }
            Outcome::Response { status, headers } => {
                Self { retryable: is_retryable_answer(*status, headers), asked: retry_after(headers, Some(now)) }
            }
        }
    }
}

/// What the transport does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Decision {
    /// Wait this long, then send the same request again (same `Idempotency-Key`).
    Retry {
        /// How long to wait.
        after: Duration,
    },
    /// Return this outcome to the caller.
    Stop,
}

impl RetryPolicy {
    /// No retries at all, patient or not.
    pub fn none() -> Self {
        Self { max_retries: 0, patience: Duration::ZERO, ..Self::default() }
    }

    /// The decision after attempt number `retries_done + 1`.
    ///
    /// `jitter` is a random number in `[0, 1)` from the transport; `now` is
    /// the wall clock, used only to read a `retry-after` HTTP date.
    pub fn decide(&self, retries_done: u32, outcome: &Outcome<'_>, jitter: f64, now: SystemTime) -> Decision {
        self.decide_patiently(retries_done, outcome, jitter, now, false)
    }

    /// [`RetryPolicy::decide`] for a call that may still be patient: with
    /// `patient` (a job-creating call within its patience), a retryable
    /// failure is retried even when `max_retries` are spent, after the wait
    /// asked for or a backoff that grows to [`PATIENT_MAX_DELAY`].
    pub fn decide_patiently(
        &self,
        retries_done: u32,
        outcome: &Outcome<'_>,
        jitter: f64,
        now: SystemTime,
        patient: bool,
    ) -> Decision {
        self.verdict(retries_done, Judgement::of(outcome, now), jitter, patient)
    }

    /// [`RetryPolicy::decide_patiently`] for an outcome already judged (so
    /// that the answer's headers are read once, for the decision and the
    /// error alike).
    pub fn verdict(&self, retries_done: u32, judgement: Judgement, jitter: f64, patient: bool) -> Decision {
        let Judgement { retryable, asked } = judgement;
        let within_retries = retries_done < self.max_retries;
        if !retryable || !(within_retries || patient) {
            return Decision::Stop;
        }
        match asked {
            Some(wait) if !wait.is_zero() => Decision::Retry { after: wait.min(self.max_retry_after) },
            _ if within_retries => Decision::Retry { after: self.backoff(retries_done, jitter) },
            _ => {
                // Longer waits than the policy's own, in proportion to them (tests keep theirs short).
                let longest = self.max_delay.max(PATIENT_MAX_DELAY.min(self.max_delay.saturating_mul(4)));
                let patient = Self { max_delay: longest, ..*self };
                Decision::Retry { after: patient.backoff(retries_done, jitter) }
            }
        }
    }

    /// The computed wait before retry number `retries_done + 1`.
    ///
    /// Computed in seconds as a float and converted back with a check, so a
    /// caller's extreme settings (`Duration::MAX` anywhere) give the longest
    /// wait they allow, never a panic.
    pub fn backoff(&self, retries_done: u32, jitter: f64) -> Duration {
        let factor = 2f64.powi(retries_done.min(30) as i32);
        let base = Duration::try_from_secs_f64(self.initial_delay.as_secs_f64() * factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay);
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        Duration::try_from_secs_f64(base.as_secs_f64() * (1.0 - 0.25 * jitter)).unwrap_or(base)
    }
}
