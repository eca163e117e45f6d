//! Create, list, retrieve, delete, remix, edit and extend.

use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use videos_types::{Video, VideoModel, VideoSeconds, VideoSize, VideoStatus};

use super::AppState;
use super::input::{self, FileOrObject, Form};
use super::shared::{NewJob, Shared, json_video};
use crate::error::ApiError;
use crate::render;
use crate::state::{status_text, unix_now_ms};

/// `POST /videos`.
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let form = Form::read(request, &state.config).await?;
    let prompt = input::prompt(&form)?;
    let model = input::model(&form)?;
    let size = input::size(&form)?;
    input::check_size_for_model(&size, &model)?;
    let seconds = input::seconds(&form)?.as_secs().unwrap_or(4);
    // A reference image guides generation: it seeds the scene along with the prompt.
    let mut scene = prompt.clone();
    match form.file_or_object("input_reference")? {
        Some(FileOrObject::File(bytes)) => {
            input::check_reference_image(&bytes, &size)?;
            scene.push_str(&format!("\u{0}image:{:016x}", crate::render::frames::hash_bytes(&bytes)))
        }
        Some(FileOrObject::Object(object)) => {
            input::check_image_reference(&object)?;
            scene.push_str(&format!("\u{0}{}", Value::Object(object)));
        }
        None => {}
    }
    let job = NewJob { model, size, seconds, prompt, remixed_from: None, segments: vec![(scene, seconds)] };
    state.start("POST /videos", &headers, job)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    limit: Option<String>,
    order: Option<String>,
    after: Option<String>,
}

/// `GET /videos`.
pub(crate) async fn list(State(state): State<AppState>, Query(query): Query<ListQuery>) -> Result<Response, ApiError> {
    if !state.config.lists {
        // As LiteLLM's proxy answers a list it cannot route: an error, and no retry mends it.
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            message: "Listing videos is not supported by this service.".to_owned(),
            error_type: "invalid_request_error",
            param: None,
            code: Some("400"),
        });
    }
    let limit = match query.limit.as_deref() {
        None => 20,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= 100 => n,
            _ => {
                return Err(ApiError::invalid(
                    "limit",
                    format!("Invalid 'limit': '{text}'. Expected an integer between 0 and 100."),
                ));
            }
        },
    };
    let descending = match query.order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            return Err(ApiError::invalid(
                "order",
                format!("Invalid 'order': '{other}'. Supported values are: asc, desc."),
            )
            .code("invalid_value"));
        }
    };
    let now = unix_now_ms();
    let store = state.store();
    let mut ids: Vec<String> = store.order.clone();
    if descending {
        ids.reverse();
    }
    let start = match &query.after {
        None => 0,
        Some(after) => ids
            .iter()
            .position(|id| id == after)
            .map(|i| i + 1)
            .ok_or_else(|| ApiError::not_found("after", "video", after))?,
    };
    let page: Vec<String> = ids.iter().skip(start).take(limit).cloned().collect();
    let has_more = start + page.len() < ids.len();
    let data: Vec<Video> = page.iter().filter_map(|id| store.jobs.get(id).map(|job| job.observe(now))).collect();
    drop(store);
    let body = json!({
        "object": "list",
        "data": data,
        "first_id": data.first().map(|v| v.id.clone()),
        "last_id": data.last().map(|v| v.id.clone()),
        "has_more": has_more,
    });
    Ok(Json(body).into_response())
}

/// `GET /videos/{video_id}`.
pub(crate) async fn retrieve(
    State(state): State<AppState>,
    Path(video_id): Path<String>,
) -> Result<Response, ApiError> {
    let (video, _) = state.find_job(&video_id)?;
    Ok(json_video(video, state.poll_hint()))
}

/// `DELETE /videos/{video_id}`: only finished jobs.
pub(crate) async fn delete(State(state): State<AppState>, Path(video_id): Path<String>) -> Result<Response, ApiError> {
    let (video, _) = state.find_job(&video_id)?;
    if !matches!(video.status, Some(VideoStatus::Completed | VideoStatus::Failed)) {
        return Err(ApiError::invalid(
            "video_id",
            format!(
                "Video '{video_id}' has status {}; only completed or failed videos can be deleted.",
                status_text(&video)
            ),
        ));
    }
    if !state.store().delete(&video_id).map_err(|e| ApiError::storage(&e))? {
        // Another process deleted it meanwhile.
        return Err(ApiError::not_found("video_id", "video", &video_id));
    }
    let _ = tokio::fs::remove_dir_all(state.state_dir.join(&video_id)).await;
    Ok(Json(json!({"id": video_id, "object": "video.deleted", "deleted": true})).into_response())
}

