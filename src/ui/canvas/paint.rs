//! Painting a frame, back to front: the background; per visible chunk the highlights, the
//! caret and the selection under the text; the glyphs (one mesh); then tags and the scroll bar
//! thumb over them.

use std::ops::Range;

use egui::{Color32, CornerRadius, Mesh, Pos2, Rect, Stroke, Vec2};

use super::highlight_shapes::paint_highlights;
use super::tags::paint_tags;
use super::{DocumentCanvas, DrawnChunk, Highlights, Placement, SCROLLBAR_WIDTH};
use crate::model::Document;
use crate::text::{ChunkLayout, DocumentLayout, TextEngine};

/// Colors derived from the egui theme.
#[derive(Debug, Clone, Copy)]
pub(super) struct Palette {
    pub background: Color32,
    pub text: Color32,
    pub selection: Color32,
    pub scrollbar: Color32,
    pub dark: bool,
}

impl Palette {
    pub fn from_visuals(v: &egui::Visuals) -> Self {
        if v.dark_mode {
            Self {
                background: Color32::from_rgb(0x1e, 0x1f, 0x22),
                text: Color32::from_rgb(0xe8, 0xe6, 0xe3),
                selection: Color32::from_rgba_unmultiplied(0x3d, 0x7e, 0xd8, 110),
                scrollbar: Color32::from_gray(90),
                dark: true,
            }
        } else {
            Self {
                background: Color32::from_rgb(0xfd, 0xfc, 0xf8),
                text: Color32::from_rgb(0x1b, 0x1b, 0x1b),
                selection: Color32::from_rgba_unmultiplied(0x3d, 0x7e, 0xd8, 90),
                scrollbar: Color32::from_gray(180),
                dark: false,
            }
        }
    }
}

/// What painting needs to know about this frame besides the canvas's own state.
pub(super) struct Frame<'a> {
    pub place: &'a Placement,
    pub palette: Palette,
    /// Text size in points (zoom applied).
    pub font_size: f32,
    /// The canvas has the keyboard focus (the caret is drawn).
    pub focused: bool,
    /// The document's height, points, for the scroll bar thumb.
    pub total_height: f32,
}

impl DocumentCanvas {
    /// Paints the frame laid out by the steps before.
    pub(super) fn paint(
        &self,
        ui: &egui::Ui,
        engine: &mut TextEngine,
        doc: &Document,
        highlights: &Highlights,
        frame: &Frame<'_>,
    ) {
        let place = frame.place;
        let margin = self.settings.margin;
        let painter = ui.painter_at(place.rect);
        painter.rect_filled(place.rect, CornerRadius::ZERO, frame.palette.background);
        let text_painter = ui.painter_at(
            place
                .text_rect
                .expand2(Vec2::new(margin * 0.5, margin * 0.5)),
        );
        let ppp = ui.ctx().pixels_per_point();
        let texture = engine.atlas.texture(ui.ctx());
        let mut mesh = Mesh::with_texture(texture);
        if let Some(layout) = &self.layout {
            for d in &self.drawn {
                let Some(chunk) = layout.cached(d.chunk.paragraph, d.chunk.chunk) else {
                    continue;
                };
                self.paint_under_text(&text_painter, chunk, d, highlights, frame);
                crate::text::render::add_glyphs(
                    engine,
                    &mut mesh,
                    &chunk.lines,
                    d.origin_in_ui,
                    place.text_rect.expand(margin),
                    ppp,
                    frame.palette.text,
                );
            }
            // The document's glyphs, then tags over them.
            text_painter.add(egui::Shape::mesh(std::mem::replace(
                &mut mesh,
                Mesh::with_texture(texture),
            )));
            if self.settings.show_tags {
                for d in &self.drawn {
                    if let Some(chunk) = layout.cached(d.chunk.paragraph, d.chunk.chunk) {
                        paint_tags(
                            &text_painter,
                            engine,
                            &mut mesh,
                            chunk,
                            d,
                            highlights,
                            frame.font_size,
                            frame.palette,
                        );
                    }
                }
            }
            paint_scroll_thumb(&painter, layout, doc, frame);
        }
        text_painter.add(egui::Shape::mesh(mesh));
    }

