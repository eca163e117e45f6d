//! `create_many` on both clients against the emulator: each item ends in
//! exactly one outcome, no more jobs run than allowed, videos are saved as
//! they complete, and a service that does not list (as LiteLLM's proxy)
//! is refreshed with retrieves.

use std::time::Duration;

use videos_core::{CreateVideo, JobOutcome, ManyItem, ManyOptions};
use videos_emulator::{Emulator, EmulatorConfig, Limits};
use videos_tests::transport::{both, config};

async fn emulator(lists: bool, jobs_in_progress: u32) -> Emulator {
    let limits = Limits { max_jobs_in_progress: Some(jobs_in_progress), ..Limits::default() };
    let config =
        EmulatorConfig { lists, limits, time_per_video_second: Duration::from_millis(50), ..EmulatorConfig::fast() };
    Emulator::start(config).await.expect("emulator starts")
}

fn items(n: usize) -> Vec<ManyItem> {
    (0..n)
        .map(|i| {
            let mut item = ManyItem::new(CreateVideo::new(format!("many {i}")));
            item.idempotency_key = Some(format!("many-{i}"));
            item
        })
        .collect()
}

async fn run_many(lists: bool) {
    let emulator = emulator(lists, 3).await;
    for client in both(&config(&format!("http://{}", emulator.address()))) {
        let dir = tempfile::tempdir().unwrap();
        let options = ManyOptions {
            concurrency: 3,
            refresh_interval: Duration::from_millis(100),
            save: true,
            save_dir: dir.path().to_path_buf(),
            ..ManyOptions::default()
        };
        let mut all = items(8);
        // An item the service refuses for good: never accepted, and it says why.
        all.push(ManyItem::new(CreateVideo::new("")));
        let (outcomes, created) = tokio::time::timeout(Duration::from_secs(60), client.create_many(all, options))
            .await
            .unwrap_or_else(|_| panic!("{}: create_many did not end", client.name()));
        assert_eq!(outcomes.len(), 9, "{}: one outcome per item", client.name());
        let mut indexes: Vec<usize> = outcomes.iter().map(JobOutcome::index).collect();
        indexes.sort();
        assert_eq!(indexes, (0..9).collect::<Vec<_>>());
        for outcome in &outcomes {
            match outcome {
                JobOutcome::Completed { index, video, file: Some(file) } => {
                    assert_eq!(*file, dir.path().join(format!("{:04}.mp4", index + 1)));
                    assert!(std::fs::metadata(file).unwrap().len() > 1000, "{}: {file:?}", client.name());
                    assert!(created.contains(&(*index, video.id.clone())), "the observer heard of {}", video.id);
                }
                JobOutcome::NotAccepted { index: 8, error } => {
                    assert!(error.to_string().contains("prompt"), "{error}");
                }
                other => panic!("{}: {other:?}", client.name()),
            }
        }
        assert_eq!(created.len(), 8);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_jobs_end_once_each_and_are_saved_where_the_service_lists() {
    run_many(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_jobs_end_once_each_and_are_saved_where_the_service_does_not_list() {
    run_many(false).await;
}
