//! The parts of `Videos` that differ in shape between the clients:
//! `list_all` and `create_many` as `Stream`s. The rest of `Videos`, the
//! same for both, is `surface.rs`, written by `cargo xtask codegen`.

use futures_util::Stream;
use tokio::time::sleep;
use videos_core::{
    Error, JobOutcome, ListVideos, ManyAction, ManyEvent, ManyItem, ManyJobs, ManyOptions, PageWalk, WalkStep,
};
use videos_types::Video;

use crate::surface::Videos;

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

impl Videos {
    /// Runs many jobs as one call: at most `options.concurrency` in
    /// progress, statuses refreshed with list pages (retrieves where the
    /// service does not list), completed videos saved as they finish when
    /// `options.save`, every request within the client's request budget.
    /// Yields each item's [`JobOutcome`] as it happens (completion order),
    /// exactly one per item; `observer` hears of each job created (to record
    /// its id) and of the counts after each step. See [`videos_core::many`].
    ///
    /// ```no_run
    /// # async fn run(videos: videos_reqwest::Videos) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures_util::StreamExt;
    /// use videos_reqwest::core::{CreateVideo, JobOutcome, ManyItem, ManyOptions};
    ///
    /// let items = ["A lighthouse at dusk", "A cat on a piano"].map(|p| ManyItem::new(CreateVideo::new(p)));
    /// let options = ManyOptions { save: true, save_dir: "out".into(), ..ManyOptions::default() };
    /// let mut outcomes = std::pin::pin!(videos.create_many(items.to_vec(), options, |_| {}));
    /// while let Some(outcome) = outcomes.next().await {
    ///     if let JobOutcome::Completed { video, file, .. } = outcome {
    ///         println!("{} saved to {:?}", video.id, file);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create_many(
        &self,
        items: Vec<ManyItem>,
        options: ManyOptions,
        observer: impl FnMut(ManyEvent<'_>) + Send + 'static,
    ) -> impl Stream<Item = JobOutcome> + Send + 'static {
        let many = ManyJobs::new(items, options, &videos_core::io::now());
        futures_util::stream::unfold((self.clone(), many, observer), |(this, mut many, mut observer)| async move {
            loop {
                match many.next(&videos_core::io::now()) {
                    ManyAction::Finished(outcome) => {
                        observer(ManyEvent::Progress(many.counts()));
                        return Some((outcome, (this, many, observer)));
                    }
                    ManyAction::Done => return None,
                    ManyAction::Wait(wait) => sleep(wait).await,
                    ManyAction::Create { index, item } => {
                        let params = item.params.clone();
                        let options = many.create_options(index, &this.options);
                        let result = this.client.execute(&params, &options).await.map(|r| r.value);
                        if let Ok(video) = &result {
                            observer(ManyEvent::Created { index, job_id: &video.id });
                        }
                        many.handle_created(index, result, &videos_core::io::now());
                    }
                    ManyAction::Refresh(list) => many.handle_page(this.list(list).await),
                    ManyAction::Retrieve { index, op } => {
                        let result = this.client.execute(&op, &this.options).await.map(|r| r.value);
                        many.handle_retrieved(index, result);
                    }
                    ManyAction::Save { index, job_id, file } => {
                        let saved = this.download_to(&job_id, None, &file).await.map(|_| file);
                        many.handle_saved(index, saved);
                    }
                }
                observer(ManyEvent::Progress(many.counts()));
            }
        })
    }
}
