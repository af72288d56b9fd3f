//! The glyph atlas: each glyph is rasterized once with swash (at the physical pixel size it is
//! drawn at) into one egui texture, and drawn as textured quads. This file is the text engine's
//! boundary with egui (it produces egui textures and meshes).

use std::collections::HashMap;

use cosmic_text::{CacheKey, FontSystem, SwashCache, SwashContent};
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions};

const ATLAS_SIZE: usize = 1024;

/// Where a rasterized glyph is in the atlas and how it sits relative to its pen position.
#[derive(Debug, Clone, Copy)]
pub struct AtlasGlyph {
    /// UV rectangle (0..1).
    pub uv: Rect,
    /// Offset of the image's top-left from the pen position, physical pixels.
    pub left_px: i32,
    pub top_px: i32,
    pub width_px: u32,
    pub height_px: u32,
    /// A color bitmap (emoji): drawn untinted.
    pub is_color: bool,
}

/// Rasterized glyphs in one texture.
pub struct GlyphAtlas {
    swash: SwashCache,
    image: ColorImage,
    glyphs: HashMap<CacheKey, Option<AtlasGlyph>>,
    shelf_x: usize,
    shelf_y: usize,
    shelf_h: usize,
    /// Rows touched since the last upload.
    dirty_rows: Option<(usize, usize)>,
    texture: Option<TextureHandle>,
    cleared: bool,
}

impl Default for GlyphAtlas {
    fn default() -> Self {
        Self::new()
    }
}

impl GlyphAtlas {
    pub fn new() -> Self {
        Self {
            swash: SwashCache::new(),
            image: ColorImage::filled([ATLAS_SIZE, ATLAS_SIZE], Color32::TRANSPARENT),
            glyphs: HashMap::new(),
            shelf_x: 1,
            shelf_y: 1,
            shelf_h: 0,
            dirty_rows: None,
            texture: None,
            cleared: false,
        }
    }

    /// Number of glyph images held.
    pub fn len(&self) -> usize {
        self.glyphs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }

    /// The glyph for `key`, rasterized now if new. `None` for glyphs with no ink (spaces).
    /// When the atlas is full it is cleared (glyphs are rasterized again as needed).
    pub fn glyph(&mut self, fs: &mut FontSystem, key: CacheKey) -> Option<AtlasGlyph> {
        if let Some(g) = self.glyphs.get(&key) {
            return *g;
        }
        let entry = self.rasterize(fs, key);
        self.glyphs.insert(key, entry);
        entry
    }

    fn rasterize(&mut self, fs: &mut FontSystem, key: CacheKey) -> Option<AtlasGlyph> {
        let img = self.swash.get_image_uncached(fs, key)?;
        let (w, h) = (img.placement.width as usize, img.placement.height as usize);
        if w == 0 || h == 0 || w + 2 > ATLAS_SIZE || h + 2 > ATLAS_SIZE {
            return None;
        }
        if self.shelf_x + w + 1 > ATLAS_SIZE {
            self.shelf_x = 1;
            self.shelf_y += self.shelf_h + 1;
            self.shelf_h = 0;
        }
        if self.shelf_y + h + 1 > ATLAS_SIZE {
            self.clear();
        }
        let (x0, y0) = (self.shelf_x, self.shelf_y);
        let is_color = matches!(img.content, SwashContent::Color);
        for row in 0..h {
            for col in 0..w {
                let i = row * w + col;
                let px = match img.content {
                    SwashContent::Mask => {
                        let a = img.data.get(i).copied().unwrap_or(0);
                        Color32::from_rgba_premultiplied(a, a, a, a)
                    }
                    SwashContent::SubpixelMask => {
                        let a = img.data.get(i * 4 + 1).copied().unwrap_or(0);
                        Color32::from_rgba_premultiplied(a, a, a, a)
                    }
                    SwashContent::Color => {
                        let p = img.data.get(i * 4..i * 4 + 4).unwrap_or(&[0, 0, 0, 0]);
                        Color32::from_rgba_unmultiplied(p[0], p[1], p[2], p[3])
                    }
                };
                if let Some(dst) = self
                    .image
                    .pixels
                    .get_mut((y0 + row) * ATLAS_SIZE + x0 + col)
                {
                    *dst = px;
                }
            }
        }
        self.shelf_x += w + 1;
        self.shelf_h = self.shelf_h.max(h);
        self.dirty_rows = Some(match self.dirty_rows {
            Some((a, b)) => (a.min(y0), b.max(y0 + h)),
            None => (y0, y0 + h),
        });
        let s = ATLAS_SIZE as f32;
        Some(AtlasGlyph {
            uv: Rect::from_min_max(
                Pos2::new(x0 as f32 / s, y0 as f32 / s),
                Pos2::new((x0 + w) as f32 / s, (y0 + h) as f32 / s),
            ),
            left_px: img.placement.left,
            top_px: img.placement.top,
            width_px: w as u32,
            height_px: h as u32,
            is_color,
        })
    }

    /// Whether the atlas was cleared (full) since the last call: quads made before that point at
    /// stale places, so the caller should draw again.
    pub fn take_cleared(&mut self) -> bool {
        std::mem::take(&mut self.cleared)
    }

    fn clear(&mut self) {
        self.cleared = true;
        self.glyphs.clear();
        self.image.pixels.fill(Color32::TRANSPARENT);
        self.shelf_x = 1;
        self.shelf_y = 1;
        self.shelf_h = 0;
        self.dirty_rows = Some((0, ATLAS_SIZE));
    }

    /// The texture, uploading what changed since the last call.
    pub fn texture(&mut self, ctx: &egui::Context) -> egui::TextureId {
        let options = TextureOptions::NEAREST;
        match &mut self.texture {
            None => {
                let handle = ctx.load_texture("hashiya-glyph-atlas", self.image.clone(), options);
                let id = handle.id();
                self.texture = Some(handle);
                self.dirty_rows = None;
                id
            }
            Some(handle) => {
                if let Some((a, b)) = self.dirty_rows.take() {
                    let b = b.min(ATLAS_SIZE);
                    let rows = self
                        .image
                        .pixels
                        .get(a * ATLAS_SIZE..b * ATLAS_SIZE)
                        .unwrap_or(&[])
                        .to_vec();
                    let part = ColorImage::new([ATLAS_SIZE, b - a], rows);
                    handle.set_partial([0, a], part, options);
                }
                handle.id()
            }
        }
    }
}
