//! Extracting the Videos subset of a full upstream OpenAPI document.
//!
//! The output keeps the `/videos…` paths and every component they reach,
//! renames upstream schemas to this SDK's public names ([`RENAMES`]), and
//! reshapes what the generator expects to find elsewhere: a schema used only
//! as a multipart body moves inline under its path. Where a schema of the
//! same name exists in our fragment, its descriptions and variant names are
//! carried over, so `extract` followed by `codegen --from` shows only what
//! upstream really changed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::fragment::{Fragment, FragmentError, schema_ref_name};
use crate::schema::variant_name;

/// Upstream schema name → our public name. Names not listed are kept.
pub const RENAMES: &[(&str, &str)] = &[
    ("VideoResource", "Video"),
    ("Error-2", "VideoCreateError"),
    ("ImageRefParam-2", "ImageInputReference"),
    ("VideoReferenceInputParam", "VideoReference"),
    ("VideoListResource", "VideoList"),
    ("DeletedVideoResource", "VideoDeleteResponse"),
    ("OrderEnum", "VideoListOrder"),
    ("VideoCharacterResource", "VideoCharacter"),
    ("CreateVideoJsonBody", "VideoCreateBody"),
    ("CreateVideoMultipartBody", "VideoCreateMultipartBody"),
    ("CreateVideoRemixBody", "VideoRemixBody"),
    ("CreateVideoEditJsonBody", "VideoEditBody"),
    ("CreateVideoEditMultipartBody", "VideoEditMultipartBody"),
    ("CreateVideoExtendJsonBody", "VideoExtendBody"),
    ("CreateVideoExtendMultipartBody", "VideoExtendMultipartBody"),
    ("CreateVideoCharacterBody", "VideoCharacterCreateBody"),
];

/// What a schema or property without any description gets, so the generator
/// (which documents every item) accepts the output and the gap is visible.
pub const PLACEHOLDER: &str = "Not described upstream.";

/// The Videos subset of `text` (a full upstream spec read from `file`), as YAML.
pub fn extract(file: &str, text: &str) -> Result<String, FragmentError> {
    let ours_text = std::fs::read_to_string(crate::workspace_root().join(crate::FRAGMENT_PATH)).ok();
    let ours = ours_text.and_then(|t| Fragment::parse(crate::FRAGMENT_PATH, &t).ok());
    extract_with(file, text, ours.as_ref())
}

/// [`extract`], with our fragment given explicitly (or not at all).
pub fn extract_with(file: &str, text: &str, ours: Option<&Fragment>) -> Result<String, FragmentError> {
    let upstream = Fragment::parse(file, text)?;
    let doc = &upstream.doc;
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| upstream.error("/paths", "missing: the document has no paths"))?;
    let mut kept_paths: Map<String, Value> = paths
        .iter()
        .filter(|(p, _)| *p == "/videos" || p.starts_with("/videos/"))
        .map(|(p, v)| (p.clone(), v.clone()))
        .collect();
    if kept_paths.is_empty() {
        return Err(upstream.error("/paths", "no `/videos…` path found"));
    }

    // Every component the kept paths reach, transitively.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    collect_refs(&Value::Object(kept_paths.clone()), &mut queue);
    while let Some(target) = queue.pop() {
        if reached.insert(target.clone())
            && let Some(node) = target.strip_prefix('#').and_then(|p| doc.pointer(p))
        {
            collect_refs(node, &mut queue);
        }
    }

    let renames: BTreeMap<&str, &str> = RENAMES.iter().copied().collect();
    let rename = |name: &str| renames.get(name).map_or_else(|| name.to_owned(), |n| (*n).to_owned());

    let mut components: Map<String, Value> = Map::new();
    for target in &reached {
        let Some(rest) = target.strip_prefix("#/components/") else { continue };
        let Some((kind, name)) = rest.split_once('/') else { continue };
        let Some(node) = doc.pointer(&target[1..]) else { continue };
        let name =
            if kind == "schemas" { rename(&name.replace("~1", "/").replace("~0", "~")) } else { name.to_owned() };
        let section = components.entry(kind.to_owned()).or_insert_with(|| json!({}));
        section[name] = node.clone();
    }
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }

    let mut out = json!({
        "openapi": doc.get("openapi").cloned().unwrap_or(json!("3.1.0")),
        "info": doc.get("info").cloned().unwrap_or(json!({"title": "Videos API", "version": "0"})),
        "paths": Value::Object(std::mem::take(&mut kept_paths)),
        "components": Value::Object(components),
    });
    for key in ["servers", "security"] {
        if let Some(v) = doc.get(key) {
            out[key] = v.clone();
        }
    }
    rewrite_refs(&mut out, &rename);
    inline_multipart_only(&mut out);
    if let Some(schemas) = out.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            let our_schema = ours.and_then(|f| f.doc.pointer(&format!("/components/schemas/{name}")));
            adopt_our_wording(schema, our_schema);
        }
    }
    serde_norway::to_string(&out).map_err(|e| upstream.error("", format!("cannot write YAML: {e}")))
}

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

fn rewrite_refs(node: &mut Value, rename: &dyn Fn(&str) -> String) {
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
fn inline_multipart_only(doc: &mut Value) {
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

/// Carries our descriptions and variant names over to an upstream schema of
/// the same name, and fills the gaps neither side describes.
fn adopt_our_wording(schema: &mut Value, ours: Option<&Value>) {
    let Some(map) = schema.as_object_mut() else { return };
    let our_description = ours.and_then(|o| o.get("description")).cloned();
    match our_description {
        Some(d) => {
            map.insert("description".into(), d);
        }
        None => {
            map.entry("description").or_insert_with(|| json!(PLACEHOLDER));
        }
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array).cloned()
        && let Some(our_names) = ours.and_then(|o| o.get("x-enum-varnames")).and_then(Value::as_array)
    {
        let our_values = ours.and_then(|o| o.get("enum")).and_then(Value::as_array).cloned().unwrap_or_default();
        let names: Vec<Value> = values
            .iter()
            .map(|v| {
                let known = our_values.iter().position(|o| o == v).and_then(|i| our_names.get(i)).cloned();
                known.unwrap_or_else(|| json!(variant_name(v.as_str().unwrap_or_default())))
            })
            .collect();
        map.insert("x-enum-varnames".into(), Value::Array(names));
    }
    if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
        for (prop, value) in props.iter_mut() {
            let Some(prop_map) = value.as_object_mut() else { continue };
            let ours_prop = ours.and_then(|o| o.pointer(&format!("/properties/{prop}/description"))).cloned();
            let from_member = prop_map
                .get("anyOf")
                .and_then(Value::as_array)
                .and_then(|members| members.iter().find_map(|m| m.get("description").cloned()));
            if let Some(d) = ours_prop.or_else(|| prop_map.get("description").cloned()).or(from_member) {
                prop_map.insert("description".into(), d);
            } else if prop_map.get("$ref").is_none() {
                prop_map.insert("description".into(), json!(PLACEHOLDER));
            }
        }
    }
}
