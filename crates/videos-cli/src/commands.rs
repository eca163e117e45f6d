//! What each command does, on the async client. With no key and no base URL,
//! an emulator is started in this process first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::TryStreamExt;
use videos_core::{CreateCharacter, CreateVideo, EditVideo, ExtendVideo, FilePart, ListVideos, PollOptions};
use videos_emulator::{AzureMode, Emulator, EmulatorConfig, Faults, Limits};
use videos_reqwest::{Client, Videos};
use videos_types::{Video, VideoContentVariant, VideoListOrder, VideoSeconds, VideoSize, VideoStatus, shown};

use crate::args::{ApiCommand, CharacterCommand, Cli, Command, Extra, Finish, Order, Serve, Variant};
use crate::{inputs, output, progress, settings};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Runs the command line.
pub(crate) async fn run(cli: Cli, resume: Resume) -> Result<()> {
    let Cli {
        base_url,
        api_key,
        azure_endpoint,
        api_version,
        state_dir,
        json,
        timeout,
        read_timeout,
        patience,
        requests_per_minute,
        command,
        ..
    } = cli;
    let env = |name: &str| std::env::var(name).ok();
    let command = match command {
        Command::Api(command) => command,
        Command::Serve(serve) => {
            let key = api_key.or_else(|| env("OPENAI_API_KEY")).filter(|k| !k.trim().is_empty());
            // Only a directory asked for: by default `serve` starts afresh.
            let state_dir = match (&state_dir, env("VIDEOS_STATE_DIR")) {
                (None, None) => None,
                _ => settings::state_dir(state_dir, env)?.map(|(dir, _)| dir),
            };
            return self::serve(serve, key, api_version, state_dir, requests_per_minute).await;
        }
    };
    let flags = settings::Flags { base_url, api_key, azure_endpoint, api_version, state_dir };
    // The emulator, when there is one, lives until the command is done.
    let (config, _emulator) = settings::resolve(&flags, env).await?;
    let source = config.credential_source().map(str::to_owned);
    let connect = config.connect_timeout;
    let mut config = config.with_timeouts(connect, timeout).with_read_timeout(read_timeout);
    config = config.with_patience(patience.unwrap_or(if waits_for_job(&command) {
        WAITING_PATIENCE
    } else {
        videos_core::retry::DEFAULT_PATIENCE
    }));
    if let Some(rpm) = requests_per_minute {
        config = config.with_requests_per_minute(rpm);
    }
    let client = Client::new(config)?;
    let notice = tokio::spawn(limit_notice(client.clone()));
    let result = execute(&client, json, command, &resume).await;
    notice.abort();
    result.map_err(|e| settings::explain(e, source.as_deref()))
}

/// How long a command that waits for its job anyway lets a create wait for the service's limits.
const WAITING_PATIENCE: Duration = Duration::from_secs(1800);

/// Whether the command waits for the job it creates or names.
fn waits_for_job(command: &ApiCommand) -> bool {
    match command {
        ApiCommand::Create { finish, .. }
        | ApiCommand::Remix { finish, .. }
        | ApiCommand::Edit { finish, .. }
        | ApiCommand::Extend { finish, .. } => finish.wait || finish.output.is_some(),
        ApiCommand::Wait { .. } | ApiCommand::Batch { .. } => true,
        _ => false,
    }
}

/// Says once on stderr that the service's limits hold the command back, so
/// a quiet wait is not taken for a hang.
async fn limit_notice(client: Client) {
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let stats = client.pace_stats();
        if stats.refused > 0 {
            let patience = client.config().retry.patience.as_secs();
            eprintln!(
                "waiting for the service's limit: it refused {} request(s) for now; retrying at its pace \
                 (a create for up to {patience} s, with the same idempotency key)",
                stats.refused
            );
            return;
        }
    }
}

