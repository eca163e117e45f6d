//! What the commands print: one line per object for people, the raw API
//! objects with `--json`. Errors are one line: the error and its causes.
//!
//! Everything here that came from a server goes through [`clean`] (or, as
//! JSON, [`json`]), so a hostile server cannot send escape sequences to the
//! user's terminal: control characters are shown as `\u{…}` escapes.

use std::borrow::Cow;

use serde::Serialize;
use videos_types::{Video, VideoCharacter, VideoDeleteResponse, shown};

/// `text` with every control character (C0, DEL, C1: escape sequences, bells,
/// carriage returns that overwrite a line) written as a visible escape.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// An error and its chain of causes, on one line.
pub(crate) fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    clean(&line.replace('\n', " ")).into_owned()
}

/// Prints `value` as JSON on stdout. serde_json escapes C0 controls in
/// strings but not DEL or the C1 range, which some terminals obey; those
/// are escaped here too (the output stays valid JSON).
pub(crate) fn json(value: &impl Serialize) -> Result<(), Box<dyn std::error::Error>> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | ' ') {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    line(&out)
}

/// One line about a job.
pub(crate) fn video_line(video: &Video) -> String {
    let mut line = format!(
        "{}  {}  {}%  {}  {}s  {}",
        video.id,
        shown(&video.status),
        shown(&video.progress),
        shown(&video.size),
        shown(&video.seconds),
        shown(&video.model)
    );
    if let Some(error) = &video.error {
        line.push_str(&format!("  error {}: {}", shown(&error.code), shown(&error.message)));
    }
    if let Some(source) = &video.remixed_from_video_id {
        line.push_str(&format!("  remixed from {source}"));
    }
    clean(&line).into_owned()
}

/// Prints a job, as JSON or as a line.
pub(crate) fn video(video: &Video, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(video)
    } else {
        line(&video_line(video))?;
        Ok(())
    }
}

/// Prints a deletion.
pub(crate) fn deleted(response: &VideoDeleteResponse, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(response)
    } else {
        line(&format!("{} deleted", clean(&response.id)))?;
        Ok(())
    }
}

/// Prints a character.
pub(crate) fn character(character: &VideoCharacter, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(character)
    } else {
        let (id, name) = (character.id.as_deref().unwrap_or("-"), character.name.as_deref().unwrap_or("-"));
        line(&format!("{}  {}", clean(id), clean(name)))?;
        Ok(())
    }
}

/// Writes one line to stdout. Unlike `println!`, a closed stdout (`videos
/// list | head -1`) is an error the caller returns, not a panic; `main`
/// ends such a command quietly with status 0.
pub(crate) fn line(text: &str) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")?;
    stdout.flush()?;
    Ok(())
}

/// Whether an error is stdout having been closed by its reader.
pub(crate) fn is_closed_stdout(error: &(dyn std::error::Error + 'static)) -> bool {
    error.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// This very command line, with `--idempotency-key KEY` (replacing any
/// given), quoted for a POSIX shell: the command that gets a job the
/// service may have made without making another.
pub(crate) fn repeat_with_key(key: &str) -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--idempotency-key") {
        args.drain(at..(at + 2).min(args.len()));
    }
    args.retain(|a| !a.starts_with("--idempotency-key="));
    args.push("--idempotency-key".to_owned());
    args.push(key.to_owned());
    args.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" ")
}

/// `text` as one word for a POSIX shell, with control characters escaped.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain { text.to_owned() } else { format!("'{}'", clean(text).replace('\'', "'\\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_reach_the_terminal_raw() {
        let hostile = "ok\u{1b}]0;pwned\u{7}\r\u{9b}2Jdone\u{7f}";
        let shown = clean(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(shown, "ok\\u{1b}]0;pwned\\u{7}\\u{d}\\u{9b}2Jdone\\u{7f}");
        assert!(matches!(clean("plain é"), Cow::Borrowed(_)));
        let error = std::io::Error::other("bad\u{1b}[31mred");
        assert!(!one_line(&error).chars().any(char::is_control));
    }
}
