//! The sans-IO core of the OpenAI Videos API client.
//!
//! This crate knows the protocol and nothing else: it builds an
//! [`http::Request`] for every operation, turns an [`http::Response`] into
//! the typed value or a matchable [`Error`], and decides retries, polling
//! and pagination as pure state machines. It opens no sockets, never
//! sleeps, and reads neither the clock nor a random source: the transport
//! hands those in. `videos-reqwest` and `videos-blocking` are thin loops
//! around it, and so can your own HTTP stack be:
//!
//! ```
//! use bytes::Bytes;
//! use videos_core::{Config, Operation, RequestOptions, RetrieveVideo};
//!
//! let op = RetrieveVideo::new("video_123");
//! let request = op.request(&Config::new("sk-test"), &RequestOptions::default()).unwrap();
//! assert_eq!(request.uri(), "https://api.openai.com/v1/videos/video_123");
//!
//! // … send it with any client, then:
//! let response = http::Response::builder()
//!     .status(404)
//!     .header("x-request-id", "req_1")
//!     .body(Bytes::from_static(br#"{"error":{"message":"No such video","type":"invalid_request_error","param":"video_id","code":null}}"#))
//!     .unwrap();
//! let err = op.parse(response).unwrap_err();
//! assert_eq!(err.api_kind(), Some(videos_core::ApiErrorKind::NotFound));
//! assert_eq!(err.request_id(), Some("req_1"));
//! ```
//!
//! The flow of one call: an operation **builds** its request ([`ops`],
//! [`request`]); an [`Exchange`] **decides** everything that happens to it
//! (which request to send, with which timeouts, whether to follow a
//! redirect or retry, how much body to accept, what the answer means); a
//! transport **moves the bytes** the exchange asks for and reports back.
//! Polling ([`poll`]) and pagination ([`paginate`]) are the same shape one
//! level up, driving exchanges.
//!
//! Where things are:
//! - [`ops`]: one value per operation (validation, request);
//! - [`request`]: URLs, common headers, JSON and multipart bodies;
//! - [`exchange`]: one call from first attempt to final answer;
//! - [`response`]: success bodies, error envelopes, protocol headers;
//! - [`retry`], [`redirect`], [`poll`], [`paginate`]: the decisions the
//!   exchange and the transports' loops consult;

pub mod config;
pub mod error;
pub mod exchange;
pub mod header;
pub mod io;
pub mod many;
pub mod ops;
pub mod pace;
pub mod paginate;
pub mod poll;
pub mod redirect;
pub mod request;
pub mod response;
pub mod retry;
pub(crate) mod url;

pub use config::{ApiKey, Auth, Config, TokenFuture, TokenProvider, TokenResult};
pub use error::{
    ApiError, ApiErrorKind, CredentialError, DecodeError, Error, FileError, InvalidInput, JobMayExist, PaginationError,
    PollTimeout, TransportError, TransportFailure,
};
pub use exchange::{Action, Exchange, MediaBody, Now, Timeouts};
pub use io::partial_file::{Durability, PartialFile};
pub use many::{JobOutcome, ManyAction, ManyCounts, ManyEvent, ManyItem, ManyJobs, ManyOptions};
pub use ops::{
    ContentHead, CreateCharacter, CreateVideo, DeleteVideo, DownloadContent, EditVideo, ExtendVideo, InputReference,
    ListVideos, Operation, RemixVideo, RetrieveCharacter, RetrieveVideo, VideoSource,
};
pub use pace::{JobSlot, PaceOptions, PaceStats, Pacer, SharedPacer};
pub use paginate::{PageWalk, Pager, WalkStep};
pub use poll::{PollAction, PollOptions, Poller};
pub use request::multipart::{FilePart, Multipart, Segment};
pub use request::{Body, RequestOptions};
pub use response::ApiResponse;
pub use retry::{Decision, Judgement, Outcome, RetryPolicy};
/// The JSON library of the types and of per-call body fields, re-exported so
/// callers build values with the same version.
pub use serde_json;
pub use videos_types as types;

/// The examples of this crate's README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
