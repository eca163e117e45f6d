//! Hand-written conveniences over the generated types: constructors for
//! request bodies, numeric views of sizes and durations, and the service's
//! rule for a reference image's size.

use crate::{
    ImageInputReference, VideoCreateBody, VideoEditBody, VideoExtendBody, VideoReference, VideoRemixBody, VideoSeconds,
    VideoSize,
};

impl VideoSize {
    /// Width and height in pixels, parsed from `WIDTHxHEIGHT`; also works for
    /// sizes this version does not list. `None` when the value is not of that form.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        let (width, height) = self.as_str().split_once('x')?;
        Some((width.parse().ok()?, height.parse().ok()?))
    }

    /// The size for `width` x `height`, listed or not.
    pub fn from_dimensions(width: u32, height: u32) -> Self {
        Self::from(format!("{width}x{height}"))
    }
}

/// The largest frame the API makes, either way round: 1920x1080.
pub const LARGEST_FRAME: (u32, u32) = (1920, 1080);

/// Why a reference image of `width`x`height` cannot guide a clip of `size`,
/// as the service judges it: it must be the requested size, and no larger
/// than the largest the API makes. `None` when it can. The emulator answers
/// with this message, and the CLI checks a local file with it before any
/// job is created.
pub fn reference_image_problem(width: u64, height: u64, size: &VideoSize) -> Option<String> {
    let (long, short) = (u64::from(LARGEST_FRAME.0), u64::from(LARGEST_FRAME.1));
    if width.max(height) > long || width.min(height) > short || width == 0 || height == 0 {
        return Some(format!(
            "the reference image is {width}x{height}, beyond the largest size the API makes ({long}x{short} or {short}x{long})"
        ));
    }
    match size.dimensions() {
        Some((w, h)) if (u64::from(w), u64::from(h)) != (width, height) => Some(format!(
            "the reference image is {width}x{height} but the requested size is {size}; give an image of the requested size"
        )),
        _ => None,
    }
}

impl VideoSeconds {
    /// The duration as a number of seconds; also works for values this
    /// version does not list (an extension's stitched total, such as `"24"`).
    pub fn as_secs(&self) -> Option<u32> {
        self.as_str().parse().ok()
    }

    /// The value for `secs` seconds, listed or not.
    pub fn from_secs(secs: u32) -> Self {
        Self::from(secs.to_string())
    }
}

impl ImageInputReference {
    /// A reference to an image already uploaded through the Files API.
    pub fn file_id(id: impl Into<String>) -> Self {
        Self { file_id: Some(id.into()), ..Self::default() }
    }

    /// A reference to an image by absolute URL or `data:` URL.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self { image_url: Some(url.into()), ..Self::default() }
    }
}

impl VideoReference {
    /// A reference to the completed job `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), ..Self::default() }
    }
}

impl VideoCreateBody {
    /// A body with only the prompt set; the service picks the other defaults.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self { prompt: prompt.into(), ..Self::default() }
    }
}

impl VideoRemixBody {
    /// A remix body with `prompt`.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self { prompt: prompt.into(), ..Self::default() }
    }
}

impl VideoEditBody {
    /// An edit of the completed job `video_id`.
    pub fn new(video_id: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self { video: VideoReference::new(video_id), prompt: prompt.into(), ..Self::default() }
    }
}

impl VideoExtendBody {
    /// An extension of the completed job `video_id` by a segment of `seconds`.
    pub fn new(video_id: impl Into<String>, prompt: impl Into<String>, seconds: VideoSeconds) -> Self {
        Self { video: VideoReference::new(video_id), prompt: prompt.into(), seconds, ..Self::default() }
    }
}

/// Shows an optional field in text: its value, or `-` when the answer had
/// none (gateways leave fields out or send null).
///
/// ```
/// use videos_types::{VideoStatus, shown};
/// assert_eq!(shown(&Some(VideoStatus::Queued)).to_string(), "queued");
/// assert_eq!(shown(&None::<VideoStatus>).to_string(), "-");
/// ```
pub fn shown<T: std::fmt::Display>(value: &Option<T>) -> impl std::fmt::Display + '_ {
    struct Shown<'a, T>(&'a Option<T>);
    impl<T: std::fmt::Display> std::fmt::Display for Shown<'_, T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self.0 {
                Some(value) => value.fmt(f),
                None => f.write_str("-"),
            }
        }
    }
    Shown(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_seconds_have_numeric_views() {
        assert_eq!(VideoSize::Landscape1792x1024.dimensions(), Some((1792, 1024)));
        assert_eq!(VideoSize::from("640x480").dimensions(), Some((640, 480)));
        assert_eq!(VideoSize::from("square").dimensions(), None);
        assert_eq!(VideoSize::from_dimensions(720, 1280), VideoSize::Portrait720x1280);
        assert_eq!(VideoSeconds::from_secs(12), VideoSeconds::Twelve);
        assert_eq!(VideoSeconds::from("20").as_secs(), Some(20));
        assert_eq!(VideoSeconds::from_secs(16), VideoSeconds::Sixteen);
        assert!(!VideoSeconds::from_secs(24).is_known());
    }
}
