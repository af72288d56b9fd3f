//! The document canvas: an Arabic document laid out with cosmic-text, drawn from the glyph atlas,
//! with highlights under the glyphs, a logical text selection, hit-testing and zoom.
//!
//! The canvas keeps its state across frames (layout cache, scroll anchor, selection). The caller
//! passes the document and a [`Highlights`] set each frame; it rebuilds the set only when its
//! annotations change (building indexes them; drawing queries only the visible chars).

use std::ops::Range;
use std::sync::{Arc, Mutex};

use egui::{
    Color32, CornerRadius, CursorIcon, Event, Key, Mesh, Modifiers, Pos2, Rect, Sense, Stroke,
    StrokeKind, Vec2,
};

use crate::model::segment::Snap;
use crate::model::Document;
use crate::text::intervals::IntervalIndex;
use crate::text::{DocumentLayout, LayoutParams, TextEngine, VisibleChunk};

/// Label AccessKit (and kittest) find the canvas by.
pub const CANVAS_LABEL: &str = "Document text";

/// One annotation to draw: its char pieces (one unless discontinuous), color and tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    /// Document char ranges, end exclusive.
    pub pieces: Vec<Range<usize>>,
    pub color: Color32,
    /// Short text drawn at the start of the first piece (a label name); empty for none.
    pub tag: String,
    /// Not yet accepted (e.g. a model suggestion): drawn as an outline, not a fill.
    pub suggested: bool,
    /// The span the user has selected: drawn with a strong border.
    pub selected: bool,
}

/// A set of highlights indexed by char range. Build it when annotations change, not every frame.
#[derive(Debug, Clone, Default)]
pub struct Highlights {
    items: Vec<Highlight>,
    /// Pieces: (range, highlight index).
    index: IntervalIndex<usize>,
    /// Stacking lane of each highlight (0 = outermost), so nested and overlapping spans get
    /// separate underline bands.
    lanes: Vec<u8>,
}

impl Highlights {
    pub fn new(items: Vec<Highlight>) -> Self {
        let pieces: Vec<(Range<usize>, usize)> = items
            .iter()
            .enumerate()
            .flat_map(|(i, h)| h.pieces.iter().map(move |r| (r.clone(), i)))
            .collect();
        // Lanes: longest first among those starting together; a lane is free once its span ended.
        let mut order: Vec<usize> = (0..items.len()).collect();
        let extent = |h: &Highlight| {
            let s = h.pieces.iter().map(|r| r.start).min().unwrap_or(0);
            let e = h.pieces.iter().map(|r| r.end).max().unwrap_or(0);
            (s, e)
        };
        order.sort_by_key(|&i| {
            let (s, e) = items.get(i).map(extent).unwrap_or((0, 0));
            (s, std::cmp::Reverse(e))
        });
        let mut lane_ends: Vec<usize> = Vec::new();
        let mut lanes = vec![0u8; items.len()];
        for i in order {
            let Some((s, e)) = items.get(i).map(extent) else {
                continue;
            };
            let lane = match lane_ends.iter().position(|&end| end <= s) {
                Some(l) => l,
                None => {
                    lane_ends.push(0);
                    lane_ends.len() - 1
                }
            };
            if let Some(end) = lane_ends.get_mut(lane) {
                *end = e;
            }
            if let Some(l) = lanes.get_mut(i) {
                *l = lane.min(7) as u8;
            }
        }
        Self {
            items,
            index: IntervalIndex::new(pieces),
            lanes,
        }
    }

    pub fn items(&self) -> &[Highlight] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Marks highlight `selected` (or none) as selected, without rebuilding the index.
    pub fn set_selected(&mut self, selected: Option<usize>) {
        for (i, h) in self.items.iter_mut().enumerate() {
            h.selected = Some(i) == selected;
        }
    }

    /// Indices of the highlights with a piece overlapping `range`.
    pub fn overlapping(&self, range: Range<usize>) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .index
            .overlapping(range)
            .into_iter()
            .filter_map(|p| self.index.get(p).map(|x| x.1))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The innermost highlight containing char `pos` (the shortest), for clicks.
    pub fn innermost_at(&self, pos: usize) -> Option<usize> {
        self.index
            .overlapping(pos..pos + 1)
            .into_iter()
            .filter_map(|p| self.index.get(p))
            .min_by_key(|(r, _)| r.len())
            .map(|(_, h)| *h)
    }
}

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

/// Colors derived from the egui theme.
#[derive(Debug, Clone, Copy)]
struct Palette {
    background: Color32,
    text: Color32,
    selection: Color32,
    scrollbar: Color32,
    dark: bool,
}

