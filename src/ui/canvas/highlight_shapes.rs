//! Highlights drawn under the glyphs: a band per piece and line, in the highlight's style, with an
//! underline lane per nesting level.

use std::ops::Range;

use egui::{Color32, CornerRadius, Pos2, Rect, Stroke, StrokeKind};

use super::paint::Palette;
use super::Highlights;

/// Paints the highlights overlapping `doc_range` (the chunk's document chars) on `chunk`.
#[allow(clippy::too_many_arguments)]
pub(super) fn paint_highlights(
    painter: &egui::Painter,
    chunk: &crate::text::ChunkLayout,
    origin_in_ui: Pos2,
    paragraph_start: usize,
    doc_range: Range<usize>,
    highlights: &Highlights,
    font_size: f32,
    palette: Palette,
) {
    let query = doc_range.start..doc_range.end.max(doc_range.start + 1);
    for hi in highlights.overlapping(query) {
        let Some(h) = highlights.items.get(hi) else {
            continue;
        };
        let lane = highlights.lanes.get(hi).copied().unwrap_or(0) as f32;
        for piece in &h.pieces {
            if piece.end <= doc_range.start || piece.start >= doc_range.end {
                continue;
            }
            let local = piece.start.saturating_sub(paragraph_start)
                ..piece.end.saturating_sub(paragraph_start);
            for (li, x0, x1) in chunk.range_rects(local) {
                let Some(line) = chunk.lines.get(li) else {
                    continue;
                };
                let baseline = origin_in_ui.y + line.baseline;
                let top = baseline - font_size * 1.05 + lane * font_size * 0.08;
                let bottom = baseline + font_size * 0.55 - lane * font_size * 0.08;
                let band = Rect::from_min_max(
                    Pos2::new(origin_in_ui.x + x0, top),
                    Pos2::new(origin_in_ui.x + x1, bottom.max(top + 2.0)),
                );
                let alpha = if palette.dark { 80 } else { 70 };
                let fill =
                    Color32::from_rgba_unmultiplied(h.color.r(), h.color.g(), h.color.b(), alpha);
                if h.suggested {
                    painter.rect_stroke(
                        band,
                        CornerRadius::same(3),
                        Stroke::new(1.2, h.color),
                        StrokeKind::Inside,
                    );
                    // Dashes along the bottom mark a suggestion.
                    let y = band.bottom() - 1.0;
                    let mut x = band.left();
                    while x < band.right() {
                        let x2 = (x + 4.0).min(band.right());
                        painter.line_segment(
                            [Pos2::new(x, y), Pos2::new(x2, y)],
                            Stroke::new(2.0, h.color),
                        );
                        x += 7.0;
                    }
                } else {
                    painter.rect_filled(band, CornerRadius::same(3), fill);
                    // Underline band per stacking lane keeps nested spans apart.
                    let uy = baseline + font_size * 0.62 + lane * 3.5;
                    painter.line_segment(
                        [Pos2::new(band.left(), uy), Pos2::new(band.right(), uy)],
                        Stroke::new(2.5, h.color),
                    );
                }
                if h.selected {
                    let stroke_color = if palette.dark {
                        Color32::WHITE
                    } else {
                        Color32::BLACK
                    };
                    painter.rect_stroke(
                        band.expand(1.5),
                        CornerRadius::same(4),
                        Stroke::new(2.0, stroke_color),
                        StrokeKind::Outside,
                    );
                }
            }
        }
    }
}
