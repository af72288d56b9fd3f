//! Layout of one paragraph chunk with cosmic-text, and everything measured on it: visual lines,
//! clusters, hit-testing (point → char) and logical range → rectangles.
//!
//! Coordinates here are in points relative to the chunk's top-left corner (`x_in_chunk`,
//! `y_in_chunk`). Char offsets are local to the paragraph (the chunk knows where it starts).
//! Byte offsets exist only inside this file.

use std::ops::Range;

use cosmic_text::{Buffer, FontSystem, LayoutGlyph, Metrics, Shaping, Wrap};

use super::direction::{first_strong, Direction};
use super::fonts::text_attrs;
use super::sanitize::sanitize;
use crate::model::segment::grapheme_boundaries;

/// Font size, line height and wrap width, all in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutParams {
    pub font_size: f32,
    pub line_height: f32,
    pub width: f32,
}

/// A run of glyphs that share one cluster (a grapheme, or several when a ligature joins them, as
/// lam-alef does), in visual order within its line.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub x_left: f32,
    pub x_right: f32,
    /// Paragraph-local chars.
    pub chars: Range<usize>,
    pub rtl: bool,
}

/// One visual line of a chunk.
#[derive(Debug, Clone)]
pub struct VisualLine {
    pub top: f32,
    pub height: f32,
    /// Baseline, from the chunk's top.
    pub baseline: f32,
    /// Clusters left to right.
    pub clusters: Vec<Cluster>,
    /// Glyphs left to right, for drawing.
    pub glyphs: Vec<LayoutGlyph>,
    /// Paragraph-local chars this line holds (logical min..max).
    pub chars: Range<usize>,
}

/// A laid-out piece of a paragraph (the whole paragraph unless it is very long).
#[derive(Debug, Clone)]
pub struct ChunkLayout {
    /// Paragraph-local char range of the chunk.
    pub chars: Range<usize>,
    pub direction: Direction,
    pub lines: Vec<VisualLine>,
    pub height: f32,
    /// Sum of glyph advances, for width estimates of paragraphs not yet laid out.
    pub total_advance: f32,
    /// Paragraph-local grapheme boundaries inside the chunk (including both ends).
    graphemes: Vec<usize>,
}

/// Marks that force cosmic-text's per-line direction detection to our paragraph direction.
const RLM: &str = "\u{200F}";
const LRM: &str = "\u{200E}";

/// The text handed to cosmic-text for a chunk: an optional direction mark, then the sanitized
/// chunk. Returns (text, byte length of the mark).
pub fn shaping_text(chunk_text: &str, direction: Direction) -> (String, usize) {
    let clean = sanitize(chunk_text);
    let mark = match (first_strong(&clean), direction) {
        (Some(d), want) if d == want => "",
        (None, Direction::Ltr) => "",
        (_, Direction::Rtl) => RLM,
        (_, Direction::Ltr) => LRM,
    };
    let mut s = String::with_capacity(mark.len() + clean.len());
    s.push_str(mark);
    s.push_str(&clean);
    (s, mark.len())
}

/// A cosmic-text buffer holding one chunk, shaped and laid out. Returns it with the mark length.
pub fn shape_chunk(
    font_system: &mut FontSystem,
    chunk_text: &str,
    direction: Direction,
    params: &LayoutParams,
) -> (Buffer, usize) {
    let (text, mark_bytes) = shaping_text(chunk_text, direction);
    let mut buffer = Buffer::new(
        font_system,
        Metrics::new(params.font_size.max(1.0), params.line_height.max(1.0)),
    );
    buffer.set_wrap(Wrap::WordOrGlyph);
    buffer.set_size(Some(params.width.max(10.0)), None);
    buffer.set_text(&text, &text_attrs(), Shaping::Advanced, None);
    buffer.shape_until_scroll(font_system, false);
    (buffer, mark_bytes)
}

