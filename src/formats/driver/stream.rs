//! The export's output on disk, written atomically: a file format's main file is streamed into a
//! hidden temporary file beside it (unique name, created with `create_new`) and renamed over the
//! target only when the export is complete and synced; side files and every file of a folder
//! format go through one [`BatchWriter`] committed at the end. An export that fails half way
//! leaves the previous output as it was and no temporary file behind.
//!
//! (`model::atomic_write` has no streaming writer, only whole-buffer ones; the main file is the
//! one thing here that does not go through it.)

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::formats::Output;
use crate::model::atomic_write::{BatchWriter, CheckedWriteError, TEMP_SUFFIX};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The main file being streamed.
struct Streamed {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
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
                        file: Some(BufWriter::with_capacity(1 << 20, f)),
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
        let done = (|| {
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            drop(f);
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
        Ok(())
    }
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
