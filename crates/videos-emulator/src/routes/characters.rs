//! `POST /videos/characters` and `GET /videos/characters/{character_id}`.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use videos_types::{VideoCharacter, limits};

use super::AppState;
use super::input::{FileOrObject, Form};
use crate::error::ApiError;
use crate::state::{new_id, unix_now};

/// Registers a character from an uploaded video and a name.
pub(crate) async fn create(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let form = Form::read(request, &state.config).await?;
    let Some(name) = form.text("name")? else {
        return Err(ApiError::invalid("name", "Missing required parameter: 'name'."));
    };
    let count = name.chars().count();
    if !(limits::CHARACTER_NAME_MIN_LENGTH..=limits::CHARACTER_NAME_MAX_LENGTH).contains(&count) {
        return Err(ApiError::invalid(
            "name",
            format!("Invalid 'name': expected 1 to {} characters, got {count}.", limits::CHARACTER_NAME_MAX_LENGTH),
        ));
    }
    match form.file_or_object("video")? {
        Some(FileOrObject::File(bytes)) if !bytes.is_empty() => {}
        Some(FileOrObject::File(_)) => {
            return Err(ApiError::invalid("video", "Invalid 'video': the uploaded file is empty."));
        }
        _ => return Err(ApiError::invalid("video", "Missing required parameter: 'video' (a video file).")),
    }
    let character = VideoCharacter {
        id: Some(new_id("char")),
        name: Some(name.to_owned()),
        created_at: Some(videos_types::UnixTime::from_secs(unix_now())),
        ..VideoCharacter::default()
    };
    state.store().add_character(character.clone()).map_err(|e| ApiError::storage(&e))?;
    Ok(Json(character).into_response())
}

/// Reads a character.
pub(crate) async fn retrieve(
    State(state): State<AppState>,
    Path(character_id): Path<String>,
) -> Result<Response, ApiError> {
    let character = state.store().characters.get(&character_id).cloned();
    character
        .map(|c| Json(c).into_response())
        .ok_or_else(|| ApiError::not_found("character_id", "character", &character_id))
}