/// `POST /videos/{video_id}/remix`: a completed video under a new prompt.
pub(crate) async fn remix(
    State(state): State<AppState>,
    Path(video_id): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let form = Form::read(request, &state.config).await?;
    let prompt = input::prompt(&form)?;
    let (source, _) = state.completed_source(&video_id, "video_id")?;
    let seconds = source.seconds.as_ref().and_then(VideoSeconds::as_secs).unwrap_or(4);
    let segments = vec![(format!("{}\u{0}remix:{prompt}", source.prompt.clone().unwrap_or_default()), seconds)];
    let (model, size) = (source.model.unwrap_or(VideoModel::Sora2), source.size.unwrap_or(VideoSize::Portrait720x1280));
    let job = NewJob { model, size, seconds, prompt, remixed_from: Some(video_id), segments };
    state.start("POST /videos/remix", &headers, job)
}

/// The largest side, frame area and length of an uploaded video: the API's
/// own largest size (1792x1024 either way) and a minute. Checked from the
/// header, before a frame is decoded or rendered: a header may claim
/// 65534x65534 or an hour of 4K.
const MAX_UPLOAD_SIDE: u32 = 1920;
const MAX_UPLOAD_PIXELS: u32 = 1920 * 1080;
const MAX_UPLOAD_MS: u64 = 60_000;

fn check_upload_limits(probe: &render::Probe) -> Result<(), ApiError> {
    let (width, height) = (u32::from(probe.width), u32::from(probe.height));
    if width == 0 || height == 0 || width.max(height) > MAX_UPLOAD_SIDE || width * height > MAX_UPLOAD_PIXELS {
        let message = format!(
            "The uploaded video is {width}x{height}; the largest size accepted is 1920x1080 or 1080x1920 \
             (at most {MAX_UPLOAD_SIDE} pixels a side, {MAX_UPLOAD_PIXELS} a frame)."
        );
        return Err(ApiError::invalid("video", message));
    }
    if probe.duration_ms > MAX_UPLOAD_MS {
        let message = format!("The uploaded video lasts {} ms; at most 60 seconds are accepted.", probe.duration_ms);
        return Err(ApiError::invalid("video", message));
    }
    Ok(())
}

/// What an edit or extension starts from.
struct Source {
    model: VideoModel,
    size: VideoSize,
    seconds: u32,
    /// The prompts it was made of, each with its length in seconds.
    segments: Vec<(String, u32)>,
}

/// The source of an edit or extension: a completed job by id, or an uploaded video.
fn source(state: &Shared, form: &Form) -> Result<Source, ApiError> {
    match form.file_or_object("video")? {
        None => Err(ApiError::invalid("video", "Missing required parameter: 'video'.")),
        Some(FileOrObject::Object(object)) => {
            let id = object
                .get("id")
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .ok_or_else(|| ApiError::invalid("video", "Invalid 'video': expected an object with an 'id'."))?;
            let (video, job) = state.completed_source(id, "video")?;
            let seconds = video.seconds.as_ref().and_then(VideoSeconds::as_secs).unwrap_or(4);
            let model = video.model.unwrap_or(VideoModel::Sora2);
            let size = video.size.unwrap_or(VideoSize::Portrait720x1280);
            Ok(Source { model, size, seconds, segments: job.segments })
        }
        Some(FileOrObject::File(bytes)) => {
            let probe = render::probe(&bytes)
                .map_err(|e| ApiError::invalid("video", format!("Could not read the uploaded video: {e}.")))?;
            check_upload_limits(&probe)?;
            let seconds = u32::try_from(probe.duration_ms.div_ceil(1000)).unwrap_or(4).clamp(1, 60);
            let size = VideoSize::from_dimensions(u32::from(probe.width), u32::from(probe.height));
            let scene = format!("upload:{:016x}", crate::render::frames::hash_bytes(&bytes));
            Ok(Source { model: VideoModel::Sora2, size, seconds, segments: vec![(scene, seconds)] })
        }
    }
}

/// `POST /videos/edits`.
pub(crate) async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let form = Form::read(request, &state.config).await?;
    let prompt = input::prompt(&form)?;
    let Source { model, size, seconds, segments } = source(&state, &form)?;
    let scene: String = segments.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join("\u{0}");
    let segments = vec![(format!("{scene}\u{0}edit:{prompt}"), seconds)];
    state.start("POST /videos/edits", &headers, NewJob { model, size, seconds, prompt, remixed_from: None, segments })
}

/// `POST /videos/extensions`: the source followed by a new segment; `seconds` is the stitched total.
pub(crate) async fn extend(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let form = Form::read(request, &state.config).await?;
    let prompt = input::prompt(&form)?;
    let extra = input::extension_seconds(&form)?;
    let Source { model, size, seconds, mut segments } = source(&state, &form)?;
    segments.push((prompt.clone(), extra));
    let job = NewJob { model, size, seconds: seconds + extra, prompt, remixed_from: None, segments };
    state.start("POST /videos/extensions", &headers, job)
}
