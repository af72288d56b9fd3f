//! Ctrl+F: Arabic-aware search in the open document or across the corpus, results as shaped
//! keyword-in-context lines, and "tag all occurrences" (clitics left outside the spans).
//!
//! The search runs on a thread: hits appear as each document is searched, and it can be
//! cancelled; the window never waits for it.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::sync::Arc;

use egui::{RichText, Sense};

use crate::model::search::{find_all, find_with_clitics, SearchOptions};
use crate::model::{Document, TextEncoding};
use crate::ui::shaped_label::ShapedLabel;

use super::{Dialog, Workbench};

/// Characters of context shown on each side of a hit.
const CONTEXT: usize = 30;
/// Most hits listed.
const MAX_HITS: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub path: PathBuf,
    pub range: Range<usize>,
    /// The keyword-in-context line.
    pub line: String,
}

pub(super) fn kwic(doc: &Document, range: &Range<usize>) -> String {
    let clean = |s: &str| s.replace(['\n', '\r', '\u{2029}'], " ");
    format!(
        "…{} [{}] {}…",
        clean(doc.prefix(range.start, CONTEXT)),
        clean(doc.slice(range.clone()).unwrap_or("")),
        clean(doc.suffix(range.end, CONTEXT))
    )
}

/// A search running on its thread.
pub struct SearchJob {
    rx: Receiver<Vec<Hit>>,
    cancel: Arc<AtomicBool>,
    /// Documents searched so far, of `total`.
    searched: Arc<AtomicUsize>,
    total: usize,
}

impl SearchJob {
    /// Searches `docs` (index in the corpus, path) for `query`; the open document, if among them,
    /// is searched as it is in memory.
    fn start(
        query: String,
        options: SearchOptions,
        docs: Vec<(usize, PathBuf)>,
        open: Option<Document>,
        encoding: Option<TextEncoding>,
        ctx: Option<egui::Context>,
    ) -> Self {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let searched = Arc::new(AtomicUsize::new(0));
        let total = docs.len();
        let (stop, count) = (Arc::clone(&cancel), Arc::clone(&searched));
        std::thread::spawn(move || {
            let mut found = 0;
            for (entry, path) in docs {
                if stop.load(Ordering::Relaxed) || found >= MAX_HITS {
                    break;
                }
                let doc = match open.as_ref().filter(|d| d.path() == path) {
                    Some(d) => d.clone(),
                    // An article that cannot be read has no hits (validate says why).
                    None => match Document::load(&path, encoding) {
                        Ok(d) => d,
                        Err(_) => {
                            count.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    },
                };
                let hits: Vec<Hit> = find_all(&doc, &query, options)
                    .into_iter()
                    .take(MAX_HITS - found)
                    .map(|m| Hit {
                        entry,
                        path: path.clone(),
                        line: kwic(&doc, &m.range),
                        range: m.range,
                    })
                    .collect();
                count.fetch_add(1, Ordering::Relaxed);
                found += hits.len();
                if !hits.is_empty() && tx.send(hits).is_err() {
                    break; // nobody is listening any more
                }
                if let Some(c) = &ctx {
                    c.request_repaint();
                }
            }
            if let Some(c) = &ctx {
                c.request_repaint();
            }
        });
        Self {
            rx,
            cancel,
            searched,
            total,
        }
    }
}

impl Drop for SearchJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl Workbench {
    /// Starts the search (in this document or the whole corpus) on a thread; hits come in as
    /// they are found.
    pub fn run_search(&mut self) {
        self.search.results.clear();
        let docs: Vec<(usize, PathBuf)> = if self.search.whole_corpus {
            self.corpus
                .as_ref()
                .map(|c| {
                    c.entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (i, e.path.clone()))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            match (&self.session, self.current) {
                (Some(s), Some(i)) => vec![(i, s.doc.path().to_path_buf())],
                _ => Vec::new(),
            }
        };
        self.search.job = Some(SearchJob::start(
            self.search.query.clone(),
            self.search.options,
            docs,
            self.session.as_ref().map(|s| s.doc.clone()),
            self.options.encoding,
            self.ctx.clone(),
        ));
    }

    /// Is a search running?
    pub fn is_searching(&self) -> bool {
        self.search.job.is_some()
    }

    /// Stops the running search (the hits found so far stay).
    pub fn cancel_search(&mut self) {
        self.search.job = None;
    }

    /// Takes the hits found since the last frame.
    pub(super) fn poll_search(&mut self) {
        let Some(job) = &self.search.job else {
            return;
        };
        loop {
            match job.rx.try_recv() {
                Ok(hits) => self.search.results.extend(hits),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.search.job = None;
                    break;
                }
            }
        }
    }

