//! Rendering a job's media: the MP4, a WebP thumbnail and a JPEG
//! spritesheet, written to the job's directory. CPU-bound and blocking: the
//! server runs it on the blocking pool, never on the request path.

pub mod audio;
pub mod caption;
mod edit_list;
pub mod frames;
mod h264;
mod images;
mod mp4_out;

use std::path::{Path, PathBuf};

pub use mp4_out::{Probe, probe};

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderJob {
    /// Prompts in order, each with the seconds it covers (an extension has two).
    pub segments: Vec<(String, u32)>,
    /// The first line of text on every frame (the job's id).
    pub title: String,
    /// The second line (the job's prompt; cut to the frame's width).
    pub subtitle: String,
    /// Frame width in pixels (an odd one is drawn one narrower).
    pub width: usize,
    /// Frame height in pixels (an odd one is drawn one shorter).
    pub height: usize,
    /// Frames per second.
    pub fps: u32,
}

impl RenderJob {
    /// The size of the frames drawn: the job's, rounded down to even, as
    /// 4:2:0 chroma needs.
    pub fn frame_size(&self) -> (usize, usize) {
        (self.width & !1, self.height & !1)
    }
}

/// Where the rendered files are.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The MP4.
    pub video: PathBuf,
    /// The WebP thumbnail.
    pub thumbnail: PathBuf,
    /// The JPEG spritesheet.
    pub spritesheet: PathBuf,
}

impl Rendered {
    /// Where a job's media are kept in its folder `dir`.
    pub fn in_dir(dir: &Path) -> Rendered {
        Rendered {
            video: dir.join("video.mp4"),
            thumbnail: dir.join("thumbnail.webp"),
            spritesheet: dir.join("spritesheet.jpg"),
        }
    }

    /// Whether all three files are there (each appears only when complete).
    pub fn exist(&self) -> bool {
        [&self.video, &self.thumbnail, &self.spritesheet].iter().all(|p| p.is_file())
    }
}

/// The spritesheet takes one frame per second, up to this many, in this many columns.
const SPRITES: usize = 20;
const SPRITE_COLUMNS: usize = 5;

/// Renders `job` into `dir` (created if needed). Files appear under their
/// final names only when complete (written as `.part`, then renamed).
pub fn render(job: &RenderJob, dir: &Path) -> Result<Rendered, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    let (width, height) = job.frame_size();
    if width == 0 || height == 0 || job.fps == 0 {
        return Err(format!("cannot render {width}x{height} at {} fps", job.fps));
    }
    let total_frames: u32 = job.segments.iter().map(|(_, s)| s * job.fps).sum();
    let mut encoder = mp4_out::Mp4Encoder::new(width, height, job.fps)?;
    let mut thumbnail = None;
    let mut sprites = Vec::new();
    each_frame(job, |index, frame| {
        encoder.push(frame)?;
        if index == total_frames / 2 {
            thumbnail = Some(frames::to_rgb(frame, width, height, 2));
        }
        if index.is_multiple_of(job.fps) && sprites.len() < SPRITES {
            sprites.push(frames::to_rgb(frame, width, height, 8));
        }
        Ok(())
    })?;
    let tones: Vec<(u64, u32)> = job.segments.iter().map(|(p, s)| (frames::hash(p), *s)).collect();
    let sound = audio::encode(&audio::pcm(&tones))?;
    let files = Rendered::in_dir(dir);
    write_atomically(&files.video, &encoder.finish(&sound)?)?;
    if let Some((rgb, w, h)) = thumbnail {
        write_atomically(&files.thumbnail, &images::webp(&rgb, w, h)?)?;
    }
    write_atomically(&files.spritesheet, &images::spritesheet(&sprites, SPRITE_COLUMNS)?)?;
    Ok(files)
}

