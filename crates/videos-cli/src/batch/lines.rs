//! The lines of a batch file: JSON objects, one create each, every one
//! checked before any job is created (a job costs money once it exists).

use std::path::Path;

use serde_json::{Map, Value};
use videos_core::{CreateVideo, Operation, RequestOptions};
use videos_types::{VideoSeconds, VideoSize};

/// One checked line.
#[derive(Debug)]
pub(crate) struct Line {
    /// 1-based, as an editor counts.
    pub(crate) number: usize,
    /// The line as written, to tell a rerun whether the file changed.
    pub(crate) text: String,
    pub(crate) params: CreateVideo,
    /// Fields we do not know, passed through to the create's body.
    pub(crate) extra: Map<String, Value>,
    /// The file name its video is saved under, inside the output folder.
    pub(crate) name: String,
}

/// The fields a line may set itself; any other is passed through.
const KNOWN: [&str; 6] = ["prompt", "model", "seconds", "size", "input_reference", "name"];

/// Parses and checks every line of `text`; the first error names its line and field.
pub(crate) fn parse(text: &str) -> Result<Vec<Line>, String> {
    let mut lines = Vec::new();
    let mut names = std::collections::HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line = parse_line(number, raw, lines.len() + 1).map_err(|e| format!("line {number}: {e}"))?;
        if let Some(first) = names.insert(line.name.clone(), number) {
            return Err(format!(
                "line {number}: name {:?} is also line {first}'s; each video needs its own file",
                line.name
            ));
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err("no lines: give one JSON object per line, each with a prompt".to_owned());
    }
    Ok(lines)
}

fn parse_line(number: usize, raw: &str, position: usize) -> Result<Line, String> {
    let value: Value = serde_json::from_str(raw).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut object) = value else { return Err("not a JSON object".to_owned()) };
    let text_field = |object: &mut Map<String, Value>, field: &str| -> Result<Option<String>, String> {
        match object.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("{field} must be a string, not {other}")),
        }
    };
    let prompt = text_field(&mut object, "prompt")?.ok_or("prompt is required")?;
    let mut params = CreateVideo::new(prompt);
    if let Some(model) = text_field(&mut object, "model")? {
        params = params.model(model.as_str());
    }
    match object.remove("seconds") {
        None | Some(Value::Null) => {}
        // A string is the API's own form ("8"); a service may add lengths, so any whole number goes.
        Some(Value::String(s)) if s.parse::<u32>().is_ok() => params = params.seconds(VideoSeconds::from(s.as_str())),
        Some(Value::String(s)) => return Err(format!("seconds {s:?} is not a whole number of seconds")),
        Some(Value::Number(n)) => {
            let seconds =
                n.as_u64().and_then(|s| u32::try_from(s).ok()).ok_or(format!("seconds {n} is not a whole number"))?;
            params = params.seconds(VideoSeconds::from_secs(seconds));
        }
        Some(other) => return Err(format!("seconds must be a number or a string, not {other}")),
    }
    if let Some(size) = text_field(&mut object, "size")? {
        params = params.size(VideoSize::from(size.as_str()));
    }
    if let Some(reference) = text_field(&mut object, "input_reference")? {
        let reference = crate::inputs::reference(&reference, params.size.as_ref())
            .map_err(|e| e.to_string().replace("--input-reference", "input_reference"))?;
        params = params.input_reference(reference);
    }
    let name = match text_field(&mut object, "name")? {
        Some(name) => checked_name(&name)?,
        None => format!("{position:04}.mp4"),
    };
    debug_assert!(KNOWN.iter().all(|k| !object.contains_key(*k)));
    // The SDK's own checks, as the create will meet them; nothing is sent.
    let options = RequestOptions { extra_body: object.clone(), ..RequestOptions::default() };
    params.request(&videos_core::Config::new("check"), &options).map_err(|e| e.to_string())?;
    Ok(Line { number, text: raw.to_owned(), params, extra: object, name })
}

/// A name is a plain file name: no folder part, nothing hidden, not `..`.
fn checked_name(name: &str) -> Result<String, String> {
    let plain = Path::new(name).file_name().is_some_and(|f| f == name);
    if !plain || name.starts_with('.') || name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return Err(format!("name {name:?} must be a plain file name (no folder, not hidden)"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_names_its_line_and_field() {
        for (text, expected) in [
            ("{\"prompt\":\"a\"}\nnot json", "line 2: not JSON"),
            ("[1]", "line 1: not a JSON object"),
            ("{\"model\":\"sora-2\"}", "line 1: prompt is required"),
            ("{\"prompt\":\"a\",\"seconds\":4.5}", "line 1: seconds 4.5 is not a whole number"),
            ("{\"prompt\":\"a\",\"seconds\":\"x\"}", "line 1: seconds \"x\" is not a whole number"),
            ("{\"prompt\":\"a\",\"name\":\"../x.mp4\"}", "line 1: name \"../x.mp4\" must be a plain file name"),
            ("{\"prompt\":\"a\",\"input_reference\":\"/no/such.png\"}", "line 1: input_reference: no file"),
            ("{\"prompt\":\"\"}", "line 1: invalid prompt"),
            (
                "{\"prompt\":\"a\",\"name\":\"x.mp4\"}\n{\"prompt\":\"b\",\"name\":\"x.mp4\"}",
                "line 2: name \"x.mp4\" is also line 1's",
            ),
            ("\n\n", "no lines"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.starts_with(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn lines_keep_their_numbers_names_and_unknown_fields() {
        let text = "{\"prompt\":\"a\",\"seconds\":8,\"size\":\"1280x720\"}\n\n{\"prompt\":\"b\",\"name\":\"b.mp4\",\"aspect_ratio\":\"16:9\"}\n";
        let lines = parse(text).unwrap();
        assert_eq!(
            lines.iter().map(|l| (l.number, l.name.as_str())).collect::<Vec<_>>(),
            [(1, "0001.mp4"), (3, "b.mp4")]
        );
        assert_eq!(lines[1].extra.get("aspect_ratio"), Some(&Value::from("16:9")));
        assert_eq!(lines[0].params.seconds, Some(VideoSeconds::Eight));
    }
}
