//! The Videos API: one thin async method per operation, plus polling,
//! listing every page, and downloads.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::Stream;
use videos_core::response::ERROR_BODY_LIMIT;
use videos_core::{
    CreateCharacter, CreateVideo, DeleteVideo, DownloadContent, EditVideo, Error, ExtendVideo, ListVideos, Operation,
    Pager, PollAction, PollOptions, Poller, RemixVideo, RequestOptions, RetrieveCharacter, RetrieveVideo,
};
use videos_types::{Video, VideoCharacter, VideoContentVariant, VideoDeleteResponse, VideoList};

use crate::client::Client;
use crate::download::Download;
use crate::send::Read;

/// The Videos API on one client, with per-call options (extra headers and
/// query parameters, a timeout, an idempotency key) applied to every call
/// made through this handle.
#[derive(Clone, Debug)]
pub struct Videos {
    client: Client,
    options: RequestOptions,
}

impl Videos {
    pub(crate) fn new(client: Client) -> Self {
        Self { client, options: RequestOptions::default() }
    }

    /// Replaces the per-call options.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds a header to every call through this handle.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        self.options = self.options.header(name, value)?;
        Ok(self)
    }

    /// Adds a query parameter to every call through this handle.
    pub fn with_query(mut self, key: &str, value: &str) -> Self {
        self.options = self.options.query(key, value);
        self
    }

    /// Sets the timeout of each call (each attempt of it) instead of the configured one.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Uses `key` as the `Idempotency-Key` of POSTs instead of a fresh random one.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }

    async fn run<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        Ok(self.client.execute(op, &self.options).await?.value)
    }

    /// Starts a video-generation job.
    pub async fn create(&self, params: CreateVideo) -> Result<Video, Error> {
        self.run(&params).await
    }

    /// Starts a job and waits until it completes or fails.
    pub async fn create_and_poll(&self, params: CreateVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {}).await
    }

    /// [`Videos::create_and_poll`] with polling options and an observer that sees every state.
    pub async fn create_and_poll_with(
        &self,
        params: CreateVideo,
        poll: PollOptions,
        observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        self.start_and_poll(&params, poll, observer).await
    }

    /// Reads a job.
    pub async fn retrieve(&self, video_id: &str) -> Result<Video, Error> {
        self.run(&RetrieveVideo::new(video_id)).await
    }

    /// Reads one page of jobs.
    pub async fn list(&self, params: ListVideos) -> Result<VideoList, Error> {
        self.run(&params).await
    }

    /// Every job, page after page, starting with the page `first` describes.
    pub fn list_all(&self, first: ListVideos) -> impl Stream<Item = Result<Video, Error>> + Send + 'static {
        let this = self.clone();
        let state = (this, Pager::new(first), std::collections::VecDeque::new());
        futures_util::stream::try_unfold(state, |(this, mut pager, mut buffered)| async move {
            loop {
                if let Some(video) = buffered.pop_front() {
                    return Ok(Some((video, (this, pager, buffered))));
                }
                let Some(request) = pager.next_request().cloned() else { return Ok(None) };
                let page = this.list(request).await?;
                pager.handle_page(&page);
                buffered.extend(page.data);
            }
        })
    }

    /// Deletes a completed or failed job.
    pub async fn delete(&self, video_id: &str) -> Result<VideoDeleteResponse, Error> {
        self.run(&DeleteVideo::new(video_id)).await
    }

    /// Starts a remix of a completed job.
    pub async fn remix(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        self.run(&RemixVideo::new(video_id, prompt)).await
    }

    /// Starts a remix and waits for it.
    pub async fn remix_and_poll(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        self.start_and_poll(&RemixVideo::new(video_id, prompt), PollOptions::default(), |_| {}).await
    }

    /// Starts an edit.
    pub async fn edit(&self, params: EditVideo) -> Result<Video, Error> {
        self.run(&params).await
    }

    /// Starts an edit and waits for it.
    pub async fn edit_and_poll(&self, params: EditVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {}).await
    }

    /// Starts an extension.
    pub async fn extend(&self, params: ExtendVideo) -> Result<Video, Error> {
        self.run(&params).await
    }

    /// Starts an extension and waits for it.
    pub async fn extend_and_poll(&self, params: ExtendVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {}).await
    }

    /// Starts any job-creating operation (create, remix, edit, extend) and waits for it.
    pub async fn start_and_poll<O: Operation<Output = Video>>(
        &self,
        op: &O,
        poll: PollOptions,
        mut observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        let started = self.client.execute(op, &self.options).await?;
        observer(&started.value);
        let poller = Poller::from_video(started.value, &started.headers, poll, Instant::now());
        self.drive(poller, observer).await
    }

    /// Registers a character from a video file.
    pub async fn create_character(&self, params: CreateCharacter) -> Result<VideoCharacter, Error> {
        self.run(&params).await
    }

    /// Reads a character.
    pub async fn retrieve_character(&self, character_id: &str) -> Result<VideoCharacter, Error> {
        self.run(&RetrieveCharacter::new(character_id)).await
    }

    /// Waits until a job completes or fails.
    pub async fn poll(&self, video_id: &str) -> Result<Video, Error> {
        self.poll_with(video_id, PollOptions::default(), |_| {}).await
    }

    /// [`Videos::poll`] with options and an observer that sees every state.
    pub async fn poll_with(
        &self,
        video_id: &str,
        options: PollOptions,
        observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        self.drive(Poller::new(video_id, options), observer).await
    }

    async fn drive(&self, mut poller: Poller, mut observer: impl FnMut(&Video)) -> Result<Video, Error> {
        loop {
            match poller.next(Instant::now()) {
                PollAction::Send(op) => {
                    let fetched = self.client.execute(&op, &self.options).await?;
                    observer(&fetched.value);
                    poller.handle_video(fetched.value, &fetched.headers, Instant::now());
                }
                PollAction::Wait(wait) => tokio::time::sleep(wait).await,
                PollAction::Done(video) => return Ok(*video),
                PollAction::TimedOut(timeout) => return Err(timeout.into()),
            }
        }
    }

    /// Starts downloading a completed job's media; the body is streamed by
    /// the returned [`Download`]. `variant` defaults to the MP4.
    pub async fn download_content(
        &self,
        video_id: &str,
        variant: Option<VideoContentVariant>,
    ) -> Result<Download, Error> {
        let op = DownloadContent { video_id: video_id.to_owned(), variant };
        let options = self.options.with_random(fastrand::u128(..));
        let request = op.request(self.client.config(), &options)?;
        let received = self.client.send(&request, options.timeout, Read::HeadOnly(ERROR_BODY_LIMIT)).await?;
        match (op.parse_head(received.status, &received.headers), received.rest) {
            (Some(head), Some(rest)) => Ok(Download::new(head, rest)),
            _ => Err(op.parse_error(received.status, &received.headers, &received.body)),
        }
    }

    /// Downloads a completed job's media to `path`, atomically: see [`Download::save`].
    pub async fn download_to(
        &self,
        video_id: &str,
        variant: Option<VideoContentVariant>,
        path: &Path,
    ) -> Result<u64, Error> {
        self.download_content(video_id, variant).await?.save(path, |_, _| {}).await
    }
}
