//! The Videos API on the async client: the surface shared with the blocking
//! client (expanded from [`videos_core::videos_surface`]), and `list_all`
//! as a `Stream`.

use futures_util::Stream;
use tokio::time::sleep;
use videos_core::{Error, ListVideos, PageWalk, WalkStep};
use videos_types::Video;

use crate::client::Client;
use crate::download::Download;

videos_core::videos_surface!(async, await; ".await", "# async fn run(videos: videos_reqwest::Videos) -> Result<(), Box<dyn std::error::Error>> {\n# use videos_reqwest::core::*;\n# use videos_reqwest::types::*;", "# Ok(()) }");

impl Videos {
    /// Every job, page after page, starting with the page `first` describes.
    /// Pages are fetched as the stream reaches them; after an error it ends.
    ///
    /// ```no_run
    /// # async fn run(videos: videos_reqwest::Videos) -> Result<(), videos_reqwest::Error> {
    /// use futures_util::TryStreamExt;
    /// use videos_reqwest::core::ListVideos;
    ///
    /// let all: Vec<_> = videos.list_all(ListVideos::new()).try_collect().await?;
    /// println!("{} jobs", all.len());
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, first: ListVideos) -> impl Stream<Item = Result<Video, Error>> + Send + 'static {
        let state = (self.clone(), PageWalk::new(first));
        futures_util::stream::unfold(state, |(this, mut walk)| async move {
            loop {
                match walk.next_step() {
                    WalkStep::Yield(video) => return Some((Ok(*video), (this, walk))),
                    WalkStep::Fetch(request) => match this.list(request).await {
                        Ok(page) => walk.handle_page(page),
                        Err(e) => {
                            walk.handle_error();
                            return Some((Err(e), (this, walk)));
                        }
                    },
                    WalkStep::Fail(e) => return Some((Err(e), (this, walk))),
                    WalkStep::End => return None,
                }
            }
        })
    }
}
