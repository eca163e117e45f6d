//! The parts of `Videos` that differ in shape between the clients:
//! `list_all` and `create_many` as `Iterator`s. The rest of `Videos`, the
//! same for both, is `surface.rs`, written by `cargo xtask codegen`.

use std::thread::sleep;
use videos_core::{
    Error, JobOutcome, ListVideos, ManyAction, ManyEvent, ManyItem, ManyJobs, ManyOptions, PageWalk, WalkStep,
};
use videos_types::Video;

use crate::surface::Videos;

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

impl Videos {
    /// Runs many jobs as one call: at most `options.concurrency` in
    /// progress, statuses refreshed with list pages (retrieves where the
    /// service does not list), completed videos saved as they finish when
    /// `options.save`, every request within the client's request budget.
    /// The iterator yields each item's [`JobOutcome`] as it happens
    /// (completion order), exactly one per item; `observer` hears of each
    /// job created (to record its id) and of the counts after each step.
    /// See [`videos_core::many`].
    ///
    /// ```no_run
    /// # fn run(videos: videos_blocking::Videos) {
    /// use videos_blocking::core::{CreateVideo, JobOutcome, ManyItem, ManyOptions};
    ///
    /// let items = ["A lighthouse at dusk", "A cat on a piano"].map(|p| ManyItem::new(CreateVideo::new(p)));
    /// let options = ManyOptions { save: true, save_dir: "out".into(), ..ManyOptions::default() };
    /// for outcome in videos.create_many(items.to_vec(), options, |_| {}) {
    ///     if let JobOutcome::Completed { video, file, .. } = outcome {
    ///         println!("{} saved to {:?}", video.id, file);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn create_many(
        &self,
        items: Vec<ManyItem>,
        options: ManyOptions,
        observer: impl FnMut(ManyEvent<'_>) + Send + 'static,
    ) -> CreateMany {
        let many = ManyJobs::new(items, options, &videos_core::io::now());
        CreateMany { videos: self.clone(), many, observer: Box::new(observer) }
    }
}

/// The iterator [`Videos::create_many`] returns: each item's outcome as it happens.
pub struct CreateMany {
    videos: Videos,
    many: ManyJobs,
    observer: Box<dyn FnMut(ManyEvent<'_>) + Send>,
}

impl std::fmt::Debug for CreateMany {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateMany").field("counts", &self.many.counts()).finish_non_exhaustive()
    }
}

impl Iterator for CreateMany {
    type Item = JobOutcome;

    fn next(&mut self) -> Option<JobOutcome> {
        let Self { videos: this, many, observer } = self;
        loop {
            match many.next(&videos_core::io::now()) {
                ManyAction::Finished(outcome) => {
                    observer(ManyEvent::Progress(many.counts()));
                    return Some(outcome);
                }
                ManyAction::Done => return None,
                ManyAction::Wait(wait) => sleep(wait),
                ManyAction::Create { index, item } => {
                    let params = item.params.clone();
                    let options = many.create_options(index, &this.options);
                    let result = this.client.execute(&params, &options).map(|r| r.value);
                    if let Ok(video) = &result {
                        observer(ManyEvent::Created { index, job_id: &video.id });
                    }
                    many.handle_created(index, result, &videos_core::io::now());
                }
                ManyAction::Refresh(list) => many.handle_page(this.list(list)),
                ManyAction::Retrieve { index, op } => {
                    let result = this.client.execute(&op, &this.options).map(|r| r.value);
                    many.handle_retrieved(index, result);
                }
                ManyAction::Save { index, job_id, file } => {
                    let saved = this.download_to(&job_id, None, &file).map(|_| file);
                    many.handle_saved(index, saved);
                }
            }
            observer(ManyEvent::Progress(many.counts()));
        }
    }
}
