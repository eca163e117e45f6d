//! Reading `components/schemas` into what the Rust generator needs.
//!
//! Each named schema is one of three kinds:
//! - an **enum** (a string `enum`, or `anyOf` of a plain string and string
//!   enums, the upstream spelling of an open enum), emitted by [`crate::open_enum`];
//! - an **alias** (a bare string or integer with limits, such as `Prompt`),
//!   inlined wherever it is referenced and turned into constants by [`crate::limits`];
//! - an **object**, handed to typify.
//!
//! This module also rewrites objects into the JSON Schema typify reads: enums
//! become references to our replacement types, inline enums are hoisted and
//! named after their parent and property, validation keywords are dropped (the
//! core validates with the generated limits), and every object keeps unknown
//! fields unless it says `additionalProperties: false`.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use crate::fragment::{Fragment, FragmentError, pointer_of, push_token, schema_ref_name};

/// A string enum, made open by the generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDef {
    /// The Rust type name.
    pub name: String,
    /// The doc comment.
    pub description: String,
    /// `(wire value, Rust variant name)` in the fragment's order.
    pub variants: Vec<(String, String)>,
    /// The value `Default` returns, when the fragment names one.
    pub default: Option<String>,
}

/// A numeric or length limit stated in the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitDef {
    /// The constant's name, e.g. `PROMPT_MAX_LENGTH`.
    pub name: String,
    /// Where it comes from, e.g. `Prompt` or `ImageInputReference.image_url`.
    pub source: String,
    /// The keyword, e.g. `maxLength`.
    pub keyword: &'static str,
    /// The bound.
    pub value: i64,
}

/// Everything the generator emits, before it becomes Rust.
#[derive(Debug, Clone)]
pub struct Model {
    /// Open enums, sorted by name.
    pub enums: Vec<EnumDef>,
    /// Schemas the crate writes by hand (`x-rust-type: Name`), as `(schema name, Rust type name)`.
    pub external: Vec<(String, String)>,
    /// Limits, in fragment order.
    pub limits: Vec<LimitDef>,
    /// `{"definitions": …}` for typify: the objects, plus stand-ins for the enums it must not generate.
    pub typify_input: Value,
    /// Objects a plain JSON string also reads as (`x-from-string: FIELD`):
    /// `(schema name, field)`, the string becoming that field (gateways send
    /// `"error": "text"` where the service sends an object).
    pub from_string: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Enum,
    Alias,
    Object,
    /// Written by hand in the types crate, named by `x-rust-type`.
    External,
}

/// Keywords that only constrain or annotate values: dropped before typify sees them.
const DROPPED: &[&str] = &[
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "pattern",
    "default",
    "example",
    "examples",
    "title",
    "readOnly",
    "writeOnly",
    "deprecated",
    "minItems",
    "maxItems",
    "format",
];

/// The reading of a fragment's schemas.
pub fn analyze(fragment: &Fragment) -> Result<Model, FragmentError> {
    let schemas = fragment.schemas()?;
    let mut kinds = BTreeMap::new();
    for (name, schema) in schemas {
        let pointer = pointer_of(&["components", "schemas", name]);
        if !is_type_name(name) {
            return Err(fragment.error(&pointer, format!(
                "schema name {name:?} is not a Rust type name (UpperCamelCase letters and digits); rename it in the fragment"
            )));
        }
        kinds.insert(name.clone(), classify(fragment, schema, &pointer)?);
    }

    let mut reader = Reader { fragment, schemas, kinds: &kinds, enums: BTreeMap::new(), limits: Vec::new() };
    let mut definitions = Map::new();
    let mut external = Vec::new();
    let mut from_string = Vec::new();
    for (name, schema) in schemas {
        let pointer = pointer_of(&["components", "schemas", name]);
        require_description(fragment, schema, &pointer)?;
        match kinds[name] {
            Kind::Enum => {
                let def = reader.read_enum(name, schema, &pointer, None)?;
                reader.add_enum(def, &pointer)?;
            }
            Kind::Alias => reader.collect_limits(name, schema),
            Kind::External => {
                let rust = schema.get("x-rust-type").and_then(Value::as_str).filter(|t| is_type_name(t));
                let rust = rust.ok_or_else(|| {
                    fragment.error(&format!("{pointer}/x-rust-type"), "must name a Rust type (UpperCamelCase)")
                })?;
                // typify only needs to know the name exists; the crate defines it.
                definitions.insert(name.clone(), json!({ "type": "object" }));
                external.push((name.clone(), rust.to_owned()));
            }
            Kind::Object => {
                if let Some(field) = crate::tolerant::from_string_field(fragment, name, schema, &pointer)? {
                    from_string.push((name.clone(), field));
                }
                let rewritten = reader.rewrite(schema, &pointer, name)?;
                definitions.insert(name.clone(), rewritten);
            }
        }
    }
    for def in reader.enums.values() {
        let values: Vec<&str> = def.variants.iter().map(|(v, _)| v.as_str()).collect();
        definitions.insert(def.name.clone(), json!({ "type": "string", "enum": values }));
    }
    Ok(Model {
        enums: reader.enums.into_values().collect(),
        external,
        limits: reader.limits,
        typify_input: json!({ "definitions": definitions }),
        from_string,
    })
}

