//! What the commands print: one line per object for people, the raw API
//! objects with `--json`. Errors are one line: the error and its causes.

use serde::Serialize;
use videos_types::{Video, VideoCharacter, VideoDeleteResponse};

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
    line.replace('\n', " ")
}

/// Prints `value` as JSON on stdout.
pub(crate) fn json(value: &impl Serialize) -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// One line about a job.
pub(crate) fn video_line(video: &Video) -> String {
    let mut line = format!(
        "{}  {}  {}%  {}  {}s  {}",
        video.id, video.status, video.progress, video.size, video.seconds, video.model
    );
    if let Some(error) = &video.error {
        line.push_str(&format!("  error {}: {}", error.code, error.message));
    }
    if let Some(source) = &video.remixed_from_video_id {
        line.push_str(&format!("  remixed from {source}"));
    }
    line
}

/// Prints a job, as JSON or as a line.
pub(crate) fn video(video: &Video, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(video)
    } else {
        println!("{}", video_line(video));
        Ok(())
    }
}

/// Prints a deletion.
pub(crate) fn deleted(response: &VideoDeleteResponse, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(response)
    } else {
        println!("{} deleted", response.id);
        Ok(())
    }
}

/// Prints a character.
pub(crate) fn character(character: &VideoCharacter, as_json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if as_json {
        json(character)
    } else {
        println!("{}  {}", character.id.as_deref().unwrap_or("-"), character.name.as_deref().unwrap_or("-"));
        Ok(())
    }
}
