//! The document canvas: an Arabic document laid out with cosmic-text, drawn from the glyph atlas,
//! with highlights under the glyphs, a logical text selection, hit-testing and zoom.
//!
//! The canvas keeps its state across frames (layout cache, scroll anchor, selection). The caller
//! passes the document and a [`Highlights`] set each frame; it rebuilds the set only when its
//! annotations change (building indexes them; drawing queries only the visible chars).
//!
//! A frame ([`DocumentCanvas::show`]) runs these steps, each in its own file under `canvas/`:
//! `input` (keys, wheel, zoom), `keys` and `scrolling` (the scroll position, the caret of
//! `caret`), `visible` (layout of the visible paragraphs), `pointer` (selection and clicks), then
//! `paint` (the highlights of `highlight_shapes` and the selection under the glyphs, the glyphs,
//! the `tags` and the scroll bar over them).

mod caret;
mod highlight_shapes;
mod highlights;
mod input;
mod keys;
mod paint;
mod pointer;
mod scrolling;
mod tags;
mod visible;

use std::ops::Range;
use std::sync::{Arc, Mutex};

use egui::{CursorIcon, Pos2, Rect, Sense, Vec2};

use crate::model::Document;
use crate::text::{DocumentLayout, LayoutParams, TextEngine, VisibleChunk};

pub use highlights::{DifferenceKind, Highlight, HighlightStyle, Highlights};

/// Label AccessKit (and kittest) find the canvas by.
pub const CANVAS_LABEL: &str = "Document text";

/// Reading settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CanvasSettings {
    /// Text size in points at zoom 1.
    pub font_size: f32,
    /// Line height as a multiple of the text size.
    pub line_spacing: f32,
    /// Zoom factor (Ctrl+wheel, Ctrl+plus/minus, Ctrl+0 resets).
    pub zoom: f32,
    /// Space around the text, points.
    pub margin: f32,
    /// Draw label tags at span starts.
    pub show_tags: bool,
    /// Measure every paragraph on a background thread so the scroll bar becomes exact.
    pub measure_in_background: bool,
}

impl Default for CanvasSettings {
    fn default() -> Self {
        Self {
            font_size: 20.0,
            line_spacing: 1.9,
            zoom: 1.0,
            margin: 24.0,
            show_tags: true,
            measure_in_background: true,
        }
    }
}

/// What happened in the canvas this frame.
#[derive(Debug, Clone)]
pub struct CanvasResponse {
    pub response: egui::Response,
    /// Char under a click (no drag), if any.
    pub clicked_char: Option<usize>,
    /// Innermost highlight under a click, if any (an index into [`Highlights::items`]).
    pub clicked_highlight: Option<usize>,
    /// Set on the frame a selection is completed: drag released, double-click, or a keyboard
    /// extension.
    pub selection_finished: Option<Range<usize>>,
    /// The selection changed this frame.
    pub selection_changed: bool,
}

/// A visible chunk and where it was drawn (for hit-testing on the next frame).
#[derive(Debug, Clone, Copy)]
struct DrawnChunk {
    chunk: VisibleChunk,
    origin_in_ui: Pos2,
    height: f32,
}

/// The shared text engine of an egui context.
pub fn text_engine(ctx: &egui::Context) -> Arc<Mutex<TextEngine>> {
    ctx.data_mut(|d| {
        d.get_temp_mut_or_insert_with(egui::Id::NULL.with("hashiya-text-engine"), || {
            Arc::new(Mutex::new(TextEngine::new()))
        })
        .clone()
    })
}

/// The document view. Keep one across frames.
pub struct DocumentCanvas {
    pub settings: CanvasSettings,
    layout: Option<DocumentLayout>,
    /// Identity of the laid-out document (hash and length).
    doc_key: Option<(String, usize)>,
    selection: Option<Range<usize>>,
    /// Where the selection started (the fixed end) and where it is now, raw chars.
    sel_anchor: usize,
    sel_focus: usize,
    drawn: Vec<DrawnChunk>,
    text_rect: Rect,
    pending_scroll_to: Option<usize>,
    pending_scroll_by: f32,
    dragging_scrollbar: bool,
    /// The caret (the selection's moving end) has been placed by a click or a key.
    caret_placed: bool,
}

impl Default for DocumentCanvas {
    fn default() -> Self {
        Self::new()
    }
}

