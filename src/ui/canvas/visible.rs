//! Layout of the visible paragraphs: which chunks reach the viewport, laid out (or taken from the
//! cache), and where each is drawn this frame.

use cosmic_text::FontSystem;
use egui::{Pos2, Rect};

use super::{DocumentCanvas, DrawnChunk};
use crate::model::Document;
use crate::text::DocumentLayout;

impl DocumentCanvas {
    /// Lays out the chunks visible from the scroll position in `text_rect` and remembers where
    /// they go (painting, hit-testing and the caller's rectangle queries use this).
    pub(super) fn lay_out_visible(
        &mut self,
        layout: &mut DocumentLayout,
        fs: &mut FontSystem,
        doc: &Document,
        text_rect: Rect,
    ) {
        let visible = layout.visible(fs, doc, text_rect.height());
        self.drawn = visible
            .iter()
            .filter_map(|v| {
                layout.cached(v.paragraph, v.chunk).map(|c| DrawnChunk {
                    chunk: *v,
                    origin_in_ui: Pos2::new(text_rect.left(), text_rect.top() + v.y_in_view),
                    height: c.height,
                })
            })
            .collect();
    }
}
