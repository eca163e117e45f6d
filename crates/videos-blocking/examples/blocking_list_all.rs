//! Print every video job, across all pages, oldest first.

use videos_blocking::Client;
use videos_blocking::core::ListVideos;
use videos_blocking::types::VideoListOrder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    for video in client.videos().list_all(ListVideos::new().limit(100).order(VideoListOrder::Asc)) {
        let video = video?;
        println!("{}\t{}\t{}\t{}s", video.id, video.status, video.size, video.seconds);
    }
    Ok(())
}
