//! Turning the core's request body into a reqwest body, streaming file parts
//! from disk in fixed-size chunks.

use std::io;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::io::AsyncReadExt;
use videos_core::{Body, FilePart, Segment};

/// How much of an upload is held in memory at a time.
const CHUNK: usize = 256 * 1024;

/// The reqwest body for `body`. Files are opened when the body is sent, so a
/// retry reads them again from the start.
pub(crate) fn to_reqwest(body: &Body) -> reqwest::Body {
    match body {
        Body::Empty => reqwest::Body::from(Bytes::new()),
        Body::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
        Body::Multipart(form) => {
            let segments: Vec<Segment> = form.segments().to_vec();
            reqwest::Body::wrap_stream(stream::iter(segments).flat_map(segment_stream))
        }
    }
}

fn segment_stream(segment: Segment) -> std::pin::Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>> {
    match segment {
        Segment::Bytes(bytes) => Box::pin(stream::once(async move { Ok(bytes) })),
        Segment::File(file) => Box::pin(file_stream(file)),
    }
}

struct FileRead {
    part: FilePart,
    file: Option<tokio::fs::File>,
    sent: u64,
}

/// The content of `part`, exactly `part.len()` bytes: a file that shrank or
/// grew since it was described fails the upload rather than sending a body
/// that disagrees with its `Content-Length`.
fn file_stream(part: FilePart) -> impl Stream<Item = io::Result<Bytes>> + Send {
    stream::try_unfold(FileRead { part, file: None, sent: 0 }, |mut state| async move {
        let file = match &mut state.file {
            Some(file) => file,
            None => state.file.insert(tokio::fs::File::open(state.part.path()).await?),
        };
        let mut buf = BytesMut::zeroed(CHUNK);
        let n = file.read(&mut buf).await?;
        let remaining = state.part.len() - state.sent;
        if n == 0 {
            if remaining == 0 {
                return Ok(None);
            }
            let msg = format!(
                "{} shrank while uploading: {} of {} bytes",
                state.part.path().display(),
                state.sent,
                state.part.len()
            );
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, msg));
        }
        if n as u64 > remaining {
            let msg = format!("{} grew while uploading past {} bytes", state.part.path().display(), state.part.len());
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
        }
        state.sent += n as u64;
        buf.truncate(n);
        Ok(Some((buf.freeze(), state)))
    })
}