async fn execute(client: &Client, json: bool, command: ApiCommand, resume: &Resume) -> Result<()> {
    let videos = client.videos();
    match command {
        ApiCommand::Create { prompt, model, seconds, size, input_reference, extra, finish } => {
            inputs::check_output(finish.output.as_deref(), finish.force)?;
            let mut params = CreateVideo::new(prompt);
            if let Some(model) = model {
                params = params.model(model.as_str());
            }
            if let Some(seconds) = seconds {
                params = params.seconds(VideoSeconds::from_secs(seconds));
            }
            if let Some(size) = size {
                params = params.size(VideoSize::from(size));
            }
            if let Some(reference) = input_reference {
                let reference = inputs::reference(&reference, params.size.as_ref())?;
                params = params.input_reference(reference);
            }
            let video = with_extra(&videos, &extra).create(params).await?;
            finish_job(&videos, video, &finish, json, resume).await
        }
        ApiCommand::Batch { file, out, concurrency } => {
            crate::batch::run(client, &file, &out, concurrency.into(), json).await
        }
        ApiCommand::Get { id } => output::video(&videos.retrieve(&id).await?, json),
        ApiCommand::List { limit, order, after, all } => {
            let mut params = ListVideos::new();
            params.limit = limit;
            params.order = order.map(|o| match o {
                Order::Asc => VideoListOrder::Asc,
                Order::Desc => VideoListOrder::Desc,
            });
            params.after = after;
            if all {
                let all: Vec<Video> = videos.list_all(params).try_collect().await?;
                if json {
                    return output::json(&all);
                }
                for video in &all {
                    output::line(&output::video_line(video))?;
                }
            } else {
                let page = videos.list(params).await?;
                if json {
                    return output::json(&page);
                }
                for video in &page.data {
                    output::line(&output::video_line(video))?;
                }
                if page.has_more == Some(true)
                    && let Some(last) = &page.last_id
                {
                    eprintln!("more: videos list --after {}", output::clean(last));
                }
            }
            Ok(())
        }
        ApiCommand::Delete { id } => output::deleted(&videos.delete(&id).await?, json),
        ApiCommand::Remix { id, prompt, extra, finish } => {
            inputs::check_output(finish.output.as_deref(), finish.force)?;
            let video = with_extra(&videos, &extra).remix(&id, &prompt).await?;
            finish_job(&videos, video, &finish, json, resume).await
        }
        ApiCommand::Edit { video, prompt, model, extra, finish } => {
            inputs::check_output(finish.output.as_deref(), finish.force)?;
            let mut params = EditVideo::new(inputs::video_source(&video)?, prompt);
            if let Some(model) = model {
                params = params.model(model.as_str());
            }
            let started = with_extra(&videos, &extra).edit(params).await?;
            finish_job(&videos, started, &finish, json, resume).await
        }
        ApiCommand::Extend { video, prompt, seconds, model, extra, finish } => {
            inputs::check_output(finish.output.as_deref(), finish.force)?;
            let mut params = ExtendVideo::new(inputs::video_source(&video)?, prompt, VideoSeconds::from_secs(seconds));
            if let Some(model) = model {
                params = params.model(model.as_str());
            }
            let started = with_extra(&videos, &extra).extend(params).await?;
            finish_job(&videos, started, &finish, json, resume).await
        }
        ApiCommand::Wait { id, output, force } => {
            inputs::check_output(output.as_deref(), force)?;
            let video = wait(&videos, &id, output.as_deref(), resume).await?;
            finish_downloaded(&videos, video, output.as_deref(), json).await
        }
        ApiCommand::Download { id, variant, output, force } => {
            let (variant, extension) = match variant {
                Variant::Video => (VideoContentVariant::Video, "mp4"),
                Variant::Thumbnail => (VideoContentVariant::Thumbnail, "webp"),
                Variant::Spritesheet => (VideoContentVariant::Spritesheet, "jpg"),
            };
            let path = output.unwrap_or_else(|| PathBuf::from(format!("{id}.{extension}")));
            inputs::check_output(Some(&path), force)?;
            let written = download(&videos, &id, variant, &path).await?;
            eprintln!("wrote {} ({written} bytes)", path.display());
            Ok(())
        }
        ApiCommand::Character(CharacterCommand::Create { name, video, model, extra }) => {
            let mut params = CreateCharacter::new(name, FilePart::from_path(video)?);
            if let Some(model) = model {
                params = params.model(model.as_str());
            }
            let character = with_extra(&videos, &extra).create_character(params).await?;
            output::character(&character, json)
        }
        ApiCommand::Character(CharacterCommand::Get { id }) => {
            output::character(&videos.retrieve_character(&id).await?, json)
        }
    }
}

/// The handle with the command's `--extra` fields added to its body, and its `--idempotency-key`.
fn with_extra(videos: &Videos, extra: &Extra) -> Videos {
    let videos =
        extra.fields.iter().fold(videos.clone(), |videos, (key, value)| videos.with_body_field(key, value.clone()));
    match &extra.idempotency_key {
        Some(key) => videos.with_idempotency_key(key.clone()),
        None => videos,
    }
}

/// Where a command says how to resume the wait it is in, for `main` to
/// print if the command is interrupted (`None` while no wait runs).
pub(crate) type Resume = tokio::sync::watch::Sender<Option<String>>;

/// The command that waits for `id` (and saves it to `output`).
fn wait_command(id: &str, output_path: Option<&Path>) -> String {
    let id = output::clean(id);
    match output_path {
        Some(path) => format!("videos wait {id} --output {}", output::clean(&path.display().to_string())),
        None => format!("videos wait {id}"),
    }
}

