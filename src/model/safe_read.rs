//! Reading a file that came from anywhere (a corpus, a download, another tool) without being
//! hung or flooded by it: only regular files are read (a FIFO named `x.txt` would block forever, a
//! link to `/dev/zero` never ends), and every read stops at a size cap checked while reading, not
//! only from metadata (a file can grow, and `/proc` files report size 0).
//!
//! The file is opened non-blocking, so that even a FIFO put in place between a check and the open
//! cannot hang us, and the check is made on the opened file itself.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Largest article read: the canvas shows a 100 MB article like a short one; beyond this a file
/// is not an article.
pub const MAX_ARTICLE_BYTES: u64 = 256 * 1024 * 1024;
/// Largest sidecar read (100,000 spans take about 30 MB).
pub const MAX_SIDECAR_BYTES: u64 = 256 * 1024 * 1024;
/// Largest schema or settings file read.
pub const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;
/// Largest single file an import reads (a whole corpus in one JSONL file).
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Why a file was not read. The messages do not name the file: callers add it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("not a regular file ({0}); not read")]
    NotRegular(&'static str),
    #[error("larger than {limit_mb} MB; not read")]
    TooLarge { limit_mb: u64 },
    #[error("{0}")]
    Io(String),
}

impl ReadError {
    pub fn is_not_found(&self) -> bool {
        *self == ReadError::NotFound
    }
}

/// What kind of file system object `meta` describes, for messages.
pub fn kind_name(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// Is `path` (following symbolic links) a regular file? A broken link, a loop, a FIFO or a
/// device is not.
pub fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

fn open_regular(path: &Path) -> Result<(File, std::fs::Metadata), ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    checked_regular(options.open(path))
}

/// The file just opened, if it is a regular one, with what it is.
fn checked_regular(opened: std::io::Result<File>) -> Result<(File, std::fs::Metadata), ReadError> {
    let file = opened.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e.to_string()),
    })?;
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(&meta)));
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    read_opened(file, &meta, limit)
}

/// As [`read_capped`], for a pass that reads many files of a few folders in turn (an export):
/// the file is opened by its name relative to a handle on its folder that the calling thread
/// keeps from one file to the next, so that the system looks up one name per file instead of
/// walking the whole path again. The same checks are made on the opened file. A pass on a thread
/// that outlives it ends with [`end_pass`].
pub fn read_capped_in_pass(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    #[cfg(unix)]
    if let Some(opened) = kept_folder::open_in_kept_folder(path) {
        let (file, meta) = checked_regular(opened)?;
        return read_opened(file, &meta, limit);
    }
    read_capped(path, limit)
}

/// Lets go of the folder handle this thread kept for [`read_capped_in_pass`]: a folder deleted,
/// renamed or made anew at the same path after the pass is then looked up again by the next one.
pub fn end_pass() {
    #[cfg(unix)]
    kept_folder::let_go();
}

