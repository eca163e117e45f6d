//! Every operation over both transports, checked as the server received it:
//! method, path, query, headers and body (multipart parsed server-side).

use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use videos_core::{
    CreateCharacter, CreateVideo, EditVideo, ExtendVideo, FilePart, InputReference, ListVideos, VideoSource,
};
use videos_tests::transport::{KEY, both, config};
use videos_tests::video_json;
use videos_types::{
    ImageInputReference, VideoContentVariant, VideoListOrder, VideoModel, VideoSeconds, VideoSize, VideoStatus,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(verb: &str, at: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body).insert_header("x-request-id", "req_1"))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn assert_common(request: &Request, verb: &str) {
    assert_eq!(request.method.as_str(), verb);
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert!(header(request, "user-agent").unwrap_or_default().starts_with("videos-rs/"));
    let key = header(request, "idempotency-key");
    if verb == "POST" {
        assert!(key.is_some_and(|k| k.starts_with("videos-rs-")), "POST carries an Idempotency-Key");
    } else {
        assert_eq!(key, None);
    }
}

struct Field {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

async fn multipart_fields(request: &Request) -> Vec<Field> {
    let content_type = header(request, "content-type").expect("content type");
    let boundary = multer::parse_boundary(content_type).expect("multipart boundary");
    let body = Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.expect("well-formed multipart") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        fields.push(Field { name, file_name, content_type, data: field.bytes().await.expect("field body").to_vec() });
    }
    fields
}

#[tokio::test]
async fn create_as_json() {
    for i in 0..2 {
        let server = server_answering("POST", "/v1/videos", video_json("video_1", "queued", 0)).await;
        let t = both(&config(&server.uri()))[i].clone();
        let video = t
            .create(
                CreateVideo::new("A calico cat")
                    .model(VideoModel::Sora2Pro)
                    .seconds(VideoSeconds::Eight)
                    .size(VideoSize::Landscape1280x720),
            )
            .await
            .unwrap();
        assert_eq!((video.id.as_str(), video.status), ("video_1", Some(VideoStatus::Queued)));
        let request = only_request(&server).await;
        assert_common(&request, "POST");
        assert_eq!(request.url.path(), "/v1/videos");
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        assert_eq!(
            request.body_json::<Value>().unwrap(),
            json!({"prompt": "A calico cat", "model": "sora-2-pro", "seconds": "8", "size": "1280x720"}),
            "{}",
            t.name()
        );
    }
}

#[tokio::test]
async fn create_with_a_reference_object_and_per_call_extras() {
    for i in 0..2 {
        let server = server_answering("POST", "/v1/videos", video_json("video_1", "queued", 0)).await;
        let t = both(&config(&server.uri()))[i].clone();
        let params = CreateVideo::new("x")
            .input_reference(InputReference::Object(ImageInputReference::image_url("https://e.x/a.png")));
        t.create_with_extras(params, Duration::from_secs(3)).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(
            request.body_json::<Value>().unwrap(),
            json!({"prompt": "x", "input_reference": {"image_url": "https://e.x/a.png"}})
        );
        assert_eq!(header(&request, "x-trace"), Some("t-1"), "{}", t.name());
        assert_eq!(request.url.query(), Some("debug=1"));
    }
}

#[tokio::test]
async fn create_with_an_upload_streams_multipart() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("reference.png");
    let content: Vec<u8> = (0..600_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&image, &content).unwrap();
    for i in 0..2 {
        let server = server_answering("POST", "/v1/videos", video_json("video_1", "queued", 0)).await;
        let t = both(&config(&server.uri()))[i].clone();
        let params = CreateVideo::new("Animate this")
            .seconds(VideoSeconds::Four)
            .input_reference(InputReference::Upload(FilePart::from_path(&image).unwrap()));
        t.create(params).await.unwrap();
        let request = only_request(&server).await;
        assert_common(&request, "POST");
        assert_eq!(header(&request, "content-length"), Some(request.body.len().to_string().as_str()), "{}", t.name());
        let fields = multipart_fields(&request).await;
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["prompt", "seconds", "input_reference"]);
        assert_eq!(fields[0].data, b"Animate this");
        assert_eq!(fields[2].file_name.as_deref(), Some("reference.png"));
        assert_eq!(fields[2].content_type.as_deref(), Some("image/png"));
        assert!(fields[2].data == content, "{}: the file arrived byte for byte", t.name());
    }
}

