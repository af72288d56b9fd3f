//! Turning candidates into suggested spans of one layer, by rules that never undo a person's work:
//!
//! 1. a candidate equal (range and label) to a span of the layer is not made again: if that span
//!    was rejected, the annotator said no ([`SkipReason::Rejected`]); otherwise it is there
//!    already ([`SkipReason::AlreadyThere`]);
//! 2. a candidate that overlaps any span of the layer (accepted, suggested or rejected) is left
//!    out ([`SkipReason::Overlaps`]): suggestions never cover, cut or nest with what is there;
//! 3. among the remaining candidates the longest wins, then the higher score, then the earlier
//!    start, then the label in alphabetical order; a candidate that overlaps one chosen before is
//!    left out ([`SkipReason::Covered`]).
//!
//! Running the same sources again therefore adds nothing: everything they find is there.

use std::collections::BTreeMap;

use crate::model::annotation::{Annotations, ReviewState, Source, Span};
use crate::model::document::Document;
use crate::model::edit::Edit;

use super::Suggestion;

/// Why a candidate was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    AlreadyThere,
    Rejected,
    Overlaps,
    Covered,
    /// Empty, outside the text or cutting a character cluster (never from the matcher; an
    /// external model's bad spans are reported before they get here).
    Invalid,
}

impl SkipReason {
    /// A phrase for summaries, about the layer of `annotator`.
    pub fn describe(self, annotator: &str) -> String {
        match self {
            SkipReason::AlreadyThere => format!("already in {annotator}'s layer"),
            SkipReason::Rejected => format!("rejected before by {annotator}"),
            SkipReason::Overlaps => format!("overlaps a span of {annotator}'s layer"),
            SkipReason::Covered => "a longer (or better) suggestion covers it".to_owned(),
            SkipReason::Invalid => "empty, outside the text or cutting a character".to_owned(),
        }
    }
}

/// What placing candidates did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// The spans added, in text order.
    pub added: Vec<Span>,
    pub skipped: BTreeMap<SkipReason, usize>,
}

/// Adds the candidates that pass the rules to `layer` as suggested spans (`source: model`, with
/// their score), with new ids.
pub fn place_suggestions(
    layer: &mut Annotations,
    doc: &Document,
    candidates: Vec<Suggestion>,
) -> Placement {
    let mut placement = Placement::default();
    let skip = |r: SkipReason, p: &mut Placement| *p.skipped.entry(r).or_default() += 1;
    let mut open = Vec::with_capacity(candidates.len());
    for c in candidates {
        if !is_valid(doc, &c) {
            skip(SkipReason::Invalid, &mut placement);
            continue;
        }
        match against_layer(layer, &c) {
            Some(reason) => skip(reason, &mut placement),
            None => open.push(c),
        }
    }
    open.sort_by(|a, b| {
        let len = |s: &Suggestion| s.range.end - s.range.start;
        let score = |s: &Suggestion| s.score.unwrap_or(0.0);
        len(b)
            .cmp(&len(a))
            .then(score(b).total_cmp(&score(a)))
            .then(a.range.start.cmp(&b.range.start))
            .then(a.label.cmp(&b.label))
    });
    // Chosen ranges by start; they never overlap each other.
    let mut chosen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut picked = Vec::new();
    for c in open {
        let before = chosen.range(..c.range.end).next_back();
        if before.is_some_and(|(_, &end)| end > c.range.start) {
            skip(SkipReason::Covered, &mut placement);
            continue;
        }
        chosen.insert(c.range.start, c.range.end);
        picked.push(c);
    }
    picked.sort_by_key(|c| (c.range.start, c.range.end));
    for c in picked {
        let span = Span {
            id: layer.alloc_span_id(),
            start: c.range.start,
            end: c.range.end,
            text: doc.slice(c.range.clone()).unwrap_or_default().to_owned(),
            label: c.label,
            source: Source::Model,
            review: ReviewState::Suggested,
            score: c.score.map(|x| x.clamp(0.0, 1.0)),
            ..Span::default()
        };
        layer.insert_span(span.clone());
        placement.added.push(span);
    }
    placement
}

