//! Applying our overlay to the pinned upstream, giving the fragment.
//!
//! The overlay (`openapi/overlay.yaml`) is an OpenAPI Overlay 1.0 document,
//! applied with the `roas-overlay` crate, plus two extensions for what
//! Overlay 1.0 cannot say, each documented at the top of that file:
//! - `x-rename-schemas` (on the overlay) maps upstream schema names to this
//!   SDK's public ones, applied before the actions to the components and
//!   every `$ref`, so the actions use our names;
//! - `x-enum-names` (on an enum schema) maps values to Rust variant names,
//!   by value rather than by position, so a value the upstream inserts
//!   cannot shift the names of the others.
//!
//! After the actions, enum values listed twice (ours, then the upstream's
//! once it catches up) are kept once, and a schema or property that neither
//! side describes is described as [`PLACEHOLDER`], so the gap shows in the
//! generated docs instead of failing the generator.

use std::collections::BTreeMap;

use roas_overlay::apply::Apply;
use roas_overlay::validation::Validate;
use serde_json::{Map, Value, json};

use crate::refs::{inline_multipart_only, rewrite_refs};
use crate::schema::variant_name;

/// The description of what neither the upstream structure nor the overlay describes.
pub const PLACEHOLDER: &str = "Not described yet: the upstream added it after our overlay was written.";

/// The fragment an overlay makes of a pin, and what of the overlay found nothing to change.
#[derive(Debug)]
pub struct Applied {
    /// The effective fragment.
    pub fragment: Value,
    /// Each overlay action or rename that matched nothing: the upstream moved under it.
    pub unmatched: Vec<String>,
    /// The overlay's schema renames, upstream name to ours.
    pub renames: BTreeMap<String, String>,
}

/// Applies `overlay` (YAML text, read from `file`) to `pin`.
pub fn apply(pin: &Value, file: &str, overlay: &str) -> Result<Applied, String> {
    let raw: Value = serde_norway::from_str(overlay).map_err(|e| format!("{file}: not valid YAML: {e}"))?;
    let parsed: roas_overlay::v1_0::Overlay =
        serde_json::from_value(raw.clone()).map_err(|e| format!("{file}: not an Overlay 1.0 document: {e}"))?;
    // An action with neither `update` nor `remove`, or a target that is not JSONPath, is a mistake to name now.
    parsed.validate(Default::default()).map_err(|e| format!("{file}: not a valid Overlay 1.0 document: {e}"))?;
    let mut doc = pin.clone();
    let mut unmatched = Vec::new();

    let renames: BTreeMap<String, String> = match raw.get("x-rename-schemas") {
        None => BTreeMap::new(),
        Some(map) => serde_json::from_value(map.clone())
            .map_err(|e| format!("{file}: x-rename-schemas must map names to names: {e}"))?,
    };
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (from, to) in &renames {
            match schemas.remove(from) {
                Some(schema) => {
                    schemas.insert(to.clone(), schema);
                }
                None => unmatched.push(format!("x-rename-schemas: {from} → {to}: no upstream schema {from}")),
            }
        }
    }
    rewrite_refs(&mut doc, &|name: &str| renames.get(name).cloned().unwrap_or_else(|| name.to_owned()));
    inline_multipart_only(&mut doc);

    let report = parsed.apply(&mut doc, Default::default()).map_err(|e| format!("{file}: {e}"))?;
    for outcome in report.actions.iter().filter(|o| o.matched == 0) {
        let what = parsed.actions.get(outcome.index).and_then(|a| a.description.as_deref()).unwrap_or("");
        unmatched.push(format!(
            "action {} ({}) {}: matched nothing. {what}",
            outcome.index + 1,
            outcome.operation,
            outcome.target
        ));
    }
    settle(&mut doc, false);
    describe_gaps(&mut doc);
    Ok(Applied { fragment: doc, unmatched, renames })
}

/// Keeps each enum value once and turns `x-enum-names` into the
/// generator's positional `x-enum-varnames`.
fn settle(node: &mut Value, names: bool) {
    match node {
        Value::Object(map) => {
            if !names && let Some(Value::Array(values)) = map.get_mut("enum") {
                let mut seen = Vec::new();
                values.retain(|v| {
                    let fresh = !seen.contains(v);
                    seen.push(v.clone());
                    fresh
                });
                if let Some(Value::Object(by_value)) = map.remove("x-enum-names") {
                    let named = enum_names(map.get("enum"), &by_value);
                    map.insert("x-enum-varnames".into(), named);
                }
            }
            for (key, value) in map.iter_mut() {
                settle(value, !names && key == "properties");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| settle(v, false)),
        _ => {}
    }
}

fn enum_names(values: Option<&Value>, by_value: &Map<String, Value>) -> Value {
    let values = values.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let names = values.iter().map(|v| {
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        by_value.get(&text).cloned().unwrap_or_else(|| json!(variant_name(&text)))
    });
    Value::Array(names.collect())
}

/// Describes every schema, and every property that is not a bare `$ref`,
/// that has no description (the generator documents every item).
fn describe_gaps(doc: &mut Value) {
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for schema in schemas.values_mut().filter_map(Value::as_object_mut) {
        schema.entry("description").or_insert_with(|| json!(PLACEHOLDER));
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else { continue };
        for property in properties.values_mut().filter_map(Value::as_object_mut) {
            if !property.contains_key("$ref") || property.len() > 1 {
                property.entry("description").or_insert_with(|| json!(PLACEHOLDER));
            }
        }
    }
}
