//! What the canvas draws under the text: highlights (annotations) and their index by char range.

use std::ops::Range;

use egui::Color32;

use crate::text::intervals::IntervalIndex;

/// One annotation to draw: its char pieces (one unless discontinuous), color, tag and style.
///
/// Build one with `..Default::default()` for the fields you do not set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlight {
    /// Document char ranges, end exclusive.
    pub pieces: Vec<Range<usize>>,
    pub color: Color32,
    /// Short text drawn at the start of the first piece (a label name); empty for none.
    pub tag: String,
    /// Not yet accepted (e.g. a model suggestion): drawn as an outline with a dashed foot,
    /// whatever the style.
    pub suggested: bool,
    /// The span the user has selected: drawn with a strong border.
    pub selected: bool,
    /// How it is drawn, so that several layers (annotators) can be read at once.
    pub style: HighlightStyle,
    /// Marks a difference found by comparing or curating layers; drawn over the style.
    pub difference: Option<DifferenceKind>,
}

/// How a highlight is drawn, in its colour. Only [`HighlightStyle::Fill`] covers the letters'
/// background; the others leave it to the layer drawn as a fill (or to none), so that five
/// annotators' layers on one text stay readable. Nested and overlapping highlights get separate
/// lanes (bands a little inside each other, underlines a little below each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HighlightStyle {
    /// A translucent band under the letters with a solid underline (the layer being edited).
    #[default]
    Fill,
    /// A thin frame around the letters.
    Outline,
    /// A solid underline only.
    Underline,
    /// A dashed underline.
    Dashed,
    /// A dotted underline.
    Dotted,
}

impl HighlightStyle {
    /// Every style, in the order a layer list would hand them out.
    pub const ALL: [HighlightStyle; 5] = [
        HighlightStyle::Fill,
        HighlightStyle::Outline,
        HighlightStyle::Underline,
        HighlightStyle::Dashed,
        HighlightStyle::Dotted,
    ];
}

/// What a comparison or curation found about a highlight; each kind has its own marker (the
/// colour is the highlight's, which the UI chooses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DifferenceKind {
    /// No counterpart in the other layer(s): a zigzag under the span.
    Unmatched,
    /// Same chars, another label: a small flag above the span's start.
    Label,
    /// Overlaps its counterpart with other boundaries: tall bars at both ends.
    Boundary,
    /// Differs from its counterpart only by a proclitic (و ف ب ل ك ال) at the start: a tall bar
    /// with a dot at the start.
    CliticBoundary,
}

/// A set of highlights indexed by char range. Build it when annotations change, not every frame.
#[derive(Debug, Clone, Default)]
pub struct Highlights {
    pub(super) items: Vec<Highlight>,
    /// Pieces: (range, highlight index).
    index: IntervalIndex<usize>,
    /// Stacking lane of each highlight (0 = outermost), so nested and overlapping spans get
    /// separate underline bands.
    pub(super) lanes: Vec<u8>,
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
