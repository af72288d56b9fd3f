//! The status bar: annotator, document and save state, counts, selection, messages.

use std::time::Duration;

use egui::RichText;

use super::Workbench;

/// How long a status message stays.
const MESSAGE_FOR: Duration = Duration::from_secs(6);

impl Workbench {
    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            match self.annotator() {
                Some(a) => ui.label(format!("annotator: {a}")),
                None => ui.label("annotator: (not set)"),
            }
            .on_hover_text("File > Change annotator");
            ui.separator();
            if let Some(s) = &self.session {
                let dirty = s.is_dirty();
                let name = s
                    .doc
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ui.label(if dirty {
                    format!("* {name} (unsaved)")
                } else {
                    format!("{name} (saved)")
                })
                .on_hover_text(if dirty {
                    "Changes are saved by themselves in a moment, or press Ctrl+S"
                } else {
                    "Everything is saved"
                });
                ui.separator();
                let a = s.editor.annotations();
                let suggested = a
                    .spans()
                    .iter()
                    .filter(|x| x.review == crate::model::ReviewState::Suggested)
                    .count();
                ui.label(format!(
                    "{} spans ({} to review) · {} relations · {}",
                    a.spans().len(),
                    suggested,
                    a.relations.len(),
                    a.status.name().replace('_', " ")
                ));
                if let Some(anchor) = self.canvas.anchor() {
                    ui.separator();
                    ui.label(format!(
                        "paragraph {} of {}",
                        anchor.paragraph + 1,
                        s.doc.paragraphs().len()
                    ))
                    .on_hover_text("Where the top of the view is");
                }
                if let Some(sel) = self.canvas.selection() {
                    ui.separator();
                    ui.label(format!(
                        "selection {}..{} ({} chars)",
                        sel.start,
                        sel.end,
                        sel.end - sel.start
                    ));
                }
                if s.read_only.is_some() {
                    ui.separator();
                    ui.colored_label(ui.visuals().warn_fg_color, "read-only");
                }
            }
            if let Some(what) = self.busy_with() {
                ui.separator();
                ui.spinner();
                ui.label(format!("{what}…"));
            }
            if self.conflict_deferred.is_some() {
                ui.separator();
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "changed on disk: nothing is saved until you decide (Ctrl+S)",
                );
            }
            if let Some((m, at)) = &self.message {
                if at.elapsed() < MESSAGE_FOR {
                    ui.separator();
                    ui.label(RichText::new(m).italics());
                    ui.ctx().request_repaint_after(MESSAGE_FOR);
                }
            }
        });
    }
}
