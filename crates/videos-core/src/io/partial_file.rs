//! Writing a download so that its target path only ever holds a complete
//! file: the bytes go to a temporary file beside the target, which replaces
//! the target by rename only once it is whole and synced.
//!
//! Part of the core's only I/O ([`crate::io`]). Both transports share it, so
//! the guarantee is implemented once.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{Error, FileError, InvalidInput};

/// What a saved download is made to survive before it takes its target's
/// name. Either way the target never holds a partial file while the machine
/// stays up; the choice is about a crash or power loss right after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// The file is flushed to the disk (fsync) before the rename, and the
    /// directory after it: once the call returns, a power loss leaves the
    /// complete new file. The default; it costs a disk flush per download.
    #[default]
    Synced,
    /// The rename follows the last write without waiting for the disk,
    /// which keeps the bytes in the OS's cache: faster, but on some file
    /// systems a power loss soon after can leave an empty or partial file
    /// at the target. For files that are easy to fetch again.
    Unsynced,
}

/// A temporary file that becomes `target` on [`PartialFile::commit`] and is
/// removed if dropped before that (an error, a panic, a cancelled task).
#[derive(Debug)]
pub struct PartialFile {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl PartialFile {
    /// Creates the temporary file in `target`'s directory (so the final
    /// rename stays on one file system). `random` makes its name unique.
    ///
    /// Temporary files an earlier download to the same target left behind
    /// (a process killed with SIGKILL cannot clean up) are removed first.
    pub fn create(target: &Path, random: u64) -> Result<(Self, File), Error> {
        let name = target
            .file_name()
            .ok_or_else(|| InvalidInput::new("output", format!("{} does not name a file", target.display())))?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let prefix = format!(".{}.", name.to_string_lossy());
        remove_leftovers(dir, &prefix);
        let temp = dir.join(format!("{prefix}{random:016x}.part"));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| FileError::new(&temp, "create temporary download file", e))?;
        Ok((Self { temp, target: target.to_path_buf(), committed: false }, file))
    }

    /// Where the bytes are being written.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Renames `file` (the one [`PartialFile::create`] returned) over the
    /// target, syncing it first and the directory after when `durability`
    /// says so. Until this returns, an existing target is untouched.
    pub fn commit(mut self, file: File, durability: Durability) -> Result<(), Error> {
        if durability == Durability::Synced {
            file.sync_all().map_err(|e| FileError::new(&self.temp, "sync download", e))?;
        }
        drop(file);
        std::fs::rename(&self.temp, &self.target)
            .map_err(|e| FileError::new(&self.target, "move download into place at", e))?;
        self.committed = true;
        // Make the rename itself durable where the platform allows; failing that is not worth an error.
        if durability == Durability::Synced
            && let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Removes `PREFIX<16 hex digits>.part` files in `dir`: the temporary files
/// of earlier downloads to the same target that never finished.
fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".part")) else { continue };
        if middle.len() == 16 && middle.bytes().all(|b| b.is_ascii_hexdigit()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("videos-core-partial-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn commit_replaces_the_target_only_when_whole() {
        for (tag, durability) in [("commit-synced", Durability::Synced), ("commit-unsynced", Durability::Unsynced)] {
            let dir = dir(tag);
            let target = dir.join("out.mp4");
            std::fs::write(&target, b"old").unwrap();
            let (partial, mut file) = PartialFile::create(&target, 1).unwrap();
            file.write_all(b"new content").unwrap();
            assert_eq!(std::fs::read(&target).unwrap(), b"old", "untouched until commit");
            partial.commit(file, durability).unwrap();
            assert_eq!(std::fs::read(&target).unwrap(), b"new content", "{durability:?}");
            assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn dropping_removes_the_temporary_file_and_keeps_the_target() {
        let dir = dir("drop");
        let target = dir.join("out.mp4");
        std::fs::write(&target, b"old").unwrap();
        let (partial, mut file) = PartialFile::create(&target, 2).unwrap();
        file.write_all(b"half").unwrap();
        let temp = partial.temp_path().to_path_buf();
        drop(partial);
        assert!(!temp.exists());
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn leftovers_of_a_killed_download_are_removed_by_the_next_one() {
        let dir = dir("leftover");
        let target = dir.join("out.mp4");
        let stale = dir.join(".out.mp4.00000000deadbeef.part");
        let other = dir.join(".other.mp4.00000000deadbeef.part");
        std::fs::write(&stale, b"half of an old download").unwrap();
        std::fs::write(&other, b"another target's").unwrap();
        let (partial, file) = PartialFile::create(&target, 4).unwrap();
        assert!(!stale.exists(), "the leftover for this target is gone");
        assert!(other.exists(), "another target's temporary file is left alone");
        partial.commit(file, Durability::Synced).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_names_the_file() {
        let err = PartialFile::create(Path::new("/no/such/dir/out.mp4"), 3).unwrap_err();
        assert!(
            err.to_string().starts_with("could not create temporary download file /no/such/dir/.out.mp4."),
            "{err}"
        );
    }
}