    /// What lies under one chunk's glyphs: its highlights, the caret and the selection.
    fn paint_under_text(
        &self,
        painter: &egui::Painter,
        chunk: &ChunkLayout,
        d: &DrawnChunk,
        highlights: &Highlights,
        frame: &Frame<'_>,
    ) {
        let base = d.chunk.paragraph_start_char;
        let doc_range = base + chunk.chars.start..base + chunk.chars.end;
        paint_highlights(
            painter,
            chunk,
            d.origin_in_ui,
            base,
            doc_range.clone(),
            highlights,
            frame.font_size,
            frame.palette,
        );
        if self.selection.is_none()
            && self.caret_placed
            && frame.focused
            && (doc_range.start..=doc_range.end).contains(&self.sel_focus)
        {
            paint_caret(painter, chunk, d, self.sel_focus - base, frame);
        }
        if let Some(sel) = &self.selection {
            if sel.start < doc_range.end.max(doc_range.start + 1) && sel.end > doc_range.start {
                let local = sel.start.saturating_sub(base)..sel.end.saturating_sub(base);
                paint_selection(painter, chunk, d, local, frame.palette.selection);
            }
        }
    }
}

/// The caret before paragraph-local char `pos`: a vertical bar from above the letters to below
/// the baseline.
fn paint_caret(
    painter: &egui::Painter,
    chunk: &ChunkLayout,
    d: &DrawnChunk,
    pos: usize,
    frame: &Frame<'_>,
) {
    let (li, x) = chunk.caret(pos);
    if let Some(line) = chunk.lines.get(li) {
        let x = d.origin_in_ui.x + x;
        let y = d.origin_in_ui.y + line.baseline;
        painter.line_segment(
            [
                Pos2::new(x, y - frame.font_size * 1.0),
                Pos2::new(x, y + frame.font_size * 0.45),
            ],
            Stroke::new(1.5, frame.palette.text),
        );
    }
}

/// The text selection: the theme's selection colour over the whole line height of the
/// paragraph-local chars `local`.
fn paint_selection(
    painter: &egui::Painter,
    chunk: &ChunkLayout,
    d: &DrawnChunk,
    local: Range<usize>,
    color: Color32,
) {
    for (li, x0, x1) in chunk.range_rects(local) {
        if let Some(line) = chunk.lines.get(li) {
            painter.rect_filled(
                Rect::from_min_max(
                    Pos2::new(d.origin_in_ui.x + x0, d.origin_in_ui.y + line.top),
                    Pos2::new(
                        d.origin_in_ui.x + x1,
                        d.origin_in_ui.y + line.top + line.height,
                    ),
                ),
                CornerRadius::ZERO,
                color,
            );
        }
    }
}

/// The scroll bar's thumb: where the view is in the document, and how much of it shows.
fn paint_scroll_thumb(
    painter: &egui::Painter,
    layout: &DocumentLayout,
    doc: &Document,
    frame: &Frame<'_>,
) {
    let (bar_rect, text_rect) = (frame.place.bar_rect, frame.place.text_rect);
    let total = frame.total_height;
    let y = layout.anchor_y_in_doc(doc);
    let frac_top = (y / total).clamp(0.0, 1.0);
    let frac_len = (text_rect.height() / total).clamp(0.02, 1.0);
    let thumb = Rect::from_min_size(
        Pos2::new(
            bar_rect.left() + 2.0,
            bar_rect.top() + frac_top * bar_rect.height(),
        ),
        Vec2::new(
            SCROLLBAR_WIDTH - 4.0,
            (frac_len * bar_rect.height()).max(12.0),
        ),
    );
    if total > text_rect.height() {
        painter.rect_filled(thumb, CornerRadius::same(3), frame.palette.scrollbar);
    }
}
