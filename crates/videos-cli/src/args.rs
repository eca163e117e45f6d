//! The command line, as clap reads it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Create, watch, download and manage Sora video-generation jobs.
///
/// With no API key, base URL or Azure endpoint (flags, or OPENAI_API_KEY /
/// OPENAI_BASE_URL / AZURE_OPENAI_ENDPOINT), commands run against a
/// built-in emulator, which renders real MP4s offline and keeps its jobs in
/// --state-dir, so that later commands see them.
#[derive(Debug, Parser)]
#[command(name = "videos", version)]
pub(crate) struct Cli {
    /// The API's base URL [default: OPENAI_BASE_URL, else `https://api.openai.com/v1`].
    #[arg(long, global = true, value_name = "URL", help_heading = "Connection")]
    pub(crate) base_url: Option<String>,
    /// The API key: a bearer key, or with Azure the resource key sent as
    /// `api-key` [default: OPENAI_API_KEY; with Azure AZURE_OPENAI_API_KEY,
    /// else AZURE_OPENAI_AD_TOKEN as a bearer token]. For `serve`, the only
    /// key it accepts.
    #[arg(long, global = true, value_name = "KEY", help_heading = "Connection")]
    pub(crate) api_key: Option<String>,
    /// An Azure OpenAI resource, `https://RESOURCE.openai.azure.com` (`/openai/v1`
    /// is added) [default: AZURE_OPENAI_ENDPOINT; ignored when a base URL is set].
    #[arg(long, global = true, value_name = "URL", help_heading = "Connection")]
    pub(crate) azure_endpoint: Option<String>,
    /// The `api-version` sent on every request [default: OPENAI_API_VERSION].
    /// For `serve --azure`, the version it requires.
    #[arg(long, global = true, value_name = "VERSION", help_heading = "Connection")]
    pub(crate) api_version: Option<String>,
    /// Where the built-in emulator keeps its jobs and media, shared by every
    /// `videos` command that uses it [default: VIDEOS_STATE_DIR, else the
    /// platform's data directory: $XDG_DATA_HOME/videos or
    /// ~/.local/share/videos on Linux, ~/Library/Application Support/videos
    /// on macOS, %LOCALAPPDATA%\videos on Windows]. For `serve`, the
    /// default is a temporary directory removed on exit.
    #[arg(long, global = true, value_name = "DIR", help_heading = "Connection")]
    pub(crate) state_dir: Option<PathBuf>,
    /// Print the raw API objects as JSON on stdout.
    #[arg(long, global = true, help_heading = "Output")]
    pub(crate) json: bool,
    /// Log to stderr: -v each call's retries and failures, -vv every
    /// attempt and answer, -vvv everything. RUST_LOG, when set, decides
    /// instead (such as RUST_LOG=videos=debug). `serve` logs one line per
    /// request without -v. No credential, header or prompt is ever logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Output")]
    pub(crate) verbose: u8,
    /// Seconds each attempt of a call that answers JSON may take in all,
    /// 0.1 to 86400 (a download's body is bounded by --read-timeout
    /// instead, since its length is open).
    #[arg(long, global = true, value_name = "SECS", default_value = "600", value_parser = timeout_seconds, help_heading = "Connection")]
    pub(crate) timeout: std::time::Duration,
    /// Seconds an answer may go silent between two reads of its body, 0.1 to 86400.
    #[arg(long, global = true, value_name = "SECS", default_value = "60", value_parser = timeout_seconds, help_heading = "Connection")]
    pub(crate) read_timeout: std::time::Duration,
    /// Seconds a job-creating command keeps retrying with the same
    /// idempotency key while the service refuses it for its limits (429) or
    /// an attempt gets no answer [default: 1800 when the command waits for
    /// the job (--wait, --output, `wait`), else 300]. No job is created twice.
    #[arg(long, global = true, value_name = "SECS", value_parser = patience_seconds, help_heading = "Connection")]
    pub(crate) patience: Option<std::time::Duration>,
    /// Never send more than N requests a minute (1 to 100000) [default: no cap
    /// of our own; the client adapts to the limits the service states].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000), help_heading = "Connection")]
    pub(crate) requests_per_minute: Option<u32>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Seconds of a rate-limit window: 0.1 to an hour.
fn window_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text.trim().parse().map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.1..=3600.0).contains(&seconds) {
        return Err(format!("{seconds} is outside 0.1 to 3600"));
    }
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("{seconds}: {e}"))
}

