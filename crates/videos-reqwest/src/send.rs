//! The one send loop: every call goes through [`Client::send`], which sends
//! the core's request, follows redirects the way the core says, and retries
//! when the core's policy says so. It knows nothing about the API itself.

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Request, StatusCode};
use videos_core::error::{TransportError, TransportErrorKind};
use videos_core::response::JSON_BODY_LIMIT;
use videos_core::retry::{Decision, Outcome};
use videos_core::{Body, Error, redirect};

use crate::body::to_reqwest;
use crate::client::Client;

/// What reading a response body needs: the whole of it (JSON), or nothing
/// yet (a download, whose body the caller streams).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Read the whole body, up to the core's JSON limit.
    Whole,
    /// Read only the head; on an error status, read at most this many bytes.
    HeadOnly(usize),
}

/// A response, with its body read according to [`Read`].
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body read so far (all of it for [`Read::Whole`]).
    pub(crate) body: Bytes,
    /// The unread rest, for a successful [`Read::HeadOnly`] response.
    pub(crate) rest: Option<reqwest::Response>,
    /// Whether the body passed the JSON limit and was not read to the end.
    pub(crate) too_large: bool,
}

fn classify(error: &reqwest::Error) -> TransportErrorKind {
    if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_builder() || error.is_redirect() {
        TransportErrorKind::Other
    } else {
        // A request or body failure after connecting: the connection went away.
        TransportErrorKind::Reset
    }
}

pub(crate) fn transport(error: reqwest::Error) -> TransportError {
    TransportError::new(classify(&error), error)
}

fn timed_out(what: &'static str) -> TransportError {
    TransportError::new(TransportErrorKind::Timeout, what)
}

impl Client {
    /// Sends `request` until the retry policy says stop, returning the last response.
    pub(crate) async fn send(
        &self,
        request: &Request<Body>,
        timeout: Option<Duration>,
        read: Read,
    ) -> Result<Received, Error> {
        let timeout = timeout.unwrap_or(self.config().request_timeout);
        let policy = self.config().retry;
        let mut retries = 0;
        loop {
            let result = match read {
                // reqwest times the whole exchange, body included.
                Read::Whole => self.attempt(request, read, Some(timeout)).await,
                // A download's body may take far longer than its head: only the head is timed.
                Read::HeadOnly(_) => match tokio::time::timeout(timeout, self.attempt(request, read, None)).await {
                    Ok(result) => result,
                    Err(_) => Err(timed_out("no response within the request timeout")),
                },
            };
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
                    tokio::time::sleep(after).await;
                    retries += 1;
                }
                Decision::Stop => return result.map_err(Error::from),
            }
        }
    }

    /// One attempt: send, follow redirects, read the body as asked.
    async fn attempt(
        &self,
        request: &Request<Body>,
        read: Read,
        timeout: Option<Duration>,
    ) -> Result<Received, TransportError> {
        let mut next: Option<Request<Body>> = None;
        let mut hops = 0;
        let response = loop {
            let current = next.as_ref().unwrap_or(request);
            let url = reqwest::Url::parse(&current.uri().to_string())
                .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
            let mut outgoing = reqwest::Request::new(current.method().clone(), url);
            *outgoing.headers_mut() = current.headers().clone();
            *outgoing.timeout_mut() = timeout;
            if !matches!(current.body(), Body::Empty) {
                *outgoing.body_mut() = Some(to_reqwest(current.body()));
            }
            let sent = self.http().execute(outgoing).await.map_err(transport)?;
            match redirect::next_request(current, sent.status(), sent.headers(), hops)? {
                Some(following) => {
                    next = Some(following);
                    hops += 1;
                }
                None => break sent,
            }
        };

        let mut response = response;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        match read {
            Read::Whole => {
                let body = read_limited(response, JSON_BODY_LIMIT).await?;
                let too_large = body.is_none();
                Ok(Received { status, headers, body: body.unwrap_or_default(), rest: None, too_large })
            }
            Read::HeadOnly(_) if status.is_success() => {
                Ok(Received { status, headers, body: Bytes::new(), rest: Some(response), too_large: false })
            }
            Read::HeadOnly(limit) => {
                // Only the start of an error body is worth reading; the rest is dropped with the connection.
                let body = read_prefix(response, limit).await?;
                Ok(Received { status, headers, body, rest: None, too_large: false })
            }
        }
    }
}

/// The whole body, or `None` when it passes `limit`.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Option<Bytes>, TransportError> {
    // Small JSON bodies usually arrive in one chunk: keep it without copying.
    let Some(first) = response.chunk().await.map_err(transport)? else { return Ok(Some(Bytes::new())) };
    if first.len() > limit {
        return Ok(None);
    }
    let Some(second) = response.chunk().await.map_err(transport)? else { return Ok(Some(first)) };
    let mut out = BytesMut::from(&first[..]);
    let mut pending = Some(second);
    while let Some(chunk) = match pending.take() {
        Some(chunk) => Some(chunk),
        None => response.chunk().await.map_err(transport)?,
    } {
        if out.len() + chunk.len() > limit {
            return Ok(None);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Some(out.freeze()))
}

async fn read_prefix(mut response: reqwest::Response, limit: usize) -> Result<Bytes, TransportError> {
    let mut out = BytesMut::new();
    while out.len() < limit {
        match response.chunk().await.map_err(transport)? {
            Some(chunk) => out.extend_from_slice(&chunk[..chunk.len().min(limit - out.len())]),
            None => break,
        }
    }
    Ok(out.freeze())
}

/// The response as the core's parsers take it.
pub(crate) fn into_http(received: Received) -> Result<http::Response<Bytes>, Error> {
    let Received { status, headers, body, too_large, .. } = received;
    videos_core::response::from_parts(status, headers, (!too_large).then_some(body))
}
