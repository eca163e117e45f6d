//! Remix a completed video: `cargo run -p videos-blocking --example blocking_remix -- VIDEO_ID "new prompt"`.

use videos_blocking::Client;
use videos_blocking::types::shown;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(prompt)) = (args.next(), args.next()) else {
        return Err("usage: remix VIDEO_ID PROMPT".into());
    };
    let remix = Client::from_env()?.videos().remix_and_poll(&id, &prompt)?;
    println!(
        "{} ({}) remixed from {}",
        remix.id,
        shown(&remix.status),
        remix.remixed_from_video_id.unwrap_or_default()
    );
    Ok(())
}