impl Palette {
    fn from_visuals(v: &egui::Visuals) -> Self {
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
        let Some(layout) = &self.layout else {
            return Vec::new();
        };
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

    fn snapped(&self, doc: &Document, precise: bool) -> Option<Range<usize>> {
        let (a, b) = (
            self.sel_anchor.min(self.sel_focus),
            self.sel_anchor.max(self.sel_focus),
        );
        if precise {
            let a = doc.snap_to_grapheme(a, Snap::Nearest);
            let b = doc.snap_to_grapheme(b, Snap::Nearest);
            return (a < b).then_some(a..b);
        }
        if a == b {
            return doc.word_at(a).filter(|w| w.contains(&a));
        }
        let r = doc.expand_to_words(a..b);
        (r.start < r.end).then_some(r)
    }

    /// Shows the document filling the available space.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        highlights: &Highlights,
    ) -> CanvasResponse {
        let rect = ui.available_rect_before_wrap();
        let id = ui.scope_id().with("hashiya-document-canvas");
        let response = ui.interact(rect, id, Sense::click_and_drag());
        ui.advance_cursor_after_rect(rect);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Document, ui.is_enabled(), CANVAS_LABEL)
        });
        let palette = Palette::from_visuals(ui.visuals());
        let engine_arc = text_engine(ui.ctx());
        let mut engine = lock(&engine_arc);
        let mut out = CanvasResponse {
            response: response.clone(),
            clicked_char: None,
            clicked_highlight: None,
            selection_finished: None,
            selection_changed: false,
        };

        let scrollbar_w = 10.0;
        let margin = self.settings.margin;
        // Scroll bar on the left: the reading side of an Arabic page starts on the right.
        let bar_rect = Rect::from_min_size(rect.min, Vec2::new(scrollbar_w, rect.height()));
        let text_rect = Rect::from_min_max(
            Pos2::new(rect.min.x + scrollbar_w + margin, rect.min.y + margin * 0.5),
            Pos2::new(rect.max.x - margin, rect.max.y),
        );
        self.text_rect = text_rect;

        // Keys and wheel.
        if response.clicked() || response.drag_started() {
            response.request_focus();
        }
        let hovered = response.hovered() || response.contains_pointer();
        let focused = response.has_focus();
        if focused {
            // Arrows and Escape are ours while focused (egui would move focus with them).
            ui.memory_mut(|m| {
                m.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        tab: false,
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        escape: true,
                    },
                );
            });
        }
        let (zoom_delta, scroll_y, keys, alt) = ui.input_mut(|i| {
            let mut zoom = if hovered { i.zoom_delta() } else { 1.0 };
            let mut keys = Vec::new();
            if focused || hovered {
                if i.consume_key(Modifiers::COMMAND, Key::Plus)
                    || i.consume_key(Modifiers::COMMAND, Key::Equals)
                {
                    zoom *= 1.1;
                }
                if i.consume_key(Modifiers::COMMAND, Key::Minus) {
                    zoom /= 1.1;
                }
                if i.consume_key(Modifiers::COMMAND, Key::Num0) {
                    zoom = 0.0; // reset
                }
            }
            if focused {
                for e in &i.events {
                    if let Event::Key {
                        key,
                        pressed: true,
                        modifiers,
                        ..
                    } = e
                    {
                        keys.push((*key, *modifiers));
                    }
                }
            }
            let scroll = if hovered && i.modifiers.is_none() {
                i.smooth_scroll_delta.y
            } else if hovered && i.modifiers.shift_only() {
                i.smooth_scroll_delta.y + i.smooth_scroll_delta.x
            } else {
                0.0
            };
            if scroll != 0.0 {
                i.smooth_scroll_delta = Vec2::ZERO; // ours: an enclosing scroll area must not scroll too
            }
            (zoom, scroll, keys, i.modifiers.alt)
        });
        if zoom_delta == 0.0 {
            self.settings.zoom = 1.0;
        } else if (zoom_delta - 1.0).abs() > f32::EPSILON {
            self.settings.zoom = (self.settings.zoom * zoom_delta).clamp(0.3, 6.0);
        }

        // Layout for this document and size.
        let key = (doc.sha256().to_string(), doc.len_chars());
        let params = self.params(text_rect.width());
        if self.doc_key.as_ref() != Some(&key) || self.layout.is_none() {
            self.layout = Some(DocumentLayout::new(doc, params));
            self.doc_key = Some(key);
            self.selection = None;
            self.drawn.clear();
        }
        let Some(mut layout) = self.layout.take() else {
            return out;
        };
        layout.set_params(doc, params);
        let fs = &mut engine.fonts;
        if let Some(pos) = self.pending_scroll_to.take() {
            layout.scroll_to_char(fs, doc, pos, text_rect.height());
        }
        let line_h = params.line_height;
        let mut scroll = -scroll_y + std::mem::take(&mut self.pending_scroll_by);
        for (key, mods) in &keys {
            match key {
                Key::PageDown => scroll += text_rect.height() * 0.9,
                Key::PageUp => scroll -= text_rect.height() * 0.9,
                Key::ArrowDown if !mods.shift => scroll += line_h,
                Key::ArrowUp if !mods.shift => scroll -= line_h,
                Key::Home if mods.command => layout.jump_to_y(fs, doc, 0.0),
                Key::End if mods.command => {
                    let total = layout.total_height();
                    layout.jump_to_y(fs, doc, (total - text_rect.height() * 0.5).max(0.0));
                }
                Key::Escape => {
                    out.selection_changed |= self.selection.take().is_some();
                }
                Key::ArrowLeft | Key::ArrowRight => {
                    let had = self.selection.clone();
                    self.move_caret_by_key(&mut layout, doc, *key, *mods);
                    if self.selection != had {
                        out.selection_changed = true;
                        if mods.shift {
                            out.selection_finished = self.selection.clone();
                        }
                    }
                    // Keep the caret in view.
                    let focus = self.sel_focus;
                    let shown = self
                        .char_range_rects_in_ui(focus.saturating_sub(1)..focus + 1)
                        .iter()
                        .any(|r| r.top() >= text_rect.top() && r.bottom() <= text_rect.bottom());
                    if !shown {
                        layout.scroll_to_char(fs, doc, focus, text_rect.height());
                    }
                }
                _ => {}
            }
        }
        if scroll != 0.0 {
            layout.scroll_by(fs, doc, scroll);
        }

        // Scroll bar.
        let total = layout.total_height().max(1.0);
        let bar_response = ui.interact(bar_rect, id.with("scrollbar"), Sense::click_and_drag());
        if let Some(p) = bar_response.interact_pointer_pos() {
            if bar_response.dragged() || bar_response.clicked() {
                let frac = ((p.y - bar_rect.top()) / bar_rect.height()).clamp(0.0, 1.0);
                layout.jump_to_y(fs, doc, frac * total);
                self.dragging_scrollbar = true;
            }
        } else {
            self.dragging_scrollbar = false;
        }

        // Auto-scroll while drag-selecting beyond the edges.
        if response.dragged() {
            if let Some(p) = response.interact_pointer_pos() {
                if p.y < text_rect.top() {
                    layout.scroll_by(fs, doc, -(text_rect.top() - p.y).min(60.0) * 0.5);
                } else if p.y > text_rect.bottom() {
                    layout.scroll_by(fs, doc, (p.y - text_rect.bottom()).min(60.0) * 0.5);
                }
            }
        }

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
        self.layout = Some(layout);

        // Pointer: selection and clicks.
        if !self.dragging_scrollbar {
            if response.double_clicked() {
                if let Some(c) = response
                    .interact_pointer_pos()
                    .or_else(|| ui.input(|i| i.pointer.interact_pos()))
                    .and_then(|p| self.char_at_pos(p))
                {
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
                if let Some(c) = response
                    .interact_pointer_pos()
                    .or_else(|| ui.input(|i| i.pointer.interact_pos()))
                    .and_then(|p| self.char_at_pos(p))
                {
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
        if response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }

        // Paint.
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::ZERO, palette.background);
        let text_painter = ui.painter_at(text_rect.expand2(Vec2::new(margin * 0.5, margin * 0.5)));
        let ppp = ui.ctx().pixels_per_point();
        let texture = engine.atlas.texture(ui.ctx());
        let mut mesh = Mesh::with_texture(texture);
        if let Some(layout) = &self.layout {
            for d in &self.drawn {
                let Some(chunk) = layout.cached(d.chunk.paragraph, d.chunk.chunk) else {
                    continue;
                };
                let base = d.chunk.paragraph_start_char;
                let doc_range = base + chunk.chars.start..base + chunk.chars.end;
                paint_highlights(
                    &text_painter,
                    chunk,
                    d.origin_in_ui,
                    base,
                    doc_range.clone(),
                    highlights,
                    params.font_size,
                    palette,
                );
                if self.selection.is_none()
                    && self.caret_placed
                    && focused
                    && (doc_range.start..=doc_range.end).contains(&self.sel_focus)
                {
                    let (li, x) = chunk.caret(self.sel_focus - base);
                    if let Some(line) = chunk.lines.get(li) {
                        let x = d.origin_in_ui.x + x;
                        let y = d.origin_in_ui.y + line.baseline;
                        text_painter.line_segment(
                            [
                                Pos2::new(x, y - params.font_size * 1.0),
                                Pos2::new(x, y + params.font_size * 0.45),
                            ],
                            Stroke::new(1.5, palette.text),
                        );
                    }
                }
                if let Some(sel) = &self.selection {
                    if sel.start < doc_range.end.max(doc_range.start + 1)
                        && sel.end > doc_range.start
                    {
                        let local = sel.start.saturating_sub(base)..sel.end.saturating_sub(base);
                        for (li, x0, x1) in chunk.range_rects(local) {
                            if let Some(line) = chunk.lines.get(li) {
                                text_painter.rect_filled(
                                    Rect::from_min_max(
                                        Pos2::new(
                                            d.origin_in_ui.x + x0,
                                            d.origin_in_ui.y + line.top,
                                        ),
                                        Pos2::new(
                                            d.origin_in_ui.x + x1,
                                            d.origin_in_ui.y + line.top + line.height,
                                        ),
                                    ),
                                    CornerRadius::ZERO,
                                    palette.selection,
                                );
                            }
                        }
                    }
                }
                crate::text::render::add_glyphs(
                    &mut engine,
                    &mut mesh,
                    &chunk.lines,
                    d.origin_in_ui,
                    text_rect.expand(margin),
                    ppp,
                    palette.text,
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
                            &mut engine,
                            &mut mesh,
                            chunk,
                            d,
                            highlights,
                            params.font_size,
                            palette,
                        );
                    }
                }
            }
            // Scroll bar thumb.
            let y = layout.anchor_y_in_doc(doc);
            let frac_top = (y / total).clamp(0.0, 1.0);
            let frac_len = (text_rect.height() / total).clamp(0.02, 1.0);
            let thumb = Rect::from_min_size(
                Pos2::new(
                    bar_rect.left() + 2.0,
                    bar_rect.top() + frac_top * bar_rect.height(),
                ),
                Vec2::new(scrollbar_w - 4.0, (frac_len * bar_rect.height()).max(12.0)),
            );
            if total > text_rect.height() {
                painter.rect_filled(thumb, CornerRadius::same(3), palette.scrollbar);
            }
        }
        text_painter.add(egui::Shape::mesh(mesh));
        if engine.atlas.take_cleared() {
            ui.ctx().request_repaint();
        }

        // Exact heights come from a background thread; look again while it works.
        if self.settings.measure_in_background {
            if let Some(layout) = &mut self.layout {
                layout.measure_in_background(doc);
                if layout.is_measuring() {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(250));
                }
            }
        }
        engine.end_frame();
        out
    }

    /// Left/Right move the caret by a grapheme (Ctrl: a word) in reading order; with Shift they
    /// extend the selection from its fixed end instead.
    fn move_caret_by_key(
        &mut self,
        layout: &mut DocumentLayout,
        doc: &Document,
        key: Key,
        mods: Modifiers,
    ) {
        if !self.caret_placed {
            // No click yet: start at the first char on screen.
            let start = self.drawn.first().map_or(0, |d| {
                d.chunk.paragraph_start_char
                    + layout
                        .cached(d.chunk.paragraph, d.chunk.chunk)
                        .map_or(0, |c| c.chars.start)
            });
            self.sel_anchor = start;
            self.sel_focus = start;
            self.caret_placed = true;
        }
        let p = doc.paragraphs().paragraph_at_char(self.sel_focus);
        let rtl = layout.paragraph_direction(doc, p).is_rtl();
        let forward = (key == Key::ArrowLeft) == rtl;
        let pos = self.sel_focus;
        let len = doc.len_chars();
        let next = if mods.command {
            if forward {
                let mut q = (pos + 1).min(len);
                while q < len && doc.word_at(q).is_none_or(|w| w.end == q && w.start < q) {
                    q += 1;
                }
                doc.word_at(q).map_or(q, |w| w.end.max(q))
            } else {
                let mut q = pos.saturating_sub(1);
                while q > 0 && doc.word_at(q).is_none() {
                    q -= 1;
                }
                doc.word_at(q).map_or(q, |w| w.start)
            }
        } else if forward {
            doc.snap_to_grapheme((pos + 1).min(len), Snap::Forward)
        } else {
            doc.snap_to_grapheme(pos.saturating_sub(1), Snap::Backward)
        };
        self.sel_focus = next;
        if !mods.shift {
            self.sel_anchor = next;
        }
        let (a, b) = (
            self.sel_anchor.min(self.sel_focus),
            self.sel_anchor.max(self.sel_focus),
        );
        self.selection = (a < b).then_some(a..b);
    }
}

#[allow(clippy::too_many_arguments)]
fn paint_highlights(
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

/// Label tags at span starts: a small colored plate with the tag shaped by our engine (tags may
/// be Arabic), its glyphs added to `mesh` (drawn after the plates).
#[allow(clippy::too_many_arguments)]
fn paint_tags(
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
        let (plate, ink) = if h.suggested {
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
