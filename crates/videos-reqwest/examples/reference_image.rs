//! Create a video guided by a reference image, uploaded from disk (streamed,
//! never loaded whole): `cargo run -p videos-reqwest --example reference_image -- image.png`.

use videos_reqwest::Client;
use videos_reqwest::core::{CreateVideo, FilePart, InputReference};
use videos_reqwest::types::{VideoSize, shown};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: reference_image IMAGE")?;
    let params = CreateVideo::new("Animate this image with gentle movement and lighting changes")
        .size(VideoSize::Portrait720x1280)
        .input_reference(InputReference::Upload(FilePart::from_path(path)?));
    let video = Client::from_env()?.videos().create(params).await?;
    println!("started {} ({})", video.id, shown(&video.status));
    Ok(())
}
