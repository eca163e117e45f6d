//! Tests of the H.264 writer. A reader of the same small subset of the
//! syntax decodes what the writer wrote, field by field as the standard
//! orders them; FFmpeg checks the files independently in `tests/ffprobe.rs`.

use super::*;

/// Reads bits back, most significant first.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u(&mut self, n: u32) -> u32 {
        (0..n).fold(0, |v, _| {
            let bit = (self.bytes[self.at / 8] >> (7 - self.at % 8)) & 1;
            self.at += 1;
            v << 1 | u32::from(bit)
        })
    }
    fn ue(&mut self) -> u32 {
        let mut zeros = 0;
        while self.u(1) == 0 {
            zeros += 1;
        }
        ((1u64 << zeros) - 1 + u64::from(self.u(zeros))) as u32
    }
    fn se(&mut self) -> i32 {
        let k = self.ue() as i32;
        if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) }
    }
    fn align(&mut self) {
        self.at = self.at.div_ceil(8) * 8;
    }
}

/// The payload of a NAL unit with its emulation-prevention bytes taken out.
fn unescape(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut zeros = 0;
    for &b in &nal[1..] {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        out.push(b);
        zeros = if b == 0 { zeros + 1 } else { 0 };
    }
    out
}

/// Decodes the writer's stream: (width, height) from the SPS, then each
/// frame cropped, in planar YUV 4:2:0.
fn decode(sps: &[u8], pps: &[u8], pictures: &[Vec<u8>]) -> ((usize, usize), Vec<Vec<u8>>) {
    assert_eq!(sps[0], 0x67, "an SPS NAL with nal_ref_idc 3");
    let sps = unescape(sps);
    let mut r = Reader { bytes: &sps, at: 0 };
    assert_eq!((r.u(8), r.u(8)), (66, 0xc0), "Constrained Baseline");
    r.u(8);
    assert_eq!(r.ue(), 0);
    let frame_num_bits = r.ue() + 4;
    assert_eq!((r.ue(), r.ue(), r.u(1)), (2, 1, 0), "POC type 2, one reference frame, no gaps");
    let (mbs_wide, mbs_high) = (r.ue() as usize + 1, r.ue() as usize + 1);
    assert_eq!((r.u(1), r.u(1)), (1, 1));
    let (mut width, mut height) = (mbs_wide * 16, mbs_high * 16);
    if r.u(1) == 1 {
        let (left, right, top, bottom) = (r.ue(), r.ue(), r.ue(), r.ue());
        assert_eq!((left, top), (0, 0));
        width -= 2 * right as usize;
        height -= 2 * bottom as usize;
    }
    assert_eq!(pps, [0x68, 0xce, 0x3c, 0x80], "the PPS's fields: ids 0, CAVLC, deblocking control on");

    let mut reference = vec![0u8; mbs_wide * mbs_high * MB_SAMPLES];
    let mut frames = Vec::new();
    for (n, picture) in pictures.iter().enumerate() {
        let idr = n == 0;
        assert_eq!(picture[0], if idr { 0x65 } else { 0x41 }, "NAL header of picture {n}");
        let rbsp = unescape(picture);
        let mut r = Reader { bytes: &rbsp, at: 0 };
        assert_eq!(r.ue(), 0, "first_mb_in_slice");
        assert_eq!(r.ue(), if idr { 7 } else { 5 }, "slice_type");
        assert_eq!(r.ue(), 0, "pps id");
        assert_eq!(r.u(frame_num_bits) as usize, n % (1 << frame_num_bits), "frame_num");
        if idr {
            assert_eq!(r.ue(), 0, "idr_pic_id");
            assert_eq!(r.u(2), 0);
        } else {
            assert_eq!(r.u(3), 0, "no override, no list change, sliding window");
        }
        assert_eq!((r.se(), r.ue()), (0, 1), "qp delta 0, deblocking off");
        let total = mbs_wide * mbs_high;
        let mut mb = 0;
        while mb < total {
            if !idr {
                mb += r.ue() as usize;
                if mb == total {
                    break;
                }
            }
            assert_eq!(r.ue(), if idr { 25 } else { 30 }, "I_PCM");
            r.align();
            let start = r.at / 8;
            reference[mb * MB_SAMPLES..(mb + 1) * MB_SAMPLES].copy_from_slice(&rbsp[start..start + MB_SAMPLES]);
            r.at += 8 * MB_SAMPLES;
            mb += 1;
        }
        assert_eq!(r.u(1), 1, "rbsp_stop_one_bit");
        r.align();
        assert_eq!(r.at / 8, rbsp.len(), "nothing after the trailing bits");
        frames.push(ungather(&reference, mbs_wide, width, height));
    }
    ((width, height), frames)
}

