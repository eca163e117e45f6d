//! The Videos API on the blocking client: the surface shared with the async
//! client (expanded from [`videos_core::videos_surface`]), and `list_all`
//! as an `Iterator`.

use std::thread::sleep;

use videos_core::{Error, ListVideos, PageWalk, WalkStep};
use videos_types::Video;

use crate::client::Client;
use crate::download::Download;

videos_core::videos_surface!(,);

impl Videos {
    /// Every job, page after page, starting with the page `first` describes.
    /// Pages are fetched as the iterator reaches them; after an error it ends.
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
