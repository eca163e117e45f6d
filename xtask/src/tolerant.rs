//! The generator's policy for reading answers from services other than
//! OpenAI's own: `x-tolerant: {required: [..]}` on an object makes every
//! property it requires, except those listed, nullable, so an answer that
//! leaves the property out or sends `null` (as gateways do) still reads,
//! as `None`, and writes back as `null`.

use serde_json::{Map, Value, json};

use crate::fragment::{Fragment, FragmentError};

/// Applies `x-tolerant: {required: [..]}`: every property the object
/// requires, except those listed, is read as nullable, so an answer that
/// leaves it out or sends `null` (as gateways do) still reads.
pub fn apply(
    fragment: &Fragment,
    out: &mut Map<String, Value>,
    tolerant: &Value,
    pointer: &str,
) -> Result<(), FragmentError> {
    let kept: Vec<&str> = match tolerant.get("required") {
        None => Vec::new(),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err(fragment.error(pointer, "`required` must be a list of property names")),
    };
    let required: Vec<String> = out
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let Some(Value::Object(properties)) = out.get_mut("properties") else {
        return Err(fragment.error(pointer, "only an object with `properties` can be tolerant"));
    };
    if let Some(unknown) = kept.iter().find(|k| !properties.contains_key(**k)) {
        return Err(fragment.error(pointer, format!("{unknown:?} is not a property of this object")));
    }
    for name in required.iter().filter(|r| !kept.contains(&r.as_str())) {
        let Some(property) = properties.get_mut(name) else { continue };
        if property.get("anyOf").is_some() {
            continue; // already nullable
        }
        let description = property.as_object_mut().and_then(|p| p.remove("description"));
        let mut nullable = json!({ "anyOf": [property.take(), { "type": "null" }] });
        if let Some(d) = description {
            nullable["description"] = d;
        }
        *property = nullable;
    }
    let kept_list = kept.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let note = if kept.is_empty() {
        "Read tolerantly: any field may be absent or null in an answer (gateways do both) and reads as `None`."
            .to_owned()
    } else {
        format!(
            "Read tolerantly: any field but {kept_list} may be absent or null in an answer (gateways do both) and reads as `None`."
        )
    };
    let description = out.get("description").and_then(Value::as_str).unwrap_or_default().trim_end().to_owned();
    out.insert("description".into(), json!(format!("{description}\n\n{note}")));
    Ok(())
}

/// The property a plain JSON string reads as, when the object schema says
/// `x-from-string: FIELD` (gateways send `"error": "text"` where the service
/// sends an object); it must name a string property of the object.
pub fn from_string_field(
    fragment: &Fragment,
    name: &str,
    schema: &Value,
    pointer: &str,
) -> Result<Option<String>, FragmentError> {
    let Some(field) = schema.get("x-from-string") else { return Ok(None) };
    let here = format!("{pointer}/x-from-string");
    let field = field.as_str().ok_or_else(|| fragment.error(&here, "must name a property"))?;
    let property = schema.get("properties").and_then(|p| p.get(field));
    if property.and_then(|p| p.get("type")).and_then(Value::as_str) != Some("string") {
        return Err(fragment.error(&here, format!("{field:?} is not a string property of {name}")));
    }
    Ok(Some(field.to_owned()))
}
