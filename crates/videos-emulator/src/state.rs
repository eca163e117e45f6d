//! The emulator's memory: jobs, characters and idempotency keys, and how a
//! job's status follows from the time since it was created.
//!
//! A job is stored once and *observed*: its status and progress are computed
//! from the wall clock, so there is no background ticking, no state to fall
//! out of step, and a job goes on while no emulator runs. Its media are
//! rendered when first needed (see `routes::media`).

use std::collections::HashMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use videos_types::{
    UnixTime, Video, VideoCharacter, VideoCreateError, VideoModel, VideoObject, VideoSeconds, VideoSize, VideoStatus,
};

use crate::journal::Journal;

/// Unix seconds now.
pub(crate) fn unix_now() -> i64 {
    unix_now_ms() / 1000
}

/// Unix milliseconds now.
pub(crate) fn unix_now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A prompt that asks the emulator to fail the job, and how.
const FAIL_TRIGGERS: &[(&str, &str, &str)] = &[
    ("[fail]", "video_generation_failed", "The emulator failed this job because its prompt contains [fail]."),
    ("[moderation]", "moderation_blocked", "The emulator blocked this job because its prompt contains [moderation]."),
];

/// The failure a prompt asks for, if any.
pub(crate) fn failure_for(prompt: &str) -> Option<Failure> {
    let lower = prompt.to_ascii_lowercase();
    FAIL_TRIGGERS
        .iter()
        .find(|(t, _, _)| lower.contains(t))
        .map(|(_, code, message)| Failure { code: (*code).to_owned(), message: (*message).to_owned() })
}

/// Why a job fails, when its prompt asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Failure {
    pub(crate) code: String,
    pub(crate) message: String,
}

/// One job, as the journal keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Job {
    /// The job as created; status, progress and timestamps are filled in by [`Job::observe`].
    pub(crate) video: Video,
    /// When it was created, in Unix milliseconds: wall-clock time, so that
    /// progress goes on while no emulator runs and every process agrees.
    pub(crate) created_ms: i64,
    /// How long it takes, in milliseconds.
    pub(crate) length_ms: u64,
    pub(crate) fail: Option<Failure>,
    /// The prompts the video is made of, with their seconds (for extensions).
    pub(crate) segments: Vec<(String, u32)>,
}

impl Job {
    /// The job as it is at `now_ms` (Unix milliseconds). A pure function of
    /// the job and the clock, so every process observes the same job.
    pub(crate) fn observe(&self, now_ms: i64) -> Video {
        let elapsed = now_ms.saturating_sub(self.created_ms).max(0) as f64;
        let length = self.length_ms as f64;
        let fraction = if self.length_ms == 0 { 1.0 } else { elapsed / length };
        let at = |fraction: f64| UnixTime::from_secs((self.created_ms + (length * fraction) as i64) / 1000);
        let mut v = self.video.clone();
        match &self.fail {
            Some(failure) if fraction >= 0.3 => {
                v.status = Some(VideoStatus::Failed);
                v.completed_at = Some(at(0.3));
                v.error = Some(VideoCreateError {
                    code: Some(failure.code.clone()),
                    message: Some(failure.message.clone()),
                    ..VideoCreateError::default()
                });
            }
            None if fraction >= 1.0 => {
                let done = at(1.0);
                v.status = Some(VideoStatus::Completed);
                v.progress = Some(100);
                v.expires_at = Some(UnixTime::from_secs(done.as_secs() + 24 * 60 * 60));
                v.completed_at = Some(done);
            }
            _ if fraction < 0.1 => {
                v.status = Some(VideoStatus::Queued);
                v.progress = Some(0);
            }
            _ => {
                v.status = Some(VideoStatus::InProgress);
                v.progress = Some(((fraction * 100.0) as i64).clamp(1, 99));
            }
        }
        v
    }

    /// Whether the job is still queued or in progress at `now_ms`: the
    /// same answer as [`Job::observe`], without building the video.
    pub(crate) fn running(&self, now_ms: i64) -> bool {
        let elapsed = now_ms.saturating_sub(self.created_ms).max(0) as f64;
        let end = if self.fail.is_some() { 0.3 } else { 1.0 };
        self.length_ms > 0 && elapsed / (self.length_ms as f64) < end
    }
}

/// One change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Entry {
    /// A job was created; `key` is its route and idempotency key, when the request had one.
    Created { job: Box<Job>, key: Option<String> },
    /// A job was deleted.
    Deleted { id: String },
    /// A character was registered.
    Character { character: VideoCharacter },
}

/// What [`Store::create`] did.
#[derive(Debug)]
pub(crate) enum Created {
    /// Stored the new job.
    New,
    /// An earlier request with the same key created this one.
    Existing(Box<Job>),
    /// The store holds its limit of jobs.
    Full,
    /// This many jobs are in progress, the most allowed at once.
    Busy(usize),
}

