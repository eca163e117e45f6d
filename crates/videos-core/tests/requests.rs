//! Byte-exact requests for every operation.

mod common;

use common::{config, options, render};
use videos_core::{
    CreateCharacter, CreateVideo, DeleteVideo, DownloadContent, EditVideo, ExtendVideo, FilePart, InputReference,
    ListVideos, Operation, RemixVideo, RetrieveCharacter, RetrieveVideo, VideoSource,
};
use videos_types::{ImageInputReference, VideoContentVariant, VideoListOrder, VideoModel, VideoSeconds, VideoSize};

const COMMON: &str = "authorization: Bearer sk-test-secret\n\
openai-organization: org-1\n\
openai-project: proj-1\n\
user-agent: videos-rs/test\n";

fn expect(op: &impl Operation, expected: &str) {
    let request = op.request(&config(), &options()).unwrap();
    assert_eq!(render(&request), expected);
}

#[test]
fn create_as_json() {
    let op = CreateVideo::new("A calico cat playing a piano on stage")
        .model(VideoModel::Sora2Pro)
        .seconds(VideoSeconds::Eight)
        .size(VideoSize::Landscape1280x720);
    expect(
        &op,
        &format!(
            "POST https://api.openai.com/v1/videos\n{COMMON}accept: application/json\ncontent-type: application/json\ncontent-length: 103\nidempotency-key: idem-1\n\n\
{{\"model\":\"sora-2-pro\",\"prompt\":\"A calico cat playing a piano on stage\",\"seconds\":\"8\",\"size\":\"1280x720\"}}"
        ),
    );
}

