//! Shaping output in HarfBuzz's notation, to compare our shaping with `hb-shape` on the same fonts
//! (`hashiya shape FILE`).

use cosmic_text::{fontdb, AttrsList, BufferLine, FontSystem, LineEnding, Shaping};

use super::direction::{paragraph_direction, Direction};
use super::fonts::{bundled_font_files, text_attrs};
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
    /// Which cosmic-text word (shaping unit) it came from, numbered in logical order.
    pub word: usize,
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
    bundled_font_files()
        .map(|(name, _)| name)
        .find(|name| {
            let squashed: String = family.chars().filter(|c| !c.is_whitespace()).collect();
            name.starts_with(&squashed)
        })
        .unwrap_or("?")
        .to_string()
}

/// Shapes one paragraph (no line breaks) the way the canvas does and reports its glyphs in visual
/// order: bidi runs reordered (rule L2), words of a right-to-left run reversed, and each word's
/// glyphs in the order HarfBuzz gives them (visual).
pub fn shape_paragraph(fs: &mut FontSystem, text: &str) -> ShapedParagraph {
    let direction = paragraph_direction(text);
    let (shaping, mark_bytes) = shaping_text(text, direction);
    let mut line = BufferLine::new(
        shaping,
        LineEnding::None,
        AttrsList::new(&text_attrs()),
        Shaping::Advanced,
    );
    let shape = line.shape(fs, 8).clone();
    let mut char_starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    char_starts.push(text.len());
    // Rule L2: from the highest level down to the lowest odd level, reverse every run of spans
    // at that level or higher.
    let levels: Vec<u8> = shape.spans.iter().map(|s| s.level.number()).collect();
    let mut order: Vec<usize> = (0..shape.spans.len()).collect();
    let max = levels.iter().copied().max().unwrap_or(0);
    let min_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(max + 1);
    let mut level = max;
    while level >= min_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels.get(order[i]).copied().unwrap_or(0) >= level {
                let mut j = i;
                while j < order.len() && levels.get(order[j]).copied().unwrap_or(0) >= level {
                    j += 1;
                }
                order[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    // Logical word numbers: the words of span i start at word_base[i] (in logical order, the
    // stored order reversed where cosmic-text reversed it).
    let mut word_base = Vec::with_capacity(shape.spans.len());
    let mut n = 0;
    for span in &shape.spans {
        word_base.push(n);
        n += span.words.len();
    }
    let mut glyphs = Vec::new();
    for si in order {
        let Some(span) = shape.spans.get(si) else {
            continue;
        };
        // cosmic-text stores words in logical order, except in spans whose direction differs from
        // the line's (reversed), and each word's glyphs in HarfBuzz's visual order, except in
        // right-to-left lines (reversed). Undo both, then lay words out left to right.
        let span_rtl = span.level.is_rtl();
        let mut words: Vec<(usize, &cosmic_text::ShapeWord)> = span
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| (word_base.get(si).copied().unwrap_or(0) + i, w))
            .collect();
        if span_rtl != shape.rtl {
            words.reverse();
        }
        if span_rtl {
            words.reverse();
        }
        let mut span_glyphs = Vec::new();
        for (wi, w) in words {
            let mut g: Vec<(usize, &cosmic_text::ShapeGlyph)> =
                w.glyphs.iter().map(|g| (wi, g)).collect();
            if shape.rtl {
                g.reverse();
            }
            span_glyphs.extend(g);
        }
        {
            for (word, g) in span_glyphs {
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
                    x_advance: units(g.x_advance),
                    x_offset: units(g.x_offset),
                    y_offset: units(g.y_offset),
                    font: font_file_name(fs, g.font_id),
                    rtl: span.level.is_rtl(),
                    word,
                });
            }
        }
    }
    ShapedParagraph { direction, glyphs }
}
