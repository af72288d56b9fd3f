//! Reading what an import is given: which files (only regular ones, folders not followed through
//! links), each read with a size cap, and the one loop every importer shares.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{FormatError, Report};
use crate::model::decode::decode;
use crate::model::safe_read::{kind_name, read_capped, MAX_IMPORT_BYTES};

/// One source file, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// How messages name it.
    pub name: String,
    /// Its path relative to the source folder without extension, `/`-separated (for article names).
    pub stem: String,
    /// Its text (BOM dropped, line ends kept).
    pub text: String,
}

/// Display name of a file for messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Does `name` end with one of `exts` (case-insensitive)?
fn has_ext(name: &str, exts: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    exts.iter().any(|x| lower.ends_with(x))
}

/// The files under `source` (or `source` itself) whose names end with one of `exts`, sorted.
///
/// Only regular files are taken (a link to a regular file is one); a FIFO, a device, a socket or a
/// link to one of them is noted and never opened. Folders inside `source` that are symbolic links
/// are not followed (noted): a link to `.` or `..` would loop, and one to elsewhere would import
/// what the user did not give. Hidden files and folders are left out.
pub fn collect(
    source: &Path,
    exts: &[&str],
    report: &mut Report,
) -> Result<Vec<PathBuf>, FormatError> {
    let meta = std::fs::metadata(source).map_err(|_| FormatError::Read {
        path: source.to_path_buf(),
        message: "no such file or folder".into(),
    })?;
    if meta.is_file() {
        return Ok(vec![source.to_path_buf()]);
    }
    if !meta.is_dir() {
        return Err(FormatError::Read {
            path: source.to_path_buf(),
            message: format!("{}; not read", kind_name(&meta)),
        });
    }
    let mut out = Vec::new();
    let mut stack = vec![source.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if dir == source => {
                return Err(FormatError::Read {
                    path: dir,
                    message: e.to_string(),
                })
            }
            Err(e) => {
                report.error(&display(&dir), None, format!("cannot read the folder: {e}"));
                continue;
            }
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_symlink() {
                match std::fs::metadata(&p) {
                    Ok(m) if m.is_dir() => report.note(
                        &display(&p),
                        None,
                        "a symbolic link to a folder: not followed",
                    ),
                    Ok(m) if m.is_file() => {
                        if has_ext(&name, exts) {
                            out.push(p);
                        }
                    }
                    Ok(m) => {
                        if has_ext(&name, exts) {
                            report.note(
                                &display(&p),
                                None,
                                format!("a link to {}: skipped, not read", kind_name(&m)),
                            );
                        }
                    }
                    Err(_) => {
                        if has_ext(&name, exts) {
                            report.note(&display(&p), None, "a broken link: skipped");
                        }
                    }
                }
            } else if kind.is_dir() {
                stack.push(p);
            } else if has_ext(&name, exts) {
                if kind.is_file() {
                    out.push(p);
                } else {
                    let what = e
                        .metadata()
                        .map(|m| kind_name(&m))
                        .unwrap_or("not a regular file");
                    report.note(&display(&p), None, format!("{what}: skipped, not read"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a source file as text (UTF-8 with or without BOM, UTF-16 with BOM, legacy Arabic code
/// pages; the BOM is dropped, line ends are kept), regular files only, at most
/// [`MAX_IMPORT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    let fail = |message: String| FormatError::Read {
        path: path.to_path_buf(),
        message,
    };
    let bytes = read_capped(path, MAX_IMPORT_BYTES).map_err(|e| fail(e.to_string()))?;
    decode(&bytes, None)
        .map(|(t, _)| t)
        .map_err(|e| fail(e.to_string()))
}

/// The file stem of `path` relative to `base` (a folder) with `/` separators, for article names.
pub fn relative_stem(base: &Path, path: &Path) -> String {
    let rel = if base.is_dir() {
        path.strip_prefix(base).unwrap_or(path)
    } else {
        Path::new(path.file_name().unwrap_or(path.as_os_str()))
    };
    let s = rel.with_extension("").to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        "document".into()
    } else {
        s
    }
}

/// The loop every importer shares: reports progress, reads each file (a file that cannot be read
/// goes to the report by name and the import goes on), and hands it to `parse`.
pub fn read_each(
    files: &[PathBuf],
    base: &Path,
    report: &mut Report,
    progress: &mut dyn FnMut(usize, usize),
    mut parse: impl FnMut(&SourceFile, &mut Report),
) {
    for (k, path) in files.iter().enumerate() {
        progress(k, files.len());
        let name = display(path);
        match read_text(path) {
            Ok(text) => {
                let file = SourceFile {
                    stem: relative_stem(base, path),
                    path: path.clone(),
                    name,
                    text,
                };
                parse(&file, report);
            }
            Err(e) => report.error(&name, None, e.to_string()),
        }
    }
    progress(files.len(), files.len());
}

/// The non-blank lines of a JSON-lines text with their 1-based numbers, each parsed (or why not).
pub fn json_lines(text: &str) -> impl Iterator<Item = (usize, Result<Value, String>)> + '_ {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            (
                n + 1,
                serde_json::from_str::<Value>(l).map_err(|e| format!("not JSON: {e}")),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_number_lines_and_skip_blank_ones() {
        let got: Vec<(usize, bool)> = json_lines("{}\n\n{x\n [1]\n")
            .map(|(n, v)| (n, v.is_ok()))
            .collect();
        assert_eq!(got, vec![(1, true), (3, false), (4, true)]);
    }

    #[cfg(unix)]
    #[test]
    fn links_to_folders_and_fifos_are_not_followed_or_read() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(src.join("a.jsonl"), "{}").unwrap();
        std::os::unix::fs::symlink(&src, src.join("loop")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", src.join("zero.jsonl")).unwrap();
        let fifo = src.join("pipe.jsonl");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut r = Report::new();
        let files = collect(&src, &[".jsonl"], &mut r).unwrap();
        assert_eq!(files, vec![src.join("a.jsonl")]);
        let notes: Vec<String> = r.issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes
            .iter()
            .any(|n| n.contains("loop") && n.contains("not followed")));
        assert!(notes
            .iter()
            .any(|n| n.contains("zero.jsonl") && n.contains("device")));
        assert!(notes
            .iter()
            .any(|n| n.contains("pipe.jsonl") && n.contains("FIFO")));
    }
}
