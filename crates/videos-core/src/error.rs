//! The one error type of the SDK, by phase: rejected before sending
//! ([`InvalidInput`]), no response ([`TransportError`]), an error answer from
//! the service ([`ApiError`]), an answer that cannot be read ([`DecodeError`]),
//! a poll that ran out of time ([`PollTimeout`]), or a local file ([`FileError`]).
//!
//! `Display` is one phrase; the cause is in `source()`. Nothing here ever
//! holds the API key.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::StatusCode;
use videos_types::VideoStatus;

mod credential;
mod may_exist;
mod snippet;
mod transport;

pub use credential::CredentialError;
pub use may_exist::JobMayExist;
pub use snippet::{SNIPPET_LIMIT, snippet};
pub use transport::{TransportError, TransportFailure};

/// Any failure of a Videos API call.
///
/// Every variant is boxed, so a `Result<T, Error>` costs two words beyond
/// `T` whatever went wrong. Match the variant for the details, or ask the
/// accessors below, which answer the common questions for every variant.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input was rejected before anything was sent.
    InvalidInput(Box<InvalidInput>),
    /// The service answered with an error status.
    Api(Box<ApiError>),
    /// The service answered, but not with what the operation returns.
    Decode(Box<DecodeError>),
    /// No answer: connecting, sending or receiving failed.
    Transport(Box<TransportError>),
    /// Polling reached its deadline before the job finished.
    PollTimeout(Box<PollTimeout>),
    /// Reading an upload or writing a download failed.
    File(Box<FileError>),
    /// A listing was paged in a way that cannot end (a cursor came back, or a
    /// page claimed more without saying where to go on).
    Pagination(Box<PaginationError>),
    /// The token provider could not supply a token; nothing was sent.
    Credential(Box<CredentialError>),
    /// A job-creating call gave up without an answer that said whether a job
    /// was made: the service may have made one (and will bill it). The same
    /// call with [`Error::idempotency_key`] gets it without making another.
    JobMayExist(Box<JobMayExist>),
}

impl Error {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::JobMayExist(e) => e.last.status(),
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The service's request id, when it answered (with an error, or with a
    /// body that could not be read).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::JobMayExist(e) => e.last.request_id(),
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The kind of API error, when the service answered with one.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self {
            Error::JobMayExist(e) => e.last.api_kind(),
            Error::Api(e) => Some(e.kind),
            _ => None,
        }
    }

    /// How long the service asked the client to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::JobMayExist(e) => e.last.retry_after(),
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// Whether the same call might succeed if made again later: a rate
    /// limit, a server failure, a timeout or a dropped connection. The
    /// clients already retried such failures as their policy allows; this
    /// tells a caller whether trying again later is worth it.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::JobMayExist(e) => e.last.is_retryable(),
            Error::Api(e) => e.retryable,
            Error::Transport(e) => e.failure.is_retryable(),
            _ => false,
        }
    }

    /// Whether the service may have made a job that no answer confirmed
    /// (see [`Error::JobMayExist`]): repeat the call with
    /// [`Error::idempotency_key`] rather than without it.
    pub fn job_may_exist(&self) -> bool {
        matches!(self, Error::JobMayExist(_))
    }

    /// The `Idempotency-Key` that finds the job the service may have made,
    /// when [`Error::job_may_exist`].
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::JobMayExist(e) => Some(&e.idempotency_key),
            _ => None,
        }
    }

    /// Whether a time limit ended the call: a request, read or poll timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::JobMayExist(e) => e.last.is_timeout(),
            Error::Transport(e) => e.failure == TransportFailure::Timeout,
            Error::PollTimeout(_) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::PollTimeout(e) => e.fmt(f),
            Error::File(e) => e.fmt(f),
            Error::Pagination(e) => e.fmt(f),
            Error::Credential(e) => e.fmt(f),
            Error::JobMayExist(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidInput(e) => e.source(),
            Error::Api(e) => e.source(),
            Error::Decode(e) => e.source(),
            Error::Transport(e) => e.source(),
            Error::PollTimeout(e) => e.source(),
            Error::File(e) => e.source(),
            Error::Pagination(e) => e.source(),
            Error::Credential(e) => e.source(),
            Error::JobMayExist(e) => e.source(),
        }
    }
}

macro_rules! from_variant {
    ($($variant:ident($ty:ident)),*) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::$variant(Box::new(e))
            }
        }
    )*};
}
from_variant!(
    Credential(CredentialError),
    InvalidInput(InvalidInput),
    Api(ApiError),
    Decode(DecodeError),
    Transport(TransportError),
    PollTimeout(PollTimeout),
    File(FileError),
    Pagination(PaginationError),
    JobMayExist(JobMayExist)
);

/// Input rejected before any I/O, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    /// The parameter, as the API names it (`prompt`, `limit`, `input_reference.image_url`, …).
    pub field: String,
    /// Why it was rejected.
    pub reason: String,
}

