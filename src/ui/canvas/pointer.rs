//! The mouse on the text: drag to select (whole words, or letters with Alt), double-click for a
//! word, click for a char and the highlight under it.

use super::{CanvasResponse, DocumentCanvas, Highlights};
use crate::model::Document;

impl DocumentCanvas {
    /// Turns this frame's clicks and drags on the text into a selection or a click.
    pub(super) fn select_with_pointer(
        &mut self,
        ui: &egui::Ui,
        doc: &Document,
        highlights: &Highlights,
        response: &egui::Response,
        alt: bool,
        out: &mut CanvasResponse,
    ) {
        let pointer_char = |canvas: &Self| {
            response
                .interact_pointer_pos()
                .or_else(|| ui.input(|i| i.pointer.interact_pos()))
                .and_then(|p| canvas.char_at_pos(p))
        };
        if response.double_clicked() {
            if let Some(c) = pointer_char(self) {
                self.selection = doc.word_at(c);
                if let Some(w) = &self.selection {
                    self.sel_anchor = w.start;
                    self.sel_focus = w.end;
                }
                out.selection_changed = true;
                out.selection_finished = self.selection.clone();
            }
        } else if response.drag_started() {
            // Anchor where the button went down, not where the drag was recognised.
            let origin = ui
                .input(|i| i.pointer.press_origin())
                .or(response.interact_pointer_pos());
            if let Some(c) = origin.and_then(|p| self.char_at_pos(p)) {
                self.sel_anchor = c;
                self.sel_focus = c;
                self.caret_placed = true;
                self.selection = self.snapped(doc, alt);
                out.selection_changed = true;
            }
        } else if response.dragged() {
            if let Some(c) = response
                .interact_pointer_pos()
                .and_then(|p| self.char_at_pos(p))
            {
                self.sel_focus = c;
                let s = self.snapped(doc, alt);
                if s != self.selection {
                    self.selection = s;
                    out.selection_changed = true;
                }
            }
        } else if response.drag_stopped() {
            out.selection_finished = self.selection.clone();
        } else if response.clicked() {
            if let Some(c) = pointer_char(self) {
                out.clicked_char = Some(c);
                out.clicked_highlight = highlights.innermost_at(c);
                if self.selection.take().is_some() {
                    out.selection_changed = true;
                }
                self.sel_anchor = c;
                self.sel_focus = c;
                self.caret_placed = true;
            }
        }
    }
}
