//! What passes between an exchange and its transport: the moment the
//! transport observed ([`Now`]), the limits of one request ([`Timeouts`]),
//! and what to do next ([`Action`]).

use std::time::{Duration, Instant, SystemTime};

use http::Request;

use crate::config::TokenProvider;
use crate::error::Error;
use crate::request::Body;
use crate::response::ApiResponse;

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

    /// The first moment of a call, from the clocks, with a fresh jitter: the
    /// wall clock is read and the jitter drawn once per call, each later
    /// moment comes from [`Now::later`]. Only transports call this; the
    /// state machines take a `Now` and stay deterministic in tests.
    pub fn start() -> Self {
        Self::new(Instant::now(), SystemTime::now(), crate::random::unit())
    }

    /// This moment moved on to `at`, the wall clock with it: a transport reads
    /// the wall clock and draws the jitter once per call, and only the
    /// monotonic clock after each step.
    pub fn later(&self, at: Instant) -> Self {
        let elapsed = at.saturating_duration_since(self.at);
        Self { at, wall: self.wall.checked_add(elapsed).unwrap_or(self.wall), jitter: self.jitter }
    }
}

/// The time limits of one request the transport sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From sending to the end of the response head (connecting included).
    pub head: Duration,
    /// The longest silence between two reads of the body.
    pub read: Duration,
    /// The whole body, when it is bounded (JSON); `None` for a download.
    pub body: Option<Duration>,
}

/// What the transport does next.
#[derive(Debug)]
#[must_use]
pub enum Action<'a, T> {
    /// Send `request` and hand its head to [`crate::Exchange::handle_head`].
    Send {
        /// The request, exactly as built (its files are streamed from disk).
        request: &'a Request<Body>,
        /// The limits for this request.
        timeouts: Timeouts,
    },
    /// Read the next piece of the body, at most `max` bytes, waiting at most
    /// `timeout`; hand it to [`crate::Exchange::handle_chunk`], or report the end
    /// with [`crate::Exchange::handle_end`].
    Read {
        /// How long this read may wait.
        timeout: Duration,
        /// The most bytes worth reading now (more are accepted, and judged).
        max: usize,
    },
    /// Sleep this long, then ask again.
    Wait(Duration),
    /// Ask this provider for a token and hand the outcome to
    /// [`crate::Exchange::handle_token`]; only with [`crate::Auth::TokenProvider`].
    Authorize(&'a TokenProvider),
    /// The call is over. For a download, `Ok` carries the accepted head
    /// and the body is the caller's to stream through [`crate::MediaBody`].
    Done(Result<ApiResponse<T>, Error>),
}
