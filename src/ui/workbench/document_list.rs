//! The document list: status, span count, filters by status and name, and — when the corpus has
//! a team plan (`hashiya assign`) — "assigned to me".

use egui::{RichText, Sense};

use crate::model::DocStatus;
use crate::ui::shaped_label::ShapedLabel;

use super::Workbench;

/// The color of a status dot: new is hollow gray, then orange, green, blue.
pub fn status_color(status: DocStatus) -> egui::Color32 {
    match status {
        DocStatus::New => egui::Color32::GRAY,
        DocStatus::InProgress => egui::Color32::from_rgb(0xe6, 0x8a, 0x00),
        DocStatus::Finished => egui::Color32::from_rgb(0x2e, 0x9e, 0x44),
        DocStatus::Reviewed => egui::Color32::from_rgb(0x2b, 0x6c, 0xd8),
    }
}

/// A small dot showing a status.
pub fn status_dot(ui: &mut egui::Ui, status: DocStatus) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), Sense::hover());
    let c = status_color(status);
    if status == DocStatus::New {
        ui.painter()
            .circle_stroke(rect.center(), 4.5, egui::Stroke::new(1.5, c));
    } else {
        ui.painter().circle_filled(rect.center(), 5.0, c);
    }
    response
}

impl Workbench {
    /// Indices of the corpus entries that pass the filters, in list order.
    pub fn visible_documents(&self) -> Vec<usize> {
        let Some(corpus) = &self.corpus else {
            return Vec::new();
        };
        let annotator = self.annotator();
        let needle = self.doc_filter.name.trim().to_lowercase();
        let matches_name = |relative: &str| {
            needle.is_empty()
                || relative.contains(needle.as_str())
                || relative.to_lowercase().contains(needle.as_str())
        };
        corpus
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                self.doc_filter
                    .status
                    .is_none_or(|s| e.status(annotator) == s)
            })
            .filter(|(_, e)| matches_name(&e.relative))
            .filter(|(_, e)| !self.doc_filter.assigned_to_me || self.is_assigned_to_me(&e.relative))
            .map(|(i, _)| i)
            .collect()
    }

    /// Does the corpus's plan assign `relative` to the current annotator? (No plan or no name:
    /// no document is.)
    pub fn is_assigned_to_me(&self, relative: &str) -> bool {
        let plan = self.corpus.as_ref().and_then(|c| c.plan.as_ref());
        match (plan, self.prefs.annotator.as_deref()) {
            (Some(plan), Some(me)) => plan.is_assigned(relative, me),
            _ => false,
        }
    }

    pub(super) fn document_list_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Documents");
        let Some(corpus) = &self.corpus else {
            ui.label("No corpus open.");
            if ui
                .button("Open folder…")
                .on_hover_text("File > Open folder")
                .clicked()
            {
                self.dialog = Some(super::Dialog::OpenPath {
                    text: String::new(),
                    note: None,
                });
            }
            return;
        };
        ui.label(
            RichText::new(corpus.root.display().to_string())
                .small()
                .weak(),
        );
        ui.horizontal(|ui| {
            let label = ui.label("Filter");
            ui.add(
                egui::TextEdit::singleline(&mut self.doc_filter.name)
                    .hint_text("name")
                    .desired_width(90.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Show only documents whose path contains this");
            let current = self.doc_filter.status.map_or("any status", |s| s.name());
            egui::ComboBox::from_id_salt("status-filter")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.doc_filter.status, None, "any status");
                    for s in DocStatus::ALL {
                        ui.selectable_value(&mut self.doc_filter.status, Some(s), s.name());
                    }
                })
                .response
                .on_hover_text("Show only documents with this status");
        });
        if let Some(plan) = &corpus.plan {
            let me = self.prefs.annotator.clone().unwrap_or_default();
            let mine = plan.documents_of(&me).count();
            ui.checkbox(
                &mut self.doc_filter.assigned_to_me,
                format!("assigned to me ({mine})"),
            )
            .on_hover_text("Show only the documents the team's plan (hashiya assign) gives you");
        } else {
            self.doc_filter.assigned_to_me = false;
        }
        ui.separator();
        let visible = self.visible_documents();
        let annotator = self.annotator().map(str::to_owned);
        let mut open = None;
        let row_height = ui.spacing().interact_size.y.max(26.0);
        // Only the rows in view are laid out: a corpus of 10,000 articles scrolls like one of ten.
        egui::ScrollArea::vertical().auto_shrink(false).show_rows(
            ui,
            row_height,
            visible.len(),
            |ui, rows| {
                let Some(corpus) = &self.corpus else { return };
                for &i in &visible[rows] {
                    let Some(e) = corpus.entries.get(i) else {
                        continue;
                    };
                    let selected = self.current == Some(i);
                    let status = e.status(annotator.as_deref());
                    let count = e.span_count(annotator.as_deref());
                    let unreadable = e.sidecars.iter().any(|s| s.summary.is_err());
                    let row = ui.horizontal(|ui| {
                        ui.set_height(row_height);
                        status_dot(ui, status);
                        let mark = ui
                            .selectable_label(
                                selected,
                                RichText::new(format!("{count:>4}")).monospace(),
                            )
                            .on_hover_text(format!(
                                "{} — {} span(s){}",
                                status.name(),
                                count,
                                if unreadable {
                                    " — a sidecar cannot be read"
                                } else {
                                    ""
                                }
                            ));
                        if let Some(c) = &self.curation {
                            curation_progress_ui(ui, c.progress.get(&e.relative));
                        }
                        let name = ui.add(ShapedLabel::new(&e.relative).sense(Sense::click()));
                        mark.clicked() || name.clicked()
                    });
                    if row.inner {
                        open = Some(i);
                    }
                }
            },
        );
        if let Some(i) = open {
            self.open_document(i);
        }
    }
}

/// "3/41 open" while curating (green when nothing is open), or why it cannot be counted.
fn curation_progress_ui(
    ui: &mut egui::Ui,
    progress: Option<&Result<crate::model::curation::progress::Progress, String>>,
) {
    match progress {
        None => {}
        Some(Ok(p)) if p.open == 0 => {
            ui.label(
                RichText::new("curated")
                    .small()
                    .color(egui::Color32::from_rgb(0x2c, 0xa0, 0x2c)),
            )
            .on_hover_text(format!("all {} unit(s) decided", p.units));
        }
        Some(Ok(p)) => {
            ui.label(
                RichText::new(format!("{}/{} open", p.open, p.units))
                    .small()
                    .strong(),
            )
            .on_hover_text("units of disagreement still to decide, of all of them");
        }
        Some(Err(e)) => {
            ui.label(RichText::new("?").small())
                .on_hover_text(e.as_str());
        }
    }
}