fn classify(fragment: &Fragment, schema: &Value, pointer: &str) -> Result<Kind, FragmentError> {
    if schema.get("x-rust-type").is_some() {
        return Ok(Kind::External);
    }
    if enum_values(schema).is_some() {
        return Ok(Kind::Enum);
    }
    if schema.get("enum").is_some() {
        return Err(fragment.error(&format!("{pointer}/enum"), "only string enums are supported"));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => Ok(Kind::Object),
        Some("string" | "integer" | "number" | "boolean") => Ok(Kind::Alias),
        _ if schema.get("properties").is_some() => Ok(Kind::Object),
        _ => {
            Err(fragment
                .error(pointer, "a named schema must be an object, a string enum, or a string/number with limits"))
        }
    }
}

/// The values of a string enum, if `schema` is one: `enum: [..]` of strings,
/// or `anyOf: [{type: string}, {type: string, enum: [..]}…]`.
fn enum_values(schema: &Value) -> Option<Vec<String>> {
    let ty = schema.get("type").and_then(Value::as_str);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !matches!(ty, None | Some("string")) {
            return None;
        }
        return values.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    }
    let members = schema.get("anyOf")?.as_array()?;
    let mut plain_string = false;
    let mut values = Vec::new();
    for member in members {
        match enum_values(member) {
            Some(more) => values.extend(more),
            None if member.get("type").and_then(Value::as_str) == Some("string")
                && member.as_object().is_some_and(|m| m.keys().all(|k| k == "type" || k == "description")) =>
            {
                plain_string = true
            }
            None => return None,
        }
    }
    (plain_string && !values.is_empty()).then_some(values)
}

fn require_description(fragment: &Fragment, schema: &Value, pointer: &str) -> Result<(), FragmentError> {
    match schema.get("description").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => Ok(()),
        _ => Err(fragment.error(
            pointer,
            "missing `description`: it becomes the Rust doc comment, and every public item is documented",
        )),
    }
}

fn is_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_variant_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Reader<'a> {
    fragment: &'a Fragment,
    schemas: &'a Map<String, Value>,
    kinds: &'a BTreeMap<String, Kind>,
    enums: BTreeMap<String, EnumDef>,
    limits: Vec<LimitDef>,
}

