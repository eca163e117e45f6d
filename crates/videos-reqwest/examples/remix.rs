//! Remix a completed video: `cargo run -p videos-reqwest --example remix -- VIDEO_ID "new prompt"`.

use videos_reqwest::Client;
use videos_reqwest::types::shown;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(prompt)) = (args.next(), args.next()) else {
        return Err("usage: remix VIDEO_ID PROMPT".into());
    };
    let videos = Client::from_env()?.videos();
    let remix = videos.remix_and_poll(&id, &prompt).await?;
    println!(
        "{} ({}) remixed from {}",
        remix.id,
        shown(&remix.status),
        remix.remixed_from_video_id.unwrap_or_default()
    );
    Ok(())
}
