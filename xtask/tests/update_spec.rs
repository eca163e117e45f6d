//! `cargo xtask update-spec` as a maintainer meets it: the committed pin
//! gives the committed files, and an upstream that moved gives types that
//! keep what is ours, a report that classes each change, and a workspace
//! that still compiles.
//!
//! The upstream here is the committed pin itself (a valid spec whose Videos
//! subset is itself), edited by the test, so nothing outside the repository
//! is needed.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use xtask::spec::report::Class;
use xtask::spec::{OVERLAY_PATH, PIN_PATH, Update, update};
use xtask::{FRAGMENT_PATH, OUTPUT_PATH, workspace_root};

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace_root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The pipeline on the committed pin after `edit`, against the committed pin.
fn run_on_pin(edit: impl FnOnce(&mut Value)) -> Update {
    let mut upstream: Value = serde_norway::from_str(&read(PIN_PATH)).unwrap();
    edit(&mut upstream);
    let text = serde_json::to_string_pretty(&upstream).unwrap();
    update("edited-upstream.json", &text, &read(OVERLAY_PATH), Some(&read(PIN_PATH))).unwrap()
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the pin has {pointer}"))
}

/// The upstream's four kinds of change at once: a new enum value, a new
/// optional field on a response, a new required field in a request body,
/// and an enum value removed.
fn moved_upstream() -> Update {
    run_on_pin(|doc| {
        at(doc, "/components/schemas/VideoStatus/enum").as_array_mut().unwrap().push(json!("paused"));
        let video = at(doc, "/components/schemas/VideoResource/properties").as_object_mut().unwrap();
        video.insert("thumbnail_url".into(), json!({"type": "string"}));
        let body = at(doc, "/components/schemas/CreateVideoJsonBody").as_object_mut().unwrap();
        body["properties"].as_object_mut().unwrap().insert("style".into(), json!({"type": "string"}));
        body["required"].as_array_mut().unwrap().push(json!("style"));
        at(doc, "/components/schemas/VideoSeconds/enum").as_array_mut().unwrap().retain(|v| v != "12");
    })
}

#[test]
fn the_committed_pin_gives_the_committed_pin_fragment_and_types() {
    let update = run_on_pin(|_| {});
    // Compared whole but not printed whole: the texts are long.
    assert!(update.pin == read(PIN_PATH), "the pin is not its own Videos subset");
    assert!(update.fragment == read(FRAGMENT_PATH), "{FRAGMENT_PATH} is stale: run `cargo xtask codegen`");
    assert!(update.types == read(OUTPUT_PATH), "{OUTPUT_PATH} is stale: run `cargo xtask codegen`");
    assert_eq!(update.report.changes, Some(Vec::new()));
    assert!(update.report.unmatched.is_empty(), "{:?}", update.report.unmatched);
    assert!(update.report.to_string().contains("upstream: no change against the previous pin"));
}

