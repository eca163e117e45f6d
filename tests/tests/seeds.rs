//! Every example JSON document in the brief's seeds parses as a
//! `Video`, and loses nothing when written back.
//!
//! The examples are kept as fixtures so the test runs anywhere; where the
//! seeds are beside the checkout (as in CI) a second test checks that the
//! fixtures are exactly the examples the seeds contain, and elsewhere says
//! it skipped. The same holds for the one fact read from the upstream spec.

use serde_json::Value;
use videos_types::{Video, VideoContentVariant, VideoSeconds, VideoSize, VideoStatus};

fn fixtures() -> Vec<(String, Value)> {
    let dir = xtask::workspace_root().join("tests/fixtures/seeds");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_seed_example_parses_and_round_trips() {
    let fixtures = fixtures();
    assert_eq!(fixtures.len(), 2);
    for (name, doc) in fixtures {
        let video: Video = serde_json::from_value(doc.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = serde_json::to_value(&video).unwrap();
        // Absent nullable fields come back as explicit nulls; everything present is unchanged.
        for (key, value) in doc.as_object().unwrap() {
            assert_eq!(&back[key], value, "{name}: field {key}");
        }
    }
}

#[test]
fn the_calico_example_keeps_its_unlisted_quality_field() {
    let text = std::fs::read_to_string(
        xtask::workspace_root().join("tests/fixtures/seeds/video-queued-with-extra-field.json"),
    )
    .unwrap();
    let video: Video = serde_json::from_str(&text).unwrap();
    assert_eq!(video.status, Some(VideoStatus::Queued));
    assert_eq!(video.size, Some(VideoSize::Portrait1024x1792));
    assert_eq!(video.seconds, Some(VideoSeconds::Eight));
    assert_eq!(video.extra.get("quality"), Some(&Value::from("standard")));
    assert_eq!(video.completed_at, None);
}

/// JSON objects with `"object": "video"` found anywhere in a text.
fn video_documents(text: &str) -> Vec<Value> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices('{') {
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        if let Some(Ok(doc)) = stream.next()
            && doc.get("object") == Some(&Value::from("video"))
            && !found.contains(&doc)
        {
            found.push(doc);
        }
    }
    found
}

#[test]
fn fixtures_are_the_seed_examples() {
    let Some(dir) = videos_tests::brief::beside("seeds", "fixtures_are_the_seed_examples") else { return };
    let mut from_seeds = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for doc in video_documents(&text) {
            if !from_seeds.contains(&doc) {
                from_seeds.push(doc);
            }
        }
    }
    let fixtures: Vec<Value> = fixtures().into_iter().map(|(_, v)| v).collect();
    assert_eq!(from_seeds.len(), fixtures.len(), "seed examples and fixtures differ in number");
    for doc in &from_seeds {
        assert!(fixtures.contains(doc), "seed example missing from fixtures: {doc}");
        serde_json::from_value::<Video>(doc.clone()).unwrap();
    }
}

/// The media types the upstream spec lists for a content download, as
/// recorded in `tests/fixtures/upstream/content-media-types.json`.
fn recorded_content_media_types() -> Vec<String> {
    let path = xtask::workspace_root().join("tests/fixtures/upstream/content-media-types.json");
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    record["media_types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect()
}

#[test]
fn every_download_asks_with_an_accept_the_upstream_spec_lists() {
    // A proxy that validates against the upstream spec (Prism) answers 406
    // to any other Accept, as it did to `application/binary`.
    let listed = recorded_content_media_types();
    let config = videos_core::Config::new("k");
    for variant in [
        None,
        Some(VideoContentVariant::Video),
        Some(VideoContentVariant::Thumbnail),
        Some(VideoContentVariant::Spritesheet),
    ] {
        let op = videos_core::DownloadContent { video_id: "video_1".into(), variant: variant.clone() };
        let request = op.request(&config, &Default::default()).unwrap();
        let accept = request.headers()["accept"].to_str().unwrap();
        let types: Vec<&str> = accept.split(',').map(|t| t.split(';').next().unwrap().trim()).collect();
        assert!(types.iter().any(|t| listed.iter().any(|l| l == t)), "{variant:?}: {accept} names none of {listed:?}");
    }
}

#[test]
fn the_recorded_media_types_are_the_upstream_specs() {
    let test = "the_recorded_media_types_are_the_upstream_specs";
    let Some(path) = videos_tests::brief::beside("reference/videos-upstream.openapi.yaml", test) else { return };
    let spec: Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).expect("YAML");
    let mut listed: Vec<String> = spec["paths"]["/videos/{video_id}/content"]["get"]["responses"]["200"]["content"]
        .as_object()
        .expect("the content operation lists its media types")
        .keys()
        .cloned()
        .collect();
    let mut recorded = recorded_content_media_types();
    listed.sort();
    recorded.sort();
    assert_eq!(listed, recorded, "update tests/fixtures/upstream/content-media-types.json");
}
