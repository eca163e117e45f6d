//! Streaming a download: to any `AsyncWrite`, or atomically to a file. The
//! core's [`MediaBody`] judges every piece; this file only moves them.

use std::path::Path;

use bytes::Bytes;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use videos_core::{Error, FileError, MediaBody, PartialFile, TransportError, TransportFailure};

use crate::send::{Timer, read_chunk};

/// A download whose head arrived and whose body is still to be read.
/// Nothing is buffered beyond one network chunk.
#[derive(Debug)]
pub struct Download {
    pub(crate) media: MediaBody,
    response: Option<reqwest::Response>,
    timer: Timer,
}

impl Download {
    pub(crate) fn new(media: MediaBody, response: Option<reqwest::Response>) -> Self {
        Self { media, response, timer: Timer::default() }
    }

    /// The next piece of the body; `None` at the end, once the core has
    /// checked that the body was whole.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        let Some(response) = self.response.as_mut() else {
            return Err(TransportError::new(TransportFailure::Other, "the body was already read").into());
        };
        let now = std::time::Instant::now();
        match read_chunk(&mut self.timer, now, response, self.media.read_timeout()).await? {
            Some(chunk) => {
                self.media.handle_chunk(&chunk)?;
                Ok(Some(chunk))
            }
            None => {
                self.response = None;
                self.media.handle_end()?;
                Ok(None)
            }
        }
    }

    /// Copies the whole body into `writer`, calling `progress(received, total)`
    /// after each chunk; returns the byte count.
    pub async fn write_to<W: AsyncWrite + Unpin>(
        self,
        writer: &mut W,
        progress: impl FnMut(u64, Option<u64>),
    ) -> Result<u64, Error> {
        self.copy(writer, Path::new("<writer>"), progress).await
    }

    /// [`Download::write_to`], naming the destination `target` in errors.
    async fn copy<W: AsyncWrite + Unpin>(
        mut self,
        writer: &mut W,
        target: &Path,
        mut progress: impl FnMut(u64, Option<u64>),
    ) -> Result<u64, Error> {
        let total = self.media.content_length();
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(|e| FileError::new(target, "write download to", e))?;
            progress(self.media.received(), total);
        }
        writer.flush().await.map_err(|e| FileError::new(target, "flush download to", e))?;
        Ok(self.media.received())
    }

    /// Writes the body to `path` through a temporary file beside it: the
    /// target is replaced only once the body is whole (and synced to the
    /// disk, unless [`videos_core::Config::download_durability`] says
    /// otherwise), so an interrupted download never leaves a partial file there.
    pub async fn save(self, path: impl AsRef<Path>, progress: impl FnMut(u64, Option<u64>)) -> Result<u64, Error> {
        let path = path.as_ref();
        let (partial, file) = PartialFile::create(path, videos_core::io::random::u64())?;
        let temp = partial.temp_path().to_path_buf();
        let durability = self.media.durability();
        let mut file = tokio::fs::File::from_std(file);
        let written = self.copy(&mut file, &temp, progress).await?;
        let file = file.into_std().await;
        tokio::task::spawn_blocking(move || partial.commit(file, durability))
            .await
            .map_err(|e| FileError::new(path, "finish download at", std::io::Error::other(e)))??;
        Ok(written)
    }
}
