//! What changed between two pins of the upstream, for users of the SDK.
//!
//! Each change is additive (code written against the old SDK keeps
//! compiling and working) or breaking (some of it may not): a new operation,
//! optional field, optional parameter or enum value is additive; anything
//! removed, a type that changed, a field a request must now carry, or a
//! limit that narrowed is breaking. The pins use the upstream's own names.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

/// Whether a change can break code written against the SDK before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Old code keeps compiling and working.
    Additive,
    /// Old code may stop compiling, or requests it sends may be refused.
    Breaking,
}

/// One change, located and classed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Additive or breaking.
    pub class: Class,
    /// Where, and what happened, in one line.
    pub what: String,
}

/// Everything that changed, and what of the overlay no longer applies.
#[derive(Debug, Default)]
pub struct Report {
    /// Changes between the previous pin and the new one, breaking first;
    /// `None` when there was no previous pin.
    pub changes: Option<Vec<Change>>,
    /// Overlay actions and renames that matched nothing in the new pin.
    pub unmatched: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.changes {
            None => writeln!(f, "upstream: the first pin, nothing to compare it with")?,
            Some(changes) if changes.is_empty() => writeln!(f, "upstream: no change against the previous pin")?,
            Some(_) => {}
        }
        for change in self.changes.iter().flatten() {
            let class = match change.class {
                Class::Breaking => "breaking",
                Class::Additive => "additive",
            };
            writeln!(f, "{class:<9} {}", change.what)?;
        }
        if self.unmatched.is_empty() {
            writeln!(f, "overlay: every action still applies")?;
        }
        for line in &self.unmatched {
            writeln!(f, "overlay   {line}")?;
        }
        Ok(())
    }
}

/// The changes from the pin `old` to the pin `new`. A schema the overlay
/// renames (`renames`, upstream name to ours) is named both ways.
pub fn compare(old: &Value, new: &Value, renames: &BTreeMap<String, String>) -> Vec<Change> {
    let label = |name: &str| match renames.get(name) {
        Some(ours) => format!("schema {name} ({ours})"),
        None => format!("schema {name}"),
    };
    let mut out = Vec::new();
    let requests = request_schemas(old).union(&request_schemas(new)).cloned().collect::<BTreeSet<_>>();
    let empty = Map::new();
    let ops = |doc: &Value| -> Vec<(String, Value)> {
        let paths = doc.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        let mut ops = Vec::new();
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap_or(&empty) {
                ops.push((format!("{} {path}", method.to_uppercase()), op.clone()));
            }
        }
        ops
    };
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (name, op) in &new_ops {
        match old_ops.iter().find(|(n, _)| n == name) {
            None => out.push(change(Class::Additive, format!("{name}: new operation"))),
            Some((_, before)) => compare_operation(name, (old, before), (new, op), &mut out),
        }
    }
    for (name, _) in old_ops.iter().filter(|(n, _)| !new_ops.iter().any(|(m, _)| m == n)) {
        out.push(change(Class::Breaking, format!("{name}: operation removed")));
    }
    let schemas = |doc: &Value| doc.pointer("/components/schemas").and_then(Value::as_object).cloned();
    let (old_schemas, new_schemas) = (schemas(old).unwrap_or_default(), schemas(new).unwrap_or_default());
    for (name, schema) in &new_schemas {
        let request = requests.contains(name);
        match old_schemas.get(name) {
            None => out.push(change(Class::Additive, format!("{}: new", label(name)))),
            Some(before) => compare_schema(&label(name), before, schema, request, &mut out),
        }
    }
    for name in old_schemas.keys().filter(|n| !new_schemas.contains_key(*n)) {
        out.push(change(Class::Breaking, format!("{}: removed", label(name))));
    }
    out.sort_by(|a, b| b.class.cmp(&a.class).then_with(|| a.what.cmp(&b.what)));
    out
}

fn change(class: Class, what: String) -> Change {
    Change { class, what }
}

/// The schemas a request body reaches by `$ref`, directly or through another schema.
fn request_schemas(doc: &Value) -> BTreeSet<String> {
    let operations = doc.get("paths").and_then(Value::as_object).into_iter().flat_map(Map::values);
    let bodies = operations.flat_map(|item| item.as_object().into_iter().flat_map(Map::values));
    let targets = bodies.filter_map(|op| op.get("requestBody")).flat_map(|body| crate::refs::reached(doc, body));
    targets.filter_map(|target| crate::fragment::schema_ref_name(&target)).collect()
}