/// The same as [`place_suggestions`] without changing `layer`: the edit that adds the spans (one
/// undo step in the workbench), `None` if there is nothing to add.
pub fn suggestion_edit(
    layer: &Annotations,
    doc: &Document,
    candidates: Vec<Suggestion>,
) -> (Option<Edit>, Placement) {
    let mut scratch = layer.clone();
    let placement = place_suggestions(&mut scratch, doc, candidates);
    let edit = (!placement.added.is_empty()).then(|| {
        Edit::Batch(
            placement
                .added
                .iter()
                .cloned()
                .map(Edit::InsertSpan)
                .collect(),
        )
    });
    (edit, placement)
}

/// Rules 1 and 2: what the layer says about a candidate.
fn against_layer(layer: &Annotations, c: &Suggestion) -> Option<SkipReason> {
    let mut overlaps = false;
    for s in layer.spans_overlapping(c.range.clone()) {
        if s.range() == c.range && s.label == c.label && !s.is_discontinuous() {
            return Some(if s.review == ReviewState::Rejected {
                SkipReason::Rejected
            } else {
                SkipReason::AlreadyThere
            });
        }
        overlaps = true;
    }
    overlaps.then_some(SkipReason::Overlaps)
}

fn is_valid(doc: &Document, c: &Suggestion) -> bool {
    let r = &c.range;
    r.start < r.end
        && r.end <= doc.len_chars()
        && doc.is_grapheme_boundary(r.start)
        && doc.is_grapheme_boundary(r.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Editor, Schema};

    fn sug(range: std::ops::Range<usize>, label: &str, score: f64) -> Suggestion {
        Suggestion {
            range,
            label: label.to_owned(),
            score: Some(score),
        }
    }

    #[test]
    fn a_persons_spans_win_and_the_longest_candidate_wins() {
        // "وبموسكو" 0..7, space, "الولايات" 8..16, space, "المتحدة" 17..24
        let doc = Document::from_text("a.txt", "وبموسكو الولايات المتحدة");
        let schema = Schema::builtin();
        let mut ed = Editor::default();
        let human = ed.add_span(&doc, &schema, 2..7, "GPE").unwrap();
        let mut layer = ed.annotations().clone();
        let before = layer.span(&human).cloned();
        let p = place_suggestions(
            &mut layer,
            &doc,
            vec![
                sug(2..7, "GPE", 1.0),
                sug(0..7, "LOC", 1.0),
                sug(8..16, "GPE", 1.0),
                sug(8..24, "GPE", 0.5),
                sug(17..24, "ORG", 1.0),
                sug(3..900, "GPE", 1.0),
            ],
        );
        assert_eq!(layer.span(&human).cloned(), before, "untouched");
        let added: Vec<(usize, usize)> = p.added.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(added, [(8, 24)]);
        assert_eq!(p.added[0].text, "الولايات المتحدة");
        assert_eq!(p.added[0].review, ReviewState::Suggested);
        assert_eq!(p.added[0].source, Source::Model);
        assert_eq!(p.skipped[&SkipReason::AlreadyThere], 1);
        assert_eq!(p.skipped[&SkipReason::Overlaps], 1);
        assert_eq!(p.skipped[&SkipReason::Covered], 2);
        assert_eq!(p.skipped[&SkipReason::Invalid], 1);
        // Again: nothing new.
        let again = place_suggestions(&mut layer, &doc, vec![sug(8..24, "GPE", 0.5)]);
        assert!(again.added.is_empty());
    }

    #[test]
    fn a_rejected_suggestion_is_not_made_again_and_the_edit_is_one_step() {
        let doc = Document::from_text("a.txt", "زار موسكو");
        let mut ed = Editor::default();
        let (edit, p) = suggestion_edit(ed.annotations(), &doc, vec![sug(4..9, "GPE", 0.8)]);
        assert_eq!(p.added.len(), 1);
        ed.apply(edit.unwrap()).unwrap();
        let id = ed.annotations().spans()[0].id.clone();
        ed.set_review(&id, ReviewState::Rejected).unwrap();
        let (edit, p) = suggestion_edit(ed.annotations(), &doc, vec![sug(4..9, "GPE", 0.8)]);
        assert!(edit.is_none());
        assert_eq!(p.skipped[&SkipReason::Rejected], 1);
        assert!(ed.undo() && ed.undo());
        assert!(ed.annotations().spans().is_empty());
    }
}
