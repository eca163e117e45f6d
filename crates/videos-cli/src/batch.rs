//! `videos batch FILE --out DIR`: many creates from a JSON Lines file, run
//! as one `create_many` within the service's limits, each video saved into
//! DIR as it completes. The manifest in DIR (see [`manifest`]) makes a rerun
//! resume: no line ever creates a second job, and saved files are not
//! fetched again.

mod lines;
mod manifest;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use videos_core::{JobOutcome, ManyEvent, ManyItem, ManyOptions};
use videos_reqwest::Client;
use videos_types::shown;

use manifest::{Manifest, State};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Runs the batch in `file` (`-`: stdin) into `out`.
pub(crate) async fn run(client: &Client, file: &str, out: &Path, concurrency: usize, json: bool) -> Result<()> {
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("could not read stdin: {e}"))?
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("could not read {file}: {e}"))?
    };
    let lines = lines::parse(&text).map_err(|e| format!("{}: {e}", if file == "-" { "stdin" } else { file }))?;
    std::fs::create_dir_all(out).map_err(|e| format!("--out: could not create {}: {e}", out.display()))?;
    let described: Vec<(usize, &str, &str)> =
        lines.iter().map(|l| (l.number, l.text.as_str(), l.name.as_str())).collect();
    let manifest = Manifest::open(out, &described, videos_core::io::random::u128)?;

    // Lines already saved stay as they are; every other is run (a created one is waited for).
    let mut items = Vec::new();
    let mut entry_of = Vec::new();
    let mut already = 0;
    for (at, (line, entry)) in lines.into_iter().zip(&manifest.entries).enumerate() {
        let file = out.join(&entry.file);
        if entry.state == State::Saved && file.is_file() {
            already += 1;
            continue;
        }
        let mut item = ManyItem::new(line.params);
        item.idempotency_key = Some(entry.idempotency_key.clone());
        item.job_id = entry.job_id.clone();
        item.extra_body = line.extra;
        item.file = Some(file);
        items.push(item);
        entry_of.push(at);
    }
    let total = manifest.entries.len();
    if already > 0 {
        eprintln!("resuming: {already} of {total} lines already saved in {}", out.display());
    }
    let manifest = Arc::new(Mutex::new(manifest));
    let entry_of = Arc::new(entry_of);
    let options = ManyOptions { concurrency, save: true, save_dir: out.to_path_buf(), ..ManyOptions::default() };
    let bar = live_line();
    let started = Instant::now();
    let observer = {
        let (manifest, entry_of, bar) = (manifest.clone(), entry_of.clone(), bar.clone());
        move |event: ManyEvent<'_>| match event {
            ManyEvent::Created { index, job_id } => {
                let mut manifest = manifest.lock().unwrap_or_else(PoisonError::into_inner);
                let entry = &mut manifest.entries[entry_of[index]];
                entry.job_id = Some(job_id.to_owned());
                entry.state = State::Created;
                if let Err(e) = manifest.save() {
                    bar.println(format!("warning: {e}"));
                }
            }
            ManyEvent::Progress(counts) => {
                let done = counts.completed + counts.failed + counts.not_accepted;
                let left = counts.waiting + counts.in_progress;
                let estimate = match done {
                    0 => String::new(),
                    _ => {
                        let seconds = started.elapsed().as_secs_f64() * left as f64 / done as f64;
                        let left = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
                        format!(", about {left:.0?} left")
                    }
                };
                bar.set_message(format!(
                    "waiting {} · in progress {} · completed {} · failed {} · saved {}{estimate}",
                    counts.waiting,
                    counts.in_progress,
                    counts.completed,
                    counts.failed + counts.not_accepted,
                    counts.saved + already,
                ));
            }
            _ => {}
        }
    };
    let mut outcomes = std::pin::pin!(client.videos().create_many(items, options, observer));
    while let Some(outcome) = outcomes.next().await {
        let mut manifest = manifest.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = &mut manifest.entries[entry_of[outcome.index()]];
        match &outcome {
            JobOutcome::Completed { video, .. } => {
                entry.job_id = Some(video.id.clone());
                entry.state = State::Saved;
                entry.error = None;
            }
            JobOutcome::Failed { job_id, video, error, .. } => {
                entry.job_id = Some(job_id.clone());
                entry.state = State::Failed;
                entry.error = Some(match (error, video.as_ref().and_then(|v| v.error.as_ref())) {
                    (Some(error), _) => crate::output::one_line(error),
                    (None, Some(job)) => format!("the job failed: {}: {}", shown(&job.code), shown(&job.message)),
                    (None, None) => "the job failed".to_owned(),
                });
            }
            JobOutcome::NotAccepted { error, .. } => {
                entry.state = State::NotAccepted;
                entry.error = Some(crate::output::one_line(error));
            }
            _ => {}
        }
        let shown_line = report(entry, out, json)?;
        manifest.save()?;
        drop(manifest);
        bar.suspend(|| crate::output::line(&shown_line))?;
    }
    bar.finish_and_clear();
    let manifest = manifest.lock().unwrap_or_else(PoisonError::into_inner);
    let failed: Vec<_> = manifest.entries.iter().filter(|e| e.state != State::Saved).collect();
    let took = started.elapsed();
    if failed.is_empty() {
        eprintln!("all {total} lines saved in {} ({:.1?})", out.display(), took);
        return Ok(());
    }
    eprintln!("{} of {total} lines saved; {} not:", total - failed.len(), failed.len());
    for entry in &failed {
        eprintln!("  line {}: {}", entry.line, crate::output::clean(entry.error.as_deref().unwrap_or("not finished")));
    }
    Err(format!("{} of {total} lines were not saved; run the same command again to retry them", failed.len()).into())
}

/// The line to print for an ended entry: a JSON result, or plain words.
fn report(entry: &manifest::Entry, out: &Path, json: bool) -> Result<String> {
    let file: PathBuf = out.join(&entry.file);
    if json {
        let value = serde_json::json!({
            "line": entry.line,
            "job_id": entry.job_id,
            "status": entry.state,
            "file": (entry.state == State::Saved).then(|| file.display().to_string()),
            "idempotency_key": entry.idempotency_key,
            "error": entry.error,
        });
        return Ok(serde_json::to_string(&value)?);
    }
    let id = crate::output::clean(entry.job_id.as_deref().unwrap_or("-")).into_owned();
    Ok(match entry.state {
        State::Saved => format!("line {}: saved {} ({id})", entry.line, file.display()),
        _ => format!(
            "line {}: {} ({id}): {}",
            entry.line,
            if entry.state == State::NotAccepted { "not accepted" } else { "failed" },
            crate::output::clean(entry.error.as_deref().unwrap_or(""))
        ),
    })
}

/// One live summary line on a terminal's stderr (hidden elsewhere).
fn live_line() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}
