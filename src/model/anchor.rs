//! Placing stored spans on a text that may have changed since they were made.
//!
//! A span whose covered text is still at its offsets stays. Otherwise its covered text is looked
//! for in the new text: a single occurrence, or a single occurrence whose surroundings match the
//! stored prefix and suffix better than any other, is taken; anything else is reported, never
//! guessed.
//!
//! [`anchor_spans`] places all the spans of a sidecar at once: the spans that stayed are checked
//! where they are, and the covered texts of the others are looked for in one pass over the text
//! (Aho-Corasick), so re-anchoring costs O(text + spans + occurrences), not O(spans × text).

use std::collections::HashMap;
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
/// (What [`anchor_spans`] calls [`Anchor::Kept`], without allocating for a contiguous span.)
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
    anchor_spans(doc, std::slice::from_ref(stored))
        .pop()
        .unwrap_or_else(|| Anchor::Lost("not placed".into()))
}

/// What the first look at a stored span found.
#[derive(Debug)]
enum FirstLook<'a> {
    Done(Anchor),
    /// Not at its offsets: its first piece's text is to be looked for.
    Search(&'a str),
}

fn first_look<'a>(doc: &Document, stored: &'a StoredSpan) -> FirstLook<'a> {
    let span = &stored.span;
    let pieces = span.pieces();
    if !well_formed(span, &pieces) {
        return FirstLook::Done(Anchor::Lost(format!(
            "offsets {}..{} are not a valid span",
            span.start, span.end
        )));
    }
    if fits(doc, span) {
        return FirstLook::Done(Anchor::Kept);
    }
    // Look for the first piece's text; the other pieces keep their distance to it.
    match first_piece_text(span) {
        None => FirstLook::Done(Anchor::Lost(
            "its covered text does not match its fragments".into(),
        )),
        Some("") => FirstLook::Done(Anchor::Lost("its covered text is empty".into())),
        Some(t) => FirstLook::Search(t),
    }
}

/// Decides where each of `stored` goes in `doc`, in order.
///
/// Fast path: a contiguous span whose whole old context (prefix, text, suffix) occurs exactly once
/// has its best possible score there and nowhere else, so it goes there; twice or more, the
/// context cannot tell. Only the spans whose surroundings changed (near an edit) are scored
/// against every occurrence of their text.
pub fn anchor_spans(doc: &Document, stored: &[StoredSpan]) -> Vec<Anchor> {
    let mut out: Vec<Option<Anchor>> = Vec::with_capacity(stored.len());
    let mut searched: Vec<(usize, &str)> = Vec::new();
    for (k, s) in stored.iter().enumerate() {
        match first_look(doc, s) {
            FirstLook::Done(a) => out.push(Some(a)),
            FirstLook::Search(t) => {
                out.push(None);
                searched.push((k, t));
            }
        }
    }
    // Fast path over whole contexts.
    let contexts: Vec<(usize, String)> = searched
        .iter()
        .filter(|(k, _)| stored[*k].span.fragments.is_empty())
        .map(|(k, t)| (*k, format!("{}{t}{}", stored[*k].prefix, stored[*k].suffix)))
        .collect();
    let mut context_patterns: Vec<&str> = contexts.iter().map(|(_, c)| c.as_str()).collect();
    context_patterns.sort_unstable();
    context_patterns.dedup();
    let in_context = find_all_occurrences(doc, &context_patterns);
    for (k, c) in &contexts {
        let s = &stored[*k];
        match in_context.get(c.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            [] => {}
            [one] => {
                let start = one + s.prefix.chars().count();
                let end = start + s.span.text.chars().count();
                out[*k] = Some(Anchor::Moved(std::iter::once(start..end).collect()));
            }
            many => {
                out[*k] = Some(Anchor::Lost(format!(
                    "«{}» occurs {} times and its context does not tell which",
                    s.span.text,
                    many.len()
                )))
            }
        }
    }
    // Slow path: the rest, scored at every occurrence of their text.
    let rest: Vec<(usize, &str)> = searched
        .into_iter()
        .filter(|(k, _)| out[*k].is_none())
        .collect();
    let mut patterns: Vec<&str> = rest.iter().map(|(_, t)| *t).collect();
    patterns.sort_unstable();
    patterns.dedup();
    let occurrences = find_all_occurrences(doc, &patterns);
    for (k, t) in rest {
        let at = occurrences.get(t).map(Vec::as_slice).unwrap_or(&[]);
        out[k] = Some(place(doc, &stored[k], at));
    }
    out.into_iter()
        .map(|a| a.unwrap_or_else(|| Anchor::Lost("not placed".into())))
        .collect()
}

/// The char offsets where each pattern occurs (overlapping occurrences included), in one pass.
fn find_all_occurrences<'p>(doc: &Document, patterns: &[&'p str]) -> HashMap<&'p str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    if patterns.is_empty() {
        return out;
    }
    let Ok(ac) = aho_corasick::AhoCorasick::new(patterns) else {
        // (Only fails for automata too large to build; look for each text in turn then.)
        for p in patterns {
            let at = doc
                .text()
                .match_indices(p)
                .map(|(b, _)| doc.byte_to_char(b))
                .collect();
            out.insert(p, at);
        }
        return out;
    };
    for m in ac.find_overlapping_iter(doc.text()) {
        if let Some(p) = patterns.get(m.pattern().as_usize()) {
            out.entry(p).or_default().push(doc.byte_to_char(m.start()));
        }
    }
    out
}

/// Places a span that is not at its offsets, among the places its first piece's text occurs.
fn place(doc: &Document, stored: &StoredSpan, occurrences: &[usize]) -> Anchor {
    let span = &stored.span;
    let pieces = span.pieces();
    let candidates: Vec<usize> = occurrences
        .iter()
        .copied()
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
