//! Many jobs as one call: a state machine that decides which job to create
//! next, when to refresh the statuses of the jobs in progress and how, and
//! which finished video to save, so that a workload of hundreds of jobs
//! stays within a service's limits.
//!
//! ```text
//!   items ─► Create (one per free slot) ─► handle_created ─┬─ job ─► in progress
//!                                                          └─ refused for good ─► Finished(NotAccepted)
//!   in progress ─► Refresh(list page: up to 100 jobs a request) ─► handle_page
//!               └► Retrieve(one job), where the service does not list ─► handle_retrieved
//!   completed ─► Download (when saving) ─► handle_downloaded ─► Finished(Completed)
//!   failed, gone, past the deadline ─► Finished(Failed)
//! ```
//!
//! The transport calls [`ManyJobs::next`] with the current [`Now`] and
//! does what the [`ManyAction`] says, one action at a time, reporting each
//! outcome with the matching `handle_*` method. Every request goes through
//! the client's request budget ([`crate::pace`]), so the machine only
//! decides *what* to ask, never how fast. Each item ends in exactly one
//! [`JobOutcome`], yielded as it happens (completion order).
//!
//! Refreshing: one list page (newest first, 100 a page) answers for every
//! job in progress it shows, so 4 or 100 jobs in progress cost one request
//! per refresh; a job the page does not show is retrieved alone. A service
//! that answers the list with an error that no retry mends (LiteLLM's proxy
//! does) is refreshed with retrieves from then on, one job per action.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use videos_types::{Video, VideoList, VideoStatus};

use crate::error::{Error, PollTimeout};
use crate::io::Now;

mod outcome;

use crate::ops::{CreateVideo, ListVideos, RetrieveVideo};
use crate::poll::{DEFAULT_POLL_DEADLINE, DEFAULT_POLL_INTERVAL, MAX_SERVER_POLL_INTERVAL, is_final};
pub use outcome::{JobOutcome, ManyAction, ManyCounts, ManyEvent};

/// The most jobs a list page returns.
const PAGE: i64 = 100;

/// One job to create.
#[derive(Debug, Clone)]
pub struct ManyItem {
    /// What to create.
    pub params: CreateVideo,
    /// The `Idempotency-Key` of its create: the same key never makes a
    /// second job, so a caller that records it can resume after a crash.
    /// `None`: the transport draws one.
    pub idempotency_key: Option<String>,
    /// Fields added to this create's body (a gateway's own parameters).
    pub extra_body: serde_json::Map<String, serde_json::Value>,
    /// A job an earlier run already created for this item: it is waited
    /// for, not created again.
    pub job_id: Option<String>,
    /// Where to save its video, when saving ([`ManyOptions::save`]).
    pub file: Option<PathBuf>,
}

impl ManyItem {
    /// An item for `params`, with nothing else set.
    pub fn new(params: CreateVideo) -> Self {
        Self { params, idempotency_key: None, extra_body: serde_json::Map::new(), job_id: None, file: None }
    }
}

/// How to run many jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManyOptions {
    /// The most jobs in progress at once (at least 1).
    pub concurrency: usize,
    /// How often the statuses of jobs in progress are refreshed.
    pub refresh_interval: Duration,
    /// How long a job may run, from its create, before it is given up
    /// (its outcome is then [`Error::PollTimeout`]; the job goes on at the service).
    pub deadline: Duration,
    /// Whether completed videos are downloaded (each to its item's `file`,
    /// else `DIR/0001.mp4`, … by position under `save_dir`).
    pub save: bool,
    /// The folder saved videos go to when an item names no file.
    pub save_dir: PathBuf,
}

impl Default for ManyOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            refresh_interval: DEFAULT_POLL_INTERVAL * 2,
            deadline: DEFAULT_POLL_DEADLINE,
            save: false,
            save_dir: PathBuf::from("."),
        }
    }
}

#[derive(Debug)]
enum Slot {
    Waiting,
    Creating,
    Running { id: String, since: Instant, last: Option<Box<Video>> },
    ToSave { video: Box<Video> },
    Saving { video: Box<Video> },
    Ended,
}

/// The state machine of many jobs; see the module documentation.
#[derive(Debug)]
pub struct ManyJobs {
    items: Vec<ManyItem>,
    slots: Vec<Slot>,
    options: ManyOptions,
    ready: VecDeque<JobOutcome>,
    /// The next item to create.
    next_item: usize,
    /// Whether the service lists jobs (until an answer says otherwise).
    lists: bool,
    /// When the statuses were last refreshed (or a refresh failed).
    refreshed: Option<Instant>,
    /// Jobs the last list page did not show, to retrieve one by one.
    unseen: VecDeque<usize>,
    /// Refreshes that failed in a row.
    failures: u32,
    counts: ManyCounts,
}

