//! Create a video guided by a reference image, uploaded from disk (streamed,
//! never loaded whole): `cargo run -p videos-blocking --example blocking_reference_image -- image.png`.

use videos_blocking::Client;
use videos_blocking::core::{CreateVideo, FilePart, InputReference};
use videos_blocking::types::{VideoSize, shown};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: reference_image IMAGE")?;
    let params = CreateVideo::new("Animate this image with gentle movement and lighting changes")
        .size(VideoSize::Portrait720x1280)
        .input_reference(InputReference::Upload(FilePart::from_path(path)?));
    let video = Client::from_env()?.videos().create(params)?;
    println!("started {} ({})", video.id, shown(&video.status));
    Ok(())
}
