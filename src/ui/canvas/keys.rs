//! Keys pressed while the canvas has focus: paging and line scrolling, Ctrl+Home/End, Escape,
//! and the caret (Left/Right, with Shift extending the selection).

use cosmic_text::FontSystem;
use egui::{Key, Modifiers};

use super::{CanvasResponse, DocumentCanvas, Placement};
use crate::model::Document;
use crate::text::DocumentLayout;

impl DocumentCanvas {
    /// Applies `keys` in order. Scrolling by keys is added to `scroll` (points, positive down the
    /// document) for the caller to apply once; jumps and caret moves act at once.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn handle_keys(
        &mut self,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        keys: &[(Key, Modifiers)],
        place: &Placement,
        scroll: &mut f32,
        out: &mut CanvasResponse,
    ) {
        let text_rect = place.text_rect;
        let line_h = layout.params().line_height;
        for (key, mods) in keys {
            match key {
                Key::PageDown => *scroll += text_rect.height() * 0.9,
                Key::PageUp => *scroll -= text_rect.height() * 0.9,
                Key::ArrowDown if !mods.shift => *scroll += line_h,
                Key::ArrowUp if !mods.shift => *scroll -= line_h,
                Key::Home if mods.command => layout.jump_to_y(fs, doc, 0.0),
                Key::End if mods.command => {
                    let total = layout.total_height();
                    layout.jump_to_y(fs, doc, (total - text_rect.height() * 0.5).max(0.0));
                }
                Key::Escape => {
                    out.selection_changed |= self.selection.take().is_some();
                }
                Key::ArrowLeft | Key::ArrowRight => {
                    self.move_caret_and_follow(layout, fs, doc, *key, *mods, place, out);
                }
                _ => {}
            }
        }
    }

    /// Moves the caret (or extends the selection with Shift) and scrolls to it if it is not on
    /// screen.
    #[allow(clippy::too_many_arguments)]
    fn move_caret_and_follow(
        &mut self,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        key: Key,
        mods: Modifiers,
        place: &Placement,
        out: &mut CanvasResponse,
    ) {
        let had = self.selection.clone();
        self.move_caret_by_key(layout, doc, key, mods);
        if self.selection != had {
            out.selection_changed = true;
            if mods.shift {
                out.selection_finished = self.selection.clone();
            }
        }
        // Keep the caret in view.
        let text_rect = place.text_rect;
        let focus = self.sel_focus;
        let shown = self
            .drawn_rects_in_ui(layout, focus.saturating_sub(1)..focus + 1)
            .iter()
            .any(|r| r.top() >= text_rect.top() && r.bottom() <= text_rect.bottom());
        if !shown {
            layout.scroll_to_char(fs, doc, focus, text_rect.height());
        }
    }
}
