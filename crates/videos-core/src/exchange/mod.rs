//! One logical call, from its first attempt to its final answer, as a state
//! machine: the transport reports what happened, the exchange says what to
//! do next. Every protocol decision of a call is made here and nowhere else.
//!
//! ```text
//!                ┌──────────────── Wait(backoff) ◄──────────────────┐ retryable failure,
//!                ▼                                                   │ retries left
//!   new ──► (Authorize ──► handle_token) ──► Send { request, timeouts } ──► handle_head ─┬─ 3xx ─► Send (the next hop)
//!                                                      ├─ 2xx download ─► Done(Ok(media head))
//!                                                      └─ else ─► Read { timeout, max }
//!                                                                  ├─ handle_chunk ─► Read …
//!                                                                  └─ handle_end ─► Done | Wait
//!   any step ──► handle_error(transport failure) ──► Wait | Done(Err)
//! ```
//!
//! How to drive it, in the manner of quinn-proto's `Connection`:
//! 1. call [`Exchange::next_action`] with the current [`Now`];
//! 2. carry the [`Action`] out: send the request and wait for its head at
//!    most `timeouts.head`; read one chunk of the body within `timeout`;
//!    sleep; or return the result;
//! 3. report the outcome with exactly one of [`Exchange::handle_head`],
//!    [`Exchange::handle_chunk`], [`Exchange::handle_end`] or
//!    [`Exchange::handle_error`] (nothing after a `Wait`; after an
//!    `Authorize`, [`Exchange::handle_token`]), and go to 1.
//!
//! The exchange never reads the clock or a random source: [`Now`] carries
//! the monotonic time, the wall clock (for a `Retry-After` date) and the
//! jitter for backoff ([`Now::later`] moves a moment on without another
//! read of the wall clock). So every path, timeouts included, is testable with
//! no network and no sleeping.
//!
//! What it decides:
//! - **credentials**: with a token provider, a fresh token before every
//!   attempt (not before a redirect's next hop, which keeps the one it has
//!   within the origin and none outside it);
//! - **redirects**: followed up to [`crate::redirect::MAX_REDIRECTS`] hops,
//!   with credentials only within the origin (see [`crate::redirect`]);
//! - **retries**: by [`RetryPolicy`], always with the same built request, so
//!   a POST keeps its `Idempotency-Key` on every attempt; within its
//!   patience (see [`crate::retry`]), measured from its first attempt, any
//!   call goes on retrying refusals (429), which did nothing, and a
//!   job-creating call any retryable failure;
//! - **pace**: with a [`SharedPacer`] ([`Exchange::paced`]), no attempt goes
//!   out before the client's request budget allows, and every answer from
//!   the service teaches the budget (see [`crate::pace`]);
//! - **timeouts**: each attempt, redirects included, has
//!   `request_timeout` (or the per-call timeout) to deliver its head and,
//!   for JSON, its whole body; a body may never go silent for longer than
//!   `read_timeout`. A download's body is bounded by the read timeout only
//!   (see [`MediaBody`]), since its length is legitimately open;
//! - **bodies**: a JSON body is read up to [`JSON_BODY_LIMIT`] (beyond it
//!   the call fails, finally), an error body up to [`ERROR_BODY_LIMIT`]
//!   (the rest is not worth reading);
//! - **the answer**: a 2xx JSON body is decoded into the operation's output,
//!   anything else becomes a typed [`Error`].

mod collected;
mod log;
mod media;
mod moment;
mod wholeness;

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use serde::de::DeserializeOwned;

use crate::config::{Config, TokenProvider, TokenResult};
use crate::error::{CredentialError, Error, JobMayExist, TransportError, TransportFailure};
use crate::io::partial_file::Durability;
use crate::ops::content::check_media_type;
use crate::ops::{DownloadContent, Operation};
use crate::pace::SharedPacer;
use crate::redirect;
use crate::request::{Body, RequestOptions};
use crate::response::{ApiResponse, ERROR_BODY_LIMIT, JSON_BODY_LIMIT, api_error_judged, body_too_large};
use crate::retry::{Decision, Judgement, Outcome, RetryPolicy};

pub use crate::io::Now;
use collected::Collected;
pub use media::MediaBody;
pub use moment::{Action, Timeouts};

/// What a successful answer is made into.
enum Expect<T> {
    /// A JSON body, decoded by this function.
    Json(fn(StatusCode, HeaderMap, Bytes) -> Result<ApiResponse<T>, Error>),
    /// A media body of one of these types, left unread; the head is made
    /// into `T` by this function, told how a saved file must be finished.
    Media(fn(StatusCode, HeaderMap, Duration, Durability) -> ApiResponse<T>, &'static [&'static str], Durability),
}

