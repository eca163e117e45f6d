//! One adapter over both clients, so every transport scenario is written
//! once and run against `videos-reqwest` and `videos-blocking` alike. The
//! blocking client runs on tokio's blocking pool, off the test's runtime.

use std::path::Path;
use std::time::Duration;

use futures_util::TryStreamExt;
use videos_core::{
    Config, CreateCharacter, CreateVideo, EditVideo, Error, ExtendVideo, ListVideos, PollOptions, RetryPolicy,
};
use videos_types::{Video, VideoCharacter, VideoContentVariant, VideoDeleteResponse, VideoList};

/// Which client a scenario runs on.
#[derive(Clone, Debug)]
pub enum Transport {
    /// `videos-reqwest`.
    Async(videos_reqwest::Client),
    /// `videos-blocking`.
    Blocking(videos_blocking::Client),
}

/// The test API key.
pub const KEY: &str = "sk-test-key";

/// A config for a local server: test key, fast retries (so tests stay quick
/// but still exercise the waits), no patience beyond them (the scenarios
/// that need it set their own), short timeouts.
pub fn config(base_url: &str) -> Config {
    Config::new(KEY)
        .with_base_url(&format!("{base_url}/v1"))
        .expect("test base URL")
        .with_retry(RetryPolicy {
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            patience: Duration::ZERO,
            ..RetryPolicy::default()
        })
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(5))
}

/// Both clients for `config`.
pub fn both(config: &Config) -> [Transport; 2] {
    [
        Transport::Async(videos_reqwest::Client::new(config.clone()).expect("async client")),
        Transport::Blocking(videos_blocking::Client::new(config.clone()).expect("blocking client")),
    ]
}

macro_rules! call {
    ($self:expr, |$v:ident| $body:expr) => {
        match $self {
            Transport::Async(c) => {
                let $v = c.videos();
                $body.await
            }
            Transport::Blocking(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || {
                    let $v = c.videos();
                    $body
                })
                .await
                .expect("blocking call panicked")
            }
        }
    };
}

