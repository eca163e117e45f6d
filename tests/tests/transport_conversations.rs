//! The same scripted server conversation through both clients: the requests
//! each one sent (as the core decided them: line, protocol headers, body)
//! and the result must be identical, since both only carry out the core's
//! exchange.

use std::future::Future;
use std::time::Duration;

use videos_core::{CreateVideo, Error, ListVideos, RetryPolicy};
use videos_tests::raw::{RawServer, Step};
use videos_tests::transport::{Transport, both, config};
use videos_tests::{error_json, video_json};
use videos_types::VideoContentVariant;

/// The headers the core writes; what a transport adds on its own (`host`,
/// `accept-encoding`, …) is not part of the conversation.
const PROTOCOL_HEADERS: &[&str] = &[
    "authorization",
    "openai-organization",
    "openai-project",
    "user-agent",
    "accept",
    "content-type",
    "content-length",
    "idempotency-key",
    "x-trace",
];

/// One request as the server read it: the request line, the protocol
/// headers in a fixed order, and the body.
fn normalize(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let mut out = lines.next().unwrap_or_default().to_owned();
    let mut headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| PROTOCOL_HEADERS.contains(&k.as_str()))
        .collect();
    headers.sort();
    for (k, v) in headers {
        out.push_str(&format!("\n{k}: {v}"));
    }
    out.push_str("\n\n");
    out.push_str(body);
    out
}

