//! Walking `$ref`s: collecting them, renaming their targets, and moving
//! schemas used only as multipart bodies inline under their paths.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::fragment::schema_ref_name;

/// Every `$ref` target under `node`, in document order.
fn collect_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Every `$ref` target reached from `start`, following each through `doc`
/// to the references it holds in turn.
pub(crate) fn reached(doc: &Value, start: &Value) -> BTreeSet<String> {
    let mut queue = Vec::new();
    collect_refs(start, &mut queue);
    let mut reached = BTreeSet::new();
    while let Some(target) = queue.pop() {
        if reached.insert(target.clone())
            && let Some(node) = target.strip_prefix('#').and_then(|p| doc.pointer(p))
        {
            collect_refs(node, &mut queue);
        }
    }
    reached
}

/// Points every `$ref` to a schema at the schema's name under `rename`.
pub(crate) fn rewrite_refs(node: &mut Value, rename: &dyn Fn(&str) -> String) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "$ref"
                    && let Some(name) = value.as_str().and_then(schema_ref_name)
                {
                    *value = json!(format!("#/components/schemas/{}", rename(&name)));
                } else {
                    rewrite_refs(value, rename);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, rename)),
        _ => {}
    }
}

/// Moves schemas referenced only as `multipart/form-data` bodies inline: their
/// file parts have no JSON type, and the generator only reads components.
pub(crate) fn inline_multipart_only(doc: &mut Value) {
    let mut all = Vec::new();
    collect_refs(doc, &mut all);
    let mut multipart = Vec::new();
    if let Some(paths) = doc.get("paths") {
        for op in paths
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
            .flat_map(|p| p.as_object().into_iter().flat_map(|o| o.values()))
        {
            if let Some(Value::String(target)) = op.pointer("/requestBody/content/multipart~1form-data/schema/$ref") {
                multipart.push(target.clone());
            }
        }
    }
    for target in multipart {
        let uses = all.iter().filter(|t| **t == target).count();
        let multipart_uses = collect_multipart_uses(doc, &target);
        if uses != multipart_uses {
            continue;
        }
        let Some(name) = schema_ref_name(&target) else { continue };
        let Some(schema) =
            doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut).and_then(|s| s.remove(&name))
        else {
            continue;
        };
        replace_multipart_refs(doc, &target, &schema);
    }
}

fn multipart_schemas_mut(doc: &mut Value) -> Vec<&mut Value> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                if let Some(schema) = op.pointer_mut("/requestBody/content/multipart~1form-data/schema") {
                    out.push(schema);
                }
            }
        }
    }
    out
}

fn collect_multipart_uses(doc: &mut Value, target: &str) -> usize {
    multipart_schemas_mut(doc).into_iter().filter(|s| s.get("$ref").and_then(Value::as_str) == Some(target)).count()
}

fn replace_multipart_refs(doc: &mut Value, target: &str, schema: &Value) {
    for slot in multipart_schemas_mut(doc) {
        if slot.get("$ref").and_then(Value::as_str) == Some(target) {
            *slot = schema.clone();
        }
    }
}
