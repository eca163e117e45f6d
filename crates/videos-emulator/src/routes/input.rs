//! Reading a request body, JSON or multipart alike, into one form, and the
//! checks the service makes on its fields.

use std::collections::HashMap;

use std::time::Duration;

use axum::body::{BodyDataStream, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use futures_util::StreamExt;
use serde_json::Value;
use videos_types::{VideoModel, VideoSeconds, VideoSize, limits};

use crate::config::EmulatorConfig;
use crate::error::ApiError;

/// The largest JSON body accepted. The API's JSON bodies are a prompt of at
/// most 32,000 characters and a few short fields; a parsed JSON value can
/// take many times its text in memory, so larger bodies are refused unread.
pub(crate) const JSON_REQUEST_LIMIT: usize = 1024 * 1024;

/// One field of a body.
#[derive(Debug, Clone)]
pub(crate) enum Field {
    /// A string (a JSON string or number, or a multipart text part).
    Text(String),
    /// A JSON object or array.
    Json(Value),
    /// An uploaded file.
    File(Bytes),
}

/// A request body, whatever its encoding.
#[derive(Debug, Default)]
pub(crate) struct Form(HashMap<String, Field>);

impl Form {
    /// Reads a JSON or multipart body within the configured time: a body
    /// still arriving after `body_read_timeout` is answered 408, however
    /// steadily it drips.
    pub(crate) async fn read(request: Request, config: &EmulatorConfig) -> Result<Form, ApiError> {
        let limit = config.body_read_timeout;
        tokio::time::timeout(limit, Self::read_now(request, config.max_body_bytes)).await.unwrap_or_else(|_| {
            Err(ApiError::invalid(
                "body",
                format!("The request body took longer than {} s to arrive.", limit.as_secs_f64()),
            )
            .code("request_timeout")
            .with_status(axum::http::StatusCode::REQUEST_TIMEOUT))
        })
    }

    /// Reads a JSON or multipart body; a JSON body, and each text part of a
    /// multipart body, is limited to the smaller of [`JSON_REQUEST_LIMIT`] and
    /// `max_body_bytes`, since it may be parsed as JSON.
    async fn read_now(request: Request, max_body_bytes: usize) -> Result<Form, ApiError> {
        let content_type =
            request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(request, &())
                .await
                .map_err(|e| ApiError::invalid("body", format!("Could not read the multipart body: {e}")))?;
            let mut form = Form::default();
            // Objects sent as bracketed parts (`video[id]`), as the official SDKs encode them.
            let mut objects: HashMap<&'static str, serde_json::Map<String, Value>> = HashMap::new();
            loop {
                let field = multipart.next_field().await.map_err(|e| body_error(e.status(), &e.body_text()))?;
                let Some(field) = field else { break };
                let name = field.name().unwrap_or_default().to_owned();
                let is_file = field.file_name().is_some();
                let bytes = field.bytes().await.map_err(|e| body_error(e.status(), &e.body_text()))?;
                if !is_file && bytes.len() > JSON_REQUEST_LIMIT {
                    return Err(ApiError::invalid(
                        name.clone(),
                        format!(
                            "The form field '{name}' may be at most {JSON_REQUEST_LIMIT} bytes unless it is a file."
                        ),
                    )
                    .code("request_too_large")
                    .with_status(axum::http::StatusCode::PAYLOAD_TOO_LARGE));
                }
                let value = if is_file {
                    Field::File(bytes)
                } else {
                    Field::Text(
                        String::from_utf8(bytes.to_vec())
                            .map_err(|_| ApiError::invalid("body", format!("Field '{name}' is not UTF-8 text.")))?,
                    )
                };
                match bracketed(&name)? {
                    Some((base, key)) => {
                        let Field::Text(text) = value else {
                            return Err(ApiError::invalid(
                                name.clone(),
                                format!("Part '{name}' must be text, not a file."),
                            ));
                        };
                        objects.entry(base).or_default().insert(key.to_owned(), Value::String(text));
                    }
                    None => {
                        form.0.insert(name, value);
                    }
                }
            }
            for (base, object) in objects {
                if form.0.contains_key(base) {
                    return Err(ApiError::invalid(
                        base,
                        format!("Give '{base}' once: as a file or object part, or as bracketed parts, not both."),
                    ));
                }
                form.0.insert(base.to_owned(), Field::Json(Value::Object(object)));
            }
            return Ok(form);
        }
        if content_type.starts_with("application/json") || content_type.is_empty() {
            let limit = JSON_REQUEST_LIMIT.min(max_body_bytes);
            let too_large = || {
                ApiError::invalid("body", format!("A JSON body may be at most {limit} bytes."))
                    .code("request_too_large")
                    .with_status(axum::http::StatusCode::PAYLOAD_TOO_LARGE)
            };
            let announced = request
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let mut body = request.into_body().into_data_stream();
            if announced.is_some_and(|len| len > limit as u64) {
                drain(&mut body).await;
                return Err(too_large());
            }
            // Without a Content-Length, the limit is found while reading.
            let mut bytes = Vec::new();
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| ApiError::invalid("body", format!("Could not read the body: {e}")))?;
                if bytes.len() + chunk.len() > limit {
                    drain(&mut body).await;
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            let value: Value = serde_json::from_slice(&bytes).map_err(|_| {
                ApiError::invalid("body", "We could not parse the JSON body of your request. Expected a JSON object.")
            })?;
            let Value::Object(map) = value else {
                return Err(ApiError::invalid("body", "The JSON body must be an object."));
            };
            let fields = map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let field = match v {
                        Value::String(s) => Field::Text(s),
                        Value::Number(n) => Field::Text(n.to_string()),
                        other => Field::Json(other),
                    };
                    (k, field)
                })
                .collect();
            return Ok(Form(fields));
        }
        Err(ApiError::invalid(
            "body",
            format!("Unsupported content type '{content_type}'; send application/json or multipart/form-data."),
        ))
    }

    /// A text field, if present.
    pub(crate) fn text(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Field::Text(t)) => Ok(Some(t)),
            Some(_) => Err(ApiError::invalid(name, format!("Invalid type for '{name}': expected a string."))),
        }
    }

    /// A field that may be an uploaded file or an object (given as JSON, or as a JSON-encoded text part).
    pub(crate) fn file_or_object(&self, name: &'static str) -> Result<Option<FileOrObject>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Field::File(bytes)) => Ok(Some(FileOrObject::File(bytes.clone()))),
            Some(Field::Json(Value::Object(map))) => Ok(Some(FileOrObject::Object(map.clone()))),
            Some(Field::Text(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Ok(Some(FileOrObject::Object(map))),
                _ => Err(ApiError::invalid(name, format!("Invalid '{name}': expected a file or an object."))),
            },
            Some(Field::Json(_)) => {
                Err(ApiError::invalid(name, format!("Invalid '{name}': expected a file or an object.")))
            }
        }
    }
}