    /// Opens the confirmation list for tagging every clitic-aware occurrence in this document.
    pub fn propose_tag_all(&mut self, label: &str) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let items: Vec<(Range<usize>, String, bool)> =
            find_with_clitics(&s.doc, &self.search.query, self.search.options)
                .into_iter()
                .map(|m| {
                    let line = kwic(&s.doc, &m.span);
                    (m.span, line, true)
                })
                .collect();
        if items.is_empty() {
            self.tell("no whole-word occurrences to tag in this document");
            return;
        }
        self.dialog = Some(Dialog::TagAll {
            label: label.to_owned(),
            items,
        });
    }

    /// Tags the confirmed occurrences as one undoable step.
    pub fn tag_all(&mut self, label: &str, ranges: &[Range<usize>]) {
        let added = self.edit(|s, schema| {
            let doc = s.doc.clone();
            s.editor.add_spans(&doc, schema, ranges, label)
        });
        if let Some(ids) = added {
            self.tell(format!("tagged {} occurrence(s) as {label}", ids.len()));
        }
    }

    pub(super) fn search_panel_ui(&mut self, ui: &mut egui::Ui) {
        let schema = self.schema();
        let mut run = false;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Find");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search.query)
                        .hint_text("word or phrase")
                        .desired_width(220.0),
                )
                .labelled_by(l.id)
                .on_hover_text("Diacritics and tatweel are ignored");
            if self.search.focus_query {
                r.request_focus();
                self.search.focus_query = false;
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                run = true;
            }
            let o = &mut self.search.options;
            run |= ui
                .checkbox(&mut o.fold_alef, "alef forms")
                .on_hover_text("Hamza and madda alef forms match plain alef")
                .changed();
            run |= ui
                .checkbox(&mut o.fold_ta_marbuta, "ta marbuta = ha")
                .on_hover_text("Ta marbuta matches ha")
                .changed();
            run |= ui
                .checkbox(&mut o.fold_ya, "alef maqsura = ya")
                .on_hover_text("Alef maqsura matches ya")
                .changed();
            run |= ui
                .checkbox(&mut self.search.whole_corpus, "whole corpus")
                .on_hover_text("Search every document, not only this one")
                .changed();
            if ui
                .button("Search")
                .on_hover_text("Search (Enter)")
                .clicked()
            {
                run = true;
            }
            if ui
                .button("Close")
                .on_hover_text("Close the search panel")
                .clicked()
            {
                self.search.open = false;
            }
        });
        if run {
            self.run_search();
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} hit(s)", self.search.results.len()));
            if let Some(job) = &self.search.job {
                ui.spinner();
                ui.label(format!(
                    "searching: {} of {} document(s)",
                    job.searched.load(Ordering::Relaxed),
                    job.total
                ));
                if ui
                    .button("Cancel")
                    .on_hover_text("Stop searching; the hits found so far stay")
                    .clicked()
                {
                    self.cancel_search();
                }
            }
            let label = self.search.tag_label.clone().unwrap_or_else(|| "label".into());
            egui::ComboBox::from_id_salt("tag-all-label")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    for l in &schema.span_labels {
                        ui.selectable_value(&mut self.search.tag_label, Some(l.name.clone()), &l.name);
                    }
                })
                .response
                .on_hover_text("Label for tag all occurrences");
            let enabled = self.search.tag_label.is_some() && !self.search.query.trim().is_empty();
            if ui
                .add_enabled(enabled, egui::Button::new("Tag all occurrences…"))
                .on_hover_text("Tag every whole-word occurrence in this document (or, with \"whole corpus\", in every document); attached clitics (wa, fa, bi, li, ka and al) stay outside. You confirm the list first.")
                .on_disabled_hover_text("Type a query and choose a label first")
                .clicked()
            {
                if let Some(l) = self.search.tag_label.clone() {
                    if self.search.whole_corpus {
                        self.propose_tag_all_corpus(&l);
                    } else {
                        self.propose_tag_all(&l);
                    }
                }
            }
        });
        ui.separator();
        let mut go = None;
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                for (k, h) in self.search.results.iter().enumerate() {
                    ui.horizontal(|ui| {
                        let name = h
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if ui
                            .small_button(RichText::new(name).small())
                            .on_hover_text("Go to this hit")
                            .clicked()
                        {
                            go = Some(k);
                        }
                        if ui
                            .add(ShapedLabel::new(&h.line).sense(Sense::click()))
                            .clicked()
                        {
                            go = Some(k);
                        }
                    });
                }
            });
        if let Some(k) = go {
            if let Some(h) = self.search.results.get(k).cloned() {
                let opened = self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.doc.path() == h.path);
                if opened {
                    self.show_hit(h.range);
                } else {
                    // Shown once the document is open.
                    self.pending_hit = Some((h.path.clone(), h.range.clone()));
                    self.open_document(h.entry);
                }
            }
        }
    }

    /// Selects a hit's text in the open document and scrolls to it.
    pub(super) fn show_hit(&mut self, range: Range<usize>) {
        // Applied after the canvas has shown the document (a new one clears it).
        self.pending_selection = Some(range.clone());
        self.canvas.scroll_to_char(range.start);
        self.selected_span = None;
    }
}
