//! Lazy layout of a whole document: only chunks near the viewport are laid out; every other
//! paragraph has an estimated height, refined as paragraphs get measured. The scroll position is
//! an [`Anchor`] (paragraph, chunk, offset), so a resize or zoom keeps the reader's place.
//!
//! Coordinates: `y_in_view` is points from the viewport's top; `y_in_doc` is points from the
//! document's top (estimated).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use cosmic_text::FontSystem;

use super::direction::{paragraph_direction, Direction};
use super::fonts::bundled_font_system;
use super::layout::{chunk_ranges, ChunkLayout, LayoutParams};
use crate::model::Document;

/// Paragraphs longer than this (chars) are laid out in chunks of about this size.
pub const CHUNK_CHARS: usize = 2000;
/// How many laid-out chunks are kept.
const CACHE_CHUNKS: usize = 96;

/// The scroll position: the chunk at the top of the viewport and how far (points) its top is above
/// the viewport's top.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Anchor {
    pub paragraph: usize,
    pub chunk: usize,
    pub offset: f32,
}

/// A Fenwick tree of paragraph heights: prefix sums and search by height in O(log n).
#[derive(Debug, Clone, Default)]
struct Heights {
    tree: Vec<f64>,
    values: Vec<f32>,
}

impl Heights {
    fn new(values: Vec<f32>) -> Self {
        let n = values.len();
        let mut tree = vec![0.0f64; n + 1];
        for i in 1..=n {
            tree[i] += f64::from(values[i - 1]);
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                tree[parent] += tree[i];
            }
        }
        Self { tree, values }
    }

    fn set(&mut self, i: usize, v: f32) {
        let Some(old) = self.values.get_mut(i) else {
            return;
        };
        let delta = f64::from(v) - f64::from(*old);
        *old = v;
        let mut j = i + 1;
        while j < self.tree.len() {
            self.tree[j] += delta;
            j += j & j.wrapping_neg();
        }
    }

    /// Sum of heights of paragraphs before `i`.
    fn prefix(&self, i: usize) -> f64 {
        let mut j = i.min(self.values.len());
        let mut s = 0.0;
        while j > 0 {
            s += self.tree[j];
            j -= j & j.wrapping_neg();
        }
        s
    }

    fn total(&self) -> f64 {
        self.prefix(self.values.len())
    }

    /// The paragraph holding `y` and `y` minus that paragraph's top.
    fn find(&self, y: f64) -> (usize, f64) {
        let n = self.values.len();
        let mut pos = 0;
        let mut rem = y.max(0.0);
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rem {
                pos = next;
                rem -= self.tree[next];
            }
            step >>= 1;
        }
        if pos >= n {
            (
                n.saturating_sub(1),
                f64::from(self.values.last().copied().unwrap_or(0.0)),
            )
        } else {
            (pos, rem)
        }
    }
}

/// What we know of one paragraph.
#[derive(Debug, Clone, Default)]
struct ParagraphInfo {
    direction: Option<Direction>,
    /// Chunk ranges (paragraph-local chars), known once the paragraph came near the viewport.
    chunks: Option<Vec<Range<usize>>>,
    /// Measured heights per chunk (`NaN` = not measured).
    chunk_heights: Vec<f32>,
}

/// A chunk to draw: where it is and its layout.
#[derive(Debug, Clone, Copy)]
pub struct VisibleChunk {
    pub paragraph: usize,
    pub chunk: usize,
    /// Top of the chunk, points from the viewport's top.
    pub y_in_view: f32,
    /// Document char where the paragraph starts.
    pub paragraph_start_char: usize,
}

struct Cached {
    layout: ChunkLayout,
    last_used: u64,
}

/// Heights measured by the background thread: (paragraph, chunk ranges with their heights).
type Measured = (usize, Vec<(Range<usize>, f32)>);

/// A thread that lays out every paragraph once, with its own font system, to replace height
/// estimates by measurements without costing the UI thread frame time.
struct Background {
    rx: mpsc::Receiver<Measured>,
    cancel: Arc<AtomicBool>,
}

