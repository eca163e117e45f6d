//! Many jobs against a simulated service, under a virtual clock: every
//! item ends exactly once, no more jobs run than allowed, list pages
//! refresh many jobs a request, and a service that does not list is
//! refreshed with retrieves.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use videos_types::{Video, VideoList};

use super::*;
use crate::response::api_error;

/// A service whose jobs complete `length` after they are created; prompts
/// containing "fail" fail; "refuse" is never accepted.
struct Service {
    jobs: HashMap<String, (Instant, String)>,
    length: Duration,
    lists: bool,
    running_max: usize,
    requests: HashMap<&'static str, usize>,
}

impl Service {
    fn new(lists: bool) -> Self {
        Self { jobs: HashMap::new(), length: Duration::from_secs(5), lists, running_max: 0, requests: HashMap::new() }
    }

    fn video(&self, id: &str, now: Instant) -> Video {
        let (created, prompt) = &self.jobs[id];
        let status = match now.duration_since(*created) >= self.length {
            true if prompt.contains("fail") => "failed",
            true => "completed",
            false => "in_progress",
        };
        serde_json::from_value(serde_json::json!({"id": id, "object": "video", "status": status})).unwrap()
    }

    fn running(&self, now: Instant) -> usize {
        self.jobs.keys().filter(|id| !self.video(id, now).status.as_ref().is_some_and(is_final)).count()
    }
}

fn run(items: Vec<ManyItem>, options: ManyOptions, service: &mut Service) -> (Vec<JobOutcome>, Duration) {
    let t0 = Instant::now();
    let mut now = t0;
    let mut many = ManyJobs::new(items, options, &at(now));
    let mut outcomes = Vec::new();
    for _ in 0..100_000 {
        // Each request takes 100 ms.
        match many.next(&at(now)) {
            ManyAction::Create { index, item } => {
                *service.requests.entry("create").or_default() += 1;
                now += Duration::from_millis(100);
                let prompt = item.params.prompt.clone();
                let result = if prompt.contains("refuse") {
                    Err(api_error(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), b"{}"))
                } else {
                    let id = format!("video_{index}");
                    service.jobs.insert(id.clone(), (now, prompt));
                    service.running_max = service.running_max.max(service.running(now));
                    Ok(service.video(&id, now))
                };
                many.handle_created(index, result, &at(now));
            }
            ManyAction::Refresh(list) => {
                *service.requests.entry("list").or_default() += 1;
                now += Duration::from_millis(100);
                assert_eq!(list.limit, Some(100));
                if !service.lists {
                    many.handle_page(Err(api_error(StatusCode::BAD_REQUEST, &HeaderMap::new(), b"{}")));
                    continue;
                }
                let mut ids: Vec<&String> = service.jobs.keys().collect();
                ids.sort_by_key(|id| std::cmp::Reverse(service.jobs[*id].0));
                let data: Vec<Video> = ids.into_iter().take(100).map(|id| service.video(id, now)).collect();
                let page: VideoList =
                    serde_json::from_value(serde_json::json!({"object": "list", "data": data})).unwrap();
                many.handle_page(Ok(page));
            }
            ManyAction::Retrieve { index, op } => {
                *service.requests.entry("retrieve").or_default() += 1;
                now += Duration::from_millis(100);
                many.handle_retrieved(index, Ok(service.video(&op.video_id, now)));
            }
            ManyAction::Save { index, job_id, file } => {
                *service.requests.entry("download").or_default() += 1;
                now += Duration::from_millis(100);
                assert_eq!(service.video(&job_id, now).status, Some(VideoStatus::Completed));
                many.handle_saved(index, Ok(file));
            }
            ManyAction::Finished(outcome) => outcomes.push(outcome),
            ManyAction::Wait(d) => now += d,
            ManyAction::Done => return (outcomes, now - t0),
        }
    }
    panic!("never done");
}

fn items(prompts: &[&str]) -> Vec<ManyItem> {
    prompts.iter().map(|p| ManyItem::new(CreateVideo::new(*p))).collect()
}

