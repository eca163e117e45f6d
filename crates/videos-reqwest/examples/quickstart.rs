//! Create a video, watch its progress, and download the MP4.
//!
//! ```sh
//! OPENAI_API_KEY=sk-... cargo run -p videos-reqwest --example quickstart
//! # or against a local emulator:
//! OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=test cargo run -p videos-reqwest --example quickstart
//! ```

use videos_reqwest::core::CreateVideo;
use videos_reqwest::types::{VideoSeconds, VideoSize, shown};
use videos_reqwest::{Client, PollOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let videos = client.videos();

    let params = CreateVideo::new("A calico cat playing a piano on stage")
        .seconds(VideoSeconds::Four)
        .size(VideoSize::Portrait720x1280);
    let video = videos
        .create_and_poll_with(params, PollOptions::default(), |v| {
            eprintln!("{}: {} {}%", v.id, shown(&v.status), shown(&v.progress))
        })
        .await?;
    if let Some(error) = &video.error {
        return Err(format!("{} failed: {} ({})", video.id, shown(&error.message), shown(&error.code)).into());
    }

    let bytes = videos.download_to(&video.id, None, "cat.mp4").await?;
    println!("wrote cat.mp4 ({bytes} bytes)");
    Ok(())
}
