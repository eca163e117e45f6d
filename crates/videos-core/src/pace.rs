//! One request budget per client: how fast to send, decided before every
//! request from what the service said about its limits.
//!
//! Every service that serves this API limits requests per minute, and counts
//! the requests it refuses, so retrying faster only makes things worse. The
//! [`Pacer`] is consulted by every exchange before it sends
//! ([`Pacer::reserve`], which answers with a wait or counts the send) and
//! told about every answer ([`Pacer::observe`]). It learns:
//!
//! - from `x-ratelimit-limit-requests` the rate: sends are spaced
//!   `60 s / limit` apart, a little more for safety (evenly spaced sends
//!   never crowd a sliding window, and a token bucket refills at that pace);
//! - from `x-ratelimit-remaining-requests` and `x-ratelimit-reset-requests`
//!   (durations such as `1s`, `6m0s`, `20ms`, `1m30.5s`) when the budget is
//!   spent: with nothing left, nothing is sent before the reset;
//! - from a 429 that it must stop for a while: `retry-after-ms` or
//!   `Retry-After` when given, else the reset, else a backoff that doubles
//!   with each refusal in a row (up to a minute). A 429 whose headers still
//!   show requests remaining refused something else (a cap on jobs in
//!   progress) and does not slow other requests;
//! - with no limit header at all, a 429 still teaches a rate, in the manner
//!   of AWS's adaptive retry mode: the sends of the last minute, cut by a
//!   third on each refusal that says nothing of when to come back, and
//!   regrown by 2% with each accepted answer.
//!
//! The caller may cap the rate too ([`PaceOptions::requests_per_minute`]).
//! Whatever a server sends, every wait is bounded by [`MAX_PAUSE`].
//!
//! Jobs in progress are the other limit: [`Pacer::try_start_job`] and
//! [`Pacer::finish_job`] count the jobs a client waits on, and creates wait
//! for a free slot when the caller set a cap.
//!
//! Sans-IO like the rest of the core: time comes in as a [`Now`], and
//! the transports share one pacer between a client's clones behind a mutex
//! ([`SharedPacer`]).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};

use crate::io::Now;
use crate::response::retry_after;

/// The service's request limit (per minute for OpenAI).
pub const LIMIT_REQUESTS: &str = "x-ratelimit-limit-requests";
/// Requests left in the current window.
pub const REMAINING_REQUESTS: &str = "x-ratelimit-remaining-requests";
/// When the request budget is restored, as a duration (`1s`, `6m0s`, `20ms`).
pub const RESET_REQUESTS: &str = "x-ratelimit-reset-requests";

/// The longest the pacer ever holds a request back at once, whatever a
/// server asks: a hostile or broken header cannot stall a client for long,
/// and a real limit is learned again from the next answer.
pub const MAX_PAUSE: Duration = Duration::from_secs(5 * 60);

/// The first wait after a refusal that says nothing of when to come back.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait after refusals that say nothing.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Sends are spaced this much wider than the limit allows: network delays
/// move arrivals about, and a send that lands a moment early in a full
/// sliding window is refused (and counted).
const SPACING_MARGIN: f64 = 1.05;
/// The fewest sends in the last minute from which a refusal teaches a rate.
const MIN_SENDS_TO_LEARN: usize = 5;
/// The window the rate is counted in.
const MINUTE: Duration = Duration::from_secs(60);
/// The largest limit taken from a header; a larger one is no limit worth pacing.
const MAX_LIMIT: u64 = 1_000_000;

/// What the caller sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaceOptions {
    /// Never send more than this many requests a minute, whatever the
    /// service allows. `None`: adapt to the service alone.
    pub requests_per_minute: Option<u32>,
    /// Never have more than this many jobs in progress (counted by the calls
    /// that wait for their jobs). `None`: only the service's limit applies.
    pub max_jobs_in_progress: Option<u32>,
}

/// Counts, for progress displays and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaceStats {
    /// Requests sent.
    pub sent: u64,
    /// Answers that were 429.
    pub refused: u64,
    /// The rate the pacer keeps to now, in requests per minute (`None`: unpaced).
    pub rate: Option<u32>,
    /// Jobs counted as in progress.
    pub jobs_in_progress: u32,
}

