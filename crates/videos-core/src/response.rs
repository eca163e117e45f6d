//! Reading responses: a success body into its type, an error answer into
//! [`ApiError`], and the headers the protocol cares about.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use videos_types::Video;

use crate::error::{ApiError, ApiErrorKind, DecodeError, Error, snippet};

pub use crate::header::{POLL_AFTER_MS, REQUEST_ID, REQUEST_ID_HEADERS};

/// How much of an error body the exchange reads: envelopes are small,
/// and an HTML error page is only quoted, never kept whole.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The largest JSON body the exchange accepts. A page of 100 jobs is about
/// 50 KB; the limit only stops a misbehaving server from exhausting memory.
pub const JSON_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The error for a JSON body past [`JSON_BODY_LIMIT`]: final, since the
/// same request would get the same body again.
pub fn body_too_large(status: StatusCode, headers: &HeaderMap) -> Error {
    let mut error = DecodeError::of("a JSON body of at most 32 MiB", status, headers, Bytes::new(), None);
    error.snippet = "a larger body (not read to the end)".to_owned();
    error.over_limit = Some(JSON_BODY_LIMIT);
    error.into()
}

/// A successful answer with what came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse<T> {
    /// The decoded value.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The request id (`x-request-id`, or a gateway's own, see
    /// [`REQUEST_ID_HEADERS`]), to quote to support.
    pub request_id: Option<String>,
    /// Every response header.
    pub headers: HeaderMap,
}

impl<T> ApiResponse<T> {
    /// `value` from an answer with `status` and `headers`, its request id read from them.
    pub fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self { value, status, request_id: request_id(&headers), headers }
    }
}

/// The request id: the first of [`REQUEST_ID_HEADERS`] present with a
/// printable value, cut to 256 bytes (it is quoted in every error message).
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    // One pass over the answer's few headers: a lookup per candidate name
    // hashed and parsed each name, which cost more than the rest of reading a
    // small answer's head.
    let mut best: Option<(usize, &str)> = None;
    for (name, value) in headers {
        let Some(rank) = REQUEST_ID_HEADERS.iter().position(|candidate| *candidate == name.as_str()) else { continue };
        if best.is_some_and(|(ranked, _)| ranked <= rank) {
            continue;
        }
        if let Some(text) = value.to_str().ok().map(str::trim).filter(|t| !t.is_empty()) {
            best = Some((rank, text));
        }
    }
    best.map(|(_, text)| text[..text.len().min(256)].to_owned())
}

/// The `openai-poll-after-ms` header as a duration.
pub fn poll_after(headers: &HeaderMap) -> Option<Duration> {
    let ms: f64 = headers.get(POLL_AFTER_MS)?.to_str().ok()?.trim().parse().ok()?;
    (ms.is_finite() && ms >= 0.0).then(|| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// How long the service asks the client to wait: `retry-after-ms`, else
/// `retry-after` as seconds or as an HTTP date (measured from `now`).
pub fn retry_after(headers: &HeaderMap, now: Option<SystemTime>) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    // A wait too long to represent is still a wait too long: the policy refuses it.
    let seconds = |s: f64| (s.is_finite() && s >= 0.0).then(|| Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX));
    if let Some(ms) = text(crate::header::RETRY_AFTER_MS).and_then(|t| t.parse::<f64>().ok()) {
        return seconds(ms / 1000.0);
    }
    let value = text(http::header::RETRY_AFTER.as_str())?;
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now?).unwrap_or(Duration::ZERO))
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Whether a content type is JSON (`application/json`, `…+json`, with parameters or not).
fn is_json(content_type: &[u8]) -> bool {
    let essence = content_type.split(|b| *b == b';').next().unwrap_or_default().trim_ascii();
    essence.eq_ignore_ascii_case(b"application/json")
        || essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json")
}

/// Decodes a success body as `T`, or turns an error answer into [`Error::Api`].
/// `expected` names `T` for messages, such as `"a Video"`.
pub fn parse_json<T: DeserializeOwned>(
    expected: &'static str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, Error> {
    if !status.is_success() {
        return Err(api_error(status, headers, body));
    }
    if let Some(ct) = headers.get(CONTENT_TYPE)
        && !is_json(ct.as_bytes())
    {
        return Err(DecodeError::of(expected, status, headers, body.clone(), None).into());
    }
    // One vectorised UTF-8 check of the whole body lets serde_json skip checking each string
    // it keeps (about a fifth of the parse); invalid UTF-8 goes the slow way for a located error.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| DecodeError::of(expected, status, headers, body.clone(), Some(e)).into())
}

/// [`parse_json`], keeping the status, request id and headers.
pub fn parse_json_with_meta<T: DeserializeOwned>(
    expected: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Result<ApiResponse<T>, Error> {
    let value = parse_json(expected, status, &headers, &body)?;
    Ok(ApiResponse::new(value, status, headers))
}

/// The error for an error answer: the envelope's fields when the body is one,
/// otherwise the status and a bounded snippet of whatever came back.
pub fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    api_error_at(status, headers, body, None)
}

/// [`api_error`], with the wall clock at which the answer arrived, so that a
/// `retry-after` given as an HTTP date becomes a wait too.
pub fn api_error_at(status: StatusCode, headers: &HeaderMap, body: &[u8], now: Option<SystemTime>) -> Error {
    let retryable = crate::error::is_retryable_answer(status, headers);
    api_error_judged(status, headers, body, retry_after(headers, now), retryable)
}

