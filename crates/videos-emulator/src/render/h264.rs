//! A small H.264 writer made for the emulator's pictures, in pure Rust.
//!
//! The stream is Constrained Baseline, playable by any decoder: the first
//! picture is an IDR whose macroblocks are all `I_PCM` (raw samples), and
//! every later picture is a P picture that skips the macroblocks which did
//! not change and sends the ones which did as `I_PCM`. Nothing is
//! transformed or predicted, so no entropy tables are needed and the decoded
//! picture is exactly the frame given (samples of 0 become 1, which early
//! editions of the standard forbid in `I_PCM`). The emulator's scenes keep
//! most of the picture still, which keeps the files small.
//!
//! Choices that keep decoders on the simple path: one slice per picture,
//! one reference frame, picture order from `frame_num` (type 2, no
//! reordering), the deblocking filter off, full-range BT.601 colour.

/// Bits, most significant first, as the H.264 syntax writes them.
#[derive(Debug, Default)]
struct Bits {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0 = the last byte is full or there is none).
    used: u8,
}

impl Bits {
    fn with_capacity(bytes: usize) -> Self {
        Bits { bytes: Vec::with_capacity(bytes), used: 0 }
    }

    /// `u(n)`: the low `n` bits of `value`.
    fn u(&mut self, n: u32, value: u32) {
        for i in (0..n).rev() {
            if self.used == 0 {
                self.bytes.push(0);
            }
            let last = self.bytes.len() - 1;
            self.bytes[last] |= (((value >> i) & 1) as u8) << (7 - self.used);
            self.used = (self.used + 1) % 8;
        }
    }

    fn flag(&mut self, on: bool) {
        self.u(1, u32::from(on));
    }

    /// `ue(v)`: unsigned Exp-Golomb.
    fn ue(&mut self, value: u32) {
        let code = u64::from(value) + 1;
        let len = 64 - code.leading_zeros();
        self.u(len - 1, 0);
        // `code` has `len` bits; write them in two halves if they pass 32.
        if len > 32 {
            self.u(len - 32, (code >> 32) as u32);
            self.u(32, code as u32);
        } else {
            self.u(len, code as u32);
        }
    }

    /// `se(v)`: signed Exp-Golomb.
    fn se(&mut self, value: i32) {
        let mapped = if value > 0 { 2 * value.unsigned_abs() - 1 } else { 2 * value.unsigned_abs() };
        self.ue(mapped);
    }

    fn aligned(&self) -> bool {
        self.used == 0
    }

    /// Zero bits up to the next byte boundary.
    fn align_zero(&mut self) {
        while !self.aligned() {
            self.u(1, 0);
        }
    }

    /// Whole bytes, on a byte boundary.
    fn bytes(&mut self, bytes: &[u8]) {
        debug_assert!(self.aligned());
        self.bytes.extend_from_slice(bytes);
    }

    /// `rbsp_trailing_bits()`: a one, then zeros to the byte boundary.
    fn finish(mut self) -> Vec<u8> {
        self.u(1, 1);
        self.align_zero();
        self.bytes
    }
}

/// A NAL unit (header byte, then the payload with emulation prevention: no
/// `00 00 0x` with x ≤ 3 may appear inside, so a `03` is put before the x).
fn nal(ref_idc: u8, kind: u8, rbsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rbsp.len() + rbsp.len() / 64 + 1);
    out.push(ref_idc << 5 | kind);
    let mut zeros = 0;
    for &b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.push(3);
            zeros = 0;
        }
        out.push(b);
        zeros = if b == 0 { zeros + 1 } else { 0 };
    }
    out
}

const NAL_SLICE: u8 = 1;
const NAL_IDR: u8 = 5;
const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;

/// `frame_num` has 16 bits and wraps; with one reference frame that is allowed.
const FRAME_NUM_BITS: u32 = 16;

/// `mb_type` of `I_PCM` in an I slice and in a P slice (intra types follow
/// the five inter ones there).
const I_PCM_IN_I: u32 = 25;
const I_PCM_IN_P: u32 = 5 + 25;

