//! Building requests: the URL, the headers every call carries, and the body.
//!
//! Each operation in [`crate::ops`] describes its method, path, query and
//! body; [`build`] adds what is common to all of them, in a fixed order:
//! the configured default headers, then authentication, organization and
//! project, `User-Agent`, `Accept`, the body's type and length, the
//! `Idempotency-Key` of a POST, and last the caller's per-call headers.

mod body;
pub mod multipart;
pub(crate) mod url;

use std::time::Duration;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request};

pub use body::Body;

use crate::config::Config;
use crate::error::{Error, InvalidInput};

/// The header that makes a retried POST safe.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The organization header.
pub const OPENAI_ORGANIZATION: HeaderName = HeaderName::from_static("openai-organization");
/// The project header.
pub const OPENAI_PROJECT: HeaderName = HeaderName::from_static("openai-project");

/// Per-call settings: what a transport hands the core besides the operation.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// The `Idempotency-Key` of a POST. Transports set a fresh random one per
    /// call (see [`RequestOptions::from_random`]) and keep it across retries.
    pub idempotency_key: Option<String>,
    /// The multipart boundary, when the body is multipart; a fixed default otherwise.
    pub multipart_boundary: Option<String>,
    /// Headers added to this call only (they replace headers of the same name).
    pub extra_headers: HeaderMap,
    /// Query parameters added to this call only.
    pub extra_query: Vec<(String, String)>,
    /// A timeout for this call instead of the configured one (the transport applies it).
    pub timeout: Option<Duration>,
}

impl RequestOptions {
    /// Options with an idempotency key and boundary derived from 128 random
    /// bits the transport provides (the core has no random source of its own).
    pub fn from_random(random: u128) -> Self {
        let hex = format!("{random:032x}");
        let uuid = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
        Self {
            idempotency_key: Some(format!("videos-rs-{uuid}")),
            multipart_boundary: Some(format!("videos-rs-boundary-{hex}")),
            ..Self::default()
        }
    }

    /// Adds a header for this call.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = HeaderName::try_from(name)
            .map_err(|_| InvalidInput::new("extra_headers", format!("{name:?} is not a header name")))?;
        let value = HeaderValue::try_from(value)
            .map_err(|_| InvalidInput::new("extra_headers", format!("the value of {name} is not a header value")))?;
        self.extra_headers.insert(name, value);
        Ok(self)
    }

    /// Adds a query parameter for this call.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((key.into(), value.into()));
        self
    }

    /// Sets a timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The boundary to use for a multipart body.
    pub(crate) fn boundary(&self) -> &str {
        self.multipart_boundary.as_deref().unwrap_or("videos-rs-boundary-0000000000000000")
    }
}

/// What an operation says about its request.
#[derive(Debug)]
pub(crate) struct Draft {
    pub(crate) method: Method,
    /// The path below the base URL, starting with `/`, already encoded.
    pub(crate) path: String,
    pub(crate) query: url::Query,
    pub(crate) body: Body,
    pub(crate) accept: &'static str,
}

impl Draft {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Self { method, path, query: url::Query::default(), body: Body::Empty, accept: "application/json" }
    }

    pub(crate) fn json(mut self, value: &impl serde::Serialize) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(value).map_err(|e| InvalidInput::new("body", e.to_string()))?;
        self.body = Body::Bytes(bytes.into());
        Ok(self)
    }
}

fn header_value(field: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::try_from(value)
        .map_err(|_| InvalidInput::new(field, "contains characters a header cannot carry").into())
}

/// Completes a draft into a request.
pub(crate) fn build(draft: Draft, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
    let mut query = draft.query;
    for (key, value) in &options.extra_query {
        query.push(key, value);
    }
    let mut uri = format!("{}{}", config.base_url(), draft.path);
    if !query.as_str().is_empty() {
        uri.push('?');
        uri.push_str(query.as_str());
    }

    let mut headers = config.default_headers().clone();
    if let Some(key) = config.api_key() {
        let mut value = header_value("api_key", &format!("Bearer {}", key.expose()))?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    if let Some(org) = config.organization() {
        headers.insert(OPENAI_ORGANIZATION, header_value("organization", org)?);
    }
    if let Some(project) = config.project() {
        headers.insert(OPENAI_PROJECT, header_value("project", project)?);
    }
    headers.insert(USER_AGENT, header_value("user_agent", config.user_agent())?);
    headers.insert(ACCEPT, HeaderValue::from_static(draft.accept));
    match &draft.body {
        Body::Empty => {}
        Body::Bytes(_) => {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Body::Multipart(m) => {
            headers.insert(CONTENT_TYPE, header_value("boundary", &m.content_type())?);
        }
    }
    if !matches!(draft.body, Body::Empty) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(draft.body.content_length()));
    }
    if draft.method == Method::POST
        && let Some(key) = &options.idempotency_key
    {
        headers.insert(IDEMPOTENCY_KEY, header_value("idempotency_key", key)?);
    }
    for (name, value) in &options.extra_headers {
        headers.insert(name.clone(), value.clone());
    }

    let mut request = Request::builder()
        .method(draft.method)
        .uri(&uri)
        .body(draft.body)
        .map_err(|e| InvalidInput::new("url", format!("{uri:?} is not a valid request URI: {e}")))?;
    *request.headers_mut() = headers;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_options_look_like_uuids() {
        let options = RequestOptions::from_random(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(options.idempotency_key.as_deref(), Some("videos-rs-01234567-89ab-cdef-0123-456789abcdef"));
        assert_eq!(options.boundary(), "videos-rs-boundary-0123456789abcdef0123456789abcdef");
    }
}
