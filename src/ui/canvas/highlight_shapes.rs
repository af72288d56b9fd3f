//! Highlights drawn under the glyphs: a band per piece and line in the highlight's style, with a
//! lane per nesting level, then the marker of a compare/curation difference.

use std::ops::Range;

use egui::{Color32, CornerRadius, Pos2, Rect, Stroke, StrokeKind};

use super::highlights::{DifferenceKind, Highlight, HighlightStyle};
use super::paint::Palette;
use super::Highlights;
use crate::text::ChunkLayout;

/// Where one piece of a highlight sits on one visual line, in egui points.
struct Band {
    /// Around the letters, inset by the lane.
    rect: Rect,
    /// The y of the lane's underline.
    underline_y: f32,
}

/// Paints the highlights overlapping `doc_range` (the chunk's document chars) on `chunk`.
#[allow(clippy::too_many_arguments)]
pub(super) fn paint_highlights(
    painter: &egui::Painter,
    chunk: &ChunkLayout,
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
            for (li, x0, x1) in chunk.range_rects(local.clone()) {
                let Some(line) = chunk.lines.get(li) else {
                    continue;
                };
                let baseline = origin_in_ui.y + line.baseline;
                let top = baseline - font_size * 1.05 + lane * font_size * 0.08;
                let bottom = baseline + font_size * 0.55 - lane * font_size * 0.08;
                let band = Band {
                    rect: Rect::from_min_max(
                        Pos2::new(origin_in_ui.x + x0, top),
                        Pos2::new(origin_in_ui.x + x1, bottom.max(top + 2.0)),
                    ),
                    underline_y: baseline + font_size * 0.62 + lane * 3.5,
                };
                paint_band(painter, h, &band, palette);
                if h.difference == Some(DifferenceKind::Unmatched) {
                    zigzag(painter, &band, h.color);
                }
                if h.selected {
                    let stroke_color = if palette.dark {
                        Color32::WHITE
                    } else {
                        Color32::BLACK
                    };
                    painter.rect_stroke(
                        band.rect.expand(1.5),
                        CornerRadius::same(4),
                        Stroke::new(2.0, stroke_color),
                        StrokeKind::Outside,
                    );
                }
            }
            if let Some(kind) = h.difference {
                let ends = PieceEnds::new(chunk, origin_in_ui, &local, paragraph_start, piece);
                paint_edge_marker(painter, kind, &ends, h.color, font_size, lane);
            }
        }
    }
}

/// One band of `h` in its style (a suggestion is always outlined with a dashed foot).
fn paint_band(painter: &egui::Painter, h: &Highlight, band: &Band, palette: Palette) {
    let rect = band.rect;
    if h.suggested {
        painter.rect_stroke(
            rect,
            CornerRadius::same(3),
            Stroke::new(1.2, h.color),
            StrokeKind::Inside,
        );
        // Dashes along the bottom mark a suggestion.
        dashes(
            painter,
            rect.left(),
            rect.right(),
            rect.bottom() - 1.0,
            4.0,
            3.0,
            Stroke::new(2.0, h.color),
        );
        return;
    }
    let underline = |stroke: f32| {
        painter.line_segment(
            [
                Pos2::new(rect.left(), band.underline_y),
                Pos2::new(rect.right(), band.underline_y),
            ],
            Stroke::new(stroke, h.color),
        );
    };
    match h.style {
        HighlightStyle::Fill => {
            let alpha = if palette.dark { 80 } else { 70 };
            let fill =
                Color32::from_rgba_unmultiplied(h.color.r(), h.color.g(), h.color.b(), alpha);
            painter.rect_filled(rect, CornerRadius::same(3), fill);
            // Underline band per stacking lane keeps nested spans apart.
            underline(2.5);
        }
        HighlightStyle::Outline => {
            painter.rect_stroke(
                rect,
                CornerRadius::same(3),
                Stroke::new(1.5, h.color),
                StrokeKind::Inside,
            );
        }
        HighlightStyle::Underline => underline(2.5),
        HighlightStyle::Dashed => dashes(
            painter,
            rect.left(),
            rect.right(),
            band.underline_y,
            6.0,
            3.0,
            Stroke::new(2.5, h.color),
        ),
        HighlightStyle::Dotted => dashes(
            painter,
            rect.left(),
            rect.right(),
            band.underline_y,
            2.0,
            2.5,
            Stroke::new(2.5, h.color),
        ),
    }
}

