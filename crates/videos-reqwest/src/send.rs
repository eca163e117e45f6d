//! The one loop that carries out an exchange's actions with reqwest: send a
//! request, read a chunk, sleep, each within the timeout the exchange gives.
//! It makes no decision of its own; see [`videos_core::exchange`].

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use http::Request;
use videos_core::exchange::timed_out;
use videos_core::{Action, ApiResponse, Body, Error, Exchange, TokenProvider, TransportError, TransportFailure};

use crate::body::to_reqwest;

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
    // reqwest names the URL in its message; a query may carry a caller's credential.
    TransportError::new(classify(&error), error.without_url())
}

/// The base URL's origin, parsed once. Almost every request goes there, and
/// parsing a whole URL (its host above all) for each cost more than all the
/// rest the SDK does per call.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
    url: reqwest::Url,
}

impl Origin {
    /// The origin of `config`'s base URL (`None` if reqwest cannot read it:
    /// every request is then parsed whole, and fails as it would have).
    pub(crate) fn of(config: &videos_core::Config) -> Option<Origin> {
        let uri: http::Uri = config.base_url().parse().ok()?;
        let (scheme, authority) = (uri.scheme()?.clone(), uri.authority()?.clone());
        let url = reqwest::Url::parse(&format!("{scheme}://{authority}/")).ok()?;
        Some(Origin { scheme, authority, url })
    }
}

/// `uri` as reqwest's URL: the parsed origin with this path and query when
/// the request goes there (a redirect may go elsewhere), else parsed whole.
fn url_of(uri: &http::Uri, origin: Option<&Origin>) -> Result<reqwest::Url, TransportError> {
    if let Some(origin) = origin
        && uri.scheme() == Some(&origin.scheme)
        && uri.authority() == Some(&origin.authority)
    {
        let mut url = origin.url.clone();
        url.set_path(uri.path());
        url.set_query(uri.query());
        return Ok(url);
    }
    reqwest::Url::parse(&uri.to_string()).map_err(|e| TransportError::new(TransportFailure::Other, e))
}

fn outgoing(request: &Request<Body>, origin: Option<&Origin>) -> Result<reqwest::Request, TransportError> {
    let url = url_of(request.uri(), origin)?;
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
    origin: Option<&Origin>,
    exchange: &mut Exchange<T>,
    response: &mut Option<reqwest::Response>,
) -> Result<ApiResponse<T>, Error> {
    let start = videos_core::io::now();
    let mut now = start;
    let mut timer = Timer::default();
    loop {
        match exchange.next_action(&now) {
            Action::Send { request, timeouts } => {
                *response = None;
                // Armed at the earliest moment any later step of this request could time out,
                // so the steps after it only ever push the timer back.
                let deadline = now.at + timeouts.head;
                let earliest = now.at + timeouts.head.min(timeouts.read);
                let sent = match outgoing(request, origin) {
                    Ok(request) => {
                        timer.run(deadline, earliest, http.execute(request)).await.map(|r| r.map_err(transport))
                    }
                    Err(e) => Some(Err(e)),
                };
                now = start.later(Instant::now());
                match sent {
                    Some(Ok(mut head)) => {
                        let headers = std::mem::take(head.headers_mut());
                        let status = head.status();
                        *response = Some(head);
                        exchange.handle_head(status, headers, &now);
                    }
                    Some(Err(e)) => exchange.handle_error(e, &now),
                    None => exchange.handle_error(timed_out("response", timeouts.head), &now),
                }
            }
            Action::Read { timeout, .. } => {
                let read = match response.as_mut() {
                    Some(body) => read_chunk(&mut timer, now.at, body, timeout).await,
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
            Action::Authorize(provider) => {
                let token = match provider {
                    TokenProvider::Async(fetch) => fetch().await,
                    // A blocking provider is called in place: it is expected to be quick or cached.
                    TokenProvider::Blocking(fetch) => fetch(),
                };
                exchange.handle_token(token);
                now = start.later(Instant::now());
            }
            Action::Done(result) => return result,
        }
    }
}

/// One timer for a whole call, however many steps it times: it is armed the
/// first time a step has to wait, and a step whose deadline is later only
/// re-arms it when it fires early. A fresh `tokio::time::timeout` per step
/// would register and remove a timer for every chunk, each a trip through
/// the runtime's shared timer wheel, which 64 concurrent calls felt.
#[derive(Debug, Default)]
pub(crate) struct Timer {
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Timer {
    /// `future`'s output, or `None` when `deadline` passes first. `arm_at`
    /// (no later than `deadline`) is where a new timer is set.
    pub(crate) async fn run<F: Future>(&mut self, deadline: Instant, arm_at: Instant, future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        let deadline = tokio::time::Instant::from_std(deadline);
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            let sleep = self
                .sleep
                .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(arm_at))));
            if sleep.deadline() > deadline {
                sleep.as_mut().reset(deadline);
            }
            loop {
                match sleep.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(()) if tokio::time::Instant::now() >= deadline => return Poll::Ready(None),
                    // Fired for an earlier step's deadline: this step has longer.
                    Poll::Ready(()) => sleep.as_mut().reset(deadline),
                }
            }
        })
        .await
    }
}

/// The next chunk of `response`, waiting at most `timeout` from `now`.
pub(crate) async fn read_chunk(
    timer: &mut Timer,
    now: Instant,
    response: &mut reqwest::Response,
    timeout: Duration,
) -> Result<Option<bytes::Bytes>, TransportError> {
    let deadline = now + timeout;
    match timer.run(deadline, deadline, response.chunk()).await {
        Some(read) => read.map_err(transport),
        None => Err(timed_out("body data", timeout)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives the very URL a whole parse gives, and requests to
    /// another origin (a redirect's) are parsed whole.
    #[test]
    fn urls_from_the_parsed_origin_equal_whole_parses() {
        let config = videos_core::Config::new("k").with_base_url("http://127.0.0.1:8080/v1?api-version=1").unwrap();
        let origin = Origin::of(&config).unwrap();
        for uri in [
            "http://127.0.0.1:8080/v1/videos/video_1?api-version=1",
            "http://127.0.0.1:8080/v1/videos?limit=5&after=a%26b&api-version=1",
            "http://127.0.0.1:8080/v1/videos/%C3%A9%2F..",
            "http://127.0.0.1:8080/v1/videos/video_1/content?variant=thumbnail",
            "https://blobs.example.net:9443/c/v.mp4?sig=x%2By",
            "http://127.0.0.1:8081/v1/videos",
        ] {
            let uri: http::Uri = uri.parse().unwrap();
            let whole = reqwest::Url::parse(&uri.to_string()).unwrap();
            assert_eq!(url_of(&uri, Some(&origin)).unwrap(), whole, "{uri}");
        }
        let https = videos_core::Config::new("k").with_base_url("https://api.openai.com/v1").unwrap();
        let origin = Origin::of(&https).unwrap();
        let uri: http::Uri = "https://api.openai.com/v1/videos".parse().unwrap();
        assert_eq!(url_of(&uri, Some(&origin)).unwrap().as_str(), "https://api.openai.com/v1/videos");
    }
}