/// The object fields that may arrive as bracketed multipart parts, with the keys each takes.
const BRACKETED: [(&str, &[&str]); 2] = [("video", &["id"]), ("input_reference", &["file_id", "image_url"])];

/// Reads a part name of the form `base[key]`: `None` for a plain name, the
/// pair for a known object field and key, a 400 naming the part otherwise
/// (an unknown key, a malformed or nested name), never a silent drop.
fn bracketed(name: &str) -> Result<Option<(&'static str, &str)>, ApiError> {
    if !name.contains(['[', ']']) {
        return Ok(None);
    }
    let malformed = || {
        ApiError::invalid(
            name.to_owned(),
            format!("Part name '{name}' is not of the form field[key] (one level of brackets)."),
        )
    };
    let (base, rest) = name.split_once('[').ok_or_else(malformed)?;
    let key = rest.strip_suffix(']').ok_or_else(malformed)?;
    if base.is_empty() || key.is_empty() || key.contains(['[', ']']) {
        return Err(malformed());
    }
    let Some((base, keys)) = BRACKETED.iter().find(|(b, _)| *b == base) else {
        return Err(ApiError::invalid(
            name.to_owned(),
            format!("Part '{name}': '{base}' is not a field that takes an object."),
        ));
    };
    if !keys.contains(&key) {
        return Err(ApiError::invalid(
            name.to_owned(),
            format!("Part '{name}': '{base}' has no key '{key}' (expected one of: {}).", keys.join(", ")),
        ));
    }
    Ok(Some((base, key)))
}

/// The most of a refused body read and thrown away, and for how long.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// Reads and discards what is left of a refused body, up to [`DRAIN_BYTES`]
/// or [`DRAIN_TIME`], before the refusal is sent. A server that answers and
/// closes with the body still arriving makes the kernel reset the
/// connection, and a client still writing then sees a broken pipe or a
/// reset instead of the 413 (one run in nine did, on loopback). Past either
/// bound the connection is closed all the same: the refusal stays cheap.
async fn drain(body: &mut BodyDataStream) {
    let discard = async {
        let mut left = DRAIN_BYTES;
        while left > 0 {
            match body.next().await {
                Some(Ok(chunk)) => left = left.saturating_sub(chunk.len()),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, discard).await;
}

/// The error for a body that could not be read: 413 in the envelope when it
/// passed the size limit, 400 otherwise.
fn body_error(status: axum::http::StatusCode, reason: &str) -> ApiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::invalid("body", "The request body is larger than this server accepts.")
            .code("request_too_large")
            .with_status(status)
    } else {
        ApiError::invalid("body", format!("Could not read the body: {reason}"))
    }
}

/// A file upload or a reference object.
#[derive(Debug, Clone)]
pub(crate) enum FileOrObject {
    /// Uploaded bytes.
    File(Bytes),
    /// A reference object.
    Object(serde_json::Map<String, Value>),
}

