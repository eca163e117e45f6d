//! The preview images: a WebP thumbnail and a JPEG grid of frames.

/// RGB pixels as a lossless WebP.
pub(super) fn webp(rgb: &[u8], width: usize, height: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(rgb, width as u32, height as u32, image_webp::ColorType::Rgb8)
        .map_err(|e| format!("encode thumbnail: {e}"))?;
    Ok(out)
}

/// Frames (RGB, all the same size) laid out in a grid of `columns`, as a JPEG.
pub(super) fn spritesheet(frames: &[(Vec<u8>, usize, usize)], columns: usize) -> Result<Vec<u8>, String> {
    let Some((_, w, h)) = frames.first() else { return Err("no frames for the spritesheet".into()) };
    let (w, h) = (*w, *h);
    let columns = columns.min(frames.len()).max(1);
    let rows = frames.len().div_ceil(columns);
    let (sheet_w, sheet_h) = (w * columns, h * rows);
    let mut sheet = vec![0u8; sheet_w * sheet_h * 3];
    for (i, (rgb, _, _)) in frames.iter().enumerate() {
        let (ox, oy) = ((i % columns) * w, (i / columns) * h);
        for row in 0..h {
            let dst = ((oy + row) * sheet_w + ox) * 3;
            sheet[dst..dst + w * 3].copy_from_slice(&rgb[row * w * 3..(row + 1) * w * 3]);
        }
    }
    let mut out = Vec::new();
    let (sw, sh) = (
        u16::try_from(sheet_w).map_err(|_| "spritesheet too wide")?,
        u16::try_from(sheet_h).map_err(|_| "spritesheet too tall")?,
    );
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&sheet, sw, sh, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("encode spritesheet: {e}"))?;
    Ok(out)
}
