//! The body of a download, once its head was accepted: the transport streams
//! the bytes wherever the caller wants them and reports each piece here,
//! which decides whether the body was whole: by its `Content-Length`, or,
//! without one, by the media's own structure (see `wholeness`).

use crate::io::partial_file::Durability;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::error::{Error, TransportError, TransportFailure};
use crate::ops::ContentHead;
use crate::response::ApiResponse;

use super::wholeness::Wholeness;

/// A download's body in flight: what its head promised and what arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaBody {
    head: ContentHead,
    received: u64,
    read_timeout: Duration,
    /// Without a `Content-Length`, the structure decides.
    wholeness: Option<Wholeness>,
    durability: Durability,
}

impl MediaBody {
    /// The accepted head of a successful download.
    pub(crate) fn accept(
        status: StatusCode,
        headers: HeaderMap,
        read_timeout: Duration,
        durability: Durability,
    ) -> ApiResponse<Self> {
        let head = ContentHead::read(status, &headers);
        let request_id = head.request_id.clone();
        let wholeness = head.content_length.is_none().then(Wholeness::new);
        let value = Self { head, received: 0, read_timeout, wholeness, durability };
        ApiResponse { value, status, request_id, headers }
    }

    /// How a file this body is saved to must be finished
    /// ([`crate::Config::download_durability`]).
    pub fn durability(&self) -> Durability {
        self.durability
    }

    /// What the head said about the body.
    pub fn head(&self) -> &ContentHead {
        &self.head
    }

    /// The media type, such as `video/mp4`.
    pub fn content_type(&self) -> Option<&str> {
        self.head.content_type.as_deref()
    }

    /// The announced length in bytes, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.head.content_length
    }

    /// The service's request id.
    pub fn request_id(&self) -> Option<&str> {
        self.head.request_id.as_deref()
    }

    /// How many bytes arrived so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// How long the transport may wait for the next piece.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// `chunk` arrived; an error when it runs past the announced length.
    pub fn handle_chunk(&mut self, chunk: &[u8]) -> Result<(), Error> {
        self.received = self.received.saturating_add(chunk.len() as u64);
        if let Some(wholeness) = &mut self.wholeness {
            wholeness.feed(chunk);
        }
        match self.head.content_length {
            Some(expected) if self.received > expected => Err(TransportError::new(
                TransportFailure::Reset,
                format!("the body ran past its announced {expected} bytes"),
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// The body ended: the byte count, or an error when it was cut short.
    pub fn handle_end(&self) -> Result<u64, Error> {
        self.head.check_complete(self.received)?;
        if let Some(Err(reason)) = self.wholeness.as_ref().map(Wholeness::check) {
            let message =
                format!("the body ended after {} bytes without a Content-Length, and {reason}", self.received);
            return Err(TransportError::new(TransportFailure::Reset, message).into());
        }
        Ok(self.received)
    }
}
