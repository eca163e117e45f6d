//! Frames made from a prompt: a scene whose colours, shapes and motion are
//! all drawn from a hash of the prompt, so the same prompt always gives the
//! same frames and different prompts visibly different ones.
//!
//! Frames are produced directly in YUV 4:2:0, the encoder's input, so no
//! colour conversion is spent on the way.

/// FNV-1a, 64 bits: stable across platforms and releases, unlike `DefaultHasher`.
pub fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// [`hash`] of any bytes: an upload is hashed as it is, so two files that
/// differ only in bytes that are not UTF-8 still seed different scenes.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A moving disc.
#[derive(Debug, Clone, Copy)]
struct Disc {
    /// Start position, as a fraction of the frame.
    x: f32,
    y: f32,
    /// Velocity, in frames per second of the clip.
    dx: f32,
    dy: f32,
    radius: f32,
    yuv: (u8, u8, u8),
}

/// Everything that decides how a prompt looks.
#[derive(Debug, Clone)]
pub struct Scene {
    top: (u8, u8, u8),
    bottom: (u8, u8, u8),
    discs: Vec<Disc>,
    stripes: u32,
}

struct Bits(u64);

impl Bits {
    fn next(&mut self) -> u64 {
        // splitmix64: spreads one hash into as many well-mixed numbers as needed.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn byte(&mut self, lo: u8, hi: u8) -> u8 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u8
    }
    fn colour(&mut self) -> (u8, u8, u8) {
        (self.byte(40, 220), self.byte(40, 215), self.byte(40, 215))
    }
}

impl Scene {
    /// The scene for `prompt`.
    pub fn new(prompt: &str) -> Self {
        let mut bits = Bits(hash(prompt));
        // The first disc is a ball that moves; the others stay put. Every
        // moving edge costs raw macroblocks in the H.264 writer, so one
        // small ball keeps a clip near the size a real service sends.
        let discs = (0..3 + bits.next() % 3)
            .map(|n| {
                let moving = n == 0;
                Disc {
                    x: bits.unit(),
                    y: bits.unit(),
                    dx: if moving { (bits.unit() - 0.5) * 0.8 } else { 0.0 },
                    dy: if moving { (bits.unit() - 0.5) * 0.8 } else { 0.0 },
                    radius: if moving { 0.03 + bits.unit() * 0.03 } else { 0.05 + bits.unit() * 0.12 },
                    yuv: bits.colour(),
                }
            })
            .collect();
        Scene { top: bits.colour(), bottom: bits.colour(), discs, stripes: 2 + (bits.next() % 6) as u32 }
    }
}

/// What stays still in every frame of `scene`: the background and every
/// disc but the ball, in planar YUV 4:2:0 (`width * height * 3 / 2` bytes).
pub fn backdrop(scene: &Scene, width: usize, height: usize) -> Vec<u8> {
    let (w2, h2) = (width / 2, height / 2);
    let mut out = vec![0; width * height + 2 * w2 * h2];
    let (luma, chroma) = out.split_at_mut(width * height);
    let (u_plane, v_plane) = chroma.split_at_mut(w2 * h2);

    let lerp = |a: u8, b: u8, f: f32| (f32::from(a) + (f32::from(b) - f32::from(a)) * f) as u8;
    // A vertical gradient crossed by bands.
    for row in 0..height {
        let f = row as f32 / height as f32;
        let band = (row / (height / scene.stripes as usize).max(1)).is_multiple_of(2);
        let base = lerp(scene.top.0, scene.bottom.0, f);
        let y = if band { base.saturating_add(18) } else { base };
        luma[row * width..(row + 1) * width].fill(y);
    }
    for row in 0..h2 {
        let f = row as f32 / h2 as f32;
        u_plane[row * w2..(row + 1) * w2].fill(lerp(scene.top.1, scene.bottom.1, f));
        v_plane[row * w2..(row + 1) * w2].fill(lerp(scene.top.2, scene.bottom.2, f));
    }
    // In reverse, so the first of them lies on top.
    for disc in scene.discs.iter().skip(1).rev() {
        paint(disc, 0.0, width, height, &mut out);
    }
    out
}

