//! Serving one rendered asset of a completed job: which file and media
//! type it is (rendered now if no one has yet), and streaming it, with
//! `Range` requests honoured. Both the API's content route and Azure mode's
//! blob origin serve assets this way.

use std::io::SeekFrom;
use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::http::header::{ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use videos_types::VideoStatus;

use super::AppState;
use crate::error::ApiError;

/// The file and media type of one asset of a completed job, rendered now
/// if no one has yet.
pub(crate) async fn asset(
    state: &AppState,
    video_id: &str,
    variant: &str,
) -> Result<(PathBuf, &'static str), ApiError> {
    let (video, job) = state.find_job(video_id)?;
    if !["video", "thumbnail", "spritesheet"].contains(&variant) {
        return Err(ApiError::invalid(
            "variant",
            format!("Invalid 'variant': '{variant}'. Supported values are: video, thumbnail, spritesheet."),
        )
        .code("invalid_value"));
    }
    if video.status != Some(VideoStatus::Completed) {
        return Err(ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!(
                "Video '{video_id}' has status {}; its content is available only once it is completed.",
                crate::state::status_text(&video)
            ),
            error_type: "invalid_request_error",
            param: Some("video_id".into()),
            code: Some("video_not_ready"),
        });
    }
    let rendered = state.media(&job).await.map_err(|reason| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("The emulator could not render video '{video_id}': {reason}"),
        error_type: "server_error",
        param: None,
        code: Some("render_failed"),
    })?;
    Ok(match variant {
        "thumbnail" => (rendered.thumbnail.clone(), "image/webp"),
        "spritesheet" => (rendered.spritesheet.clone(), "image/jpeg"),
        _ => (rendered.video.clone(), "video/mp4"),
    })
}

/// Streams a media file, honouring one `Range`.
pub(crate) async fn stream(
    path: &std::path::Path,
    content_type: &'static str,
    headers: &HeaderMap,
    video_id: &str,
) -> Result<Response, ApiError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|_| ApiError::not_found("video_id", "content for video", video_id))?;
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);

    let (status, start, end) = match headers.get(RANGE).and_then(|v| v.to_str().ok()) {
        None => (StatusCode::OK, 0, len),
        Some(range) => match parse_range(range, len) {
            Some((start, end)) => (StatusCode::PARTIAL_CONTENT, start, end),
            None => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    response.headers_mut().insert(CONTENT_RANGE, v);
                }
                return Ok(response);
            }
        },
    };
    if start > 0 {
        file.seek(SeekFrom::Start(start))
            .await
            .map_err(|_| ApiError::not_found("video_id", "content for video", video_id))?;
    }
    let stream = futures_util::stream::try_unfold((file, end - start), |(mut file, left)| async move {
        if left == 0 {
            return Ok::<_, std::io::Error>(None);
        }
        let mut buf = vec![0; (64 * 1024).min(left as usize)];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "media file shrank"));
        }
        buf.truncate(n);
        Ok(Some((Bytes::from(buf), (file, left - n as u64))))
    });
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(CONTENT_LENGTH, HeaderValue::from(end - start));
    h.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1))
    {
        h.insert(CONTENT_RANGE, v);
    }
    Ok(response)
}

/// One `bytes=` range as `[start, end)` within `len`, or `None` when unsatisfiable.
fn parse_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None; // One range at a time is all a download needs.
    }
    let (first, last) = spec.split_once('-')?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            (len.saturating_sub(n), len)
        }
        (start, "") => (start.parse().ok()?, len),
        (start, last) => (start.parse().ok()?, last.parse::<u64>().ok()?.saturating_add(1).min(len)),
    };
    (start < end && start < len).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some((0, 100)));
        assert_eq!(parse_range("bytes=900-", 1000), Some((900, 1000)));
        assert_eq!(parse_range("bytes=-100", 1000), Some((900, 1000)));
        assert_eq!(parse_range("bytes=990-2000", 1000), Some((990, 1000)));
        assert_eq!(parse_range("bytes=1000-", 1000), None);
        assert_eq!(parse_range("bytes=5-1", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), None);
    }
}
