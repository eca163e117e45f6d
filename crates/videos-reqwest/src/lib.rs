//! An async client for the OpenAI Videos API (Sora jobs), on reqwest and tokio.
//!
//! A thin transport over [`videos_core`]: the core builds every request,
//! parses every response and makes every protocol decision (retries,
//! polling, pagination, redirects); this crate sends bytes and sleeps.
//!
//! ```no_run
//! use videos_core::CreateVideo;
//! use videos_types::{VideoSeconds, VideoSize};
//!
//! # async fn run() -> Result<(), videos_core::Error> {
//! let client = videos_reqwest::Client::from_env()?;
//! let videos = client.videos();
//! let video = videos
//!     .create_and_poll(CreateVideo::new("A calico cat playing a piano on stage").seconds(VideoSeconds::Four).size(VideoSize::Portrait720x1280))
//!     .await?;
//! videos.download_to(&video.id, None, "cat.mp4").await?;
//! # Ok(()) }
//! ```
//!
//! Where things are: the request is **built** in the core's operations;
//! what happens to it is **decided** by the core's [`videos_core::Exchange`];
//! the bytes **move** here: `send` (private) carries out the exchange's
//! actions with reqwest, `body` streams uploads from disk, [`Download`]
//! streams media. [`Client`] holds the configuration and the connection
//! pool; [`Videos`] has one method per operation, written once in the core
//! for both clients.

mod body;
mod client;
mod download;
mod send;
#[rustfmt::skip]
mod surface;
mod tls;
mod videos;

pub use client::Client;
pub use download::Download;
pub use surface::Videos;
pub use videos_core::{self as core, Config, Error, PollOptions, RequestOptions};
pub use videos_types as types;

/// The examples of this crate's README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