/// The request budget of one client. See the module documentation.
#[derive(Debug, Clone)]
pub struct Pacer {
    options: PaceOptions,
    /// The limit the service states.
    stated: Option<u64>,
    /// A rate learned from refusals when no limit is stated.
    estimate: Option<f64>,
    /// Requests the last answer said were left, less those sent since.
    remaining: Option<u64>,
    /// When the last answer said the budget is restored.
    reset_at: Option<Instant>,
    /// No send before this (after a refusal).
    paused_until: Option<Instant>,
    /// When the last send went out, for spacing.
    last_send: Option<Instant>,
    /// Refusals since the last accepted answer.
    refusals_in_a_row: u32,
    /// When the sends of the last minute went out.
    recent: VecDeque<Instant>,
    jobs: u32,
    stats: PaceStats,
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new(PaceOptions::default())
    }
}

impl Pacer {
    /// A pacer that knows nothing yet beyond the caller's `options`.
    pub fn new(options: PaceOptions) -> Self {
        Self {
            options,
            stated: None,
            estimate: None,
            remaining: None,
            reset_at: None,
            paused_until: None,
            last_send: None,
            refusals_in_a_row: 0,
            recent: VecDeque::new(),
            jobs: 0,
            stats: PaceStats::default(),
        }
    }

    /// The caller's settings.
    pub fn options(&self) -> PaceOptions {
        self.options
    }

    /// The rate kept to, in requests per minute: the lowest of the caller's
    /// cap, the stated limit and the learned estimate.
    pub fn rate(&self) -> Option<f64> {
        let cap = self.options.requests_per_minute.map(f64::from);
        let stated = self.stated.map(|l| l as f64);
        [cap, stated, self.estimate].into_iter().flatten().reduce(f64::min).map(|r| r.max(0.1))
    }

    /// The counts so far.
    pub fn stats(&self) -> PaceStats {
        PaceStats { rate: self.rate().map(|r| r.round() as u32), jobs_in_progress: self.jobs, ..self.stats }
    }

    /// How long to wait before a request may go out at `now`: zero means
    /// it may go now, and it is counted as sent. Ask again after any wait.
    #[must_use]
    pub fn reserve(&mut self, now: &Now) -> Duration {
        let now = now.at;
        let mut at = now;
        if let Some(until) = self.paused_until {
            at = at.max(until);
        }
        if self.remaining == Some(0)
            && let Some(reset) = self.reset_at
        {
            at = at.max(reset);
        }
        if let (Some(last), Some(rate)) = (self.last_send, self.rate()) {
            // Checked: a rate is at least 0.1 a minute, but a float is only trusted after a check.
            let spacing = Duration::try_from_secs_f64(MINUTE.as_secs_f64() * SPACING_MARGIN / rate)
                .unwrap_or(MAX_PAUSE)
                .min(MAX_PAUSE);
            at = at.max(last.checked_add(spacing).unwrap_or(last));
        }
        let wait = at.saturating_duration_since(now);
        if !wait.is_zero() {
            return wait.min(MAX_PAUSE);
        }
        self.paused_until = None;
        if let Some(left) = &mut self.remaining {
            *left = left.saturating_sub(1);
        }
        self.last_send = Some(now);
        while self.recent.front().is_some_and(|t| now.saturating_duration_since(*t) >= MINUTE) {
            self.recent.pop_front();
        }
        // Bounded: at most a minute of sends, and never more than the most a minute could hold.
        if self.recent.len() < 100_000 {
            self.recent.push_back(now);
        }
        self.stats.sent += 1;
        Duration::ZERO
    }

