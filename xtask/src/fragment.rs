//! Loading the OpenAPI fragment and checking that every `$ref` in it resolves.
//!
//! Everything here reports problems as [`FragmentError`]: the file, the JSON
//! pointer of the offending node and the reason, so a maintainer can jump
//! straight to the line to fix.

use std::fmt;

use serde_json::Value;

/// A problem with the fragment, located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentError {
    /// The file the fragment was read from, as the maintainer named it.
    pub file: String,
    /// A JSON pointer (RFC 6901) to the node at fault; empty for the whole document.
    pub pointer: String,
    /// What is wrong, in one phrase.
    pub reason: String,
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}: at {}: {}", self.file, at, self.reason)
    }
}

impl std::error::Error for FragmentError {}

/// A parsed fragment: the document and the file name used in errors.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// The file name used in error messages.
    pub file: String,
    /// The whole document as JSON.
    pub doc: Value,
}

impl Fragment {
    /// Parses YAML (or JSON, which is YAML) text and checks every `$ref`.
    pub fn parse(file: &str, text: &str) -> Result<Self, FragmentError> {
        let doc: Value = serde_norway::from_str(text).map_err(|e| FragmentError {
            file: file.to_owned(),
            pointer: String::new(),
            reason: format!("not valid YAML: {e}"),
        })?;
        let fragment = Fragment { file: file.to_owned(), doc };
        if !fragment.doc.is_object() {
            return Err(fragment.error("", "the document must be a mapping"));
        }
        fragment.check_refs(&fragment.doc, &mut String::new())?;
        Ok(fragment)
    }

    /// An error at `pointer` in this fragment.
    pub fn error(&self, pointer: &str, reason: impl Into<String>) -> FragmentError {
        FragmentError { file: self.file.clone(), pointer: pointer.to_owned(), reason: reason.into() }
    }

    /// The `components/schemas` mapping, or an error naming where it should be.
    pub fn schemas(&self) -> Result<&serde_json::Map<String, Value>, FragmentError> {
        self.doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or_else(|| self.error("/components/schemas", "missing: the fragment defines no schemas"))
    }

    fn check_refs(&self, node: &Value, pointer: &mut String) -> Result<(), FragmentError> {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    let len = pointer.len();
                    push_token(pointer, key);
                    if key == "$ref" {
                        self.check_one_ref(value, pointer)?;
                    } else {
                        self.check_refs(value, pointer)?;
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_token(pointer, &index.to_string());
                    self.check_refs(value, pointer)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_one_ref(&self, value: &Value, pointer: &str) -> Result<(), FragmentError> {
        let Some(target) = value.as_str() else {
            return Err(self.error(pointer, "`$ref` must be a string"));
        };
        let Some(local) = target.strip_prefix('#') else {
            return Err(self.error(
                pointer,
                format!("`$ref` to {target:?} leaves the document; only local references are supported"),
            ));
        };
        if self.doc.pointer(local).is_none() {
            let what = local.strip_prefix("/components/schemas/").map_or_else(
                || format!("`$ref` to {target:?} points at nothing"),
                |name| format!("`$ref` to missing schema {:?}", unescape_token(name)),
            );
            return Err(self.error(pointer, what));
        }
        Ok(())
    }
}

/// The schema name a `#/components/schemas/NAME` reference points at.
pub fn schema_ref_name(target: &str) -> Option<String> {
    target.strip_prefix("#/components/schemas/").map(unescape_token)
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
}

/// A JSON pointer made of the given tokens.
pub fn pointer_of(tokens: &[&str]) -> String {
    let mut pointer = String::new();
    for token in tokens {
        push_token(&mut pointer, token);
    }
    pointer
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ref_is_located() {
        let text = "components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/B'\n";
        let err = Fragment::parse("f.yaml", text).unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/A/properties/b/$ref");
        assert!(err.to_string().contains("missing schema \"B\""), "{err}");
    }

    #[test]
    fn bad_yaml_names_the_file_and_position() {
        let err = Fragment::parse("f.yaml", "a: [1, 2\n").unwrap_err();
        assert!(err.to_string().starts_with("f.yaml: at /: not valid YAML"), "{err}");
        assert!(err.reason.contains("line"), "{err}");
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_of(&["paths", "/videos/{id}", "get"]), "/paths/~1videos~1{id}/get");
    }
}