impl ChunkLayout {
    /// Lays out `chunk_text`, the chars `chars` of a paragraph, with the paragraph's direction.
    pub fn new(
        font_system: &mut FontSystem,
        chunk_text: &str,
        chars: Range<usize>,
        direction: Direction,
        params: &LayoutParams,
    ) -> Self {
        let (buffer, mark_bytes) = shape_chunk(font_system, chunk_text, direction, params);
        // Byte offset (in the chunk text) of each char start, plus the end.
        let mut char_starts: Vec<usize> = chunk_text.char_indices().map(|(b, _)| b).collect();
        char_starts.push(chunk_text.len());
        let byte_to_char = |byte: usize| -> usize {
            let local = byte.saturating_sub(mark_bytes);
            chars.start + char_starts.partition_point(|&b| b < local)
        };
        let graphemes: Vec<usize> = grapheme_boundaries(chunk_text)
            .into_iter()
            .map(|g| g + chars.start)
            .collect();
        let mut lines = Vec::new();
        let mut total_advance = 0.0;
        for run in buffer.layout_runs() {
            let mut clusters: Vec<Cluster> = Vec::new();
            let mut glyphs = Vec::with_capacity(run.glyphs.len());
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            for g in run.glyphs {
                if g.end <= mark_bytes {
                    continue; // the direction mark
                }
                total_advance += g.w;
                let cs = byte_to_char(g.start.max(mark_bytes));
                let ce = byte_to_char(g.end).max(cs);
                lo = lo.min(cs);
                hi = hi.max(ce);
                let rtl = g.level.is_rtl();
                match clusters.last_mut() {
                    Some(c) if c.chars == (cs..ce) && c.rtl == rtl => {
                        c.x_left = c.x_left.min(g.x);
                        c.x_right = c.x_right.max(g.x + g.w);
                    }
                    _ => clusters.push(Cluster {
                        x_left: g.x,
                        x_right: g.x + g.w,
                        chars: cs..ce,
                        rtl,
                    }),
                }
                glyphs.push(g.clone());
            }
            merge_zero_width(&mut clusters);
            if lo == usize::MAX {
                lo = lines
                    .last()
                    .map_or(chars.start, |l: &VisualLine| l.chars.end);
                hi = lo;
            }
            lines.push(VisualLine {
                top: run.line_top,
                height: run.line_height,
                baseline: run.line_y,
                clusters,
                glyphs,
                chars: lo..hi,
            });
        }
        if lines.is_empty() {
            lines.push(VisualLine {
                top: 0.0,
                height: params.line_height,
                baseline: params.line_height * 0.5 + params.font_size * 0.35,
                clusters: Vec::new(),
                glyphs: Vec::new(),
                chars: chars.start..chars.start,
            });
        }
        let height = lines.last().map_or(0.0, |l| l.top + l.height);
        Self {
            chars,
            direction,
            lines,
            height,
            total_advance,
            graphemes,
        }
    }

    /// Grapheme boundaries inside `range` (both ends included).
    fn grapheme_bounds_in(&self, range: &Range<usize>) -> Vec<usize> {
        let lo = self.graphemes.partition_point(|&g| g < range.start);
        let hi = self.graphemes.partition_point(|&g| g <= range.end);
        let mut v: Vec<usize> = self.graphemes.get(lo..hi).unwrap_or(&[]).to_vec();
        if v.first() != Some(&range.start) {
            v.insert(0, range.start);
        }
        if v.last() != Some(&range.end) {
            v.push(range.end);
        }
        v
    }

    /// The visual line at `y_in_chunk` (clamped to the first or last line).
    pub fn line_at_y(&self, y_in_chunk: f32) -> usize {
        self.lines
            .iter()
            .position(|l| y_in_chunk < l.top + l.height)
            .unwrap_or(self.lines.len().saturating_sub(1))
    }

    /// The paragraph-local char offset nearest to a point: the boundary between graphemes closest
    /// to the pointer, correct in right-to-left and mixed lines and inside ligatures (a ligature's
    /// width is shared equally among the graphemes it joins).
    pub fn hit(&self, x_in_chunk: f32, y_in_chunk: f32) -> usize {
        self.snap_to_grapheme(self.hit_cluster_edge(x_in_chunk, y_in_chunk))
    }

