//! The articles of a corpus and the annotators of their sidecars, by file names alone: an export
//! reads and parses each sidecar once, in its worker (`Corpus::open` would read every sidecar's
//! summary first, a second parse of each). The folder rules are `Corpus::open`'s: names starting
//! with `.` are left out, every other folder is searched, only regular files (or links to them)
//! are articles or sidecars, and links to folders are not followed (those and FIFOs, devices or
//! broken links by an article's or a sidecar's name are returned as skipped, with the reason).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::corpus::{is_article_name, parent_dir};
use crate::model::safe_read::kind_name;
use crate::model::sidecar::{valid_annotator, SIDECAR_SUFFIX};

/// One article and who has a sidecar for it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub path: PathBuf,
    /// Relative to the corpus root, `/`-separated.
    pub relative: String,
    /// Annotators with a sidecar, sorted.
    pub annotators: Vec<String>,
}

/// Splits `gaza.txt.layla.hashiya.json` into (`gaza.txt`, `layla`).
fn split_sidecar_name(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(SIDECAR_SUFFIX)?;
    let (text, annotator) = stem.rsplit_once('.')?;
    (valid_annotator(annotator) && !text.is_empty()).then_some((text, annotator))
}

/// What [`list`] found.
#[derive(Debug, Default)]
pub struct Listing {
    /// The corpus root (the article's folder for one article).
    pub root: PathBuf,
    pub entries: Vec<Listed>,
    /// Folders that could not be read, and things not read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// Lists `path` (a folder, searched recursively, or one article).
pub fn list(path: &Path) -> Listing {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    let mut skipped = Vec::new();
    if path.is_file() {
        let root = parent_dir(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut annotators: Vec<String> = std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let f = e.file_name().to_string_lossy().into_owned();
                let (text, who) = split_sidecar_name(&f)?;
                (text == name).then(|| who.to_owned())
            })
            .collect();
        annotators.sort();
        out.push(Listed {
            path: path.to_path_buf(),
            relative: name,
            annotators,
        });
        return Listing {
            root,
            entries: out,
            unreadable,
            skipped,
        };
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                unreadable.push((dir, e.to_string()));
                continue;
            }
        };
        let mut articles: Vec<(PathBuf, String)> = Vec::new();
        let mut sidecars: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for entry in read.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(entry.path());
                continue;
            }
            let sidecar = split_sidecar_name(&name);
            let article = sidecar.is_none() && is_article_name(&name);
            if sidecar.is_none() && !article && !kind.is_symlink() {
                continue;
            }
            // A regular file by its directory entry needs no second look (reading it checks
            // again what it is); a link is followed to see what it is, and only regular files
            // are taken.
            if !kind.is_file() {
                match std::fs::metadata(entry.path()) {
                    Ok(m) if m.is_dir() => {
                        skipped.push((
                            entry.path(),
                            "a symbolic link to a folder; not followed".into(),
                        ));
                        continue;
                    }
                    Ok(m) if m.is_file() => {}
                    _ if sidecar.is_none() && !article => continue,
                    Ok(m) => {
                        skipped.push((
                            entry.path(),
                            format!("{}, not a regular file; not read", kind_name(&m)),
                        ));
                        continue;
                    }
                    Err(e) => {
                        skipped.push((entry.path(), format!("cannot be followed ({e}); not read")));
                        continue;
                    }
                }
            }
            if let Some((text, who)) = sidecar {
                sidecars
                    .entry(text.to_owned())
                    .or_default()
                    .push(who.to_owned());
            } else {
                articles.push((entry.path(), name));
            }
        }
        for (p, name) in articles {
            let mut annotators = sidecars.remove(&name).unwrap_or_default();
            annotators.sort();
            let relative = p
                .strip_prefix(path)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push(Listed {
                path: p,
                relative,
                annotators,
            });
        }
    }
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    Listing {
        root: path.to_path_buf(),
        entries: out,
        unreadable,
        skipped,
    }
}
