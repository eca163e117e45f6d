//! A stateful local emulator of the OpenAI Videos API.
//!
//! It serves all ten operations under `/v1` with the service's JSON shapes,
//! status codes and error envelope, and renders **real media**: an H.264 MP4
//! whose size and duration are the job's, drawn from the prompt (the same
//! prompt gives the same bytes), a WebP thumbnail and a JPEG spritesheet.
//! Use it to try the SDK without an account, or to test your own client in CI.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let emulator = videos_emulator::Emulator::start(videos_emulator::EmulatorConfig::fast()).await?;
//! println!("point any OpenAI SDK at {}", emulator.base_url());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Behaviour worth knowing:
//! - jobs go `queued` → `in_progress` (progress rising) → `completed`; a
//!   prompt containing `[fail]` (or `[moderation]`) makes the job fail with
//!   an `error` after about a third of its time;
//! - job speed: [`EmulatorConfig::time_per_video_second`]; retrieve answers
//!   carry `openai-poll-after-ms`;
//! - content of a job that is not completed is a 404 with code `video_not_ready`;
//!   deleting a job that is still running is a 400;
//! - a POST repeating an `Idempotency-Key` gets the job the first one created;
//! - jobs are kept in [`EmulatorConfig::state_dir`], which emulators in
//!   several processes can share;
//! - faults ([`Faults`]) are off unless configured, and seeded.

mod config;
mod connections;
mod error;
mod journal;
mod media;
pub mod render;
mod routes;
mod state;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

pub use config::{AzureMode, EmulatorConfig, Faults, Limits};

/// A running emulator. Dropping it stops the server (without waiting);
/// [`Emulator::shutdown`] stops it gracefully.
#[derive(Debug)]
pub struct Emulator {
    address: SocketAddr,
    stop: Option<watch::Sender<bool>>,
    tasks: Vec<JoinHandle<()>>,
    shared: Arc<routes::Shared>,
    state_dir: PathBuf,
    /// Removes the temporary state directory when the emulator goes.
    _temp: Option<TempDir>,
}

impl Emulator {
    /// Starts on an ephemeral port of 127.0.0.1.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        Self::start_on("127.0.0.1:0".parse().map_err(std::io::Error::other)?, config).await
    }

    /// Starts on `address`. A configuration that fails [`EmulatorConfig::validate`] is refused.
    pub async fn start_on(address: SocketAddr, config: EmulatorConfig) -> std::io::Result<Emulator> {
        config.validate().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let (state_dir, temp) = match &config.state_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                (dir.clone(), None)
            }
            None => {
                let temp = TempDir::new()?;
                (temp.0.clone(), Some(temp))
            }
        };
        let listener = TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let shared = Arc::new(routes::Shared {
            faults: Mutex::new(fastrand::Rng::with_seed(config.faults.seed)),
            requests: Mutex::new(std::collections::VecDeque::new()),
            accepted_key: std::sync::RwLock::new(config.api_key.clone()),
            blob_origin: std::sync::OnceLock::new(),
            blob_secret: std::hash::RandomState::new(),
            config,
            store: Mutex::new(state::Store::open(&state_dir)?),
            state_dir: state_dir.clone(),
            render_slots: Semaphore::new(cpus),
            renders: media::Renders::default(),
        });
        let (max_connections, idle_timeout) = (shared.config.max_connections, shared.config.idle_timeout);
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        if shared.config.azure.is_some() {
            // Media are handed out from another origin, as Azure's blob URLs are.
            let blobs = TcpListener::bind((address.ip(), 0)).await?;
            let _ = shared.blob_origin.set(format!("http://{}", blobs.local_addr()?));
            let blobs = connections::Guarded::new(blobs, max_connections, idle_timeout);
            tasks.push(serve(blobs, routes::blob_router(shared.clone()), stopped.clone()));
        }
        let listener = connections::Guarded::new(listener, max_connections, idle_timeout);
        tasks.push(serve(listener, routes::router(shared.clone()), stopped));
        Ok(Emulator { address, stop: Some(stop), tasks, shared, state_dir, _temp: temp })
    }

    /// Accepts only `key` from now on (`None`: any key), as a rotated
    /// credential or an expired token would be refused.
    pub fn set_api_key(&self, key: Option<String>) {
        *self.shared.accepted_key.write().unwrap_or_else(std::sync::PoisonError::into_inner) = key;
    }

    /// The base URL to give a client, such as `http://127.0.0.1:39211/v1`
    /// (`…/openai/v1` in Azure mode).
    pub fn base_url(&self) -> String {
        match self.shared.config.azure {
            Some(_) => format!("http://{}/openai/v1", self.address),
            None => format!("http://{}/v1", self.address),
        }
    }

    /// In Azure mode, the endpoint to give an Azure client (`http://127.0.0.1:39211`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address listened on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Where media are kept.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// Stops accepting connections and waits for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }

    /// Serves until `signal` resolves (for the command line: Ctrl-C), then shuts down gracefully.
    pub async fn serve_until(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }
}

/// Serves `app` on `listener` until `stopped` turns true, then finishes in-flight answers.
fn serve(listener: connections::Guarded, app: axum::Router, mut stopped: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            })
            .await;
    })
}

/// A temporary directory removed on drop (the emulator's default state directory).
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        let dir =
            std::env::temp_dir().join(format!("videos-emulator-{}-{:016x}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The examples of this crate's README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
