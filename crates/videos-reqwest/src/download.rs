//! Streaming a download: to any `AsyncWrite`, or atomically to a file.

use std::path::Path;

use bytes::Bytes;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use videos_core::{ContentHead, Error, FileError, PartialFile};

use crate::send::transport;

/// A download whose head arrived and whose body is still to be read.
/// Nothing is buffered beyond one network chunk.
#[derive(Debug)]
pub struct Download {
    head: ContentHead,
    response: reqwest::Response,
    received: u64,
}

impl Download {
    pub(crate) fn new(head: ContentHead, response: reqwest::Response) -> Self {
        Self { head, response, received: 0 }
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

    /// The next piece of the body; `None` at the end, after checking that
    /// the body was as long as announced.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match self.response.chunk().await.map_err(transport)? {
            Some(chunk) => {
                self.received += chunk.len() as u64;
                Ok(Some(chunk))
            }
            None => {
                self.head.check_complete(self.received)?;
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
        let total = self.head.content_length;
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(|e| FileError::new(target, "write download to", e))?;
            progress(self.received, total);
        }
        writer.flush().await.map_err(|e| FileError::new(target, "flush download to", e))?;
        Ok(self.received)
    }

    /// Writes the body to `path` through a temporary file beside it: the
    /// target is replaced only once the body is whole and synced, so an
    /// interrupted download never leaves a partial file there.
    pub async fn save(self, path: &Path, progress: impl FnMut(u64, Option<u64>)) -> Result<u64, Error> {
        let (partial, file) = PartialFile::create(path, fastrand::u64(..))?;
        let temp = partial.temp_path().to_path_buf();
        let mut file = tokio::fs::File::from_std(file);
        let written = self.copy(&mut file, &temp, progress).await?;
        let file = file.into_std().await;
        tokio::task::spawn_blocking(move || partial.commit(file))
            .await
            .map_err(|e| FileError::new(path, "finish download at", std::io::Error::other(e)))??;
        Ok(written)
    }
}
