//! Building requests: the URL, the headers every call carries, and the body.
//!
//! Each operation in [`crate::ops`] describes its method, path, query and
//! body; `build` adds what is common to all of them, in a fixed order:
//! the configured default headers, then authentication, organization and
//! project, `User-Agent`, `Accept`, the body's type and length, the
//! `Idempotency-Key` of a POST, and last the caller's per-call headers.

mod body;
mod fields;
pub mod multipart;

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use http::uri::PathAndQuery;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};

pub use body::Body;
pub(crate) use fields::Fields;

use crate::config::Config;
use crate::error::{Error, InvalidInput};

pub use crate::header::{IDEMPOTENCY_KEY, OPENAI_ORGANIZATION, OPENAI_PROJECT};

/// Per-call settings: what a transport hands the core besides the operation.
/// Its `Debug` shows no credential: secret headers are marked sensitive,
/// and the values of query parameters named like secrets are redacted.
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// 128 random bits for this call, from the transport (the core has no
    /// random source of its own). A POST's `Idempotency-Key` and a multipart
    /// boundary are derived from them unless set explicitly below; the
    /// transport keeps the built request, so retries reuse the same key.
    pub random: Option<u128>,
    /// An explicit `Idempotency-Key` for a POST.
    pub idempotency_key: Option<String>,
    /// An explicit multipart boundary.
    pub multipart_boundary: Option<String>,
    /// Headers added to this call only (they replace headers of the same name).
    pub extra_headers: HeaderMap,
    /// Query parameters added to this call only.
    pub extra_query: Vec<(String, String)>,
    /// A timeout for this call instead of the configured one (the transport applies it).
    pub timeout: Option<Duration>,
    /// Fields added to this call's body (what other SDKs call `extra_body`),
    /// for gateways that take parameters OpenAI does not: merged into a JSON
    /// body (replacing a field of the same name), or sent as text parts of a
    /// multipart body (a string as it is, anything else as JSON text).
    /// Ignored by calls that send no body.
    pub extra_body: serde_json::Map<String, serde_json::Value>,
    /// How long a job-creating call of this handle keeps retrying instead of
    /// the configured [`crate::RetryPolicy::patience`].
    pub patience: Option<Duration>,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<(&str, &str)> = self
            .extra_query
            .iter()
            .map(|(k, v)| (k.as_str(), if crate::config::auth::is_secret_name(k) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("RequestOptions")
            .field("random", &self.random.map(|_| "<set>"))
            .field("idempotency_key", &self.idempotency_key)
            .field("multipart_boundary", &self.multipart_boundary)
            .field("extra_headers", &self.extra_headers)
            .field("extra_query", &query)
            .field("timeout", &self.timeout)
            .field("extra_body", &self.extra_body)
            .field("patience", &self.patience)
            .finish()
    }
}

impl RequestOptions {
    /// Options carrying 128 random bits for this call.
    pub fn from_random(random: u128) -> Self {
        Self { random: Some(random), ..Self::default() }
    }

    /// These options with `random` as this call's random bits (keeping an
    /// explicit key or boundary the caller chose).
    pub fn with_random(&self, random: u128) -> Self {
        Self { random: Some(random), ..self.clone() }
    }

    /// The `Idempotency-Key` a POST built with these options carries, if any.
    pub fn effective_idempotency_key(&self) -> Option<String> {
        self.idempotency_key.clone().or_else(|| {
            let hex = format!("{:032x}", self.random?);
            Some(format!("videos-rs-{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
        })
    }

    /// Adds a header for this call.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = HeaderName::try_from(name)
            .map_err(|_| InvalidInput::new("extra_headers", format!("{name:?} is not a header name")))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| InvalidInput::new("extra_headers", format!("the value of {name} is not a header value")))?;
        // A per-call credential (a gateway's own key, say) is as secret as a configured one:
        // marked sensitive, so no Debug of these options, a handle or a request shows it.
        if crate::config::auth::is_secret_header(&name) {
            value.set_sensitive(true);
        }
        self.extra_headers.insert(name, value);
        Ok(self)
    }

