//! `export_corpus`: a corpus out to another tool's format.
//!
//! Documents are read and converted on every core (each article and sidecar read and parsed
//! once), and written in corpus order as they come, straight to the output: an export holds only
//! the documents in flight, whatever the corpus size. The first ones are converted while the
//! corpus is still being listed (see [`super::head_start`]). Nothing is written into the corpus
//! (see [`check_output`]), and the output appears atomically when the export is complete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::head_start::{list_with_head_start, Converted};
use super::safety::check_output;
use super::stream::DiskOutput;
use super::Stage;
use crate::formats::names::Originals;
use crate::formats::{
    with_exporter, ExportDoc, ExportOptions, Exporter, Format, FormatError, Report, WithExporter,
};
use crate::model::corpus::{listing_root, ArticleFiles, Listing};
use crate::model::parallel::for_each_parallel;
use crate::model::{safe_read, sidecar, DocStatus, Document, Schema};

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

/// The side files a file format writes beside its main output.
fn side_files(format: Format, out: &Path) -> Vec<PathBuf> {
    match format {
        Format::TokenJsonl => vec![out_path(format, out, Path::new(".labels.json"))],
        _ => Vec::new(),
    }
}

/// Exports the corpus at `corpus` to `out` (a file, or a folder for brat and WebAnno TSV).
pub fn export_corpus(
    format: Format,
    corpus: &Path,
    out: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Report, FormatError> {
    check_output(format, corpus, out, &side_files(format, out))?;
    // Read before the listing, which converts documents as it goes.
    let (schema, schema_note) = match Schema::for_corpus(&listing_root(corpus)) {
        Ok(s) => (s, None),
        Err(e) => (
            Schema::builtin(),
            Some(format!("{e}; using the built-in schema")),
        ),
    };
    let originals = if format.holds_any_name(opts) {
        Originals::of(&schema)
    } else {
        Originals::default()
    };
    let mut report = Report::new();
    let run = Run {
        format,
        corpus,
        out,
        opts,
        schema: &schema,
        schema_note,
        originals: &originals,
        report: &mut report,
        progress,
    };
    let done = with_exporter(format, opts, &schema, run);
    // The articles and sidecars were read in a pass (the other threads of it are gone).
    safe_read::end_pass();
    done?;
    Ok(report)
}

/// One export being run with a format's exporter.
struct Run<'a> {
    format: Format,
    corpus: &'a Path,
    out: &'a Path,
    opts: &'a ExportOptions,
    schema: &'a Schema,
    /// Why the corpus schema was not used, if it was not.
    schema_note: Option<String>,
    originals: &'a Originals,
    report: &'a mut Report,
    progress: &'a mut dyn FnMut(Stage, usize, usize),
}

impl Run<'_> {
    /// Notes what the listing did not take, and the schema note.
    fn note_listing(&mut self, listing: &mut Listing) {
        for (dir, why) in std::mem::take(&mut listing.unreadable) {
            self.report.error(
                &dir.display().to_string(),
                None,
                format!("cannot read the folder: {why}"),
            );
        }
        for (p, why) in std::mem::take(&mut listing.skipped) {
            self.report.note(&p.display().to_string(), None, why);
        }
        if let Some(note) = self.schema_note.take() {
            self.report
                .note(&listing.root.display().to_string(), None, note);
        }
    }
}

