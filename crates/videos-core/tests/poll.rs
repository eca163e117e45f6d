//! The poller, driven by hand with a virtual clock.

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue};
use videos_core::{PollAction, PollOptions, Poller};
use videos_types::{Video, VideoStatus};

fn video(status: &str, progress: i64) -> Video {
    serde_json::from_value(serde_json::json!({
        "id": "video_1", "object": "video", "model": "sora-2", "status": status, "progress": progress,
        "created_at": 1, "size": "720x1280", "seconds": "4",
    }))
    .unwrap()
}

fn poll_after(ms: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("openai-poll-after-ms", HeaderValue::from_str(ms).unwrap());
    h
}

/// Drives the poller over `script` (one video and headers per retrieve), returning
/// the waits it asked for and how it ended.
fn drive(options: PollOptions, script: Vec<(Video, HeaderMap)>) -> (Vec<Duration>, PollAction) {
    let start = Instant::now();
    let mut now = start;
    let mut poller = Poller::new("video_1", options);
    let mut script = script.into_iter();
    let mut waits = Vec::new();
    for _ in 0..1000 {
        match poller.next(&at(now)) {
            PollAction::Send(req) => {
                assert_eq!(req.video_id, "video_1");
                let (video, headers) = script.next().expect("script ran out: the poller polled too often");
                poller.handle_video(video, &headers, &at(now));
            }
            PollAction::Wait(d) => {
                waits.push(d);
                now += d;
            }
            done => return (waits, done),
        }
    }
    panic!("the poller did not finish");
}

#[test]
fn ends_with_the_completed_video() {
    let (waits, done) = drive(
        PollOptions::default(),
        vec![
            (video("queued", 0), HeaderMap::new()),
            (video("in_progress", 50), HeaderMap::new()),
            (video("completed", 100), HeaderMap::new()),
        ],
    );
    assert_eq!(waits, [Duration::from_secs(1); 2], "1 s without an interval or server hint");
    let PollAction::Done(v) = done else { panic!("{done:?}") };
    assert_eq!(v.status, Some(VideoStatus::Completed));
}

#[test]
fn a_failed_job_is_final_too() {
    let (_, done) = drive(PollOptions::default(), vec![(video("failed", 30), HeaderMap::new())]);
    assert!(matches!(done, PollAction::Done(v) if v.status == Some(VideoStatus::Failed)));
}

#[test]
fn follows_the_server_interval_unless_one_is_set() {
    let script = || vec![(video("queued", 0), poll_after("2500")), (video("completed", 100), HeaderMap::new())];
    let (waits, _) = drive(PollOptions::default(), script());
    assert_eq!(waits, [Duration::from_millis(2500)]);
    let (waits, _) =
        drive(PollOptions { interval: Some(Duration::from_millis(100)), ..PollOptions::default() }, script());
    assert_eq!(waits, [Duration::from_millis(100)]);
}

#[test]
fn an_unknown_status_stops_at_the_deadline_and_is_named() {
    let options = PollOptions { interval: Some(Duration::from_secs(3)), deadline: Duration::from_secs(10) };
    let script = (0..10).map(|_| (video("moderation_review", 10), HeaderMap::new())).collect();
    let (waits, done) = drive(options, script);
    // Polls at 0, 3, 6, 9; the last wait is cut to the 1 s left.
    assert_eq!(waits, [3, 3, 3, 1].map(Duration::from_secs));
    let PollAction::TimedOut(t) = done else { panic!("{done:?}") };
    assert_eq!(t.waited, Duration::from_secs(10));
    assert_eq!(t.last_status.as_ref().map(|s| s.as_str()), Some("moderation_review"));
    assert_eq!(
        t.to_string(),
        "video video_1 did not finish within 10.0s (last status \"moderation_review\" is not one this SDK knows)"
    );
}

#[test]
fn starting_from_a_created_video_waits_first() {
    let now = Instant::now();
    let mut poller = Poller::from_video(video("queued", 0), &poll_after("500"), PollOptions::default(), &at(now));
    assert_eq!(poller.next(&at(now)), PollAction::Wait(Duration::from_millis(500)));
    let done =
        Poller::from_video(video("completed", 100), &HeaderMap::new(), PollOptions::default(), &at(now)).next(&at(now));
    assert!(matches!(done, PollAction::Done(_)));
}

#[test]
fn a_server_cannot_make_the_poller_spin_or_sleep_forever() {
    let now = Instant::now();
    for (advice, expected) in [("0", 250), ("1", 250), ("1e22", 60_000), ("-3", 1_000), ("NaN", 1_000)] {
        let mut poller = Poller::from_video(video("queued", 0), &poll_after(advice), PollOptions::default(), &at(now));
        assert_eq!(poller.next(&at(now)), PollAction::Wait(Duration::from_millis(expected)), "{advice}");
    }
}

/// A moment of the virtual clock: monotonic time `at`, a fixed wall clock, no jitter.
fn at(at: std::time::Instant) -> videos_core::Now {
    videos_core::Now::new(at, std::time::SystemTime::UNIX_EPOCH, 0.0)
}
