//! `import_into_corpus`: foreign files in, articles + sidecars + schema out.
//!
//! Safety rules (docs/formats.md, "Importing into a corpus"):
//! - a document whose text is byte for byte the article already at its path *is* that article;
//!   an article with other text is never overwritten (the new one gets `-2`, `-3`...);
//! - a sidecar the annotator already has is left as it is (reported by file and annotator) unless
//!   `replace` is set; then the old one is first kept as `<sidecar>.bak` (`.bak-2`...);
//! - nothing is written through a symbolic link out of the corpus: a document whose folder inside
//!   the corpus is a link is not imported (reported);
//! - articles, backups and sidecars are written durably in three batches (each syncs all its files
//!   at once and each folder once), in that order, so a sidecar never exists before its article.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use super::safety::folder_chain_is_real;
use super::Stage;
use crate::formats::names::fit_names;
use crate::formats::schema_ext::extend_schema;
use crate::formats::{display, import, Format, FormatError, ImportOptions, ImportedDoc, Report};
use crate::model::atomic_write::{write_atomically, BatchWriter, CheckedWriteError};
use crate::model::document::sha256_hex;
use crate::model::safe_read::{read_capped, MAX_ARTICLE_BYTES};
use crate::model::schema::{Schema, SCHEMA_FILE_NAME};
use crate::model::sidecar::{self, SaveRequest};
use crate::model::{Annotations, Document};

/// The reason counted when a document is left alone because its annotator has a sidecar.
pub const KEPT: &str =
    "documents left as they were: the annotator already has a sidecar (--replace replaces it and keeps a backup)";

/// An article name from foreign data made safe: only plain path components (no `..`, no root), and
/// ending in `.txt`.
pub fn safe_article_name(name: &str) -> String {
    let parts: Vec<String> = Path::new(&name.replace('\\', "/"))
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
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

/// The backup name of a sidecar replaced by an import: `<sidecar>.bak`, or `.bak-2`, `.bak-3`...
/// if that exists. Not a sidecar's name (nothing takes it for one) nor an article's.
pub fn backup_path(sidecar: &Path) -> PathBuf {
    let name = sidecar
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut k = 1;
    loop {
        let candidate = if k == 1 {
            sidecar.with_file_name(format!("{name}.bak"))
        } else {
            sidecar.with_file_name(format!("{name}.bak-{k}"))
        };
        if std::fs::symlink_metadata(&candidate).is_err() {
            return candidate;
        }
        k += 1;
    }
}

/// What will be done with one imported document.
struct Plan {
    doc: Document,
    annotations: Annotations,
    annotator: String,
    /// Write the article (it is not on disk yet).
    write_article: bool,
    /// The sidecar on disk now, to be kept as a backup before it is replaced.
    backup: Option<(PathBuf, Vec<u8>)>,
    expected_hash: Option<String>,
}

/// Imports `source` in `format` into the corpus folder `corpus` (created if needed): one article
/// `.txt` and one sidecar (of `opts.annotator`) per document, and the corpus schema extended with
/// every label seen (names that are not valid here renamed by [`fit_names`]).
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
    let mut imported = import(format, source, opts, &mut report, &mut |d, t| {
        progress(Stage::Reading, d, t)
    })?;
    std::fs::create_dir_all(corpus).map_err(|e| FormatError::Write {
        path: corpus.to_path_buf(),
        message: e.to_string(),
    })?;
    let (mut schema, seeded, had_file) = corpus_schema(corpus, imported.schema.take())?;
    let renamed = fit_names(&mut imported.docs, &mut schema);
    for (from, to) in renamed.all() {
        report.renamed.insert(from.clone(), to.clone());
    }
    let added = extend_schema(&mut schema, &imported.docs);
    renamed.record_originals(&mut schema);
    if seeded || !added.is_empty() || !renamed.is_empty() {
        write_schema(corpus, &schema, had_file, &added, &mut report)?;
    }
    let plans = plan(corpus, imported.docs, opts, &mut report);
    write_plans(plans, &mut report, progress);
    Ok(report)
}

/// The schema to extend: the corpus's own, else the one the source declares, else the built-in
/// one. Returns (schema, seeded from the source, the corpus had a schema file).
fn corpus_schema(
    corpus: &Path,
    declared: Option<Schema>,
) -> Result<(Schema, bool, bool), FormatError> {
    let path = corpus.join(SCHEMA_FILE_NAME);
    if std::fs::symlink_metadata(&path).is_ok() {
        let s = Schema::load(&path).map_err(|e| FormatError::Corpus(e.to_string()))?;
        return Ok((s, false, true));
    }
    Ok(match declared {
        Some(s) => (s, true, false),
        None => (Schema::builtin(), false, false),
    })
}

