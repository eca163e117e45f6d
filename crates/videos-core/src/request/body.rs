//! The body of a request the core builds.

use bytes::Bytes;

use super::multipart::Multipart;

/// A request body: nothing, bytes in memory (JSON), or a multipart body whose
/// files the transport streams from disk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body {
    /// No body (GET, DELETE).
    #[default]
    Empty,
    /// A body held in memory, such as JSON.
    Bytes(Bytes),
    /// A `multipart/form-data` body.
    Multipart(Multipart),
}

impl Body {
    /// The exact length in bytes.
    pub fn content_length(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Bytes(b) => b.len() as u64,
            Body::Multipart(m) => m.content_length(),
        }
    }

    /// The bytes, when the body is held in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Body::Bytes(b) => Some(b),
            _ => None,
        }
    }
}
