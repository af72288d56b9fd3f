//! The articles of a corpus and the annotators of their sidecars, by file names alone: an export
//! reads and parses each sidecar once, in its worker (`Corpus::open` would read every sidecar's
//! summary first, a second parse of each). The folder rules are `Corpus::open`'s: names starting
//! with `.` and the folders `target` and `node_modules` are left out, `.txt` files are articles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::corpus::{is_article_name, parent_dir};
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

/// Lists `path` (a folder, searched recursively, or one article). Folders that cannot be read
/// are returned with the reason.
pub fn list(path: &Path) -> (PathBuf, Vec<Listed>, Vec<(PathBuf, String)>) {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
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
        return (root, out, unreadable);
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
                if name != "target" && name != "node_modules" {
                    stack.push(entry.path());
                }
            } else if let Some((text, who)) = split_sidecar_name(&name) {
                sidecars
                    .entry(text.to_owned())
                    .or_default()
                    .push(who.to_owned());
            } else if is_article_name(&name) {
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
    (path.to_path_buf(), out, unreadable)
}