/// Everything the emulator remembers: the journal's entries applied, in
/// memory, caught up with the journal whenever it is taken.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) jobs: HashMap<String, Job>,
    /// Job ids in creation order.
    pub(crate) order: Vec<String>,
    pub(crate) characters: HashMap<String, VideoCharacter>,
    /// `route + key` → the job created the first time.
    idempotency: HashMap<String, String>,
    journal: Journal,
}

impl Store {
    /// Opens the journal in `dir` and replays it.
    pub(crate) fn open(dir: &Path) -> std::io::Result<Store> {
        let journal = Journal::open(dir)?;
        let mut store = Store {
            jobs: HashMap::new(),
            order: Vec::new(),
            characters: HashMap::new(),
            idempotency: HashMap::new(),
            journal,
        };
        store.catch_up()?;
        Ok(store)
    }

    /// Applies what any process appended since the last look.
    pub(crate) fn catch_up(&mut self) -> std::io::Result<()> {
        for entry in self.journal.read_new::<Entry>()? {
            self.apply(entry);
        }
        Ok(())
    }

    fn apply(&mut self, entry: Entry) {
        match entry {
            Entry::Created { job, key } => {
                let id = job.video.id.clone();
                if let Some(key) = key {
                    self.idempotency.insert(key, id.clone());
                }
                if self.jobs.insert(id.clone(), *job).is_none() {
                    self.order.push(id);
                }
            }
            Entry::Deleted { id } => {
                if self.jobs.remove(&id).is_some() {
                    self.order.retain(|other| *other != id);
                    self.idempotency.retain(|_, other| *other != id);
                }
            }
            Entry::Character { character } => {
                let id = character.id.clone().unwrap_or_default();
                self.characters.insert(id, character);
            }
        }
    }

    /// Appends `entry` under the journal's lock, after catching up, if
    /// `decide` (which sees the store caught up) lets it.
    fn append_if<T>(
        &mut self,
        entry: Entry,
        decide: impl FnOnce(&Store) -> Result<(), T>,
    ) -> std::io::Result<Result<(), T>> {
        let lock = self.journal.lock()?;
        let outcome = self.catch_up().and_then(|()| match decide(self) {
            Err(refused) => Ok(Err(refused)),
            Ok(()) => self.journal.append(&entry).map(Ok),
        });
        drop(lock);
        let outcome = outcome?;
        // Our own entry is applied as it is read back, like anyone else's.
        self.catch_up()?;
        Ok(outcome)
    }

    /// Stores a new job, unless `key` names a job created before or the store is full.
    pub(crate) fn create(
        &mut self,
        job: Job,
        key: Option<String>,
        max_jobs: usize,
        max_in_progress: Option<usize>,
    ) -> std::io::Result<Created> {
        let now_ms = job.created_ms;
        let entry = Entry::Created { job: Box::new(job), key: key.clone() };
        let outcome = self.append_if(entry, |store| {
            if let Some(job) = key.as_ref().and_then(|k| store.idempotency.get(k)).and_then(|id| store.jobs.get(id)) {
                return Err(Created::Existing(Box::new(job.clone())));
            }
            if store.jobs.len() >= max_jobs {
                return Err(Created::Full);
            }
            if let Some(cap) = max_in_progress {
                let running = store.jobs.values().filter(|job| job.running(now_ms)).count();
                if running >= cap {
                    return Err(Created::Busy(running));
                }
            }
            Ok(())
        })?;
        Ok(outcome.err().unwrap_or(Created::New))
    }

    /// Forgets a job; false when no process knows it any more.
    pub(crate) fn delete(&mut self, id: &str) -> std::io::Result<bool> {
        let entry = Entry::Deleted { id: id.to_owned() };
        Ok(self.append_if(entry, |store| if store.jobs.contains_key(id) { Ok(()) } else { Err(()) })?.is_ok())
    }

    /// Registers a character.
    pub(crate) fn add_character(&mut self, character: VideoCharacter) -> std::io::Result<()> {
        let Ok(()) = self.append_if(Entry::Character { character }, |_| Ok::<(), std::convert::Infallible>(()))?;
        Ok(())
    }
}

/// A job's status for messages (the emulator always sets one).
pub(crate) fn status_text(video: &Video) -> &str {
    video.status.as_ref().map_or("unknown", VideoStatus::as_str)
}

/// A fresh id with `prefix`.
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{:032x}", fastrand::u128(..))
}

/// A new job's `Video`, before it is observed.
pub(crate) fn new_video(
    id: String,
    model: VideoModel,
    size: VideoSize,
    seconds: VideoSeconds,
    prompt: Option<String>,
    remixed_from: Option<String>,
) -> Video {
    Video {
        id,
        object: Some(VideoObject::Video),
        model: Some(model),
        status: Some(VideoStatus::Queued),
        progress: Some(0),
        created_at: Some(UnixTime::from_secs(unix_now())),
        prompt,
        size: Some(size),
        seconds: Some(seconds),
        remixed_from_video_id: remixed_from,
        ..Video::default()
    }
}
