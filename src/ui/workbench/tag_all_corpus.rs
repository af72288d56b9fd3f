//! "Tag all occurrences" across the whole corpus: the clitic-aware occurrences are looked for in
//! every document on a thread; the user confirms document by document (with the count and a
//! first keyword-in-context line for each); then each document gets its spans as one step — the
//! open one in its editor (one Ctrl+Z undoes it), every other one written to its sidecar by a
//! thread, never over a sidecar that cannot be read or changed on disk.

use std::ops::Range;
use std::path::PathBuf;

use crate::model::search::{find_with_clitics, SearchOptions};
use crate::model::session::DocumentSession;
use crate::model::sidecar::SidecarSummary;
use crate::model::{Document, Schema, TextEncoding};
use crate::ui::shaped_label::ShapedLabel;

use super::tasks::{Poll, Task};
use super::{Dialog, Workbench};

/// The occurrences found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentOccurrences {
    pub entry: usize,
    pub path: PathBuf,
    pub relative: String,
    /// Where the spans go (clitics left out), not yet tagged with the label by this annotator.
    pub ranges: Vec<Range<usize>>,
    /// The first occurrence in context.
    pub example: String,
    /// Confirmed by the user.
    pub chosen: bool,
}

/// What the tagging of the other documents did.
#[derive(Debug, Clone, Default)]
pub struct TaggedDocuments {
    pub documents: usize,
    pub spans: usize,
    pub problems: Vec<String>,
    /// The new status and counts of each document written (entry index, sidecar, summary).
    pub written: Vec<(usize, PathBuf, SidecarSummary)>,
}

/// A corpus-wide tag-all in progress: looking, or writing.
pub enum CorpusTagAll {
    Looking(Task<Vec<DocumentOccurrences>>),
    Writing(Task<TaggedDocuments>),
}

/// Occurrences of `query` in `doc` not yet among `have` (the annotator's spans of the label).
fn untagged(
    doc: &Document,
    query: &str,
    options: SearchOptions,
    have: &[Range<usize>],
) -> Vec<Range<usize>> {
    find_with_clitics(doc, query, options)
        .into_iter()
        .map(|m| m.span)
        .filter(|r| !have.contains(r))
        .collect()
}

