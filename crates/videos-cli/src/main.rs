//! `videos`: the Videos API from the command line.
//!
//! Files: `args.rs` (the command line), `settings.rs` (where the connection
//! comes from), `inputs.rs` (local files, checked before anything is sent),
//! `commands.rs` (what each command does), `batch.rs` (`videos batch`), `output.rs` (human and JSON
//! output), `progress.rs` (bars).

mod args;
mod batch;
mod commands;
mod inputs;
mod output;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // Decided once: `serve` logs its requests and stops gracefully on its own signal.
    let serving = matches!(cli.command, args::Command::Serve(_));
    logs(cli.verbose, serving);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The command that resumes a wait, while one runs: what to say if interrupted.
    let (resume, resume_hint) = tokio::sync::watch::channel(None::<String>);
    let outcome = runtime.block_on(async {
        if serving {
            return Some(commands::run(cli, resume).await);
        }
        // On SIGINT or SIGTERM the command's future is dropped: a download in
        // flight removes its temporary file as it goes, and the target is untouched.
        tokio::select! {
            result = commands::run(cli, resume) => Some(result),
            () = interrupted() => None,
        }
    });
    match outcome {
        Some(Ok(())) => ExitCode::SUCCESS,
        // The reader of our output went away (`videos list | head -1`): nothing is wrong.
        Some(Err(e)) if output::is_closed_stdout(e.as_ref()) => ExitCode::SUCCESS,
        Some(Err(e)) => {
            eprintln!("error: {}", output::one_line(e.as_ref()));
            if let Some(key) = may_exist_key(e.as_ref()) {
                eprintln!("to get that job without making another, run: {}", output::repeat_with_key(&key));
            }
            ExitCode::FAILURE
        }
        None => {
            match resume_hint.borrow().clone() {
                Some(resume) => {
                    eprintln!("interrupted: stopped waiting; the job goes on at the service. Resume with: {resume}")
                }
                None => eprintln!("interrupted: stopped, no partial download left behind"),
            }
            ExitCode::from(130)
        }
    }
}

/// The idempotency key of a job the service may have made, when the error says so.
fn may_exist_key(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(key) = e.downcast_ref::<videos_core::Error>().and_then(videos_core::Error::idempotency_key) {
            return Some(key.to_owned());
        }
        current = e.source();
    }
    None
}

/// Sends `tracing` output to stderr: RUST_LOG when set, else by `-v`
/// count; `serve` logs its requests (target `videos_emulator`) by default.
fn logs(verbose: u8, serving: bool) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let given = std::env::var("RUST_LOG").ok().filter(|d| !d.trim().is_empty());
    // RUST_LOG as `target=level` lists (`videos=debug,warn`); span-field filters are not read.
    let parsed = given.as_deref().map(|d| (d, d.parse::<Targets>()));
    if let Some((directives, Err(e))) = &parsed {
        eprintln!("warning: RUST_LOG={directives:?} is not a list of target=level: {e}; using the defaults");
    }
    let filter: Targets = match parsed {
        Some((_, Ok(targets))) => targets,
        _ => {
            let base = match verbose {
                0 => "warn",
                1 => "warn,videos=info,videos_emulator=info",
                2 => "warn,videos=debug,videos_emulator=debug",
                _ => "debug",
            };
            let base = if serving && verbose == 0 { "warn,videos_emulator=info" } else { base };
            base.parse().unwrap_or_default()
        }
    };
    // A closed stderr must not take a request down: the subscriber's own
    // report of a failed write would panic in `eprintln!`.
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).log_internal_errors(false);
    let _ = tracing_subscriber::registry().with(fmt).with(filter).try_init();
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM. The handlers are
/// registered when this is called, not when the future is first polled, so
/// a signal that comes right after (say, after `serve` printed its address)
/// is caught rather than killing the process.
fn interrupted() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        let mut terminate = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |signal: Option<tokio::signal::unix::Signal>| async move {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt.take()) => {}
                () = wait(terminate.take()) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