fn write_schema(
    corpus: &Path,
    schema: &Schema,
    had_file: bool,
    added: &[String],
    report: &mut Report,
) -> Result<(), FormatError> {
    let path = corpus.join(SCHEMA_FILE_NAME);
    let json = schema.to_json();
    if let Err(e) = Schema::parse(&json, &path) {
        return Err(FormatError::Corpus(format!(
            "the schema built from the imported labels is not valid ({e}); nothing written"
        )));
    }
    write_atomically(&path, json.as_bytes()).map_err(|e| FormatError::Write {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let what = if added.is_empty() {
        String::new()
    } else {
        format!("; added {}", added.join(", "))
    };
    report.note(
        &display(&path),
        None,
        format!(
            "schema {}{what}",
            if had_file { "extended" } else { "written" }
        ),
    );
    Ok(())
}

/// Decides, for every document, its article path, whether to write it, and what happens to a
/// sidecar already there.
fn plan(
    corpus: &Path,
    docs: Vec<ImportedDoc>,
    opts: &ImportOptions,
    report: &mut Report,
) -> Vec<Plan> {
    // Articles this import will write, by path: the hash of their text.
    let mut planned: HashMap<PathBuf, String> = HashMap::new();
    // (article, annotator) pairs already planned: a second document for the same pair is another
    // document with the same name (it gets a `-2` name).
    let mut pairs: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let annotator = d
            .annotator
            .clone()
            .unwrap_or_else(|| opts.annotator.clone());
        let safe = safe_article_name(&d.name);
        if safe != d.name {
            report.note(&d.name, None, format!("article written as `{safe}`"));
        }
        let text = d.doc.text().to_owned();
        // The importers' documents are made from text: their hash is that of its UTF-8 bytes.
        let hash = d.doc.sha256().to_owned();
        let Some((target, exists)) = free_path(
            corpus, &safe, &text, &hash, &annotator, &planned, &pairs, report,
        ) else {
            continue;
        };
        let sidecar_path = sidecar::sidecar_path(&target, &annotator);
        let (backup, expected_hash) = match sidecar::read_bytes(&sidecar_path) {
            Ok(None) => (None, None),
            Ok(Some(bytes)) if opts.replace => {
                let h = sha256_hex(&bytes);
                (Some((backup_path(&sidecar_path), bytes)), Some(h))
            }
            Ok(Some(_)) => {
                report.skip(
                    KEPT,
                    &display(&target),
                    None,
                    format!("`{annotator}` already has a sidecar here; left as it is"),
                );
                continue;
            }
            Err(e) => {
                report.error(&display(&target), None, format!("{e}; not imported"));
                continue;
            }
        };
        pairs.insert((target.clone(), annotator.clone()));
        if !exists {
            planned.insert(target.clone(), hash);
        }
        out.push(Plan {
            doc: Document::from_text(&target, text),
            annotations: d.annotations,
            annotator,
            write_article: !exists,
            backup,
            expected_hash,
        });
    }
    out
}

/// Where the article named `name` goes: `corpus/name` if it is free or holds exactly this text,
/// else `name-2`, `name-3`... Returns (path, already on disk or planned), or `None` (reported) when
/// its folder inside the corpus is a symbolic link.
#[allow(clippy::too_many_arguments)]
fn free_path(
    corpus: &Path,
    name: &str,
    text: &str,
    hash: &str,
    annotator: &str,
    planned: &HashMap<PathBuf, String>,
    pairs: &BTreeSet<(PathBuf, String)>,
    report: &mut Report,
) -> Option<(PathBuf, bool)> {
    let first = corpus.join(name);
    if let Err(link) = folder_chain_is_real(corpus, &first) {
        report.skip(
            "documents whose folder in the corpus is a symbolic link (nothing is written through it)",
            &display(&first),
            None,
            format!("{} is a symbolic link; not imported", display(&link)),
        );
        return None;
    }
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    let mut candidate = first.clone();
    for k in 2usize.. {
        let taken_by_pair = pairs.contains(&(candidate.clone(), annotator.to_owned()));
        let here = if let Some(h) = planned.get(&candidate) {
            Some(h == hash)
        } else {
            match std::fs::symlink_metadata(&candidate) {
                Err(_) => None,
                // Only a regular file of this very text is this article; a link, a FIFO or a
                // folder by that name is not read and not replaced.
                Ok(_) => Some(
                    read_capped(&candidate, MAX_ARTICLE_BYTES)
                        .is_ok_and(|b| b.len() == text.len() && b == text.as_bytes()),
                ),
            }
        };
        match here {
            Some(true) if !taken_by_pair => return Some((candidate, true)),
            None if !taken_by_pair => {
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
                return Some((candidate, false));
            }
            _ => {}
        }
        candidate = corpus.join(format!("{stem}-{k}.txt"));
        if k > 100_000 {
            break;
        }
    }
    report.error(&display(&first), None, "no free article name; not imported");
    None
}

/// Writes the plans on every core: each thread takes one part of them and writes its articles,
/// then their backups, then their sidecars, each as one durable batch (so each folder is synced
/// once per part, and a sidecar is never there before its article).
fn write_plans(
    plans: Vec<Plan>,
    report: &mut Report,
    progress: &mut dyn FnMut(Stage, usize, usize),
) {
    let total = plans.len();
    let parts = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
        .min(total.div_ceil(1000).max(1));
    let size = total.div_ceil(parts).max(1);
    // Parts end between articles: every sidecar of an article is written after it.
    let mut bounds = vec![0];
    let mut at = size;
    while at < total {
        while at < total && plans[at].doc.path() == plans[at - 1].doc.path() {
            at += 1;
        }
        bounds.push(at);
        at += size;
    }
    bounds.push(total);
    bounds.dedup();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| &plans[w[0]..w[1]])
            .map(|part| {
                let done = &done;
                scope.spawn(move || {
                    let mut r = Report::new();
                    write_part(part, &mut r, done);
                    r
                })
            })
            .collect();
        // Progress from this thread, while the parts are written.
        loop {
            let d = done.load(std::sync::atomic::Ordering::Relaxed);
            progress(Stage::Writing, d.min(total), total);
            if handles.iter().all(|h| h.is_finished()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    let mut r = Report::new();
                    r.error(
                        "import",
                        None,
                        "a writing thread stopped unexpectedly (a bug)",
                    );
                    r
                })
            })
            .collect()
    });
    for r in reports {
        report.merge(r);
    }
    progress(Stage::Writing, total, total);
}

