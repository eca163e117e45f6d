//! The emulator's durable memory: an append-only journal of changes (for
//! the emulator: a job created, a job deleted, a character registered), one
//! JSON line each, in `journal.jsonl` of the state directory. Every emulator that opens the
//! same directory, in this process or another, reads the same journal, so
//! separate `videos` commands see the same jobs.
//!
//! Why a journal under a file lock rather than SQLite: the emulator's
//! changes are few and small and never edited in place, which is what an
//! append-only log does well; a reader needs no lock at all; and it costs no
//! C library to build (the bundled SQLite would add a C compile to every
//! clean build of the CLI). Writers take an exclusive lock, catch up with
//! what others appended, decide (an idempotency key, the job limit), append
//! and unlock, so a decision that spans processes sees every earlier change.
//!
//! Every entry is written as `\n{json}\n`: the leading newline ends a line a
//! crashed writer left half-written, so that line is skipped as unreadable
//! and the entries after it are kept.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The journal's file name in the state directory.
pub(crate) const FILE_NAME: &str = "journal.jsonl";

/// The open journal: a handle that appends and one that reads on from
/// where the last read stopped.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    writer: File,
    reader: File,
    /// The start of a line whose end has not been read yet.
    partial: Vec<u8>,
}

impl Journal {
    /// Opens (or creates) the journal in `dir`.
    pub(crate) fn open(dir: &Path) -> std::io::Result<Journal> {
        let path = dir.join(FILE_NAME);
        let named = |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
        let writer = OpenOptions::new().create(true).append(true).open(&path).map_err(named)?;
        let reader = File::open(&path).map_err(named)?;
        Ok(Journal { path, writer, reader, partial: Vec::new() })
    }

    /// The entries appended since the last call, by any process. A line
    /// that cannot be read (torn by a crash, or written by a newer version)
    /// is skipped with a warning.
    pub(crate) fn read_new<E: DeserializeOwned>(&mut self) -> std::io::Result<Vec<E>> {
        let mut bytes = std::mem::take(&mut self.partial);
        self.reader.read_to_end(&mut bytes)?;
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        self.partial = bytes.split_off(complete);
        let mut entries = Vec::new();
        for line in bytes.split(|b| *b == b'\n').filter(|line| !line.is_empty()) {
            match serde_json::from_slice(line) {
                Ok(entry) => entries.push(entry),
                Err(e) => tracing::warn!(journal = %self.path.display(), "skipped an unreadable journal line: {e}"),
            }
        }
        Ok(entries)
    }

    /// Takes the exclusive lock every writer holds while it catches up,
    /// decides and appends, so no two writers interleave (waits for it).
    /// The lock is released when the guard is dropped, however the holder
    /// ends (a panic in its decision included), so no other process is
    /// left waiting on a lock nobody will release.
    pub(crate) fn lock(&self) -> std::io::Result<JournalLock> {
        // A second handle on the same open file: the lock belongs to the file, and the
        // guard can hold it while the journal itself is read and appended to.
        let handle = self.writer.try_clone()?;
        handle.lock()?;
        Ok(JournalLock(handle))
    }

    /// Appends `entry` in one write, while holding a [`JournalLock`].
    pub(crate) fn append(&mut self, entry: &impl Serialize) -> std::io::Result<()> {
        let mut line = vec![b'\n'];
        serde_json::to_writer(&mut line, entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.writer.write_all(&line)?;
        // Our own line is read back by the next `read_new`, like anyone else's.
        Ok(())
    }
}

/// The journal's exclusive lock, held until dropped.
#[derive(Debug)]
pub(crate) struct JournalLock(File);

impl Drop for JournalLock {
    fn drop(&mut self) {
        // Closing the handle would release it too; unlocking first says so plainly.
        let _ = self.0.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(journal: &mut Journal, id: &str) {
        let lock = journal.lock().unwrap();
        journal.append(&serde_json::json!({ "id": id })).unwrap();
        drop(lock);
    }

    #[test]
    fn a_holder_that_panics_leaves_the_journal_unlocked() {
        // Before, the lock was taken and released by hand: a panic between
        // the two left every other writer waiting until the process ended.
        let dir = tempfile::tempdir().unwrap();
        let a = Journal::open(dir.path()).unwrap();
        let b = Journal::open(dir.path()).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _lock = a.lock().unwrap();
            panic!("a decision that fails");
        }));
        assert!(panicked.is_err());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(b.lock().map(drop).is_ok()).unwrap());
        let locked = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(locked, Ok(true), "the second writer got the lock");
    }

    fn ids(journal: &mut Journal) -> Vec<String> {
        let entries: Vec<serde_json::Value> = journal.read_new().unwrap();
        entries.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn a_second_handle_reads_what_the_first_appended() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Journal::open(dir.path()).unwrap();
        let mut b = Journal::open(dir.path()).unwrap();
        append(&mut a, "c1");
        assert_eq!(ids(&mut b), ["c1"]);
        assert!(ids(&mut b).is_empty(), "read once");
        append(&mut b, "c2");
        assert_eq!(ids(&mut a), ["c1", "c2"]);
    }

    #[test]
    fn a_torn_line_is_skipped_and_what_follows_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Journal::open(dir.path()).unwrap();
        append(&mut a, "c1");
        // A writer that died halfway through its line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE_NAME))
            .unwrap()
            .write_all(b"\n{\"id\":\"tor")
            .unwrap();
        let mut reader = Journal::open(dir.path()).unwrap();
        assert_eq!(ids(&mut reader), ["c1"], "the torn tail waits for its end");
        append(&mut a, "c2");
        assert_eq!(ids(&mut reader), ["c2"]);
    }
}
