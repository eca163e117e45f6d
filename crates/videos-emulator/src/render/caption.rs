//! Text burned into every frame: the job's id, the start of its prompt and
//! a running timecode, in an 8x8 bitmap font (`font8x8`) scaled to the
//! frame, on a dark band at the bottom. A clip then tells which job made it
//! and where in it a frame sits, and so does every thumbnail and
//! spritesheet cut from its frames.

use font8x8::legacy::BASIC_LEGACY;

/// `HH:MM:SS:FF` of frame `index` at `fps`, as editors show a position.
pub fn timecode(index: u32, fps: u32) -> String {
    let fps = fps.max(1);
    let (seconds, frame) = (index / fps, index % fps);
    format!("{:02}:{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60, frame)
}

/// The glyph scale for a frame `width` pixels wide: 8 px letters up to 320
/// px, then one step per 320 px more (16 px letters on 720x1280).
fn scale(width: usize) -> usize {
    (width / 320).max(1)
}

/// How many characters fit on one line of a frame `width` pixels wide.
pub fn columns(width: usize) -> usize {
    width.saturating_sub(2 * scale(width)) / (8 * scale(width))
}

/// Draws `lines` (ASCII; anything else shows as `?`, and a line too long for
/// the frame is cut) at the bottom of a YUV 4:2:0 frame.
pub fn draw(yuv: &mut [u8], width: usize, height: usize, lines: &[&str]) {
    let s = scale(width);
    let line_height = 10 * s;
    let band = (lines.len() * line_height + 2 * s).min(height) & !1;
    let top = height - band;
    let (w2, h2) = (width / 2, height / 2);
    if yuv.len() < width * height + 2 * w2 * h2 {
        return;
    }
    let (luma, chroma) = yuv.split_at_mut(width * height);
    // A dark, colourless band, so the text reads on any scene.
    for row in top..height {
        luma[row * width..(row + 1) * width].fill(24);
    }
    for row in top / 2..h2 {
        chroma[row * w2..(row + 1) * w2].fill(128);
        chroma[w2 * h2 + row * w2..w2 * h2 + (row + 1) * w2].fill(128);
    }
    for (n, line) in lines.iter().enumerate() {
        let y0 = top + s + n * line_height;
        for (i, c) in line.chars().take(columns(width)).enumerate() {
            let glyph = BASIC_LEGACY[if c.is_ascii() && !c.is_ascii_control() { c as usize } else { '?' as usize }];
            let x0 = s + i * 8 * s;
            for (gy, bits) in glyph.iter().enumerate() {
                for gx in 0..8 {
                    if bits >> gx & 1 == 0 {
                        continue;
                    }
                    for dy in 0..s {
                        let row = y0 + gy * s + dy;
                        if row >= height {
                            continue;
                        }
                        let start = row * width + x0 + gx * s;
                        if start + s <= (row + 1) * width {
                            luma[start..start + s].fill(235);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes_count_frames_within_seconds() {
        assert_eq!(timecode(0, 24), "00:00:00:00");
        assert_eq!(timecode(23, 24), "00:00:00:23");
        assert_eq!(timecode(24 * 61 + 5, 24), "00:01:01:05");
        assert_eq!(timecode(24 * 3600, 24), "01:00:00:00");
    }

    /// The letters land where they should: an `I` is a vertical bar of
    /// bright pixels in the band, and the rest of the band stays dark.
    #[test]
    fn text_is_drawn_in_bright_pixels_on_the_band() {
        let (width, height) = (64, 48);
        let mut yuv = vec![100u8; width * height * 3 / 2];
        draw(&mut yuv, width, height, &["I"]);
        let top = height - 12;
        assert!(yuv[..top * width].iter().all(|&y| y == 100), "above the band untouched");
        let bright: Vec<(usize, usize)> = (top..height)
            .flat_map(|row| (0..width).map(move |col| (row, col)))
            .filter(|&(row, col)| yuv[row * width + col] == 235)
            .collect();
        assert!(!bright.is_empty());
        assert!(bright.iter().all(|&(_, col)| col < 9), "within the first cell: {bright:?}");
        let rows: std::collections::BTreeSet<usize> = bright.iter().map(|&(r, _)| r).collect();
        assert!(rows.len() >= 6, "a tall glyph: {rows:?}");
    }

    #[test]
    fn long_or_foreign_text_is_cut_and_replaced_not_a_panic() {
        let (width, height) = (16, 8);
        let mut yuv = vec![0u8; width * height * 3 / 2];
        draw(&mut yuv, width, height, &["ünïcödé and a very long line indeed", "two", "three"]);
        assert_eq!(columns(16), 1);
    }
}
