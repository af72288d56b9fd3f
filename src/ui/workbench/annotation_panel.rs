//! The right panel: label palette, this document's annotations, the selected span's details, and
//! (in document_panel.rs) the document's stance, claims and status.

use egui::{Color32, RichText, Sense};

use crate::model::{ReviewState, Source};
use crate::ui::shaped_label::ShapedLabel;

use super::drafts::DraftKey;
use super::Workbench;

pub fn label_color(schema: &crate::model::Schema, label: &str) -> Color32 {
    let [r, g, b] = schema.color_of(label);
    Color32::from_rgb(r, g, b)
}

/// A small colored tag with the label's name.
pub fn label_tag(ui: &mut egui::Ui, schema: &crate::model::Schema, label: &str) -> egui::Response {
    let c = label_color(schema, label);
    let text_color = if c.r() as u32 * 299 + c.g() as u32 * 587 + c.b() as u32 * 114 > 140_000 {
        Color32::BLACK
    } else {
        Color32::WHITE
    };
    ui.label(
        RichText::new(format!(" {label} "))
            .small()
            .strong()
            .color(text_color)
            .background_color(c),
    )
}

fn review_mark(r: ReviewState) -> &'static str {
    match r {
        ReviewState::Suggested => "?",
        ReviewState::Accepted => "+",
        ReviewState::Rejected => "×",
    }
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Human => "human",
        Source::Imported => "imported",
        Source::Model => "model",
    }
}

