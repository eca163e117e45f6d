//! The one loop that carries out an exchange's actions with ureq: send a
//! request with the exchange's timeouts, read a chunk, sleep. It makes no
//! decision of its own; see [`videos_core::exchange`].

use std::io::Read;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Request;
use videos_core::{
    Action, ApiResponse, Body, Error, Exchange, Timeouts, TokenProvider, TransportError, TransportFailure,
};

use crate::body::to_ureq;

/// The body of a response, read as the exchange asks.
pub(crate) type BodyReader = ureq::BodyReader<'static>;

/// The limit on each socket write: the head's budget less a second, which
/// changes no deadline (a write that starts in the first second ends before
/// the budget does; later ones get what is left of it, as before) but makes
/// the limit a constant. ureq sets a socket's send timeout whenever the limit
/// differs from the last one set, and what is left of a budget differs on
/// every call: that was one `setsockopt` per request, which cost the
/// blocking client 7% of its retrieves per second. Budgets under two seconds
/// keep the plain behaviour.
pub(crate) fn per_write(head: Duration) -> Option<Duration> {
    (head >= Duration::from_secs(2)).then(|| head - Duration::from_secs(1))
}

/// ureq's error as the core's.
pub(crate) fn transport(error: ureq::Error) -> TransportError {
    TransportError::new(classify(&error), error)
}

fn classify(error: &ureq::Error) -> TransportFailure {
    match error {
        ureq::Error::Timeout(_) => TransportFailure::Timeout,
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportFailure::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => TransportFailure::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => TransportFailure::Timeout,
        ureq::Error::Io(_) | ureq::Error::Protocol(_) | ureq::Error::BodyStalled => TransportFailure::Reset,
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => TransportFailure::Redirect,
        _ => TransportFailure::Other,
    }
}

/// A failed body read as the core's error. ureq reports its own failures
/// inside the body reader as io errors wrapping a `ureq::Error`.
pub(crate) fn io_transport(error: std::io::Error) -> TransportError {
    let inner = error.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>());
    let failure = match (inner, error.kind()) {
        (Some(inner), _) => classify(inner),
        (None, std::io::ErrorKind::TimedOut) => TransportFailure::Timeout,
        (None, _) => TransportFailure::Reset,
    };
    TransportError::new(failure, error)
}

fn run(
    agent: &ureq::Agent,
    defaults: Option<&Timeouts>,
    request: &Request<Body>,
    timeouts: &Timeouts,
) -> Result<http::Response<ureq::Body>, TransportError> {
    let mut outgoing = Request::new(to_ureq(request.body()));
    *outgoing.method_mut() = request.method().clone();
    *outgoing.uri_mut() = request.uri().clone();
    *outgoing.headers_mut() = request.headers().clone();
    // ureq times phases, not steps: each phase up to the head gets the head's budget, the
    // body its own, every read the read timeout. The agent already carries the usual ones
    // (see `Client::new`), and configuring a request copies the agent's whole config.
    // A caller's agent (no defaults) has every request configured.
    let outgoing = if defaults == Some(timeouts) {
        outgoing
    } else {
        agent
            .configure_request(outgoing)
            .timeout_send_request(Some(timeouts.head))
            .timeout_send_body(Some(timeouts.head))
            .timeout_recv_response(Some(timeouts.head))
            .timeout_recv_body(timeouts.body)
            .timeout_per_read(Some(timeouts.read))
            .timeout_per_write(per_write(timeouts.head))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build()
    };
    agent.run(outgoing).map_err(transport)
}

thread_local! {
    /// Where bodies are read before they are copied into chunks: zeroed once
    /// per thread rather than once per call (a fresh zeroed buffer cost more
    /// than the rest of a small call).
    static SCRATCH: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 16 * 1024]);
}

/// Runs `exchange` to its end. For a download, `body` is left holding the
/// reader of the body still to be read.
pub(crate) fn drive<T>(
    agent: &ureq::Agent,
    defaults: Option<&Timeouts>,
    exchange: &mut Exchange<T>,
    body: &mut Option<BodyReader>,
) -> Result<ApiResponse<T>, Error> {
    let start = videos_core::io::now();
    let mut now = start;
    loop {
        match exchange.next_action(&now) {
            Action::Send { request, timeouts } => {
                *body = None;
                let sent = run(agent, defaults, request, &timeouts);
                now = start.later(Instant::now());
                match sent {
                    Ok(response) => {
                        let (parts, rest) = response.into_parts();
                        // The exchange bounds every body; ureq's own default limit would cut videos.
                        *body = Some(rest.into_with_config().limit(u64::MAX).reader());
                        exchange.handle_head(parts.status, parts.headers, &now);
                    }
                    Err(e) => exchange.handle_error(e, &now),
                }
            }
            Action::Read { max, .. } => {
                let read = SCRATCH.with_borrow_mut(|buf| {
                    let want = max.min(buf.len());
                    match body.as_mut() {
                        Some(reader) => reader.read(&mut buf[..want]).map(|n| Bytes::copy_from_slice(&buf[..n])),
                        None => Err(std::io::Error::other("no response to read")),
                    }
                });
                now = start.later(Instant::now());
                match read {
                    Ok(chunk) if chunk.is_empty() => exchange.handle_end(&now),
                    Ok(chunk) => exchange.handle_chunk(chunk, &now),
                    Err(e) => exchange.handle_error(io_transport(e), &now),
                }
            }
            Action::Wait(wait) => {
                *body = None;
                std::thread::sleep(wait);
                now = start.later(Instant::now());
            }
            Action::Authorize(provider) => {
                let token = match provider {
                    TokenProvider::Blocking(fetch) => fetch(),
                    // Client::new refuses an async provider; this only guards a config changed since.
                    TokenProvider::Async(_) => Err("an async token provider needs the async client".into()),
                };
                exchange.handle_token(token);
                now = start.later(Instant::now());
            }
            Action::Done(result) => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_limit_is_a_constant_inside_the_budget() {
        assert_eq!(per_write(Duration::from_secs(600)), Some(Duration::from_secs(599)));
        assert_eq!(per_write(Duration::from_secs(2)), Some(Duration::from_secs(1)));
        assert_eq!(per_write(Duration::from_millis(1_999)), None, "short budgets are left alone");
        assert_eq!(per_write(Duration::ZERO), None);
    }

    #[test]
    fn failures_are_classified_truthfully() {
        // A name that does not resolve was once reported as a reset.
        assert_eq!(classify(&ureq::Error::HostNotFound), TransportFailure::Connect);
        assert_eq!(classify(&ureq::Error::ConnectionFailed), TransportFailure::Connect);
        let timed_out = std::io::Error::from(std::io::ErrorKind::TimedOut);
        assert_eq!(classify(&ureq::Error::Io(timed_out)), TransportFailure::Timeout);
        // ureq wraps its own errors inside the body reader's io errors.
        let wrapped = std::io::Error::other(ureq::Error::HostNotFound);
        assert_eq!(io_transport(wrapped).failure, TransportFailure::Connect);
        assert_eq!(io_transport(std::io::Error::from(std::io::ErrorKind::TimedOut)).failure, TransportFailure::Timeout);
        assert_eq!(
            io_transport(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)).failure,
            TransportFailure::Reset
        );
    }
}
