//! Local inputs, checked before anything is sent: a job costs money once it
//! is created, so a missing reference file, a video path that names no
//! file, or an output that cannot be written (or would be overwritten) is
//! an error first, naming the flag at fault and what to do.

use std::path::Path;

use videos_core::{FilePart, InputReference, VideoSource};
use videos_types::{ImageInputReference, VideoSize};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// `--input-reference`: an existing file is uploaded, an http(s) or data:
/// URL is sent as `image_url`, `file-…` is a Files API id; anything else is
/// an error rather than a guess.
///
/// A local file is checked as the service checks it, from its header
/// (nothing is sent, nothing decoded): an image whose size can be read, no
/// larger than the largest frame, and of the requested `size` (the
/// service's default, 720x1280, when none is given). A mismatch would cost a
/// failed job; here it costs nothing.
pub(crate) fn reference(text: &str, size: Option<&VideoSize>) -> Result<InputReference> {
    if Path::new(text).is_file() {
        let image = imagesize::size(text)
            .map_err(|e| format!("--input-reference: could not read the size of {text:?} from its header: {e}"))?;
        let size = size.cloned().unwrap_or(VideoSize::Portrait720x1280);
        if let Some(problem) = videos_types::reference_image_problem(image.width as u64, image.height as u64, &size) {
            return Err(format!("--input-reference: {problem}").into());
        }
        return Ok(InputReference::Upload(FilePart::from_path(text)?));
    }
    if ["http://", "https://", "data:"].iter().any(|p| text.starts_with(p)) {
        return Ok(InputReference::Object(ImageInputReference::image_url(text)));
    }
    if text.starts_with("file-") {
        return Ok(InputReference::Object(ImageInputReference::file_id(text)));
    }
    Err(format!(
        "--input-reference: no file at {text:?}; give an existing image file, an http(s):// or data: URL, \
         or a Files API id (file-…)"
    )
    .into())
}

/// The VIDEO of edit and extend: an existing file is uploaded; a value that
/// looks like a path (a directory part, or a video file's extension) but
/// names no file is an error; anything else is a job id.
pub(crate) fn video_source(text: &str) -> Result<VideoSource> {
    let path = Path::new(text);
    if path.is_file() {
        return Ok(VideoSource::Upload(FilePart::from_path(text)?));
    }
    let pathlike = text.starts_with(['.', '/', '~'])
        || text.contains('\\')
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["mp4", "mov", "m4v", "webm", "mkv", "avi"].contains(&e.to_ascii_lowercase().as_str()));
    if pathlike {
        return Err(format!("VIDEO: no file at {text:?}; give an existing video file, or a job id (video_…)").into());
    }
    Ok(VideoSource::id(text))
}

/// Checks `--output` before the job is made: its directory exists and takes
/// files, and an existing file is kept unless `force`.
pub(crate) fn check_output(path: Option<&Path>, force: bool) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    if path.is_dir() {
        return Err(format!("--output: {} is a directory; give a file name", path.display()).into());
    }
    if path.exists() && !force {
        return Err(format!(
            "--output: {} exists and is kept; pass --force to replace it, or choose another name",
            path.display()
        )
        .into());
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!("--output: the directory {} does not exist; create it first", dir.display()).into());
    }
    let probe = dir.join(format!(".videos-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!("--output: cannot write in {}: {e}", dir.display()).into()),
    }
}