impl Workbench {
    /// Starts looking for the occurrences in every document of the corpus.
    pub fn propose_tag_all_corpus(&mut self, label: &str) {
        let (Some(corpus), Some(annotator)) = (self.corpus.as_ref(), self.annotator()) else {
            return;
        };
        let entries: Vec<(usize, PathBuf, String)> = corpus
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.path.clone(), e.relative.clone()))
            .collect();
        let (query, options) = (self.search.query.clone(), self.search.options);
        let (label, annotator) = (label.to_owned(), annotator.to_owned());
        let encoding = self.options.encoding;
        // The open document as it is in memory (with unsaved spans).
        let open = self.session.as_ref().map(|s| {
            (
                s.doc.clone(),
                spans_with_label(s.editor.annotations(), &label),
            )
        });
        self.tag_all_corpus = Some(CorpusTagAll::Looking(Task::spawn(
            format!("looking for «{query}» in the corpus"),
            self.ctx.as_ref(),
            move || {
                entries
                    .into_iter()
                    .filter_map(|(entry, path, relative)| {
                        let (doc, have) = match open.as_ref().filter(|(d, _)| d.path() == path) {
                            Some((d, have)) => (d.clone(), have.clone()),
                            None => {
                                let doc = Document::load(&path, encoding).ok()?;
                                let have = crate::model::sidecar::load(&doc, &annotator)
                                    .map(|l| spans_with_label(&l.annotations, &label))
                                    .unwrap_or_default();
                                (doc, have)
                            }
                        };
                        let ranges = untagged(&doc, &query, options, &have);
                        let first = ranges.first()?;
                        Some(DocumentOccurrences {
                            entry,
                            example: super::search_panel::kwic(&doc, first),
                            path,
                            relative,
                            ranges,
                            chosen: true,
                        })
                    })
                    .collect()
            },
        )));
    }

    /// Takes the results of a corpus-wide tag-all when they are there.
    pub(super) fn poll_tag_all_corpus(&mut self) {
        match &self.tag_all_corpus {
            Some(CorpusTagAll::Looking(t)) => match t.poll() {
                Poll::Pending => {}
                Poll::Done(docs) => {
                    self.tag_all_corpus = None;
                    self.confirm_tag_all_corpus(docs);
                }
                Poll::Crashed => self.tag_all_crashed(),
            },
            Some(CorpusTagAll::Writing(t)) => match t.poll() {
                Poll::Pending => {}
                Poll::Done(done) => {
                    self.tag_all_corpus = None;
                    self.tagged_other_documents(done);
                }
                Poll::Crashed => self.tag_all_crashed(),
            },
            None => {}
        }
    }

    fn confirm_tag_all_corpus(&mut self, docs: Vec<DocumentOccurrences>) {
        if docs.is_empty() {
            self.tell("no untagged whole-word occurrences in the corpus");
        } else if let Some(label) = self.search.tag_label.clone() {
            self.dialog = Some(Dialog::TagAllCorpus { label, docs });
        }
    }

    fn tagged_other_documents(&mut self, done: TaggedDocuments) {
        for p in &done.problems {
            self.report(p.clone());
        }
        self.tell(format!(
            "tagged {} occurrence(s) in {} other document(s)",
            done.spans, done.documents
        ));
        // Their status and counts in the list.
        for (entry, sidecar, summary) in done.written {
            self.set_entry_summary(entry, &sidecar, summary);
        }
    }

    fn tag_all_crashed(&mut self) {
        self.tag_all_corpus = None;
        self.report("tagging the corpus stopped unexpectedly (a bug: please report it)".into());
    }

    /// The confirmed documents are tagged: the open one in its editor, the others on a thread.
    pub(super) fn tag_all_in_corpus(&mut self, label: &str, docs: Vec<DocumentOccurrences>) {
        let open_path = self.session.as_ref().map(|s| s.doc.path().to_path_buf());
        let (open, others): (Vec<_>, Vec<_>) = docs
            .into_iter()
            .filter(|d| d.chosen)
            .partition(|d| Some(&d.path) == open_path.as_ref());
        for d in open {
            self.tag_all(label, &d.ranges);
        }
        if others.is_empty() {
            return;
        }
        let Some(annotator) = self.annotator().map(str::to_owned) else {
            return;
        };
        let (label, schema, encoding) = (label.to_owned(), self.schema(), self.options.encoding);
        self.tag_all_corpus = Some(CorpusTagAll::Writing(Task::spawn(
            format!("tagging {} document(s)", others.len()),
            self.ctx.as_ref(),
            move || tag_documents(&others, &annotator, &label, &schema, encoding),
        )));
    }

    /// The corpus-wide confirmation list; returns whether it stays open.
    pub(super) fn tag_all_corpus_dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        docs: &mut [DocumentOccurrences],
    ) -> bool {
        let (n_docs, n_spans) = docs
            .iter()
            .filter(|d| d.chosen)
            .fold((0, 0), |(a, b), d| (a + 1, b + d.ranges.len()));
        ui.heading(format!(
            "Tag {n_spans} occurrence(s) in {n_docs} document(s) as {label}?"
        ));
        ui.label(
            "Attached clitics (wa, fa, bi, li, ka and the article al) stay outside the spans. \
             Untick the documents you do not want. Each document is one step: the open one can \
             be undone with Ctrl+Z.",
        );
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for d in docs.iter_mut() {
                    ui.horizontal(|ui| {
                        ui.checkbox(
                            &mut d.chosen,
                            format!("{} ({})", d.relative, d.ranges.len()),
                        );
                        ui.add(ShapedLabel::new(&d.example));
                    });
                }
            });
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("Tag them").clicked() {
                self.tag_all_in_corpus(label, docs.to_vec());
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}

fn spans_with_label(set: &crate::model::Annotations, label: &str) -> Vec<Range<usize>> {
    set.spans()
        .iter()
        .filter(|s| s.label == label)
        .map(|s| s.range())
        .collect()
}

/// Opens each document as `annotator`'s, adds the spans as one step, and saves it.
fn tag_documents(
    docs: &[DocumentOccurrences],
    annotator: &str,
    label: &str,
    schema: &Schema,
    encoding: Option<TextEncoding>,
) -> TaggedDocuments {
    let mut out = TaggedDocuments::default();
    for d in docs {
        let mut session = match DocumentSession::open(&d.path, annotator, encoding) {
            Ok(s) => s,
            Err(e) => {
                out.problems.push(e.to_string());
                continue;
            }
        };
        if let Some(why) = &session.read_only {
            out.problems
                .push(format!("{}: not tagged (read-only: {why})", d.relative));
            continue;
        }
        let doc = session.doc.clone();
        match session.editor.add_spans(&doc, schema, &d.ranges, label) {
            Ok(ids) if ids.is_empty() => {}
            Ok(ids) => match session.save() {
                Ok(_) => {
                    out.documents += 1;
                    out.spans += ids.len();
                    out.written.push((
                        d.entry,
                        session.sidecar_path(),
                        SidecarSummary::of(session.editor.annotations()),
                    ));
                }
                Err(e) => out.problems.push(e.to_string()),
            },
            Err(e) => out.problems.push(format!("{}: {e}", d.relative)),
        }
    }
    out
}