/// Bytes of one macroblock's samples: 16x16 luma, two 8x8 chroma.
const MB_SAMPLES: usize = 256 + 2 * 64;

/// The smallest level whose frame size and macroblock rate admit the
/// stream (`level_idc`, Table A-1); decoders use it to size their buffers.
fn level(mbs_per_frame: u32, fps: u32) -> u8 {
    const LEVELS: [(u32, u32, u8); 8] = [
        (1_620, 40_500, 30),
        (3_600, 108_000, 31),
        (5_120, 216_000, 32),
        (8_192, 245_760, 40),
        (8_704, 522_240, 42),
        (22_080, 589_824, 50),
        (36_864, 983_040, 51),
        (36_864, 2_073_600, 52),
    ];
    let rate = mbs_per_frame.saturating_mul(fps);
    LEVELS.iter().find(|(fs, mbps, _)| mbs_per_frame <= *fs && rate <= *mbps).map_or(52, |l| l.2)
}

/// Frames in (planar YUV 4:2:0), one NAL unit per frame out.
#[derive(Debug)]
pub(super) struct H264Writer {
    width: usize,
    height: usize,
    fps: u32,
    /// The picture in macroblocks.
    mbs_wide: usize,
    mbs_high: usize,
    /// The last frame sent, as given: a macroblock whose samples equal it
    /// there is skipped, the decoder keeping what it showed.
    previous: Vec<u8>,
    frames: u32,
}

/// Where each plane of a frame starts, its width and height, and the side
/// of a macroblock in it.
#[derive(Debug, Clone, Copy)]
struct Plane {
    start: usize,
    width: usize,
    height: usize,
    side: usize,
}