#[test]
fn a_moved_upstream_keeps_what_is_ours_and_reports_each_change_with_its_class() {
    let update = moved_upstream();
    let types = &update.types;
    // What the upstream brought is in the types.
    assert!(types.contains(r#""paused" => Self::Paused"#), "the new status reads as its own variant");
    let video = types.split("pub struct Video {").nth(1).and_then(|s| s.split("\n}").next()).unwrap();
    assert!(video.contains("pub thumbnail_url: ::std::option::Option<::std::string::String>,"), "{video}");
    let body = types.split("pub struct VideoCreateBody {").nth(1).and_then(|s| s.split("\n}").next()).unwrap();
    assert!(body.contains("pub style: ::std::option::Option<::std::string::String>,"), "optional: {body}");
    assert!(body.contains(r#"#[serde(skip_serializing_if = "::std::option::Option::is_none")]"#));
    // What is ours is kept: names, tolerance, the values the SDK names, docs, limits.
    for kept in [
        "Self::Twelve",
        "Landscape1280x720",
        "pub created_at: ::std::option::Option<crate::UnixTime>,",
        "pub struct VideoCreateError",
        "pub struct ErrorResponse",
        "pub const PROMPT_MAX_LENGTH",
        "/// A video-generation job and, once it completes, the video it produced.",
    ] {
        assert!(types.contains(kept), "lost: {kept}");
    }
    assert!(video.contains("Not described yet"), "a field the overlay does not describe says so");
    // Each change, classed.
    let changes = update.report.changes.clone().unwrap();
    let has = |class: Class, what: &str| changes.iter().any(|c| c.class == class && c.what == what);
    let listed = format!("{changes:#?}");
    assert!(has(Class::Additive, r#"schema VideoStatus: new enum value "paused""#), "{listed}");
    assert!(has(Class::Additive, "schema VideoResource (Video).thumbnail_url: new optional field"), "{listed}");
    assert!(
        has(Class::Breaking, "schema CreateVideoJsonBody (VideoCreateBody).style: new field that requests must carry"),
        "{listed}"
    );
    assert!(has(Class::Breaking, r#"schema VideoSeconds: enum value "12" removed"#), "{listed}");
    assert_eq!(changes.len(), 4, "nothing else: {listed}");
    assert!(update.report.unmatched.is_empty(), "{:?}", update.report.unmatched);
    let printed = update.report.to_string();
    assert!(printed.starts_with("breaking "), "breaking changes come first:\n{printed}");
}

#[test]
fn an_overlay_action_the_upstream_moved_away_from_is_reported() {
    let update = run_on_pin(|doc| {
        // The upstream renames its list schema: our rename and the actions on it find nothing.
        let schemas = at(doc, "/components/schemas").as_object_mut().unwrap();
        let list = schemas.remove("VideoListResource").unwrap();
        schemas.insert("VideoPage".into(), list);
        let schema = at(doc, "/paths/~1videos/get/responses/200/content/application~1json/schema");
        *schema = json!({"$ref": "#/components/schemas/VideoPage"});
    });
    let unmatched = update.report.unmatched.join("\n");
    assert!(unmatched.contains("x-rename-schemas: VideoListResource → VideoList"), "{unmatched}");
    assert!(unmatched.contains("$.components.schemas.VideoList"), "{unmatched}");
    let changes = update.report.changes.unwrap();
    assert!(
        changes.iter().any(|c| c.class == Class::Breaking && c.what == "schema VideoListResource (VideoList): removed")
    );
}

/// The moved upstream's types, dropped into a copy of the workspace, compile
/// with everything else (`cargo check --workspace --all-targets`): code that
/// builds generated values does so with `..Default::default()`, and the
/// overlay keeps request bodies' required fields to the SDK's own. About a
/// minute the first time (the copy's own target directory, kept under
/// `target/` so later runs are incremental).
#[test]
fn a_moved_upstream_still_compiles_the_workspace() {
    let update = moved_upstream();
    let root = workspace_root();
    let scratch = root.join("target/update-spec-check");
    let copy = scratch.join("workspace");
    std::fs::remove_dir_all(&copy).ok();
    for entry in ["Cargo.toml", "Cargo.lock", "rustfmt.toml", "crates", "tests", "xtask", "openapi"] {
        copy_tree(&root.join(entry), &copy.join(entry));
    }
    for (path, text) in [(PIN_PATH, &update.pin), (FRAGMENT_PATH, &update.fragment), (OUTPUT_PATH, &update.types)] {
        std::fs::write(copy.join(path), text).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["check", "--workspace", "--all-targets", "--offline", "--locked", "--quiet"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .unwrap();
    std::fs::remove_dir_all(&copy).ok();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

fn copy_tree(from: &Path, to: &PathBuf) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
        return;
    }
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "target" {
            continue;
        }
        copy_tree(&entry.path(), &to.join(entry.file_name()));
    }
}

#[test]
fn operations_parameters_and_limits_are_classed_too() {
    let update = run_on_pin(|doc| {
        at(doc, "/paths/~1videos~1{video_id}").as_object_mut().unwrap().remove("delete");
        let tenant = json!({"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}});
        doc["components"]["parameters"] = json!({"Tenant": tenant});
        let list = at(doc, "/paths/~1videos/get/parameters").as_array_mut().unwrap();
        list.push(json!({"$ref": "#/components/parameters/Tenant"}));
        list.push(json!({"name": "tag", "in": "query", "schema": {"type": "string"}}));
        *at(doc, "/components/schemas/CreateVideoJsonBody/properties/prompt/maxLength") = json!(1000);
        let paths = at(doc, "/paths").as_object_mut().unwrap();
        paths.insert("/videos/{video_id}/cancel".into(), json!({"post": {"responses": {"200": {}}}}));
    });
    let changes = update.report.changes.unwrap();
    let listed = format!("{changes:#?}");
    let has = |class: Class, what: &str| changes.iter().any(|c| c.class == class && c.what == what);
    assert!(has(Class::Breaking, "DELETE /videos/{video_id}: operation removed"), "{listed}");
    assert!(has(Class::Additive, "POST /videos/{video_id}/cancel: new operation"), "{listed}");
    assert!(has(Class::Breaking, "GET /videos: parameter query tenant: new and required"), "by $ref: {listed}");
    assert!(has(Class::Additive, "GET /videos: parameter query tag: new, optional"), "{listed}");
    let prompt = "schema CreateVideoJsonBody (VideoCreateBody).prompt: maxLength 32000 → 1000";
    assert!(has(Class::Breaking, prompt), "a request limit that narrows: {listed}");
    // The delete's answer is no longer reached, so it leaves the pin, and our words for it find nothing.
    assert!(has(Class::Breaking, "schema DeletedVideoResource (VideoDeleteResponse): removed"), "{listed}");
    assert_eq!(changes.len(), 6, "{listed}");
    assert!(
        update.report.unmatched.iter().any(|line| line.contains("VideoDeleteResponse")),
        "{:?}",
        update.report.unmatched
    );
}