enum State {
    /// Send the current request once `not_before` has passed.
    Ready { not_before: Option<Instant> },
    /// Waiting for the token provider.
    Authorizing,
    /// Sent; waiting for the head or a failure.
    Sent,
    /// Reading a body: a success's (up to the JSON limit) or an error's (up to the error limit).
    Reading { status: StatusCode, headers: HeaderMap, body: Collected },
    /// The call is over; its answer waits in `Exchange::result` until taken.
    Finished,
}

/// One call in flight. See the module documentation for how to drive it.
pub struct Exchange<T> {
    request: Request<Body>,
    /// The request of the current hop, when a redirect replaced the original
    /// (boxed: rare, and the exchange is moved around by async transports).
    hop: Option<Box<Request<Body>>>,
    hops: usize,
    retries: u32,
    policy: RetryPolicy,
    call_timeout: Duration,
    read_timeout: Duration,
    /// When the current attempt must have its answer.
    deadline: Option<Instant>,
    expect: Expect<T>,
    /// The provider to ask before each attempt, when the auth is one.
    token: Option<TokenProvider>,
    /// Whether the request carries a token fetched for the current attempt.
    authorized: bool,
    state: State,
    /// The answer, kept apart from the state so that moving between states copies little.
    result: Option<Result<ApiResponse<T>, Error>>,
    /// This call's `tracing` span.
    span: tracing::Span,
    /// The client's request budget, when it keeps one.
    pacer: Option<SharedPacer>,
    /// How long after its first attempt the call goes on retrying refusals
    /// (429: nothing was done, so any call may), and, for a job-creating
    /// call, any retryable failure.
    patience: Duration,
    /// Whether the call creates a job (it carries an idempotency key).
    creates: bool,
    /// When the first attempt went out.
    began: Option<Instant>,
}

impl<T> std::fmt::Debug for Exchange<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Ready { .. } => "ready",
            State::Authorizing => "authorizing",
            State::Sent => "sent",
            State::Reading { .. } => "reading",
            State::Finished => "finished",
        };
        f.debug_struct("Exchange")
            .field("method", self.request.method())
            // The path only: a query may carry a caller's credential.
            .field("path", &self.request.uri().path())
            .field("state", &state)
            .field("retries", &self.retries)
            .field("hops", &self.hops)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Exchange<T> {
    /// Starts the call `op` makes. `random` supplies this call's
    /// `Idempotency-Key` and multipart boundary unless `options` fixes them.
    pub fn new<O: Operation<Output = T>>(
        op: &O,
        config: &Config,
        options: &RequestOptions,
        random: u128,
    ) -> Result<Self, Error> {
        let request = op.request(config, &options.with_random(random))?;
        Ok(Self::start(request, config, options, Expect::Json(O::decode)))
    }
}

impl Exchange<MediaBody> {
    /// Starts a download: it ends with the accepted head, and the body is
    /// streamed by the caller through the returned [`MediaBody`].
    pub fn download(
        op: &DownloadContent,
        config: &Config,
        options: &RequestOptions,
        random: u128,
    ) -> Result<Self, Error> {
        let request = op.request(config, &options.with_random(random))?;
        Ok(Self::start(
            request,
            config,
            options,
            Expect::Media(MediaBody::accept, op.media_types(), config.download_durability),
        ))
    }
}

impl<T> Exchange<T> {
    fn start(request: Request<Body>, config: &Config, options: &RequestOptions, expect: Expect<T>) -> Self {
        let span = log::span(&request);
        // A call that carries an idempotency key creates a job: retrying it with the same key is safe.
        let creates = request.headers().contains_key(crate::header::IDEMPOTENCY_KEY);
        let patience = options.patience.unwrap_or(config.retry.patience);
        Self {
            request,
            hop: None,
            hops: 0,
            retries: 0,
            policy: config.retry,
            call_timeout: options.timeout.unwrap_or(config.request_timeout),
            read_timeout: config.read_timeout,
            deadline: None,
            expect,
            token: config.auth().token_provider().cloned(),
            authorized: false,
            state: State::Ready { not_before: None },
            result: None,
            span,
            pacer: None,
            patience,
            creates,
            began: None,
        }
    }

    /// Sends every attempt within `pacer`'s budget, and teaches it from every
    /// answer. A client's exchanges all share its one pacer.
    pub fn paced(mut self, pacer: SharedPacer) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// The policy's decision, patient while a retry would still go out
    /// within the patience of a job-creating call.
    fn decide(&self, judgement: Judgement, refused: bool, now: &Now) -> Decision {
        let patient = refused || self.creates;
        let within = |at: Instant| {
            patient && self.began.is_some_and(|began| at.saturating_duration_since(began) < self.patience)
        };
        let decision = self.policy.verdict(self.retries, judgement, now.jitter, within(now.at));
        match decision {
            Decision::Retry { after }
                if self.retries >= self.policy.max_retries && !now.at.checked_add(after).is_some_and(within) =>
            {
                Decision::Stop
            }
            decision => decision,
        }
    }

