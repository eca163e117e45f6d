//! Whether a media body that came without a `Content-Length` is whole,
//! judged from its own structure as it streams past, without keeping it:
//! an MP4's top-level boxes must add up exactly to its length and include
//! its `moov` and `mdat` (so a cut on a box boundary is caught too), a WebP's
//! RIFF header must state its length, a JPEG must end with its end-of-image
//! marker. A body of any other kind cannot be judged and is taken as it is.

/// What the first bytes say the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Not enough bytes yet to tell.
    Unknown,
    Mp4,
    WebP,
    Jpeg,
    /// Something else: no structure to check.
    Other,
}

/// The streaming check. Holds at most 16 bytes of the body at any time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wholeness {
    kind: Kind,
    /// The first 12 bytes, for telling the kind (and the WebP length).
    start: Vec<u8>,
    /// Bytes seen so far.
    seen: u64,
    /// MP4: where the next top-level box starts, and the part of its header seen so far.
    next_box: u64,
    header: Vec<u8>,
    /// MP4: a box said it runs to the end of the file, so nothing more can be checked.
    open_ended: bool,
    /// MP4: a box header that cannot be right (a size below its own header).
    broken: bool,
    /// MP4: whether the movie header (`moov`) and media data (`mdat`) boxes were seen.
    moov: bool,
    mdat: bool,
    /// JPEG: the last two bytes.
    tail: [u8; 2],
}

impl Wholeness {
    pub(crate) fn new() -> Self {
        Self {
            kind: Kind::Unknown,
            start: Vec::with_capacity(12),
            seen: 0,
            next_box: 0,
            header: Vec::with_capacity(16),
            open_ended: false,
            broken: false,
            moov: false,
            mdat: false,
            tail: [0; 2],
        }
    }

    pub(crate) fn feed(&mut self, mut chunk: &[u8]) {
        if self.start.len() < 12 {
            let take = chunk.len().min(12 - self.start.len());
            self.start.extend_from_slice(&chunk[..take]);
            if self.start.len() >= 12 || self.kind == Kind::Unknown {
                self.kind = sniff(&self.start);
            }
        }
        match chunk {
            [.., a, b] => self.tail = [*a, *b],
            [b] => self.tail = [self.tail[1], *b],
            [] => {}
        }
        while !chunk.is_empty() {
            let at = self.seen;
            if self.open_ended || self.broken || at + (chunk.len() as u64) <= self.next_box && self.header.is_empty() {
                self.seen += chunk.len() as u64;
                return;
            }
            if at < self.next_box {
                let skip = (self.next_box - at) as usize;
                self.seen += skip as u64;
                chunk = &chunk[skip..];
                continue;
            }
            // At a box header: collect its 8 (or 16) bytes.
            let want = if self.header.len() >= 8 && read_u32(&self.header) == 1 { 16 } else { 8 };
            let take = chunk.len().min(want - self.header.len());
            self.header.extend_from_slice(&chunk[..take]);
            self.seen += take as u64;
            chunk = &chunk[take..];
            if self.header.len() == 8 && read_u32(&self.header) == 1 {
                continue; // a 64-bit size follows
            }
            if self.header.len() < want {
                continue;
            }
            match &self.header[4..8] {
                b"moov" => self.moov = true,
                b"mdat" => self.mdat = true,
                _ => {}
            }
            let (size, header_len) = match read_u32(&self.header) {
                0 => {
                    self.open_ended = true;
                    (0, 8)
                }
                1 => (u64::from_be_bytes(self.header[8..16].try_into().unwrap_or_default()), 16),
                n => (u64::from(n), 8),
            };
            if !self.open_ended {
                if size < header_len {
                    self.broken = true;
                } else {
                    self.next_box = self.next_box.saturating_add(size);
                }
            }
            self.header.clear();
        }
    }

    /// Whether the body, now ended, is whole; `Err` says why not.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        match self.kind {
            Kind::Unknown if self.seen == 0 => Err("the body is empty"),
            Kind::Unknown | Kind::Other => Ok(()),
            Kind::Mp4 if self.broken => Err("an MP4 box header is malformed"),
            Kind::Mp4 if self.open_ended && self.moov => Ok(()),
            Kind::Mp4 if !(self.moov && self.mdat) => Err("the MP4 lacks its moov or mdat box (cut short)"),
            Kind::Mp4 if !self.header.is_empty() || self.seen != self.next_box => {
                Err("the MP4's boxes do not add up to its length (cut short)")
            }
            Kind::Mp4 => Ok(()),
            Kind::WebP => {
                let riff = u64::from(u32::from_le_bytes(self.start[4..8].try_into().unwrap_or_default()));
                if riff + 8 + (riff & 1) == self.seen || riff + 8 == self.seen {
                    Ok(())
                } else {
                    Err("the WebP's RIFF header states another length (cut short)")
                }
            }
            Kind::Jpeg if self.tail == [0xff, 0xd9] => Ok(()),
            Kind::Jpeg => Err("the JPEG has no end-of-image marker (cut short)"),
        }
    }
}

fn read_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes(bytes[..4].try_into().unwrap_or_default())
}

fn sniff(start: &[u8]) -> Kind {
    match start {
        [0xff, 0xd8, ..] => Kind::Jpeg,
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Kind::WebP,
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => Kind::Mp4,
        s if s.len() < 12 => Kind::Unknown,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(body: &[u8], piece: usize) -> Result<(), &'static str> {
        let mut w = Wholeness::new();
        for chunk in body.chunks(piece.max(1)) {
            w.feed(chunk);
        }
        w.check()
    }

    fn mp4() -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&[0, 0, 0, 16]);
        out.extend_from_slice(b"ftypisom\0\0\0\0");
        out.extend_from_slice(&[0, 0, 0, 1]);
        out.extend_from_slice(b"mdat");
        out.extend_from_slice(&(16u64 + 100).to_be_bytes());
        out.extend_from_slice(&[7; 100]);
        out.extend_from_slice(&[0, 0, 0, 8]);
        out.extend_from_slice(b"moov");
        out
    }

    #[test]
    fn a_whole_mp4_passes_in_any_pieces_and_a_cut_one_fails() {
        let whole = mp4();
        for piece in [1, 3, 7, 16, 64, 1000] {
            assert_eq!(judge(&whole, piece), Ok(()), "piece {piece}");
            for cut in [whole.len() - 1, whole.len() - 8, 20, 40] {
                assert!(judge(&whole[..cut], piece).is_err(), "cut at {cut}, piece {piece}");
            }
        }
        let mut broken = whole.clone();
        broken[3] = 4; // a box smaller than its own header
        assert!(judge(&broken, 5).is_err());
    }

    #[test]
    fn webp_and_jpeg_are_judged_by_their_own_markers() {
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&20u32.to_le_bytes());
        webp.extend_from_slice(b"WEBP");
        webp.extend_from_slice(&[0; 16]);
        assert_eq!(judge(&webp, 5), Ok(()));
        assert!(judge(&webp[..20], 5).is_err());
        let jpeg = [0xff, 0xd8, 1, 2, 3, 0xff, 0xd9];
        assert_eq!(judge(&jpeg, 1), Ok(()));
        assert!(judge(&jpeg[..5], 2).is_err());
        assert_eq!(judge(b"plain text of no known kind", 4), Ok(()));
        assert!(judge(b"", 4).is_err());
    }
}
