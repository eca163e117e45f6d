//! Maintainer tasks for the Videos SDK, run as `cargo xtask …`.
//!
//! - `update-spec FULL_SPEC` pins the upstream's structure, applies our
//!   overlay, regenerates, and reports what changed (see [`spec`]).
//! - `codegen` regenerates `openapi/videos.yaml` from the pinned upstream and
//!   our overlay, `crates/videos-types/src/generated.rs` from it, and both
//!   transports' `surface.rs` from `xtask/templates/surface.rs.in`;
//!   `codegen --check` only compares.
//! - `extract FULL_SPEC` writes the Videos subset of a full upstream OpenAPI
//!   document, structure only: what `update-spec` pins.
//!
//! The library half exists so tests can run the generator in memory.

pub mod fragment;
pub mod generate;
pub mod limits;
pub mod lossless;
pub mod open_enum;
mod refs;
pub mod schema;
pub mod spec;
pub mod surface;
pub mod tolerant;

use std::path::{Path, PathBuf};

pub use fragment::{Fragment, FragmentError};
pub use generate::{FRAGMENT_PATH, OUTPUT_PATH, generate};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Reads the fragment at `FRAGMENT_PATH` under `root` and generates the file text.
pub fn generate_from_disk(root: &Path) -> Result<String, Box<dyn std::error::Error>> {
    generate_from_file(&root.join(FRAGMENT_PATH), FRAGMENT_PATH)
}

/// Reads the fragment at `path` (named `label` in messages and the header) and generates the file text.
pub fn generate_from_file(path: &Path, label: &str) -> Result<String, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
    let fragment = Fragment::parse(label, &text)?;
    Ok(generate(&fragment)?)
}

/// Whether the committed `generated.rs` under `root` matches what the fragment generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// The committed file is what the generator writes.
    Fresh,
    /// The committed file differs or is missing; holds the expected text.
    Stale(String),
}

/// Compares the committed output with a fresh generation, writing nothing:
/// `Fresh` only when the fragment (from the pin and the overlay), the types
/// and both surfaces are.
pub fn check(root: &Path) -> Result<Freshness, Box<dyn std::error::Error>> {
    // The fragment is generated too, where the pin it comes from is there.
    if root.join(spec::PIN_PATH).exists()
        && std::fs::read_to_string(root.join(FRAGMENT_PATH)).ok() != Some(spec::fragment_from_disk(root)?)
    {
        return Ok(Freshness::Stale(String::new()));
    }
    let types = compare(root, generate_from_disk(root)?)?;
    if types == Freshness::Fresh && !stale_surfaces(root)?.is_empty() {
        return Ok(Freshness::Stale(String::new()));
    }
    Ok(types)
}

/// The transports' surfaces under `root` that differ from what the template
/// writes: each one's path (relative to `root`) and expected text.
pub fn stale_surfaces(root: &Path) -> Result<Vec<(&'static str, String)>, Box<dyn std::error::Error>> {
    let template = std::fs::read_to_string(root.join(surface::TEMPLATE_PATH))
        .map_err(|e| format!("{}: cannot read: {e}", surface::TEMPLATE_PATH))?;
    let mut stale = Vec::new();
    for transport in &surface::TRANSPORTS {
        let expected = surface::generate(&template, transport)?;
        if std::fs::read_to_string(root.join(transport.output)).unwrap_or_default() != expected {
            stale.push((transport.output, expected));
        }
    }
    Ok(stale)
}

/// Compares the committed output under `root` with `expected`.
pub fn compare(root: &Path, expected: String) -> Result<Freshness, Box<dyn std::error::Error>> {
    let actual = std::fs::read_to_string(root.join(OUTPUT_PATH)).unwrap_or_default();
    Ok(if actual == expected { Freshness::Fresh } else { Freshness::Stale(expected) })
}