#[tokio::test]
async fn retrieve_list_delete() {
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(video_json("video_1", "completed", 100)))
            .mount(&server)
            .await;
        let page = json!({"object": "list", "data": [video_json("video_2", "completed", 100)], "first_id": "video_2", "last_id": "video_2", "has_more": false});
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/v1/videos/video_1"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": "video_1", "object": "video.deleted", "deleted": true})),
            )
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();

        assert_eq!(t.retrieve("video_1").await.unwrap().status, Some(VideoStatus::Completed));
        let list = t.list(ListVideos::new().limit(5).order(VideoListOrder::Asc).after("video_0")).await.unwrap();
        assert_eq!(list.data[0].id, "video_2");
        assert!(t.delete("video_1").await.unwrap().deleted == Some(true));

        let requests = server.received_requests().await.unwrap();
        assert_common(&requests[0], "GET");
        assert_eq!(requests[1].url.query(), Some("limit=5&order=asc&after=video_0"), "{}", t.name());
        assert_common(&requests[2], "DELETE");
    }
}

#[tokio::test]
async fn remix_edit_extend_by_id() {
    for i in 0..2 {
        let server = MockServer::start().await;
        for at in ["/v1/videos/video_1/remix", "/v1/videos/edits", "/v1/videos/extensions"] {
            Mock::given(method("POST"))
                .and(path(at))
                .respond_with(ResponseTemplate::new(200).set_body_json(video_json("video_9", "queued", 0)))
                .mount(&server)
                .await;
        }
        let t = both(&config(&server.uri()))[i].clone();
        t.remix("video_1", "Thunderstorm").await.unwrap();
        t.edit(EditVideo::new(VideoSource::id("video_1"), "Brighter")).await.unwrap();
        t.extend(ExtendVideo::new(VideoSource::id("video_1"), "Then it rains", VideoSeconds::Eight)).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let bodies: Vec<Value> = requests.iter().map(|r| r.body_json().unwrap()).collect();
        assert_eq!(bodies[0], json!({"prompt": "Thunderstorm"}));
        assert_eq!(bodies[1], json!({"prompt": "Brighter", "video": {"id": "video_1"}}));
        assert_eq!(bodies[2], json!({"prompt": "Then it rains", "seconds": "8", "video": {"id": "video_1"}}));
        let keys: Vec<&str> = requests.iter().map(|r| header(r, "idempotency-key").unwrap()).collect();
        assert!(keys[0] != keys[1] && keys[1] != keys[2], "{}: every call gets its own key", t.name());
    }
}

#[tokio::test]
async fn edit_extend_and_character_with_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    std::fs::write(&clip, b"not really an mp4, but bytes are bytes").unwrap();
    for i in 0..2 {
        let server = MockServer::start().await;
        for at in ["/v1/videos/edits", "/v1/videos/extensions"] {
            Mock::given(method("POST"))
                .and(path(at))
                .respond_with(ResponseTemplate::new(200).set_body_json(video_json("video_9", "queued", 0)))
                .mount(&server)
                .await;
        }
        Mock::given(method("POST"))
            .and(path("/v1/videos/characters"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": "char_1", "name": "Mochi", "created_at": 5})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/characters/char_1"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": "char_1", "name": "Mochi", "created_at": 5})),
            )
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let upload = || VideoSource::Upload(FilePart::from_path(&clip).unwrap());
        t.edit(EditVideo::new(upload(), "Brighter")).await.unwrap();
        t.extend(ExtendVideo::new(upload(), "More", VideoSeconds::Four)).await.unwrap();
        let character =
            t.create_character(CreateCharacter::new("Mochi", FilePart::from_path(&clip).unwrap())).await.unwrap();
        assert_eq!(character.id.as_deref(), Some("char_1"));
        assert_eq!(t.retrieve_character("char_1").await.unwrap().name.as_deref(), Some("Mochi"));

        let requests = server.received_requests().await.unwrap();
        for (request, expected) in
            requests.iter().zip([&["prompt", "video"][..], &["prompt", "seconds", "video"], &["name", "video"]])
        {
            let fields = multipart_fields(request).await;
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, expected, "{}", t.name());
            let video = fields.iter().find(|f| f.name == "video").unwrap();
            assert_eq!(video.data, b"not really an mp4, but bytes are bytes");
            assert_eq!(video.content_type.as_deref(), Some("video/mp4"));
        }
        assert_common(&requests[3], "GET");
    }
}

#[tokio::test]
async fn download_variants_ask_for_their_own_type() {
    for i in 0..2 {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos/video_1/content"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b"RIFF....WEBP".to_vec(), "image/webp"))
            .mount(&server)
            .await;
        let t = both(&config(&server.uri()))[i].clone();
        let (content_type, bytes) = t.download_bytes("video_1", Some(VideoContentVariant::Thumbnail)).await.unwrap();
        assert_eq!(content_type.as_deref(), Some("image/webp"));
        assert_eq!(bytes, b"RIFF....WEBP");
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some("variant=thumbnail"));
        assert_eq!(header(&request, "accept"), Some("image/webp"), "{}", t.name());
    }
}