impl Reader<'_> {
    fn read_enum(
        &self,
        name: &str,
        schema: &Value,
        pointer: &str,
        fallback_doc: Option<&str>,
    ) -> Result<EnumDef, FragmentError> {
        let values = enum_values(schema).unwrap_or_default();
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .or(fallback_doc)
            .ok_or_else(|| self.fragment.error(pointer, "missing `description` on an enum"))?
            .trim()
            .to_owned();
        let names: Vec<String> = match schema.get("x-enum-varnames") {
            None => values.iter().map(|v| variant_name(v)).collect(),
            Some(Value::Array(names)) if names.len() == values.len() => {
                names.iter().map(|n| n.as_str().map(str::to_owned)).collect::<Option<_>>().ok_or_else(|| {
                    self.fragment.error(&format!("{pointer}/x-enum-varnames"), "must be a list of strings")
                })?
            }
            Some(_) => {
                return Err(self.fragment.error(
                    &format!("{pointer}/x-enum-varnames"),
                    format!("must list exactly one name per enum value ({} values)", values.len()),
                ));
            }
        };
        let mut seen = BTreeMap::new();
        for (value, variant) in values.iter().zip(&names) {
            if !is_variant_name(variant) || variant == "Unknown" {
                return Err(self.fragment.error(
                    pointer,
                    format!("variant name {variant:?} for {value:?} is not usable; set `x-enum-varnames`"),
                ));
            }
            if let Some(previous) = seen.insert(variant.clone(), value.clone()) {
                return Err(self.fragment.error(
                    pointer,
                    format!("values {previous:?} and {value:?} both become variant {variant}; set `x-enum-varnames`"),
                ));
            }
        }
        let default = schema.get("default").and_then(Value::as_str).map(str::to_owned);
        if let Some(d) = &default
            && !values.contains(d)
        {
            return Err(self
                .fragment
                .error(&format!("{pointer}/default"), format!("default {d:?} is not one of the enum's values")));
        }
        Ok(EnumDef { name: name.to_owned(), description, variants: values.into_iter().zip(names).collect(), default })
    }

    fn add_enum(&mut self, def: EnumDef, pointer: &str) -> Result<(), FragmentError> {
        if let Some(existing) = self.enums.get(&def.name) {
            if *existing == def {
                return Ok(());
            }
            return Err(self.fragment.error(pointer, format!("the type name {} is already taken", def.name)));
        }
        self.enums.insert(def.name.clone(), def);
        Ok(())
    }

    fn collect_limits(&mut self, source: &str, schema: &Value) {
        const KEYWORDS: [(&str, &str); 4] =
            [("minLength", "MIN_LENGTH"), ("maxLength", "MAX_LENGTH"), ("minimum", "MINIMUM"), ("maximum", "MAXIMUM")];
        for (keyword, suffix) in KEYWORDS {
            let value = schema.get(keyword).and_then(Value::as_i64);
            // A negative length is not JSON Schema; leave it out rather than emit `usize = -1`.
            let value = value.filter(|v| *v >= 0 || !keyword.ends_with("Length"));
            if let Some(value) = value {
                let stem = source.replace('.', "_");
                self.limits.push(LimitDef {
                    name: format!("{}_{suffix}", heck::AsShoutySnakeCase(stem)),
                    source: source.to_owned(),
                    keyword,
                    value,
                });
            }
        }
    }

    /// Rewrites one schema node for typify. `hoist` names an inline enum found here.
    fn rewrite(&mut self, node: &Value, pointer: &str, hoist: &str) -> Result<Value, FragmentError> {
        let Some(map) = node.as_object() else {
            return Err(self.fragment.error(pointer, "a schema must be a mapping"));
        };
        let description = map.get("description").cloned();

        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            let name = schema_ref_name(target).ok_or_else(|| {
                self.fragment.error(
                    pointer,
                    format!("`$ref` to {target:?}: a schema may only reference `#/components/schemas/…`"),
                )
            })?;
            let mut out = if self.kinds.get(&name) == Some(&Kind::Alias) {
                let alias_pointer = pointer_of(&["components", "schemas", &name]);
                self.rewrite(&self.schemas[&name], &alias_pointer, hoist)?
            } else {
                json!({ "$ref": format!("#/definitions/{name}") })
            };
            if let Some(d) = description {
                out["description"] = d;
            }
            return Ok(out);
        }

        if enum_values(node).is_some() {
            let def = self.read_enum(hoist, node, pointer, None)?;
            self.add_enum(def, pointer)?;
            let mut out = json!({ "$ref": format!("#/definitions/{hoist}") });
            if let Some(d) = description {
                out["description"] = d;
            }
            return Ok(out);
        }

        let mut out = Map::new();
        for (key, value) in map {
            let mut here = pointer.to_owned();
            push_token(&mut here, key);
            match key.as_str() {
                "description" | "required" => {
                    out.insert(key.clone(), value.clone());
                }
                "type" => {
                    check_type(self.fragment, value, &here)?;
                    out.insert(key.clone(), value.clone());
                }
                "format" => match value.as_str() {
                    Some("binary") => {
                        return Err(self.fragment.error(&here, "a file part (`format: binary`) has no JSON type; describe multipart bodies inline under their path"));
                    }
                    Some(f @ ("int32" | "int64" | "uint32" | "uint64" | "float" | "double")) => {
                        out.insert(key.clone(), json!(f));
                    }
                    _ => {}
                },
                "properties" => {
                    let props = value
                        .as_object()
                        .ok_or_else(|| self.fragment.error(&here, "`properties` must be a mapping"))?;
                    let mut rewritten = Map::new();
                    for (prop, schema) in props {
                        let mut prop_pointer = here.clone();
                        push_token(&mut prop_pointer, prop);
                        self.require_property_description(schema, &prop_pointer)?;
                        let child_hoist = format!("{hoist}{}", prop.to_upper_camel_case());
                        if schema.get("$ref").is_none() {
                            self.collect_limits(&format!("{hoist}.{prop}"), schema);
                        }
                        rewritten.insert(prop.clone(), self.rewrite(schema, &prop_pointer, &child_hoist)?);
                    }
                    out.insert(key.clone(), Value::Object(rewritten));
                }
                "items" => {
                    out.insert(key.clone(), self.rewrite(value, &here, &format!("{hoist}Item"))?);
                }
                "additionalProperties" => {
                    let rewritten = match value {
                        Value::Bool(b) => Value::Bool(*b),
                        schema => self.rewrite(schema, &here, &format!("{hoist}Value"))?,
                    };
                    out.insert(key.clone(), rewritten);
                }
                "anyOf" => {
                    let inner = nullable_member(value)
                        .ok_or_else(|| self.fragment.error(&here, "the generator expresses `anyOf` only as `[T, {type: \"null\"}]` (a nullable T) or an open string enum"))?;
                    let mut member_pointer = here.clone();
                    push_token(&mut member_pointer, &inner.0.to_string());
                    let rewritten = self.rewrite(inner.1, &member_pointer, hoist)?;
                    out.insert(key.clone(), json!([rewritten, { "type": "null" }]));
                }
                "oneOf" | "allOf" | "not" | "if" | "then" | "else" | "const" | "patternProperties" | "nullable" => {
                    return Err(self.fragment.error(&here, format!("the generator cannot express `{key}`")));
                }
                k if DROPPED.contains(&k) || k.starts_with("x-") => {}
                other => {
                    return Err(self.fragment.error(&here, format!("unsupported schema keyword `{other}`")));
                }
            }
        }
        if let Some(tolerant) = map.get("x-tolerant") {
            crate::tolerant::apply(self.fragment, &mut out, tolerant, &format!("{pointer}/x-tolerant"))?;
        }
        let is_object = out.get("type").and_then(Value::as_str) == Some("object") || out.contains_key("properties");
        if is_object && !out.contains_key("additionalProperties") {
            // Keep fields the fragment does not list: typify flattens them into `extra`.
            out.insert("additionalProperties".into(), json!({}));
        }
        Ok(Value::Object(out))
    }

    fn require_property_description(&self, schema: &Value, pointer: &str) -> Result<(), FragmentError> {
        if schema.get("description").is_some() {
            return require_description(self.fragment, schema, pointer);
        }
        // A bare reference to a documented alias or enum inherits its description.
        if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(schema_ref_name)
            && self.kinds.get(&name).is_some_and(|k| matches!(k, Kind::Alias | Kind::Enum))
        {
            return Ok(());
        }
        require_description(self.fragment, schema, pointer)
    }
}

