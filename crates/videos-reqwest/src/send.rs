//! The one loop that carries out an exchange's actions with reqwest: send a
//! request, read a chunk, sleep, each within the timeout the exchange gives.
//! It makes no decision of its own; see [`videos_core::exchange`].

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};

use http::Request;
use videos_core::exchange::timed_out;
use videos_core::{Action, ApiResponse, Body, Error, Exchange, Now, TransportError, TransportFailure};

use crate::body::to_reqwest;

/// The first moment of a call: the wall clock is read and the jitter drawn
/// once; each later moment reads only the monotonic clock (`Now::later`).
fn start() -> Now {
    Now::new(Instant::now(), SystemTime::now(), fastrand::f64())
}

fn classify(error: &reqwest::Error) -> TransportFailure {
    if error.is_timeout() {
        TransportFailure::Timeout
    } else if error.is_connect() {
        TransportFailure::Connect
    } else if error.is_builder() || error.is_redirect() {
        TransportFailure::Other
    } else {
        // A request or body failure after connecting: the connection went away.
        TransportFailure::Reset
    }
}

/// reqwest's error as the core's.
pub(crate) fn transport(error: reqwest::Error) -> TransportError {
    TransportError::new(classify(&error), error)
}

fn outgoing(request: &Request<Body>) -> Result<reqwest::Request, TransportError> {
    let url =
        reqwest::Url::parse(&request.uri().to_string()).map_err(|e| TransportError::new(TransportFailure::Other, e))?;
    let mut outgoing = reqwest::Request::new(request.method().clone(), url);
    *outgoing.headers_mut() = request.headers().clone();
    if !matches!(request.body(), Body::Empty) {
        *outgoing.body_mut() = Some(to_reqwest(request.body()));
    }
    Ok(outgoing)
}

/// Runs `exchange` to its end. For a download, `response` is left holding
/// the response whose body is still to be read.
pub(crate) async fn drive<T>(
    http: &reqwest::Client,
    exchange: &mut Exchange<T>,
    response: &mut Option<reqwest::Response>,
) -> Result<ApiResponse<T>, Error> {
    let start = start();
    let mut now = start;
    loop {
        match exchange.next_action(&now) {
            Action::Send { request, timeouts } => {
                *response = None;
                let sent = match outgoing(request) {
                    // A bounded body (JSON) is timed by reqwest itself, head and body together,
                    // with one timer; a download's head alone by a timer of ours.
                    Ok(mut request) if timeouts.body.is_some() => {
                        *request.timeout_mut() = timeouts.body;
                        Ok(http.execute(request).await.map_err(transport))
                    }
                    Ok(request) => within(timeouts.head, http.execute(request))
                        .await
                        .map(|result| result.map_err(transport))
                        .ok_or(()),
                    Err(e) => Ok(Err(e)),
                };
                now = start.later(Instant::now());
                match sent {
                    Ok(Ok(mut head)) => {
                        let headers = std::mem::take(head.headers_mut());
                        let status = head.status();
                        *response = Some(head);
                        exchange.handle_head(status, headers, &now);
                    }
                    Ok(Err(e)) => exchange.handle_error(e, &now),
                    Err(_) => exchange.handle_error(timed_out("response", timeouts.head), &now),
                }
            }
            Action::Read { timeout, .. } => {
                let read = match response.as_mut() {
                    Some(body) => read_chunk(body, timeout).await,
                    None => Err(TransportError::new(TransportFailure::Other, "no response to read")),
                };
                now = start.later(Instant::now());
                match read {
                    Ok(Some(chunk)) => exchange.handle_chunk(chunk, &now),
                    Ok(None) => exchange.handle_end(&now),
                    Err(e) => exchange.handle_error(e, &now),
                }
            }
            Action::Wait(wait) => {
                *response = None;
                tokio::time::sleep(wait).await;
                now = start.later(Instant::now());
            }
            Action::Done(result) => return result,
        }
    }
}

/// `future`'s output, or `None` when it takes longer than `timeout`. Unlike
/// `tokio::time::timeout`, the timer is made only if the future is not ready
/// at once: a chunk already buffered costs no timer, and making one touches
/// the runtime's shared handle, which 64 concurrent calls felt.
async fn within<F: Future>(timeout: Duration, future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut timer: Option<Pin<Box<tokio::time::Sleep>>> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        let timer = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

/// The next chunk of `response`, waiting at most `timeout`.
pub(crate) async fn read_chunk(
    response: &mut reqwest::Response,
    timeout: Duration,
) -> Result<Option<bytes::Bytes>, TransportError> {
    match within(timeout, response.chunk()).await {
        Some(read) => read.map_err(transport),
        None => Err(timed_out("body data", timeout)),
    }
}