#[test]
fn create_with_a_reference_object_is_json() {
    let op = CreateVideo::new("x").input_reference(InputReference::Object(ImageInputReference::file_id("file-123")));
    let request = op.request(&config(), &options()).unwrap();
    assert_eq!(common::body_text(request.body()), r#"{"input_reference":{"file_id":"file-123"},"prompt":"x"}"#);
    let op = CreateVideo::new("x")
        .input_reference(InputReference::Object(ImageInputReference::image_url("https://e.x/a.png")));
    let request = op.request(&config(), &options()).unwrap();
    assert_eq!(
        common::body_text(request.body()),
        r#"{"input_reference":{"image_url":"https://e.x/a.png"},"prompt":"x"}"#
    );
}

#[test]
fn create_with_an_upload_is_multipart() {
    let op = CreateVideo::new("Animate this")
        .seconds(VideoSeconds::Four)
        .input_reference(InputReference::Upload(FilePart::new("/data/ref image.png", 1234)));
    let body = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nAnimate this\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"seconds\"\r\n\r\n4\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"input_reference\"; filename=\"ref image.png\"\r\nContent-Type: image/png\r\n\r\n\
<file ref image.png 1234>\r\n--BOUNDARY--\r\n";
    let framing = body.len() - "<file ref image.png 1234>".len();
    expect(
        &op,
        &format!(
            "POST https://api.openai.com/v1/videos\n{COMMON}accept: application/json\n\
content-type: multipart/form-data; boundary=BOUNDARY\ncontent-length: {}\nidempotency-key: idem-1\n\n{body}",
            framing + 1234
        ),
    );
}

#[test]
fn list_with_every_parameter() {
    let op = ListVideos::new().limit(100).order(VideoListOrder::Asc).after("video_9");
    expect(
        &op,
        &format!(
            "GET https://api.openai.com/v1/videos?limit=100&order=asc&after=video_9\n{COMMON}accept: application/json\n\n"
        ),
    );
    expect(&ListVideos::new(), &format!("GET https://api.openai.com/v1/videos\n{COMMON}accept: application/json\n\n"));
}

#[test]
fn retrieve_and_delete() {
    expect(
        &RetrieveVideo::new("video_123"),
        &format!("GET https://api.openai.com/v1/videos/video_123\n{COMMON}accept: application/json\n\n"),
    );
    expect(
        &DeleteVideo::new("video_123"),
        &format!("DELETE https://api.openai.com/v1/videos/video_123\n{COMMON}accept: application/json\n\n"),
    );
}

#[test]
fn download_content_asks_for_the_variants_own_type() {
    // Before, `accept: application/binary`, which a proxy validating against
    // the upstream spec (Prism) answers with 406: the spec lists only
    // video/mp4, image/webp and application/json for this operation.
    let op = DownloadContent::new("video_123").variant(VideoContentVariant::Thumbnail);
    let request = op.request(&config(), &options()).unwrap();
    assert_eq!(
        render(&request),
        format!(
            "GET https://api.openai.com/v1/videos/video_123/content?variant=thumbnail\n{COMMON}accept: image/webp\n\n"
        )
    );
}

#[test]
fn remix_is_json() {
    expect(
        &RemixVideo::new("video_123", "Now in a thunderstorm"),
        &format!(
            "POST https://api.openai.com/v1/videos/video_123/remix\n{COMMON}accept: application/json\ncontent-type: application/json\n\
content-length: 34\nidempotency-key: idem-1\n\n{{\"prompt\":\"Now in a thunderstorm\"}}"
        ),
    );
}

#[test]
fn edit_and_extend_by_id_are_json() {
    let request = EditVideo::new(VideoSource::id("video_1"), "brighter").request(&config(), &options()).unwrap();
    assert_eq!(request.uri(), "https://api.openai.com/v1/videos/edits");
    assert_eq!(common::body_text(request.body()), r#"{"prompt":"brighter","video":{"id":"video_1"}}"#);
    let request = ExtendVideo::new(VideoSource::id("video_1"), "and then", VideoSeconds::from_secs(16))
        .request(&config(), &options())
        .unwrap();
    assert_eq!(request.uri(), "https://api.openai.com/v1/videos/extensions");
    assert_eq!(common::body_text(request.body()), r#"{"prompt":"and then","seconds":"16","video":{"id":"video_1"}}"#);
}

#[test]
fn edit_and_extend_with_uploads_are_multipart() {
    let file = FilePart::new("clip.mp4", 10);
    let request = ExtendVideo::new(VideoSource::Upload(file.clone()), "more", VideoSeconds::Four)
        .request(&config(), &options())
        .unwrap();
    assert_eq!(
        common::body_text(request.body()),
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nmore\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"seconds\"\r\n\r\n4\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"video\"; filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n<file clip.mp4 10>\r\n--BOUNDARY--\r\n"
    );
    let request = EditVideo::new(VideoSource::Upload(file), "less").request(&config(), &options()).unwrap();
    assert!(
        common::body_text(request.body())
            .starts_with("--BOUNDARY\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nless\r\n")
    );
}

/// The caller's fields join the body's one list before it is encoded: in
/// JSON a field of the same name is replaced, not repeated; in multipart a
/// field is a part, text as it is and anything else as JSON text, and a
/// field named like the upload does not add a second `video` part.
#[test]
fn extra_fields_join_the_body_before_it_is_encoded() {
    let extra = options().body_field("prompt", "replaced").body_field("duration", 8).body_field("video", "ignored");
    let request = EditVideo::new(VideoSource::id("video_1"), "brighter").request(&config(), &extra).unwrap();
    assert_eq!(
        common::body_text(request.body()),
        r#"{"duration":8,"prompt":"replaced","video":"ignored"}"#,
        "JSON: one object, the caller's fields replacing ours"
    );
    let file = FilePart::new("clip.mp4", 10);
    let request = EditVideo::new(VideoSource::Upload(file), "brighter").request(&config(), &extra).unwrap();
    let text = common::body_text(request.body());
    assert_eq!(text.matches("name=\"prompt\"").count(), 1, "{text}");
    assert!(text.contains("name=\"prompt\"\r\n\r\nreplaced\r\n"), "{text}");
    assert!(text.contains("name=\"duration\"\r\n\r\n8\r\n"), "{text}");
    assert_eq!(text.matches("name=\"video\"").count(), 1, "the upload is the one video part: {text}");
    let length = text.len() - "<file clip.mp4 10>".len() + 10;
    assert_eq!(request.headers()["content-length"], length.to_string().as_str());
}

#[test]
fn characters() {
    let request = CreateCharacter::new("Mochi", FilePart::new("cat.mov", 7)).request(&config(), &options()).unwrap();
    assert_eq!(request.uri(), "https://api.openai.com/v1/videos/characters");
    assert_eq!(request.headers()["idempotency-key"], "idem-1");
    assert_eq!(
        common::body_text(request.body()),
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nMochi\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"video\"; filename=\"cat.mov\"\r\nContent-Type: video/quicktime\r\n\r\n<file cat.mov 7>\r\n--BOUNDARY--\r\n"
    );
    expect(
        &RetrieveCharacter::new("char_123"),
        &format!("GET https://api.openai.com/v1/videos/characters/char_123\n{COMMON}accept: application/json\n\n"),
    );
}

#[test]
fn ids_cannot_change_the_path_or_query() {
    for (id, encoded) in
        [("../files", "..%2Ffiles"), ("a/b?c=d", "a%2Fb%3Fc%3Dd"), ("%2e%2e", "%252e%252e"), ("x#frag", "x%23frag")]
    {
        let request = RetrieveVideo::new(id).request(&config(), &options()).unwrap();
        assert_eq!(request.uri().path(), format!("/v1/videos/{encoded}"));
        assert_eq!(request.uri().query(), None);
        let request = DownloadContent::new(id).request(&config(), &options()).unwrap();
        assert_eq!(request.uri().path(), format!("/v1/videos/{encoded}/content"));
        let request = RemixVideo::new(id, "p").request(&config(), &options()).unwrap();
        assert_eq!(request.uri().path(), format!("/v1/videos/{encoded}/remix"));
    }
}

#[test]
fn base_url_with_or_without_slash_and_per_call_extras() {
    let config = config().with_base_url("http://127.0.0.1:4010/v1/").unwrap();
    let options = options().query("trace", "a b").header("x-trace", "1").unwrap().header("user-agent", "mine").unwrap();
    let request = RetrieveVideo::new("v").request(&config, &options).unwrap();
    assert_eq!(request.uri(), "http://127.0.0.1:4010/v1/videos/v?trace=a%20b");
    assert_eq!(request.headers()["x-trace"], "1");
    assert_eq!(request.headers()["user-agent"], "mine");
}

#[test]
fn gets_carry_no_idempotency_key_and_anonymous_configs_no_auth() {
    let request = RetrieveVideo::new("v").request(&videos_core::Config::anonymous(), &options()).unwrap();
    assert!(request.headers().get("idempotency-key").is_none());
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn the_key_is_marked_sensitive() {
    let request = RetrieveVideo::new("v").request(&config(), &options()).unwrap();
    assert!(request.headers()["authorization"].is_sensitive());
    assert!(!format!("{:?}", request.headers()).contains(common::KEY));
}

#[test]
fn a_base_url_query_and_default_parameters_reach_every_request() {
    let config = videos_core::Config::new("k")
        .with_base_url("https://gw.example/v1?tenant=a%20b")
        .unwrap()
        .with_api_version("2025-04");
    assert_eq!(config.base_url(), "https://gw.example/v1?tenant=a%20b&api-version=2025-04");
    let request = videos_core::RetrieveVideo::new("video_1").request(&config, &Default::default()).unwrap();
    assert_eq!(request.uri().to_string(), "https://gw.example/v1/videos/video_1?tenant=a%20b&api-version=2025-04");
    let list = videos_core::ListVideos::new().limit(2).request(&config, &Default::default()).unwrap();
    assert_eq!(list.uri().query(), Some("limit=2&tenant=a%20b&api-version=2025-04"));
}
