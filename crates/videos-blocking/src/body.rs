//! Turning the core's request body into a ureq body: multipart bodies are a
//! `Read` over their segments that opens each file only when it gets there.

use std::fs::File;
use std::io::{self, Cursor, Read};

use ureq::SendBody;
use videos_core::{Body, Segment};

/// The ureq body for `body`. Files are opened when read, so a retry reads
/// them again from the start.
pub(crate) fn to_ureq(body: &Body) -> SendBody<'static> {
    match body {
        Body::Empty => SendBody::none(),
        Body::Bytes(bytes) => SendBody::from_owned_reader(Cursor::new(bytes.clone())),
        Body::Multipart(form) => {
            SendBody::from_owned_reader(SegmentReader { segments: form.segments().to_vec(), index: 0, current: None })
        }
    }
}

enum Current {
    Bytes(Cursor<bytes::Bytes>),
    File { file: File, left: u64, path: std::path::PathBuf },
}

struct SegmentReader {
    segments: Vec<Segment>,
    index: usize,
    current: Option<Current>,
}

impl Read for SegmentReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.current.is_none() {
                let Some(segment) = self.segments.get(self.index) else { return Ok(0) };
                self.index += 1;
                self.current = Some(match segment {
                    Segment::Bytes(b) => Current::Bytes(Cursor::new(b.clone())),
                    Segment::File(f) => {
                        Current::File { file: File::open(f.path())?, left: f.len(), path: f.path().to_path_buf() }
                    }
                });
            }
            let n = match self.current.as_mut() {
                Some(Current::Bytes(cursor)) => cursor.read(buf)?,
                Some(Current::File { file, left, path }) => {
                    // Read one byte past the declared length to notice a file that grew.
                    let want = buf.len().min(usize::try_from(*left).unwrap_or(usize::MAX).saturating_add(1));
                    let n = file.read(&mut buf[..want])?;
                    if n as u64 > *left {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{} grew while uploading", path.display()),
                        ));
                    }
                    if n == 0 && *left > 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            format!("{} shrank while uploading", path.display()),
                        ));
                    }
                    *left -= n as u64;
                    n
                }
                None => 0,
            };
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            self.current = None;
        }
    }
}