    /// An answer arrived at `now` with `status` and `headers`.
    pub fn observe(&mut self, now: &Now, status: StatusCode, headers: &HeaderMap) {
        let now = now.at;
        // One pass over the answer's few headers: a lookup by name hashes and
        // compares each name, three of them on every answer of every call.
        let (mut limit, mut remaining, mut reset) = (None, None, None);
        for (name, value) in headers {
            let text = || value.to_str().ok().map(str::trim);
            match name.as_str() {
                LIMIT_REQUESTS => limit = text().and_then(|t| t.parse().ok()).filter(|l| (1..=MAX_LIMIT).contains(l)),
                REMAINING_REQUESTS => remaining = text().and_then(|t| t.parse::<u64>().ok()),
                RESET_REQUESTS => reset = text().and_then(parse_reset),
                _ => {}
            }
        }
        if limit.is_some() {
            self.stated = limit;
            // A stated limit replaces whatever was guessed without one.
            self.estimate = None;
        }
        if let Some(left) = remaining {
            self.remaining = Some(limit.map_or(left, |l| left.min(l)));
            self.reset_at = reset.map(|r| now + r.min(MAX_PAUSE));
        }
        if status != StatusCode::TOO_MANY_REQUESTS {
            self.refusals_in_a_row = 0;
            if status.is_success()
                && let Some(estimate) = &mut self.estimate
            {
                // Regrow as answers are accepted: 2% each, so the rate doubles in 35 answers.
                *estimate *= 1.02;
            }
            return;
        }
        self.stats.refused += 1;
        if remaining.is_some_and(|left| left > 0) {
            // Requests are left: the refusal was of something else (jobs in progress).
            return;
        }
        self.refusals_in_a_row = self.refusals_in_a_row.saturating_add(1);
        let asked = retry_after(headers, None).filter(|d| !d.is_zero());
        let backoff = FIRST_BACKOFF.saturating_mul(1 << (self.refusals_in_a_row - 1).min(6)).min(MAX_BACKOFF);
        let pause = asked.or(reset.filter(|r| !r.is_zero())).unwrap_or(backoff).min(MAX_PAUSE);
        let until = now + pause;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
        // A refusal that says when to come back is an instruction, not a sign of the rate.
        if self.stated.is_none() && asked.is_none() && reset.is_none() {
            let sent_last_minute = self.recent.iter().filter(|t| now.saturating_duration_since(**t) < MINUTE).count();
            // A refusal after a handful of sends says more about others sharing the
            // limit than about this client's rate: the pause alone answers it.
            let base = self.estimate.or((sent_last_minute >= MIN_SENDS_TO_LEARN).then_some(sent_last_minute as f64));
            self.estimate = base.map(|b| (b * 2.0 / 3.0).max(1.0));
        }
    }

    /// Counts a job as started, unless the caller's cap is reached.
    #[must_use]
    pub fn try_start_job(&mut self) -> bool {
        if self.options.max_jobs_in_progress.is_some_and(|cap| self.jobs >= cap) {
            return false;
        }
        self.jobs += 1;
        true
    }

    /// A job counted by [`Pacer::try_start_job`] is no longer waited on.
    pub fn finish_job(&mut self) {
        self.jobs = self.jobs.saturating_sub(1);
    }
}

/// A reset duration as OpenAI writes it: a sequence of numbers with units
/// `h`, `m`, `s`, `ms` (`1s`, `6m0s`, `20ms`, `1m30.5s`), or a bare number
/// of seconds. Anything else, negative or not finite, is `None`; a huge one
/// is clamped by the caller.
pub fn parse_reset(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return seconds_to_duration(seconds);
    }
    let mut total = 0.0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    seconds_to_duration(total)
}

fn seconds_to_duration(seconds: f64) -> Option<Duration> {
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::try_from_secs_f64(seconds).unwrap_or(MAX_PAUSE))
}

/// One [`Pacer`] shared by a client and its clones, and by every exchange
/// they run. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SharedPacer(Arc<Mutex<Pacer>>);

impl SharedPacer {
    /// A shared pacer with `options`.
    pub fn new(options: PaceOptions) -> Self {
        Self(Arc::new(Mutex::new(Pacer::new(options))))
    }

    /// The pacer, for one decision. A panic elsewhere while it was held
    /// leaves counts that are still counts: the pacer goes on.
    pub fn lock(&self) -> MutexGuard<'_, Pacer> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A slot for one job in progress, unless the caller's cap is reached
    /// (ask again after [`JOB_SLOT_RECHECK`]). The slot is given back when dropped.
    pub fn try_job_slot(&self) -> Option<JobSlot> {
        self.lock().try_start_job().then(|| JobSlot(self.clone()))
    }
}

/// How long a call waiting for a job slot sleeps before asking again. Slots
/// free when jobs end, which takes seconds at the least; asking costs nothing.
pub const JOB_SLOT_RECHECK: Duration = Duration::from_millis(200);

/// One job counted as in progress; dropping it frees the slot, however the
/// call that held it ended (an error, a cancelled future).
#[derive(Debug)]
pub struct JobSlot(SharedPacer);

impl Drop for JobSlot {
    fn drop(&mut self) {
        self.0.lock().finish_job();
    }
}

#[cfg(test)]
mod tests;
