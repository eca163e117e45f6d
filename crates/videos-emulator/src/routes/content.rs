//! `GET /videos/{video_id}/content`: the MP4 (honouring `Range`), the WebP
//! thumbnail or the JPEG spritesheet, streamed from the state directory
//! (see `assets.rs`), or in Azure mode a redirect to the blob origin.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
pub(crate) struct ContentQuery {
    variant: Option<String>,
}

/// Streams one asset of a completed job; in Azure mode, redirects to it
/// on the blob origin instead, as Azure hands out media.
pub(crate) async fn download(
    State(state): State<AppState>,
    Path(video_id): Path<String>,
    Query(query): Query<ContentQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let variant = query.variant.as_deref().unwrap_or("video");
    let (path, content_type) = super::assets::asset(&state, &video_id, variant).await?;
    if let Some(location) = super::azure::blob_location(&state, &video_id, variant) {
        let mut response = StatusCode::FOUND.into_response();
        response.headers_mut().insert(axum::http::header::LOCATION, location);
        return Ok(response);
    }
    super::assets::stream(&path, content_type, &headers, &video_id).await
}
