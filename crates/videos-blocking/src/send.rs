//! The one send loop: every call goes through [`Client::send`], which sends
//! the core's request, follows redirects the way the core says, and retries
//! when the core's policy says so. It knows nothing about the API itself.

use std::io::Read as _;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use videos_core::error::{TransportError, TransportErrorKind};
use videos_core::response::JSON_BODY_LIMIT;
use videos_core::retry::{Decision, Outcome};
use videos_core::{Body, Error, redirect};

use crate::body::to_ureq;
use crate::client::Client;

/// How much of the response body to read before returning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// The whole body, up to the core's JSON limit.
    Whole,
    /// Only the head; on an error status, at most this many bytes of body.
    HeadOnly(usize),
}

/// A response, with its body read according to [`Read`].
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The unread body of a successful [`Read::HeadOnly`] response.
    pub(crate) rest: Option<ureq::Body>,
    pub(crate) too_large: bool,
}

pub(crate) fn transport(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportErrorKind::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => TransportErrorKind::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
        ureq::Error::Io(_) | ureq::Error::Protocol(_) | ureq::Error::BodyStalled => TransportErrorKind::Reset,
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => TransportErrorKind::Redirect,
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, error)
}

pub(crate) fn io_transport(error: std::io::Error) -> TransportError {
    // ureq reports its own failures inside the body reader as io errors wrapping a ureq::Error.
    let kind = match error.kind() {
        std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Reset,
    };
    TransportError::new(kind, error)
}

impl Client {
    /// Sends `request` until the retry policy says stop, returning the last response.
    pub(crate) fn send(
        &self,
        request: &Request<Body>,
        timeout: Option<Duration>,
        read: Read,
    ) -> Result<Received, Error> {
        let timeout = timeout.unwrap_or(self.config().request_timeout);
        let policy = self.config().retry;
        let mut retries = 0;
        loop {
            let result = self.attempt(request, timeout, read);
            let decision = match &result {
                Ok(r) => policy.decide(
                    retries,
                    &Outcome::Response { status: r.status, headers: &r.headers },
                    fastrand::f64(),
                    SystemTime::now(),
                ),
                Err(e) => policy.decide(retries, &Outcome::Transport(e.kind), fastrand::f64(), SystemTime::now()),
            };
            match decision {
                Decision::Retry { after } => {
                    std::thread::sleep(after);
                    retries += 1;
                }
                Decision::Stop => return result.map_err(Error::from),
            }
        }
    }

    fn attempt(&self, request: &Request<Body>, timeout: Duration, read: Read) -> Result<Received, TransportError> {
        let mut next: Option<Request<Body>> = None;
        let mut hops = 0;
        let response = loop {
            let current = next.as_ref().unwrap_or(request);
            let mut outgoing = Request::new(to_ureq(current.body()));
            *outgoing.method_mut() = current.method().clone();
            *outgoing.uri_mut() = current.uri().clone();
            *outgoing.headers_mut() = current.headers().clone();
            // The agent's own timeout is the configured one for whole calls; anything
            // else is set per request (configuring a request copies the agent's config).
            let outgoing = match read {
                Read::Whole if timeout == self.config().request_timeout => outgoing,
                Read::Whole => self.agent().configure_request(outgoing).timeout_global(Some(timeout)).build(),
                // A download's body may take far longer than its head: only the head is timed.
                Read::HeadOnly(_) => self
                    .agent()
                    .configure_request(outgoing)
                    .timeout_global(None)
                    .timeout_recv_response(Some(timeout))
                    .build(),
            };
            let sent = self.agent().run(outgoing).map_err(transport)?;
            match redirect::next_request(current, sent.status(), sent.headers(), hops)? {
                Some(following) => {
                    next = Some(following);
                    hops += 1;
                }
                None => break sent,
            }
        };

        let (parts, body) = response.into_parts();
        let (status, headers) = (parts.status, parts.headers);
        match read {
            Read::Whole => {
                let mut reader = body.into_with_config().limit(JSON_BODY_LIMIT as u64 + 1).reader();
                let mut buf = Vec::new();
                reader.read_to_end(&mut buf).map_err(io_transport)?;
                let too_large = buf.len() > JSON_BODY_LIMIT;
                Ok(Received {
                    status,
                    headers,
                    body: if too_large { Bytes::new() } else { buf.into() },
                    rest: None,
                    too_large,
                })
            }
            Read::HeadOnly(_) if status.is_success() => {
                Ok(Received { status, headers, body: Bytes::new(), rest: Some(body), too_large: false })
            }
            Read::HeadOnly(limit) => {
                let mut buf = Vec::new();
                body.into_reader().take(limit as u64).read_to_end(&mut buf).map_err(io_transport)?;
                Ok(Received { status, headers, body: buf.into(), rest: None, too_large: false })
            }
        }
    }
}

/// The response as the core's parsers take it.
pub(crate) fn into_http(received: Received) -> Result<http::Response<Bytes>, Error> {
    let Received { status, headers, body, too_large, .. } = received;
    videos_core::response::from_parts(status, headers, (!too_large).then_some(body))
}
