//! The centre: the document canvas, with clicks turned into span selection and a context menu
//! that reaches every span under the pointer (overlapping and nested ones too).

use crate::ui::shaped_label::ShapedLabel;

use super::annotation_panel::label_tag;
use super::Workbench;

/// Egui memory key of the spans under the last right-click.
fn context_spans_id() -> egui::Id {
    egui::Id::unique("hashiya-context-spans")
}

impl Workbench {
    pub(super) fn canvas_ui(&mut self, ui: &mut egui::Ui) {
        let Some(session) = self.session.as_ref() else {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.heading("Hashiya");
                ui.add(crate::ui::shaped_label::ShapedLabel::new("حاشية").size(28.0));
                ui.label("Open a corpus folder (File > Open folder, or drop it on this window), then pick a document on the left.");
            });
            return;
        };
        if let Some(why) = &session.read_only {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
        }
        let out = self.canvas.show(ui, &session.doc, &self.highlights);
        if let Some(h) = out.clicked_highlight {
            if let Some(id) = self.highlight_ids.get(h).cloned() {
                self.select_span(&id, false);
            }
        } else if out.clicked_char.is_some() && self.pending_relation.is_none() {
            self.selected_span = None;
        }
        if out.selection_finished.is_some() {
            self.selected_span = None;
        }
        self.context_menu_ui(&out);
    }

    /// Right-click: every span under the pointer, to select one (or accept, reject, delete it).
    fn context_menu_ui(&mut self, out: &crate::ui::canvas::CanvasResponse) {
        if out.response.secondary_clicked() {
            let ids: Vec<String> = out
                .response
                .interact_pointer_pos()
                .and_then(|p| self.canvas.char_at_pos(p))
                .and_then(|c| self.session.as_ref().map(|s| (c, s)))
                .map(|(c, s)| {
                    s.editor
                        .annotations()
                        .spans_at(c)
                        .iter()
                        .map(|x| x.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            out.response
                .ctx
                .data_mut(|d| d.insert_temp(context_spans_id(), ids));
        }
        let schema = self.schema();
        let mut pick = None;
        let mut action: Option<(String, &str)> = None;
        out.response.context_menu(|ui| {
            let ids: Vec<String> = ui.data(|d| d.get_temp(context_spans_id()).unwrap_or_default());
            if ids.is_empty() {
                ui.label("No span here. Select text and press a label key to tag it.");
                return;
            }
            let Some(session) = self.session.as_ref() else {
                return;
            };
            for id in &ids {
                let Some(span) = session.editor.annotations().span(id) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    if ui
                        .button("Select")
                        .on_hover_text(format!("Select span {id}"))
                        .clicked()
                    {
                        pick = Some(id.clone());
                        ui.close();
                    }
                    label_tag(ui, &schema, &span.label);
                    ui.add(ShapedLabel::new(&span.text).wrap_width(260.0));
                });
                ui.horizontal(|ui| {
                    for (name, what) in [
                        ("Accept", "accept"),
                        ("Reject", "reject"),
                        ("Delete", "delete"),
                    ] {
                        if ui
                            .small_button(name)
                            .on_hover_text(format!("{name} span {id}"))
                            .clicked()
                        {
                            action = Some((id.clone(), what));
                            ui.close();
                        }
                    }
                });
                ui.separator();
            }
        });
        if let Some(id) = pick {
            self.select_span(&id, false);
        }
        if let Some((id, what)) = action {
            self.selected_span = Some(id);
            match what {
                "accept" => self.set_review_of_selected(crate::model::ReviewState::Accepted),
                "reject" => self.set_review_of_selected(crate::model::ReviewState::Rejected),
                _ => self.delete_selected_span(),
            }
        }
    }
}
