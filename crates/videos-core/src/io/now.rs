//! What the clocks said at one moment: the input every state machine of the
//! core takes instead of reading a clock itself.

use std::time::{Instant, SystemTime};

/// The outside world at one moment, as the transport observed it.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    /// Monotonic time, for deadlines and waits.
    pub at: Instant,
    /// Wall-clock time, only for reading a `Retry-After` HTTP date.
    pub wall: SystemTime,
    /// A random number in `[0, 1)`, for the jitter of a backoff.
    pub jitter: f64,
}

impl Now {
    /// The moment `at` (wall clock `wall`), with `jitter` for any backoff decided now.
    pub fn new(at: Instant, wall: SystemTime, jitter: f64) -> Self {
        Self { at, wall, jitter }
    }

    /// This moment moved on to `at`, the wall clock with it: a transport reads
    /// the wall clock and draws the jitter once per call, and only the
    /// monotonic clock after each step.
    pub fn later(&self, at: Instant) -> Self {
        let elapsed = at.saturating_duration_since(self.at);
        Self { at, wall: self.wall.checked_add(elapsed).unwrap_or(self.wall), jitter: self.jitter }
    }
}