/// Macroblock order back to planar 4:2:0, cropped.
fn ungather(mbs: &[u8], mbs_wide: usize, width: usize, height: usize) -> Vec<u8> {
    let mut out = vec![0; width * height * 3 / 2];
    let (luma, chroma) = out.split_at_mut(width * height);
    let (cb, cr) = chroma.split_at_mut(width / 2 * (height / 2));
    for (index, mb) in mbs.chunks_exact(MB_SAMPLES).enumerate() {
        let (mx, my) = (index % mbs_wide, index / mbs_wide);
        let mut at = 0;
        for (plane, pw, ph, size) in [
            (&mut *luma, width, height, 16),
            (&mut *cb, width / 2, height / 2, 8),
            (&mut *cr, width / 2, height / 2, 8),
        ] {
            for y in 0..size {
                for x in 0..size {
                    let (px, py) = (mx * size + x, my * size + y);
                    if px < pw && py < ph {
                        plane[py * pw + px] = mb[at];
                    }
                    at += 1;
                }
            }
        }
    }
    out
}

/// A test picture: a gradient with a square at `(x, y)`; zeros in one corner.
fn picture(width: usize, height: usize, x: usize, y: usize) -> Vec<u8> {
    let mut yuv: Vec<u8> = (0..width * height * 3 / 2).map(|i| (i * 7 % 251) as u8).collect();
    for row in y..(y + 10).min(height) {
        for col in x..(x + 10).min(width) {
            yuv[row * width + col] = 200;
        }
    }
    yuv[0] = 0;
    yuv
}

fn written(width: usize, height: usize, frames: &[Vec<u8>]) -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let mut writer = H264Writer::new(width, height, 24).unwrap();
    let pictures: Vec<Vec<u8>> = frames
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let (nal, key) = writer.push(f).unwrap();
            assert_eq!(key, n == 0, "only the first picture is a key frame");
            nal
        })
        .collect();
    (writer.sps(), writer.pps(), pictures)
}

#[test]
fn exp_golomb_codes_are_the_standards() {
    let mut b = Bits::default();
    for v in [0, 1, 2, 3] {
        b.ue(v);
    }
    b.se(1);
    b.se(-1);
    // 1 010 011 00100 010 011, then the stop bit and zeros.
    assert_eq!(b.finish(), [0b1010_0110, 0b0100_0100, 0b1110_0000]);
    let mut big = Bits::default();
    big.ue(u32::MAX);
    let bytes = big.finish();
    assert_eq!(Reader { bytes: &bytes, at: 0 }.ue(), u32::MAX);
}

#[test]
fn no_start_code_appears_inside_a_nal_unit() {
    assert_eq!(nal(3, 5, &[0, 0, 1, 0, 0, 0, 0, 0, 4]), [0x65, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 0, 4]);
    assert_eq!(unescape(&nal(3, 5, &[0, 0, 1, 0, 0, 0, 0, 0, 4])), [0, 0, 1, 0, 0, 0, 0, 0, 4]);
}

#[test]
fn what_is_written_decodes_to_the_frames_given() {
    for (width, height) in [(64, 48), (100, 38), (2, 2)] {
        let frames: Vec<Vec<u8>> = (0..5).map(|i| picture(width, height, (i * 9) % width, (i * 5) % height)).collect();
        let (sps, pps, pictures) = written(width, height, &frames);
        let ((w, h), decoded) = decode(&sps, &pps, &pictures);
        assert_eq!((w, h), (width, height));
        for (n, (got, want)) in decoded.iter().zip(&frames).enumerate() {
            let want: Vec<u8> = want.iter().map(|&s| s.max(1)).collect();
            assert!(got == &want, "frame {n} of {width}x{height} decodes to what was drawn");
        }
    }
}

#[test]
fn only_changed_macroblocks_are_sent_again() {
    let (width, height) = (160, 96); // 10 x 6 macroblocks
    let still = picture(width, height, 20, 20);
    let moved = picture(width, height, 25, 20); // the square now spans macroblocks (1,1) and (2,1)
    let (_, _, pictures) = written(width, height, &[still.clone(), still, moved]);
    assert!(pictures[0].len() > 60 * MB_SAMPLES, "the key frame sends every macroblock");
    assert!(pictures[1].len() < 16, "an unchanged frame is one skip run: {} bytes", pictures[1].len());
    let sent = pictures[2].len() / MB_SAMPLES;
    assert_eq!(sent, 2, "two macroblocks changed: {} bytes", pictures[2].len());
}

#[test]
fn the_level_admits_the_frame_size_and_rate() {
    assert_eq!(level(45 * 80, 30), 31); // 720x1280 at 30
    assert_eq!(level(112 * 64, 30), 40); // 1792x1024 at 30
    assert_eq!(level(10 * 6, 24), 30);
    assert_eq!(level(139_264, 60), 52);
}

#[test]
fn frames_of_the_wrong_size_or_shape_are_refused() {
    assert!(H264Writer::new(0, 16, 24).is_err());
    assert!(H264Writer::new(15, 16, 24).is_err());
    assert!(H264Writer::new(16, 16, 0).is_err());
    let mut writer = H264Writer::new(16, 16, 24).unwrap();
    let err = writer.push(&[0; 10]).unwrap_err();
    assert!(err.contains("16x16") && err.contains("384"), "{err}");
}