#[test]
fn every_item_ends_once_within_the_concurrency() {
    let mut service = Service::new(true);
    let prompts: Vec<String> =
        (0..40).map(|i| if i % 10 == 3 { format!("fail {i}") } else { format!("p {i}") }).collect();
    let prompts: Vec<&str> = prompts.iter().map(String::as_str).chain(["refuse me"]).collect();
    let options = ManyOptions { concurrency: 4, save: true, ..ManyOptions::default() };
    let (outcomes, _) = run(items(&prompts), options, &mut service);
    assert_eq!(outcomes.len(), 41);
    let mut seen: Vec<usize> = outcomes.iter().map(JobOutcome::index).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 41, "one outcome per item");
    assert!(service.running_max <= 4, "{} jobs ran at once", service.running_max);
    let completed = outcomes.iter().filter(|o| matches!(o, JobOutcome::Completed { file: Some(_), .. })).count();
    let failed = outcomes.iter().filter(|o| matches!(o, JobOutcome::Failed { error: None, .. })).count();
    let refused = outcomes.iter().filter(|o| matches!(o, JobOutcome::NotAccepted { .. })).count();
    assert_eq!((completed, failed, refused), (36, 4, 1));
    assert_eq!(service.requests["create"], 41);
    assert_eq!(service.requests["download"], 36);
    // List pages refresh four jobs at a time: far fewer refreshes than jobs.
    assert!(service.requests["list"] <= 40, "{:?}", service.requests);
    assert!(!service.requests.contains_key("retrieve") || service.requests["retrieve"] < 5, "{:?}", service.requests);
}

#[test]
fn a_service_that_does_not_list_is_refreshed_with_retrieves() {
    let mut service = Service::new(false);
    let prompts: Vec<String> = (0..12).map(|i| format!("p {i}")).collect();
    let prompts: Vec<&str> = prompts.iter().map(String::as_str).collect();
    let (outcomes, _) = run(items(&prompts), ManyOptions::default(), &mut service);
    assert_eq!(outcomes.len(), 12);
    assert!(outcomes.iter().all(|o| matches!(o, JobOutcome::Completed { file: None, .. })));
    assert_eq!(service.requests["list"], 1, "asked once, then never again");
    assert!(service.requests["retrieve"] >= 12);
}

#[test]
fn items_an_earlier_run_created_are_waited_for_not_created_again() {
    let mut service = Service::new(true);
    service.jobs.insert("video_old".into(), (Instant::now(), "old".into()));
    let mut resumed = ManyItem::new(CreateVideo::new("old"));
    resumed.job_id = Some("video_old".into());
    let (outcomes, _) =
        run(vec![resumed, ManyItem::new(CreateVideo::new("new"))], ManyOptions::default(), &mut service);
    assert_eq!(outcomes.len(), 2);
    assert_eq!(service.requests["create"], 1);
    let old = outcomes.iter().find(|o| o.index() == 0).unwrap();
    assert!(matches!(old, JobOutcome::Completed { video, .. } if video.id == "video_old"));
}

#[test]
fn a_job_past_the_deadline_ends_with_a_poll_timeout() {
    let mut service = Service::new(true);
    service.length = Duration::from_secs(3600);
    let options = ManyOptions { deadline: Duration::from_secs(30), ..ManyOptions::default() };
    let (outcomes, took) = run(items(&["slow"]), options, &mut service);
    assert!(took <= Duration::from_secs(33), "{took:?}");
    let [JobOutcome::Failed { error: Some(error), job_id, .. }] = &outcomes[..] else { panic!("{outcomes:?}") };
    assert!(error.is_timeout() && job_id == "video_0", "{error}");
}

/// A moment of the virtual clock: monotonic time `at`, a fixed wall clock, no jitter.
fn at(at: std::time::Instant) -> crate::Now {
    crate::Now::new(at, std::time::SystemTime::UNIX_EPOCH, 0.0)
}
