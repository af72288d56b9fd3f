//! Grapheme and word boundaries (UAX #29, via unicode-segmentation) for snapping selections.
//!
//! Functions here take a piece of text (usually one paragraph, or a window of one) and char offsets
//! local to it. [`crate::model::Document`] wraps them with document offsets.

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Char offsets of every grapheme boundary in `text`, including 0 and the end.
pub fn grapheme_boundaries(text: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(text.len() / 2 + 1);
    let mut chars = 0;
    out.push(0);
    for g in text.graphemes(true) {
        chars += g.chars().count();
        out.push(chars);
    }
    out
}

/// Which way to move an offset that falls inside a grapheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snap {
    Backward,
    Forward,
    Nearest,
}

/// Moves `pos` (chars, local to `text`) onto a grapheme boundary.
pub fn snap_to_grapheme(text: &str, pos: usize, snap: Snap) -> usize {
    let bounds = grapheme_boundaries(text);
    let i = bounds.partition_point(|&b| b <= pos);
    let before = bounds[i.saturating_sub(1)];
    if before == pos {
        return pos;
    }
    let after = bounds.get(i).copied().unwrap_or(before);
    match snap {
        Snap::Backward => before,
        Snap::Forward => after,
        Snap::Nearest => {
            if pos - before <= after - pos {
                before
            } else {
                after
            }
        }
    }
}

/// Segments of `text` by UAX #29 word boundaries, as char ranges, each flagged whether it is a word
/// (holds a letter or digit) or something else (spaces, punctuation, emoji).
pub fn word_segments(text: &str) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut chars = 0;
    for seg in text.split_word_bounds() {
        let n = seg.chars().count();
        let is_word = seg.chars().any(char::is_alphanumeric);
        out.push((chars..chars + n, is_word));
        chars += n;
    }
    out
}

/// The word that holds char `pos`, or the word that ends at `pos` if `pos` is just after one.
pub fn word_at(text: &str, pos: usize) -> Option<Range<usize>> {
    let segs = word_segments(text);
    segs.iter()
        .find(|(r, w)| *w && r.contains(&pos))
        .or_else(|| segs.iter().find(|(r, w)| *w && r.end == pos))
        .map(|(r, _)| r.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn grapheme_keeps_diacritics_and_emoji_whole() {
        let t = "مُحَمَّد 👨‍👩‍👧";
        // "مُ" is one grapheme: offset 1 (between م and its damma) snaps to 0 or 2.
        assert_eq!(snap_to_grapheme(t, 1, Snap::Backward), 0);
        assert_eq!(snap_to_grapheme(t, 1, Snap::Forward), 2);
        let family_start = chars("مُحَمَّد ");
        assert_eq!(
            snap_to_grapheme(t, family_start + 2, Snap::Forward),
            chars(t)
        );
    }

    #[test]
    fn word_with_clitics_is_one_word() {
        let t = "أعلنت وبواشنطن أمس";
        assert_eq!(word_at(t, 8), Some(6..14));
        assert_eq!(word_at(t, 14), Some(6..14), "just after a word");
        assert_eq!(word_at(t, 5), Some(0..5));
    }
}
