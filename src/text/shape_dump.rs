//! Shaping output in HarfBuzz's notation, to compare our shaping with `hb-shape` on the same fonts
//! (`hashiya shape FILE`).

use cosmic_text::{fontdb, Buffer, FontSystem, Metrics, Shaping, Wrap};

use super::direction::{paragraph_direction, Direction};
use super::fonts::{text_attrs, BUNDLED_FONTS};
use super::layout::shaping_text;

/// One glyph as hb-shape reports it, in font units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpGlyph {
    pub glyph_id: u16,
    /// Char index within the paragraph.
    pub cluster: usize,
    pub x_advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
    /// File name of the bundled font that shaped it.
    pub font: String,
    pub rtl: bool,
}

impl DumpGlyph {
    /// `gid=cluster@xoff,yoff+adv` as hb-shape writes it (`@…` only when an offset is not 0).
    pub fn hb_notation(&self, cluster_base: usize) -> String {
        let mut s = format!(
            "{}={}",
            self.glyph_id,
            self.cluster.saturating_sub(cluster_base)
        );
        if self.x_offset != 0 || self.y_offset != 0 {
            s.push_str(&format!("@{},{}", self.x_offset, self.y_offset));
        }
        s.push_str(&format!("+{}", self.x_advance));
        s
    }
}

/// A paragraph's direction and glyphs in visual order (left to right).
#[derive(Debug, Clone)]
pub struct ShapedParagraph {
    pub direction: Direction,
    pub glyphs: Vec<DumpGlyph>,
}

impl ShapedParagraph {
    /// `[g|g|…]` as hb-shape writes a buffer.
    pub fn hb_notation(&self) -> String {
        let parts: Vec<String> = self.glyphs.iter().map(|g| g.hb_notation(0)).collect();
        format!("[{}]", parts.join("|"))
    }
}

fn font_file_name(fs: &FontSystem, id: fontdb::ID) -> String {
    let Some(face) = fs.db().face(id) else {
        return String::from("?");
    };
    let family = face.families.first().map(|(n, _)| n.as_str()).unwrap_or("");
    BUNDLED_FONTS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| {
            let squashed: String = family.chars().filter(|c| !c.is_whitespace()).collect();
            name.starts_with(&squashed)
        })
        .unwrap_or("?")
        .to_string()
}

/// Shapes one paragraph (no line breaks) the way the canvas does and reports its glyphs.
pub fn shape_paragraph(fs: &mut FontSystem, text: &str) -> ShapedParagraph {
    let direction = paragraph_direction(text);
    let (shaping, mark_bytes) = shaping_text(text, direction);
    let mut buffer = Buffer::new(fs, Metrics::new(1.0, 1.0));
    buffer.set_wrap(Wrap::None);
    buffer.set_size(None, None);
    buffer.set_text(&shaping, &text_attrs(), Shaping::Advanced, None);
    buffer.shape_until_scroll(fs, false);
    let mut char_starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    char_starts.push(text.len());
    let mut glyphs = Vec::new();
    for run in buffer.layout_runs() {
        for g in run.glyphs {
            if g.start < mark_bytes {
                continue;
            }
            let local = g.start - mark_bytes;
            let cluster = char_starts.partition_point(|&b| b < local);
            let upem = fs
                .get_font(g.font_id, g.font_weight)
                .map_or(1000.0, |f| f32::from(f.metrics().units_per_em));
            let units = |v: f32| (v * upem).round() as i32;
            glyphs.push(DumpGlyph {
                glyph_id: g.glyph_id,
                cluster,
                x_advance: units(g.w / g.font_size.max(f32::EPSILON)),
                x_offset: units(g.x_offset),
                y_offset: units(g.y_offset),
                font: font_file_name(fs, g.font_id),
                rtl: g.level.is_rtl(),
            });
        }
    }
    ShapedParagraph { direction, glyphs }
}
