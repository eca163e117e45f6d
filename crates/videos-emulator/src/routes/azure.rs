//! What `--azure` changes: the `api-version` every request must carry, and
//! media handed out as Azure does, by a redirect to a signed URL on another
//! origin (the blob listener), which with `strict_blobs` refuses any request
//! that brings a credential along, so a client that leaks its key across
//! origins fails.

use std::hash::{BuildHasher, Hasher};

use axum::extract::{Path, Query, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use crate::error::ApiError;

/// Refuses a request without the configured `api-version` (Azure answers 404
/// to a version it does not know; a missing one is a 400).
pub(crate) async fn require_api_version(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(expected) = state.config.azure.as_ref().and_then(|a| a.api_version.as_deref()) else {
        return next.run(request).await;
    };
    let given = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("api-version="))
        .map(str::to_owned);
    match given {
        Some(version) if version == expected => next.run(request).await,
        Some(version) => ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("API version '{version}' is not supported here; use api-version={expected}."),
            error_type: "invalid_request_error",
            param: Some("api-version".into()),
            code: Some("unsupported_api_version"),
        }
        .into_response(),
        None => ApiError::invalid("api-version", format!("Missing the 'api-version' query parameter ({expected})."))
            .code("missing_api_version")
            .into_response(),
    }
}

/// The signature of a blob URL: only the emulator that signed it can make it.
fn signature(state: &AppState, video_id: &str, variant: &str) -> String {
    let mut hasher = state.blob_secret.build_hasher();
    hasher.write(video_id.as_bytes());
    hasher.write_u8(0);
    hasher.write(variant.as_bytes());
    format!("{:016x}", hasher.finish())
}

/// Where an asset lives on the blob origin, in Azure mode.
pub(crate) fn blob_location(state: &AppState, video_id: &str, variant: &str) -> Option<HeaderValue> {
    let origin = state.blob_origin.get()?;
    let sig = signature(state, video_id, variant);
    let id: String = video_id.bytes().map(|b| format!("%{b:02X}")).collect();
    HeaderValue::from_str(&format!("{origin}/blobs/{id}/{variant}?sig={sig}")).ok()
}

#[derive(Debug, Deserialize)]
pub(crate) struct BlobQuery {
    sig: Option<String>,
}

/// `GET /blobs/{video_id}/{variant}?sig=…` on the blob origin.
pub(crate) async fn blob(
    State(state): State<AppState>,
    Path((video_id, variant)): Path<(String, String)>,
    Query(query): Query<BlobQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let strict = state.config.azure.as_ref().is_some_and(|a| a.strict_blobs);
    let leaked = [AUTHORIZATION.as_str(), "api-key"].into_iter().find(|name| strict && headers.contains_key(*name));
    if let Some(name) = leaked {
        return Err(ApiError {
            status: StatusCode::FORBIDDEN,
            message: format!("This signed URL is on another origin: the request must not carry '{name}'."),
            error_type: "invalid_request_error",
            param: None,
            code: Some("credential_sent_to_blob"),
        });
    }
    if query.sig.as_deref() != Some(signature(&state, &video_id, &variant).as_str()) {
        return Err(ApiError {
            status: StatusCode::FORBIDDEN,
            message: "The signature of this URL does not match.".to_owned(),
            error_type: "invalid_request_error",
            param: None,
            code: Some("bad_signature"),
        });
    }
    let (path, content_type) = super::assets::asset(&state, &video_id, &variant).await?;
    super::assets::stream(&path, content_type, &headers, &video_id).await
}
