//! Writing a file so that a crash at any moment leaves either the old file or the new one, whole,
//! and two writers (the import job and autosave, or two processes) cannot tear or overwrite each
//! other's work:
//!
//! 1. the bytes go to a temporary file of a unique name in the same folder, created with
//!    `create_new` (never an existing file, never through a planted link), and are fsynced;
//! 2. under an advisory lock on the folder, the caller's check runs (e.g. "the sidecar on disk is
//!    still the one I read") and the temporary file is renamed over the target;
//! 3. the folder is fsynced, so the rename itself is durable.
//!
//! Temporary files are hidden (`.NAME.PID.N.tmp-hashiya`): nothing takes them for an article or a
//! sidecar, and [`remove_stale_temps`] removes those a crashed process left behind.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// What every temporary file's name ends with.
pub const TEMP_SUFFIX: &str = ".tmp-hashiya";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The folder `target` is in (`.` for a bare file name).
pub(crate) fn folder_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Creates a new, empty temporary file beside `target` with a name no other writer uses.
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = target.with_file_name(format!(".{name}.{pid}.{n}{TEMP_SUFFIX}"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            // Left by an earlier process with the same pid: take the next number.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// An advisory lock on a folder, held while checking and renaming. Writers in this process and in
/// others exclude each other. Where the file system cannot lock (some network shares), writing goes
/// on without the lock rather than failing.
struct FolderLock {
    _dir: Option<File>,
}

impl FolderLock {
    fn acquire(folder: &Path) -> Self {
        let dir = File::open(folder).ok();
        #[cfg(unix)]
        if let Some(d) = &dir {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock on a file descriptor we own; released when it is closed.
            loop {
                let r = unsafe { libc::flock(d.as_raw_fd(), libc::LOCK_EX) };
                if r == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
        }
        FolderLock { _dir: dir }
    }
}

fn sync_folder(folder: &Path) {
    // Not all platforms can open a folder; the rename is then as durable as the OS makes it.
    if let Ok(d) = File::open(folder) {
        let _ = d.sync_all();
    }
}

/// Why a checked write did not happen.
#[derive(Debug)]
pub enum CheckedWriteError<E> {
    /// The check refused: nothing was written.
    Refused(E),
    Io(io::Error),
}

/// Writes `bytes` to `target` atomically.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_checked(target, bytes, || Ok::<(), io::Error>(())).map_err(|e| match e {
        CheckedWriteError::Refused(e) | CheckedWriteError::Io(e) => e,
    })
}

/// Writes `bytes` to `target` atomically if `check`, run under the folder's lock right before the
/// rename, agrees. On refusal or error the target is untouched and no temporary file is left.
pub fn write_checked<E>(
    target: &Path,
    bytes: &[u8],
    check: impl FnOnce() -> Result<(), E>,
) -> Result<(), CheckedWriteError<E>> {
    write_checked_with(target, bytes, check, |_| Ok(()))
}

