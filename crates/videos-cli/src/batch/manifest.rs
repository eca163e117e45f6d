//! The manifest a batch keeps in its output folder, so that the same
//! command run again after a crash, a kill or Ctrl-C resumes: every line's
//! idempotency key is written before any job is created, each job's id as
//! soon as the service accepts it, and each line's end. A line with a job
//! is waited for, not created again; a saved file is not fetched again.
//!
//! It is rewritten whole on every change, to a temporary file renamed over
//! the old one, so a kill at any moment leaves the old manifest or the new,
//! never half of one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The manifest's file name inside the output folder.
pub(crate) const FILE: &str = "videos-batch.json";

/// Where one line stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum State {
    /// Not created yet.
    Waiting,
    /// Accepted as a job; not ended yet.
    Created,
    /// Completed and saved to its file.
    Saved,
    /// The job failed, or saving it did.
    Failed,
    /// The create was never accepted.
    NotAccepted,
}

/// One line's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) line: usize,
    /// The line as written: a rerun with a changed line is refused.
    pub(crate) text: String,
    pub(crate) idempotency_key: String,
    pub(crate) job_id: Option<String>,
    pub(crate) state: State,
    pub(crate) file: String,
    /// Why the line failed, when it did.
    pub(crate) error: Option<String>,
}

/// The whole manifest.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) about: String,
    pub(crate) entries: Vec<Entry>,
    #[serde(skip)]
    path: PathBuf,
}

impl Manifest {
    /// The manifest in `dir` for `lines` (number, text, file name): the one
    /// there, when a run began before, checked against the lines; else a new
    /// one, with a fresh key per line, written before anything is created.
    pub(crate) fn open(dir: &Path, lines: &[(usize, &str, &str)], random: impl Fn() -> u128) -> Result<Self, String> {
        let path = dir.join(FILE);
        let shown = path.display();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let mut manifest: Manifest =
                    serde_json::from_slice(&bytes).map_err(|e| format!("{shown}: not a batch manifest: {e}"))?;
                manifest.path = path.clone();
                if manifest.entries.len() != lines.len() {
                    return Err(format!(
                        "{shown} records {} lines, the file has {}: a batch resumes only the same lines; use another --out folder",
                        manifest.entries.len(),
                        lines.len()
                    ));
                }
                for (entry, (number, text, _)) in manifest.entries.iter().zip(lines) {
                    if entry.line != *number || entry.text != *text {
                        return Err(format!(
                            "line {number} differs from the one {shown} recorded: a batch resumes only the same lines; use another --out folder"
                        ));
                    }
                }
                Ok(manifest)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let entries = lines
                    .iter()
                    .map(|(number, text, name)| Entry {
                        line: *number,
                        text: (*text).to_owned(),
                        idempotency_key: format!("videos-batch-{:032x}", random()),
                        job_id: None,
                        state: State::Waiting,
                        file: (*name).to_owned(),
                        error: None,
                    })
                    .collect();
                let about = "Written by `videos batch`: each line's idempotency key and job. Run the same command again to resume; delete this folder to start afresh.".to_owned();
                let manifest = Manifest { about, entries, path };
                manifest.save()?;
                Ok(manifest)
            }
            Err(e) => Err(format!("could not read {shown}: {e}")),
        }
    }

    /// Writes the manifest whole: a temporary file, synced, renamed over the old.
    pub(crate) fn save(&self) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(self).map_err(|e| format!("could not write the manifest: {e}"))?;
        let temporary = self.path.with_extension("json.partial");
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        };
        write().map_err(|e| format!("could not write {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rerun_finds_its_keys_and_refuses_changed_lines() {
        let dir = tempfile::tempdir().unwrap();
        let lines = [(1, "{\"prompt\":\"a\"}", "0001.mp4"), (2, "{\"prompt\":\"b\"}", "0002.mp4")];
        let mut first = Manifest::open(dir.path(), &lines, || 7).unwrap();
        first.entries[0].job_id = Some("video_1".into());
        first.save().unwrap();
        let again = Manifest::open(dir.path(), &lines, || 8).unwrap();
        assert_eq!(again.entries[0].idempotency_key, format!("videos-batch-{:032x}", 7));
        assert_eq!(again.entries[0].job_id.as_deref(), Some("video_1"));
        let changed = [(1, "{\"prompt\":\"A\"}", "0001.mp4"), (2, "{\"prompt\":\"b\"}", "0002.mp4")];
        let error = Manifest::open(dir.path(), &changed, || 9).unwrap_err();
        assert!(error.starts_with("line 1 differs"), "{error}");
        assert!(!dir.path().join("videos-batch.json.partial").exists());
    }
}
