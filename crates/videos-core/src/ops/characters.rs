//! `POST /videos/characters` and `GET /videos/characters/{character_id}`.

use http::{Method, Request};
use videos_types::{VideoCharacter, VideoModel};

use super::{Operation, validate};
use crate::config::Config;
use crate::error::Error;
use crate::request::multipart::FilePart;
use crate::request::{Body, Draft, Fields, RequestOptions, build};
use crate::url::path_segment;

/// Registers a character from an uploaded video (always multipart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCharacter {
    /// The display name, 1 to 80 characters.
    pub name: String,
    /// The video showing the character.
    pub video: FilePart,
    /// The model, for services that route on it (gateways); sent only when set.
    pub model: Option<VideoModel>,
    /// This call's own `Idempotency-Key` (see [`Self::idempotency_key`]).
    pub idempotency_key: Option<String>,
}

impl CreateCharacter {
    /// A character called `name` taken from `video`.
    pub fn new(name: impl Into<String>, video: FilePart) -> Self {
        Self { name: name.into(), video, model: None, idempotency_key: None }
    }

    /// Sends `key` as this call's `Idempotency-Key`: the same call with the
    /// same key gets what the first one made, never a second. Keep it to
    /// repeat a call whose outcome was lost; without one, each call draws a
    /// fresh key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sends `model` too (for a gateway that routes on it).
    pub fn model(mut self, model: impl Into<VideoModel>) -> Self {
        self.model = Some(model.into());
        self
    }
}

impl Operation for CreateCharacter {
    type Output = VideoCharacter;
    const EXPECTED: &'static str = "a VideoCharacter";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::character_name(&self.name)?;
        // The only multipart-only body: the fragment names no JSON type for it.
        let fields = Fields::of(&serde_json::json!({ "name": self.name }))?
            .optional("model", self.model.as_ref().map(VideoModel::as_str))
            .file("video", self.video.clone());
        let draft = Draft::new(Method::POST, "/videos/characters".to_owned()).fields(fields);
        build(draft, config, &options.keyed(self.idempotency_key.as_deref()))
    }
}

/// Reads one character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrieveCharacter {
    /// The character's id.
    pub character_id: String,
}

impl RetrieveCharacter {
    /// Reads the character `character_id`.
    pub fn new(character_id: impl Into<String>) -> Self {
        Self { character_id: character_id.into() }
    }
}

impl Operation for RetrieveCharacter {
    type Output = VideoCharacter;
    const EXPECTED: &'static str = "a VideoCharacter";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        let id = path_segment("character_id", &self.character_id)?;
        build(Draft::new(Method::GET, ["/videos/characters/", &id].concat()), config, options)
    }
}
