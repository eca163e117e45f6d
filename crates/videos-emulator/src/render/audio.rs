//! The soundtrack, since Sora 2's videos have sound and pipelines that
//! expect an audio stream should meet one: per segment a soft tone whose
//! pitch comes from the segment's prompt, with a chime at every second,
//! encoded as mono AAC-LC at 48 kHz by `rusty_aac` (pure Rust, no C to build).
//!
//! An AAC encoder's output starts [`PRIMING`] samples before the input
//! does; the muxer trims them with an edit list, so the track lasts exactly
//! as long as the picture.

use rusty_aac::{AacEncoder, AacEncoderConfig};

/// Samples per second.
pub const SAMPLE_RATE: u32 = 48_000;

/// Samples of encoder delay at the start of the decoded stream.
pub const PRIMING: u32 = 1024;

/// Samples per AAC frame (one MP4 sample).
pub const FRAME: u32 = 1024;

/// The encoded soundtrack.
#[derive(Debug, Clone)]
pub struct Soundtrack {
    /// Raw AAC access units, one per MP4 sample, [`FRAME`] samples each.
    pub packets: Vec<Vec<u8>>,
    /// The AudioSpecificConfig the packets need, for the `esds` box.
    pub config: Vec<u8>,
}

/// PCM for `segments` (a pitch seed and a length in seconds each).
pub fn pcm(segments: &[(u64, u32)]) -> Vec<f32> {
    let rate = SAMPLE_RATE as usize;
    let mut out = Vec::with_capacity(segments.iter().map(|(_, s)| *s as usize * rate).sum());
    for &(seed, seconds) in segments {
        // Two octaves of semitones from A3.
        let pitch = 220.0 * 2f32.powf((seed % 24) as f32 / 12.0);
        let len = seconds as usize * rate;
        let fade = (rate / 100).min(len / 2).max(1);
        for i in 0..len {
            let t = i as f32 / SAMPLE_RATE as f32;
            // A chime that decays through each second, over a quiet hum.
            let chime = (-(t.fract()) * 6.0).exp();
            let edge = (i.min(len - 1 - i) as f32 / fade as f32).min(1.0);
            out.push((0.05 + 0.2 * chime) * edge * (t * pitch * std::f32::consts::TAU).sin());
        }
    }
    out
}

/// Encodes `pcm` (mono, [`SAMPLE_RATE`]).
pub fn encode(pcm: &[f32]) -> Result<Soundtrack, String> {
    let mut encoder = AacEncoder::new(AacEncoderConfig { bitrate_bps: 64_000, ..AacEncoderConfig::default() });
    encoder.push_pcm(pcm, 1, SAMPLE_RATE).map_err(|e| format!("encode audio: {e}"))?;
    encoder.finish();
    let mut packets = Vec::new();
    while let Ok(packet) = encoder.next_packet() {
        packets.push(packet.data);
    }
    let needed = (pcm.len() as u64 + u64::from(PRIMING)).div_ceil(u64::from(FRAME));
    if (packets.len() as u64) < needed {
        return Err(format!("the audio encoder gave {} frames for {needed}", packets.len()));
    }
    Ok(Soundtrack { packets, config: rusty_aac::audio_specific_config_bytes(SAMPLE_RATE, 1) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packets decode back (with an independent decoder path of the
    /// same crate) into a tone that starts after the priming samples.
    #[test]
    fn the_soundtrack_decodes_to_the_tone_after_the_priming() {
        let input = pcm(&[(7, 1)]);
        let track = encode(&input).unwrap();
        let mut decoder = rusty_aac::AacDecoder::with_config_bytes(&track.config).unwrap();
        let mut decoded = Vec::new();
        for packet in &track.packets {
            decoded.extend(decoder.decode(packet, None).unwrap().samples);
        }
        assert!(decoded.len() >= input.len() + PRIMING as usize);
        let energy = |s: &[f32]| s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32;
        let priming = &decoded[..PRIMING as usize / 2];
        let body = &decoded[PRIMING as usize + 4800..PRIMING as usize + 9600];
        assert!(energy(priming) < 1e-4, "silence first: {}", energy(priming));
        assert!(energy(body) > 10.0 * energy(&input[4800..9600]).min(1.0) * 0.01, "then the tone");
    }
}
