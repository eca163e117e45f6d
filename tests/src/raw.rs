//! A scriptable HTTP/1.1 server on 127.0.0.1 for failures wiremock cannot
//! produce: a connection closed before any answer, or a body cut short.
//! Each accepted connection serves one request with the next step of the
//! script (the last step repeats); it stops when dropped.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Step {
    /// Close the connection without answering.
    Close,
    /// Answer with these exact bytes, then close.
    Raw(Vec<u8>),
    /// Wait this long, then take the step.
    After(std::time::Duration, Box<Step>),
    /// Send these bytes, then hold the connection open, silent, this long.
    Stall(Vec<u8>, std::time::Duration),
    /// Send each piece after its wait: an answer that trickles in.
    Pieces(Vec<(std::time::Duration, Vec<u8>)>),
    /// Read nothing, answer nothing: hold the connection open this long,
    /// so a client's upload fills the socket buffers and its writes block.
    Deaf(std::time::Duration),
}

impl Step {
    /// A complete response with `status`, a content type and `body`.
    pub fn respond(status: u16, content_type: &str, body: &[u8]) -> Step {
        let mut out = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        Step::Raw(out)
    }

    /// A response announcing `announced` bytes that sends only `body`, then closes.
    pub fn short(content_type: &str, announced: usize, body: &[u8]) -> Step {
        let mut out = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {announced}\r\nconnection: close\r\n\r\n").into_bytes();
        out.extend_from_slice(body);
        Step::Raw(out)
    }
}

/// A running scripted server.
#[derive(Debug)]
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Starts serving `script`.
    pub async fn start(script: Vec<Step>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            let mut index = 0;
            // Bounded: a test never needs more than a few dozen connections.
            while index < 64 {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let step = script.get(index).or(script.last()).cloned().unwrap_or(Step::Close);
                index += 1;
                if let Step::Deaf(time) = step {
                    tokio::time::sleep(time).await;
                    continue;
                }
                let head = read_request(&mut socket).await;
                seen.lock().expect("lock").push(head);
                let step = match step {
                    Step::After(wait, step) => {
                        tokio::time::sleep(wait).await;
                        *step
                    }
                    step => step,
                };
                match step {
                    Step::Raw(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.flush().await;
                    }
                    Step::Pieces(pieces) => {
                        for (wait, bytes) in pieces {
                            tokio::time::sleep(wait).await;
                            if socket.write_all(&bytes).await.is_err() || socket.flush().await.is_err() {
                                break;
                            }
                        }
                    }
                    Step::Stall(bytes, silence) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.flush().await;
                        tokio::time::sleep(silence).await;
                    }
                    _ => {}
                }
                let _ = socket.shutdown().await;
            }
        });
        RawServer { url, requests, task }
    }

    /// How many requests arrived.
    pub fn request_count(&self) -> usize {
        self.requests.lock().expect("lock").len()
    }

    /// The raw requests (head and whatever body arrived with it).
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request: the head, then as much body as `content-length` says.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let Ok(n) = socket.read(&mut chunk).await else { return buf };
        if n == 0 {
            return buf;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return buf,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            return buf;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
