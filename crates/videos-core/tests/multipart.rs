//! Our multipart encoder, read back by an independent parser (multer).

mod common;

use bytes::Bytes;
use futures_util::stream;
use proptest::prelude::*;
use videos_core::{Body, FilePart, Multipart};

struct Field {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn parse(body: Bytes, boundary: &str) -> Vec<Field> {
    futures_executor::block_on(async {
        let stream = stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut form = multer::Multipart::new(stream, boundary);
        let mut fields = Vec::new();
        while let Some(field) = form.next_field().await.unwrap() {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let data = field.bytes().await.unwrap().to_vec();
            fields.push(Field { name, file_name, content_type, data });
        }
        fields
    })
}

fn temp_file(tag: &str, content: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("videos-core-mp-{}-{tag}", std::process::id()));
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn a_create_upload_reads_back_field_by_field() {
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let path = temp_file("ref.png", &content);
    let form = Multipart::builder("b-123")
        .unwrap()
        .text("prompt", "Line one\r\nline two \"quoted\"")
        .text("seconds", "8")
        .file("input_reference", FilePart::new(&path, content.len() as u64).with_file_name("my \"ref\".png"))
        .finish();
    let body = common::multipart_bytes(&Body::Multipart(form.clone()));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(body.len() as u64, form.content_length());

    let fields = parse(body, "b-123");
    assert_eq!(fields.len(), 3);
    assert_eq!(fields[0].name, "prompt");
    assert_eq!(fields[0].data, b"Line one\r\nline two \"quoted\"");
    assert_eq!(fields[1].data, b"8");
    assert_eq!(fields[2].name, "input_reference");
    assert_eq!(fields[2].file_name.as_deref(), Some("my %22ref%22.png"));
    assert_eq!(fields[2].content_type.as_deref(), Some("image/png"));
    assert_eq!(fields[2].data, content);
}

#[test]
fn boundaries_are_checked() {
    assert!(Multipart::builder("").is_err());
    assert!(Multipart::builder(&"b".repeat(71)).is_err());
    assert!(Multipart::builder("has space").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_fields_round_trip(fields in prop::collection::vec(("[a-z_]{1,12}", ".{0,64}"), 1..6), tag in "[a-zA-Z0-9]{8,30}") {
        let boundary = format!("videos-rs-{tag}");
        let mut builder = Multipart::builder(&boundary).unwrap();
        for (name, value) in &fields {
            builder = builder.text(name, value);
        }
        let form = builder.finish();
        let body = common::multipart_bytes(&Body::Multipart(form));
        let parsed = parse(body, &boundary);
        prop_assert_eq!(parsed.len(), fields.len());
        for (got, (name, value)) in parsed.iter().zip(&fields) {
            prop_assert_eq!(&got.name, name);
            prop_assert_eq!(&got.data, value.as_bytes());
        }
    }
}
