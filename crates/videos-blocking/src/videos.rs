//! The Videos API: one thin blocking method per operation, plus polling,
//! listing every page, and downloads.

use std::path::Path;
use std::time::{Duration, Instant};

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

    fn run<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        Ok(self.client.execute(op, &self.options)?.value)
    }

    /// Starts a video-generation job.
    pub fn create(&self, params: CreateVideo) -> Result<Video, Error> {
        self.run(&params)
    }

    /// Starts a job and waits until it completes or fails.
    pub fn create_and_poll(&self, params: CreateVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {})
    }

    /// [`Videos::create_and_poll`] with polling options and an observer that sees every state.
    pub fn create_and_poll_with(
        &self,
        params: CreateVideo,
        poll: PollOptions,
        observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        self.start_and_poll(&params, poll, observer)
    }

    /// Reads a job.
    pub fn retrieve(&self, video_id: &str) -> Result<Video, Error> {
        self.run(&RetrieveVideo::new(video_id))
    }

    /// Reads one page of jobs.
    pub fn list(&self, params: ListVideos) -> Result<VideoList, Error> {
        self.run(&params)
    }

    /// Every job, page after page, starting with the page `first` describes.
    /// Pages are fetched as the iterator reaches them.
    pub fn list_all(&self, first: ListVideos) -> ListAll {
        ListAll {
            videos: self.clone(),
            pager: Pager::new(first),
            buffered: std::collections::VecDeque::new(),
            failed: false,
        }
    }

    /// Deletes a completed or failed job.
    pub fn delete(&self, video_id: &str) -> Result<VideoDeleteResponse, Error> {
        self.run(&DeleteVideo::new(video_id))
    }

    /// Starts a remix of a completed job.
    pub fn remix(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        self.run(&RemixVideo::new(video_id, prompt))
    }

    /// Starts a remix and waits for it.
    pub fn remix_and_poll(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        self.start_and_poll(&RemixVideo::new(video_id, prompt), PollOptions::default(), |_| {})
    }

    /// Starts an edit.
    pub fn edit(&self, params: EditVideo) -> Result<Video, Error> {
        self.run(&params)
    }

    /// Starts an edit and waits for it.
    pub fn edit_and_poll(&self, params: EditVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {})
    }

    /// Starts an extension.
    pub fn extend(&self, params: ExtendVideo) -> Result<Video, Error> {
        self.run(&params)
    }

    /// Starts an extension and waits for it.
    pub fn extend_and_poll(&self, params: ExtendVideo) -> Result<Video, Error> {
        self.start_and_poll(&params, PollOptions::default(), |_| {})
    }

    /// Starts any job-creating operation (create, remix, edit, extend) and waits for it.
    pub fn start_and_poll<O: Operation<Output = Video>>(
        &self,
        op: &O,
        poll: PollOptions,
        mut observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        let started = self.client.execute(op, &self.options)?;
        observer(&started.value);
        let poller = Poller::from_video(started.value, &started.headers, poll, Instant::now());
        self.drive(poller, observer)
    }

    /// Registers a character from a video file.
    pub fn create_character(&self, params: CreateCharacter) -> Result<VideoCharacter, Error> {
        self.run(&params)
    }

    /// Reads a character.
    pub fn retrieve_character(&self, character_id: &str) -> Result<VideoCharacter, Error> {
        self.run(&RetrieveCharacter::new(character_id))
    }

    /// Waits until a job completes or fails.
    pub fn poll(&self, video_id: &str) -> Result<Video, Error> {
        self.poll_with(video_id, PollOptions::default(), |_| {})
    }

    /// [`Videos::poll`] with options and an observer that sees every state.
    pub fn poll_with(
        &self,
        video_id: &str,
        options: PollOptions,
        observer: impl FnMut(&Video),
    ) -> Result<Video, Error> {
        self.drive(Poller::new(video_id, options), observer)
    }

    fn drive(&self, mut poller: Poller, mut observer: impl FnMut(&Video)) -> Result<Video, Error> {
        loop {
            match poller.next(Instant::now()) {
                PollAction::Send(op) => {
                    let fetched = self.client.execute(&op, &self.options)?;
                    observer(&fetched.value);
                    poller.handle_video(fetched.value, &fetched.headers, Instant::now());
                }
                PollAction::Wait(wait) => std::thread::sleep(wait),
                PollAction::Done(video) => return Ok(*video),
                PollAction::TimedOut(timeout) => return Err(timeout.into()),
            }
        }
    }

    /// Starts downloading a completed job's media; the body is streamed by
    /// the returned [`Download`]. `variant` defaults to the MP4.
    pub fn download_content(&self, video_id: &str, variant: Option<VideoContentVariant>) -> Result<Download, Error> {
        let op = DownloadContent { video_id: video_id.to_owned(), variant };
        let options = self.options.with_random(fastrand::u128(..));
        let request = op.request(self.client.config(), &options)?;
        let received = self.client.send(&request, options.timeout, Read::HeadOnly(ERROR_BODY_LIMIT))?;
        match (op.parse_head(received.status, &received.headers), received.rest) {
            (Some(head), Some(rest)) => Ok(Download::new(head, rest)),
            _ => Err(op.parse_error(received.status, &received.headers, &received.body)),
        }
    }

    /// Downloads a completed job's media to `path`, atomically: see [`Download::save`].
    pub fn download_to(&self, video_id: &str, variant: Option<VideoContentVariant>, path: &Path) -> Result<u64, Error> {
        self.download_content(video_id, variant)?.save(path, |_, _| {})
    }
}

/// The iterator [`Videos::list_all`] returns: every job across pages. After
/// an error it ends.
#[derive(Debug)]
pub struct ListAll {
    videos: Videos,
    pager: Pager,
    buffered: std::collections::VecDeque<Video>,
    failed: bool,
}

impl Iterator for ListAll {
    type Item = Result<Video, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(video) = self.buffered.pop_front() {
                return Some(Ok(video));
            }
            if self.failed {
                return None;
            }
            let request = self.pager.next_request()?.clone();
            match self.videos.list(request) {
                Ok(page) => {
                    self.pager.handle_page(&page);
                    self.buffered.extend(page.data);
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