/// Calls `f` with each frame of `job` in order (its index, and the frame in
/// planar YUV 4:2:0 at [`RenderJob::frame_size`]): the pictures
/// the MP4 shows, sample for sample.
pub fn each_frame(job: &RenderJob, mut f: impl FnMut(u32, &[u8]) -> Result<(), String>) -> Result<(), String> {
    let (width, height) = job.frame_size();
    let mut frame = Vec::new();
    let mut index: u32 = 0;
    for (prompt, seconds) in &job.segments {
        let scene = frames::Scene::new(prompt);
        let backdrop = frames::backdrop(&scene, width, height);
        for i in 0..seconds * job.fps {
            frames::draw(&scene, &backdrop, width, height, i as f32 / job.fps as f32, &mut frame);
            let time = caption::timecode(index, job.fps);
            caption::draw(&mut frame, width, height, &[&job.title, &job.subtitle, &time]);
            f(index, &frame)?;
            index += 1;
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary file of this render's own, then renames it
/// over `path`: another process rendering the same job at once never
/// writes into the same temporary file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let part = path.with_extension(format!("{}-{:08x}.part", std::process::id(), fastrand::u32(..)));
    std::fs::write(&part, bytes).map_err(|e| format!("write {}: {e}", part.display()))?;
    std::fs::rename(&part, path).map_err(|e| format!("rename {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::mp4_out::VIDEO_TRACK as VIDEO_TRACK_ID;
    use super::*;

    /// One prompt for `seconds`, at `width` x `height` and `fps`.
    fn test_job(prompt: &str, seconds: u32, width: usize, height: usize, fps: u32) -> RenderJob {
        RenderJob {
            title: "video_test".into(),
            subtitle: "a test".into(),
            segments: vec![(prompt.to_owned(), seconds)],
            width,
            height,
            fps,
        }
    }

    #[test]
    fn renders_a_playable_mp4_of_the_right_size_and_length() {
        let dir = tempfile::tempdir().unwrap();
        let job = test_job("a calico cat", 2, 320, 240, 8);
        let out = render(&job, dir.path()).unwrap();
        let probe = probe(&std::fs::read(&out.video).unwrap()).unwrap();
        assert_eq!((probe.width, probe.height), (320, 240));
        assert_eq!(probe.duration_ms, 2000);
        assert_eq!(probe.frames, 16);
        let thumb = std::fs::read(&out.thumbnail).unwrap();
        assert_eq!(&thumb[..4], b"RIFF");
        assert_eq!(&thumb[8..12], b"WEBP");
        let sheet = std::fs::read(&out.spritesheet).unwrap();
        assert_eq!(&sheet[..2], &[0xff, 0xd8], "JPEG start of image");
    }

    #[test]
    fn the_movie_lasts_exactly_the_clip_at_24_fps() {
        // Before, the movie header said 7.872 s for an 8 s clip at 24 fps:
        // each frame's 41.67 ms was truncated to 41 ms on the way to a
        // millisecond timescale. Players and ffprobe read the movie header.
        let dir = tempfile::tempdir().unwrap();
        let job = test_job("eight seconds", 8, 64, 64, 24);
        let probe = probe(&std::fs::read(render(&job, dir.path()).unwrap().video).unwrap()).unwrap();
        assert_eq!((probe.movie_duration_ms, probe.duration_ms, probe.frames), (8000, 8000, 192));
    }

    /// The sound track's edit list, read back by the `mp4` crate's reader:
    /// it skips the encoder's priming and ends with the picture, and every
    /// header says the picture's length.
    #[test]
    fn the_sound_skips_its_priming_and_ends_with_the_picture() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(render(&test_job("listen", 3, 64, 64, 10), dir.path()).unwrap().video).unwrap();
        let reader = mp4::Mp4Reader::read_header(std::io::Cursor::new(&bytes), bytes.len() as u64).unwrap();
        assert_eq!((reader.moov.mvhd.timescale, reader.moov.mvhd.duration), (1000, 3000));
        for trak in &reader.moov.traks {
            assert_eq!(trak.tkhd.duration, 3000, "track {}", trak.tkhd.track_id);
            let entries = trak.edts.as_ref().and_then(|e| e.elst.as_ref()).map(|l| &l.entries[..]).unwrap_or(&[]);
            match trak.tkhd.track_id {
                VIDEO_TRACK_ID => assert!(entries.is_empty(), "the picture plays as it is"),
                _ => {
                    let edit = entries.first().map(|e| (e.segment_duration, e.media_time, e.media_rate));
                    assert_eq!((entries.len(), edit), (1, Some((3000, u64::from(audio::PRIMING), 1))));
                }
            }
        }
    }

    /// The video track holds what a player expects: the parameter sets in
    /// its header, then one picture per sample, a key frame first.
    #[test]
    fn every_sample_is_one_picture_and_the_first_a_key_frame() {
        let dir = tempfile::tempdir().unwrap();
        let job = test_job("decode me", 2, 256, 144, 6);
        let bytes = std::fs::read(render(&job, dir.path()).unwrap().video).unwrap();
        let mut reader = mp4::Mp4Reader::read_header(std::io::Cursor::new(&bytes), bytes.len() as u64).unwrap();
        let track = reader.tracks().get(&VIDEO_TRACK_ID).unwrap();
        assert_eq!(track.sequence_parameter_set().unwrap()[..2], [0x67, 66], "a Baseline SPS");
        assert_eq!(track.picture_parameter_set().unwrap()[0], 0x68);
        let count = track.sample_count();
        assert_eq!(count, 12);
        for id in 1..=count {
            let sample = reader.read_sample(VIDEO_TRACK_ID, id).unwrap().unwrap();
            let len = u32::from_be_bytes(sample.bytes[..4].try_into().unwrap()) as usize;
            assert_eq!(len + 4, sample.bytes.len(), "sample {id} is one NAL unit");
            let (kind, key) = (sample.bytes[4] & 0x1f, id == 1);
            assert_eq!((kind, sample.is_sync), (if key { 5 } else { 1 }, key), "sample {id}");
        }
    }

    #[test]
    fn the_same_prompt_gives_the_same_bytes_and_another_prompt_others() {
        let dir = tempfile::tempdir().unwrap();
        let job = |p: &str| test_job(p, 1, 160, 96, 4);
        let a = std::fs::read(render(&job("cat"), &dir.path().join("a")).unwrap().video).unwrap();
        let b = std::fs::read(render(&job("cat"), &dir.path().join("b")).unwrap().video).unwrap();
        let c = std::fs::read(render(&job("dog"), &dir.path().join("c")).unwrap().video).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