/// The prompt, required, 1 to 32000 characters.
pub(crate) fn prompt(form: &Form) -> Result<String, ApiError> {
    let Some(prompt) = form.text("prompt")? else {
        return Err(ApiError::invalid("prompt", "Missing required parameter: 'prompt'."));
    };
    let count = prompt.chars().count();
    if count < limits::PROMPT_MIN_LENGTH {
        return Err(ApiError::invalid(
            "prompt",
            "Invalid 'prompt': empty string. Expected a string with minimum length 1.",
        ));
    }
    if count > limits::PROMPT_MAX_LENGTH {
        return Err(ApiError::invalid(
            "prompt",
            format!(
                "Invalid 'prompt': string too long. Expected a string with maximum length {}, but got {count}.",
                limits::PROMPT_MAX_LENGTH
            ),
        ));
    }
    Ok(prompt.to_owned())
}

fn one_of<T: Clone + AsRef<str>>(param: &'static str, value: &str, allowed: &[T]) -> Result<T, ApiError> {
    allowed.iter().find(|a| a.as_ref() == value).cloned().ok_or_else(|| {
        let list: Vec<&str> = allowed.iter().map(AsRef::as_ref).collect();
        ApiError::invalid(param, format!("Invalid value: '{value}'. Supported values are: {}.", list.join(", ")))
            .code("invalid_value")
    })
}

/// The model, `sora-2` when absent.
pub(crate) fn model(form: &Form) -> Result<VideoModel, ApiError> {
    form.text("model")?.map_or(Ok(VideoModel::Sora2), |m| one_of("model", m, VideoModel::KNOWN))
}

/// The size, 720x1280 when absent.
pub(crate) fn size(form: &Form) -> Result<VideoSize, ApiError> {
    form.text("size")?.map_or(Ok(VideoSize::Portrait720x1280), |s| one_of("size", s, VideoSize::KNOWN))
}

/// Checks an uploaded reference image as the service does, from its header
/// alone (nothing is decoded): it must be an image whose size can be read,
/// no larger than the largest frame, and of the requested size.
pub(crate) fn check_reference_image(bytes: &[u8], size: &VideoSize) -> Result<(), ApiError> {
    let image = imagesize::blob_size(bytes).map_err(|e| {
        ApiError::invalid("input_reference", format!("Could not read the reference image's size from its header: {e}."))
    })?;
    let (width, height) = (image.width as u64, image.height as u64);
    match videos_types::reference_image_problem(width, height, size) {
        Some(problem) => Err(ApiError::invalid("input_reference", format!("Invalid reference image: {problem}."))),
        None => Ok(()),
    }
}

/// The sizes only `sora-2-pro` (and its snapshots) renders.
const PRO_SIZES: [VideoSize; 2] = [VideoSize::Landscape1920x1080, VideoSize::Portrait1080x1920];

/// Refuses a size the model does not render: 1920x1080 and 1080x1920 are `sora-2-pro`'s.
pub(crate) fn check_size_for_model(size: &VideoSize, model: &VideoModel) -> Result<(), ApiError> {
    if PRO_SIZES.contains(size) && !model.as_str().starts_with("sora-2-pro") {
        let message = format!(
            "Invalid size '{size}' for model '{model}': 1920x1080 and 1080x1920 are available with sora-2-pro only."
        );
        return Err(ApiError::invalid("size", message).code("invalid_value"));
    }
    Ok(())
}

/// A clip length for create: 4, 8, 12, 16 or 20, 4 when absent.
pub(crate) fn seconds(form: &Form) -> Result<VideoSeconds, ApiError> {
    form.text("seconds")?.map_or(Ok(VideoSeconds::Four), |s| one_of("seconds", s, VideoSeconds::KNOWN))
}

/// An extension's length: 4, 8, 12, 16 or 20, required.
pub(crate) fn extension_seconds(form: &Form) -> Result<u32, ApiError> {
    let Some(text) = form.text("seconds")? else {
        return Err(ApiError::invalid("seconds", "Missing required parameter: 'seconds'."));
    };
    let allowed = ["4", "8", "12", "16", "20"];
    one_of("seconds", text, &allowed)?.parse().map_err(|_| ApiError::invalid("seconds", "Invalid seconds."))
}

/// Checks an image reference object: exactly one of `file_id` and `image_url`.
pub(crate) fn check_image_reference(object: &serde_json::Map<String, Value>) -> Result<(), ApiError> {
    let file_id = object.get("file_id").and_then(Value::as_str);
    let image_url = object.get("image_url").and_then(Value::as_str);
    match (file_id, image_url) {
        (Some(_), Some(_)) => {
            Err(ApiError::invalid("input_reference", "Provide exactly one of 'file_id' or 'image_url', not both."))
        }
        (None, None) => Err(ApiError::invalid("input_reference", "Provide exactly one of 'file_id' or 'image_url'.")),
        (Some(""), None) => Err(ApiError::invalid("input_reference", "Invalid 'file_id': empty string.")),
        (None, Some(url)) if url.chars().count() > limits::IMAGE_INPUT_REFERENCE_IMAGE_URL_MAX_LENGTH => {
            Err(ApiError::invalid("input_reference", "Invalid 'image_url': string too long."))
        }
        (None, Some(url))
            if !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with("data:")) =>
        {
            Err(ApiError::invalid("input_reference", "Invalid 'image_url': expected a URL or a data URL."))
        }
        _ => Ok(()),
    }
}
