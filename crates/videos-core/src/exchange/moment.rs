//! What passes between an exchange and its transport: the limits of one
//! request ([`Timeouts`]) and what to do next ([`Action`]). The moment the
//! transport observed is a [`crate::io::Now`].

use std::time::Duration;

use http::Request;

use crate::config::TokenProvider;
use crate::error::Error;
use crate::request::Body;
use crate::response::ApiResponse;

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

impl Timeouts {
    /// The limits of a JSON call's first attempt under `config`: what a
    /// transport may set up front (ureq's agent), knowing that the exchange
    /// hands each request its own.
    pub fn first_json_attempt(config: &crate::Config) -> Self {
        Self { head: config.request_timeout, read: config.read_timeout, body: Some(config.request_timeout) }
    }
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
