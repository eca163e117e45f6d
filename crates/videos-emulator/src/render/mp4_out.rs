//! MP4 muxing (mp4) of the picture (H.264, from [`super::h264`]) and the
//! soundtrack, plus a probe that reads back a file's size, durations and
//! streams.

use std::io::Cursor;

use bytes::Bytes;

use super::audio::{self, Soundtrack};
use super::h264::H264Writer;

/// Track ids in the file.
pub(super) const VIDEO_TRACK: u32 = 1;
const AUDIO_TRACK: u32 = 2;

/// Frames in, an MP4 file out.
pub(super) struct Mp4Encoder {
    encoder: H264Writer,
    /// Length-prefixed (AVCC) samples and whether each is a key frame.
    samples: Vec<(Vec<u8>, bool)>,
}

impl Mp4Encoder {
    /// An encoder for `width` x `height` frames at `fps`.
    pub(super) fn new(width: usize, height: usize, fps: u32) -> Result<Self, String> {
        Ok(Self { encoder: H264Writer::new(width, height, fps)?, samples: Vec::new() })
    }

    /// Encodes one YUV 4:2:0 frame.
    pub(super) fn push(&mut self, yuv: &[u8]) -> Result<(), String> {
        let (nal, key) = self.encoder.push(yuv)?;
        let mut sample = Vec::with_capacity(nal.len() + 4);
        sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
        sample.extend_from_slice(&nal);
        self.samples.push((sample, key));
        Ok(())
    }

    /// The finished MP4, with `sound` as its second track.
    pub(super) fn finish(self, sound: &Soundtrack) -> Result<Vec<u8>, String> {
        let (sps, pps) = (self.encoder.sps(), self.encoder.pps());
        let mp4_err = |e: mp4::Error| format!("mux: {e}");
        // One tick per frame-hundredth keeps every frame duration an integer.
        // The movie uses the same timescale as the track: the muxer converts
        // each sample's duration to the movie's timescale and truncates, so
        // a coarser one (milliseconds) lost 2/3 ms per frame (7.872 s for 8 s).
        let (width, height, fps) = self.encoder.format();
        let timescale = fps * 100;
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
                    width: u16::try_from(width).map_err(|_| "too wide")?,
                    height: u16::try_from(height).map_err(|_| "too tall")?,
                    seq_param_set: sps,
                    pic_param_set: pps,
                }),
            })
            .map_err(mp4_err)?;
        writer
            .add_track(&mp4::TrackConfig {
                track_type: mp4::TrackType::Audio,
                timescale: audio::SAMPLE_RATE,
                language: "und".to_owned(),
                media_conf: mp4::MediaConfig::AacConfig(mp4::AacConfig {
                    bitrate: 64_000,
                    profile: mp4::AudioObjectType::AacLowComplexity,
                    freq_index: mp4::SampleFreqIndex::Freq48000,
                    chan_conf: mp4::ChannelConfig::Mono,
                }),
            })
            .map_err(mp4_err)?;
        // Interleaved a second at a time, so a player streaming the file
        // finds each second's sound near its picture.
        let frames = self.samples.len();
        let mut packets = sound.packets.iter().enumerate().peekable();
        for (i, (bytes, key)) in self.samples.into_iter().enumerate() {
            let sample = mp4::Mp4Sample {
                start_time: i as u64 * 100,
                duration: 100,
                rendering_offset: 0,
                is_sync: key,
                bytes: Bytes::from(bytes),
            };
            writer.write_sample(VIDEO_TRACK, &sample).map_err(mp4_err)?;
            let second_done = (i + 1) % fps as usize == 0 || i + 1 == frames;
            let until = (i as u64 + 1) * u64::from(audio::SAMPLE_RATE) / u64::from(fps) + u64::from(audio::PRIMING);
            while second_done
                && let Some((j, packet)) =
                    packets.next_if(|(j, _)| i + 1 == frames || (*j as u64) * u64::from(audio::FRAME) < until)
            {
                let sample = mp4::Mp4Sample {
                    start_time: j as u64 * u64::from(audio::FRAME),
                    duration: audio::FRAME,
                    rendering_offset: 0,
                    is_sync: true,
                    bytes: Bytes::copy_from_slice(packet),
                };
                writer.write_sample(AUDIO_TRACK, &sample).map_err(mp4_err)?;
            }
        }
        writer.write_end().map_err(mp4_err)?;
        // The movie lasts exactly as long as the picture; the sound skips its priming.
        let mut file = writer.into_writer().into_inner();
        let duration = u32::try_from(frames * 100).map_err(|_| "mux: too many frames")?;
        super::edit_list::set_edit_list(&mut file, duration, AUDIO_TRACK, audio::PRIMING)?;
        Ok(file)
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
    /// Whether the file has a sound track (AAC).
    pub audio: bool,
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
        audio: reader.tracks().values().any(|t| matches!(t.track_type(), Ok(mp4::TrackType::Audio))),
    })
}