impl Workbench {
    pub(super) fn annotation_panel_ui(&mut self, ui: &mut egui::Ui) {
        // The list of annotations keeps the lower part, always in view.
        egui::Panel::bottom("annotation-list")
            .resizable(true)
            .default_size(330.0)
            .show(ui, |ui| {
                ui.strong("Annotations");
                self.annotation_list_ui(ui);
            });
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::CollapsingHeader::new("Labels")
                    .default_open(true)
                    .show(ui, |ui| self.palette_ui(ui));
                egui::CollapsingHeader::new("Selected span")
                    .default_open(true)
                    .show(ui, |ui| self.span_details_ui(ui));
                egui::CollapsingHeader::new("Document")
                    .default_open(true)
                    .show(ui, |ui| self.document_panel_ui(ui));
            });
    }

    fn palette_ui(&mut self, ui: &mut egui::Ui) {
        let schema = self.schema();
        let mut apply = None;
        ui.horizontal_wrapped(|ui| {
            for l in &schema.span_labels {
                let c = label_color(&schema, &l.name);
                let text = if l.hotkey.is_empty() {
                    RichText::new(l.name.as_str())
                } else {
                    RichText::new(format!("{} ({})", l.name, l.hotkey.to_uppercase()))
                };
                let b = ui
                    .add(
                        egui::Button::new(text)
                            .fill(c.gamma_multiply(0.35))
                            .stroke(egui::Stroke::new(1.0, c)),
                    )
                    .on_hover_text(format!(
                        "{} — press {} to tag the selection (or relabel the selected span)",
                        l.description,
                        l.hotkey.to_uppercase()
                    ));
                if b.clicked() {
                    apply = Some(l.name.clone());
                }
            }
        });
        if let Some(l) = apply {
            self.apply_label(&l);
        }
    }

    fn annotation_list_ui(&mut self, ui: &mut egui::Ui) {
        let schema = self.schema();
        ui.horizontal_wrapped(|ui| {
            let f = &mut self.annotation_filter;
            egui::ComboBox::from_id_salt("filter-label")
                .selected_text(f.label.clone().unwrap_or_else(|| "any label".into()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.label, None, "any label");
                    for l in &schema.span_labels {
                        ui.selectable_value(&mut f.label, Some(l.name.clone()), &l.name);
                    }
                })
                .response
                .on_hover_text("Show only spans with this label");
            egui::ComboBox::from_id_salt("filter-source")
                .selected_text(f.source.map_or("any source", source_name))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.source, None, "any source");
                    for s in [Source::Human, Source::Imported, Source::Model] {
                        ui.selectable_value(&mut f.source, Some(s), source_name(s));
                    }
                })
                .response
                .on_hover_text("Show only spans from this source");
            egui::ComboBox::from_id_salt("filter-review")
                .selected_text(f.review.map_or("any review", |r| match r {
                    ReviewState::Suggested => "suggested",
                    ReviewState::Accepted => "accepted",
                    ReviewState::Rejected => "rejected",
                }))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.review, None, "any review");
                    ui.selectable_value(&mut f.review, Some(ReviewState::Suggested), "suggested");
                    ui.selectable_value(&mut f.review, Some(ReviewState::Accepted), "accepted");
                    ui.selectable_value(&mut f.review, Some(ReviewState::Rejected), "rejected");
                })
                .response
                .on_hover_text("Show only spans in this review state");
        });
        let Some(session) = self.session.as_ref() else {
            ui.label("No document open.");
            // Keep the panel's height for the list to come (a panel shrinks to what it holds).
            ui.allocate_space(ui.available_size());
            return;
        };
        let f = &self.annotation_filter;
        let spans = session.editor.annotations().spans();
        let shown: Vec<usize> = spans
            .iter()
            .enumerate()
            .filter(|(_, s)| f.label.as_ref().is_none_or(|l| *l == s.label))
            .filter(|(_, s)| f.source.is_none_or(|x| x == s.source))
            .filter(|(_, s)| f.review.is_none_or(|x| x == s.review))
            .map(|(i, _)| i)
            .collect();
        ui.label(
            RichText::new(format!("{} shown", shown.len()))
                .small()
                .weak(),
        );
        let mut clicked = None;
        // Unplaced spans first: the list below takes the rest of the panel.
        let unanchored: Vec<(String, String, String)> = session
            .editor
            .annotations()
            .unanchored
            .iter()
            .map(|u| (u.span.id.clone(), u.span.label.clone(), u.span.text.clone()))
            .collect();
        let mut place = None;
        if !unanchored.is_empty() {
            ui.separator();
            ui.label(
                RichText::new(
                    "Unplaced (the article changed): select where each belongs, then Place",
                )
                .color(ui.visuals().warn_fg_color),
            );
            let selection = self.canvas.selection();
            for (id, label, text) in unanchored {
                ui.horizontal(|ui| {
                    let b = ui
                        .add_enabled(selection.is_some(), egui::Button::new("Place"))
                        .on_hover_text(format!("Put span {id} on the selected text"))
                        .on_disabled_hover_text("Select the text it belongs to first");
                    if b.clicked() {
                        place = Some(id.clone());
                    }
                    label_tag(ui, &schema, &label);
                    ui.add(ShapedLabel::new(&text));
                });
            }
        }
        let row_height = ui.spacing().interact_size.y.max(26.0);
        // Only the rows in view are laid out, however many spans the document has.
        egui::ScrollArea::vertical()
            .id_salt("annotation-rows")
            .auto_shrink(false)
            .show_rows(ui, row_height, shown.len(), |ui, rows| {
                for &i in &shown[rows] {
                    let Some(s) = spans.get(i) else { continue };
                    let selected = self.selected_span.as_deref() == Some(s.id.as_str());
                    let r = ui.horizontal(|ui| {
                        ui.set_height(row_height);
                        let mark = ui
                            .selectable_label(selected, review_mark(s.review))
                            .on_hover_text(format!(
                                "{}: {}, {:?}; click to select",
                                s.id, s.label, s.review
                            ));
                        label_tag(ui, &schema, &s.label);
                        let shown = super::span_pieces::display_text(&session.doc, s);
                        let t = ui.add(ShapedLabel::new(&shown).sense(Sense::click()));
                        mark.clicked() || t.clicked()
                    });
                    if r.inner {
                        clicked = Some(s.id.clone());
                    }
                }
            });
        if let (Some(id), Some(range)) = (place, self.canvas.selection()) {
            self.edit(|s, schema| {
                let doc = s.doc.clone();
                s.editor.place_unanchored(&doc, schema, &id, range.clone())
            });
            self.canvas.set_selection(None);
        }
        if let Some(id) = clicked {
            self.pick_span(&id, true);
        }
    }

    fn span_details_ui(&mut self, ui: &mut egui::Ui) {
        if self.selected_other.is_some() {
            self.other_span_details_ui(ui);
            return;
        }
        let schema = self.schema();
        let Some(span) = self
            .selected_span
            .as_ref()
            .and_then(|id| self.session.as_ref()?.editor.annotations().span(id))
            .cloned()
        else {
            if !self.prefs.seen_first_run_hint {
                ui.label(
                    "To tag: drag across words in the text (hold Alt to select exact letters), then press a \
                     label key such as P for a person — or click a label above. F1 lists every shortcut.",
                );
            } else {
                ui.label(RichText::new("No span selected. Click a highlight to select it.").weak());
            }
            return;
        };
        ui.horizontal(|ui| {
            label_tag(ui, &schema, &span.label);
            let text = self.session.as_ref().map_or_else(
                || span.text.clone(),
                |s| super::span_pieces::display_text(&s.doc, &span),
            );
            ui.add(ShapedLabel::new(&text).wrap_width(240.0));
        });
        self.pieces_ui(ui, &span);
        ui.label(
            RichText::new(format!(
                "{} · chars {}..{} · {} · {:?}",
                span.id,
                span.start,
                span.end,
                source_name(span.source),
                span.review
            ))
            .small()
            .weak(),
        );
        ui.horizontal(|ui| {
            if ui
                .button("Accept")
                .on_hover_text("Accept this span (Enter)")
                .clicked()
            {
                self.set_review_of_selected(ReviewState::Accepted);
            }
            if ui
                .button("Reject")
                .on_hover_text("Reject this span (-)")
                .clicked()
            {
                self.set_review_of_selected(ReviewState::Rejected);
            }
            if ui
                .button("Delete")
                .on_hover_text("Delete this span (Delete)")
                .clicked()
            {
                self.delete_selected_span();
            }
        });
        // Attributes of its label.
        if let Ok(def) = schema.span_label(&span.label) {
            for attr in &def.attributes {
                let current = span.attributes.get(&attr.name).cloned();
                if attr.values.is_empty() {
                    // A free-text attribute: typed into a draft, written when the field loses
                    // focus (or before anything saves or switches; see `commit_drafts`).
                    let key = DraftKey::attribute(&span.id, &attr.name);
                    let saved = current.clone().unwrap_or_default();
                    let mut text = self
                        .drafts
                        .get(&key)
                        .cloned()
                        .unwrap_or_else(|| saved.clone());
                    let r = ui
                        .horizontal(|ui| {
                            let l = ui.label(&attr.name);
                            ui.add(egui::TextEdit::singleline(&mut text).desired_width(160.0))
                                .labelled_by(l.id)
                                .on_hover_text(format!(
                                    "Attribute {} of this {} (free text)",
                                    attr.name, span.label
                                ))
                        })
                        .inner;
                    self.keep_draft(key, text, &saved, &r);
                    continue;
                }
                let mut chosen = current.clone();
                ui.horizontal(|ui| {
                    ui.label(&attr.name);
                    egui::ComboBox::from_id_salt(("attr", &attr.name))
                        .selected_text(chosen.clone().unwrap_or_else(|| "—".into()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut chosen, None, "—");
                            for v in &attr.values {
                                ui.selectable_value(&mut chosen, Some(v.clone()), v);
                            }
                        })
                        .response
                        .on_hover_text(format!("Attribute {} of this {}", attr.name, span.label));
                });
                if chosen != current {
                    let (id, name) = (span.id.clone(), attr.name.clone());
                    self.edit(|s, schema| {
                        s.editor
                            .set_attribute(schema, &id, &name, chosen.as_deref())
                    });
                }
            }
        }
        // Note: typed into a draft, written when the field loses focus (or before anything saves
        // or switches; see `commit_drafts`).
        let key = DraftKey::note(&span.id);
        let saved_note = span.note.clone().unwrap_or_default();
        let mut note = self
            .drafts
            .get(&key)
            .cloned()
            .unwrap_or_else(|| saved_note.clone());
        let label = ui.label("Note");
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut note)
                    .desired_rows(2)
                    .hint_text("a note on this span"),
            )
            .labelled_by(label.id)
            .on_hover_text("Written to the span when you leave the field");
        self.keep_draft(key, note, &saved_note, &r);
        // Relations.
        let relations: Vec<_> = self
            .session
            .as_ref()
            .map(|s| {
                s.editor
                    .annotations()
                    .relations
                    .iter()
                    .filter(|r| r.from == span.id || r.to == span.id)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        ui.label(RichText::new("Relations").strong());
        let mut delete = None;
        for r in relations {
            let other_id = if r.from == span.id { &r.to } else { &r.from };
            let other = self
                .session
                .as_ref()
                .and_then(|s| s.editor.annotations().span(other_id))
                .map(|s| s.text.clone())
                .unwrap_or_default();
            ui.horizontal(|ui| {
                let arrow = if r.from == span.id { "->" } else { "<-" };
                ui.label(format!("{} {arrow}", r.kind));
                ui.add(ShapedLabel::new(&other));
                if ui
                    .small_button("×")
                    .on_hover_text("Delete this relation")
                    .clicked()
                {
                    delete = Some(r.id.clone());
                }
            });
        }
        if let Some(rid) = delete {
            self.edit(|s, _| s.editor.delete_relation(&rid));
        }
        ui.horizontal_wrapped(|ui| {
            for rel in &schema.relation_types {
                if ui
                    .button(format!("{} ({})", rel.name, rel.hotkey.to_uppercase()))
                    .on_hover_text(format!("{} — then click the target span", rel.description))
                    .clicked()
                {
                    self.start_relation(&rel.name);
                }
            }
        });
        if let Some(p) = &self.pending_relation {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{}: click the target span (Esc cancels)", p.kind),
            );
        }
    }
}
