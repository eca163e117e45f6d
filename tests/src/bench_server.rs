//! A minimal local server for the transport benchmarks: a fixed `Video` for
//! retrieve, a streamed body of any size for downloads (`bytes-N` as the id),
//! and an upload sink that counts bytes without keeping them. Listens on 127.0.0.1 only.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use futures_util::StreamExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The body of every retrieve answer.
pub fn video_body() -> Bytes {
    Bytes::from(crate::video_json("video_bench", "completed", 100).to_string())
}

/// The baseline the SDK is measured against: the same GET the SDK sends
/// (key, user agent, accept) and a serde parse into `Video`, with bare reqwest.
pub async fn bare_retrieve(client: &reqwest::Client, url: &str) -> videos_types::Video {
    let body = client
        .get(url)
        .bearer_auth("sk-bench")
        .header("user-agent", "videos-rs/0.1.0")
        .header("accept", "application/json")
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&body).expect("video")
}

/// The same GET and parse as [`bare_retrieve`], with a bare ureq agent:
/// what a blocking user would write instead of the SDK.
pub fn bare_ureq_retrieve(agent: &ureq::Agent, url: &str) -> videos_types::Video {
    let mut response = agent
        .get(url)
        .header("authorization", "Bearer sk-bench")
        .header("user-agent", "videos-rs/0.1.0")
        .header("accept", "application/json")
        .call()
        .expect("call");
    let body = response.body_mut().read_to_vec().expect("body");
    serde_json::from_slice(&body).expect("video")
}

/// A bare ureq agent with the SDK's default timeouts, set per phase as the
/// SDK sets them, the per-write limit included (the request budget less a
/// second, as `videos-blocking`'s `send::per_write` gives it): the
/// same-settings baseline of the blocking client.
pub fn ureq_agent_with_sdk_timeouts() -> ureq::Agent {
    use videos_core::config::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(DEFAULT_CONNECT_TIMEOUT))
        .timeout_send_request(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_send_body(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_recv_response(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_recv_body(Some(DEFAULT_REQUEST_TIMEOUT))
        .timeout_per_read(Some(DEFAULT_READ_TIMEOUT))
        .timeout_per_write(Some(DEFAULT_REQUEST_TIMEOUT - std::time::Duration::from_secs(1)))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into()
}

#[derive(Clone)]
struct Shared {
    video: Bytes,
    uploaded: Arc<AtomicU64>,
    chunk: Bytes,
}

/// A running bench server; stops when dropped.
#[derive(Debug)]
pub struct BenchServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    uploaded: Arc<AtomicU64>,
    stop: Option<oneshot::Sender<()>>,
}

impl BenchServer {
    /// Starts the server on an ephemeral port.
    pub async fn start() -> BenchServer {
        let uploaded = Arc::new(AtomicU64::new(0));
        let shared =
            Shared { video: video_body(), uploaded: uploaded.clone(), chunk: Bytes::from(vec![0x5a; 1 << 20]) };
        let app = Router::new()
            .route("/v1/videos", axum::routing::post(upload).get(list))
            .route("/v1/videos/{id}", get(retrieve))
            .route("/v1/videos/{id}/content", get(stream_bytes))
            .with_state(shared);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        BenchServer { url, uploaded, stop: Some(stop) }
    }

    /// Bytes received by the upload sink so far.
    pub fn uploaded(&self) -> u64 {
        self.uploaded.load(Ordering::Relaxed)
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn retrieve(State(shared): State<Shared>, Path(_id): Path<String>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], shared.video.clone())
}

/// Pages of `total` synthetic videos (`video_0` …; `total` is the bench's own
/// query parameter), made on the fly so a listing of any length costs the
/// server no memory.
async fn list(
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> impl IntoResponse {
    let number = |key: &str| query.get(key).and_then(|v| v.parse::<usize>().ok());
    let total = number("total").unwrap_or(1_000);
    let limit = number("limit").unwrap_or(20).clamp(1, 100);
    let after = query.get("after").and_then(|a| a.strip_prefix("video_")).and_then(|n| n.parse::<usize>().ok());
    let start = after.map_or(0, |n| n + 1);
    let end = (start + limit).min(total);
    let mut body = String::from(r#"{"object":"list","data":["#);
    for i in start..end {
        if i > start {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"video_{i}","object":"video","model":"sora-2","status":"completed","progress":100,"created_at":1712697600,"completed_at":1712697700,"expires_at":1712784100,"prompt":"A calico cat playing a piano on stage, take {i}","seconds":"8","size":"1280x720","remixed_from_video_id":null,"error":null}}"#
        ));
    }
    let first = if end > start { format!(r#""video_{start}""#) } else { "null".to_owned() };
    let last = if end > start { format!(r#""video_{}""#, end - 1) } else { "null".to_owned() };
    body.push_str(&format!(r#"],"first_id":{first},"last_id":{last},"has_more":{}}}"#, end < total));
    ([(header::CONTENT_TYPE, "application/json")], body)
}

async fn upload(State(shared): State<Shared>, body: Body) -> impl IntoResponse {
    let mut stream = body.into_data_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        shared.uploaded.fetch_add(chunk.len() as u64, Ordering::Relaxed);
    }
    ([(header::CONTENT_TYPE, "application/json")], shared.video.clone())
}

/// Serves `N` bytes for the video id `bytes-N`.
async fn stream_bytes(State(shared): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    let len: u64 = id.strip_prefix("bytes-").and_then(|n| n.parse().ok()).unwrap_or(0);
    let chunk = shared.chunk.clone();
    let full = len / chunk.len() as u64;
    let rest = (len % chunk.len() as u64) as usize;
    let chunks = futures_util::stream::iter(0..full).map(move |_| Ok::<Bytes, std::io::Error>(chunk.clone()));
    let tail = shared.chunk.slice(..rest);
    let body = Body::from_stream(chunks.chain(futures_util::stream::once(async move { Ok(tail) })));
    ([(header::CONTENT_TYPE, "video/mp4".to_owned()), (header::CONTENT_LENGTH, len.to_string())], body)
}
