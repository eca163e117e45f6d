//! Our `multipart/form-data` encoder.
//!
//! A body is a list of [`Segment`]s: framing and text fields as bytes, and
//! files as *descriptions* (path and length). A transport writes the bytes
//! and streams each file from disk, so a multi-gigabyte upload needs no more
//! memory than one read buffer, and the total length is known up front for
//! `Content-Length`.

use std::path::{Path, PathBuf};

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Error, InvalidInput};

/// A file to upload, described rather than loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    path: PathBuf,
    file_name: String,
    content_type: String,
    len: u64,
}

impl FilePart {
    /// Describes the file at `path`, `len` bytes long, without touching the disk.
    /// The file name and content type come from the path (see [`content_type_for`]).
    pub fn new(path: impl Into<PathBuf>, len: u64) -> Self {
        let path = path.into();
        let file_name = path.file_name().map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned());
        let content_type = content_type_for(&path).to_owned();
        Self { path, file_name, content_type, len }
    }

    /// Describes the file at `path` after checking that it can be opened and
    /// is a regular file; its length is read from the file system
    /// ([`crate::io::upload_len`]), and no content.
    pub fn from_path(path: impl Into<PathBuf>) -> Result<Self, Error> {
        let path = path.into();
        let len = crate::io::upload_len(&path)?;
        Ok(Self::new(path, len))
    }

    /// Sends a different file name.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Sends a different content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Where the content is read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name sent in `Content-Disposition`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The part's `Content-Type`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The length in bytes; a transport must send exactly this many.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The content type for a file name's extension: the image and video types
/// the service accepts, else `application/octet-stream`.
pub fn content_type_for(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// One piece of a multipart body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Bytes to send as they are.
    Bytes(Bytes),
    /// The whole content of a file.
    File(FilePart),
}

/// An encoded `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart {
    boundary: String,
    segments: Vec<Segment>,
    len: u64,
}

impl Multipart {
    /// Starts a body with `boundary` (1 to 70 letters, digits, `-`, `_` or `.`).
    pub fn builder(boundary: &str) -> Result<MultipartBuilder, InvalidInput> {
        let valid = (1..=70).contains(&boundary.len())
            && boundary.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !valid {
            return Err(InvalidInput::new("boundary", "must be 1 to 70 letters, digits, '-', '_' or '.'"));
        }
        Ok(MultipartBuilder { boundary: boundary.to_owned(), segments: Vec::new(), pending: BytesMut::new() })
    }

    /// The boundary between parts.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The `Content-Type` header value, boundary included.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The exact length of the body, files included.
    pub fn content_length(&self) -> u64 {
        self.len
    }

    /// The body, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The files the body includes, in order.
    pub fn files(&self) -> impl Iterator<Item = &FilePart> {
        self.segments.iter().filter_map(|s| match s {
            Segment::File(f) => Some(f),
            Segment::Bytes(_) => None,
        })
    }
}

/// Adds parts to a [`Multipart`] body.
#[derive(Debug)]
pub struct MultipartBuilder {
    boundary: String,
    segments: Vec<Segment>,
    pending: BytesMut,
}

impl MultipartBuilder {
    fn open_part(&mut self, name: &str) {
        self.pending.put_slice(b"--");
        self.pending.put_slice(self.boundary.as_bytes());
        self.pending.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
        put_escaped(&mut self.pending, name);
        self.pending.put_u8(b'"');
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.open_part(name);
        self.pending.put_slice(b"\r\n\r\n");
        self.pending.put_slice(value.as_bytes());
        self.pending.put_slice(b"\r\n");
        self
    }

    /// Adds a file field.
    pub fn file(mut self, name: &str, file: FilePart) -> Self {
        self.open_part(name);
        self.pending.put_slice(b"; filename=\"");
        put_escaped(&mut self.pending, file.file_name());
        self.pending.put_slice(b"\"\r\nContent-Type: ");
        // A content type with CR or LF would split the header; fall back to the neutral type.
        let ct = file.content_type();
        let ct = if ct.bytes().any(|b| b == b'\r' || b == b'\n') { "application/octet-stream" } else { ct };
        self.pending.put_slice(ct.as_bytes());
        self.pending.put_slice(b"\r\n\r\n");
        self.flush();
        self.segments.push(Segment::File(file));
        self.pending.put_slice(b"\r\n");
        self
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.segments.push(Segment::Bytes(self.pending.split().freeze()));
        }
    }

    /// Closes the body.
    pub fn finish(mut self) -> Multipart {
        self.pending.put_slice(b"--");
        self.pending.put_slice(self.boundary.as_bytes());
        self.pending.put_slice(b"--\r\n");
        self.flush();
        let len = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Bytes(b) => b.len() as u64,
                Segment::File(f) => f.len(),
            })
            .sum();
        Multipart { boundary: self.boundary, segments: self.segments, len }
    }
}

/// Writes a field or file name as the HTML standard does for form data:
/// `"`, CR and LF percent-encoded, so a name cannot end the header.
fn put_escaped(out: &mut BytesMut, value: &str) {
    for byte in value.bytes() {
        match byte {
            b'"' => out.put_slice(b"%22"),
            b'\r' => out.put_slice(b"%0D"),
            b'\n' => out.put_slice(b"%0A"),
            other => out.put_u8(other),
        }
    }
}
