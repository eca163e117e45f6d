//! The core's only I/O: everything in `videos-core` that reads the clock,
//! draws random numbers, touches files or reads the environment is here,
//! and nowhere else (the tidy test checks). The state machines and parsers
//! take what these give as inputs ([`Now`], random bits, a file's length),
//! so every decision is testable without a clock, a disk or a network.
//!
//! The transports call these; so may your own HTTP stack:
//! - [`now`] and [`instant`]: the moment of a call, and the monotonic clock;
//! - [`random`]: idempotency keys, jitter, temporary names;
//! - [`partial_file`]: a download written whole or not at all;
//! - [`upload_len`]: an upload's length, checked before anything is sent;
//! - [`env_var`]: the environment, for [`crate::Config::from_env`].

use std::path::Path;
use std::time::{Instant, SystemTime};

use crate::error::{Error, FileError};

mod now;
pub mod partial_file;
pub mod random;

pub use now::Now;

/// The first moment of a call, from the clocks, with a fresh jitter: the
/// wall clock is read and the jitter drawn once per call, each later moment
/// comes from [`Now::later`] and [`instant`].
pub fn now() -> Now {
    Now::new(Instant::now(), SystemTime::now(), random::unit())
}

/// The monotonic clock, for the moments after a call's first.
pub fn instant() -> Instant {
    Instant::now()
}

/// An environment variable, when it is set to valid Unicode.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The length of the regular file at `path`, after checking that it can be
/// opened; no content is read.
pub fn upload_len(path: &Path) -> Result<u64, Error> {
    let file = std::fs::File::open(path).map_err(|e| FileError::new(path, "open upload", e))?;
    let meta = file.metadata().map_err(|e| FileError::new(path, "read metadata of upload", e))?;
    if !meta.is_file() {
        let err = std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
        return Err(FileError::new(path, "upload", err).into());
    }
    Ok(meta.len())
}
