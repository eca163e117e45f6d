//! The emulator's answers checked against the fragment by an independent
//! JSON Schema validator (`jsonschema`, draft 2020-12), fetched with plain
//! reqwest. Parsing them with our own generated types would hide a mistake
//! the generator and the emulator share; this test shares nothing with them
//! but the fragment.
//!
//! For each call, the schema is the one `openapi/videos.yaml` gives for that
//! operation and status (the operation's `default` response for errors).

use std::time::Duration;

use serde_json::{Value, json};
use videos_emulator::{Emulator, EmulatorConfig};

/// The fragment as JSON.
fn fragment() -> Value {
    let path = xtask::workspace_root().join("openapi/videos.yaml");
    let text = std::fs::read_to_string(&path).expect("the fragment is readable");
    serde_norway::from_str(&text).expect("the fragment is YAML")
}

/// Follows a local `$ref` within the fragment.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')).expect("the $ref resolves"),
        None => value,
    }
}

/// The JSON Schema of the answer to `method path` with `status`, as the fragment states it.
fn response_schema(doc: &Value, path: &str, method: &str, status: u16) -> Value {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "the fragment has no {method} {path}");
    let responses = &operation["responses"];
    let response = responses.get(status.to_string()).unwrap_or(&responses["default"]);
    let response = resolve(doc, response);
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "the fragment gives no JSON schema for {method} {path} {status}");
    schema.clone()
}