/// [`api_error_at`] with the wait asked for and the retry verdict already
/// read (by [`crate::retry::Judgement`]), so the headers are read once.
pub fn api_error_judged(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    retry_after: Option<Duration>,
    retryable: bool,
) -> Error {
    let envelope = serde_json::from_slice::<serde_json::Value>(body).ok().and_then(|v| read_envelope(&v));
    let (envelope, body_snippet) = match envelope {
        Some(e) => (e, None),
        None => {
            let reason = status.canonical_reason().unwrap_or("error");
            let message = format!("{reason} (no error envelope in the body)");
            (Envelope { message, ..Envelope::default() }, Some(snippet(body)))
        }
    };
    Error::from(ApiError {
        status,
        kind: ApiErrorKind::from_status(status),
        message: envelope.message,
        error_type: envelope.error_type,
        param: envelope.param,
        code: envelope.code,
        request_id: request_id(headers),
        body_snippet,
        body: Bytes::copy_from_slice(body),
        retry_after,
        retryable,
    })
}

/// What an error body says, whichever of the shapes in use it has.
#[derive(Default)]
struct Envelope {
    message: String,
    error_type: Option<String>,
    param: Option<String>,
    code: Option<String>,
}

/// Reads the error shapes seen in the wild: OpenAI's and Azure's
/// `{"error": {message, type, param, code}}` (with `code` a string, a number
/// or absent), `{"error": "text"}`, FastAPI's `{"detail": …}` (LiteLLM's
/// own failures) and a bare `{"message": …}`. `None` for anything else.
fn read_envelope(body: &serde_json::Value) -> Option<Envelope> {
    use serde_json::Value;
    // A string as is; a number as its text; anything else (an object, a list) as compact JSON.
    let text = |value: &Value| match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    };
    let inner = body.get("error");
    if let Some(Value::Object(error)) = inner {
        let field = |name: &str| error.get(name).and_then(text);
        let message = field("message").unwrap_or_else(|| "(the error envelope has no message)".to_owned());
        return Some(Envelope { message, error_type: field("type"), param: field("param"), code: field("code") });
    }
    let message = match inner {
        Some(Value::String(message)) => message.clone(),
        _ => body.get("detail").or_else(|| body.get("message")).and_then(text)?,
    };
    let code = body.get("code").and_then(text);
    Some(Envelope { message, code, ..Envelope::default() })
}

impl DecodeError {
    /// An answer with `status` and `headers` whose `body` is not what was expected.
    pub(crate) fn of(
        expected: &'static str,
        status: StatusCode,
        headers: &http::HeaderMap,
        body: bytes::Bytes,
        source: Option<serde_json::Error>,
    ) -> Self {
        Self {
            expected,
            status,
            content_type: content_type(headers),
            snippet: snippet(&body),
            body,
            over_limit: None,
            request_id: request_id(headers),
            source,
        }
    }
}

/// Reads the answer to a job-creating POST (create, remix, edit, extend).
///
/// The job exists once the service said 2xx, and it is paid for, so its id
/// must reach the caller even when the rest of the body is not what this
/// SDK reads (a gateway's own shapes): each field that reads on its own is
/// kept, the others stay as raw JSON in `extra`. Only a body without an
/// `id` is an error, and that error is final (never retried, which would
/// create a second job) and carries the raw body and the request id.
pub fn parse_created_job(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<ApiResponse<Video>, Error> {
    let value = match parse_json::<Video>("a Video", status, &headers, &body) {
        Ok(video) => video,
        Err(error) => salvage_video(&body).ok_or(error)?,
    };
    Ok(ApiResponse::new(value, status, headers))
}

/// A `Video` from an object whose `id` is a non-empty string, keeping every
/// field that reads on its own and leaving the rest, raw, in `extra`.
fn salvage_video(body: &[u8]) -> Option<Video> {
    use serde::Deserialize;
    use serde::de::value::MapDeserializer;
    let serde_json::Value::Object(fields) = serde_json::from_slice(body).ok()? else { return None };
    let id = fields.get("id").filter(|id| id.as_str().is_some_and(|id| !id.is_empty()))?;
    // Each field is read once, beside the id, from the parsed body (borrowed,
    // not copied): whether it reads decides where it goes.
    let reads = |name: &str, value: &serde_json::Value| {
        let pair = [("id", id), (name, value)];
        let pair = if name == "id" { &pair[..1] } else { &pair[..] };
        Video::deserialize(MapDeserializer::<_, serde_json::Error>::new(pair.iter().copied())).is_ok()
    };
    let (readable, unreadable): (Vec<_>, Vec<_>) = fields.iter().partition(|(name, value)| reads(name, value));
    let mut video = Video::deserialize(MapDeserializer::<_, serde_json::Error>::new(
        readable.into_iter().map(|(k, v)| (k.as_str(), v)),
    ))
    .ok()?;
    // A field this SDK knows but could not read stays in `extra` under its
    // own name, with the typed field `None`: nothing the service sent is lost.
    video.extra.extend(unreadable.into_iter().map(|(k, v)| (k.clone(), v.clone())));
    Some(video)
}