/// Replaces each random `Idempotency-Key` by its order of appearance, so two
/// runs compare equal when they reuse keys the same way.
fn number_random_keys(request: &str, keys: &mut Vec<String>) -> String {
    request
        .lines()
        .map(|line| match line.strip_prefix("idempotency-key: videos-rs-") {
            Some(key) => {
                let n = keys.iter().position(|k| k == key).unwrap_or_else(|| {
                    keys.push(key.to_owned());
                    keys.len() - 1
                });
                format!("idempotency-key: <random key {n}>")
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn outcome<T: std::fmt::Debug>(result: &Result<T, Error>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(e) => format!(
            "err {} status={:?} request_id={:?} retryable={} timeout={}",
            e,
            e.status(),
            e.request_id(),
            e.is_retryable(),
            e.is_timeout()
        ),
    }
}

/// Runs `call` on each client against fresh servers from `scripts`, and
/// returns, per client, every server's requests and the outcome.
async fn converse<F, Fut, T>(
    scripts: &[Vec<Step>],
    configure: impl Fn(videos_core::Config) -> videos_core::Config,
    call: F,
) -> Vec<(Vec<Vec<String>>, String)>
where
    F: Fn(Transport) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
    T: std::fmt::Debug,
{
    let mut runs = Vec::new();
    for i in 0..2 {
        let mut servers = Vec::new();
        for script in scripts {
            servers.push(RawServer::start(script.clone()).await);
        }
        let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
        let transport = both(&configure(config(&urls[0])))[i].clone();
        let result = call(transport).await;
        let mut keys = Vec::new();
        let requests = servers
            .iter()
            .map(|s| s.requests().iter().map(|r| number_random_keys(&normalize(r), &mut keys)).collect())
            .collect();
        runs.push((requests, outcome(&result)));
    }
    assert_eq!(runs[0], runs[1], "reqwest and blocking must hold the same conversation");
    runs
}

fn video(id: &str) -> Vec<u8> {
    serde_json::to_vec(&video_json(id, "queued", 0)).unwrap()
}

fn failing(status: u16) -> Step {
    Step::respond(status, "application/json", &serde_json::to_vec(&error_json("again", "server_error", None)).unwrap())
}

fn with_header(step: Step, header: &str) -> Step {
    let Step::Raw(bytes) = step else { return step };
    let text = String::from_utf8(bytes).unwrap();
    let (line, rest) = text.split_once("\r\n").unwrap();
    Step::Raw(format!("{line}\r\n{header}\r\n{rest}").into_bytes())
}

#[tokio::test]
async fn create_retried_through_failures_sends_one_key_and_one_body() {
    let script = vec![
        failing(500),
        with_header(failing(429), "retry-after-ms: 20"),
        Step::Close,
        Step::respond(200, "application/json", &video("video_1")),
    ];
    let four_attempts = |c: videos_core::Config| {
        let retry = RetryPolicy { max_retries: 3, ..c.retry };
        c.with_retry(retry)
    };
    let runs = converse(&[script], four_attempts, |t| async move {
        t.create_with_key(CreateVideo::new("a cat at the piano"), "key-1").await
    })
    .await;
    let (requests, result) = &runs[0];
    assert_eq!(requests[0].len(), 4, "{result}");
    assert!(requests[0].iter().all(|r| *r == requests[0][0]), "every attempt is the same request: {requests:?}");
    assert!(requests[0][0].starts_with("POST /v1/videos HTTP/1.1\n"), "{}", requests[0][0]);
    assert!(requests[0][0].contains("idempotency-key: key-1"));
    assert!(requests[0][0].ends_with(r#"{"prompt":"a cat at the piano"}"#), "{}", requests[0][0]);
    assert!(result.starts_with("ok Video {") && result.contains("id: \"video_1\""), "{result}");
}

#[tokio::test]
async fn a_cross_origin_redirect_arrives_without_credentials() {
    let mut seen = Vec::new();
    for i in 0..2 {
        let target = RawServer::start(vec![Step::respond(200, "application/json", &video("video_2"))]).await;
        let redirect = Step::Raw(
            format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {}/elsewhere/video_2\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", target.url)
                .into_bytes(),
        );
        let origin = RawServer::start(vec![redirect]).await;
        let t = both(&config(&origin.url))[i].clone();
        let video = t.retrieve("video_2").await.unwrap();
        assert_eq!(video.id, "video_2");
        let at_origin = normalize(&origin.requests()[0]);
        let at_target = normalize(&target.requests()[0]);
        assert!(at_origin.contains("authorization: Bearer"), "{}: {at_origin}", t.name());
        assert!(at_target.starts_with("GET /elsewhere/video_2 HTTP/1.1\n"), "{at_target}");
        assert!(!at_target.contains("authorization"), "{}: {at_target}", t.name());
        // Both clients send the target the same request.
        let expected = at_origin
            .lines()
            .filter(|l| !l.starts_with("authorization"))
            .map(|l| if l.starts_with("GET ") { "GET /elsewhere/video_2 HTTP/1.1" } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(at_target.trim_end(), expected.trim_end(), "{}", t.name());
        seen.push((at_origin, at_target));
    }
    assert_eq!(seen[0], seen[1], "reqwest and blocking must hold the same conversation");
}

#[tokio::test]
async fn a_json_body_cut_short_is_retried_then_read_whole() {
    let body = video("video_3");
    let script = vec![
        Step::short("application/json", body.len(), &body[..body.len() / 2]),
        Step::respond(200, "application/json", &body),
    ];
    let runs = converse(&[script], |c| c, |t| async move { t.retrieve("video_3").await }).await;
    assert_eq!(runs[0].0[0].len(), 2);
    assert!(runs[0].1.starts_with("ok Video {") && runs[0].1.contains("id: \"video_3\""), "{}", runs[0].1);
}

#[tokio::test]
async fn an_error_answer_is_the_same_typed_error() {
    let envelope = serde_json::to_vec(&error_json("No such video", "invalid_request_error", Some("video_id"))).unwrap();
    let script = vec![with_header(Step::respond(404, "application/json", &envelope), "x-request-id: req_404")];
    let runs = converse(&[script], |c| c, |t| async move { t.retrieve("nope").await }).await;
    assert_eq!(runs[0].0[0].len(), 1, "a 404 is not retried");
    assert!(runs[0].1.contains("status=Some(404)") && runs[0].1.contains("req_404"), "{}", runs[0].1);
}

#[tokio::test]
async fn a_dropped_connection_fails_the_same_way() {
    let runs = converse(
        &[vec![Step::Close]],
        |c| c.with_retry(RetryPolicy::none()),
        |t| async move { t.retrieve("video_4").await },
    )
    .await;
    assert_eq!(runs[0].0[0].len(), 1);
    assert!(runs[0].1.contains("retryable=true"), "{}", runs[0].1);
}

#[tokio::test]
async fn pages_are_walked_with_the_same_cursors() {
    let page = |ids: &[&str], more: bool| {
        let data: Vec<_> = ids.iter().map(|id| video_json(id, "completed", 100)).collect();
        let body = serde_json::json!({"object": "list", "data": data, "first_id": ids.first(), "last_id": ids.last(), "has_more": more});
        Step::respond(200, "application/json", &serde_json::to_vec(&body).unwrap())
    };
    let script = vec![page(&["a", "b"], true), page(&["c"], true), page(&[], false)];
    let runs = converse(
        &[script],
        |c| c,
        |t| async move {
            t.list_all(ListVideos::new().limit(2)).await.map(|all| all.into_iter().map(|v| v.id).collect::<Vec<_>>())
        },
    )
    .await;
    let lines: Vec<_> = runs[0].0[0].iter().map(|r| r.lines().next().unwrap().to_owned()).collect();
    assert_eq!(
        lines,
        [
            "GET /v1/videos?limit=2 HTTP/1.1",
            "GET /v1/videos?limit=2&after=b HTTP/1.1",
            "GET /v1/videos?limit=2&after=c HTTP/1.1"
        ]
    );
    assert_eq!(runs[0].1, r#"ok ["a", "b", "c"]"#);
}

#[tokio::test]
async fn a_download_cut_short_fails_alike_and_a_whole_one_arrives_alike() {
    let media = vec![7u8; 50_000];
    let cut = vec![Step::short("video/mp4", media.len(), &media[..20_000])];
    let runs = converse(
        &[cut],
        |c| c.with_retry(RetryPolicy::none()),
        |t| async move { t.download_bytes("video_5", None).await.map(|(ct, bytes)| (ct, bytes.len())) },
    )
    .await;
    assert!(runs[0].1.starts_with("err"), "{}", runs[0].1);
    assert!(runs[0].0[0][0].contains("accept: video/mp4"), "{}", runs[0].0[0][0]);

    let whole = vec![Step::respond(200, "image/webp", &media)];
    let runs = converse(
        &[whole],
        |c| c,
        |t| async move {
            t.download_bytes("video_5", Some(VideoContentVariant::Thumbnail)).await.map(|(ct, bytes)| (ct, bytes.len()))
        },
    )
    .await;
    assert_eq!(runs[0].1, r#"ok (Some("image/webp"), 50000)"#);
    assert!(runs[0].0[0][0].starts_with("GET /v1/videos/video_5/content?variant=thumbnail HTTP/1.1"));
}

#[tokio::test]
async fn per_call_options_reach_the_wire_alike() {
    let script = vec![Step::respond(200, "application/json", &video("video_6"))];
    let runs = converse(
        &[script],
        |c| c,
        |t| async move { t.create_with_extras(CreateVideo::new("p"), Duration::from_secs(3)).await },
    )
    .await;
    let request = &runs[0].0[0][0];
    assert!(request.starts_with("POST /v1/videos?debug=1 HTTP/1.1\n"), "{request}");
    assert!(request.contains("x-trace: t-1"), "{request}");
    assert!(request.contains("idempotency-key: <random key 0>"), "{request}");
}

#[tokio::test]
async fn one_deadline_covers_a_whole_redirect_chain_on_both_clients() {
    // Each hop answers within the 600 ms timeout, the chain does not: both
    // clients must time out (the blocking one used to time each hop alone).
    let mut seen = Vec::new();
    for i in 0..2 {
        let slow = Duration::from_millis(400);
        let target =
            RawServer::start(vec![Step::After(slow, Box::new(Step::respond(200, "application/json", &video("v"))))])
                .await;
        let redirect = format!(
            "HTTP/1.1 302 Found\r\nlocation: {}/v1/videos/v\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            target.url
        );
        let origin = RawServer::start(vec![Step::After(slow, Box::new(Step::Raw(redirect.into_bytes())))]).await;
        let config = config(&origin.url)
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(600))
            .with_retry(RetryPolicy::none());
        let t = both(&config)[i].clone();
        let result = t.retrieve("v").await;
        seen.push(outcome(&result));
        assert!(matches!(&result, Err(e) if e.is_timeout()), "{}: {result:?}", t.name());
    }
    assert_eq!(seen[0], seen[1]);
}

#[tokio::test]
async fn a_body_that_goes_silent_ends_at_the_read_timeout_on_both_clients() {
    // Head and half the body, then silence: the idle timeout between reads
    // ends the call long before the 5 s request timeout. Downloads alike.
    let body = video("v");
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
    let mut partial = head.into_bytes();
    partial.extend_from_slice(&body[..body.len() / 2]);
    let silent = Duration::from_secs(3);
    let mut seen = Vec::new();
    for i in 0..2 {
        let server = RawServer::start(vec![Step::Stall(partial.clone(), silent)]).await;
        let quick = config(&server.url).with_read_timeout(Duration::from_millis(300)).with_retry(RetryPolicy::none());
        let t = both(&quick)[i].clone();
        let started = std::time::Instant::now();
        let result = t.retrieve("v").await;
        assert!(matches!(&result, Err(e) if e.is_timeout()), "{}: {result:?}", t.name());
        assert!(started.elapsed() < Duration::from_secs(2), "{}: {:?}", t.name(), started.elapsed());
        seen.push(outcome(&result));

        let mut media = b"HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: 100000\r\n\r\n".to_vec();
        media.extend_from_slice(&[1u8; 1000]);
        let server = RawServer::start(vec![Step::Stall(media, silent)]).await;
        let t = both(&config(&server.url).with_read_timeout(Duration::from_millis(300)))[i].clone();
        let started = std::time::Instant::now();
        let result = t.download_bytes("v", None).await.map(|(_, bytes)| bytes.len());
        assert!(matches!(&result, Err(e) if e.is_timeout()), "{}: {result:?}", t.name());
        assert!(started.elapsed() < Duration::from_secs(2), "{}: {:?}", t.name(), started.elapsed());
    }
    assert_eq!(seen[0], seen[1]);
}

#[tokio::test]
async fn an_upload_the_server_never_reads_ends_at_the_request_timeout_on_both_clients() {
    // 48 MiB is more than loopback's socket buffers hold, so writes block.
    // With a 2.5 s budget the blocking client limits each write to 1.5 s (a
    // constant, so ureq sets the socket's send timeout once per connection),
    // and the budget still ends the call.
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("big.png");
    std::fs::write(&image, vec![7u8; 48 << 20]).unwrap();
    for i in 0..2 {
        let server = RawServer::start(vec![Step::Deaf(Duration::from_secs(8))]).await;
        let quick = config(&server.url)
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(2_500))
            .with_retry(RetryPolicy::none());
        let t = both(&quick)[i].clone();
        let params = CreateVideo::new("upload")
            .input_reference(videos_core::InputReference::Upload(videos_core::FilePart::from_path(&image).unwrap()));
        let started = std::time::Instant::now();
        let result = t.create(params).await;
        let took = started.elapsed();
        assert!(matches!(&result, Err(e) if e.is_timeout()), "{}: {result:?}", t.name());
        assert!(took >= Duration::from_millis(1_400) && took < Duration::from_secs(4), "{}: {took:?}", t.name());
    }
}

#[tokio::test]
async fn cursors_that_cycle_end_list_all_with_an_error_on_both_clients() {
    // a, b, a, b, …: before, list_all followed this forever.
    let page = |id: &str| {
        let body = serde_json::json!({"object": "list", "data": [video_json(id, "completed", 100)], "first_id": id, "last_id": id, "has_more": true});
        Step::respond(200, "application/json", &serde_json::to_vec(&body).unwrap())
    };
    let script: Vec<Step> = (0..40).map(|i| page(if i % 2 == 0 { "a" } else { "b" })).collect();
    let runs =
        converse(&[script], |c| c, |t| async move { t.list_all(ListVideos::new()).await.map(|all| all.len()) }).await;
    assert_eq!(runs[0].0[0].len(), 3, "stops at the first cursor that comes back");
    assert!(runs[0].1.contains("the listing stopped after 3 pages"), "{}", runs[0].1);
}

/// A small MP4 in its top-level boxes: ftyp, mdat, moov.
fn tiny_mp4() -> Vec<u8> {
    let mut out = vec![0, 0, 0, 16];
    out.extend_from_slice(b"ftypisom\0\0\0\0");
    out.extend_from_slice(&(8u32 + 4000).to_be_bytes());
    out.extend_from_slice(b"mdat");
    out.extend_from_slice(&[9; 4000]);
    out.extend_from_slice(&[0, 0, 0, 8]);
    out.extend_from_slice(b"moov");
    out
}

#[tokio::test]
async fn without_a_content_length_only_a_structurally_whole_download_is_saved() {
    // Before, a body without Content-Length that the server cut short was
    // committed to the target as a success.
    let unframed = |body: &[u8]| {
        let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\nconnection: close\r\n\r\n".to_vec();
        out.extend_from_slice(body);
        Step::Raw(out)
    };
    let whole = tiny_mp4();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2 {
        let target = dir.path().join(format!("clip-{i}.mp4"));
        std::fs::write(&target, b"the previous clip").unwrap();
        let server = RawServer::start(vec![unframed(&whole[..2000])]).await;
        let t = both(&config(&server.url).with_retry(RetryPolicy::none()))[i].clone();
        let err = t.download_to("v", None, &target).await.unwrap_err();
        assert!(
            err.to_string().contains("closed") || format!("{err:?}").contains("cut short"),
            "{}: {err:?}",
            t.name()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"the previous clip", "{}: target untouched", t.name());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), i + 1, "{}: no temporary file left", t.name());

        let server = RawServer::start(vec![unframed(&whole)]).await;
        let t = both(&config(&server.url))[i].clone();
        assert_eq!(t.download_to("v", None, &target).await.unwrap(), whole.len() as u64, "{}", t.name());
        assert_eq!(std::fs::read(&target).unwrap(), whole);
    }
}

#[tokio::test]
async fn a_json_body_over_the_limit_is_final_on_both_clients() {
    // Before, the blocking client called this a retryable transport error and retried it.
    let huge = vec![b' '; videos_core::response::JSON_BODY_LIMIT + 10];
    let script = vec![Step::respond(200, "application/json", &huge)];
    let runs = converse(&[script], |c| c, |t| async move { t.retrieve("v").await }).await;
    assert_eq!(runs[0].0[0].len(), 1, "not retried: {}", runs[0].1);
    assert!(runs[0].1.contains("at most 32 MiB") && runs[0].1.contains("retryable=false"), "{}", runs[0].1);
}
