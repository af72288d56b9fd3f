//! The scroll position: requests from the caller, keys and the wheel, the scroll bar, and
//! scrolling on while a drag-selection goes past the top or bottom edge.

use cosmic_text::FontSystem;
use egui::Sense;

use super::input::FrameInput;
use super::{CanvasResponse, DocumentCanvas, Placement};
use crate::model::Document;
use crate::text::DocumentLayout;

impl DocumentCanvas {
    /// Applies a pending `scroll_to_char`, then the keys (in order), then the wheel and a
    /// pending `scroll_by` together.
    pub(super) fn scroll(
        &mut self,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        input: &FrameInput,
        place: &Placement,
        out: &mut CanvasResponse,
    ) {
        if let Some(pos) = self.pending_scroll_to.take() {
            layout.scroll_to_char(fs, doc, pos, place.text_rect.height());
        }
        let mut scroll = -input.scroll_y + std::mem::take(&mut self.pending_scroll_by);
        self.handle_keys(layout, fs, doc, &input.keys, place, &mut scroll, out);
        if scroll != 0.0 {
            layout.scroll_by(fs, doc, scroll);
        }
    }

    /// A click or drag on the scroll bar jumps there. Returns the document's height (points) as
    /// known before the jump, which the thumb is drawn with.
    pub(super) fn scroll_bar_input(
        &mut self,
        ui: &egui::Ui,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        place: &Placement,
    ) -> f32 {
        let total = layout.total_height().max(1.0);
        let bar_rect = place.bar_rect;
        let bar_response = ui.interact(
            bar_rect,
            place.id.with("scrollbar"),
            Sense::click_and_drag(),
        );
        if let Some(p) = bar_response.interact_pointer_pos() {
            if bar_response.dragged() || bar_response.clicked() {
                let frac = ((p.y - bar_rect.top()) / bar_rect.height()).clamp(0.0, 1.0);
                layout.jump_to_y(fs, doc, frac * total);
                self.dragging_scrollbar = true;
            }
        } else {
            self.dragging_scrollbar = false;
        }
        total
    }

    /// While drag-selecting beyond the text's top or bottom edge, scrolls that way (faster the
    /// further the pointer is).
    pub(super) fn auto_scroll_while_selecting(
        &mut self,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        place: &Placement,
    ) {
        if !place.response.dragged() {
            return;
        }
        let text_rect = place.text_rect;
        if let Some(p) = place.response.interact_pointer_pos() {
            if p.y < text_rect.top() {
                layout.scroll_by(fs, doc, -(text_rect.top() - p.y).min(60.0) * 0.5);
            } else if p.y > text_rect.bottom() {
                layout.scroll_by(fs, doc, (p.y - text_rect.bottom()).min(60.0) * 0.5);
            }
        }
    }
}
