//! Print every video job, across all pages, oldest first.

use futures_util::TryStreamExt;
use videos_reqwest::Client;
use videos_reqwest::core::ListVideos;
use videos_reqwest::types::{VideoListOrder, shown};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut all = std::pin::pin!(client.videos().list_all(ListVideos::new().limit(100).order(VideoListOrder::Asc)));
    while let Some(video) = all.try_next().await? {
        println!("{}\t{}\t{}\t{}s", video.id, shown(&video.status), shown(&video.size), shown(&video.seconds));
    }
    Ok(())
}
