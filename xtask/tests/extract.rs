//! `extract` (the pin) on a small synthetic "full" spec: the Videos paths
//! survive with the schemas they reach, under the upstream's names, with
//! their structure and none of their prose; and our overlay makes a fragment
//! of it that the generator accepts.

use serde_json::Value;
use xtask::Fragment;
use xtask::spec::overlay::{PLACEHOLDER, apply};
use xtask::spec::pin::{pin, pin_text};

const FULL_SPEC: &str = r##"
openapi: 3.1.0
info: {title: Everything, version: 9.9.9, description: The whole API.}
paths:
  /chat/completions:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ChatRequest"}
      responses: {"200": {description: ok}}
  /videos:
    get:
      summary: List them.
      tags: [Videos]
      x-oaiMeta: {name: List videos}
      parameters:
        - name: order
          in: query
          description: Which way.
          schema: {$ref: "#/components/schemas/OrderEnum"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/VideoListResource"}
    post:
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: "#/components/schemas/CreateVideoMultipartBody"}
          application/json:
            schema: {$ref: "#/components/schemas/CreateVideoJsonBody"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/VideoResource"}
  /videos/{video_id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/VideoResource"}
components:
  schemas:
    ChatRequest:
      type: object
      properties: {model: {type: string}}
    Unused:
      type: string
    OrderEnum:
      type: string
      enum: [asc, desc]
    VideoModel:
      anyOf:
        - type: string
        - type: string
          enum: [sora-2, sora-3]
    VideoResource:
      type: object
      title: Video job
      required: [id, object, model, error, description]
      properties:
        id: {type: string, description: The id., example: video_1}
        description: {type: string, description: A property that happens to be called description.}
        object: {type: string, enum: [video], default: video, description: Always video., x-stainless-const: true}
        model: {$ref: "#/components/schemas/VideoModel"}
        error:
          anyOf:
            - $ref: "#/components/schemas/Error-2"
            - type: "null"
    Error-2:
      type: object
      properties:
        code: {type: string}
    VideoListResource:
      type: object
      properties:
        data:
          type: array
          items: {$ref: "#/components/schemas/VideoResource"}
    CreateVideoJsonBody:
      type: object
      properties:
        prompt: {type: string, minLength: 1, maxLength: 500, description: What to draw.}
    CreateVideoMultipartBody:
      type: object
      properties:
        input_reference: {type: string, format: binary}
"##;

/// Renames as our overlay does, and one action (Overlay 1.0 asks for one).
const RENAMES_ONLY: &str = r#"
overlay: 1.0.0
info: {title: renames, version: "1"}
x-rename-schemas:
  VideoResource: Video
  Error-2: VideoCreateError
  VideoListResource: VideoList
  OrderEnum: VideoListOrder
  CreateVideoJsonBody: VideoCreateBody
  CreateVideoMultipartBody: VideoCreateMultipartBody
actions: [{target: "$.info", update: {title: Videos}}]
"#;

fn pinned() -> Value {
    pin("full.yaml", FULL_SPEC).expect("the pin is made")
}

#[test]
fn keeps_only_the_videos_paths() {
    let doc = pinned();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/videos", "/videos/{video_id}"]);
}

#[test]
fn keeps_the_reached_schemas_under_upstream_names_and_drops_the_rest() {
    let doc = pinned();
    let names: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
    let expected = ["CreateVideoJsonBody", "CreateVideoMultipartBody", "Error-2", "OrderEnum", "VideoListResource"];
    assert_eq!(names, [&expected[..], &["VideoModel", "VideoResource"]].concat());
}

#[test]
fn keeps_structure_and_drops_prose() {
    let doc = pinned();
    let video = &doc["components"]["schemas"]["VideoResource"];
    assert_eq!(video["required"], serde_json::json!(["id", "object", "model", "error", "description"]));
    assert_eq!(
        video["properties"]["object"],
        serde_json::json!({"type": "string", "enum": ["video"], "default": "video"})
    );
    assert_eq!(video["properties"]["id"], serde_json::json!({"type": "string"}), "no description, no example");
    assert_eq!(video["properties"]["description"], serde_json::json!({"type": "string"}), "a field named so is kept");
    assert!(video.get("title").is_none());
    let list = &doc["paths"]["/videos"]["get"];
    assert!(list.get("summary").is_none() && list.get("tags").is_none() && list.get("x-oaiMeta").is_none());
    assert!(list["parameters"][0].get("description").is_none());
    let prompt = &doc["components"]["schemas"]["CreateVideoJsonBody"]["properties"]["prompt"];
    assert_eq!((prompt["minLength"].as_u64(), prompt["maxLength"].as_u64()), (Some(1), Some(500)));
    assert!(pin_text("full.yaml", FULL_SPEC).unwrap().starts_with("# @generated by `cargo xtask update-spec`"));
}

#[test]
fn with_our_renames_it_generates() {
    let applied = apply(&pinned(), "renames.yaml", RENAMES_ONLY).unwrap();
    assert!(applied.unmatched.is_empty(), "{:?}", applied.unmatched);
    let doc = &applied.fragment;
    let inline = &doc["paths"]["/videos"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(inline["properties"]["input_reference"]["format"], "binary", "multipart-only bodies move inline");
    assert_eq!(doc["components"]["schemas"]["VideoCreateError"]["properties"]["code"]["description"], PLACEHOLDER);
    let text = serde_json::to_string(doc).unwrap();
    let generated =
        xtask::generate(&Fragment::parse("fragment.json", &text).unwrap()).expect("codegen accepts the fragment");
    assert!(generated.contains("pub struct Video {"));
    assert!(generated.contains(r#""sora-3" => Self::Sora3"#), "open VideoModel from anyOf");
    assert!(generated.contains("pub enum VideoObject {"), "inline enum hoisted and named");
    assert!(generated.contains("VIDEO_CREATE_BODY_PROMPT_MAX_LENGTH: usize = 500"));
}

#[test]
fn a_spec_without_videos_is_an_error() {
    let err = pin("full.yaml", "openapi: 3.1.0\npaths: {/chat: {}}\n").unwrap_err();
    assert_eq!(err.to_string(), "full.yaml: at /paths: no `/videos…` path found");
}

#[test]
fn a_broken_overlay_is_refused_naming_the_file() {
    let actions = r#"actions: [{target: "$.info", update: {title: Videos}}]"#;
    let empty_action = RENAMES_ONLY.replace(actions, r#"actions: [{target: "$.info"}]"#);
    let err = apply(&pinned(), "overlay.yaml", &empty_action).unwrap_err();
    assert!(err.starts_with("overlay.yaml: not a valid Overlay 1.0 document"), "{err}");
    let bad_path = RENAMES_ONLY.replace(actions, r#"actions: [{target: "info[", remove: true}]"#);
    let err = apply(&pinned(), "overlay.yaml", &bad_path).unwrap_err();
    assert!(err.starts_with("overlay.yaml: "), "{err}");
    let err = apply(&pinned(), "overlay.yaml", "overlay: 1.0.0\nactions: [").unwrap_err();
    assert!(err.starts_with("overlay.yaml: not valid YAML"), "{err}");
}
