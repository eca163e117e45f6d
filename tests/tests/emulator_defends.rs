//! The emulator under a hostile client: bodies too large or too slow,
//! uploads claiming frames beyond the API's limits, idle connections, and
//! settings out of range. Each test names what used to go wrong.

use std::time::Duration;

use videos_core::{CreateVideo, Error, VideoSource};
use videos_emulator::{Emulator, EmulatorConfig, Faults};
use videos_tests::transport::{Transport, both, config};
use videos_types::VideoSize;

async fn emulator(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

fn clients(emulator: &Emulator) -> [Transport; 2] {
    both(&config(&format!("http://{}", emulator.address())))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_over_one_mib_is_refused_unread() {
    // Before, a 62 MB JSON body was parsed whole, peaking at over 1 GB.
    let emulator = emulator(EmulatorConfig::fast()).await;
    let url = format!("http://{}/v1/videos", emulator.address());
    let body = format!(r#"{{"prompt":"p","padding":"{}"}}"#, "x".repeat(2 << 20));
    let http = reqwest::Client::new();
    let framed = http.post(&url).bearer_auth("k").header("content-type", "application/json").body(body.clone());
    let chunked = http.post(&url).bearer_auth("k").header("content-type", "application/json").body(
        reqwest::Body::wrap_stream(futures_util::stream::iter(
            body.into_bytes()
                .chunks(64 * 1024)
                .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        )),
    );
    for request in [framed, chunked] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 413);
        let envelope: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(envelope["error"]["code"], "request_too_large");
        assert!(envelope["error"]["message"].as_str().unwrap().contains("1048576 bytes"), "{envelope}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_still_sending_a_refused_body_reads_the_refusal() {
    // Before, the emulator answered 413 at the head and closed with the body
    // still arriving: the kernel reset the connection, and a client still
    // writing saw a broken pipe instead of the answer (the test above failed
    // one run in nine that way). Here the body follows the head late, so
    // the answer is always decided first.
    let emulator = emulator(EmulatorConfig::fast()).await;
    let address = emulator.address();
    let answer = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Write};
        let mut socket = std::net::TcpStream::connect(address)?;
        socket.set_read_timeout(Some(Duration::from_secs(10)))?;
        socket.set_write_timeout(Some(Duration::from_secs(10)))?;
        let body = vec![b'x'; 4 << 20];
        let head = format!(
            "POST /v1/videos HTTP/1.1\r\nhost: emulator\r\nauthorization: Bearer k\r\n\
             content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes())?;
        std::thread::sleep(Duration::from_millis(200));
        socket.write_all(&body)?;
        let mut answer = Vec::new();
        socket.read_to_end(&mut answer)?;
        Ok(answer)
    })
    .await
    .unwrap();
    let answer = answer.expect("the whole body is sent and the answer read, with no reset");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("request_too_large"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_claiming_a_huge_frame_is_refused_before_decoding() {
    // Before, a header claiming 65534x65534 made the emulator allocate 6.4 GB and abort.
    let emulator = emulator(EmulatorConfig::fast()).await;
    let [t, _] = clients(&emulator);
    let video = t.create_and_poll(CreateVideo::new("a small clip")).await.unwrap();
    let (_, mut mp4) = t.download_bytes(&video.id, None).await.unwrap();
    // The avc1 sample entry inside stsd (ftyp names "avc1" as a brand too).
    let stsd = mp4.windows(4).position(|w| w == b"stsd").expect("an stsd box");
    let avc1 = stsd + mp4[stsd..].windows(4).position(|w| w == b"avc1").expect("an avc1 sample entry");
    // The sample entry's width and height, 24 bytes into its body.
    mp4[avc1 + 28..avc1 + 32].copy_from_slice(&[0xff, 0xfe, 0xff, 0xfe]);
    let path = tempfile::tempdir().unwrap().keep().join("huge.mp4");
    std::fs::write(&path, &mp4).unwrap();
    let upload = VideoSource::Upload(videos_core::FilePart::from_path(&path).unwrap());
    let err = t.edit(videos_core::EditVideo::new(upload, "make it bigger")).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), api.param.as_deref()), (400, Some("video")), "{err}");
    assert!(api.message.contains("65534x65534") && api.message.contains("1920"), "{}", api.message);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_and_cannot_starve_others() {
    // Before, idle connections stayed open forever: 1,141 of them exhausted the
    // emulator's file descriptors and nobody else was served.
    use tokio::io::AsyncReadExt;
    let config =
        EmulatorConfig { idle_timeout: Duration::from_millis(300), max_connections: 4, ..EmulatorConfig::fast() };
    let emulator = emulator(config).await;
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(emulator.address()).await.unwrap());
    }
    // A real client is still served: idle connections give their slots back.
    let [t, _] = clients(&emulator);
    let started = std::time::Instant::now();
    t.create(CreateVideo::new("still served")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    // And each idle connection was closed by the server.
    for mut stream in idle {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut byte)).await.expect("closed in time");
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    }
}