impl H264Writer {
    /// A writer for `width` x `height` frames (even, non-zero) at `fps`.
    pub(super) fn new(width: usize, height: usize, fps: u32) -> Result<Self, String> {
        if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) || fps == 0 {
            return Err(format!(
                "H.264 needs an even, non-empty frame and a frame rate: got {width}x{height} at {fps}"
            ));
        }
        let (mbs_wide, mbs_high) = (width.div_ceil(16), height.div_ceil(16));
        if mbs_wide * mbs_high > 139_264 {
            return Err(format!("{width}x{height} is larger than any H.264 level allows"));
        }
        Ok(H264Writer { width, height, fps, mbs_wide, mbs_high, previous: Vec::new(), frames: 0 })
    }

    /// Frame width, height and rate, as given to [`H264Writer::new`].
    pub(super) fn format(&self) -> (usize, usize, u32) {
        (self.width, self.height, self.fps)
    }

    fn planes(&self) -> [Plane; 3] {
        let (w, h) = (self.width, self.height);
        let chroma = (w / 2) * (h / 2);
        [
            Plane { start: 0, width: w, height: h, side: 16 },
            Plane { start: w * h, width: w / 2, height: h / 2, side: 8 },
            Plane { start: w * h + chroma, width: w / 2, height: h / 2, side: 8 },
        ]
    }

    /// The sequence parameter set (NAL unit, no start code).
    pub(super) fn sps(&self) -> Vec<u8> {
        let mut b = Bits::with_capacity(32);
        b.u(8, 66); // profile_idc: Baseline
        b.u(8, 0b1100_0000); // constraint_set0 and 1: Constrained Baseline
        b.u(8, u32::from(level((self.mbs_wide * self.mbs_high) as u32, self.fps)));
        b.ue(0); // seq_parameter_set_id
        b.ue(FRAME_NUM_BITS - 4); // log2_max_frame_num_minus4
        b.ue(2); // pic_order_cnt_type: output order is decoding order
        b.ue(1); // max_num_ref_frames
        b.flag(false); // gaps_in_frame_num_value_allowed_flag
        b.ue(self.mbs_wide as u32 - 1);
        b.ue(self.mbs_high as u32 - 1);
        b.flag(true); // frame_mbs_only_flag
        b.flag(true); // direct_8x8_inference_flag
        let (crop_right, crop_bottom) = (self.mbs_wide * 16 - self.width, self.mbs_high * 16 - self.height);
        b.flag(crop_right + crop_bottom > 0);
        if crop_right + crop_bottom > 0 {
            // In 4:2:0 the crop unit is two samples each way.
            for offset in [0, crop_right / 2, 0, crop_bottom / 2] {
                b.ue(offset as u32);
            }
        }
        b.flag(true); // vui_parameters_present_flag
        b.flag(false); // aspect_ratio_info_present_flag
        b.flag(false); // overscan_info_present_flag
        b.flag(true); // video_signal_type_present_flag
        b.u(3, 5); // video_format: unspecified
        b.flag(true); // video_full_range_flag: samples use 0..=255, as the previews do
        b.flag(true); // colour_description_present_flag
        for bt601 in [6, 6, 6] {
            b.u(8, bt601); // colour_primaries, transfer_characteristics, matrix_coefficients
        }
        b.flag(false); // chroma_loc_info_present_flag
        b.flag(true); // timing_info_present_flag
        b.u(32, 1); // num_units_in_tick
        b.u(32, 2 * self.fps); // time_scale: two ticks per frame
        b.flag(true); // fixed_frame_rate_flag
        b.flag(false); // nal_hrd_parameters_present_flag
        b.flag(false); // vcl_hrd_parameters_present_flag
        b.flag(false); // pic_struct_present_flag
        b.flag(true); // bitstream_restriction_flag
        b.flag(true); // motion_vectors_over_pic_boundaries_flag
        b.ue(0); // max_bytes_per_pic_denom
        b.ue(0); // max_bits_per_mb_denom
        b.ue(16); // log2_max_mv_length_horizontal
        b.ue(16); // log2_max_mv_length_vertical
        b.ue(0); // max_num_reorder_frames: a frame can be shown as soon as it is decoded
        b.ue(1); // max_dec_frame_buffering
        nal(3, NAL_SPS, &b.finish())
    }

    /// The picture parameter set (NAL unit, no start code).
    pub(super) fn pps(&self) -> Vec<u8> {
        let mut b = Bits::with_capacity(8);
        b.ue(0); // pic_parameter_set_id
        b.ue(0); // seq_parameter_set_id
        b.flag(false); // entropy_coding_mode_flag: CAVLC
        b.flag(false); // bottom_field_pic_order_in_frame_present_flag
        b.ue(0); // num_slice_groups_minus1
        b.ue(0); // num_ref_idx_l0_default_active_minus1
        b.ue(0); // num_ref_idx_l1_default_active_minus1
        b.flag(false); // weighted_pred_flag
        b.u(2, 0); // weighted_bipred_idc
        b.se(0); // pic_init_qp_minus26
        b.se(0); // pic_init_qs_minus26
        b.se(0); // chroma_qp_index_offset
        b.flag(true); // deblocking_filter_control_present_flag: so slices can turn it off
        b.flag(false); // constrained_intra_pred_flag
        b.flag(false); // redundant_pic_cnt_present_flag
        nal(3, NAL_PPS, &b.finish())
    }

    /// Encodes one planar YUV 4:2:0 frame of the writer's size: its NAL unit
    /// and whether it is a key frame.
    pub(super) fn push(&mut self, yuv: &[u8]) -> Result<(Vec<u8>, bool), String> {
        let (w, h) = (self.width, self.height);
        if yuv.len() != w * h * 3 / 2 {
            return Err(format!("a {w}x{h} frame has {} bytes, not {}", w * h * 3 / 2, yuv.len()));
        }
        let idr = self.frames == 0;
        let frame_num = self.frames % (1 << FRAME_NUM_BITS);
        self.frames = self.frames.wrapping_add(1);

        let mut b = Bits::with_capacity(if idr { self.mbs_wide * self.mbs_high * (MB_SAMPLES + 2) + 64 } else { 4096 });
        b.ue(0); // first_mb_in_slice
        b.ue(if idr { 7 } else { 5 }); // slice_type: I or P, as are all this picture's slices
        b.ue(0); // pic_parameter_set_id
        b.u(FRAME_NUM_BITS, frame_num);
        if idr {
            b.ue(0); // idr_pic_id
        } else {
            b.flag(false); // num_ref_idx_active_override_flag
            b.flag(false); // ref_pic_list_modification_flag_l0
        }
        // dec_ref_pic_marking(): no_output_of_prior_pics and long_term_reference
        // for an IDR, adaptive marking for a P picture; all off.
        b.u(if idr { 2 } else { 1 }, 0);
        b.se(0); // slice_qp_delta
        b.ue(1); // disable_deblocking_filter_idc: off

        let mut skipped = 0;
        let mut mb = [0u8; MB_SAMPLES];
        for my in 0..self.mbs_high {
            // Most rows of macroblocks are unchanged: one comparison per plane finds them.
            let row_unchanged = !idr && self.unchanged(yuv, my, None);
            for mx in 0..self.mbs_wide {
                if row_unchanged || (!idr && self.unchanged(yuv, my, Some(mx))) {
                    skipped += 1;
                    continue;
                }
                if !idr {
                    b.ue(skipped); // mb_skip_run
                    skipped = 0;
                }
                b.ue(if idr { I_PCM_IN_I } else { I_PCM_IN_P });
                b.align_zero(); // pcm_alignment_zero_bit
                self.macroblock(yuv, mx, my, &mut mb);
                b.bytes(&mb);
            }
        }
        if skipped > 0 {
            b.ue(skipped);
        }
        self.previous.clear();
        self.previous.extend_from_slice(yuv);
        Ok((nal(if idr { 3 } else { 2 }, if idr { NAL_IDR } else { NAL_SLICE }, &b.finish()), idr))
    }

    /// Whether the samples of macroblock row `my` (column `mx` of it, or the
    /// whole row) are those of the previous frame. Padding repeats the
    /// frame's edge, so comparing the samples inside the frame is enough.
    fn unchanged(&self, yuv: &[u8], my: usize, mx: Option<usize>) -> bool {
        self.planes().iter().all(|p| {
            let rows = my * p.side..((my + 1) * p.side).min(p.height);
            match mx {
                None => {
                    let span = p.start + rows.start * p.width..p.start + rows.end * p.width;
                    yuv[span.clone()] == self.previous[span]
                }
                Some(mx) => rows.into_iter().all(|y| {
                    let at = p.start + y * p.width;
                    let span = at + mx * p.side..at + ((mx + 1) * p.side).min(p.width);
                    yuv[span.clone()] == self.previous[span]
                }),
            }
        })
    }

    /// The samples of macroblock (`mx`, `my`) as `I_PCM` sends them: 256
    /// luma, 64 Cb, 64 Cr, each in rows; past the frame's edge the last row
    /// and column repeat; 0 is raised to 1.
    fn macroblock(&self, yuv: &[u8], mx: usize, my: usize, out: &mut [u8; MB_SAMPLES]) {
        let mut at = 0;
        for p in self.planes() {
            for y in 0..p.side {
                let row = &yuv[p.start + (my * p.side + y).min(p.height - 1) * p.width..][..p.width];
                let (x0, to) = (mx * p.side, &mut out[at..at + p.side]);
                match row.get(x0..x0 + p.side) {
                    Some(samples) => to.copy_from_slice(samples),
                    None => to.iter_mut().enumerate().for_each(|(x, s)| *s = row[(x0 + x).min(p.width - 1)]),
                }
                at += p.side;
            }
        }
        for sample in out.iter_mut() {
            if *sample == 0 {
                *sample = 1;
            }
        }
    }
}

#[cfg(test)]
#[path = "h264_tests.rs"]
mod tests;