/// Compares one operation in two pins; each side comes with its whole pin,
/// in which a parameter given as a `$ref` is looked up.
fn compare_operation(
    name: &str,
    (old_doc, old): (&Value, &Value),
    (new_doc, new): (&Value, &Value),
    out: &mut Vec<Change>,
) {
    let params = |doc: &Value, op: &Value| -> Vec<Value> {
        let listed = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        let resolve = |p: Value| match p.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => doc.pointer(pointer).cloned().unwrap_or(p),
            None => p,
        };
        listed.into_iter().map(resolve).collect()
    };
    let key = |p: &Value| {
        format!(
            "{} {}",
            p.get("in").and_then(Value::as_str).unwrap_or("?"),
            p.get("name").and_then(Value::as_str).unwrap_or("?")
        )
    };
    let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
    let (old_params, new_params) = (params(old_doc, old), params(new_doc, new));
    for param in &new_params {
        let at = format!("{name}: parameter {}", key(param));
        match old_params.iter().find(|p| key(p) == key(param)) {
            None if required(param) => out.push(change(Class::Breaking, format!("{at}: new and required"))),
            None => out.push(change(Class::Additive, format!("{at}: new, optional"))),
            Some(before) => {
                if required(param) && !required(before) {
                    out.push(change(Class::Breaking, format!("{at}: now required")));
                }
                if let (Some(a), Some(b)) = (before.get("schema"), param.get("schema")) {
                    compare_schema(&at, a, b, true, out);
                }
            }
        }
    }
    for param in old_params.iter().filter(|p| !new_params.iter().any(|q| key(q) == key(p))) {
        out.push(change(Class::Breaking, format!("{name}: parameter {}: removed", key(param))));
    }
    for (part, request) in [("requestBody", true), ("responses", false)] {
        let media = |op: &Value| -> Vec<(String, Value)> {
            let mut found = Vec::new();
            collect_media(op.get(part).unwrap_or(&Value::Null), String::new(), &mut found);
            found
        };
        let (before, after) = (media(old), media(new));
        for (at, schema) in &after {
            match before.iter().find(|(b, _)| b == at) {
                Some((_, was)) => compare_schema(&format!("{name}: {part}{at}"), was, schema, request, out),
                None => out.push(change(Class::Additive, format!("{name}: {part}{at}: new"))),
            }
        }
        for (at, _) in before.iter().filter(|(b, _)| !after.iter().any(|(a, _)| a == b)) {
            out.push(change(Class::Breaking, format!("{name}: {part}{at}: removed")));
        }
    }
}

/// Every media type's schema under a request body or the responses, by where it is.
fn collect_media(node: &Value, at: String, out: &mut Vec<(String, Value)>) {
    let Some(map) = node.as_object() else { return };
    if let Some(content) = map.get("content").and_then(Value::as_object) {
        for (media, entry) in content {
            if let Some(schema) = entry.get("schema") {
                out.push((format!("{at} {media}"), schema.clone()));
            }
        }
        return;
    }
    for (key, value) in map {
        collect_media(value, format!("{at} {key}"), out);
    }
}

/// Compares two schemas at `at`; `request` says whether requests carry it.
fn compare_schema(at: &str, old: &Value, new: &Value, request: bool, out: &mut Vec<Change>) {
    for key in ["type", "format", "$ref", "anyOf", "oneOf", "allOf", "items", "additionalProperties"] {
        let (a, b) = (old.get(key), new.get(key));
        if a == b {
            continue;
        }
        match (key, a, b) {
            ("items", Some(a), Some(b)) => compare_schema(&format!("{at}[]"), a, b, request, out),
            _ => out.push(change(Class::Breaking, format!("{at}: {key} changed from {} to {}", shown(a), shown(b)))),
        }
    }
    let values = |s: &Value| s.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    let (old_values, new_values) = (values(old), values(new));
    for value in new_values.iter().filter(|v| !old_values.contains(v)) {
        out.push(change(Class::Additive, format!("{at}: new enum value {value}")));
    }
    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
        out.push(change(Class::Breaking, format!("{at}: enum value {value} removed")));
    }
    for (key, narrower) in [
        ("maxLength", Narrower::Less),
        ("maximum", Narrower::Less),
        ("minLength", Narrower::More),
        ("minimum", Narrower::More),
    ] {
        let (a, b) = (old.get(key).and_then(Value::as_f64), new.get(key).and_then(Value::as_f64));
        if a == b {
            continue;
        }
        let narrowed = match (a, b, narrower) {
            (None, Some(_), _) => true,
            (Some(_), None, _) => false,
            (Some(a), Some(b), Narrower::Less) => b < a,
            (Some(a), Some(b), Narrower::More) => b > a,
            (None, None, _) => false,
        };
        let class = if narrowed && request { Class::Breaking } else { Class::Additive };
        out.push(change(class, format!("{at}: {key} {} → {}", shown_num(a), shown_num(b))));
    }
    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    let props = |s: &Value| s.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_props, new_props) = (props(old), props(new));
    for (name, schema) in &new_props {
        let field = format!("{at}.{name}");
        match old_props.get(name) {
            None if request && new_required.contains(name) => {
                out.push(change(Class::Breaking, format!("{field}: new field that requests must carry")))
            }
            None if new_required.contains(name) => {
                out.push(change(Class::Additive, format!("{field}: new field, always sent")))
            }
            None => out.push(change(Class::Additive, format!("{field}: new optional field"))),
            Some(before) => compare_schema(&field, before, schema, request, out),
        }
    }
    for name in old_props.keys().filter(|n| !new_props.contains_key(*n)) {
        out.push(change(Class::Breaking, format!("{at}.{name}: field removed")));
    }
    for name in new_required.difference(&old_required).filter(|n| old_props.contains_key(*n)) {
        let class = if request { Class::Breaking } else { Class::Additive };
        out.push(change(class, format!("{at}.{name}: now required")));
    }
    for name in old_required.difference(&new_required).filter(|n| new_props.contains_key(*n)) {
        let class = if request { Class::Additive } else { Class::Breaking };
        out.push(change(class, format!("{at}.{name}: no longer required")));
    }
}

#[derive(Clone, Copy)]
enum Narrower {
    Less,
    More,
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

fn shown_num(value: Option<f64>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}
