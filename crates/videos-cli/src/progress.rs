//! Progress bars on stderr; indicatif hides them when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use videos_types::{Video, shown};

/// A bar that follows a job's progress.
pub(crate) fn job(id: &str) -> ProgressBar {
    let bar = ProgressBar::new(100);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos:>3}% {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(crate::output::clean(id).into_owned());
    bar
}

/// Updates a job bar from a fresh state.
pub(crate) fn update(bar: &ProgressBar, video: &Video) {
    bar.set_position(video.progress.unwrap_or(0).clamp(0, 100) as u64);
    bar.set_message(crate::output::clean(&format!("{} {}", video.id, shown(&video.status))).into_owned());
}

/// A bar for a download of `total` bytes (unknown when `None`).
pub(crate) fn download(name: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_owned());
    bar
}