/// Writes one part of the plans (see [`write_plans`]); `done` counts documents written.
fn write_part(plans: &[Plan], report: &mut Report, done: &std::sync::atomic::AtomicUsize) {
    let total = plans.len();
    let mut made: std::collections::HashSet<PathBuf> = Default::default();
    // Whether each plan can still go ahead.
    let mut ok = vec![true; total];
    // 1. Articles.
    let mut batch = BatchWriter::new();
    let mut staged: Vec<usize> = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        if !p.write_article {
            continue;
        }
        let path = p.doc.path();
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let created = if made.contains(&folder) {
            Ok(())
        } else {
            std::fs::create_dir_all(&folder).map(|()| {
                made.insert(folder);
            })
        }
        .and_then(|()| batch.stage(path, p.doc.text().as_bytes()));
        match created {
            Ok(()) => staged.push(k),
            Err(e) => {
                report.error(&display(path), None, format!("cannot write: {e}"));
                ok[k] = false;
            }
        }
    }
    // Never over a file that appeared meanwhile.
    let outcomes = batch.commit(|target| match std::fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(_) => Err("another program created this file meanwhile; not overwritten"),
    });
    for (k, (target, result)) in staged.into_iter().zip(outcomes) {
        if let Err(e) = result {
            report.error(&display(&target), None, checked_message(e));
            ok[k] = false;
        }
    }
    // 2. Backups of the sidecars to be replaced.
    let mut batch = BatchWriter::new();
    let mut staged: Vec<usize> = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        let Some((backup, bytes)) = &p.backup else {
            continue;
        };
        if !ok[k] {
            continue;
        }
        match batch.stage(backup, bytes) {
            Ok(()) => staged.push(k),
            Err(e) => {
                report.error(
                    &display(backup),
                    None,
                    format!("cannot write the backup: {e}"),
                );
                ok[k] = false;
            }
        }
    }
    let outcomes = batch.commit(|target| match std::fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(_) => Err("a file of this name appeared meanwhile; not overwritten"),
    });
    for (k, (target, result)) in staged.into_iter().zip(outcomes) {
        match result {
            Ok(()) => report.note(
                &display(plans[k].doc.path()),
                None,
                format!(
                    "replaced the sidecar of `{}`; the old one is kept as {}",
                    plans[k].annotator,
                    display(&target)
                ),
            ),
            Err(e) => {
                report.error(
                    &display(&target),
                    None,
                    format!("{}; the sidecar is not replaced", checked_message(e)),
                );
                ok[k] = false;
            }
        }
    }
    // 3. Sidecars.
    let chosen: Vec<usize> = (0..total).filter(|&k| ok[k]).collect();
    let requests: Vec<SaveRequest<'_>> = chosen
        .iter()
        .map(|&k| {
            let p = &plans[k];
            SaveRequest {
                doc: &p.doc,
                annotator: &p.annotator,
                annotations: &p.annotations,
                expected_disk_hash: p.expected_hash.as_deref(),
            }
        })
        .collect();
    for (&k, result) in chosen.iter().zip(sidecar::save_many(&requests)) {
        if let Err(e) = result {
            report.error(&display(plans[k].doc.path()), None, e.to_string());
        }
    }
    done.fetch_add(total, std::sync::atomic::Ordering::Relaxed);
}

fn checked_message(e: CheckedWriteError<&str>) -> String {
    match e {
        CheckedWriteError::Refused(m) => m.to_owned(),
        CheckedWriteError::Io(e) => format!("cannot write: {e}"),
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

    #[test]
    fn backups_are_not_sidecars_and_never_overwrite_one_another() {
        let dir = tempfile::tempdir().unwrap();
        let sc = dir.path().join("a.txt.layla.hashiya.json");
        let b1 = backup_path(&sc);
        assert_eq!(b1.file_name().unwrap(), "a.txt.layla.hashiya.json.bak");
        assert!(!sidecar::is_sidecar_name(
            &b1.file_name().unwrap().to_string_lossy()
        ));
        std::fs::write(&b1, "x").unwrap();
        assert_eq!(
            backup_path(&sc).file_name().unwrap(),
            "a.txt.layla.hashiya.json.bak-2"
        );
    }
}
