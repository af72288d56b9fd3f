//! Where a conversion may write: never through a symbolic link out of the corpus (imports), never
//! into the corpus or over an article or sidecar (exports).

use std::path::{Component, Path, PathBuf};

use crate::formats::{Format, FormatError};
use crate::model::corpus::is_article_name;
use crate::model::schema::SCHEMA_FILE_NAME;
use crate::model::sidecar::{is_sidecar_name, sidecars_of};

/// Checks that every folder between `corpus` and `target` that exists is a real folder, not a
/// symbolic link (which could lead out of the corpus). Returns the first link found.
pub fn folder_chain_is_real(corpus: &Path, target: &Path) -> Result<(), PathBuf> {
    let Ok(rel) = target.strip_prefix(corpus) else {
        return Err(target.to_path_buf());
    };
    let mut at = corpus.to_path_buf();
    let parts: Vec<Component> = rel.components().collect();
    for c in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(at),
            // A file where a folder should be: creating the folder will fail and be reported.
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// `path` made absolute with its existing part resolved (links followed), for comparisons; the
/// part that does not exist yet is appended as written, `..` and `.` taken out.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return abs,
        }
    }
}

/// Is `path` inside `folder` (or the folder itself)? Both resolved.
pub fn within(path: &Path, folder: &Path) -> bool {
    path.starts_with(folder)
}

fn refuse(path: &Path, reason: impl Into<String>) -> FormatError {
    FormatError::UnsafeOutput {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Is this existing file one an export must never replace: a sidecar, a schema, or an article
/// that has sidecars?
fn precious(path: &Path) -> Option<&'static str> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if std::fs::symlink_metadata(path).is_err() {
        return None;
    }
    if is_sidecar_name(&name) {
        Some("is a sidecar")
    } else if name == SCHEMA_FILE_NAME {
        Some("is a corpus schema")
    } else if is_article_name(&name) && !sidecars_of(path).is_empty() {
        Some("is an annotated article (it has sidecars)")
    } else {
        None
    }
}

/// Does the folder `dir` (searched without following links, at most `budget` entries) hold a
/// sidecar or a schema, i.e. is it (part of) a corpus?
fn holds_corpus(dir: &Path, budget: &mut usize) -> Option<PathBuf> {
    let rd = std::fs::read_dir(dir).ok()?;
    for e in rd.filter_map(Result::ok) {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        if is_sidecar_name(&name) || name == SCHEMA_FILE_NAME {
            return Some(p);
        }
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            if let Some(found) = holds_corpus(&p, budget) {
                return Some(found);
            }
        }
    }
    None
}

/// Refuses an export whose output is the corpus folder, inside it, an article or a sidecar (or,
/// for folder formats, a folder that holds sidecars): nothing may be written then. `side` are the
/// other files a file format writes beside `out` (e.g. `.labels.json`).
pub fn check_output(
    format: Format,
    corpus: &Path,
    out: &Path,
    side: &[PathBuf],
) -> Result<(), FormatError> {
    let out_r = resolved(out);
    let corpus_r = resolved(corpus);
    let corpus_folder = if corpus_r.is_dir() {
        Some(corpus_r.clone())
    } else {
        None
    };
    if let Some(folder) = &corpus_folder {
        if out_r == *folder {
            return Err(refuse(out, "is the corpus folder"));
        }
        if within(&out_r, folder) {
            return Err(refuse(
                out,
                format!("is inside the corpus folder {}", folder.display()),
            ));
        }
    } else if out_r == corpus_r {
        return Err(refuse(out, "is the article being exported"));
    }
    for p in std::iter::once(&out.to_path_buf()).chain(side) {
        if let Some(why) = precious(p) {
            return Err(refuse(p, why));
        }
        let r = resolved(p);
        if let Some(folder) = &corpus_folder {
            if within(&r, folder) {
                return Err(refuse(p, "is inside the corpus folder"));
            }
        }
    }
    if format.exports_folder() && out_r.is_dir() {
        let mut budget = 200_000;
        if let Some(found) = holds_corpus(&out_r, &mut budget) {
            return Err(refuse(
                out,
                format!(
                    "holds a corpus ({} is there); export into an empty or new folder",
                    found.display()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_its_inside_and_its_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        std::fs::write(corpus.join("a.txt"), "x").unwrap();
        std::fs::write(corpus.join("a.txt.layla.hashiya.json"), "{}").unwrap();
        for bad in [
            corpus.clone(),
            corpus.join("out.conll"),
            corpus.join("sub/../x.conll"),
            corpus.join("new/deeper/x.conll"),
        ] {
            assert!(
                check_output(Format::Conll, &corpus, &bad, &[]).is_err(),
                "{}",
                bad.display()
            );
        }
        assert!(check_output(Format::Conll, &corpus, &dir.path().join("x.conll"), &[]).is_ok());
        // An annotated article elsewhere, or a folder holding sidecars.
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("b.txt"), "x").unwrap();
        std::fs::write(other.join("b.txt.omar.hashiya.json"), "{}").unwrap();
        assert!(check_output(Format::Conll, &corpus, &other.join("b.txt"), &[]).is_err());
        assert!(check_output(
            Format::Conll,
            &corpus,
            &other.join("b.txt.omar.hashiya.json"),
            &[]
        )
        .is_err());
        assert!(check_output(Format::Brat, &corpus, &other, &[]).is_err());
        assert!(check_output(Format::Brat, &corpus, &dir.path().join("fresh"), &[]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_corpus_is_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&corpus, &link).unwrap();
        assert!(check_output(Format::Brat, &corpus, &link, &[]).is_err());
        assert!(check_output(Format::Conll, &corpus, &link.join("x.conll"), &[]).is_err());
        let inner = corpus.join("sub");
        std::fs::create_dir(&inner).unwrap();
        assert_eq!(
            folder_chain_is_real(&corpus, &corpus.join("sub/a.txt")),
            Ok(())
        );
        std::os::unix::fs::symlink("/tmp", corpus.join("out")).unwrap();
        assert_eq!(
            folder_chain_is_real(&corpus, &corpus.join("out/a.txt")),
            Err(corpus.join("out"))
        );
    }
}
