//! The text engine: cosmic-text shaping and layout with bundled fonts, lazy per-paragraph layout,
//! hit-testing and range → rectangles, and a glyph atlas drawn as egui meshes.
//!
//! It knows char ranges and colors, not labels. Char offsets at its boundary are the model's
//! (Unicode scalar values); byte offsets stay inside. Coordinate names: `*_in_ui` (egui points),
//! `*_in_chunk` (points from a laid-out chunk's top-left), `*_px` (physical pixels).

pub mod atlas;
pub mod direction;
pub mod document_layout;
pub mod fonts;
pub mod intervals;
pub mod label;
pub mod layout;
pub mod render;
pub mod sanitize;
pub mod shape_dump;

use cosmic_text::FontSystem;

pub use atlas::GlyphAtlas;
pub use direction::Direction;
pub use document_layout::{Anchor, DocumentLayout, VisibleChunk};
pub use layout::{ChunkLayout, LayoutParams};

/// Fonts and rasterized glyphs, shared by everything that draws text (one per egui context).
pub struct TextEngine {
    pub fonts: FontSystem,
    pub atlas: GlyphAtlas,
    pub labels: label::LabelCache,
}

impl Default for TextEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl TextEngine {
    pub fn new() -> Self {
        Self {
            fonts: fonts::bundled_font_system(),
            atlas: GlyphAtlas::new(),
            labels: label::LabelCache::default(),
        }
    }

    /// Call once per frame: ages cosmic-text's shaping cache so it does not grow without bound.
    pub fn end_frame(&mut self) {
        self.fonts.shape_run_cache.trim(600);
        self.labels.end_frame(600);
    }
}