impl InvalidInput {
    /// A rejection of `field` for `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidInput {}

/// What an error status means, for matching without remembering numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400: the request was malformed or a parameter is invalid.
    BadRequest,
    /// 401: the API key is missing or wrong.
    Authentication,
    /// 403: the key may not do this.
    PermissionDenied,
    /// 404: no such video or character.
    NotFound,
    /// 409: the resource is in a state that forbids this (e.g. deleting a running job).
    Conflict,
    /// 422: the request was understood but cannot be processed.
    UnprocessableEntity,
    /// 429: too many requests, or out of quota.
    RateLimit,
    /// 500 and above: the service failed.
    Server,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    /// The kind for an HTTP status.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimit,
            500.. => Self::Server,
            _ => Self::Other,
        }
    }
}

/// The statuses worth another try: timeouts, conflicts (a lock held by a
/// concurrent request), rate limits and server failures.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// Whether an error answer is worth another try: the service's own
/// `x-should-retry` (`true` or `false`) when it sends one, else the status.
/// The one place this is decided: the retry policy asks it before retrying,
/// and [`ApiError::retryable`] records its verdict for the caller.
pub fn is_retryable_answer(status: StatusCode, headers: &http::HeaderMap) -> bool {
    match headers.get(crate::header::SHOULD_RETRY).and_then(|v| v.to_str().ok()).map(str::trim) {
        Some("true") => true,
        Some("false") => false,
        _ => is_retryable_status(status),
    }
}

/// An error answer from the service.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What the status means.
    pub kind: ApiErrorKind,
    /// The envelope's `message`, or a description of the status when there is no envelope.
    pub message: String,
    /// The envelope's `type`, such as `invalid_request_error`.
    pub error_type: Option<String>,
    /// The envelope's `param`: the request field at fault.
    pub param: Option<String>,
    /// The envelope's `code`.
    pub code: Option<String>,
    /// The request id (`x-request-id` or a gateway's own header), to quote to support.
    pub request_id: Option<String>,
    /// The start of the body, when it was not an error envelope (an HTML page from a proxy, say).
    pub body_snippet: Option<String>,
    /// The body as it arrived (its first 64 KiB), whatever its shape.
    pub body: bytes::Bytes,
    /// How long the service asked the client to wait (`retry-after-ms` or `retry-after` in seconds).
    pub retry_after: Option<Duration>,
    /// Whether another try is worth it, as the retry policy judged the
    /// answer (the service's `x-should-retry` first, else the status; see
    /// [`is_retryable_answer`]).
    pub retryable: bool,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status.as_u16())?;
        if let Some(kind) = self.error_type.as_deref().or(self.code.as_deref()) {
            write!(f, " {kind}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(param) = &self.param {
            write!(f, " (param {param})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A response that could not be read as what the operation returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// What was expected, such as `a Video` or `application/json`.
    pub expected: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The start of the body, bounded (see [`snippet`]).
    pub snippet: String,
    /// The whole body as it arrived, to read what the service sent when it
    /// is not what the SDK expected (empty when it was over the limit).
    pub body: bytes::Bytes,
    /// Set when the body was longer than this many bytes and was not read
    /// to the end: the call failed for good, since asking again would
    /// bring the same body.
    pub over_limit: Option<usize>,
    /// The service's request id, to quote to support.
    pub request_id: Option<String>,
    /// The parser's complaint, when there is one.
    pub source: Option<serde_json::Error>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} in the {} response", self.expected, self.status.as_u16())?;
        if let Some(ct) = &self.content_type {
            write!(f, " ({ct})")?;
        }
        write!(f, ", got: {}", self.snippet)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// Polling stopped at its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollTimeout {
    /// The job being watched.
    pub video_id: String,
    /// The last status seen (possibly one this SDK does not know).
    pub last_status: Option<VideoStatus>,
    /// The last progress seen.
    pub last_progress: Option<i64>,
    /// How long polling went on.
    pub waited: Duration,
    /// The last failure to read the job's status, when the last read failed
    /// (the job may well be running: resume waiting with its id).
    pub last_failure: Option<String>,
}

impl fmt::Display for PollTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "video {} did not finish within {:.1?}", self.video_id, self.waited)?;
        match &self.last_status {
            Some(status) if !status.is_known() => {
                write!(f, " (last status {:?} is not one this SDK knows)", status.as_str())
            }
            Some(status) => write!(f, " (last status {status})"),
            None => Ok(()),
        }?;
        match &self.last_failure {
            Some(failure) => write!(f, "; the last status read failed: {failure}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for PollTimeout {}

/// A listing that cannot be walked to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationError {
    /// How many pages were read.
    pub pages: usize,
    /// The cursor at fault, when there is one.
    pub cursor: Option<String>,
    /// Why the walk stopped.
    pub reason: &'static str,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the listing stopped after {} pages: {}", self.pages, self.reason)?;
        if let Some(cursor) = &self.cursor {
            write!(f, " (cursor {cursor:?})")?;
        }
        Ok(())
    }
}

impl std::error::Error for PaginationError {}

/// A local file could not be read or written.
#[derive(Debug)]
#[non_exhaustive]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// What was being done, such as `open upload` or `write download`.
    pub action: &'static str,
    /// The operating system's error.
    pub source: std::io::Error,
}

impl FileError {
    /// A failure to `action` the file at `path`.
    pub fn new(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Self { path: path.into(), action, source }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not {} {}", self.action, self.path.display())
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests;
