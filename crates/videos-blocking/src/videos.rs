//! The Videos API on the blocking client: the surface shared with the async
//! client (expanded from [`videos_core::videos_surface`]), and `list_all`
//! as an `Iterator`.

use std::thread::sleep;

use videos_core::{Error, ListVideos, PageWalk, WalkStep};
use videos_types::Video;

use crate::client::Client;
use crate::download::Download;

videos_core::videos_surface!(,; "", "# fn run(videos: videos_blocking::Videos) -> Result<(), Box<dyn std::error::Error>> {\n# use videos_blocking::core::*;\n# use videos_blocking::types::*;", "# Ok(()) }");

impl Videos {
    /// Every job, page after page, starting with the page `first` describes.
    /// Pages are fetched as the iterator reaches them; after an error it ends.
    ///
    /// ```no_run
    /// # fn run(videos: videos_blocking::Videos) -> Result<(), videos_blocking::Error> {
    /// use videos_blocking::core::ListVideos;
    ///
    /// for video in videos.list_all(ListVideos::new()) {
    ///     let video = video?;
    ///     println!("{}", video.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, first: ListVideos) -> ListAll {
        ListAll { videos: self.clone(), walk: PageWalk::new(first) }
    }
}

/// The iterator [`Videos::list_all`] returns: every job across pages.
#[derive(Debug)]
pub struct ListAll {
    videos: Videos,
    walk: PageWalk,
}

impl Iterator for ListAll {
    type Item = Result<Video, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.walk.next_step() {
                WalkStep::Yield(video) => return Some(Ok(*video)),
                WalkStep::Fetch(request) => match self.videos.list(request) {
                    Ok(page) => self.walk.handle_page(page),
                    Err(e) => {
                        self.walk.handle_error();
                        return Some(Err(e));
                    }
                },
                WalkStep::Fail(e) => return Some(Err(e)),
                WalkStep::End => return None,
            }
        }
    }
}