async fn wait(videos: &Videos, id: &str, output_path: Option<&Path>, resume: &Resume) -> Result<Video> {
    resume.send_replace(Some(wait_command(id, output_path)));
    let bar = progress::job(id);
    let video = videos.poll_with(id, PollOptions::default(), |v| progress::update(&bar, v)).await;
    bar.finish_and_clear();
    let resume = resume.send_replace(None);
    match video {
        // The job may well be running: say how to take the wait up again.
        Err(e) if e.is_timeout() || e.is_retryable() => {
            let resume = resume.unwrap_or_else(|| wait_command(id, output_path));
            Err(format!("{e}; the job goes on at the service. Resume with: {resume}").into())
        }
        other => Ok(other?),
    }
}

async fn finish_job(videos: &Videos, video: Video, finish: &Finish, json: bool, resume: &Resume) -> Result<()> {
    let finished = video.status.as_ref().is_some_and(videos_core::poll::is_final);
    if !finish.wait && finish.output.is_none() {
        output::video(&video, json)?;
        if !finished {
            let suggested = PathBuf::from(format!("{}.mp4", video.id));
            eprintln!("started; to wait for it and save the video: {}", wait_command(&video.id, Some(&suggested)));
        }
        return Ok(());
    }
    let video = if finished { video } else { wait(videos, &video.id, finish.output.as_deref(), resume).await? };
    finish_downloaded(videos, video, finish.output.as_deref(), json).await
}

async fn finish_downloaded(videos: &Videos, video: Video, output_path: Option<&Path>, json: bool) -> Result<()> {
    output::video(&video, json)?;
    if let Some(error) = &video.error {
        return Err(format!("video {} failed: {}: {}", video.id, shown(&error.code), shown(&error.message)).into());
    }
    if video.status != Some(VideoStatus::Completed) {
        return Err(format!("video {} ended as {}", video.id, shown(&video.status)).into());
    }
    if let Some(path) = output_path {
        let written = download(videos, &video.id, VideoContentVariant::Video, path).await?;
        eprintln!("wrote {} ({written} bytes)", path.display());
    }
    Ok(())
}

async fn download(videos: &Videos, id: &str, variant: VideoContentVariant, path: &Path) -> Result<u64> {
    let download = videos.download_content(id, Some(variant)).await?;
    let bar = progress::download(&path.display().to_string());
    if let Some(total) = download.content_length() {
        bar.set_length(total);
    }
    let written = download.save(path, |received, _| bar.set_position(received)).await;
    bar.finish_and_clear();
    Ok(written?)
}

async fn serve(
    serve: Serve,
    api_key: Option<String>,
    api_version: Option<String>,
    state_dir: Option<PathBuf>,
    requests_per_minute: Option<u32>,
) -> Result<()> {
    let config = EmulatorConfig {
        lists: !serve.no_list,
        limits: Limits {
            requests_per_window: requests_per_minute,
            window: serve.rate_limit_window,
            max_jobs_in_progress: serve.max_jobs_in_progress,
            retry_after: serve.rate_limit_retry_after,
        },
        api_key,
        azure: serve.azure.then(|| AzureMode {
            api_version: api_version.filter(|v| !v.trim().is_empty()),
            strict_blobs: serve.strict_blobs,
        }),
        state_dir,
        time_per_video_second: Duration::try_from_secs_f64(serve.seconds_per_video_second)
            .map_err(|e| format!("invalid --seconds-per-video-second: {e}"))?,
        fps: serve.fps,
        idle_timeout: Duration::from_secs(serve.header_read_timeout),
        body_read_timeout: Duration::from_secs(serve.body_read_timeout),
        faults: Faults {
            seed: serve.fault_seed,
            rate_limit: serve.fault_rate_limit,
            server_error: serve.fault_server_error,
            unavailable: serve.fault_unavailable,
            slow: serve.fault_slow,
            delay: Duration::from_millis(serve.fault_delay_ms),
            cut: serve.fault_cut,
        },
        ..EmulatorConfig::default()
    };
    let emulator =
        Emulator::start_on(serve.addr, config).await.map_err(|e| format!("could not listen on {}: {e}", serve.addr))?;
    // Listen for the signals before saying we are up, so a prompt SIGTERM is still graceful.
    let stop = crate::interrupted();
    eprintln!(
        "Videos API emulator listening; base URL {} (media in {}; Ctrl-C or SIGTERM to stop)",
        emulator.base_url(),
        emulator.state_dir().display()
    );
    // A graceful stop on either signal finishes in-flight answers and drops the
    // emulator, which removes a temporary state directory.
    emulator.serve_until(stop).await;
    // Whoever read stderr may be gone by now; a failed write is no reason to fail.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), b"stopped\n");
    Ok(())
}