/// Frame `t` seconds into `scene`: its `backdrop` with the ball over it.
pub fn draw(scene: &Scene, backdrop: &[u8], width: usize, height: usize, t: f32, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(backdrop);
    if let Some(ball) = scene.discs.first() {
        paint(ball, t, width, height, out);
    }
}

/// Paints `disc` where it is at `t` seconds, row by row (a frame is
/// drawn in the emulator's dev builds too, unoptimised).
fn paint(disc: &Disc, t: f32, width: usize, height: usize, yuv: &mut [u8]) {
    let (w2, h2) = (width / 2, height / 2);
    let (luma, chroma) = yuv.split_at_mut(width * height);
    let (u_plane, v_plane) = chroma.split_at_mut(w2 * h2);
    // Bounce inside the frame.
    let bounce = |p: f32| {
        let p = p.rem_euclid(2.0);
        if p > 1.0 { 2.0 - p } else { p }
    };
    let cx = bounce(disc.x + disc.dx * t) * width as f32;
    let cy = bounce(disc.y + disc.dy * t) * height as f32;
    let r = disc.radius * width.min(height) as f32;
    let (y0, y1) = (((cy - r).max(0.0)) as usize, ((cy + r) as usize).min(height));
    for row in y0..y1 {
        let dy = row as f32 - cy;
        let half = (r * r - dy * dy).max(0.0).sqrt();
        // The columns whose centre lies within the disc.
        let x0 = (cx - half).ceil().max(0.0) as usize;
        let x1 = ((cx + half).floor() + 1.0).clamp(0.0, width as f32) as usize;
        if x0 >= x1 {
            continue;
        }
        luma[row * width + x0..row * width + x1].fill(disc.yuv.0);
        if row % 2 == 0 {
            let (c0, c1) = (x0.div_ceil(2), x1.div_ceil(2).min(w2));
            if c0 < c1 && row / 2 < h2 {
                u_plane[(row / 2) * w2 + c0..(row / 2) * w2 + c1].fill(disc.yuv.1);
                v_plane[(row / 2) * w2 + c0..(row / 2) * w2 + c1].fill(disc.yuv.2);
            }
        }
    }
}

/// An RGB copy of a YUV 4:2:0 frame, scaled down by `step` in each direction
/// (BT.601 full range), for the preview images.
pub fn to_rgb(yuv: &[u8], width: usize, height: usize, step: usize) -> (Vec<u8>, usize, usize) {
    let (w2, h2) = (width / 2, height / 2);
    let (luma, chroma) = yuv.split_at(width * height);
    let (u_plane, v_plane) = chroma.split_at(w2 * h2);
    let (ow, oh) = (width / step, height / step);
    let mut rgb = Vec::with_capacity(ow * oh * 3);
    for oy in 0..oh {
        for ox in 0..ow {
            let (x, y) = (ox * step, oy * step);
            let l = f32::from(luma[y * width + x]);
            let u = f32::from(u_plane[(y / 2) * w2 + x / 2]) - 128.0;
            let v = f32::from(v_plane[(y / 2) * w2 + x / 2]) - 128.0;
            let clamp = |c: f32| c.clamp(0.0, 255.0) as u8;
            rgb.extend_from_slice(&[clamp(l + 1.402 * v), clamp(l - 0.344 * u - 0.714 * v), clamp(l + 1.772 * u)]);
        }
    }
    (rgb, ow, oh)
}

#[cfg(test)]
mod hash_tests {
    use super::*;

    #[test]
    fn uploads_that_differ_only_in_non_utf8_bytes_hash_apart() {
        // Before, uploads were hashed through `from_utf8_lossy`, which reads
        // both of these as "\u{FFFD}a": different files seeded the same scene.
        let (a, b) = ([0xff, b'a'], [0xfe, b'a']);
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        assert_ne!(hash_bytes(&a), hash_bytes(&b));
        assert_eq!(hash("abc"), hash_bytes(b"abc"), "prompts hash as before");
    }
}
