//! Writing thousands of files atomically and durably at the cost of a few disk flushes instead of
//! two per file (an fsync costs milliseconds: 10,000 sidecars written one by one take most of a
//! minute). Each file is written to its temporary file beside the target without a flush
//! ([`BatchWriter::stage`]); [`BatchWriter::commit`] then flushes them all at once, checks that
//! each target is still what the caller read, renames each temporary file over its target, and
//! flushes the folders. A crash at any moment leaves every target either as it was or whole and
//! new, as [`super::atomic_write::write_atomically`] does.
//!
//! On Linux the flushes are one `syncfs` per filesystem; elsewhere every file and folder is
//! fsynced (correct, not faster).

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::atomic_write::temp_path_for;
use super::document::sha256_hex;
use super::safe_read::{read_capped, MAX_SIDECAR_BYTES};

/// What the target must still be when the batch is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// No file.
    Absent,
    /// A file with this SHA-256 (hex), or none (it was deleted since: writing loses nothing).
    Sha256(String),
}

impl Expect {
    /// `None` (no file was read) is [`Expect::Absent`].
    pub fn from_hash(hash: Option<&str>) -> Self {
        hash.map_or(Expect::Absent, |h| Expect::Sha256(h.to_owned()))
    }
}

/// One file waiting in its temporary file.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    expect: Expect,
}

/// A file of the batch that was not put in place, and why (the target is unchanged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{target}: {message}")]
pub struct CommitError {
    pub target: PathBuf,
    pub message: String,
}

/// Files staged and not yet committed. Dropping it without committing removes the temporary
/// files (the targets stay as they were).
#[derive(Debug, Default)]
pub struct BatchWriter {
    staged: Vec<Staged>,
}

