//! The export's output on disk, written atomically: a file format's main file is streamed into a
//! hidden temporary file beside it (unique name, created with `create_new`) and renamed over the
//! target only when the export is complete and synced (synced in the background as it grows, see
//! [`super::background_sync`]); side files and every file of a folder
//! format go through one [`BatchWriter`] committed at the end. An export that fails half way
//! leaves the previous output as it was and no temporary file behind.
//!
//! (`model::atomic_write` has no streaming writer, only whole-buffer ones; the main file is the
//! one thing here that does not go through it.)

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::background_sync::SyncedAsWritten;
use crate::formats::Output;
use crate::model::atomic_write::{BatchWriter, CheckedWriteError, TEMP_SUFFIX};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The main file being streamed.
struct Streamed {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<SyncedAsWritten>>,
}

impl Streamed {
    fn create(target: &Path) -> io::Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pid = std::process::id();
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            // The same shape as atomic_write's temporary names, so that its clean-up of stale
            // temporary files knows them.
            let tmp = target.with_file_name(format!(".{name}.{pid}.{n}{TEMP_SUFFIX}"));
            match OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    return Ok(Self {
                        target: target.to_path_buf(),
                        tmp,
                        file: Some(BufWriter::with_capacity(1 << 20, SyncedAsWritten::new(f))),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn finish(mut self) -> io::Result<()> {
        let Some(w) = self.file.take() else {
            return Ok(());
        };
        let mut previous = None;
        let done = (|| {
            let f = w.into_inner().map_err(|e| e.into_error())?.finish()?;
            f.sync_all()?;
            drop(f);
            previous = previous_output(&self.target);
            std::fs::rename(&self.tmp, &self.target)
        })();
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
            return done;
        }
        if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        if let Some(previous) = previous {
            let_go_meanwhile(previous);
        }
        Ok(())
    }
}

/// The output an export replaces, held open so that the rename over it does not free it: the
/// system frees a file's blocks and pages when the last name and descriptor of it go, which for
/// a 12 MB output took the rename 8-12 ms (see [`let_go_meanwhile`]). `None` if there is none, it
/// is not a regular file, or it cannot be opened (the rename then frees it, as before).
#[cfg(unix)]
fn previous_output(target: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(target)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

#[cfg(not(unix))]
fn previous_output(_target: &Path) -> Option<File> {
    // Elsewhere an open file cannot be renamed over.
    None
}

/// Closes the replaced output on a thread of its own, so that freeing it goes on while the
/// export ends (and, for the command line, while the process exits).
fn let_go_meanwhile(previous: File) {
    let spawned = std::thread::Builder::new()
        .name("previous-output".into())
        .spawn(move || drop(previous));
    // No thread to be had: the file was moved into the closure that was not run, and is closed
    // here with it.
    drop(spawned);
}

impl Drop for Streamed {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// An export's output on disk.
pub struct DiskOutput {
    /// The output path: the main file, or the folder of a folder format.
    out: PathBuf,
    folder: bool,
    main: Option<Streamed>,
    batch: BatchWriter,
    /// Folders already created.
    made: std::collections::BTreeSet<PathBuf>,
}

impl DiskOutput {
    pub fn create(out: &Path, folder: bool) -> io::Result<Self> {
        if folder {
            std::fs::create_dir_all(out)?;
        } else if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let main = if folder {
            None
        } else {
            Some(Streamed::create(out)?)
        };
        Ok(Self {
            out: out.to_path_buf(),
            folder,
            main,
            batch: BatchWriter::new(),
            made: Default::default(),
        })
    }

    /// Where a whole file goes (see [`super::out_path`]).
    fn path_of(&self, rel: &Path) -> PathBuf {
        if self.folder {
            self.out.join(rel)
        } else {
            let ext = rel.to_string_lossy();
            self.out.with_extension(ext.trim_start_matches('.'))
        }
    }

    /// Puts everything in place: side files and folder files first (one durable batch), then the
    /// main file.
    pub fn finish(self) -> io::Result<()> {
        let outcomes = self.batch.commit(|_| Ok::<(), io::Error>(()));
        for (target, r) in outcomes {
            if let Err(e) = r {
                let e = match e {
                    CheckedWriteError::Refused(e) | CheckedWriteError::Io(e) => e,
                };
                return Err(io::Error::new(
                    e.kind(),
                    format!("{}: {e}", target.display()),
                ));
            }
        }
        match self.main {
            Some(m) => m.finish(),
            None => Ok(()),
        }
    }
}

impl Output for DiskOutput {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.main.as_mut().and_then(|m| m.file.as_mut()) {
            Some(f) => f.write_all(bytes),
            None => Err(io::Error::other("a folder export has no main file")),
        }
    }

    fn file(&mut self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel);
        if let Some(dir) = path.parent() {
            if !self.made.contains(dir) {
                std::fs::create_dir_all(dir)?;
                self.made.insert(dir.to_path_buf());
            }
        }
        self.batch.stage(&path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Several megabytes, in pieces of odd sizes: the disk is asked to write parts of the file
    /// out while it is still being written.
    fn pieces() -> Vec<Vec<u8>> {
        (0..3000u32)
            .map(|k| {
                let len = 1000 + (k as usize * 7919) % 3000;
                (0..len)
                    .map(|i| b'a' + ((i as u32 + k) % 26) as u8)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_streamed_file_of_several_megabytes_arrives_whole_and_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("corpus.conll");
        std::fs::write(&out, b"the previous export").unwrap();
        let pieces = pieces();
        let expected: Vec<u8> = pieces.concat();
        assert!(expected.len() as u64 > 3 * super::super::background_sync::SYNC_STEP);
        let mut output = DiskOutput::create(&out, false).unwrap();
        for p in &pieces {
            output.append(p).unwrap();
        }
        // Until the export is finished, the previous output is what is there.
        assert_eq!(std::fs::read(&out).unwrap(), b"the previous export");
        output.finish().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), expected);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("corpus.conll")]);
    }

    #[test]
    fn an_export_given_up_half_way_leaves_the_previous_output_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("corpus.conll");
        std::fs::write(&out, b"the previous export").unwrap();
        let mut output = DiskOutput::create(&out, false).unwrap();
        for p in pieces().iter().take(2000) {
            output.append(p).unwrap();
        }
        drop(output);
        assert_eq!(std::fs::read(&out).unwrap(), b"the previous export");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
