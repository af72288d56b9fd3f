//! Placing stored spans on a text that may have changed since they were made.
//!
//! A span whose covered text is still at its offsets stays. Otherwise its covered text is looked
//! for in the new text: a single occurrence, or a single occurrence whose surroundings match the
//! stored prefix and suffix better than any other, is taken; anything else is reported, never
//! guessed.

use std::fmt;
use std::ops::Range;

use super::annotation::Span;
use super::document::Document;

/// Characters of the old context (prefix tail + suffix head) that must still surround a new place.
const MIN_CONTEXT_MATCH: usize = 3;

/// A span as stored, with the context it had when saved.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSpan {
    pub span: Span,
    pub prefix: String,
    pub suffix: String,
}

/// Where a stored span goes in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Its offsets still hold its text.
    Kept,
    /// Found elsewhere: its new pieces.
    Moved(Vec<Range<usize>>),
    /// Not placed, and why.
    Lost(String),
}

/// A span that did not fit its text as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorIssue {
    pub id: String,
    pub label: String,
    pub text: String,
    pub old: Range<usize>,
    /// `Some(new place)` when re-anchored, `None` when it could not be placed.
    pub new: Option<Range<usize>>,
    pub reason: String,
}

impl AnchorIssue {
    pub fn moved(span: &Span, pieces: Vec<Range<usize>>) -> Self {
        let new = match (pieces.first(), pieces.last()) {
            (Some(a), Some(b)) => Some(a.start..b.end),
            _ => None,
        };
        Self {
            id: span.id.clone(),
            label: span.label.clone(),
            text: span.text.clone(),
            old: span.range(),
            new,
            reason: String::new(),
        }
    }

    pub fn lost(span: &Span, reason: String) -> Self {
        Self {
            id: span.id.clone(),
            label: span.label.clone(),
            text: span.text.clone(),
            old: span.range(),
            new: None,
            reason,
        }
    }
}

impl fmt::Display for AnchorIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = format!(
            "span {} ({} «{}») at {}..{}",
            self.id, self.label, self.text, self.old.start, self.old.end
        );
        match &self.new {
            Some(n) => write!(
                f,
                "{what}: text changed, re-anchored to {}..{}",
                n.start, n.end
            ),
            None => write!(
                f,
                "{what}: text changed, could not re-anchor: {}",
                self.reason
            ),
        }
    }
}

fn covered(doc: &Document, pieces: &[Range<usize>]) -> Option<String> {
    let parts: Option<Vec<&str>> = pieces.iter().map(|p| doc.slice(p.clone())).collect();
    parts.map(|p| p.join(" "))
}

fn well_formed(span: &Span, pieces: &[Range<usize>]) -> bool {
    span.start < span.end
        && pieces.first().is_some_and(|p| p.start == span.start)
        && pieces.last().is_some_and(|p| p.end == span.end)
        && pieces.iter().all(|p| p.start < p.end)
        && pieces.windows(2).all(|w| w[0].end <= w[1].start)
}

/// Does `span` sit where it says: well-formed pieces whose text in `doc` is its covered text?
/// (What [`anchor_span`] calls [`Anchor::Kept`], without allocating for a contiguous span.)
pub fn fits(doc: &Document, span: &Span) -> bool {
    if !span.is_discontinuous() {
        // One offset look-up: the text from the start must begin with the covered text, which
        // must have the span's length.
        return span.start < span.end
            && span.end <= doc.len_chars()
            && doc
                .text()
                .get(doc.char_to_byte(span.start)..)
                .is_some_and(|rest| rest.starts_with(span.text.as_str()))
            && span.text.chars().count() == span.end - span.start;
    }
    let pieces = span.pieces();
    well_formed(span, &pieces) && covered(doc, &pieces).as_deref() == Some(span.text.as_str())
}