    /// Adds a query parameter for this call.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((key.into(), value.into()));
        self
    }

    /// Adds a field to this call's body (see [`RequestOptions::extra_body`]).
    pub fn body_field(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extra_body.insert(key.into(), value.into());
        self
    }

    /// Sets how long a job-creating call keeps retrying refusals and
    /// unanswered attempts (see [`crate::retry`]).
    pub fn patience(mut self, patience: Duration) -> Self {
        self.patience = Some(patience);
        self
    }

    /// These options with `key` as the `Idempotency-Key`, when an operation
    /// carries its own (it wins over the handle's); unchanged otherwise.
    pub fn keyed(&self, key: Option<&str>) -> std::borrow::Cow<'_, Self> {
        match key {
            Some(key) => std::borrow::Cow::Owned(Self { idempotency_key: Some(key.to_owned()), ..self.clone() }),
            None => std::borrow::Cow::Borrowed(self),
        }
    }

    /// Sets a timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The boundary to use for a multipart body.
    pub(crate) fn boundary(&self) -> String {
        match (&self.multipart_boundary, self.random) {
            (Some(boundary), _) => boundary.clone(),
            (None, Some(random)) => format!("videos-rs-boundary-{random:032x}"),
            (None, None) => "videos-rs-boundary-0000000000000000".to_owned(),
        }
    }
}

/// What an operation says about its request.
#[derive(Debug)]
pub(crate) struct Draft {
    pub(crate) method: Method,
    /// The path below the base URL, starting with `/`, already encoded.
    pub(crate) path: String,
    pub(crate) query: crate::url::Query,
    /// The body's fields, encoded by `build` once the caller's are merged in.
    pub(crate) body: Option<Fields>,
    pub(crate) accept: &'static str,
}

impl Draft {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Self { method, path, query: crate::url::Query::default(), body: None, accept: "application/json" }
    }

    /// This draft with `fields` as its body.
    pub(crate) fn fields(self, fields: Fields) -> Self {
        Self { body: Some(fields), ..self }
    }
}

fn header_value(field: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::try_from(value)
        .map_err(|_| InvalidInput::new(field, "contains characters a header cannot carry").into())
}

/// Completes a draft into a request.
pub(crate) fn build(draft: Draft, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
    let prepared = config.prepared();
    if let Some(error) = &prepared.error {
        return Err(error.clone().into());
    }
    let mut query = draft.query;
    for (key, value) in &options.extra_query {
        query.push(key, value);
    }
    query.append_encoded(&prepared.query);
    let base = &config.base;
    let mut path = String::with_capacity(base.path.len() + draft.path.len() + query.as_str().len() + 1);
    path.push_str(&base.path);
    path.push_str(&draft.path);
    if !query.as_str().is_empty() {
        path.push('?');
        path.push_str(query.as_str());
    }
    let mut parts = http::uri::Parts::default();
    parts.scheme = Some(base.scheme.clone());
    parts.authority = Some(base.authority.clone());
    parts.path_and_query = Some(
        PathAndQuery::try_from(path).map_err(|e| InvalidInput::new("url", format!("not a valid request path: {e}")))?,
    );
    let uri = Uri::from_parts(parts).map_err(|e| InvalidInput::new("url", format!("not a valid request URI: {e}")))?;

    let body = match draft.body {
        None => Body::Empty,
        Some(mut fields) => {
            fields.merge(&options.extra_body);
            fields.encode(|| options.boundary())?
        }
    };
    let mut headers = prepared.headers.clone();
    headers.insert(ACCEPT, HeaderValue::from_static(draft.accept));
    match &body {
        Body::Empty => {}
        Body::Bytes(_) => {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Body::Multipart(m) => {
            headers.insert(CONTENT_TYPE, header_value("boundary", &m.content_type())?);
        }
    }
    if !matches!(body, Body::Empty) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.content_length()));
    }
    if draft.method == Method::POST
        && let Some(key) = options.effective_idempotency_key()
    {
        headers.insert(IDEMPOTENCY_KEY, header_value("idempotency_key", &key)?);
    }
    for (name, value) in &options.extra_headers {
        headers.insert(name.clone(), value.clone());
    }

    let mut request = Request::new(body);
    *request.method_mut() = draft.method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_options_look_like_uuids() {
        let options = RequestOptions::from_random(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(
            options.effective_idempotency_key().as_deref(),
            Some("videos-rs-01234567-89ab-cdef-0123-456789abcdef")
        );
        assert_eq!(options.boundary(), "videos-rs-boundary-0123456789abcdef0123456789abcdef");
    }
}
