//! H.264 encoding (openh264) and MP4 muxing (mp4), plus a probe that reads
//! back a file's size, duration and frame count.

use std::io::Cursor;

use bytes::Bytes;
use openh264::OpenH264API;
use openh264::encoder::{Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, QpRange, RateControlMode};
use openh264::formats::YUVBuffer;

/// Frames in, an MP4 file out.
pub(super) struct Mp4Encoder {
    encoder: Encoder,
    width: usize,
    height: usize,
    fps: u32,
    sps: Option<Vec<u8>>,
    pps: Option<Vec<u8>>,
    /// Length-prefixed (AVCC) samples and whether each is a key frame.
    samples: Vec<(Vec<u8>, bool)>,
}

/// The NAL units of an Annex B byte stream, without their start codes.
fn nal_units(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= stream.len() {
        if stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|&s| {
            // The next start code may be four bytes (00 00 00 01).
            let e = s - 3;
            if e > 0 && stream[e - 1] == 0 { e - 1 } else { e }
        })
        .chain(std::iter::once(stream.len()))
        .collect();
    starts.into_iter().zip(ends).map(move |(s, e)| &stream[s..e]).filter(|n| !n.is_empty())
}

impl Mp4Encoder {
    /// An encoder for `width` x `height` frames at `fps`.
    pub(super) fn new(width: usize, height: usize, fps: u32) -> Result<Self, String> {
        // Every frame must be kept (the file's duration is the job's), and
        // openh264 only controls bitrate by skipping frames: use fixed
        // quantisers instead, which also keeps its warning off stderr.
        let config = EncoderConfig::new()
            .rate_control_mode(RateControlMode::Off)
            .qp(QpRange::new(24, 30))
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .intra_frame_period(IntraFramePeriod::from_num_frames(fps * 2))
            .skip_frames(false);
        let encoder =
            Encoder::with_api_config(OpenH264API::from_source(), config).map_err(|e| format!("start encoder: {e}"))?;
        Ok(Self { encoder, width, height, fps, sps: None, pps: None, samples: Vec::new() })
    }

    /// Encodes one YUV 4:2:0 frame.
    pub(super) fn push(&mut self, yuv: &[u8]) -> Result<(), String> {
        let buffer = YUVBuffer::from_vec(yuv.to_vec(), self.width, self.height);
        let stream = self.encoder.encode(&buffer).map_err(|e| format!("encode frame: {e}"))?;
        let key = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        let bytes = stream.to_vec();
        let mut sample = Vec::with_capacity(bytes.len() + 16);
        for nal in nal_units(&bytes) {
            match nal[0] & 0x1f {
                7 => self.sps = Some(nal.to_vec()),
                8 => self.pps = Some(nal.to_vec()),
                _ => {
                    sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                    sample.extend_from_slice(nal);
                }
            }
        }
        if !sample.is_empty() {
            self.samples.push((sample, key));
        }
        Ok(())
    }

    /// The finished MP4.
    pub(super) fn finish(self) -> Result<Vec<u8>, String> {
        let (Some(sps), Some(pps)) = (self.sps, self.pps) else { return Err("the encoder produced no SPS/PPS".into()) };
        let mp4_err = |e: mp4::Error| format!("mux: {e}");
        // One tick per frame-hundredth keeps every frame duration an integer.
        // The movie uses the same timescale as the track: the muxer converts
        // each sample's duration to the movie's timescale and truncates, so
        // a coarser one (milliseconds) lost 2/3 ms per frame (7.872 s for 8 s).
        let timescale = self.fps * 100;
        let config = mp4::Mp4Config {
            major_brand: str::parse("isom").map_err(mp4_err)?,
            minor_version: 512,
            compatible_brands: ["isom", "iso2", "avc1", "mp41"]
                .iter()
                .map(|b| str::parse(b))
                .collect::<Result<_, _>>()
                .map_err(mp4_err)?,
            timescale,
        };
        let mut writer = mp4::Mp4Writer::write_start(Cursor::new(Vec::new()), &config).map_err(mp4_err)?;
        writer
            .add_track(&mp4::TrackConfig {
                track_type: mp4::TrackType::Video,
                timescale,
                language: "und".to_owned(),
                media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                    width: u16::try_from(self.width).map_err(|_| "too wide")?,
                    height: u16::try_from(self.height).map_err(|_| "too tall")?,
                    seq_param_set: sps,
                    pic_param_set: pps,
                }),
            })
            .map_err(mp4_err)?;
        for (i, (bytes, key)) in self.samples.into_iter().enumerate() {
            let sample = mp4::Mp4Sample {
                start_time: i as u64 * 100,
                duration: 100,
                rendering_offset: 0,
                is_sync: key,
                bytes: Bytes::from(bytes),
            };
            writer.write_sample(1, &sample).map_err(mp4_err)?;
        }
        writer.write_end().map_err(mp4_err)?;
        Ok(writer.into_writer().into_inner())
    }
}

/// What a video file says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// Frame width.
    pub width: u16,
    /// Frame height.
    pub height: u16,
    /// Duration of the video track, in milliseconds.
    pub duration_ms: u64,
    /// Duration of the whole movie (`mvhd`, what players and ffprobe show), in milliseconds.
    pub movie_duration_ms: u64,
    /// Number of frames.
    pub frames: u32,
}

/// Reads the first video track of an MP4 file.
pub fn probe(bytes: &[u8]) -> Result<Probe, String> {
    let reader =
        mp4::Mp4Reader::read_header(Cursor::new(bytes), bytes.len() as u64).map_err(|e| format!("not an MP4: {e}"))?;
    let track = reader
        .tracks()
        .values()
        .find(|t| matches!(t.track_type(), Ok(mp4::TrackType::Video)))
        .ok_or("no video track")?;
    Ok(Probe {
        width: track.width(),
        height: track.height(),
        duration_ms: track.duration().as_millis() as u64,
        movie_duration_ms: reader.duration().as_millis() as u64,
        frames: track.sample_count(),
    })
}