/// As [`write_checked`], with a hook called after the temporary file is written and before the
/// lock is taken (tests use it to simulate a crash half way).
pub fn write_checked_with<E>(
    target: &Path,
    bytes: &[u8],
    check: impl FnOnce() -> Result<(), E>,
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), CheckedWriteError<E>> {
    let (tmp, mut f) = create_temp(target).map_err(CheckedWriteError::Io)?;
    let result = (|| {
        f.write_all(bytes).map_err(CheckedWriteError::Io)?;
        f.sync_all().map_err(CheckedWriteError::Io)?;
        drop(f);
        before_rename(&tmp).map_err(CheckedWriteError::Io)?;
        let folder = folder_of(target);
        {
            let _lock = FolderLock::acquire(folder);
            check().map_err(CheckedWriteError::Refused)?;
            fs::rename(&tmp, target).map_err(CheckedWriteError::Io)?;
        }
        sync_folder(folder);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// As [`write_atomically`], with a hook called after the temporary file is written and before it
/// replaces the target.
pub fn write_atomically_with(
    target: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    write_checked_with(target, bytes, || Ok::<(), io::Error>(()), before_rename).map_err(
        |e| match e {
            CheckedWriteError::Refused(e) | CheckedWriteError::Io(e) => e,
        },
    )
}

/// Many files written durably at the cost of a few syncs rather than two per file: every new file
/// is staged (written to its temporary file), then [`BatchWriter::commit`] makes all of them
/// durable at once, renames each into place under its folder's lock (after the caller's check),
/// and syncs each folder once. A crash at any moment leaves every target either old or new.
#[derive(Debug, Default)]
pub struct BatchWriter {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl BatchWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` to a temporary file for `target` (not yet durable, not yet in place).
    pub fn stage(&mut self, target: &Path, bytes: &[u8]) -> io::Result<()> {
        let (tmp, mut f) = create_temp(target)?;
        if let Err(e) = f.write_all(bytes) {
            drop(f);
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        self.staged.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Puts the staged files in folder order (otherwise in the order staged), so that the
    /// commit takes each folder's lock once even when files of several folders were staged in
    /// turn. [`SidecarQueue`](super::sidecar_queue::SidecarQueue) sorts its own list the same way.
    pub fn sort_by_folder(&mut self) {
        self.staged
            .sort_by(|a, b| folder_of(&a.1).cmp(folder_of(&b.1)));
    }

    /// Takes over the files staged by `other` (e.g. on another thread), after its own.
    pub fn append(&mut self, mut other: BatchWriter) {
        self.staged.append(&mut other.staged);
    }

    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// Makes the staged files durable, then puts each in place if `check(target)` agrees (run
    /// under the folder's lock). Returns, in staging order, each target with its outcome.
    pub fn commit<E>(
        mut self,
        mut check: impl FnMut(&Path) -> Result<(), E>,
    ) -> Vec<(PathBuf, Result<(), CheckedWriteError<E>>)> {
        let staged = std::mem::take(&mut self.staged);
        let synced = sync_files(&staged);
        let mut out = Vec::with_capacity(staged.len());
        let mut folders = BTreeSet::new();
        // The lock of the folder being renamed into, held across consecutive files of that folder
        // (a batch is mostly one folder after another: one lock each, not one per file).
        let mut held: Option<(PathBuf, FolderLock)> = None;
        for ((tmp, target), sync) in staged.into_iter().zip(synced) {
            let folder = folder_of(&target).to_path_buf();
            if held.as_ref().is_none_or(|(f, _)| *f != folder) {
                // Released before the next one is taken: never two folders locked at once.
                drop(held.take());
                held = Some((folder.clone(), FolderLock::acquire(&folder)));
            }
            let result = sync.map_err(CheckedWriteError::Io).and_then(|()| {
                check(&target).map_err(CheckedWriteError::Refused)?;
                fs::rename(&tmp, &target).map_err(CheckedWriteError::Io)
            });
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            } else {
                folders.insert(folder);
            }
            out.push((target, result));
        }
        drop(held);
        for f in folders {
            sync_folder(&f);
        }
        out
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        // Staged but never committed: nothing may be left behind.
        for (tmp, _) in self.staged.drain(..) {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Makes every staged temporary file durable: one `syncfs` per file system where Linux has it,
/// otherwise one fsync per file.
fn sync_files(staged: &[(PathBuf, PathBuf)]) -> Vec<io::Result<()>> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        let mut done_devices: BTreeSet<u64> = BTreeSet::new();
        // One look at the device per folder, not per file.
        let mut seen_folders: BTreeSet<&Path> = BTreeSet::new();
        let mut all_ok = true;
        for (tmp, _) in staged {
            use std::os::unix::fs::MetadataExt;
            if !seen_folders.insert(folder_of(tmp)) {
                continue;
            }
            let Ok(meta) = fs::metadata(tmp) else {
                all_ok = false;
                break;
            };
            if done_devices.insert(meta.dev()) {
                let ok = File::open(tmp).is_ok_and(|f| {
                    // SAFETY: syncfs on a descriptor we own.
                    unsafe { libc::syncfs(f.as_raw_fd()) == 0 }
                });
                all_ok &= ok;
            }
        }
        if all_ok {
            return staged.iter().map(|_| Ok(())).collect();
        }
    }
    staged
        .iter()
        .map(|(tmp, _)| OpenOptions::new().write(true).open(tmp)?.sync_all())
        .collect()
}

/// Removes temporary files in `folder` left by processes that are gone (a crash or a kill), once
/// they are older than `min_age`. Files of running processes are left alone.
pub fn remove_stale_temps(folder: &Path, min_age: Duration) -> usize {
    let Ok(read) = fs::read_dir(folder) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in read.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temp_owner(&name) else {
            continue;
        };
        let old_enough = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= min_age);
        if old_enough && !process_alive(pid) && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The pid in a temporary file's name (`.NAME.PID.N.tmp-hashiya`).
fn temp_owner(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let mut parts = stem.rsplit('.');
    let _counter: u64 = parts.next()?.parse().ok()?;
    parts.next()?.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_crash_before_rename_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        fs::write(&target, b"old").unwrap();
        let err = write_atomically_with(&target, b"new", |_| Err(io::Error::other("power cut")));
        assert!(err.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(files_in(dir.path()), ["a.json"], "no temp file left behind");
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn a_refused_check_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        fs::write(&target, b"old").unwrap();
        let r = write_checked(&target, b"new", || Err("changed on disk"));
        assert!(matches!(
            r,
            Err(CheckedWriteError::Refused("changed on disk"))
        ));
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(files_in(dir.path()), ["a.json"]);
    }

    #[test]
    fn temporary_names_are_unique_and_never_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        let (t1, _f1) = create_temp(&target).unwrap();
        let (t2, _f2) = create_temp(&target).unwrap();
        assert_ne!(t1, t2);
        assert!(t1.file_name().unwrap().to_string_lossy().starts_with('.'));
        assert_eq!(
            temp_owner(&t1.file_name().unwrap().to_string_lossy()),
            Some(std::process::id())
        );
    }

    #[test]
    fn threads_writing_one_file_leave_one_whole_version() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        let handles: Vec<_> = (0..8)
            .map(|k| {
                let t = target.clone();
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        write_atomically(&t, format!("{k}").repeat(10_000).as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let got = fs::read_to_string(&target).unwrap();
        assert_eq!(got.len(), 10_000);
        let first = got.chars().next().unwrap();
        assert!(got.chars().all(|c| c == first));
        assert_eq!(files_in(dir.path()), ["a.json"]);
    }

    #[test]
    fn a_batch_puts_every_checked_file_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let mut b = BatchWriter::new();
        b.stage(&dir.path().join("a"), b"A").unwrap();
        b.stage(&sub.join("b"), b"B").unwrap();
        b.stage(&sub.join("c"), b"C").unwrap();
        let out = b.commit(|t| if t.ends_with("c") { Err("no") } else { Ok(()) });
        assert!(out[0].1.is_ok() && out[1].1.is_ok());
        assert!(matches!(out[2].1, Err(CheckedWriteError::Refused("no"))));
        assert_eq!(fs::read(dir.path().join("a")).unwrap(), b"A");
        assert_eq!(files_in(&sub), ["b"]);
        let mut dropped = BatchWriter::new();
        dropped.stage(&sub.join("d"), b"D").unwrap();
        drop(dropped);
        assert_eq!(files_in(&sub), ["b"], "an uncommitted batch leaves nothing");
    }

    #[test]
    fn stale_temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A pid far above any pid_max: no such process.
        let dead = dir.path().join(".a.json.4999999.0.tmp-hashiya");
        let mine = dir
            .path()
            .join(format!(".a.json.{}.7.tmp-hashiya", std::process::id()));
        fs::write(&dead, b"half").unwrap();
        fs::write(&mine, b"half").unwrap();
        fs::write(dir.path().join("a.json"), b"x").unwrap();
        assert_eq!(
            remove_stale_temps(dir.path(), Duration::from_secs(3600)),
            0,
            "too young"
        );
        assert_eq!(remove_stale_temps(dir.path(), Duration::ZERO), 1);
        assert!(!dead.exists() && mine.exists());
    }
}