impl Drop for Background {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

fn spawn_background(doc: &Document, params: LayoutParams, first: usize) -> Option<Background> {
    let text = doc.shared_text();
    let paragraphs: Vec<Range<usize>> = doc.paragraphs().iter().map(|p| p.bytes()).collect();
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let stop = Arc::clone(&cancel);
    let n = paragraphs.len();
    let spawned = std::thread::Builder::new()
        .name("hashiya-measure".into())
        .spawn(move || {
            let mut fs = bundled_font_system();
            // From the reader's place to the end, then from the start.
            let order = (first.min(n)..n).chain(0..first.min(n));
            for (k, p) in order.enumerate() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let Some(text) = paragraphs.get(p).and_then(|b| text.get(b.clone())) else {
                    continue;
                };
                let direction = paragraph_direction(text);
                let len = text.chars().count();
                let chunks = if len > CHUNK_CHARS + CHUNK_CHARS / 4 {
                    chunk_ranges(text, CHUNK_CHARS)
                } else {
                    std::iter::once(0..len).collect()
                };
                let mut byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
                byte_of.push(text.len());
                let mut out = Vec::with_capacity(chunks.len());
                for r in chunks {
                    let (Some(&a), Some(&b)) = (byte_of.get(r.start), byte_of.get(r.end)) else {
                        continue;
                    };
                    let piece = text.get(a..b).unwrap_or("");
                    let layout = ChunkLayout::new(&mut fs, piece, r.clone(), direction, &params);
                    out.push((r, layout.height));
                }
                if tx.send((p, out)).is_err() {
                    return;
                }
                if k % 128 == 127 {
                    fs.shape_run_cache.trim(1);
                }
            }
        });
    spawned.ok().map(|_| Background { rx, cancel })
}

/// The lazy layout of one document for one set of [`LayoutParams`].
pub struct DocumentLayout {
    params: LayoutParams,
    info: Vec<ParagraphInfo>,
    heights: Heights,
    cache: HashMap<(usize, usize), Cached>,
    frame: u64,
    /// Average advance per char (points), from what has been measured.
    advance_per_char: f32,
    measured_chars: f64,
    measured_advance: f64,
    pub anchor: Anchor,
    background: Option<Background>,
    /// The background thread measured every paragraph for the current params.
    background_done: bool,
}

impl DocumentLayout {
    pub fn new(doc: &Document, params: LayoutParams) -> Self {
        let mut s = Self {
            params,
            info: vec![ParagraphInfo::default(); doc.paragraphs().len()],
            heights: Heights::default(),
            cache: HashMap::new(),
            frame: 0,
            advance_per_char: params.font_size * 0.42,
            measured_chars: 0.0,
            measured_advance: 0.0,
            anchor: Anchor::default(),
            background: None,
            background_done: false,
        };
        s.reset_heights(doc);
        s
    }

    pub fn params(&self) -> LayoutParams {
        self.params
    }

    /// Changes font size, line height or width. Keeps the anchor (the offset is scaled).
    pub fn set_params(&mut self, doc: &Document, params: LayoutParams) {
        if params == self.params {
            return;
        }
        let old_height = self.chunk_height_estimate(doc, self.anchor.paragraph, self.anchor.chunk);
        let ratio = params.font_size / self.params.font_size.max(0.1);
        self.advance_per_char *= ratio;
        self.measured_advance *= f64::from(ratio);
        self.params = params;
        self.cache.clear();
        self.background = None;
        self.background_done = false;
        for i in &mut self.info {
            i.chunk_heights.iter_mut().for_each(|h| *h = f32::NAN);
        }
        self.reset_heights(doc);
        let new_height = self.chunk_height(
            &mut None::<&mut FontSystem>,
            doc,
            self.anchor.paragraph,
            self.anchor.chunk,
        );
        if old_height > 0.0 {
            self.anchor.offset *= new_height / old_height;
        }
    }

    fn reset_heights(&mut self, doc: &Document) {
        let values = doc
            .paragraphs()
            .iter()
            .enumerate()
            .map(|(i, p)| self.estimate_paragraph(i, p.len_chars()))
            .collect();
        self.heights = Heights::new(values);
    }

    fn estimate_lines(&self, chars: usize) -> f32 {
        let per_line = (self.params.width / self.advance_per_char.max(0.5)).max(1.0);
        (chars as f32 / per_line).ceil().max(1.0)
    }

