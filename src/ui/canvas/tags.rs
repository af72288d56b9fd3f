//! Label tags over the text: a small plate with the label name at the start of each highlight.

use egui::{Color32, CornerRadius, Mesh, Pos2, Rect, Vec2};

use super::highlights::HighlightStyle;
use super::paint::Palette;
use super::{DrawnChunk, Highlights};
use crate::text::TextEngine;

/// Label tags at span starts: a small colored plate with the tag shaped by our engine (tags may
/// be Arabic), its glyphs added to `mesh` (drawn after the plates).
#[allow(clippy::too_many_arguments)]
pub(super) fn paint_tags(
    painter: &egui::Painter,
    engine: &mut TextEngine,
    mesh: &mut Mesh,
    chunk: &crate::text::ChunkLayout,
    d: &DrawnChunk,
    highlights: &Highlights,
    font_size: f32,
    palette: Palette,
) {
    let base = d.chunk.paragraph_start_char;
    let range = base + chunk.chars.start..base + chunk.chars.end.max(chunk.chars.start + 1);
    let tag_size = (font_size * 0.45).max(7.0);
    let ppp = painter.ctx().pixels_per_point();
    for hi in highlights.overlapping(range.clone()) {
        let Some(h) = highlights.items.get(hi) else {
            continue;
        };
        let Some(start) = h.pieces.iter().map(|r| r.start).min() else {
            continue;
        };
        if h.tag.is_empty() || !range.contains(&start) {
            continue;
        }
        let lane = highlights.lanes.get(hi).copied().unwrap_or(0) as f32;
        let (li, x) = chunk.caret(start - base);
        let Some(line) = chunk.lines.get(li) else {
            continue;
        };
        let label = engine
            .labels
            .get(&mut engine.fonts, &h.tag, tag_size, None)
            .clone();
        let Some(first_line) = label.layout.lines.first() else {
            continue;
        };
        let size = Vec2::new(label.width() + 4.0, tag_size * 1.3);
        let bottom = d.origin_in_ui.y + line.baseline - font_size * 1.05
            + lane * font_size * 0.08
            + size.y * 0.4;
        let min = if chunk.direction.is_rtl() {
            Pos2::new(d.origin_in_ui.x + x - size.x, bottom - size.y)
        } else {
            Pos2::new(d.origin_in_ui.x + x, bottom - size.y)
        };
        let rect = Rect::from_min_size(min, size);
        // A filled plate for a filled highlight; the others get a hollow one, as their bands are.
        let (plate, ink) = if h.suggested || h.style != HighlightStyle::Fill {
            (palette.background, h.color)
        } else {
            (h.color, contrast_text(h.color))
        };
        painter.rect_filled(rect, CornerRadius::same(2), plate);
        let origin = Pos2::new(
            rect.min.x + 2.0 - label.x_min,
            rect.min.y + tag_size * 1.02 - first_line.baseline,
        );
        crate::text::render::add_glyphs(
            engine,
            mesh,
            &label.layout.lines,
            origin,
            Rect::EVERYTHING,
            ppp,
            ink,
        );
    }
}

/// Black or white, whichever reads better on `c`.
fn contrast_text(c: Color32) -> Color32 {
    let l = 0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b());
    if l > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}
