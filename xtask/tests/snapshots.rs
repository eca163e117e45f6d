//! Snapshots of the generator: each small fragment in `tests/snapshots/`
//! generates exactly the `.rs` beside it, and that Rust compiles (it is
//! included below as a module, under `deny(warnings)`) and behaves.
//!
//! After an intended change to the generator, refresh the expected files
//! with `UPDATE_SNAPSHOTS=1 cargo test -p xtask --test snapshots` and
//! review the diff.

#![deny(warnings)]

use std::path::{Path, PathBuf};

// The generated code names `crate::UnknownValue`; this is videos-types' own file.
#[path = "../../crates/videos-types/src/unknown.rs"]
pub mod unknown;
pub use unknown::UnknownValue;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "snapshots/open_enum.rs"]
pub mod open_enum;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "snapshots/object.rs"]
pub mod object;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "snapshots/tolerant.rs"]
pub mod tolerant;

/// The hand-written type `tolerant.yaml` names with `x-rust-type: Stamp`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stamp(pub f64);

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn check(name: &str) {
    let fragment = snapshots().join(format!("{name}.yaml"));
    let expected_path = snapshots().join(format!("{name}.rs"));
    let label = format!("xtask/tests/snapshots/{name}.yaml");
    let generated = xtask::generate_from_file(&fragment, &label).expect("the snapshot fragment generates");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&expected_path, &generated).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        generated == expected,
        "{name}.yaml no longer generates {name}.rs; if the change is intended, run \
         `UPDATE_SNAPSHOTS=1 cargo test -p xtask --test snapshots` and review the diff.\n--- generated ---\n{generated}"
    );
}

#[test]
fn open_enums_snapshot() {
    check("open_enum");
}

#[test]
fn objects_snapshot() {
    check("object");
}

#[test]
fn tolerant_snapshot() {
    check("tolerant");
}

#[test]
fn tolerant_objects_read_absent_and_null_fields_and_write_them_back_as_null() {
    use tolerant::{Job, JobTint};
    let job: Job = serde_json::from_str(r#"{"id":"j1","count":null}"#).unwrap();
    assert_eq!((job.id.as_str(), job.count, job.at.clone(), job.tint.clone()), ("j1", None, None, None));
    let sent = r#"{"id":"j2","count":null,"at":1.5,"tint":20,"label":"x"}"#;
    let job: Job = serde_json::from_str(sent).unwrap();
    assert_eq!((job.at.clone(), job.tint.clone()), (Some(Stamp(1.5)), Some(JobTint::V20)), "numbers read as enum text");
    let back = serde_json::to_value(&job).unwrap();
    assert_eq!(back, serde_json::json!({"id":"j2","count":null,"at":1.5,"tint":"20","label":"x"}));
    assert!(serde_json::from_str::<Job>(r#"{"count":1}"#).is_err(), "the kept field stays required");
}

#[test]
fn generated_enums_are_open_and_round_trip() {
    use open_enum::{Shade, Tint};
    assert_eq!(Shade::default(), Shade::LightGrey);
    assert_eq!(serde_json::to_string(&Tint::Twenty).unwrap(), r#""20""#);
    let unknown: Shade = serde_json::from_str(r#""neon""#).unwrap();
    assert!(!unknown.is_known());
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""neon""#);
    assert_eq!("dark_blue".parse::<Shade>().unwrap(), Shade::DarkBlue);
}

#[test]
fn generated_objects_keep_unknown_fields_unless_sealed() {
    let text = r#"{"id":"p1","label":"x","count":3,"note":null,"mood":"calm","shiny":true}"#;
    let palette: object::Palette = serde_json::from_str(text).unwrap();
    assert_eq!(palette.note, None);
    assert_eq!(palette.mood, Some(object::PaletteMood::Calm));
    assert_eq!(palette.extra["shiny"], true);
    let back: serde_json::Value = serde_json::to_value(&palette).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(text).unwrap());
    assert!(serde_json::from_str::<object::Sealed>(r#"{"name":"n","extra":1}"#).is_err());
    assert_eq!(object::limits::LABEL_MAX_LENGTH, 40);
}
