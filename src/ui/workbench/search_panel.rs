//! Ctrl+F: Arabic-aware search in the open document or across the corpus, results as shaped
//! keyword-in-context lines, and "tag all occurrences" (clitics left outside the spans).

use std::ops::Range;
use std::path::PathBuf;

use egui::{RichText, Sense};

use crate::model::search::{find_all, find_with_clitics};
use crate::model::Document;
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

fn kwic(doc: &Document, range: &Range<usize>) -> String {
    let clean = |s: &str| s.replace(['\n', '\r', '\u{2029}'], " ");
    format!(
        "…{} [{}] {}…",
        clean(doc.prefix(range.start, CONTEXT)),
        clean(doc.slice(range.clone()).unwrap_or("")),
        clean(doc.suffix(range.end, CONTEXT))
    )
}

impl Workbench {
    /// Runs the search and fills `self.search.results`.
    pub fn run_search(&mut self) {
        let q = self.search.query.clone();
        let o = self.search.options;
        let mut hits = Vec::new();
        if self.search.whole_corpus {
            if let Some(corpus) = &self.corpus {
                for (i, e) in corpus.entries.iter().enumerate() {
                    if hits.len() >= MAX_HITS {
                        break;
                    }
                    let doc = match self.session.as_ref().filter(|s| s.doc.path() == e.path) {
                        Some(s) => s.doc.clone(),
                        None => match Document::load(&e.path, self.options.encoding) {
                            Ok(d) => d,
                            Err(_) => continue,
                        },
                    };
                    for m in find_all(&doc, &q, o)
                        .into_iter()
                        .take(MAX_HITS - hits.len())
                    {
                        hits.push(Hit {
                            entry: i,
                            path: e.path.clone(),
                            line: kwic(&doc, &m.range),
                            range: m.range,
                        });
                    }
                }
            }
        } else if let (Some(s), Some(i)) = (self.session.as_ref(), self.current) {
            for m in find_all(&s.doc, &q, o).into_iter().take(MAX_HITS) {
                hits.push(Hit {
                    entry: i,
                    path: s.doc.path().to_path_buf(),
                    line: kwic(&s.doc, &m.range),
                    range: m.range,
                });
            }
        }
        self.search.results = hits;
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
                .on_hover_text("Tag every whole-word occurrence in this document; attached clitics (wa, fa, bi, li, ka and al) stay outside. You confirm the list first.")
                .on_disabled_hover_text("Type a query and choose a label first")
                .clicked()
            {
                if let Some(l) = self.search.tag_label.clone() {
                    self.propose_tag_all(&l);
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
                if self.current != Some(h.entry) {
                    self.open_document(h.entry);
                }
                let opened = self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.doc.path() == h.path);
                if opened {
                    // Applied after the canvas has shown the document (a new one clears it).
                    self.pending_selection = Some(h.range.clone());
                    self.canvas.scroll_to_char(h.range.start);
                    self.selected_span = None;
                }
            }
        }
    }
}