    /// The grapheme boundary nearest to `pos` (cosmic-text shapes word by word, so a mark after a
    /// space can form a cluster of its own although it belongs to the space's grapheme).
    fn snap_to_grapheme(&self, pos: usize) -> usize {
        let i = self.graphemes.partition_point(|&g| g < pos);
        match (
            i.checked_sub(1).and_then(|j| self.graphemes.get(j)),
            self.graphemes.get(i),
        ) {
            (_, Some(&after)) if after == pos => pos,
            (Some(&before), Some(&after)) => {
                if pos - before <= after - pos {
                    before
                } else {
                    after
                }
            }
            (Some(&before), None) => before,
            (None, Some(&after)) => after,
            (None, None) => pos,
        }
    }

    fn hit_cluster_edge(&self, x_in_chunk: f32, y_in_chunk: f32) -> usize {
        let Some(line) = self.lines.get(self.line_at_y(y_in_chunk)) else {
            return self.chars.start;
        };
        // Beyond a line's ends: its logical start or end, by the paragraph's direction.
        let left = line
            .clusters
            .iter()
            .map(|c| c.x_left)
            .fold(f32::MAX, f32::min);
        let right = line
            .clusters
            .iter()
            .map(|c| c.x_right)
            .fold(f32::MIN, f32::max);
        let rtl = self.direction.is_rtl();
        if !line.clusters.is_empty() && x_in_chunk < left {
            return if rtl {
                line.chars.end
            } else {
                line.chars.start
            };
        }
        if !line.clusters.is_empty() && x_in_chunk > right {
            return if rtl {
                line.chars.start
            } else {
                line.chars.end
            };
        }
        let Some(cluster) = line
            .clusters
            .iter()
            .find(|c| x_in_chunk >= c.x_left && x_in_chunk < c.x_right)
            .or_else(|| {
                line.clusters.iter().min_by(|a, b| {
                    let da = (a.x_left - x_in_chunk)
                        .abs()
                        .min((a.x_right - x_in_chunk).abs());
                    let db = (b.x_left - x_in_chunk)
                        .abs()
                        .min((b.x_right - x_in_chunk).abs());
                    da.total_cmp(&db)
                })
            })
        else {
            return line.chars.start;
        };
        let bounds = self.grapheme_bounds_in(&cluster.chars);
        let n = bounds.len().saturating_sub(1).max(1);
        let width = (cluster.x_right - cluster.x_left).max(f32::EPSILON);
        let from_leading = if cluster.rtl {
            cluster.x_right - x_in_chunk
        } else {
            x_in_chunk - cluster.x_left
        }
        .clamp(0.0, width);
        let step = width / n as f32;
        let i = ((from_leading / step) as usize).min(n - 1);
        let frac = from_leading / step - i as f32;
        let k = if frac < 0.5 { i } else { i + 1 };
        bounds.get(k).copied().unwrap_or(cluster.chars.end)
    }

