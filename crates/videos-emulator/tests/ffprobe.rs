//! An independent reader of the emulator's MP4s: ffprobe (FFmpeg), where it
//! is installed, must see a picture and a sound stream that both last
//! exactly the clip, and a container that says the same. Without ffprobe
//! the test says loudly that it skipped (CI installs it).

use std::process::Command;

use videos_emulator::render::{RenderJob, render};

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
    if Command::new("ffprobe").arg("-version").output().is_err() {
        eprintln!(
            "SKIPPED: ffprobe is not installed (apt-get install ffmpeg); the MP4's durations were not checked by FFmpeg"
        );
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