fn lock(engine: &Arc<Mutex<TextEngine>>) -> std::sync::MutexGuard<'_, TextEngine> {
    engine
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl DocumentCanvas {
    pub fn new() -> Self {
        Self {
            settings: CanvasSettings::default(),
            layout: None,
            doc_key: None,
            selection: None,
            sel_anchor: 0,
            sel_focus: 0,
            drawn: Vec::new(),
            text_rect: Rect::NOTHING,
            pending_scroll_to: None,
            pending_scroll_by: 0.0,
            dragging_scrollbar: false,
            caret_placed: false,
        }
    }

    /// The selected text range (document chars), if any.
    pub fn selection(&self) -> Option<Range<usize>> {
        self.selection.clone()
    }

    /// Sets (or clears) the selection, e.g. after tagging or when a span is picked from a list.
    pub fn set_selection(&mut self, range: Option<Range<usize>>) {
        if let Some(r) = &range {
            self.sel_anchor = r.start;
            self.sel_focus = r.end;
            self.caret_placed = true;
        }
        self.selection = range.filter(|r| r.start < r.end);
    }

    /// Scrolls so that document char `pos` is in view (about a third from the top), next frame.
    pub fn scroll_to_char(&mut self, pos: usize) {
        self.pending_scroll_to = Some(pos);
    }

    /// Is the exact document height still being measured in the background?
    pub fn is_measuring(&self) -> bool {
        self.layout.as_ref().is_some_and(|l| l.is_measuring())
    }

    /// Scrolls by `points` (positive = down the document) on the next frame.
    pub fn scroll_by(&mut self, points: f32) {
        self.pending_scroll_by += points;
    }

    /// The scroll position (paragraph, chunk, offset), e.g. to restore it later.
    pub fn anchor(&self) -> Option<crate::text::Anchor> {
        self.layout.as_ref().map(|l| l.anchor)
    }

    /// Screen rectangles (egui points) of a document char range, as drawn on the last frame
    /// (only the visible part).
    pub fn char_range_rects_in_ui(&self, range: Range<usize>) -> Vec<Rect> {
        match &self.layout {
            Some(layout) => self.drawn_rects_in_ui(layout, range),
            None => Vec::new(),
        }
    }

    /// [`Self::char_range_rects_in_ui`] with the layout given (during a frame, the canvas holds
    /// its layout outside `self.layout`).
    fn drawn_rects_in_ui(&self, layout: &DocumentLayout, range: Range<usize>) -> Vec<Rect> {
        let mut out = Vec::new();
        for d in &self.drawn {
            let Some(chunk) = layout.cached(d.chunk.paragraph, d.chunk.chunk) else {
                continue;
            };
            let base = d.chunk.paragraph_start_char;
            let local = range.start.saturating_sub(base)..range.end.saturating_sub(base);
            if range.end < base {
                continue;
            }
            for (li, x0, x1) in chunk.range_rects(local) {
                if let Some(line) = chunk.lines.get(li) {
                    out.push(Rect::from_min_max(
                        Pos2::new(d.origin_in_ui.x + x0, d.origin_in_ui.y + line.top),
                        Pos2::new(
                            d.origin_in_ui.x + x1,
                            d.origin_in_ui.y + line.top + line.height,
                        ),
                    ));
                }
            }
        }
        out
    }

    /// The document chars laid out on the last frame (the visible chunks, a little more than
    /// what shows), e.g. to list or count what is on screen.
    pub fn visible_chars(&self) -> Option<Range<usize>> {
        let layout = self.layout.as_ref()?;
        let chars = |d: &DrawnChunk| {
            layout.cached(d.chunk.paragraph, d.chunk.chunk).map(|c| {
                d.chunk.paragraph_start_char + c.chars.start
                    ..d.chunk.paragraph_start_char + c.chars.end
            })
        };
        let first = self.drawn.first().and_then(chars)?;
        let last = self.drawn.last().and_then(chars)?;
        Some(first.start..last.end)
    }

    /// The document char at a screen position (as drawn on the last frame), on a grapheme
    /// boundary.
    pub fn char_at_pos(&self, pos_in_ui: Pos2) -> Option<usize> {
        let layout = self.layout.as_ref()?;
        let d = self
            .drawn
            .iter()
            .find(|d| pos_in_ui.y < d.origin_in_ui.y + d.height)
            .or(self.drawn.last())?;
        let chunk = layout.cached(d.chunk.paragraph, d.chunk.chunk)?;
        let local = chunk.hit(
            pos_in_ui.x - d.origin_in_ui.x,
            pos_in_ui.y - d.origin_in_ui.y,
        );
        Some(d.chunk.paragraph_start_char + local)
    }

    fn params(&self, text_width: f32) -> LayoutParams {
        let font_size = (self.settings.font_size * self.settings.zoom).clamp(4.0, 200.0);
        LayoutParams {
            font_size,
            line_height: (font_size * self.settings.line_spacing).max(font_size),
            width: text_width.max(40.0),
        }
    }

    /// Shows the document filling the available space.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        highlights: &Highlights,
    ) -> CanvasResponse {
        let place = self.place(ui);
        let palette = paint::Palette::from_visuals(ui.visuals());
        let engine_arc = text_engine(ui.ctx());
        let mut engine = lock(&engine_arc);
        let mut out = CanvasResponse {
            response: place.response.clone(),
            clicked_char: None,
            clicked_highlight: None,
            selection_finished: None,
            selection_changed: false,
        };
        let input = input::read(ui, &place);
        self.apply_zoom(input.zoom_delta);

        let params = self.params(place.text_rect.width());
        let mut layout = self.layout_for(doc, params);
        let fs = &mut engine.fonts;
        self.scroll(&mut layout, fs, doc, &input, &place, &mut out);
        let total = self.scroll_bar_input(ui, &mut layout, fs, doc, &place);
        self.auto_scroll_while_selecting(&mut layout, fs, doc, &place);
        self.lay_out_visible(&mut layout, fs, doc, place.text_rect);
        self.layout = Some(layout);

        if !self.dragging_scrollbar {
            self.select_with_pointer(ui, doc, highlights, &place.response, input.alt, &mut out);
        }
        if place.response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }

        self.paint(
            ui,
            &mut engine,
            doc,
            highlights,
            &paint::Frame {
                place: &place,
                palette,
                font_size: params.font_size,
                focused: input.focused,
                total_height: total,
            },
        );
        if engine.atlas.take_cleared() {
            ui.ctx().request_repaint();
        }
        self.keep_measuring(ui.ctx(), doc);
        engine.end_frame();
        out
    }

    /// Takes the space left in `ui`, reports the canvas to AccessKit and divides it into the
    /// scroll bar and the text.
    fn place(&mut self, ui: &mut egui::Ui) -> Placement {
        let rect = ui.available_rect_before_wrap();
        let id = ui.scope_id().with("hashiya-document-canvas");
        let response = ui.interact(rect, id, Sense::click_and_drag());
        ui.advance_cursor_after_rect(rect);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Document, ui.is_enabled(), CANVAS_LABEL)
        });
        let margin = self.settings.margin;
        // Scroll bar on the left: the reading side of an Arabic page starts on the right.
        let bar_rect = Rect::from_min_size(rect.min, Vec2::new(SCROLLBAR_WIDTH, rect.height()));
        let text_rect = Rect::from_min_max(
            Pos2::new(
                rect.min.x + SCROLLBAR_WIDTH + margin,
                rect.min.y + margin * 0.5,
            ),
            Pos2::new(rect.max.x - margin, rect.max.y),
        );
        self.text_rect = text_rect;
        Placement {
            rect,
            id,
            response,
            bar_rect,
            text_rect,
        }
    }

    /// The layout of `doc` at `params`: kept from the last frame, or new for another document.
    fn layout_for(&mut self, doc: &Document, params: LayoutParams) -> DocumentLayout {
        let key = (doc.sha256().to_string(), doc.len_chars());
        let mut layout = match self.layout.take() {
            Some(layout) if self.doc_key.as_ref() == Some(&key) => layout,
            _ => {
                self.doc_key = Some(key);
                self.selection = None;
                self.drawn.clear();
                DocumentLayout::new(doc, params)
            }
        };
        layout.set_params(doc, params);
        layout
    }

    /// Exact heights come from a background thread; look again while it works.
    fn keep_measuring(&mut self, ctx: &egui::Context, doc: &Document) {
        if !self.settings.measure_in_background {
            return;
        }
        if let Some(layout) = &mut self.layout {
            layout.measure_in_background(doc);
            if layout.is_measuring() {
                ctx.request_repaint_after(std::time::Duration::from_millis(250));
            }
        }
    }
}

/// Width of the scroll bar, points.
const SCROLLBAR_WIDTH: f32 = 10.0;

/// Where the canvas is on screen this frame.
struct Placement {
    /// The whole canvas.
    rect: Rect,
    id: egui::Id,
    response: egui::Response,
    /// The scroll bar, on the left.
    bar_rect: Rect,
    /// The text, inside the margins.
    text_rect: Rect,
}