    fn estimate_paragraph(&self, i: usize, len_chars: usize) -> f32 {
        let Some(info) = self.info.get(i) else {
            return self.params.line_height;
        };
        match &info.chunks {
            Some(chunks) => chunks
                .iter()
                .zip(&info.chunk_heights)
                .map(|(r, h)| {
                    if h.is_nan() {
                        self.estimate_lines(r.len()) * self.params.line_height
                    } else {
                        *h
                    }
                })
                .sum(),
            None => self.estimate_lines(len_chars) * self.params.line_height,
        }
    }

    /// Estimated total height of the document, points.
    pub fn total_height(&self) -> f32 {
        self.heights.total() as f32
    }

    /// Estimated distance of the anchor from the document's top.
    pub fn anchor_y_in_doc(&self, doc: &Document) -> f32 {
        let mut y = self.heights.prefix(self.anchor.paragraph) as f32;
        for c in 0..self.anchor.chunk {
            y += self.chunk_height_estimate(doc, self.anchor.paragraph, c);
        }
        y + self.anchor.offset
    }

    pub fn paragraph_direction(&mut self, doc: &Document, p: usize) -> Direction {
        if let Some(d) = self.info.get(p).and_then(|i| i.direction) {
            return d;
        }
        let d = doc.paragraphs().get(p).map_or(Direction::Rtl, |para| {
            paragraph_direction(doc.paragraph_text(para))
        });
        if let Some(i) = self.info.get_mut(p) {
            i.direction = Some(d);
        }
        d
    }

    /// The chunk ranges of paragraph `p` (computed on first use).
    #[allow(clippy::single_range_in_vec_init)]
    pub fn chunks(&mut self, doc: &Document, p: usize) -> &[Range<usize>] {
        let needs = self.info.get(p).is_some_and(|i| i.chunks.is_none());
        if needs {
            let ranges = match doc.paragraphs().get(p) {
                Some(para) if para.len_chars() > CHUNK_CHARS + CHUNK_CHARS / 4 => {
                    chunk_ranges(doc.paragraph_text(para), CHUNK_CHARS)
                }
                Some(para) => vec![0..para.len_chars()],
                None => vec![0..0],
            };
            if let Some(i) = self.info.get_mut(p) {
                i.chunk_heights = vec![f32::NAN; ranges.len()];
                i.chunks = Some(ranges);
            }
        }
        self.info
            .get(p)
            .and_then(|i| i.chunks.as_deref())
            .unwrap_or(&[])
    }

    fn chunk_count(&mut self, doc: &Document, p: usize) -> usize {
        self.chunks(doc, p).len().max(1)
    }

    fn chunk_height_estimate(&self, doc: &Document, p: usize, c: usize) -> f32 {
        let Some(info) = self.info.get(p) else {
            return self.params.line_height;
        };
        match (&info.chunks, info.chunk_heights.get(c)) {
            (Some(_), Some(h)) if !h.is_nan() => *h,
            (Some(chunks), _) => {
                self.estimate_lines(chunks.get(c).map_or(0, |r| r.len())) * self.params.line_height
            }
            (None, _) => {
                self.estimate_paragraph(p, doc.paragraphs().get(p).map_or(0, |x| x.len_chars()))
            }
        }
    }

    /// Height of a chunk: measured if laid out (laying it out when a font system is given).
    fn chunk_height(
        &mut self,
        fs: &mut Option<&mut FontSystem>,
        doc: &Document,
        p: usize,
        c: usize,
    ) -> f32 {
        if let Some(fs) = fs.as_deref_mut() {
            if let Some(l) = self.chunk(fs, doc, p, c) {
                return l.height;
            }
        }
        self.chunk_height_estimate(doc, p, c)
    }