impl WithExporter for Run<'_> {
    type Out = Result<(), FormatError>;

    fn with<E: Exporter>(mut self, exporter: E) -> Self::Out {
        let exporter = &exporter;
        let (opts, originals) = (self.opts, self.originals);
        let convert = |entry: &ArticleFiles| -> Converted<E::Doc> {
            let mut r = Report::new();
            let converted =
                load(entry, opts, originals, &mut r).map(|doc| exporter.convert(&doc, &mut r));
            (converted, r)
        };
        // The chosen annotator's sidecar is found from the article's path alone: documents can
        // be converted while the corpus is still being listed.
        let (mut listing, mut ahead) =
            list_with_head_start(self.corpus, opts.annotator.is_some(), &convert)
                .map_err(|e| FormatError::Corpus(e.to_string()))?;
        self.note_listing(&mut listing);
        let entries = listing.articles;
        let mut done_ahead = vec![false; entries.len()];
        for k in ahead.keys() {
            if let Some(done) = done_ahead.get_mut(*k) {
                *done = true;
            }
        }
        let write_error = |e: std::io::Error| FormatError::Write {
            path: self.out.to_path_buf(),
            message: e.to_string(),
        };
        let mut output =
            DiskOutput::create(self.out, self.format.exports_folder()).map_err(write_error)?;
        let mut state = E::State::default();
        let total = entries.len();
        let report = self.report;
        let progress = self.progress;
        let mut failure: Option<std::io::Error> = None;
        // Set when a write fails: the rest cannot be written anyway.
        let stop = AtomicBool::new(false);
        // Results come back in the order they finish and are written in corpus order: what
        // waits in `pending` is only what finished ahead of an earlier document.
        let mut pending: BTreeMap<usize, Converted<E::Doc>> = BTreeMap::new();
        let mut expected = 0;
        for_each_parallel(
            &entries,
            |k, entry| (!done_ahead.get(k).copied().unwrap_or(false)).then(|| convert(entry)),
            |k, done| {
                let done = match done {
                    Some(d) => d,
                    None => match ahead.remove(&k) {
                        Some(d) => d,
                        None => entries.get(k).map_or((None, Report::new()), convert),
                    },
                };
                pending.insert(k, done);
                while let Some((doc, r)) = pending.remove(&expected) {
                    report.merge(r);
                    if let (Some(doc), None) = (doc, &failure) {
                        if let Err(e) = exporter.write(&mut state, doc, &mut output, report) {
                            stop.store(true, Ordering::Relaxed);
                            failure = Some(e);
                        }
                    }
                    expected += 1;
                    if expected % 64 == 0 {
                        progress(Stage::Exporting, expected, total);
                    }
                }
            },
            &stop,
        );
        if let Some(e) = failure {
            return Err(write_error(e));
        }
        progress(Stage::Exporting, total, total);
        exporter
            .finish(state, self.schema, &mut output, report)
            .map_err(write_error)?;
        output.finish().map_err(write_error)
    }
}

/// The status a document is filtered by: the chosen annotator's (`new` without a sidecar), or,
/// when each document's first sidecar is exported, the most advanced among all its sidecars.
fn filter_status(entry: &ArticleFiles, opts: &ExportOptions, loaded: DocStatus) -> DocStatus {
    if opts.annotator.is_some() {
        return loaded;
    }
    entry
        .sidecars
        .iter()
        .filter_map(|(_, path)| sidecar::read_summary(path).ok())
        .map(|s| s.status)
        .max()
        .unwrap_or(loaded)
}

/// Reads one corpus document with the chosen annotator's annotations (original names restored
/// when the format holds them); `None` if it is left out by the status filter or (reported)
/// cannot be read.
fn load(
    entry: &ArticleFiles,
    opts: &ExportOptions,
    originals: &Originals,
    report: &mut Report,
) -> Option<ExportDoc> {
    let annotator = match &opts.annotator {
        Some(a) => a.clone(),
        None => match entry.sidecars.first() {
            Some((s, _)) => s.clone(),
            None => String::new(),
        },
    };
    let doc = match Document::load_in_pass(&entry.path, None) {
        Ok(d) => d,
        Err(e) => {
            report.error(&entry.relative, None, e.to_string());
            return None;
        }
    };
    let mut annotations: crate::model::Annotations = if annotator.is_empty() {
        Default::default()
    } else {
        // As `sidecar::load`, without the hash of the file (only a save needs it). The listing
        // already named the sidecar when it was there.
        let listed = entry.sidecars.iter().find(|(who, _)| *who == annotator);
        let path = match listed {
            Some((_, p)) => std::borrow::Cow::Borrowed(p.as_path()),
            None => std::borrow::Cow::Owned(sidecar::sidecar_path(&entry.path, &annotator)),
        };
        let loaded = sidecar::read_bytes_in_pass(&path).and_then(|bytes| match bytes {
            Some(b) => sidecar::decode(&doc, &annotator, &path, &b),
            None => Ok(sidecar::LoadedSidecar::empty()),
        });
        match loaded {
            Ok(l) => {
                for issue in &l.issues {
                    report.note(&entry.relative, None, format!("{issue:?}"));
                }
                l.annotations
            }
            Err(e) => {
                report.error(&entry.relative, None, e.to_string());
                return None;
            }
        }
    };
    if !opts.statuses.is_empty()
        && !opts
            .statuses
            .contains(&filter_status(entry, opts, annotations.status))
    {
        return None;
    }
    if annotator.is_empty() {
        report.note(
            &entry.relative,
            None,
            "no sidecar; exported without annotations",
        );
    }
    for s in annotations.unanchored.iter().map(|u| &u.span) {
        report.skip(
            "unanchored span (not placed in the current text)",
            &entry.relative,
            None,
            format!("`{}` ({})", s.text, s.label),
        );
    }
    if !originals.is_empty() {
        originals.restore(&mut annotations);
    }
    Some(ExportDoc {
        relative: entry.relative.clone(),
        doc,
        annotations,
    })
}
