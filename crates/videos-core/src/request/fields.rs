//! A request body as one list of fields, encoded once.
//!
//! An operation hands over its body as a value of a generated body type
//! (`VideoCreateBody`, `VideoEditBody`, …) and, for an upload, the files that
//! stand in for some of its fields. The caller's extra fields are merged into
//! that list before anything is encoded, and the list becomes either JSON or
//! `multipart/form-data`: the field names in both come from the generated
//! type, so the two encodings cannot disagree.

use serde_json::{Map, Value};

use super::body::Body;
use super::multipart::{FilePart, Multipart};
use crate::error::{Error, InvalidInput};

/// The fields of a body that is still to be encoded.
#[derive(Debug)]
pub(crate) struct Fields {
    values: Map<String, Value>,
    /// Files sent as multipart parts; each replaces the field of its name,
    /// as the API's multipart bodies say ("the same fields as the JSON
    /// body; `video` may be an uploaded file").
    files: Vec<(&'static str, FilePart)>,
}

impl Fields {
    /// The fields of `body`, which must serialize to a JSON object.
    pub(crate) fn of(body: &impl serde::Serialize) -> Result<Self, Error> {
        match serde_json::to_value(body) {
            Ok(Value::Object(values)) => Ok(Self { values, files: Vec::new() }),
            Ok(_) => Err(InvalidInput::new("body", "is not an object").into()),
            Err(e) => Err(InvalidInput::new("body", e.to_string()).into()),
        }
    }

    /// These fields with `file` sent as the part `name` (making the body multipart).
    pub(crate) fn file(mut self, name: &'static str, file: FilePart) -> Self {
        self.files.push((name, file));
        self
    }

    /// These fields with the text field `name` set to `value`, when there is one
    /// (a field this SDK sends that the body type does not list, such as a
    /// gateway's `model`).
    pub(crate) fn optional(mut self, name: &str, value: Option<&str>) -> Self {
        if let Some(value) = value {
            self.values.insert(name.to_owned(), value.into());
        }
        self
    }

    /// Adds the caller's fields, replacing a field of the same name.
    pub(crate) fn merge(&mut self, extra: &Map<String, Value>) {
        self.values.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }

    /// Encodes the fields: JSON without files, multipart with them (a string
    /// field as its text, anything else as JSON text).
    pub(crate) fn encode(self, boundary: impl FnOnce() -> String) -> Result<Body, Error> {
        if self.files.is_empty() {
            let bytes = serde_json::to_vec(&self.values).map_err(|e| InvalidInput::new("body", e.to_string()))?;
            return Ok(Body::Bytes(bytes.into()));
        }
        let mut form = Multipart::builder(&boundary())?;
        for (name, value) in &self.values {
            if self.files.iter().any(|(file, _)| file == name) {
                continue;
            }
            form = match value {
                Value::String(text) => form.text(name, text),
                other => form.text(name, &other.to_string()),
            };
        }
        for (name, file) in self.files {
            form = form.file(name, file);
        }
        Ok(Body::Multipart(form.finish()))
    }
}