    /// The layout of chunk `c` of paragraph `p`, laid out now if needed.
    pub fn chunk(
        &mut self,
        fs: &mut FontSystem,
        doc: &Document,
        p: usize,
        c: usize,
    ) -> Option<&ChunkLayout> {
        let frame = self.frame;
        if self.cache.contains_key(&(p, c)) {
            let cached = self.cache.get_mut(&(p, c))?;
            cached.last_used = frame;
            return Some(&cached.layout);
        }
        let para = *doc.paragraphs().get(p)?;
        let range = self.chunks(doc, p).get(c)?.clone();
        let direction = self.paragraph_direction(doc, p);
        let start = para.start_char + range.start;
        let text = doc.slice(start..para.start_char + range.end)?;
        let layout = ChunkLayout::new(fs, text, range.clone(), direction, &self.params);
        self.note_measured(doc, p, c, &layout);
        if self.cache.len() >= CACHE_CHUNKS {
            self.evict();
        }
        let cached = self.cache.entry((p, c)).or_insert(Cached {
            layout,
            last_used: frame,
        });
        Some(&cached.layout)
    }

    fn note_measured(&mut self, doc: &Document, p: usize, c: usize, layout: &ChunkLayout) {
        if layout.chars.len() > 20 && layout.lines.len() > 1 {
            self.measured_chars += layout.chars.len() as f64;
            self.measured_advance += f64::from(layout.total_advance);
            self.advance_per_char = (self.measured_advance / self.measured_chars) as f32;
        }
        if let Some(h) = self
            .info
            .get_mut(p)
            .and_then(|i| i.chunk_heights.get_mut(c))
        {
            *h = layout.height;
        }
        let len = doc.paragraphs().get(p).map_or(0, |x| x.len_chars());
        let est = self.estimate_paragraph(p, len);
        self.heights.set(p, est);
    }

    fn evict(&mut self) {
        let mut ages: Vec<u64> = self.cache.values().map(|c| c.last_used).collect();
        ages.sort_unstable();
        let cutoff = ages.get(ages.len() / 2).copied().unwrap_or(0);
        let frame = self.frame;
        self.cache
            .retain(|_, c| c.last_used > cutoff || c.last_used == frame);
    }

    /// Moves the anchor by `delta` points (positive = down), laying out the chunks passed over.
    pub fn scroll_by(&mut self, fs: &mut FontSystem, doc: &Document, delta: f32) {
        self.anchor.offset += delta;
        self.normalize(fs, doc);
    }

    /// Brings the anchor offset within its chunk, moving to neighbouring chunks.
    pub fn normalize(&mut self, fs: &mut FontSystem, doc: &Document) {
        let n = doc.paragraphs().len();
        let mut fs = Some(fs);
        let mut guard = 0;
        while self.anchor.offset < 0.0 && guard < 100_000 {
            guard += 1;
            if self.anchor.chunk > 0 {
                self.anchor.chunk -= 1;
            } else if self.anchor.paragraph > 0 {
                self.anchor.paragraph -= 1;
                self.anchor.chunk = self.chunk_count(doc, self.anchor.paragraph) - 1;
            } else {
                self.anchor.offset = 0.0;
                break;
            }
            let h = self.chunk_height(&mut fs, doc, self.anchor.paragraph, self.anchor.chunk);
            self.anchor.offset += h;
        }
        loop {
            guard += 1;
            let h = self.chunk_height(&mut fs, doc, self.anchor.paragraph, self.anchor.chunk);
            if self.anchor.offset < h || guard > 100_000 {
                break;
            }
            let count = self.chunk_count(doc, self.anchor.paragraph);
            if self.anchor.chunk + 1 < count {
                self.anchor.chunk += 1;
            } else if self.anchor.paragraph + 1 < n {
                self.anchor.paragraph += 1;
                self.anchor.chunk = 0;
            } else {
                self.anchor.offset = self.anchor.offset.min(h.max(0.0));
                break;
            }
            self.anchor.offset -= h;
        }
    }

    /// Jumps to a height in the document (estimated), as when dragging the scroll bar.
    pub fn jump_to_y(&mut self, fs: &mut FontSystem, doc: &Document, y_in_doc: f32) {
        let (p, rest) = self.heights.find(f64::from(y_in_doc.max(0.0)));
        let mut rest = rest as f32;
        let mut c = 0;
        let count = self.chunk_count(doc, p);
        while c + 1 < count {
            let h = self.chunk_height_estimate(doc, p, c);
            if rest < h {
                break;
            }
            rest -= h;
            c += 1;
        }
        self.anchor = Anchor {
            paragraph: p,
            chunk: c,
            offset: rest,
        };
        self.normalize(fs, doc);
    }

