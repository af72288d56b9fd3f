//! Short strings (list rows, tooltips, search hits) shaped with the same engine as the document,
//! with bidi, cached by (text, size, width).

use std::collections::HashMap;

use cosmic_text::FontSystem;

use super::direction::paragraph_direction;
use super::layout::{ChunkLayout, LayoutParams};

/// A laid-out label and its ink extent.
#[derive(Debug, Clone)]
pub struct LabelLayout {
    pub layout: ChunkLayout,
    /// Leftmost and rightmost x of its glyphs (points).
    pub x_min: f32,
    pub x_max: f32,
}

impl LabelLayout {
    pub fn width(&self) -> f32 {
        (self.x_max - self.x_min).max(0.0)
    }

    pub fn height(&self) -> f32 {
        self.layout.height
    }
}

/// Cache of laid-out labels; entries unused for a while are dropped.
#[derive(Default)]
pub struct LabelCache {
    entries: HashMap<(String, u32, u32), (LabelLayout, u64)>,
    frame: u64,
}

impl LabelCache {
    /// The layout of `text` at `font_size`, wrapped at `max_width` (points; `None` = one line).
    pub fn get(
        &mut self,
        fs: &mut FontSystem,
        text: &str,
        font_size: f32,
        max_width: Option<f32>,
    ) -> &LabelLayout {
        let width = max_width.unwrap_or(100_000.0).max(10.0);
        let key = (text.to_string(), font_size.to_bits(), width.to_bits());
        let frame = self.frame;
        let entry = self.entries.entry(key).or_insert_with(|| {
            let params = LayoutParams {
                font_size,
                line_height: font_size * 1.5,
                width,
            };
            let n = text.chars().count();
            let layout = ChunkLayout::new(fs, text, 0..n, paragraph_direction(text), &params);
            let mut x_min = f32::MAX;
            let mut x_max = f32::MIN;
            for c in layout.lines.iter().flat_map(|l| &l.clusters) {
                x_min = x_min.min(c.x_left);
                x_max = x_max.max(c.x_right);
            }
            if x_min > x_max {
                x_min = 0.0;
                x_max = 0.0;
            }
            (
                LabelLayout {
                    layout,
                    x_min,
                    x_max,
                },
                frame,
            )
        });
        entry.1 = frame;
        &entry.0
    }

    /// Drops labels not used in the last `keep_frames` frames; call once per frame.
    pub fn end_frame(&mut self, keep_frames: u64) {
        self.frame += 1;
        if self.frame.is_multiple_of(64) {
            let frame = self.frame;
            self.entries
                .retain(|_, (_, used)| *used + keep_frames >= frame);
        }
    }
}