impl ManyJobs {
    /// Many jobs, none created yet (but those an earlier run created, which are waited for).
    pub fn new(items: Vec<ManyItem>, mut options: ManyOptions, now: &Now) -> Self {
        let now = now.at;
        options.concurrency = options.concurrency.max(1);
        let slots: Vec<Slot> = items
            .iter()
            .map(|item| match &item.job_id {
                Some(id) => Slot::Running { id: id.clone(), since: now, last: None },
                None => Slot::Waiting,
            })
            .collect();
        let running = slots.iter().filter(|s| matches!(s, Slot::Running { .. })).count();
        let counts = ManyCounts { waiting: items.len() - running, in_progress: running, ..ManyCounts::default() };
        Self {
            items,
            slots,
            options,
            ready: VecDeque::new(),
            next_item: 0,
            lists: true,
            refreshed: None,
            unseen: VecDeque::new(),
            failures: 0,
            counts,
        }
    }

    /// Counts per state now.
    pub fn counts(&self) -> ManyCounts {
        self.counts
    }

    /// The items, as given.
    pub fn items(&self) -> &[ManyItem] {
        &self.items
    }

    /// The per-call options for item `index`'s create: `base` with the
    /// item's idempotency key and extra body fields.
    pub fn create_options(&self, index: usize, base: &crate::RequestOptions) -> crate::RequestOptions {
        let mut options = base.clone();
        if let Some(item) = self.items.get(index) {
            if item.idempotency_key.is_some() {
                options.idempotency_key = item.idempotency_key.clone();
            }
            options.extra_body.extend(item.extra_body.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        options
    }

    fn busy(&self) -> usize {
        self.slots.iter().filter(|s| matches!(s, Slot::Creating | Slot::Running { .. })).count()
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: &Now) -> ManyAction<'_> {
        let now = now.at;
        if let Some(outcome) = self.ready.pop_front() {
            return ManyAction::Finished(outcome);
        }
        self.expire(now);
        if let Some(outcome) = self.ready.pop_front() {
            return ManyAction::Finished(outcome);
        }
        // Saving first: it frees nothing at the service but ends an item.
        if let Some(index) = self.slots.iter().position(|s| matches!(s, Slot::ToSave { .. })) {
            let Slot::ToSave { video } = std::mem::replace(&mut self.slots[index], Slot::Ended) else {
                unreachable!("matched above")
            };
            let file = self.items[index].file.clone().unwrap_or_else(|| self.default_file(index));
            let job_id = video.id.clone();
            self.slots[index] = Slot::Saving { video };
            return ManyAction::Save { index, job_id, file };
        }
        // Then a create, while a slot is free.
        if self.busy() < self.options.concurrency {
            while self.next_item < self.items.len() && !matches!(self.slots[self.next_item], Slot::Waiting) {
                self.next_item += 1;
            }
            if self.next_item < self.items.len() {
                let index = self.next_item;
                self.next_item += 1;
                self.slots[index] = Slot::Creating;
                return ManyAction::Create { index, item: &self.items[index] };
            }
        }
        // Then, when due, a refresh of the jobs in progress.
        let running: Vec<usize> =
            (0..self.slots.len()).filter(|i| matches!(self.slots[*i], Slot::Running { .. })).collect();
        if running.is_empty() {
            if self.slots.iter().all(|s| matches!(s, Slot::Ended)) {
                return ManyAction::Done;
            }
            // Only reached by a caller that runs actions side by side, against the
            // one-at-a-time contract: a create or save is in flight; wait for it.
            return ManyAction::Wait(self.options.refresh_interval);
        }
        // The unseen of the last page are retrieved right away, one by one.
        while let Some(index) = self.unseen.pop_front() {
            if let Slot::Running { id, .. } = &self.slots[index] {
                return ManyAction::Retrieve { index, op: RetrieveVideo::new(id.clone()) };
            }
        }
        let due = self.refreshed.map_or(now, |at| crate::poll::later(at, self.interval()));
        if now < due {
            return ManyAction::Wait(due - now);
        }
        self.refreshed = Some(now);
        if self.lists {
            return ManyAction::Refresh(ListVideos::new().limit(PAGE));
        }
        // Without a list, one retrieve per job per interval: queue them all, send the first.
        self.unseen.extend(running.iter().skip(1));
        let index = running[0];
        let Slot::Running { id, .. } = &self.slots[index] else { unreachable!("filtered above") };
        ManyAction::Retrieve { index, op: RetrieveVideo::new(id.clone()) }
    }

    fn interval(&self) -> Duration {
        let base = self.options.refresh_interval;
        base.saturating_mul(1 << self.failures.min(6)).min(MAX_SERVER_POLL_INTERVAL.max(base))
    }

    fn default_file(&self, index: usize) -> PathBuf {
        self.options.save_dir.join(format!("{:04}.mp4", index + 1))
    }

    /// Jobs past the deadline end.
    fn expire(&mut self, now: Instant) {
        for index in 0..self.slots.len() {
            let Slot::Running { id, since, last } = &self.slots[index] else { continue };
            let waited = now.saturating_duration_since(*since);
            if waited < self.options.deadline {
                continue;
            }
            let timeout = PollTimeout {
                video_id: id.clone(),
                last_status: last.as_ref().and_then(|v| v.status.clone()),
                last_progress: last.as_ref().and_then(|v| v.progress),
                waited,
                last_failure: None,
            };
            let (job_id, video) = (id.clone(), last.clone());
            self.end(index, JobOutcome::Failed { index, job_id, video, error: Some(timeout.into()) });
        }
    }

    fn end(&mut self, index: usize, outcome: JobOutcome) {
        let was = std::mem::replace(&mut self.slots[index], Slot::Ended);
        match was {
            Slot::Waiting => self.counts.waiting -= 1,
            Slot::Creating => self.counts.waiting -= 1,
            Slot::Running { .. } => self.counts.in_progress -= 1,
            Slot::ToSave { .. } | Slot::Saving { .. } => {}
            Slot::Ended => return,
        }
        self.record(outcome);
    }

    /// Counts an ended item and queues its outcome for the caller.
    fn record(&mut self, outcome: JobOutcome) {
        match &outcome {
            JobOutcome::Completed { file, .. } => {
                self.counts.completed += 1;
                self.counts.saved += usize::from(file.is_some());
            }
            JobOutcome::Failed { .. } => self.counts.failed += 1,
            JobOutcome::NotAccepted { .. } => self.counts.not_accepted += 1,
        }
        self.ready.push_back(outcome);
    }

    /// The create of item `index` answered (after its exchange's retries and patience).
    pub fn handle_created(&mut self, index: usize, result: Result<Video, Error>, now: &Now) {
        let now = now.at;
        if !matches!(self.slots.get(index), Some(Slot::Creating)) {
            return;
        }
        match result {
            Ok(video) => {
                self.counts.waiting -= 1;
                self.counts.in_progress += 1;
                let id = video.id.clone();
                self.slots[index] = Slot::Running { id, since: now, last: None };
                self.observe(index, video);
            }
            Err(error) => self.end(index, JobOutcome::NotAccepted { index, error }),
        }
    }

    /// A job's latest state.
    fn observe(&mut self, index: usize, video: Video) {
        let Slot::Running { id, last, .. } = &mut self.slots[index] else { return };
        if video.id != *id {
            return;
        }
        let status = video.status.clone();
        if !status.as_ref().is_some_and(is_final) {
            *last = Some(Box::new(video));
            return;
        }
        let job_id = id.clone();
        if status == Some(VideoStatus::Completed) {
            if self.options.save {
                self.counts.in_progress -= 1;
                self.slots[index] = Slot::ToSave { video: Box::new(video) };
            } else {
                self.end(index, JobOutcome::Completed { index, video: Box::new(video), file: None });
            }
        } else {
            self.end(index, JobOutcome::Failed { index, job_id, video: Some(Box::new(video)), error: None });
        }
    }

    /// The list page of a [`ManyAction::Refresh`] arrived, or failed.
    pub fn handle_page(&mut self, result: Result<VideoList, Error>) {
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                if error.is_retryable() {
                    self.failures = self.failures.saturating_add(1);
                } else {
                    // The service does not list (or not for us): retrieve instead, at once.
                    self.lists = false;
                    self.refreshed = None;
                }
                return;
            }
        };
        self.failures = 0;
        let mut by_id: HashMap<String, Video> = page.data.into_iter().map(|v| (v.id.clone(), v)).collect();
        for index in 0..self.slots.len() {
            let Slot::Running { id, .. } = &self.slots[index] else { continue };
            match by_id.remove(id) {
                Some(video) => self.observe(index, video),
                None => self.unseen.push_back(index),
            }
        }
    }

    /// The retrieve of a [`ManyAction::Retrieve`] arrived, or failed.
    pub fn handle_retrieved(&mut self, index: usize, result: Result<Video, Error>) {
        match result {
            Ok(video) => {
                self.failures = 0;
                self.observe(index, video);
            }
            Err(error) if error.is_retryable() => {
                self.failures = self.failures.saturating_add(1);
                // Asked again at the next refresh.
                self.unseen.clear();
            }
            Err(error) => {
                let Some(Slot::Running { id, last, .. }) = self.slots.get(index) else { return };
                let (job_id, video) = (id.clone(), last.clone());
                self.end(index, JobOutcome::Failed { index, job_id, video, error: Some(error) });
            }
        }
    }

    /// The download of a [`ManyAction::Save`] ended.
    pub fn handle_saved(&mut self, index: usize, result: Result<PathBuf, Error>) {
        let video = match self.slots.get_mut(index).map(|slot| std::mem::replace(slot, Slot::Ended)) {
            Some(Slot::Saving { video }) => video,
            Some(other) => {
                self.slots[index] = other;
                return;
            }
            None => return,
        };
        let outcome = match result {
            Ok(file) => JobOutcome::Completed { index, video, file: Some(file) },
            Err(error) => {
                JobOutcome::Failed { index, job_id: video.id.clone(), video: Some(video), error: Some(error) }
            }
        };
        self.record(outcome);
    }
}

#[cfg(test)]
mod tests;
