//! The pinned upstream: the Videos subset of a full upstream spec, structure only.
//!
//! What is kept are facts: paths, operations, parameters, request and
//! response schemas, types, formats, enums, required lists and limits, under
//! the upstream's own schema names. What is dropped is the upstream's prose
//! and its vendor extensions (`description`, `summary`, `title`, `example`,
//! `tags`, `x-…`): everything worded is ours, and lives in the overlay.

use serde_json::{Map, Value, json};

use crate::fragment::{Fragment, FragmentError};
use crate::refs::reached;

/// Keys that carry words, not structure.
const PROSE: &[&str] = &["description", "summary", "title", "example", "examples", "tags", "externalDocs"];

/// Keys whose value is a map from names (property names, paths, media types,
/// status codes, component names) to nodes, so its keys are never dropped.
const NAMED: &[&str] = &["properties", "paths", "schemas", "parameters", "responses", "content", "securitySchemes"];

/// [`pin`], written as the YAML text of the pin file.
pub fn pin_text(file: &str, text: &str) -> Result<String, Box<dyn std::error::Error>> {
    super::pin_file_text(&pin(file, text)?)
}

/// The pinned subset of the full spec `text` (read from `file`).
pub fn pin(file: &str, text: &str) -> Result<Value, FragmentError> {
    let upstream = Fragment::parse(file, text)?;
    let doc = &upstream.doc;
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| upstream.error("/paths", "missing: the document has no paths"))?;
    let kept: Map<String, Value> = paths
        .iter()
        .filter(|(p, _)| *p == "/videos" || p.starts_with("/videos/"))
        .map(|(p, v)| (p.clone(), v.clone()))
        .collect();
    if kept.is_empty() {
        return Err(upstream.error("/paths", "no `/videos…` path found"));
    }
    let mut components = Map::new();
    for target in &reached(doc, &Value::Object(kept.clone())) {
        let Some((kind, name)) = target.strip_prefix("#/components/").and_then(|rest| rest.split_once('/')) else {
            continue;
        };
        let Some(node) = doc.pointer(&target[1..]) else { continue };
        let section = components.entry(kind.to_owned()).or_insert_with(|| json!({}));
        section[name.replace("~1", "/").replace("~0", "~")] = node.clone();
    }
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }
    let version = doc.pointer("/info/version").cloned().unwrap_or(json!("unknown"));
    let mut out = json!({
        "openapi": doc.get("openapi").cloned().unwrap_or(json!("3.1.0")),
        "info": {"title": "Videos API, upstream structure", "version": version},
        "paths": Value::Object(kept),
        "components": Value::Object(components),
    });
    for key in ["servers", "security"] {
        if let Some(v) = doc.get(key) {
            out[key] = v.clone();
        }
    }
    strip_prose(&mut out, false);
    Ok(out)
}

/// Drops [`PROSE`] and `x-` keys from every node; `names` says that the keys
/// of this map are names, whose values are nodes.
fn strip_prose(node: &mut Value, names: bool) {
    match node {
        Value::Object(map) => {
            if !names {
                map.retain(|key, _| !PROSE.contains(&key.as_str()) && !key.starts_with("x-"));
            }
            for (key, value) in map.iter_mut() {
                strip_prose(value, !names && NAMED.contains(&key.as_str()));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_prose(v, false)),
        _ => {}
    }
}
