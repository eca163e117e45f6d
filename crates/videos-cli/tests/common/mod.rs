//! What several CLI test files share.

/// A child process killed when the test ends, passed or failed, so none is
/// left holding the test's output pipes.
pub(crate) struct Reaped(pub(crate) std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `videos serve` on an ephemeral port with `extra` flags: the process, its
/// stderr after the first line, and the address (`127.0.0.1:PORT`) that line names.
#[allow(dead_code)] // Not every test file serves.
pub(crate) fn serve(extra: &[&str]) -> (Reaped, std::io::BufReader<std::process::ChildStderr>, String) {
    use std::io::BufRead;
    let mut child = Reaped(
        std::process::Command::new(env!("CARGO_BIN_EXE_videos"))
            .args(["serve", "--addr", "127.0.0.1:0", "--api-key", "k"])
            .args(extra)
            .env_remove("RUST_LOG")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = std::io::BufReader::new(child.0.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let address = first.split("http://").nth(1).and_then(|rest| rest.split('/').next()).unwrap().to_owned();
    (child, stderr, address)
}

/// A server on 127.0.0.1 that answers its first `connections` requests,
/// one per connection, with what `answer(i)` gives (an HTTP status line's
/// status and a JSON body), then closes; its base URL (`…/v1`).
#[allow(dead_code)] // Not every test file needs one.
pub(crate) fn answering_server(
    connections: usize,
    answer: impl Fn(usize) -> (&'static str, &'static str) + Send + 'static,
) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().take(connections).enumerate() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            let _ = stream.read(&mut [0u8; 65536]);
            let (status, body) = answer(i);
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nretry-after-ms: 10\r\nx-request-id: req_log\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}