/// A horizontal line at `y` from `left` to `right`, drawn as dashes `on` long, `off` apart.
fn dashes(
    painter: &egui::Painter,
    left: f32,
    right: f32,
    y: f32,
    on: f32,
    off: f32,
    stroke: Stroke,
) {
    let mut x = left;
    while x < right {
        let x2 = (x + on).min(right);
        painter.line_segment([Pos2::new(x, y), Pos2::new(x2, y)], stroke);
        x += on + off;
    }
}

/// A zigzag just under the band: the span has no counterpart in the other layer.
fn zigzag(painter: &egui::Painter, band: &Band, color: Color32) {
    let y = band.underline_y + 3.0;
    let step = 3.0;
    let mut points = Vec::new();
    let mut x = band.rect.left();
    let mut up = true;
    while x < band.rect.right() {
        points.push(Pos2::new(x, if up { y - 1.5 } else { y + 1.5 }));
        x += step;
        up = !up;
    }
    points.push(Pos2::new(band.rect.right(), y));
    if points.len() >= 2 {
        painter.add(egui::Shape::line(points, Stroke::new(1.3, color)));
    }
}

/// Where a piece's logical start and end are drawn (x in egui points, and the line's baseline),
/// when they are in this chunk.
struct PieceEnds {
    start: Option<(f32, f32)>,
    end: Option<(f32, f32)>,
}

impl PieceEnds {
    fn new(
        chunk: &ChunkLayout,
        origin_in_ui: Pos2,
        local: &Range<usize>,
        paragraph_start: usize,
        piece: &Range<usize>,
    ) -> Self {
        let in_chunk = |pos: usize| chunk.chars.start <= pos && pos <= chunk.chars.end;
        let at = |pos: usize| {
            let (li, x) = chunk.caret(pos);
            chunk
                .lines
                .get(li)
                .map(|l| (origin_in_ui.x + x, origin_in_ui.y + l.baseline))
        };
        let start = (piece.start >= paragraph_start && in_chunk(local.start))
            .then(|| at(local.start))
            .flatten();
        let end = in_chunk(local.end).then(|| at(local.end)).flatten();
        Self { start, end }
    }
}

/// The marker of a boundary or label difference at a piece's ends.
fn paint_edge_marker(
    painter: &egui::Painter,
    kind: DifferenceKind,
    ends: &PieceEnds,
    color: Color32,
    font_size: f32,
    lane: f32,
) {
    let bar = |(x, baseline): (f32, f32)| {
        painter.line_segment(
            [
                Pos2::new(x, baseline - font_size * 1.2 + lane * 2.0),
                Pos2::new(x, baseline + font_size * 0.75),
            ],
            Stroke::new(2.5, color),
        );
    };
    match kind {
        DifferenceKind::Unmatched => {}
        DifferenceKind::Boundary => {
            ends.start.into_iter().chain(ends.end).for_each(bar);
        }
        DifferenceKind::CliticBoundary => {
            if let Some((x, baseline)) = ends.start {
                bar((x, baseline));
                painter.circle_filled(
                    Pos2::new(x, baseline - font_size * 1.2 + lane * 2.0),
                    3.0,
                    color,
                );
            }
        }
        DifferenceKind::Label => {
            if let Some((x, baseline)) = ends.start {
                let top = baseline - font_size * 1.25 + lane * 2.0;
                let s = (font_size * 0.3).max(4.0);
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        Pos2::new(x, top),
                        Pos2::new(x + s * 0.6, top - s),
                        Pos2::new(x - s * 0.6, top - s),
                    ],
                    color,
                    Stroke::NONE,
                ));
            }
        }
    }
}
