//! Streaming a download: to any `Write`, or atomically to a file. The core's
//! [`MediaBody`] judges every piece; this file only moves them.

use std::io::{Read, Write};
use std::path::Path;

use videos_core::{Error, FileError, MediaBody, PartialFile, TransportError, TransportFailure};

use crate::send::{BodyReader, io_transport};

/// A download whose head arrived and whose body is still to be read.
/// Nothing is buffered beyond one read buffer.
pub struct Download {
    pub(crate) media: MediaBody,
    body: Option<BodyReader>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("media", &self.media).finish_non_exhaustive()
    }
}

/// The read buffer of a download.
const BUFFER: usize = 256 * 1024;

impl Download {
    pub(crate) fn new(media: MediaBody, body: Option<BodyReader>) -> Self {
        Self { media, body }
    }

    /// Reads into `buf`; `Ok(0)` at the end, once the core has checked that the body was whole.
    fn read_some(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        let Some(body) = self.body.as_mut() else {
            return Err(TransportError::new(TransportFailure::Other, "the body was already read").into());
        };
        let n = body.read(buf).map_err(io_transport)?;
        if n > 0 {
            self.media.handle_chunk(&buf[..n])?;
        } else if !buf.is_empty() {
            self.body = None;
            self.media.handle_end()?;
        }
        Ok(n)
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
        let total = self.media.content_length();
        loop {
            let n = self.read_some(&mut buf)?;
            if n == 0 {
                break;
            }
            writer.write_all(&buf[..n]).map_err(|e| FileError::new(target, "write download to", e))?;
            progress(self.media.received(), total);
        }
        writer.flush().map_err(|e| FileError::new(target, "flush download to", e))?;
        Ok(self.media.received())
    }

    /// Writes the body to `path` through a temporary file beside it: the
    /// target is replaced only once the body is whole (and synced to the
    /// disk, unless [`videos_core::Config::download_durability`] says
    /// otherwise), so an interrupted download never leaves a partial file there.
    pub fn save(self, path: impl AsRef<Path>, progress: impl FnMut(u64, Option<u64>)) -> Result<u64, Error> {
        let path = path.as_ref();
        let (partial, mut file) = PartialFile::create(path, videos_core::io::random::u64())?;
        let temp = partial.temp_path().to_path_buf();
        let durability = self.media.durability();
        let written = self.copy(&mut file, &temp, progress)?;
        partial.commit(file, durability)?;
        Ok(written)
    }
}

impl Read for Download {
    /// Reads the body; its end is checked against its announced length.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read_some(buf).map_err(std::io::Error::other)
    }
}
