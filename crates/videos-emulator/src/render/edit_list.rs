//! The one thing the muxer cannot write: an edit list.
//!
//! An AAC track starts with the encoder's priming samples, and it outlasts
//! the picture by up to a frame of sound; players follow the track's edit
//! list (`edts`/`elst`) to skip the one and cut the other. The `mp4` crate
//! writes no edit lists, and replacing its muxer (with `mp4-atom`, which
//! does) would mean writing every sample table ourselves. So the muxer's
//! `moov`, the file's last box and a few kilobytes, is copied once, box by
//! box: the durations in `mvhd` and each `tkhd` are set to the picture's, and
//! the sound track gets its edit list right after its `tkhd`. Nothing before
//! `moov` moves, so the chunk offsets stay right.

/// Rewrites the file's `moov` so that the movie and every track last
/// `duration` (in the movie's timescale), and track `track_id` plays its
/// media from `media_time` (in that track's timescale) for that long.
pub(super) fn set_edit_list(file: &mut Vec<u8>, duration: u32, track_id: u32, media_time: u32) -> Result<(), String> {
    let Some((_, moov)) = children(file, 0)?.last().copied().filter(|(kind, _)| kind == b"moov") else {
        return Err("edit list: the muxer did not end the file with its moov".to_owned());
    };
    let start = file.len() - moov.len();
    let moov = file.split_off(start);
    let mut out = Vec::with_capacity(moov.len() + 36);
    put_box(&mut out, b"moov", |out| {
        for (kind, child) in children(&moov, 8)? {
            match &kind {
                b"mvhd" => out.extend_from_slice(&with_duration(child, 24, duration)?),
                b"trak" => put_box(out, b"trak", |out| {
                    for (kind, part) in children(child, 8)? {
                        match &kind {
                            b"tkhd" => {
                                out.extend_from_slice(&with_duration(part, 28, duration)?);
                                if read_u32(part, 20)? == track_id {
                                    put_edit_list(out, duration, media_time)?;
                                }
                            }
                            // The muxer writes none; were it to, ours replaces it.
                            b"edts" => {}
                            _ => out.extend_from_slice(part),
                        }
                    }
                    Ok(())
                })?,
                _ => out.extend_from_slice(child),
            }
        }
        Ok(())
    })?;
    file.extend_from_slice(&out);
    Ok(())
}

/// A copy of a version-0 `mvhd` or `tkhd` with `duration` as its 32-bit
/// duration, at `at` (after size, type, version, flags and the fields before it).
fn with_duration(header: &[u8], at: usize, duration: u32) -> Result<Vec<u8>, String> {
    if header.get(8) != Some(&0) || header.len() < at + 4 {
        return Err("edit list: a movie or track header that is not version 0".to_owned());
    }
    let mut header = header.to_vec();
    header[at..at + 4].copy_from_slice(&duration.to_be_bytes());
    Ok(header)
}

/// `edts` holding one version-0 `elst` entry: `duration` of the media from `media_time`, at normal rate.
fn put_edit_list(out: &mut Vec<u8>, duration: u32, media_time: u32) -> Result<(), String> {
    put_box(out, b"edts", |out| {
        put_box(out, b"elst", |out| {
            out.extend_from_slice(&[0, 0, 0, 0]); // version 0, no flags
            out.extend_from_slice(&1u32.to_be_bytes()); // one entry
            out.extend_from_slice(&duration.to_be_bytes());
            out.extend_from_slice(&media_time.to_be_bytes());
            out.extend_from_slice(&[0, 1, 0, 0]); // rate 1.0
            Ok(())
        })
    })
}

/// Writes a box of `kind` whose body `body` writes, with its size filled in after.
fn put_box(
    out: &mut Vec<u8>,
    kind: &[u8; 4],
    body: impl FnOnce(&mut Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(kind);
    body(out)?;
    let size = u32::try_from(out.len() - start).map_err(|_| "edit list: a box over 4 GiB")?;
    out[start..start + 4].copy_from_slice(&size.to_be_bytes());
    Ok(())
}

/// A box's type and its bytes, header included.
type Child<'a> = ([u8; 4], &'a [u8]);

/// The boxes in `bytes` from offset `from` on (8 to skip a parent's own
/// header, 0 for a file's top level), each whole. A 64-bit size is read; a
/// box that runs past the end is an error.
fn children(bytes: &[u8], from: usize) -> Result<Vec<Child<'_>>, String> {
    let mut boxes = Vec::new();
    let mut at = from;
    while at < bytes.len() {
        let size = match read_u32(bytes, at)? {
            1 => {
                let word = bytes.get(at + 8..at + 16).ok_or("edit list: a box ends early")?;
                usize::try_from(u64::from_be_bytes(word.try_into().map_err(|_| "edit list: a box ends early")?))
                    .map_err(|_| "edit list: a box larger than memory")?
            }
            n => n as usize,
        };
        let whole = at.checked_add(size).filter(|end| size >= 8 && *end <= bytes.len());
        let (Some(end), Some(kind)) = (whole, bytes.get(at + 4..at + 8)) else {
            return Err("edit list: a box runs past its parent".to_owned());
        };
        boxes.push((kind.try_into().map_err(|_| "edit list: a short box type")?, &bytes[at..end]));
        at = end;
    }
    Ok(boxes)
}

fn read_u32(bytes: &[u8], at: usize) -> Result<u32, String> {
    let word = bytes.get(at..at + 4).ok_or("edit list: a box ends early")?;
    Ok(u32::from_be_bytes(word.try_into().map_err(|_| "edit list: a box ends early")?))
}