/// Seconds of patience: 0 to a week.
fn patience_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text.trim().parse().map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.0..=604_800.0).contains(&seconds) {
        return Err(format!("{seconds} is outside 0 to 604800 (a week)"));
    }
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("{seconds}: {e}"))
}

/// What to do: serve the API, or call it.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Every command that calls the API.
    #[command(flatten)]
    Api(ApiCommand),
    /// Run the emulator as a server, for any OpenAI SDK (base URL http://ADDR/v1).
    Serve(Serve),
}

/// The commands that call the API.
#[derive(Debug, Subcommand)]
pub(crate) enum ApiCommand {
    /// Start a video job from a prompt.
    Create {
        /// What the video should show.
        prompt: String,
        /// The model (sora-2, sora-2-pro, or a dated snapshot) [default: the
        /// service's, sora-2].
        #[arg(long)]
        model: Option<String>,
        /// The clip length in seconds (4, 8, 12, 16 or 20) [default: the service's, 4].
        #[arg(long)]
        seconds: Option<u32>,
        /// The frame size, WIDTHxHEIGHT (720x1280, 1280x720, 1024x1792,
        /// 1792x1024; 1920x1080 and 1080x1920 with sora-2-pro only) [default:
        /// the service's, 720x1280].
        #[arg(long)]
        size: Option<String>,
        /// A reference image: a file to upload, an http(s) or data: URL, or a
        /// Files API id (`file-…`). Anything else must be an existing file.
        #[arg(long, value_name = "PATH|URL|FILE_ID")]
        input_reference: Option<String>,
        #[command(flatten)]
        extra: Extra,
        #[command(flatten)]
        finish: Finish,
    },
    /// Run many creates from a JSON Lines file, saving each video as it completes.
    ///
    /// The jobs run within the service's limits. Each line is an
    /// object: `prompt` (required), `model`, `seconds`, `size`,
    /// `input_reference` (a file, URL or `file-` id), `name` (the saved file,
    /// default 0001.mp4, 0002.mp4, … by line), any other field passed through
    /// to the create. Every line is checked before any job is created. A
    /// manifest in the folder makes the same command, run again after a
    /// crash or Ctrl-C, resume without creating any job twice. Exits 0 only
    /// when every line was saved.
    Batch {
        /// The JSON Lines file; `-` reads stdin.
        file: String,
        /// The folder the videos and the manifest go to (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Jobs in progress at once, 1 to 100.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=100))]
        concurrency: u16,
    },
    /// Show one job.
    Get {
        /// The job's id.
        id: String,
    },
    /// List jobs.
    List {
        /// Jobs per page, 0 to 100 [default: the service's, 20].
        #[arg(long)]
        limit: Option<i64>,
        /// Sort by creation time [default: the service's, desc].
        #[arg(long, value_enum)]
        order: Option<Order>,
        /// Start after this job id.
        #[arg(long)]
        after: Option<String>,
        /// Follow every page.
        #[arg(long)]
        all: bool,
    },
    /// Delete a completed or failed job.
    Delete {
        /// The job's id.
        id: String,
    },
    /// Remix a completed job under a new prompt.
    Remix {
        /// The completed job's id.
        id: String,
        /// How the remix should differ.
        prompt: String,
        #[command(flatten)]
        extra: Extra,
        #[command(flatten)]
        finish: Finish,
    },
    /// Edit a video (a completed job's id, or a video file to upload).
    Edit {
        /// A job id or a video file.
        video: String,
        /// How to change it.
        prompt: String,
        /// The model, for a gateway that routes on it (OpenAI takes none here).
        #[arg(long)]
        model: Option<String>,
        #[command(flatten)]
        extra: Extra,
        #[command(flatten)]
        finish: Finish,
    },
    /// Extend a video (a completed job's id, or a video file) by a new segment.
    Extend {
        /// A job id or a video file.
        video: String,
        /// What happens in the new segment.
        prompt: String,
        /// The new segment's length in seconds (4, 8, 12, 16 or 20).
        #[arg(long)]
        seconds: u32,
        /// The model, for a gateway that routes on it (OpenAI takes none here).
        #[arg(long)]
        model: Option<String>,
        #[command(flatten)]
        extra: Extra,
        #[command(flatten)]
        finish: Finish,
    },
    /// Wait for a job to finish, showing its progress.
    Wait {
        /// The job's id.
        id: String,
        /// Then download the video here.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace the --output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Download a completed job's video, thumbnail or spritesheet.
    Download {
        /// The job's id.
        id: String,
        /// Which asset.
        #[arg(long, value_enum, default_value = "video")]
        variant: Variant,
        /// Where to write it (default: ID.mp4, ID.webp or ID.jpg).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Characters made from uploaded videos.
    #[command(subcommand)]
    Character(CharacterCommand),
}

/// `--wait` and `--output`, shared by the job-creating commands.
#[derive(Debug, Args)]
pub(crate) struct Finish {
    /// Wait until the job finishes, showing its progress.
    #[arg(long)]
    pub(crate) wait: bool,
    /// Then download the video here (implies --wait). Checked before the
    /// job is created: its directory must exist, and an existing file is
    /// kept unless --force.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

/// `--extra KEY=VALUE`, shared by the commands that send a body.
#[derive(Debug, Args)]
pub(crate) struct Extra {
    /// A field to add to the request body, for a gateway's own parameters
    /// (repeatable). A VALUE that parses as JSON (8, true, {"a":1}) is sent
    /// as JSON in a JSON body; anything else, and every value of a
    /// multipart body, as text.
    #[arg(long = "extra", value_name = "KEY=VALUE", value_parser = extra_field)]
    pub(crate) fields: Vec<(String, serde_json::Value)>,
    /// The create's Idempotency-Key: the same command with the same key gets
    /// the job the first one made, never a second [default: a fresh one].
    /// An error that leaves it unknown whether a job was made prints the
    /// command with the key to use.
    #[arg(long, value_name = "KEY")]
    pub(crate) idempotency_key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CharacterCommand {
    /// Register a character from a video file.
    Create {
        /// The display name (1 to 80 characters).
        #[arg(long)]
        name: String,
        /// The video showing the character.
        #[arg(long)]
        video: PathBuf,
        /// The model, for a gateway that routes on it (OpenAI takes none here).
        #[arg(long)]
        model: Option<String>,
        #[command(flatten)]
        extra: Extra,
    },
    /// Show a character.
    Get {
        /// The character's id.
        id: String,
    },
}

/// `videos serve`. The emulator accepts only the key given with the global
/// `--api-key` (or `OPENAI_API_KEY`) when there is one, else any Bearer
/// token, and keeps its jobs in the global `--state-dir` (or
/// `VIDEOS_STATE_DIR`) when one is given, else in a temporary directory.
#[derive(Debug, Args)]
pub(crate) struct Serve {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: SocketAddr,
    /// Seconds a job takes per second of video, 0 to 3600.
    #[arg(long, default_value_t = 0.75, value_parser = seconds_per_second)]
    pub(crate) seconds_per_video_second: f64,
    /// Frames per second of rendered videos, 1 to 60.
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub(crate) fps: u32,
    /// Jobs queued or in progress at once, 1 to 100000; a create beyond
    /// them is answered 429 [default: no cap]. (With `serve`, the global
    /// --requests-per-minute is the limit it enforces: every request counts
    /// over a sliding window, refused ones too, answers carry OpenAI's
    /// x-ratelimit-* headers, and one over the limit is answered 429.)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(crate) max_jobs_in_progress: Option<u32>,
    /// Answer `GET /videos` with a 400, as gateways that cannot list do
    /// (LiteLLM's proxy), to rehearse a client against one.
    #[arg(long)]
    pub(crate) no_list: bool,
    /// Answer a request over the limit with a Retry-After header (OpenAI's
    /// API sends none).
    #[arg(long)]
    pub(crate) rate_limit_retry_after: bool,
    /// Seconds of the window requests are counted over, 0.1 to 3600 (60, as
    /// the service's; shorter to rehearse a limit in seconds).
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = window_seconds)]
    pub(crate) rate_limit_window: std::time::Duration,
    /// Fraction of requests answered 429 (with retry-after-ms), 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub(crate) fault_rate_limit: f64,
    /// Fraction of requests answered 500, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub(crate) fault_server_error: f64,
    /// Fraction of requests answered 503, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub(crate) fault_unavailable: f64,
    /// Fraction of requests answered late, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub(crate) fault_slow: f64,
    /// How late, in milliseconds, 0 to 600000.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub(crate) fault_delay_ms: u64,
    /// Fraction of answers cut off mid-body, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub(crate) fault_cut: f64,
    /// Seconds a connection may send and receive nothing (a stalled request
    /// head or body, an unused keep-alive) before it is closed, 1 to 3600.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) header_read_timeout: u64,
    /// Seconds a request body may take to arrive in all, however steadily it
    /// trickles in (answered 408 after), 1 to 3600.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) body_read_timeout: u64,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0)]
    pub(crate) fault_seed: u64,
    /// Serve as Azure OpenAI does: under /openai/v1, with the key in an
    /// `api-key` header (or a bearer token), `apim-request-id` on answers,
    /// `--api-version` required when given, media behind signed redirects
    /// to another origin.
    #[arg(long)]
    pub(crate) azure: bool,
    /// With --azure: the media origin refuses (403) a request that carries
    /// a credential, to catch a client that leaks its key across origins.
    #[arg(long, requires = "azure")]
    pub(crate) strict_blobs: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Order {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Variant {
    Video,
    Thumbnail,
    Spritesheet,
}

/// A number within `range`, for a flag whose help names the range.
fn number_in(text: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, String> {
    let value: f64 = text.trim().parse().map_err(|_| format!("{text:?} is not a number"))?;
    if value.is_finite() && range.contains(&value) {
        Ok(value)
    } else {
        Err(format!("{text} is outside {} to {}", range.start(), range.end()))
    }
}

/// A fraction of requests: 0 to 1.
fn fraction(text: &str) -> Result<f64, String> {
    number_in(text, 0.0..=1.0)
}

/// `KEY=VALUE`, the value as JSON when it parses as JSON, else as text.
fn extra_field(text: &str) -> Result<(String, serde_json::Value), String> {
    let (key, value) = text.split_once('=').ok_or_else(|| format!("{text:?} is not KEY=VALUE"))?;
    if key.trim().is_empty() {
        return Err(format!("{text:?} has no KEY before the '='"));
    }
    let value = serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    Ok((key.trim().to_owned(), value))
}

/// A client time limit: a tenth of a second to a day.
fn timeout_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds = number_in(text, 0.1..=86_400.0)?;
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text}: {e}"))
}

/// How slow the emulator's jobs are: 0 to an hour per second of video.
fn seconds_per_second(text: &str) -> Result<f64, String> {
    number_in(text, 0.0..=3600.0)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[test]
    fn the_time_limit_defaults_are_the_cores() {
        let cli = super::Cli::parse_from(["videos", "list"]);
        assert_eq!(cli.timeout, videos_core::config::DEFAULT_REQUEST_TIMEOUT);
        assert_eq!(cli.read_timeout, videos_core::config::DEFAULT_READ_TIMEOUT);
    }
}
