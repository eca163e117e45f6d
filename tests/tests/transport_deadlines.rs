//! The deadline of an attempt is the exchange's, on both clients: an
//! answer whose head comes late and whose body trickles in after the
//! deadline fails as a timeout, however the transport times its phases.

use std::time::{Duration, Instant};

use videos_core::{RetryPolicy, TransportFailure};
use videos_tests::raw::{RawServer, Step};
use videos_tests::transport::{both, config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_answer_past_the_attempts_deadline_times_out_on_both_clients() {
    // Before, the blocking client gave the body a fresh budget once the head
    // was in (ureq times phases), so this answer, whole at 1.6 s against a
    // 1 s deadline, was accepted there and refused by the async client.
    let body = videos_tests::video_json("video_1", "queued", 0).to_string().into_bytes();
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
    let third = body.len() / 3;
    let pieces = vec![
        (Duration::from_millis(700), head.into_bytes()),
        (Duration::from_millis(300), body[..third].to_vec()),
        (Duration::from_millis(300), body[third..2 * third].to_vec()),
        (Duration::from_millis(300), body[2 * third..].to_vec()),
    ];
    let server = RawServer::start(vec![Step::Pieces(pieces)]).await;
    let config = config(&server.url)
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(1))
        .with_read_timeout(Duration::from_secs(5));
    for client in both(&config) {
        let started = Instant::now();
        let error = client.retrieve("video_1").await.expect_err(client.name());
        let took = started.elapsed();
        let videos_core::Error::Transport(transport) = &error else { panic!("{}: {error:?}", client.name()) };
        assert_eq!(transport.failure, TransportFailure::Timeout, "{}: {error}", client.name());
        assert!(took < Duration::from_millis(1_500), "{}: took {took:?}", client.name());
    }
}