    /// How many retries were made so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    fn remaining(&self, now: Instant) -> Duration {
        self.deadline.map_or(self.call_timeout, |d| d.saturating_duration_since(now))
    }

    /// What to do at `now`.
    pub fn next_action(&mut self, now: &Now) -> Action<'_, T> {
        match &mut self.state {
            State::Ready { not_before: Some(at) } if now.at < *at => Action::Wait(*at - now.at),
            State::Ready { .. } if self.hop.is_none() && !self.authorized && self.token.is_some() => {
                self.state = State::Authorizing;
                match &self.token {
                    Some(provider) => Action::Authorize(provider),
                    None => Action::Done(Err(out_of_order("lost the token provider"))),
                }
            }
            State::Ready { .. } => {
                // The budget is the service's: a redirect's next hop (to a blob store, say) is not paced.
                if self.hop.is_none()
                    && let Some(pacer) = &self.pacer
                {
                    let wait = pacer.lock().reserve(now);
                    if !wait.is_zero() {
                        log::paced(&self.span, wait);
                        return Action::Wait(wait);
                    }
                }
                self.began.get_or_insert(now.at);
                self.authorized = false;
                if self.deadline.is_none() {
                    // A timeout too long to add is no deadline at all.
                    self.deadline = now.at.checked_add(self.call_timeout);
                }
                let remaining = self.remaining(now.at);
                let body = matches!(self.expect, Expect::Json(_)).then_some(remaining);
                self.state = State::Sent;
                log::sending(&self.span, self.retries + 1, self.hops);
                let request = self.hop.as_deref().unwrap_or(&self.request);
                Action::Send { request, timeouts: Timeouts { head: remaining, read: self.read_timeout, body } }
            }
            State::Sent | State::Authorizing => {
                self.state = State::Finished;
                Action::Done(Err(out_of_order("asked for the next action before reporting the last one's outcome")))
            }
            State::Reading { status, body, .. } => {
                let limit = if status.is_success() { JSON_BODY_LIMIT + 1 } else { ERROR_BODY_LIMIT };
                let max = limit.saturating_sub(body.len()).max(1);
                let timeout = self.read_timeout.min(self.remaining(now.at));
                Action::Read { timeout, max }
            }
            State::Finished => Action::Done(
                self.result
                    .take()
                    .unwrap_or_else(|| Err(out_of_order("asked for the next action after the call ended"))),
            ),
        }
    }

    /// The token provider answered an [`Action::Authorize`].
    pub fn handle_token(&mut self, token: TokenResult) {
        if !matches!(self.state, State::Authorizing) {
            return self.finish(Err(out_of_order("reported a token that was not asked for")));
        }
        let value = match token {
            Ok(token) => HeaderValue::try_from(format!("Bearer {}", token.trim())),
            Err(e) => return self.finish(Err(CredentialError::new("the token provider failed", Some(e)).into())),
        };
        match value {
            Ok(mut value) => {
                value.set_sensitive(true);
                self.request.headers_mut().insert(AUTHORIZATION, value);
                self.authorized = true;
                self.state = State::Ready { not_before: None };
            }
            Err(_) => {
                let reason = "the token provider gave a token that contains characters a header cannot carry";
                self.finish(Err(CredentialError::new(reason, None).into()));
            }
        }
    }

    /// The response head arrived.
    pub fn handle_head(&mut self, status: StatusCode, headers: HeaderMap, now: &Now) {
        if !matches!(self.state, State::Sent) {
            return self.finish(Err(out_of_order("reported a response head that was not asked for")));
        }
        if self.hop.is_none()
            && let Some(pacer) = &self.pacer
        {
            pacer.lock().observe(now, status, &headers);
        }
        let current = self.hop.as_deref().unwrap_or(&self.request);
        match redirect::next_request(current, status, &headers, self.hops) {
            Err(e) => return self.handle_error(e, now),
            Ok(Some(next)) => {
                let same_origin = redirect::same_origin(next.uri(), current.uri());
                log::redirected(&self.span, next.uri(), same_origin);
                self.hop = Some(Box::new(next));
                self.hops += 1;
                self.state = State::Ready { not_before: None };
                return;
            }
            Ok(None) => {}
        }
        match &self.expect {
            Expect::Media(accept, media_types, durability) if status.is_success() => {
                let result = check_media_type(media_types, status, &headers)
                    .map(|()| accept(status, headers, self.read_timeout, *durability));
                self.finish(result);
            }
            _ => self.state = State::Reading { status, headers, body: Collected::Empty },
        }
    }

    /// Whether a JSON answer's attempt ran past its deadline: a transport
    /// that cannot time each read exactly (ureq times phases) still meets
    /// the exchange's deadline, give or take one read timeout.
    fn past_deadline(&self, now: &Now) -> bool {
        matches!(self.expect, Expect::Json(_)) && self.deadline.is_some_and(|deadline| now.at > deadline)
    }

    /// A piece of the body arrived.
    pub fn handle_chunk(&mut self, chunk: Bytes, now: &Now) {
        if matches!(self.state, State::Reading { .. }) && self.past_deadline(now) {
            return self.handle_error(timed_out("whole response", self.call_timeout), now);
        }
        let State::Reading { status, headers, body } = &mut self.state else {
            return self.finish(Err(out_of_order("reported a body that was not asked for")));
        };
        if status.is_success() {
            if body.len() + chunk.len() > JSON_BODY_LIMIT {
                let error = body_too_large(*status, headers);
                return self.finish(Err(error));
            }
            body.push(chunk);
        } else {
            let room = ERROR_BODY_LIMIT - body.len();
            body.push(chunk.slice(..chunk.len().min(room)));
            if body.len() >= ERROR_BODY_LIMIT {
                // Only the start of an error body is quoted; the rest goes with the connection.
                self.handle_end(now);
            }
        }
    }

    /// The body ended.
    pub fn handle_end(&mut self, now: &Now) {
        if matches!(self.state, State::Reading { .. }) && self.past_deadline(now) {
            return self.handle_error(timed_out("whole response", self.call_timeout), now);
        }
        let State::Reading { status, headers, body } = std::mem::replace(&mut self.state, State::Finished) else {
            return self.finish(Err(out_of_order("reported the end of a body that was not asked for")));
        };
        if status.is_success() {
            let decode = match &self.expect {
                Expect::Json(decode) => *decode,
                Expect::Media(..) => return self.finish(Err(out_of_order("read the body of an accepted download"))),
            };
            return self.finish(decode(status, headers, body.into_bytes()));
        }
        // The answer's retry headers are read once, for the decision and the error alike.
        let judgement = Judgement::of(&Outcome::Response { status, headers: &headers }, now.wall);
        match self.decide(judgement, status == StatusCode::TOO_MANY_REQUESTS, now) {
            Decision::Retry { after } => self.retry(after, now, status.as_str()),
            Decision::Stop => {
                let body = body.into_bytes();
                let error = api_error_judged(status, &headers, &body, judgement.asked, judgement.retryable);
                self.finish(Err(error));
            }
        }
    }

    /// Sending, or reading the head or the body, failed (a timeout included).
    pub fn handle_error(&mut self, error: TransportError, now: &Now) {
        if self.result.is_some() {
            return;
        }
        match self.decide(Judgement::of(&Outcome::Transport(error.failure), now.wall), false, now) {
            Decision::Retry { after } => self.retry(after, now, &format!("{:?}", error.failure)),
            Decision::Stop => self.finish(Err(error.into())),
        }
    }

    fn retry(&mut self, after: Duration, now: &Now, cause: &str) {
        log::retrying(&self.span, self.retries + 2, after, cause);
        self.retries += 1;
        self.hop = None;
        self.hops = 0;
        self.deadline = None;
        self.state = State::Ready { not_before: now.at.checked_add(after) };
    }

    fn finish(&mut self, result: Result<ApiResponse<T>, Error>) {
        let result = match result {
            Err(error) if self.creates && self.began.is_some() && outcome_unknown(&error) => {
                let key = self.request.headers().get(crate::header::IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok());
                match key {
                    Some(key) => Err(JobMayExist { idempotency_key: key.to_owned(), last: error }.into()),
                    None => Err(error),
                }
            }
            result => result,
        };
        log::finished(&self.span, &result);
        self.state = State::Finished;
        self.result = Some(result);
    }
}

/// Whether a sent request's failure leaves it unknown if the service acted
/// on it: no answer after sending (a reset, a timeout), a server failure,
/// or a success whose body could not be read. A refusal (4xx, 429 included)
/// and a failure to connect made nothing.
fn outcome_unknown(error: &Error) -> bool {
    match error {
        Error::Transport(e) => matches!(e.failure, TransportFailure::Reset | TransportFailure::Timeout),
        Error::Api(e) => e.status.is_server_error() || matches!(e.status.as_u16(), 408 | 409),
        Error::Decode(_) => true,
        _ => false,
    }
}

/// The error for a transport that reports events the exchange did not ask for.
fn out_of_order(what: &str) -> Error {
    TransportError::new(TransportFailure::Other, format!("transport bug: {what}")).into()
}

/// The failure a transport reports when a step's timeout expired.
pub fn timed_out(step: &'static str, after: Duration) -> TransportError {
    TransportError::new(TransportFailure::Timeout, format!("no {step} within {after:.1?}"))
}
