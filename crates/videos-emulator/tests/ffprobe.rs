//! An independent reader of the emulator's MP4s: ffprobe (FFmpeg), where it
//! is installed, must see a picture and a sound stream that both last
//! exactly the clip, and a container that says the same. Without ffprobe
//! the test says loudly that it skipped (CI installs it).

use std::process::Command;

use videos_emulator::render::{RenderJob, render};

/// Whether `tool` runs here; if not, says loudly what was not checked.
fn installed(tool: &str, unchecked: &str) -> bool {
    let here = Command::new(tool).arg("-version").output().is_ok();
    if !here {
        eprintln!("SKIPPED: {tool} is not installed (apt-get install ffmpeg); {unchecked}");
    }
    here
}

/// ffprobe's JSON about `path`: (format duration, [(codec_type, duration)]).
fn probe(path: &std::path::Path) -> Option<(f64, Vec<(String, f64)>)> {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration:stream=codec_type,duration", "-of", "json"])
        .arg(path)
        .output()
        .ok()?;
    assert!(output.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("ffprobe prints JSON");
    let seconds = |v: &serde_json::Value| v["duration"].as_str().and_then(|d| d.parse::<f64>().ok()).unwrap_or(-1.0);
    let streams = json["streams"]
        .as_array()
        .expect("streams")
        .iter()
        .map(|s| (s["codec_type"].as_str().unwrap_or_default().to_owned(), seconds(s)))
        .collect();
    Some((seconds(&json["format"]), streams))
}

#[test]
fn ffprobe_sees_both_streams_lasting_exactly_the_clip() {
    if !installed("ffprobe", "the MP4's durations were not checked by FFmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // One segment, and an extension's two, at a frame rate whose frame
    // length is no whole number of milliseconds.
    for (segments, seconds) in
        [(vec![("a lighthouse".to_owned(), 8)], 8.0), (vec![("a".to_owned(), 4), ("b".to_owned(), 8)], 12.0)]
    {
        let job = RenderJob {
            segments,
            title: "video_ffprobe".into(),
            subtitle: "checked by FFmpeg".into(),
            width: 160,
            height: 96,
            fps: 24,
        };
        let out = render(&job, &dir.path().join(seconds.to_string())).unwrap();
        let (format, streams) = probe(&out.video).expect("ffprobe runs");
        assert_eq!(format, seconds, "the container's duration");
        let mut kinds: Vec<&str> = streams.iter().map(|(k, _)| k.as_str()).collect();
        kinds.sort();
        assert_eq!(kinds, ["audio", "video"], "a picture and a sound stream");
        for (kind, duration) in &streams {
            assert_eq!(*duration, seconds, "the {kind} stream's duration");
        }
    }
}

/// FFmpeg's H.264 decoder, an implementation that shares nothing with the
/// emulator's writer, must give back every frame exactly as it was drawn.
#[test]
fn ffmpeg_decodes_every_frame_to_exactly_what_was_drawn() {
    if !installed("ffmpeg", "the H.264 stream was not decoded by FFmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 200x120 is no whole number of macroblocks wide or high: the stream is cropped.
    let job = RenderJob {
        segments: vec![("a red kite over the dunes".to_owned(), 1), ("then rain".to_owned(), 1)],
        title: "video_ffmpeg".into(),
        subtitle: "decoded by FFmpeg".into(),
        width: 200,
        height: 120,
        fps: 12,
    };
    let out = render(&job, dir.path()).unwrap();
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&out.video)
        .args(["-map", "0:v", "-f", "rawvideo", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(output.status.success(), "ffmpeg failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut drawn = Vec::new();
    videos_emulator::render::each_frame(&job, |_, frame| {
        drawn.extend(frame.iter().map(|&s| s.max(1)));
        Ok(())
    })
    .unwrap();
    let frame = 200 * 120 * 3 / 2;
    assert_eq!(output.stdout.len(), drawn.len(), "24 frames of {frame} bytes");
    for (n, (got, want)) in output.stdout.chunks(frame).zip(drawn.chunks(frame)).enumerate() {
        assert!(got == want, "frame {n} decodes to what was drawn");
    }
}
