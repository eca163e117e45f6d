//! Input is checked before anything is sent, and the error names the field.

mod common;

use common::{config, options};
use videos_core::{
    CreateCharacter, CreateVideo, EditVideo, Error, ExtendVideo, FilePart, InputReference, ListVideos, Operation,
    RemixVideo, RetrieveCharacter, RetrieveVideo, VideoSource,
};
use videos_types::{ImageInputReference, VideoSeconds};

fn rejects(op: &impl Operation, field: &str, reason: &str) {
    match op.request(&config(), &options()) {
        Err(Error::InvalidInput(e)) => {
            assert_eq!(e.field, field);
            assert!(e.reason.contains(reason), "{e}");
        }
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

#[test]
fn prompts() {
    rejects(&CreateVideo::new(""), "prompt", "must not be empty");
    rejects(&CreateVideo::new("x".repeat(32_001)), "prompt", "at most 32000 characters");
    // The limit counts characters, not bytes.
    assert!(CreateVideo::new("é".repeat(32_000)).request(&config(), &options()).is_ok());
    rejects(&RemixVideo::new("v", ""), "prompt", "must not be empty");
    rejects(&EditVideo::new(VideoSource::id("v"), ""), "prompt", "must not be empty");
    rejects(&ExtendVideo::new(VideoSource::id("v"), "", VideoSeconds::Four), "prompt", "must not be empty");
}

#[test]
fn ids() {
    rejects(&RetrieveVideo::new(""), "video_id", "must not be empty");
    rejects(&RemixVideo::new("..", "p"), "video_id", "not an id");
    rejects(&RetrieveCharacter::new(""), "character_id", "must not be empty");
    rejects(&EditVideo::new(VideoSource::id(""), "p"), "video.id", "must not be empty");
}

#[test]
fn list_limit() {
    rejects(&ListVideos::new().limit(101), "limit", "between 0 and 100, got 101");
    rejects(&ListVideos::new().limit(-1), "limit", "between 0 and 100");
    assert!(ListVideos::new().limit(0).request(&config(), &options()).is_ok());
    rejects(&ListVideos::new().after(""), "after", "must not be empty");
}

#[test]
fn character_names() {
    let file = FilePart::new("c.mp4", 1);
    rejects(&CreateCharacter::new("", file.clone()), "name", "must not be empty");
    rejects(&CreateCharacter::new("n".repeat(81), file.clone()), "name", "at most 80");
    assert!(CreateCharacter::new("n".repeat(80), file).request(&config(), &options()).is_ok());
}

#[test]
fn reference_objects() {
    let both = ImageInputReference { file_id: Some("f".into()), ..ImageInputReference::image_url("https://x") };
    rejects(&CreateVideo::new("p").input_reference(InputReference::Object(both)), "input_reference", "not both");
    let neither = ImageInputReference { file_id: None, ..ImageInputReference::image_url("u") };
    let neither = ImageInputReference { image_url: None, ..neither };
    rejects(&CreateVideo::new("p").input_reference(InputReference::Object(neither)), "input_reference", "set one of");
    let long = ImageInputReference::image_url("d".repeat(20_971_521));
    rejects(
        &CreateVideo::new("p").input_reference(InputReference::Object(long)),
        "input_reference.image_url",
        "at most 20971520",
    );
}

#[test]
fn files_that_cannot_be_opened() {
    let err = FilePart::from_path("/definitely/not/here.png").unwrap_err();
    assert!(matches!(err, Error::File(_)));
    assert_eq!(err.to_string(), "could not open upload /definitely/not/here.png");
    let dir = std::env::temp_dir();
    let err = FilePart::from_path(&dir).unwrap_err();
    assert!(err.to_string().starts_with("could not "), "{err}");
}

#[test]
fn files_that_exist_are_described_with_their_length() {
    let path = std::env::temp_dir().join(format!("videos-core-upload-{}.png", std::process::id()));
    std::fs::write(&path, b"12345").unwrap();
    let part = FilePart::from_path(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(part.len(), 5);
    assert_eq!(part.content_type(), "image/png");
}

#[test]
fn settings_that_cannot_be_headers_name_the_setting() {
    let config = videos_core::Config::new("sk-bad\nkey");
    let err = RetrieveVideo::new("v").request(&config, &options()).unwrap_err();
    assert_eq!(err.to_string(), "invalid api_key: contains characters a header cannot carry");
    assert!(!err.to_string().contains("sk-bad"));
    let config = videos_core::Config::new("sk").with_project("p\r\nx");
    let err = RetrieveVideo::new("v").request(&config, &options()).unwrap_err();
    assert_eq!(err.to_string(), "invalid project: contains characters a header cannot carry");
}