/// Validates `instance` against `schema`, whose `$ref`s point into the fragment.
fn check(doc: &Value, schema: Value, instance: &Value, what: &str) {
    // The fragment itself is the schema document: `$ref`s like
    // `#/components/schemas/Video` resolve in it, and its OpenAPI keys are
    // keywords the validator ignores.
    let mut root = doc.clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$defs"] = json!({ "answer": schema });
    root["$ref"] = json!("#/$defs/answer");
    let validator = jsonschema::draft202012::new(&root).expect("the fragment compiles as JSON Schema");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not conform to the fragment: {errors:#?}\n{instance:#}");
}

struct Api {
    http: reqwest::Client,
    base: String,
    doc: Value,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        template: &str,
        path: &str,
        body: Option<reqwest::Body>,
        content_type: Option<String>,
    ) -> (u16, Value) {
        let mut request =
            self.http.request(method.clone(), format!("{}{path}", self.base)).bearer_auth("sk-conformance");
        if let Some(body) = body {
            request = request.body(body);
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.bytes().await.expect("a body");
        let body: Value = serde_json::from_slice(&bytes).expect("a JSON answer");
        assert!(content_type.unwrap_or_default().starts_with("application/json"), "{method} {path}");
        let schema = response_schema(&self.doc, template, &method.as_str().to_ascii_lowercase(), status);
        check(&self.doc, schema, &body, &format!("{method} {path} ({status})"));
        (status, body)
    }

    async fn json(&self, method: reqwest::Method, template: &str, path: &str, body: Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        self.call(method, template, path, Some(bytes.into()), Some("application/json".into())).await
    }

    async fn get(&self, template: &str, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, template, path, None, None).await
    }

    async fn wait_until_final(&self, id: &str) -> Value {
        // Bounded: the fast emulator finishes a job within a few renders.
        for _ in 0..200 {
            let (_, video) = self.get("/videos/{video_id}", &format!("/videos/{id}")).await;
            if matches!(video["status"].as_str(), Some("completed" | "failed")) {
                return video;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("job {id} did not finish within 10 s");
    }
}

fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, bytes) in parts {
        out.extend_from_slice(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file) = file {
            out.extend_from_slice(format!("; filename=\"{file}\"\r\ncontent-type: video/mp4").as_bytes());
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_of_the_emulator_conforms_to_the_fragment() {
    use reqwest::Method;
    let emulator = Emulator::start(EmulatorConfig::fast()).await.expect("emulator starts");
    let api = Api { http: reqwest::Client::new(), base: format!("http://{}/v1", emulator.address()), doc: fragment() };

    // Create (JSON and multipart), retrieve until done, list.
    let (status, created) = api
        .json(Method::POST, "/videos", "/videos", json!({"prompt": "A calico cat at the piano", "seconds": "4"}))
        .await;
    assert_eq!(status, 200);
    let id = created["id"].as_str().unwrap().to_owned();
    let boundary = "conformance-boundary";
    let form = multipart(boundary, &[("prompt", None, b"A lighthouse at dusk"), ("size", None, b"1280x720")]);
    let (status, _) = api
        .call(
            Method::POST,
            "/videos",
            "/videos",
            Some(form.into()),
            Some(format!("multipart/form-data; boundary={boundary}")),
        )
        .await;
    assert_eq!(status, 200);
    let done = api.wait_until_final(&id).await;
    assert_eq!(done["status"], "completed");
    let (status, _) = api.get("/videos", "/videos?limit=2&order=asc").await;
    assert_eq!(status, 200);

    // Remix, edit and extend a completed job by id.
    let (status, remix) = api
        .json(
            Method::POST,
            "/videos/{video_id}/remix",
            &format!("/videos/{id}/remix"),
            json!({"prompt": "In the rain"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = api
        .json(Method::POST, "/videos/edits", "/videos/edits", json!({"prompt": "Brighter", "video": {"id": id}}))
        .await;
    assert_eq!(status, 200);
    let extension = json!({"prompt": "Then the sun rises", "seconds": "4", "video": {"id": id}});
    let (status, _) = api.json(Method::POST, "/videos/extensions", "/videos/extensions", extension).await;
    assert_eq!(status, 200);

    // A character, from the job's own MP4.
    let mp4 = api
        .http
        .get(format!("{}/videos/{id}/content", api.base))
        .bearer_auth("sk-conformance")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let form = multipart(boundary, &[("name", None, b"Mittens"), ("video", Some("cat.mp4"), &mp4)]);
    let (status, character) = api
        .call(
            Method::POST,
            "/videos/characters",
            "/videos/characters",
            Some(form.into()),
            Some(format!("multipart/form-data; boundary={boundary}")),
        )
        .await;
    assert_eq!(status, 200);
    let character_id = character["id"].as_str().unwrap().to_owned();
    let (status, _) = api.get("/videos/characters/{character_id}", &format!("/videos/characters/{character_id}")).await;
    assert_eq!(status, 200);

    // A failed job carries its error object.
    let (_, failing) = api.json(Method::POST, "/videos", "/videos", json!({"prompt": "[fail] a broken scene"})).await;
    let failed = api.wait_until_final(failing["id"].as_str().unwrap()).await;
    assert_eq!(failed["status"], "failed");

    // Error answers: each in the envelope the fragment describes.
    let (status, _) = api.get("/videos/{video_id}", "/videos/video_missing").await;
    assert_eq!(status, 404);
    let (status, _) = api.json(Method::POST, "/videos", "/videos", json!({"seconds": "4"})).await;
    assert_eq!(status, 400);
    let (status, _) = api.get("/videos", "/videos?limit=1000").await;
    assert_eq!(status, 400);
    let (status, _) = api.get("/videos/characters/{character_id}", "/videos/characters/char_missing").await;
    assert_eq!(status, 404);

    // Delete, last: the remix is done by now or soon.
    api.wait_until_final(remix["id"].as_str().unwrap()).await;
    let (status, deleted) = api.call(Method::DELETE, "/videos/{video_id}", &format!("/videos/{id}"), None, None).await;
    assert_eq!((status, deleted["deleted"].as_bool()), (200, Some(true)));
    emulator.shutdown().await;
}

#[test]
fn the_check_itself_rejects_what_the_fragment_forbids() {
    // A check that cannot fail proves nothing: a well-formed Video passes,
    // and each single defect in it is refused.
    let doc = fragment();
    let schema = response_schema(&doc, "/videos/{video_id}", "get", 200);
    let good = videos_tests::video_json("video_1", "queued", 0);
    let root = {
        let mut root = doc.clone();
        root["$defs"] = json!({ "answer": schema });
        root["$ref"] = json!("#/$defs/answer");
        root
    };
    let validator = jsonschema::draft202012::new(&root).unwrap();
    assert!(validator.is_valid(&good));
    let defects: [(&str, Value); 3] =
        [("progress", json!("half")), ("created_at", json!("yesterday")), ("error", json!({"message": 1}))];
    for (field, value) in defects {
        let mut bad = good.clone();
        bad[field] = value;
        assert!(!validator.is_valid(&bad), "{field} should be refused");
    }
    let mut no_id = good.clone();
    no_id.as_object_mut().unwrap().remove("id");
    assert!(!validator.is_valid(&no_id), "a Video without an id should be refused");
}
