//! Create a video, watch its progress, and download the MP4 — no async runtime.
//!
//! ```sh
//! OPENAI_API_KEY=sk-... cargo run -p videos-blocking --example blocking_quickstart
//! ```

use videos_blocking::core::CreateVideo;
use videos_blocking::types::{VideoSeconds, VideoSize, shown};
use videos_blocking::{Client, PollOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let videos = client.videos();

    let params = CreateVideo::new("A calico cat playing a piano on stage")
        .seconds(VideoSeconds::Four)
        .size(VideoSize::Portrait720x1280);
    let video = videos.create_and_poll_with(params, PollOptions::default(), |v| {
        eprintln!("{}: {} {}%", v.id, shown(&v.status), shown(&v.progress))
    })?;
    if let Some(error) = &video.error {
        return Err(format!("{} failed: {} ({})", video.id, shown(&error.message), shown(&error.code)).into());
    }

    let bytes = videos.download_to(&video.id, None, "cat.mp4")?;
    println!("wrote cat.mp4 ({bytes} bytes)");
    Ok(())
}
