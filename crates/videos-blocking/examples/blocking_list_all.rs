//! Print every video job, across all pages, oldest first.

use videos_blocking::Client;
use videos_blocking::core::ListVideos;
use videos_blocking::types::{VideoListOrder, shown};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    for video in client.videos().list_all(ListVideos::new().limit(100).order(VideoListOrder::Asc)) {
        let video = video?;
        println!("{}\t{}\t{}\t{}s", video.id, shown(&video.status), shown(&video.size), shown(&video.seconds));
    }
    Ok(())
}