impl Transport {
    /// The transport's name, for assertion messages.
    pub fn name(&self) -> &'static str {
        match self {
            Transport::Async(_) => "reqwest",
            Transport::Blocking(_) => "blocking",
        }
    }

    /// `create`.
    pub async fn create(&self, params: CreateVideo) -> Result<Video, Error> {
        call!(self, |v| v.create(params))
    }

    /// `create` with a fixed idempotency key.
    pub async fn create_with_key(&self, params: CreateVideo, key: &str) -> Result<Video, Error> {
        let key = key.to_owned();
        call!(self, |v| v.with_idempotency_key(key).create(params))
    }

    /// `create` with a per-call header, query parameter and timeout.
    pub async fn create_with_extras(&self, params: CreateVideo, timeout: Duration) -> Result<Video, Error> {
        call!(self, |v| v
            .with_header("x-trace", "t-1")
            .unwrap()
            .with_query("debug", "1")
            .with_timeout(timeout)
            .create(params))
    }

    /// `retrieve`.
    pub async fn retrieve(&self, id: &str) -> Result<Video, Error> {
        let id = id.to_owned();
        call!(self, |v| v.retrieve(&id))
    }

    /// `list`.
    pub async fn list(&self, params: ListVideos) -> Result<VideoList, Error> {
        call!(self, |v| v.list(params))
    }

    /// `list_all`, collected.
    pub async fn list_all(&self, params: ListVideos) -> Result<Vec<Video>, Error> {
        match self {
            Transport::Async(c) => c.videos().list_all(params).try_collect().await,
            Transport::Blocking(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || c.videos().list_all(params).collect())
                    .await
                    .expect("blocking call panicked")
            }
        }
    }

    /// `delete`.
    pub async fn delete(&self, id: &str) -> Result<VideoDeleteResponse, Error> {
        let id = id.to_owned();
        call!(self, |v| v.delete(&id))
    }

    /// `remix`.
    pub async fn remix(&self, id: &str, prompt: &str) -> Result<Video, Error> {
        let (id, prompt) = (id.to_owned(), prompt.to_owned());
        call!(self, |v| v.remix(&id, &prompt))
    }

    /// `edit`.
    pub async fn edit(&self, params: EditVideo) -> Result<Video, Error> {
        call!(self, |v| v.edit(params))
    }

    /// `edit` through a handle with extra body fields.
    pub async fn edit_with_fields(
        &self,
        params: EditVideo,
        fields: &[(&str, serde_json::Value)],
    ) -> Result<Video, Error> {
        let fields: Vec<(String, serde_json::Value)> =
            fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        call!(self, |v| fields.iter().fold(v, |v, (key, value)| v.with_body_field(key, value.clone())).edit(params))
    }

    /// `extend`.
    pub async fn extend(&self, params: ExtendVideo) -> Result<Video, Error> {
        call!(self, |v| v.extend(params))
    }

    /// `create_character`.
    pub async fn create_character(&self, params: CreateCharacter) -> Result<VideoCharacter, Error> {
        call!(self, |v| v.create_character(params))
    }

    /// `retrieve_character`.
    pub async fn retrieve_character(&self, id: &str) -> Result<VideoCharacter, Error> {
        let id = id.to_owned();
        call!(self, |v| v.retrieve_character(&id))
    }

    /// `poll_with`, returning the final video and every status observed.
    pub async fn poll(&self, id: &str, options: PollOptions) -> (Result<Video, Error>, Vec<(String, i64)>) {
        let id = id.to_owned();
        match self {
            Transport::Async(c) => {
                let mut seen = Vec::new();
                let result = c.videos().poll_with(&id, options, |v| seen.push(observed(v))).await;
                (result, seen)
            }
            Transport::Blocking(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || {
                    let mut seen = Vec::new();
                    let result = c.videos().poll_with(&id, options, |v| seen.push(observed(v)));
                    (result, seen)
                })
                .await
                .expect("blocking call panicked")
            }
        }
    }

    /// `create_and_poll`.
    pub async fn create_and_poll(&self, params: CreateVideo) -> Result<Video, Error> {
        call!(self, |v| v.create_and_poll(params))
    }

    /// `create_many`, collected: the outcomes in the order they came, and
    /// the ids the observer heard of as jobs were created.
    pub async fn create_many(
        &self,
        items: Vec<videos_core::ManyItem>,
        options: videos_core::ManyOptions,
    ) -> (Vec<videos_core::JobOutcome>, Vec<(usize, String)>) {
        let created = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = created.clone();
        let observer = move |event: videos_core::ManyEvent<'_>| {
            if let videos_core::ManyEvent::Created { index, job_id } = event {
                heard.lock().unwrap().push((index, job_id.to_owned()));
            }
        };
        let outcomes = match self {
            Transport::Async(c) => {
                use futures_util::StreamExt;
                c.videos().create_many(items, options, observer).collect::<Vec<_>>().await
            }
            Transport::Blocking(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || c.videos().create_many(items, options, observer).collect())
                    .await
                    .expect("blocking call panicked")
            }
        };
        let created = created.lock().unwrap().clone();
        (outcomes, created)
    }

    /// `download_to`.
    pub async fn download_to(&self, id: &str, variant: Option<VideoContentVariant>, path: &Path) -> Result<u64, Error> {
        let (id, path) = (id.to_owned(), path.to_path_buf());
        call!(self, |v| v.download_to(&id, variant, &path))
    }

    /// `download_content` written into memory (for small assets in tests).
    pub async fn download_bytes(
        &self,
        id: &str,
        variant: Option<VideoContentVariant>,
    ) -> Result<(Option<String>, Vec<u8>), Error> {
        let id = id.to_owned();
        match self {
            Transport::Async(c) => {
                let download = c.videos().download_content(&id, variant).await?;
                let content_type = download.content_type().map(str::to_owned);
                let mut out = Vec::new();
                download.write_to(&mut out, |_, _| {}).await?;
                Ok((content_type, out))
            }
            Transport::Blocking(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || {
                    let download = c.videos().download_content(&id, variant)?;
                    let content_type = download.content_type().map(str::to_owned);
                    let mut out = Vec::new();
                    download.write_to(&mut out, |_, _| {})?;
                    Ok((content_type, out))
                })
                .await
                .expect("blocking call panicked")
            }
        }
    }
}

/// A polled video's status (`null` when it had none) and progress (0 when it had none).
fn observed(video: &Video) -> (String, i64) {
    (video.status.as_ref().map_or_else(|| "null".to_owned(), ToString::to_string), video.progress.unwrap_or(0))
}
