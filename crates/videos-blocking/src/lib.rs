//! A blocking client for the OpenAI Videos API (Sora jobs), on ureq, with
//! no async runtime anywhere in its dependency tree.
//!
//! A thin transport over [`videos_core`]: the core builds every request,
//! parses every response and makes every protocol decision (retries,
//! polling, pagination, redirects); this crate sends bytes and sleeps. It
//! has the same shape as `videos-reqwest`, with iterators for streams.
//!
//! ```no_run
//! use videos_core::CreateVideo;
//!
//! let client = videos_blocking::Client::from_env()?;
//! let videos = client.videos();
//! let video = videos.create_and_poll(CreateVideo::new("A calico cat playing a piano on stage"))?;
//! videos.download_to(&video.id, None, "cat.mp4")?;
//! # Ok::<(), videos_core::Error>(())
//! ```

//! Where things are: the request is **built** in the core's operations;
//! what happens to it is **decided** by the core's [`videos_core::Exchange`];
//! the bytes **move** here: `send` (private) carries out the exchange's
//! actions with ureq, `body` streams uploads from disk, [`Download`]
//! streams media. [`Client`] holds the configuration and the agent;
//! [`Videos`] has one method per operation, written once in the core for
//! both clients.

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
pub use videos::{CreateMany, ListAll};
pub use videos_core::{self as core, Config, Error, PollOptions, RequestOptions};
pub use videos_types as types;

/// The examples of this crate's README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
