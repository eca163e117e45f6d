//! Streaming a download: to any `Write`, or atomically to a file.

use std::io::{Read, Write};
use std::path::Path;

use videos_core::{ContentHead, Error, FileError, PartialFile};

use crate::send::io_transport;

/// A download whose head arrived and whose body is still to be read.
/// Nothing is buffered beyond one read buffer.
pub struct Download {
    head: ContentHead,
    body: ureq::BodyReader<'static>,
    received: u64,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("head", &self.head).field("received", &self.received).finish_non_exhaustive()
    }
}

/// The read buffer of a download.
const BUFFER: usize = 256 * 1024;

impl Download {
    pub(crate) fn new(head: ContentHead, body: ureq::Body) -> Self {
        // No limit: a video is as long as it is, and it is streamed, never held.
        let body = body.into_with_config().limit(u64::MAX).reader();
        Self { head, body, received: 0 }
    }

    /// The media type, such as `video/mp4`.
    pub fn content_type(&self) -> Option<&str> {
        self.head.content_type.as_deref()
    }

    /// The announced length in bytes, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.head.content_length
    }

    /// The service's request id.
    pub fn request_id(&self) -> Option<&str> {
        self.head.request_id.as_deref()
    }

    /// Copies the whole body into `writer`, calling `progress(received, total)`
    /// after each buffer; returns the byte count.
    pub fn write_to(self, writer: &mut impl Write, progress: impl FnMut(u64, Option<u64>)) -> Result<u64, Error> {
        self.copy(writer, Path::new("<writer>"), progress)
    }

    /// [`Download::write_to`], naming the destination `target` in errors.
    fn copy(
        mut self,
        writer: &mut impl Write,
        target: &Path,
        mut progress: impl FnMut(u64, Option<u64>),
    ) -> Result<u64, Error> {
        let mut buf = vec![0; BUFFER];
        loop {
            let n = self.body.read(&mut buf).map_err(io_transport)?;
            if n == 0 {
                break;
            }
            writer.write_all(&buf[..n]).map_err(|e| FileError::new(target, "write download to", e))?;
            self.received += n as u64;
            progress(self.received, self.head.content_length);
        }
        self.head.check_complete(self.received)?;
        writer.flush().map_err(|e| FileError::new(target, "flush download to", e))?;
        Ok(self.received)
    }

    /// Writes the body to `path` through a temporary file beside it: the
    /// target is replaced only once the body is whole and synced, so an
    /// interrupted download never leaves a partial file there.
    pub fn save(self, path: &Path, progress: impl FnMut(u64, Option<u64>)) -> Result<u64, Error> {
        let (partial, mut file) = PartialFile::create(path, fastrand::u64(..))?;
        let temp = partial.temp_path().to_path_buf();
        let written = self.copy(&mut file, &temp, progress)?;
        partial.commit(file)?;
        Ok(written)
    }
}

impl Read for Download {
    /// Reads the body; the end of the body is checked against its announced length.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.body.read(buf)?;
        self.received += n as u64;
        if n == 0 && !buf.is_empty() {
            self.head.check_complete(self.received).map_err(std::io::Error::other)?;
        }
        Ok(n)
    }
}
