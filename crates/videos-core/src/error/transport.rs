//! No answer: why, with the HTTP client's error as the source.

use std::fmt;

/// Why no response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// Connecting (DNS, TCP, TLS) failed.
    Connect,
    /// The connection was reset or closed before the response was complete.
    Reset,
    /// A timeout expired.
    Timeout,
    /// A redirect could not be followed.
    Redirect,
    /// Anything else.
    Other,
}

impl TransportFailure {
    /// Whether another attempt might get an answer: connecting, a dropped
    /// connection and a timeout are worth retrying; a bad redirect is not.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Connect | Self::Reset | Self::Timeout)
    }

    fn phrase(self) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::Reset => "the connection was closed before the response was complete",
            Self::Timeout => "the request timed out",
            Self::Redirect => "could not follow a redirect",
            Self::Other => "the request failed",
        }
    }
}

/// A failure to get a response, with the HTTP client's error as the source.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What went wrong.
    pub failure: TransportFailure,
    /// The HTTP client's error.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport failure of `kind` caused by `source`.
    pub fn new(failure: TransportFailure, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { failure, source: Some(source.into()) }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.failure.phrase())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}