impl BatchWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` to `target`'s temporary file (no flush). Safe to call from any thread;
    /// hand the result to [`BatchWriter::add`].
    pub fn stage(target: &Path, bytes: &[u8], expect: Expect) -> io::Result<Staged> {
        let tmp = temp_path_for(target);
        let written = (|| {
            let mut f = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            f.write_all(bytes)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(Staged {
            tmp,
            target: target.to_path_buf(),
            expect,
        })
    }

    pub fn add(&mut self, staged: Staged) {
        self.staged.push(staged);
    }

    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// Makes every staged file durable and puts it in place. Returns the files that were not
    /// (their target changed since it was read, or a flush or rename failed); the others are
    /// in place when it returns.
    pub fn commit(&mut self) -> Vec<CommitError> {
        let staged = std::mem::take(&mut self.staged);
        let mut failed = Vec::new();
        if staged.is_empty() {
            return failed;
        }
        let fail = |s: &Staged, message: String| {
            let _ = fs::remove_file(&s.tmp);
            CommitError {
                target: s.target.clone(),
                message,
            }
        };
        if let Err(e) = flush_files(&staged) {
            for s in &staged {
                failed.push(fail(s, format!("cannot flush to disk: {e}; not written")));
            }
            return failed;
        }
        let mut renamed = Vec::with_capacity(staged.len());
        for s in staged {
            if let Err(why) = still_expected(&s) {
                failed.push(fail(&s, why));
                continue;
            }
            match fs::rename(&s.tmp, &s.target) {
                Ok(()) => renamed.push(s.target.clone()),
                Err(e) => failed.push(fail(&s, format!("cannot write: {e}; not written"))),
            }
        }
        // Make the renames durable (errors here cannot be undone; like write_atomically, they are
        // not reported: the files are in place).
        flush_folders(&renamed);
        failed
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        for s in &self.staged {
            let _ = fs::remove_file(&s.tmp);
        }
    }
}

/// Staged files, each with what to do once it is in place (count it, report it), committed a
/// chunk at a time — or once the oldest has waited [`CommitQueue::MAX_WAIT`] — so that a long
/// run keeps what it did if it stops half way.
#[derive(Debug)]
pub struct CommitQueue<T> {
    batch: BatchWriter,
    items: Vec<(PathBuf, T)>,
    chunk: usize,
    oldest: Option<std::time::Instant>,
}

impl<T> CommitQueue<T> {
    /// How long a staged file waits at most (a slow source, such as a model command, still gets
    /// its work put in place every few seconds).
    pub const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

    /// Commits every `chunk` files.
    pub fn new(chunk: usize) -> Self {
        Self {
            batch: BatchWriter::new(),
            items: Vec::new(),
            chunk: chunk.max(1),
            oldest: None,
        }
    }

    /// Queues a staged file; when the chunk is full (or the oldest waited long enough), commits
    /// and returns every queued item with whether its file was put in place.
    pub fn push(&mut self, staged: Staged, item: T) -> Vec<(T, Result<(), CommitError>)> {
        self.items.push((staged.target.clone(), item));
        self.batch.add(staged);
        let oldest = *self.oldest.get_or_insert_with(std::time::Instant::now);
        if self.batch.len() >= self.chunk || oldest.elapsed() >= Self::MAX_WAIT {
            self.commit()
        } else {
            Vec::new()
        }
    }

    /// Commits what is queued.
    pub fn commit(&mut self) -> Vec<(T, Result<(), CommitError>)> {
        self.oldest = None;
        let mut failed = self.batch.commit();
        std::mem::take(&mut self.items)
            .into_iter()
            .map(
                |(target, item)| match failed.iter().position(|f| f.target == target) {
                    Some(i) => (item, Err(failed.swap_remove(i))),
                    None => (item, Ok(())),
                },
            )
            .collect()
    }
}

fn still_expected(s: &Staged) -> Result<(), String> {
    let current = match read_capped(&s.target, MAX_SIDECAR_BYTES) {
        Ok(b) => Some(b),
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(format!("cannot read: {e}; not overwritten")),
    };
    let fits = match (&s.expect, current) {
        (_, None) => true,
        (Expect::Sha256(h), Some(b)) => &sha256_hex(&b) == h,
        (Expect::Absent, Some(_)) => false,
    };
    if fits {
        Ok(())
    } else {
        Err(
            "changed on disk during the run (another program or a git pull?); not overwritten"
                .into(),
        )
    }
}

/// Flushes the staged files' data.
fn flush_files(staged: &[Staged]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let paths: Vec<&Path> = staged.iter().map(|s| s.tmp.as_path()).collect();
        sync_filesystems(&paths)
    }
    #[cfg(not(target_os = "linux"))]
    {
        for s in staged {
            File::open(&s.tmp)?.sync_all()?;
        }
        Ok(())
    }
}

/// Flushes the folders of renamed files.
fn flush_folders(targets: &[PathBuf]) {
    let dirs: BTreeSet<&Path> = targets
        .iter()
        .filter_map(|t| t.parent())
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    #[cfg(target_os = "linux")]
    {
        let dirs: Vec<&Path> = dirs.into_iter().collect();
        let _ = sync_filesystems(&dirs);
    }
    #[cfg(not(target_os = "linux"))]
    for d in dirs {
        if let Ok(f) = File::open(d) {
            let _ = f.sync_all();
        }
    }
}

/// One `syncfs` per filesystem the paths are on.
#[cfg(target_os = "linux")]
fn sync_filesystems(paths: &[&Path]) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let mut devices = BTreeSet::new();
    for p in paths {
        let f = File::open(p)?;
        if devices.insert(f.metadata()?.dev()) {
            // SAFETY: syncfs takes an open file descriptor, which `f` keeps open.
            if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_in_place_and_refuses_a_target_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a.json"),
            dir.path().join("b.json"),
            dir.path().join("c.json"),
        );
        fs::write(&b, "old b").unwrap();
        fs::write(&c, "old c").unwrap();
        let mut batch = BatchWriter::new();
        batch.add(BatchWriter::stage(&a, b"new a", Expect::Absent).unwrap());
        batch.add(BatchWriter::stage(&b, b"new b", Expect::Sha256(sha256_hex(b"old b"))).unwrap());
        batch.add(BatchWriter::stage(&c, b"new c", Expect::Sha256(sha256_hex(b"old c"))).unwrap());
        assert!(!a.exists(), "nothing in place before the commit");
        fs::write(&c, "someone else's c").unwrap();
        let failed = batch.commit();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].target, c);
        assert!(failed[0].message.contains("changed on disk"));
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(fs::read_to_string(&c).unwrap(), "someone else's c");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            3,
            "no temporary file left"
        );
    }

    #[test]
    fn dropping_an_uncommitted_batch_leaves_the_targets() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        fs::write(&a, "old").unwrap();
        {
            let mut batch = BatchWriter::new();
            batch.add(BatchWriter::stage(&a, b"new", Expect::Absent).unwrap());
        }
        assert_eq!(fs::read_to_string(&a).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
