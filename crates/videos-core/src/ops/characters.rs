//! `POST /videos/characters` and `GET /videos/characters/{character_id}`.

use http::{Method, Request};
use videos_types::VideoCharacter;

use super::{Operation, validate};
use crate::config::Config;
use crate::error::Error;
use crate::request::multipart::{FilePart, Multipart};
use crate::request::{Body, Draft, RequestOptions, build};
use crate::url::path_segment;

/// Registers a character from an uploaded video (always multipart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCharacter {
    /// The display name, 1 to 80 characters.
    pub name: String,
    /// The video showing the character.
    pub video: FilePart,
}

impl CreateCharacter {
    /// A character called `name` taken from `video`.
    pub fn new(name: impl Into<String>, video: FilePart) -> Self {
        Self { name: name.into(), video }
    }
}

impl Operation for CreateCharacter {
    type Output = VideoCharacter;
    const EXPECTED: &'static str = "a VideoCharacter";

    fn request(&self, config: &Config, options: &RequestOptions) -> Result<Request<Body>, Error> {
        validate::character_name(&self.name)?;
        let form = Multipart::builder(&options.boundary())?
            .text("name", &self.name)
            .file("video", self.video.clone())
            .finish();
        let draft = Draft { body: Body::Multipart(form), ..Draft::new(Method::POST, "/videos/characters".to_owned()) };
        build(draft, config, options)
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
        build(Draft::new(Method::GET, format!("/videos/characters/{id}")), config, options)
    }
}