fn read_opened(mut file: File, meta: &std::fs::Metadata, limit: u64) -> Result<Vec<u8>, ReadError> {
    let hint = meta.len();
    let too_large = ReadError::TooLarge {
        limit_mb: limit / (1024 * 1024),
    };
    if hint > limit {
        return Err(too_large);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    if hint > 0 && read_exactly(&mut file, &mut bytes, hint)? {
        // The file as large as it was when opened: one read, without asking for more (a file
        // written while it is read is not one this program reads consistently anyway).
        return Ok(bytes);
    }
    // A file that reports no size (as `/proc` files do) or shrank: read to its end. One byte
    // more than allowed tells a file that grew past the cap from one that fits.
    file.take(limit.saturating_add(1) - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(too_large);
    }
    Ok(bytes)
}

/// The folder handle each thread keeps for [`read_capped_in_pass`].
#[cfg(unix)]
mod kept_folder {
    use std::cell::RefCell;
    use std::ffi::{CString, OsStr};
    use std::fs::File;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    struct KeptFolder {
        path: PathBuf,
        handle: OwnedFd,
    }

    thread_local! {
        static KEPT: RefCell<Option<KeptFolder>> = const { RefCell::new(None) };
    }

    fn c_string(s: &OsStr) -> Option<CString> {
        CString::new(s.as_bytes()).ok()
    }

    /// The folder and the name of the file at `path`, split at its last `/` (`Path::parent` and
    /// `Path::file_name` parse every component, a good part of the time of a small read). `None`
    /// for a path whose last part is not a plain name (`x/`, `x/..`).
    fn split_folder_and_name(path: &Path) -> Option<(&Path, &OsStr)> {
        let bytes = path.as_os_str().as_bytes();
        let (dir, name) = match bytes.iter().rposition(|&b| b == b'/') {
            Some(0) => (&b"/"[..], bytes.get(1..)?),
            Some(k) => (bytes.get(..k)?, bytes.get(k + 1..)?),
            None => (&b"."[..], bytes),
        };
        if name.is_empty() || name == b"." || name == b".." {
            return None;
        }
        Some((Path::new(OsStr::from_bytes(dir)), OsStr::from_bytes(name)))
    }

    fn open_folder(dir: &Path) -> Option<OwnedFd> {
        let dir = c_string(dir.as_os_str())?;
        // SAFETY: open with a NUL-terminated path; the descriptor returned is ours alone.
        let fd = unsafe {
            libc::open(
                dir.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        // SAFETY: `fd` was just opened and is owned by nothing else.
        (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// Opens `path` for reading (non-blocking, as `open_regular` does) relative to the thread's
    /// handle on its folder, taken first if the last file was in another folder. `None` when
    /// that cannot be done (a name that is not a file's, a folder that cannot be opened): the
    /// caller opens the path itself, and says why if it cannot.
    pub fn open_in_kept_folder(path: &Path) -> Option<std::io::Result<File>> {
        let (dir, name) = split_folder_and_name(path)?;
        let name = c_string(name)?;
        KEPT.with_borrow_mut(|kept| {
            if kept
                .as_ref()
                .is_none_or(|k| k.path.as_os_str() != dir.as_os_str())
            {
                *kept = None;
                let handle = open_folder(dir)?;
                *kept = Some(KeptFolder {
                    path: dir.to_path_buf(),
                    handle,
                });
            }
            let folder = kept.as_ref()?;
            // SAFETY: openat on a folder descriptor we hold, with a NUL-terminated name.
            let fd = unsafe {
                libc::openat(
                    folder.handle.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC,
                )
            };
            Some(if fd < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                // SAFETY: `fd` was just opened and is owned by nothing else.
                Ok(unsafe { File::from_raw_fd(fd) })
            })
        })
    }

    /// Closes this thread's folder handle, if it holds one.
    pub fn let_go() {
        KEPT.with_borrow_mut(|kept| *kept = None);
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_path_splits_at_its_last_slash() {
            let split = |p: &str| {
                split_folder_and_name(Path::new(p)).map(|(d, n)| {
                    (
                        d.to_string_lossy().into_owned(),
                        n.to_string_lossy().into_owned(),
                    )
                })
            };
            let some = |d: &str, n: &str| Some((d.to_owned(), n.to_owned()));
            assert_eq!(split("/corpus/gaza.txt"), some("/corpus", "gaza.txt"));
            assert_eq!(split("corpus/sub/غزة.txt"), some("corpus/sub", "غزة.txt"));
            assert_eq!(split("gaza.txt"), some(".", "gaza.txt"));
            assert_eq!(split("/gaza.txt"), some("/", "gaza.txt"));
            for odd in ["corpus/", "corpus/..", "corpus/.", "", "/"] {
                assert_eq!(split(odd), None, "{odd}");
            }
        }
    }
}

/// Reads until `bytes` holds `size` bytes; `false` if the file ended first. Each read asks for
/// all that is missing: a file read whole by one system call, and none to ask for more.
/// (`read_to_end` asks for 8 KiB at first, so a 9 KB sidecar took two reads.)
fn read_exactly(file: &mut File, bytes: &mut Vec<u8>, size: u64) -> Result<bool, ReadError> {
    let size = usize::try_from(size).map_err(|e| ReadError::Io(e.to_string()))?;
    bytes.resize(size, 0);
    let mut filled = 0;
    while let Some(rest) = bytes.get_mut(filled..).filter(|r| !r.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e.to_string())),
        }
    }
    bytes.truncate(filled);
    Ok(filled == size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "نص").unwrap();
        assert_eq!(read_capped(&p, 100).unwrap(), "نص".as_bytes());
        assert_eq!(read_capped(&p, 3), Err(ReadError::TooLarge { limit_mb: 0 }));
        assert_eq!(
            read_capped(&dir.path().join("none.txt"), 100),
            Err(ReadError::NotFound)
        );
        assert!(matches!(
            read_capped(dir.path(), 100),
            Err(ReadError::NotRegular(_) | ReadError::Io(_))
        ));
    }

    #[test]
    fn a_file_past_the_first_read_size_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        let text = "وزارة الخارجية 😀 ".repeat(1000);
        std::fs::write(&p, &text).unwrap();
        assert!(text.len() > 20_000);
        assert_eq!(read_capped(&p, MAX_SIDECAR_BYTES).unwrap(), text.as_bytes());
        assert_eq!(
            read_capped(&p, 20_000),
            Err(ReadError::TooLarge { limit_mb: 0 })
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pass_reads_as_read_capped_does_across_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let files: Vec<_> = (0..6)
            .map(|k| {
                let p = if k % 2 == 0 { &a } else { &b }.join(format!("{k}.txt"));
                std::fs::write(&p, format!("نص {k} 😀")).unwrap();
                p
            })
            .collect();
        // Folders taken in turn, and again: each read gives the file's own bytes.
        for p in files.iter().chain(files.iter().rev()) {
            assert_eq!(
                read_capped_in_pass(p, 100),
                read_capped(p, 100),
                "{}",
                p.display()
            );
        }
        assert_eq!(
            read_capped_in_pass(&files[0], 3),
            Err(ReadError::TooLarge { limit_mb: 0 })
        );
        assert_eq!(
            read_capped_in_pass(&a.join("none.txt"), 100),
            Err(ReadError::NotFound)
        );
        assert_eq!(
            read_capped_in_pass(&dir.path().join("none/x.txt"), 100),
            Err(ReadError::NotFound)
        );
        assert!(matches!(
            read_capped_in_pass(&b, 100),
            Err(ReadError::NotRegular(_) | ReadError::Io(_))
        ));
        // A file replaced between two reads is read anew (nothing is cached but the folder).
        std::fs::write(&files[0], "جديد").unwrap();
        assert_eq!(
            read_capped_in_pass(&files[0], 100).unwrap(),
            "جديد".as_bytes()
        );
        // The folder made anew at the same path after the pass: the next pass reads the new one.
        end_pass();
        std::fs::rename(&a, dir.path().join("a-old")).unwrap();
        std::fs::create_dir_all(&a).unwrap();
        std::fs::write(&files[0], "أحدث").unwrap();
        assert_eq!(
            read_capped_in_pass(&files[0], 100).unwrap(),
            "أحدث".as_bytes()
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_links_to_them_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(
            read_capped(&link, MAX_ARTICLE_BYTES),
            Err(ReadError::NotRegular("a device"))
        );
        assert!(!is_regular_file(&link));
        let fifo = dir.path().join("x.txt");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Would block forever if opened for reading without O_NONBLOCK.
        for read in [read_capped, read_capped_in_pass] {
            assert_eq!(
                read(&fifo, MAX_ARTICLE_BYTES),
                Err(ReadError::NotRegular("a named pipe (FIFO)"))
            );
            assert_eq!(
                read(&link, MAX_ARTICLE_BYTES),
                Err(ReadError::NotRegular("a device"))
            );
        }
        let looped = dir.path().join("loop.txt");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        assert!(matches!(read_capped(&looped, 10), Err(ReadError::Io(_))));
        assert!(matches!(
            read_capped_in_pass(&looped, 10),
            Err(ReadError::Io(_))
        ));
    }
}
