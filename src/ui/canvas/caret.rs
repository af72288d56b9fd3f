//! The selection's ends: the caret moved by keys in reading order, and a selection snapped to
//! words or (with Alt) to graphemes.

use std::ops::Range;

use egui::{Key, Modifiers};

use super::DocumentCanvas;
use crate::model::segment::Snap;
use crate::model::Document;
use crate::text::DocumentLayout;

impl DocumentCanvas {
    /// The selection between the anchor and the focus: whole words, or with `precise` (Alt)
    /// whole graphemes. A click without a drag (anchor = focus) selects the word under it.
    pub(super) fn snapped(&self, doc: &Document, precise: bool) -> Option<Range<usize>> {
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

    /// Left/Right move the caret by a grapheme (Ctrl: a word) in reading order; with Shift they
    /// extend the selection from its fixed end instead.
    pub(super) fn move_caret_by_key(
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
