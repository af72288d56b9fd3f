//! Corpus-level import and export: foreign files in, articles + sidecars + schema out, and back.
//!
//! Both entry points are plain functions that report progress through a callback, so the app can
//! run them on a background thread and show a progress bar.

use std::path::{Path, PathBuf};

use super::schema_ext::extend_schema;
use super::{
    display, exporter, import, ExportDoc, ExportOptions, Format, FormatError, ImportOptions, Report,
};
use crate::model::atomic_write::write_atomically;
use crate::model::schema::{Schema, SCHEMA_FILE_NAME};
use crate::model::{sidecar, Corpus, Document};

/// Which stage a progress callback is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the foreign files (counts files or records).
    Reading,
    /// Writing articles and sidecars (counts documents).
    Writing,
    /// Exporting (counts documents).
    Exporting,
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| FormatError::Write {
                path: dir.to_path_buf(),
                message: e.to_string(),
            })?;
        }
    }
    write_atomically(path, bytes).map_err(|e| FormatError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn write_plain(path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| FormatError::Write {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
    }
    std::fs::write(path, bytes).map_err(|e| FormatError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Imports `source` in `format` into the corpus folder `corpus` (created if needed): one article
/// `.txt` and one sidecar (of `opts.annotator`) per document, and the corpus schema extended with
/// every label seen. An article that exists with other content is not overwritten: the new one
/// gets a `-2`, `-3`... name. An existing sidecar of the same annotator is replaced.
pub fn import_into_corpus(
    format: Format,
    source: &Path,
    corpus: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Report, FormatError> {
    if !sidecar::valid_annotator(&opts.annotator) {
        return Err(FormatError::Usage(format!(
            "`{}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)",
            opts.annotator
        )));
    }
    let mut report = Report::new();
    let imported = import(format, source, opts, &mut report, &mut |d, t| {
        progress(Stage::Reading, d, t)
    })?;
    std::fs::create_dir_all(corpus).map_err(|e| FormatError::Write {
        path: corpus.to_path_buf(),
        message: e.to_string(),
    })?;
    // The schema: the corpus's own, else the one the source declares, else the built-in one.
    let schema_path = corpus.join(SCHEMA_FILE_NAME);
    let had_file = schema_path.is_file();
    let (mut schema, seeded) = if had_file {
        (
            Schema::load(&schema_path).map_err(|e| FormatError::Corpus(e.to_string()))?,
            false,
        )
    } else if let Some(s) = imported.schema.clone() {
        (s, true)
    } else {
        (Schema::builtin(), false)
    };
    let added = extend_schema(&mut schema, &imported.docs);
    if seeded || !added.is_empty() {
        let json = schema.to_json();
        if let Err(e) = Schema::parse(&json, &schema_path) {
            return Err(FormatError::Corpus(format!(
                "the schema built from the imported labels is not valid ({e}); nothing written"
            )));
        }
        write_file(&schema_path, json.as_bytes())?;
        let what = if added.is_empty() {
            String::new()
        } else {
            format!("; added {}", added.join(", "))
        };
        report.note(
            &display(&schema_path),
            None,
            format!(
                "schema {}{what}",
                if had_file { "extended" } else { "written" }
            ),
        );
    }
    let total = imported.docs.len();
    for (k, d) in imported.docs.into_iter().enumerate() {
        progress(Stage::Writing, k, total);
        let text = d.doc.text().to_owned();
        let target = free_path(corpus, &d.name, text.as_bytes(), &mut report);
        if !target.is_file() {
            write_file(&target, text.as_bytes())?;
        }
        let doc = Document::from_text(&target, text);
        let annotator = d.annotator.as_deref().unwrap_or(&opts.annotator);
        let disk_hash = match sidecar::load(&doc, annotator) {
            Ok(l) => {
                if l.disk_hash.is_some() {
                    report.note(
                        &display(&target),
                        None,
                        format!("replaced the existing sidecar of `{annotator}`"),
                    );
                }
                l.disk_hash
            }
            Err(e) => {
                report.error(&display(&target), None, format!("{e}; not imported"));
                continue;
            }
        };
        if let Err(e) = sidecar::save(&doc, annotator, &d.annotations, disk_hash.as_deref()) {
            report.error(&display(&target), None, e.to_string());
        }
    }
    progress(Stage::Writing, total, total);
    Ok(report)
}

/// An article name from foreign data made safe: only plain path components (no `..`, no root), and
/// ending in `.txt`.
pub fn safe_article_name(name: &str) -> String {
    let parts: Vec<String> = Path::new(&name.replace('\\', "/"))
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .filter(|s| !s.starts_with('.'))
        .collect();
    let mut out = if parts.is_empty() {
        "document".to_owned()
    } else {
        parts.join("/")
    };
    if !out.to_ascii_lowercase().ends_with(".txt") {
        out.push_str(".txt");
    }
    out
}

/// `corpus/name`, or `name-2`, `name-3`... if a file with other content is there.
fn free_path(corpus: &Path, name: &str, bytes: &[u8], report: &mut Report) -> PathBuf {
    let safe = safe_article_name(name);
    if safe != name {
        report.note(name, None, format!("article written as `{safe}`"));
    }
    let name = safe.as_str();
    let first = corpus.join(name);
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    let mut candidate = first.clone();
    for k in 2.. {
        match std::fs::read(&candidate) {
            Ok(existing) if existing == bytes => return candidate,
            Ok(_) => {}
            Err(_) => {
                if candidate != first {
                    report.note(
                        &display(&first),
                        None,
                        format!(
                            "exists with other text; imported as {}",
                            display(&candidate)
                        ),
                    );
                }
                return candidate;
            }
        }
        candidate = corpus.join(format!("{stem}-{k}.txt"));
    }
    first
}

/// Exports the corpus at `corpus` to `out` (a file, or a folder for brat).
pub fn export_corpus(
    format: Format,
    corpus: &Path,
    out: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Report, FormatError> {
    let corpus = Corpus::open(corpus).map_err(|e| FormatError::Corpus(e.to_string()))?;
    let mut report = Report::new();
    if let Some(e) = &corpus.schema_error {
        report.note(
            &display(&corpus.root),
            None,
            format!("{e}; using the built-in schema"),
        );
    }
    let mut exp = exporter(format, opts);
    let entries: Vec<_> = corpus
        .entries
        .iter()
        .filter(|e| {
            opts.statuses.is_empty() || opts.statuses.contains(&e.status(opts.annotator.as_deref()))
        })
        .collect();
    let total = entries.len();
    for (k, entry) in entries.into_iter().enumerate() {
        if k % 64 == 0 {
            progress(Stage::Exporting, k, total);
        }
        let annotator = match &opts.annotator {
            Some(a) => a.clone(),
            None => match entry.sidecars.first() {
                Some(s) => s.annotator.clone(),
                None => {
                    report.note(
                        &entry.relative,
                        None,
                        "no sidecar; exported without annotations",
                    );
                    String::new()
                }
            },
        };
        let doc = match Document::load(&entry.path, None) {
            Ok(d) => d,
            Err(e) => {
                report.error(&entry.relative, None, e.to_string());
                continue;
            }
        };
        let annotations = if annotator.is_empty() {
            Default::default()
        } else {
            match sidecar::load(&doc, &annotator) {
                Ok(l) => {
                    for issue in &l.issues {
                        report.note(&entry.relative, None, format!("{issue:?}"));
                    }
                    l.annotations
                }
                Err(e) => {
                    report.error(&entry.relative, None, e.to_string());
                    continue;
                }
            }
        };
        for s in annotations.unanchored.iter().map(|u| &u.span) {
            report.skip(
                "unanchored span (not placed in the current text)",
                &entry.relative,
                None,
                format!("`{}` ({})", s.text, s.label),
            );
        }
        exp.add(
            &ExportDoc {
                relative: entry.relative.clone(),
                doc,
                annotations,
            },
            &mut report,
        );
    }
    progress(Stage::Exporting, total, total);
    for f in exp.finish(&corpus.schema, &mut report) {
        let path = out_path(format, out, &f.path);
        if format.exports_folder() {
            // Many small files: a plain write (an export can be redone; an fsync per file made
            // brat export 10x slower).
            write_plain(&path, f.content.as_bytes())?;
        } else {
            write_file(&path, f.content.as_bytes())?;
        }
    }
    Ok(report)
}

/// Where an output file goes: in the folder `out` for folder formats; for file formats, an empty
/// path is `out` itself and a path like `.labels.json` replaces `out`'s extension.
pub fn out_path(format: Format, out: &Path, rel: &Path) -> PathBuf {
    if format.exports_folder() {
        out.join(rel)
    } else if rel.as_os_str().is_empty() {
        out.to_path_buf()
    } else {
        let ext = rel.to_string_lossy();
        out.with_extension(ext.trim_start_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_names_stay_inside_the_corpus() {
        assert_eq!(safe_article_name("../../etc/passwd"), "etc/passwd.txt");
        assert_eq!(safe_article_name("/abs/a.txt"), "abs/a.txt");
        assert_eq!(safe_article_name("news/a.txt"), "news/a.txt");
        assert_eq!(safe_article_name(".."), "document.txt");
    }
}
