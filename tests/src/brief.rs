//! The project's brief, kept beside a CI checkout but not in the repository:
//! the seeds and the upstream reference spec. This is the one place that
//! names that folder; tests that compare our own records with it call
//! [`beside`] and skip, saying so in one line, where it is absent. A fresh
//! clone has nothing beside it, and its tests pass there.

use std::path::PathBuf;

/// `relative` inside the brief's folder (`shared`, beside the workspace),
/// when it exists; otherwise `None`, after printing one line naming `test`
/// as skipped. Never fails for the material's absence, in CI or not.
pub fn beside(relative: &str, test: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The workspace is this crate's parent; the brief sits beside the workspace.
    let path = root.parent().and_then(|w| w.parent()).map(|outside| outside.join("shared").join(relative))?;
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped {test}: {} is not beside this checkout", path.display());
        None
    }
}
