//! Types of the OpenAI Videos API (Sora video-generation jobs).
//!
//! Everything in this crate except [`UnknownValue`] and the conveniences in
//! `ext` is generated from `openapi/videos.yaml` (the upstream's structure
//! plus this SDK's overlay) by `cargo xtask codegen`.
//!
//! Two properties hold for every type, so a response from a newer service
//! never breaks an older client:
//! - **Enums are open.** [`VideoSize`], [`VideoModel`], [`VideoStatus`] and
//!   the rest have a variant per listed value and an `Unknown` variant that
//!   keeps any other string and writes it back unchanged. They are
//!   `#[non_exhaustive]`, so new variants are not breaking either.
//! - **Objects keep unknown fields** in their `extra` map, so parsing and
//!   serializing again loses nothing.
//! - **Answers are read tolerantly**: in a [`Video`] every field but `id` is
//!   an `Option`, since gateways leave fields out or send `null`; timestamps
//!   are [`UnixTime`], whole or fractional; an enum sent as a number reads
//!   as its text.
//!
//! ```
//! use videos_types::{Video, VideoSize, VideoStatus};
//!
//! let video: Video = serde_json::from_str(r#"{
//!     "id": "video_123", "object": "video", "model": "sora-2", "status": "queued",
//!     "progress": 0, "created_at": 1712697600, "size": "2048x2048", "seconds": "8",
//!     "quality": "standard"
//! }"#).unwrap();
//! assert_eq!(video.status, Some(VideoStatus::Queued));
//! let size = video.size.as_ref().unwrap();
//! assert_eq!(size.as_str(), "2048x2048");
//! assert!(!size.is_known());
//! assert_eq!(video.extra["quality"], "standard");
//! assert_eq!(video.completed_at, None);
//! assert_eq!(VideoSize::from("720x1280"), VideoSize::Portrait720x1280);
//! ```

mod ext;
pub use ext::{LARGEST_FRAME, reference_image_problem, shown};
#[rustfmt::skip]
mod generated;
mod time;
mod unknown;

pub use generated::*;
pub use time::{MILLIS_ABOVE, UnixTime};
pub use unknown::UnknownValue;

/// The examples of this crate's README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
