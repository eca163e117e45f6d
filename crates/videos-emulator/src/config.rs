//! How an emulator behaves: auth, job speed, rendering, limits and faults.

use std::path::PathBuf;
use std::time::Duration;

/// Settings of one emulator instance.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The only API key accepted; `None` accepts any Bearer token (one is still required).
    pub api_key: Option<String>,
    /// Where jobs (`journal.jsonl`) and their media are kept; a fresh
    /// temporary directory, removed when the emulator goes, when `None`.
    /// Emulators given the same directory, in one process or several, share
    /// their jobs.
    pub state_dir: Option<PathBuf>,
    /// How long a job takes per second of video (default 0.75 s, so a 4 s clip
    /// completes in about 3 s; rendering time is added if it takes longer).
    pub time_per_video_second: Duration,
    /// Frames per second of rendered videos.
    pub fps: u32,
    /// Whether a new job's media are rendered at once, in the background (the
    /// default), or only when first downloaded. A short-lived process, such
    /// as one `videos create`, turns it off: it would otherwise wait at exit
    /// for a render it will never serve.
    pub render_ahead: bool,
    /// The largest request body accepted, in bytes (uploads included).
    pub max_body_bytes: usize,
    /// The most jobs kept; creating more is refused until some are deleted.
    pub max_jobs: usize,
    /// The most connections open at once; more wait for a free slot. Kept
    /// below the usual limit of 1,024 file descriptors, which state files need too.
    pub max_connections: usize,
    /// How long a connection may send and receive nothing (a request head or
    /// body that stalls, an unused keep-alive) before it is closed.
    pub idle_timeout: Duration,
    /// How long a request body may take to arrive in all, however steadily
    /// it trickles in; a slower one is answered 408.
    pub body_read_timeout: Duration,
    /// Whether `GET /videos` lists jobs (the default), or answers 400 as
    /// gateways that cannot list do (LiteLLM's proxy), for rehearsing clients.
    pub lists: bool,
    /// Limits on requests per window and jobs in progress, off by default.
    pub limits: Limits,
    /// Injected failures, off by default.
    pub faults: Faults,
    /// Azure OpenAI's shape of the API, when set: see [`AzureMode`].
    pub azure: Option<AzureMode>,
}

/// Serving the API as Azure OpenAI does (`videos serve --azure`): under
/// `/openai/v1`, with the key in an `api-key` header (a Bearer token works
/// too, as an Entra ID token does), `apim-request-id` on every answer, and
/// media served the way Azure hands out blobs: a redirect to a signed URL on
/// another origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureMode {
    /// The `api-version` every request must carry, when set.
    pub api_version: Option<String>,
    /// Whether the blob origin refuses (403) a request that carries a
    /// credential, which tells a client that leaks its key across origins.
    /// Off by default: the official Node SDK (openai 6.49.0) forwards an
    /// `api-key` header along a redirect to another origin.
    pub strict_blobs: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            api_key: None,
            state_dir: None,
            time_per_video_second: Duration::from_millis(750),
            fps: 24,
            render_ahead: true,
            max_body_bytes: 64 * 1024 * 1024,
            max_jobs: 10_000,
            max_connections: 512,
            idle_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(60),
            lists: true,
            limits: Limits::default(),
            faults: Faults::default(),
            azure: None,
        }
    }
}

impl EmulatorConfig {
    /// Jobs finish as soon as their media are rendered, at a low frame rate:
    /// what tests want.
    pub fn fast() -> Self {
        Self { time_per_video_second: Duration::ZERO, fps: 4, ..Self::default() }
    }

    /// Checks every number against the range the emulator can honour, naming
    /// the field at fault: a job an hour per second of video, 1 to 60 frames a
    /// second, fault fractions of 0 to 1, a fault delay of at most ten minutes.
    /// [`crate::Emulator::start`] refuses a configuration that fails this.
    pub fn validate(&self) -> Result<(), String> {
        let fail = |field: &str, why: String| Err(format!("invalid emulator setting {field}: {why}"));
        if self.time_per_video_second > Duration::from_secs(3600) {
            return fail("time_per_video_second", format!("{:?} is over an hour", self.time_per_video_second));
        }
        if !(1..=60).contains(&self.fps) {
            return fail("fps", format!("{} is outside 1 to 60", self.fps));
        }
        let fractions = [
            ("faults.rate_limit", self.faults.rate_limit),
            ("faults.server_error", self.faults.server_error),
            ("faults.unavailable", self.faults.unavailable),
            ("faults.slow", self.faults.slow),
            ("faults.cut", self.faults.cut),
        ];
        for (field, value) in fractions {
            if !(0.0..=1.0).contains(&value) {
                return fail(field, format!("{value} is outside 0 to 1"));
            }
        }
        if self.faults.delay > Duration::from_secs(600) {
            return fail("faults.delay", format!("{:?} is over ten minutes", self.faults.delay));
        }
        if self.limits.requests_per_window == Some(0) || self.limits.max_jobs_in_progress == Some(0) {
            return fail("limits", "a limit of zero would refuse everything; leave it unset for none".to_owned());
        }
        if self.limits.window.is_zero() || self.limits.window > Duration::from_secs(3600) {
            return fail("limits.window", format!("{:?} is outside (0, 1 hour]", self.limits.window));
        }
        if self.max_connections == 0 || self.idle_timeout.is_zero() || self.body_read_timeout.is_zero() {
            return fail("max_connections / idle_timeout / body_read_timeout", "must be above zero".to_owned());
        }
        Ok(())
    }
}

/// A service's limits, to rehearse against: every request counts over a
/// sliding window (refused ones too, as OpenAI counts them), answers carry
/// OpenAI's `x-ratelimit-*-requests` headers, and a request over the limit
/// is answered 429 with OpenAI's error shape. Creates beyond the jobs in
/// progress are answered 429 too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Requests allowed per [`Limits::window`]; `None`: no request limit (and no headers).
    pub requests_per_window: Option<u32>,
    /// The window requests are counted over: a minute, as the service's;
    /// shorter in tests, so a rate-limited scenario runs in seconds.
    pub window: Duration,
    /// Jobs queued or in progress at once; `None`: no cap.
    pub max_jobs_in_progress: Option<u32>,
    /// Whether a refusal for the request rate carries `Retry-After` (OpenAI's do not).
    pub retry_after: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            requests_per_window: None,
            window: Duration::from_secs(60),
            max_jobs_in_progress: None,
            retry_after: false,
        }
    }
}

/// Fractions (0.0 to 1.0) of requests answered with a fault instead of
/// normally. The draws come from a generator seeded with `seed`, so a test
/// sees the same faults on every run.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Seed of the fault generator.
    pub seed: u64,
    /// Answered 429 with `retry-after-ms`.
    pub rate_limit: f64,
    /// Answered 500.
    pub server_error: f64,
    /// Answered 503.
    pub unavailable: f64,
    /// Answered normally after [`Faults::delay`].
    pub slow: f64,
    /// How long a slow answer waits.
    pub delay: Duration,
    /// Answered with a head and half the body, then the connection is cut.
    pub cut: f64,
}

impl Faults {
    /// Whether any fault can happen.
    pub fn any(&self) -> bool {
        self.rate_limit + self.server_error + self.unavailable + self.slow + self.cut > 0.0
    }
}