/// Decides where `stored` goes in `doc`.
pub fn anchor_span(doc: &Document, stored: &StoredSpan) -> Anchor {
    let span = &stored.span;
    let pieces = span.pieces();
    if !well_formed(span, &pieces) {
        return Anchor::Lost(format!(
            "offsets {}..{} are not a valid span",
            span.start, span.end
        ));
    }
    if fits(doc, span) {
        return Anchor::Kept;
    }
    // Look for the first piece's text; the other pieces keep their distance to it.
    let Some(first_text) = first_piece_text(span) else {
        return Anchor::Lost("its covered text does not match its fragments".into());
    };
    if first_text.is_empty() {
        return Anchor::Lost("its covered text is empty".into());
    }
    let candidates: Vec<usize> = doc
        .text()
        .match_indices(first_text)
        .map(|(b, _)| doc.byte_to_char(b))
        .filter(|&c| {
            let shifted = shift(&pieces, c);
            shifted.is_some_and(|p| covered(doc, &p).as_deref() == Some(span.text.as_str()))
        })
        .collect();
    if candidates.is_empty() {
        return Anchor::Lost(format!("«{}» is no longer in the text", span.text));
    }
    let scored: Vec<(usize, usize)> = candidates
        .iter()
        .map(|&c| {
            let end = shift(&pieces, c)
                .and_then(|p| p.last().map(|l| l.end))
                .unwrap_or(c);
            (
                context_score(doc, c, end, &stored.prefix, &stored.suffix),
                c,
            )
        })
        .collect();
    let best = scored.iter().map(|s| s.0).max().unwrap_or(0);
    let winners: Vec<usize> = scored.iter().filter(|s| s.0 == best).map(|s| s.1).collect();
    // A place is only taken if some of the old surroundings are still there: a short word that
    // now occurs once, elsewhere, is not the same mention.
    let known_context = stored.prefix.chars().count() + stored.suffix.chars().count();
    let enough = best >= known_context.min(MIN_CONTEXT_MATCH);
    match winners.as_slice() {
        [one] if enough => shift(&pieces, *one)
            .map_or_else(|| Anchor::Lost("offsets overflow".into()), Anchor::Moved),
        [_] => Anchor::Lost(format!(
            "«{}» is still in the text, but not in its old context",
            span.text
        )),
        many => Anchor::Lost(format!(
            "«{}» occurs {} times and its context does not tell which",
            span.text,
            many.len()
        )),
    }
}

fn first_piece_text(span: &Span) -> Option<&str> {
    if span.fragments.is_empty() {
        return Some(&span.text);
    }
    let first = span.fragments.first()?;
    let n = first.end.checked_sub(first.start)?;
    let byte_end = span
        .text
        .char_indices()
        .nth(n)
        .map_or(span.text.len(), |(b, _)| b);
    span.text.get(..byte_end)
}

/// Pieces moved so that the first starts at `new_start`.
fn shift(pieces: &[Range<usize>], new_start: usize) -> Option<Vec<Range<usize>>> {
    let base = pieces.first()?.start;
    pieces
        .iter()
        .map(|p| {
            let s = (p.start - base).checked_add(new_start)?;
            let e = (p.end - base).checked_add(new_start)?;
            Some(s..e)
        })
        .collect()
}

/// How many chars of the stored context match around a candidate place: the common tail of the
/// stored prefix with the text before, plus the common head of the stored suffix with the text after.
fn context_score(doc: &Document, start: usize, end: usize, prefix: &str, suffix: &str) -> usize {
    let n = prefix.chars().count().max(suffix.chars().count());
    let before = doc.prefix(start, n);
    let after = doc.suffix(end, n);
    let tail = before
        .chars()
        .rev()
        .zip(prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let head = after
        .chars()
        .zip(suffix.chars())
        .take_while(|(a, b)| a == b)
        .count();
    tail + head
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(range: Range<usize>, text: &str, prefix: &str, suffix: &str) -> StoredSpan {
        StoredSpan {
            span: Span::new("s1", range, "GPE", text),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    #[test]
    fn kept_moved_ambiguous_lost() {
        let doc = Document::from_text("a.txt", "خبر عاجل: زار الوزير القاهرة ثم عاد إلى القاهرة");
        // Unchanged place.
        let s = stored(21..28, "القاهرة", "زار الوزير ", " ثم عاد");
        assert_eq!(anchor_span(&doc, &s), Anchor::Kept);
        // Old offsets (before "خبر عاجل: " was added) -> the context picks the first one.
        let s = stored(11..18, "القاهرة", "زار الوزير ", " ثم عاد");
        assert_eq!(
            anchor_span(&doc, &s),
            Anchor::Moved(std::iter::once(21..28).collect())
        );
        // Context picks the second one.
        let s = stored(30..37, "القاهرة", "ثم عاد إلى ", "");
        assert_eq!(
            anchor_span(&doc, &s),
            Anchor::Moved(std::iter::once(40..47).collect())
        );
        // No context, two places: not guessed.
        let s = stored(0..7, "القاهرة", "", "");
        assert!(matches!(anchor_span(&doc, &s), Anchor::Lost(r) if r.contains("2 times")));
        // One place left, but in other surroundings: not the same mention.
        let s = stored(0..6, "الوزير", "قال ", " أمس");
        assert!(
            matches!(anchor_span(&doc, &s), Anchor::Lost(r) if r.contains("not in its old context"))
        );
        // Gone.
        let s = stored(0..5, "دمشق", "", "");
        assert!(matches!(anchor_span(&doc, &s), Anchor::Lost(r) if r.contains("no longer")));
    }
}