    /// Rectangles covering the paragraph-local chars `range` on each line, as
    /// (line index, x_left, x_right), merged where they touch. A range that ends inside a
    /// ligature covers the share of the graphemes it holds.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<(usize, f32, f32)> {
        let mut out = Vec::new();
        if range.start >= range.end {
            return out;
        }
        for (li, line) in self.lines.iter().enumerate() {
            if line.chars.end <= range.start || line.chars.start >= range.end {
                continue;
            }
            let mut pieces: Vec<(f32, f32)> = Vec::new();
            for c in &line.clusters {
                if c.chars.end <= range.start || c.chars.start >= range.end {
                    continue;
                }
                if range.start <= c.chars.start && c.chars.end <= range.end {
                    pieces.push((c.x_left, c.x_right));
                    continue;
                }
                let bounds = self.grapheme_bounds_in(&c.chars);
                let n = bounds.len().saturating_sub(1).max(1);
                let inside: Vec<usize> = (0..n)
                    .filter(|&i| {
                        let (a, b) = (bounds[i], bounds.get(i + 1).copied().unwrap_or(bounds[i]));
                        a < range.end && b > range.start
                    })
                    .collect();
                let (Some(&i0), Some(&i1)) = (inside.first(), inside.last()) else {
                    continue;
                };
                let step = (c.x_right - c.x_left) / n as f32;
                if c.rtl {
                    pieces.push((
                        c.x_right - (i1 + 1) as f32 * step,
                        c.x_right - i0 as f32 * step,
                    ));
                } else {
                    pieces.push((
                        c.x_left + i0 as f32 * step,
                        c.x_left + (i1 + 1) as f32 * step,
                    ));
                }
            }
            pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged: Vec<(f32, f32)> = Vec::new();
            for p in pieces {
                match merged.last_mut() {
                    Some(m) if p.0 <= m.1 + 0.5 => m.1 = m.1.max(p.1),
                    _ => merged.push(p),
                }
            }
            out.extend(merged.into_iter().map(|(a, b)| (li, a, b)));
        }
        out
    }

    /// Where the caret for paragraph-local offset `pos` sits: (line, x). At a direction boundary
    /// the edge of the char after `pos` wins.
    pub fn caret(&self, pos: usize) -> (usize, f32) {
        for (li, line) in self.lines.iter().enumerate() {
            if pos < line.chars.start || pos > line.chars.end {
                continue;
            }
            for c in &line.clusters {
                if c.chars.start == pos {
                    return (li, if c.rtl { c.x_right } else { c.x_left });
                }
            }
            for c in &line.clusters {
                if c.chars.end == pos {
                    return (li, if c.rtl { c.x_left } else { c.x_right });
                }
            }
            if let Some(&(_, a, b)) = self.range_rects(pos..pos + 1).first() {
                return (li, if self.direction.is_rtl() { b } else { a });
            }
        }
        (0, 0.0)
    }
}

/// Joins each zero-width cluster to the logically adjacent cluster it sits on. Noto Naskh draws
/// lam-alef as a lam glyph carrying the whole width and an alef glyph of zero advance; joined, the
/// pair is one two-letter cluster whose width hit-testing and highlighting share between the
/// letters, as for a true ligature.
fn merge_zero_width(clusters: &mut Vec<Cluster>) {
    let mut i = 0;
    while i < clusters.len() {
        let z = clusters[i].clone();
        if z.x_right - z.x_left > 0.01 || z.chars.is_empty() {
            i += 1;
            continue;
        }
        let host = clusters.iter().position(|c| {
            c.x_right - c.x_left > 0.01
                && c.rtl == z.rtl
                && (c.chars.end == z.chars.start || c.chars.start == z.chars.end)
                && z.x_left >= c.x_left - 0.5
                && z.x_left <= c.x_right + 0.5
        });
        match host {
            Some(h) => {
                let c = &mut clusters[h];
                c.chars = c.chars.start.min(z.chars.start)..c.chars.end.max(z.chars.end);
                clusters.remove(i);
            }
            None => i += 1,
        }
    }
}

/// Splits a paragraph into chunks of about `target` chars at safe boundaries: after a sentence end
/// and a space if one is near, else after a space, else at a grapheme boundary. Returns
/// paragraph-local char ranges that cover the text.
pub fn chunk_ranges(text: &str, target: usize) -> Vec<Range<usize>> {
    let target = target.max(16);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > target + target / 4 {
        let lo = start + target * 3 / 4;
        let hi = (start + target + target / 4).min(chars.len());
        let after_space =
            |i: usize| i > 0 && chars[i - 1].is_whitespace() && !chars[i].is_whitespace();
        let sentence = (lo..hi).rev().find(|&i| {
            after_space(i) && i >= 2 && matches!(chars[i - 2], '.' | '؟' | '?' | '!' | '؛' | ':')
        });
        let cut = sentence
            .or_else(|| (lo..hi).rev().find(|&i| after_space(i)))
            .unwrap_or_else(|| {
                let piece: String = chars[start..hi].iter().collect();
                let bounds = grapheme_boundaries(&piece);
                let want = target;
                let i = bounds.partition_point(|&b| b <= want).saturating_sub(1);
                start + bounds.get(i).copied().filter(|&b| b > 0).unwrap_or(want)
            });
        out.push(start..cut);
        start = cut;
    }
    out.push(start..chars.len());
    out
}