fn nullable_member(any_of: &Value) -> Option<(usize, &Value)> {
    let members = any_of.as_array()?;
    if members.len() != 2 {
        return None;
    }
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    match (is_null(&members[0]), is_null(&members[1])) {
        (false, true) => Some((0, &members[0])),
        (true, false) => Some((1, &members[1])),
        _ => None,
    }
}

fn check_type(fragment: &Fragment, value: &Value, pointer: &str) -> Result<(), FragmentError> {
    const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null"];
    let ok = match value {
        Value::String(t) => TYPES.contains(&t.as_str()),
        Value::Array(ts) => ts.iter().all(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))),
        _ => false,
    };
    if ok { Ok(()) } else { Err(fragment.error(pointer, format!("unknown type {value}"))) }
}

/// The Rust variant name for an enum value: UpperCamelCase of its words, with
/// `_` kept between two numbers so dates stay readable (`sora-2-2025-10-06` →
/// `Sora2_2025_10_06`), and a `V` in front of a leading digit.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let starts_digit = word.starts_with(|c: char| c.is_ascii_digit());
        if starts_digit && out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        if starts_digit && out.is_empty() {
            out.push('V');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() { "Empty".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_read_as_values() {
        assert_eq!(variant_name("in_progress"), "InProgress");
        assert_eq!(variant_name("sora-2-pro"), "Sora2Pro");
        assert_eq!(variant_name("sora-2-2025-10-06"), "Sora2_2025_10_06");
        assert_eq!(variant_name("video.deleted"), "VideoDeleted");
        assert_eq!(variant_name("720x1280"), "V720x1280");
    }
}
