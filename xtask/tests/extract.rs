//! `extract` on a small synthetic "full" spec: the Videos paths survive with
//! the schemas they reach, renamed; everything else is dropped; and the result
//! goes through the generator.

use serde_json::Value;
use xtask::Fragment;
use xtask::extract::{PLACEHOLDER, extract_with};

const FULL_SPEC: &str = r##"
openapi: 3.1.0
info: {title: Everything, version: 9.9.9}
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
      parameters:
        - name: order
          in: query
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
      required: [id, object, model, error]
      properties:
        id: {type: string, description: The id.}
        object: {type: string, enum: [video], default: video, description: Always video.}
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

fn extracted() -> Value {
    let text = extract_with("full.yaml", FULL_SPEC, None).expect("extract succeeds");
    serde_norway::from_str(&text).expect("extract writes YAML")
}

#[test]
fn keeps_only_the_videos_paths() {
    let doc = extracted();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/videos", "/videos/{video_id}"]);
}

#[test]
fn keeps_the_reached_schemas_renamed_and_drops_the_rest() {
    let doc = extracted();
    let mut names: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(names, ["Video", "VideoCreateBody", "VideoCreateError", "VideoList", "VideoListOrder", "VideoModel"]);
    assert_eq!(
        doc["paths"]["/videos"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/VideoList"
    );
    assert_eq!(
        doc["components"]["schemas"]["Video"]["properties"]["error"]["anyOf"][0]["$ref"],
        "#/components/schemas/VideoCreateError"
    );
}

#[test]
fn moves_multipart_only_bodies_inline() {
    let doc = extracted();
    let inline = &doc["paths"]["/videos"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(inline["properties"]["input_reference"]["format"], "binary");
}

#[test]
fn fills_missing_descriptions_visibly() {
    let doc = extracted();
    assert_eq!(doc["components"]["schemas"]["VideoCreateError"]["properties"]["code"]["description"], PLACEHOLDER);
}

#[test]
fn the_output_generates() {
    let text = extract_with("full.yaml", FULL_SPEC, None).unwrap();
    let generated =
        xtask::generate(&Fragment::parse("extracted.yaml", &text).unwrap()).expect("codegen accepts extract output");
    assert!(generated.contains("pub struct Video {"));
    assert!(generated.contains(r#""sora-3" => Self::Sora3"#), "open VideoModel from anyOf");
    assert!(generated.contains("pub enum VideoObject {"), "inline enum hoisted and named");
    assert!(generated.contains("VIDEO_CREATE_BODY_PROMPT_MAX_LENGTH: usize = 500"));
}

#[test]
fn carries_our_wording_over() {
    let ours = Fragment::parse(
        "ours.yaml",
        "components:\n  schemas:\n    VideoListOrder:\n      description: Our words.\n      type: string\n      enum: [asc, desc]\n      x-enum-varnames: [Up, Down]\n",
    )
    .unwrap();
    let text = extract_with("full.yaml", FULL_SPEC, Some(&ours)).unwrap();
    let doc: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(doc["components"]["schemas"]["VideoListOrder"]["description"], "Our words.");
    assert_eq!(doc["components"]["schemas"]["VideoListOrder"]["x-enum-varnames"], serde_json::json!(["Up", "Down"]));
}

#[test]
fn a_spec_without_videos_is_an_error() {
    let err = extract_with("full.yaml", "openapi: 3.1.0\npaths: {/chat: {}}\n", None).unwrap_err();
    assert_eq!(err.to_string(), "full.yaml: at /paths: no `/videos…` path found");
}
