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
        if self.compare.is_some() {
            self.compare_bar_ui(ui);
            ui.separator();
        }
        if self.curation.is_some() {
            self.curation_bar_ui(ui);
            ui.separator();
        }
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let out = self.canvas.show(ui, &session.doc, &self.highlights);
        if let Some(r) = self.pending_selection.take() {
            self.canvas.set_selection(Some(r));
        }
        match out
            .clicked_highlight
            .and_then(|h| self.highlight_ids.get(h).cloned())
        {
            Some(super::SpanRef::Mine(id)) => self.pick_span(&id, false),
            Some(super::SpanRef::Other(layer, id)) => {
                if self.pending_relation.is_some() {
                    self.tell(
                        "a relation links two spans of your layer: take that span first (Enter)",
                    );
                } else {
                    self.select_other(&layer, &id, false);
                }
            }
            None if out.clicked_char.is_some() && self.pending_relation.is_none() => {
                self.selected_span = None;
                self.selected_other = None;
            }
            None => {}
        }
        if let Some(range) = out.selection_finished.clone() {
            let ctrl = ui.input(|i| i.modifiers.command || i.modifiers.ctrl);
            match self.selected_span.clone() {
                // Ctrl+drag with a span selected: another piece of it.
                Some(id) if ctrl => self.add_piece(&id, range),
                selected => {
                    self.piece_target = selected.or(self.piece_target.take());
                    self.selected_span = None;
                    self.selected_other = None;
                }
            }
        }
        if let Some(pos) = out.response.hover_pos() {
            if let Some(super::SpanRef::Other(layer, id)) = self.span_under(pos) {
                self.other_span_tooltip(&out.response, &layer, &id);
            }
        }
        self.context_menu_ui(&out);
        self.edge_handles_ui(ui);
    }

    /// Two handles on the selected span's edges: drag one to move that edge (to the letter, not
    /// the word, so that a clitic can be left out). The span changes when the drag ends.
    fn edge_handles_ui(&mut self, ui: &mut egui::Ui) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(span) = self
            .selected_span
            .as_ref()
            .and_then(|id| session.editor.annotations().span(id))
            .cloned()
        else {
            return;
        };
        let doc = session.doc.clone();
        let rtl = |pos: usize| {
            let c = doc.slice(pos..pos + 1).unwrap_or("");
            crate::text::direction::first_strong(c).map_or_else(
                || {
                    let p = doc.paragraphs().paragraph_at_char(pos);
                    let text = doc
                        .paragraphs()
                        .get(p)
                        .map_or("", |p| doc.paragraph_text(p));
                    crate::text::direction::paragraph_direction(text).is_rtl()
                },
                |d| d.is_rtl(),
            )
        };
        let first = self
            .canvas
            .char_range_rects_in_ui(span.start..span.start + 1);
        let last = self.canvas.char_range_rects_in_ui(span.end - 1..span.end);
        let edges = [
            (first.first().copied(), rtl(span.start), true),
            (last.last().copied(), !rtl(span.end - 1), false),
        ];
        let stroke_color = ui.visuals().strong_text_color();
        for (rect, on_right, is_start) in edges {
            let Some(rect) = rect else { continue };
            let x = if on_right { rect.right() } else { rect.left() };
            let handle = egui::Rect::from_center_size(
                egui::pos2(x, rect.center().y),
                egui::vec2(8.0, rect.height()),
            );
            let id = egui::Id::unique(("hashiya-span-edge", is_start));
            let resp = ui.interact(handle, id, egui::Sense::drag());
            let name = if is_start {
                "Start of the selected span"
            } else {
                "End of the selected span"
            };
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Splitter, true, name));
            let resp = resp.on_hover_text(format!("{name}: drag to move it, letter by letter"));
            if resp.hovered() || resp.dragged() {
                ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
            }
            ui.painter().line_segment(
                [egui::pos2(x, handle.top()), egui::pos2(x, handle.bottom())],
                egui::Stroke::new(
                    if resp.hovered() || resp.dragged() {
                        3.0
                    } else {
                        2.0
                    },
                    stroke_color,
                ),
            );
            let target = resp
                .interact_pointer_pos()
                .and_then(|p| self.canvas.char_at_pos(p))
                .map(|c| doc.snap_to_grapheme(c, crate::model::segment::Snap::Nearest));
            let new_range = target.map(|c| {
                if is_start {
                    c.min(span.end)..span.end
                } else {
                    span.start..c.max(span.start)
                }
            });
            if resp.dragged() {
                if let Some(r) = new_range.clone().filter(|r| r.start < r.end) {
                    self.canvas.set_selection(Some(r));
                }
            }
            if resp.drag_stopped() {
                self.canvas.set_selection(None);
                if let Some(r) = new_range.filter(|r| r.start < r.end && *r != span.range()) {
                    let id = span.id.clone();
                    self.edit(|s, schema| {
                        let doc = s.doc.clone();
                        s.editor.resize_span(&doc, schema, &id, r.clone())
                    });
                }
            }
        }
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
            self.pick_span(&id, false);
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