    /// Puts document char `pos` about a third down a viewport of `view_height`.
    pub fn scroll_to_char(
        &mut self,
        fs: &mut FontSystem,
        doc: &Document,
        pos: usize,
        view_height: f32,
    ) {
        let p = doc.paragraphs().paragraph_at_char(pos);
        let local = pos.saturating_sub(doc.paragraphs().get(p).map_or(0, |x| x.start_char));
        let c = self
            .chunks(doc, p)
            .iter()
            .position(|r| r.contains(&local))
            .unwrap_or_else(|| self.chunks(doc, p).len().saturating_sub(1));
        let y = self.chunk(fs, doc, p, c).map_or(0.0, |l| {
            let (line, _) = l.caret(local);
            l.lines.get(line).map_or(0.0, |x| x.top)
        });
        self.anchor = Anchor {
            paragraph: p,
            chunk: c,
            offset: y - view_height / 3.0,
        };
        self.normalize(fs, doc);
    }

    /// Lays out the chunks that fill a viewport of `view_height` from the anchor (plus one above and
    /// one below) and returns where they go.
    pub fn visible(
        &mut self,
        fs: &mut FontSystem,
        doc: &Document,
        view_height: f32,
    ) -> Vec<VisibleChunk> {
        self.frame += 1;
        self.apply_background(doc);
        self.normalize(fs, doc);
        let mut out = Vec::new();
        let (mut p, mut c) = (self.anchor.paragraph, self.anchor.chunk);
        let mut y = -self.anchor.offset;
        let n = doc.paragraphs().len();
        while y < view_height && p < n {
            let Some(h) = self.chunk(fs, doc, p, c).map(|l| l.height) else {
                break;
            };
            out.push(VisibleChunk {
                paragraph: p,
                chunk: c,
                y_in_view: y,
                paragraph_start_char: doc.paragraphs().get(p).map_or(0, |x| x.start_char),
            });
            y += h;
            if c + 1 < self.chunk_count(doc, p) {
                c += 1;
            } else {
                p += 1;
                c = 0;
            }
        }
        out
    }

    /// Starts measuring every paragraph on a background thread (once per set of params), so the
    /// total height and the scroll bar become exact without costing frame time.
    pub fn measure_in_background(&mut self, doc: &Document) {
        if self.background.is_none() && !self.background_done {
            self.background = spawn_background(doc, self.params, self.anchor.paragraph);
            self.background_done = self.background.is_none();
        }
    }

    /// Is the background thread still measuring?
    pub fn is_measuring(&self) -> bool {
        self.background.is_some()
    }

    /// Takes what the background thread measured (at most a bounded amount per call).
    fn apply_background(&mut self, doc: &Document) {
        let Some(bg) = &self.background else {
            return;
        };
        let mut got = Vec::new();
        let mut finished = false;
        for _ in 0..2048 {
            match bg.rx.try_recv() {
                Ok(m) => got.push(m),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    finished = true;
                    break;
                }
            }
        }
        for (p, chunks) in got {
            let Some(info) = self.info.get_mut(p) else {
                continue;
            };
            if info.chunk_heights.iter().any(|h| !h.is_nan()) {
                continue; // measured here already
            }
            info.chunk_heights = chunks.iter().map(|c| c.1).collect();
            info.chunks = Some(chunks.into_iter().map(|c| c.0).collect());
            let len = doc.paragraphs().get(p).map_or(0, |x| x.len_chars());
            let est = self.estimate_paragraph(p, len);
            self.heights.set(p, est);
        }
        if finished {
            self.background = None;
            self.background_done = true;
        }
    }

    /// A laid-out chunk from the cache (no layout).
    pub fn cached(&self, p: usize, c: usize) -> Option<&ChunkLayout> {
        self.cache.get(&(p, c)).map(|c| &c.layout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenwick_prefix_and_find() {
        let mut h = Heights::new(vec![10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(h.prefix(0), 0.0);
        assert_eq!(h.prefix(3), 60.0);
        assert_eq!(h.total(), 150.0);
        assert_eq!(h.find(35.0), (2, 5.0));
        assert_eq!(h.find(0.0), (0, 0.0));
        h.set(1, 5.0);
        assert_eq!(h.prefix(3), 45.0);
        assert_eq!(h.find(149.0).0, 4);
    }
}