#[tokio::test]
async fn an_emulator_configured_out_of_range_refuses_to_start_naming_the_setting() {
    // Before, time_per_video_second of 5e18 s panicked the handlers and fps
    // 1000000 rendered forever; the CLI checks its flags, the library now too.
    let bad = [
        (EmulatorConfig { fps: 1_000_000, ..EmulatorConfig::fast() }, "fps"),
        (
            EmulatorConfig { time_per_video_second: Duration::from_secs(5_000_000_000), ..EmulatorConfig::fast() },
            "time_per_video_second",
        ),
        (
            EmulatorConfig { faults: Faults { rate_limit: 2.0, ..Faults::default() }, ..EmulatorConfig::fast() },
            "faults.rate_limit",
        ),
        (
            EmulatorConfig { faults: Faults { cut: f64::NAN, ..Faults::default() }, ..EmulatorConfig::fast() },
            "faults.cut",
        ),
    ];
    for (config, field) in bad {
        let err = Emulator::start(config).await.unwrap_err();
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_trickles_in_is_answered_408_at_the_body_read_timeout() {
    // Before, a body sent a byte every few seconds kept a handler (and its
    // connection) busy for as long as the client liked: the idle timeout
    // never fired, since something always arrived.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = EmulatorConfig {
        idle_timeout: Duration::from_secs(5),
        body_read_timeout: Duration::from_millis(600),
        ..EmulatorConfig::fast()
    };
    let emulator = emulator(config).await;
    let stream = tokio::net::TcpStream::connect(emulator.address()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = "POST /v1/videos HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
    writer.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let drip = async {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if writer.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                        break;
                    }
                }
            }
        }
    });
    tokio::select! {
        _ = read => {}
        _ = drip => panic!("the body was dripped for 4 s without an answer"),
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout") && text.contains("0.6 s"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_multipart_text_part_is_refused_not_parsed() {
    // Before, a multipart text part was read whole and parsed as JSON when the
    // field may hold an object: tens of MB of JSON took many times that in memory.
    let emulator = emulator(EmulatorConfig::fast()).await;
    let url = format!("http://{}/v1/videos", emulator.address());
    let reference = format!(r#"{{"image_url":"https://x/{}"}}"#, "x".repeat(2 << 20));
    let body = format!(
        "--b\r\ncontent-disposition: form-data; name=\"prompt\"\r\n\r\np\r\n--b\r\ncontent-disposition: form-data; name=\"input_reference\"\r\n\r\n{reference}\r\n--b--\r\n"
    );
    let response = reqwest::Client::new()
        .post(&url)
        .bearer_auth("k")
        .header("content-type", "multipart/form-data; boundary=b")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let envelope: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (envelope["error"]["code"].as_str(), envelope["error"]["param"].as_str()),
        (Some("request_too_large"), Some("input_reference")),
        "{envelope}"
    );
}

/// A PNG's signature and IHDR: all a header reader needs to tell its size.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes.resize(96, 0);
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reference_image_is_checked_like_the_service_checks_it() {
    // Before, a 96-byte PNG claiming 65534x65534 was accepted (200) and a job created.
    let emulator = emulator(EmulatorConfig::fast()).await;
    let [t, _] = clients(&emulator);
    let dir = tempfile::tempdir().unwrap();
    let upload = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        videos_core::InputReference::Upload(videos_core::FilePart::from_path(&path).unwrap())
    };
    for (image, size, expected) in [
        (png_header(65534, 65534), None, "65534x65534, beyond the largest size"),
        (png_header(1280, 720), None, "1280x720 but the requested size is 720x1280"),
        (png_header(720, 1280), Some(VideoSize::Landscape1920x1080), "720x1280 but the requested size is 1920x1080"),
        (b"not an image".to_vec(), None, "Could not read the reference image's size"),
    ] {
        let mut params = CreateVideo::new("a harbour").model("sora-2-pro").input_reference(upload("r.png", image));
        if let Some(size) = size {
            params = params.size(size);
        }
        let err = t.create(params).await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!((api.status.as_u16(), api.param.as_deref()), (400, Some("input_reference")), "{err}");
        assert!(api.message.contains(expected), "{}", api.message);
    }
    assert!(t.list(videos_core::ListVideos::new()).await.unwrap().data.is_empty(), "nothing was created");
    // An image of the requested size is accepted.
    let params = CreateVideo::new("a harbour")
        .size(VideoSize::Landscape1280x720)
        .input_reference(upload("ok.png", png_header(1280, 720)));
    assert!(t.create(params).await.is_ok());
}
