//! The ten operations of the Videos API, one value each.
//!
//! Every operation is plain data that validates itself, builds its request
//! and parses its response ([`Operation`]); one [`crate::Exchange`] drives
//! any of them. Downloads are the exception: [`crate::Exchange::download`]
//! ends at the accepted head, and the caller streams the body through
//! [`crate::MediaBody`]. `parse_head` and `parse_error` serve a caller who
//! drives a download with their own HTTP stack and no exchange.

mod characters;
pub(crate) mod content;
mod create;
mod delete;
mod edit;
mod extend;
mod list;
mod remix;
mod retrieve;
mod validate;

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};

pub use characters::{CreateCharacter, RetrieveCharacter};
pub use content::{ContentHead, DownloadContent};
pub use create::{CreateVideo, InputReference};
pub use delete::DeleteVideo;
pub use edit::{EditVideo, VideoSource};
pub use extend::ExtendVideo;
pub use list::ListVideos;
pub use remix::RemixVideo;
pub use retrieve::RetrieveVideo;

use crate::config::Config;
use crate::error::Error;
use crate::request::{Body, RequestOptions};
use crate::response::{ApiResponse, parse_json_with_meta};

/// One API operation: it builds its request and parses its response.
pub trait Operation {
    /// What a successful call returns.
    type Output: serde::de::DeserializeOwned;

    /// What the output is called in messages, such as `"a Video"`.
    const EXPECTED: &'static str;

    /// Validates the input and builds the request. Nothing is sent.
    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error>;

    /// Reads the response: the output on success, [`Error::Api`] for an error answer.
    fn parse(&self, response: Response<Bytes>) -> Result<Self::Output, Error> {
        self.parse_with_meta(response).map(|r| r.value)
    }

    /// [`Operation::parse`], keeping the status, request id and headers.
    fn parse_with_meta(&self, response: Response<Bytes>) -> Result<ApiResponse<Self::Output>, Error> {
        let (parts, body) = response.into_parts();
        Self::decode(parts.status, parts.headers, body)
    }

    /// How this operation reads an answer from its parts; what
    /// [`crate::Exchange`] calls with the parts it holds.
    fn decode(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Self::Output>, Error> {
        parse_json_with_meta(Self::EXPECTED, status, headers, body)
    }
}
