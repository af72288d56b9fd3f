//! What a linguist says about an article: spans, relations between them, document-level labels and
//! the document's status. Plain data; edits go through [`crate::model::edit`].

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The char ranges a span covers, in text order (see [`Span::pieces`]).
pub type Pieces = smallvec::SmallVec<[Range<usize>; 1]>;

pub use super::anchor::StoredSpan;

/// Who made a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Human,
    Imported,
    Model,
}

/// Where a span stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Suggested,
    #[default]
    Accepted,
    Rejected,
}

/// Where a whole document stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    #[default]
    New,
    InProgress,
    Finished,
    Reviewed,
}

impl DocStatus {
    pub const ALL: [DocStatus; 4] = [
        DocStatus::New,
        DocStatus::InProgress,
        DocStatus::Finished,
        DocStatus::Reviewed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in_progress",
            DocStatus::Finished => "finished",
            DocStatus::Reviewed => "reviewed",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.name() == s || st.name().replace('_', "-") == s)
    }
}

/// A labeled piece of text. Offsets are chars, end exclusive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    /// The covered text (fragments joined by a space for a discontinuous span).
    pub text: String,
    /// Pieces of a discontinuous span in text order; empty for a contiguous span.
    pub fragments: Vec<Range<usize>>,
    pub attributes: BTreeMap<String, String>,
    pub note: Option<String>,
    pub source: Source,
    pub review: ReviewState,
    /// A suggester's confidence (0..=1), when a model or matcher made the span.
    pub score: Option<f64>,
    /// Provenance: the annotators whose layers this span was taken or merged from (sorted; empty
    /// for a span made in this layer).
    pub annotators: Vec<String>,
}

impl Span {
    /// A contiguous human span, accepted.
    pub fn new(
        id: impl Into<String>,
        range: Range<usize>,
        label: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            start: range.start,
            end: range.end,
            label: label.into(),
            text: text.into(),
            fragments: Vec::new(),
            attributes: BTreeMap::new(),
            note: None,
            source: Source::Human,
            review: ReviewState::Accepted,
            score: None,
            annotators: Vec::new(),
        }
    }

    /// Does this span count as an annotation (for agreement, merge, learning, export)? Suggested
    /// and rejected spans do not.
    pub fn is_counted(&self) -> bool {
        !matches!(self.review, ReviewState::Suggested | ReviewState::Rejected)
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The char ranges this span covers (one for a contiguous span, kept inline: reading a
    /// corpus asks this of every span).
    pub fn pieces(&self) -> Pieces {
        if self.fragments.is_empty() {
            smallvec::smallvec![self.range()]
        } else {
            self.fragments.iter().cloned().collect()
        }
    }

    pub fn is_discontinuous(&self) -> bool {
        !self.fragments.is_empty()
    }

    /// Sort key of spans in text order (start, end, label, id).
    pub fn order_key(&self) -> (usize, usize, &str, u64, &str) {
        (
            self.start,
            self.end,
            &self.label,
            id_number(&self.id),
            &self.id,
        )
    }

    /// Compares two spans by [`Span::order_key`], looking at their ids only when all else is
    /// equal (reading an id's number is the costly part of the key).
    pub fn cmp_order(&self, other: &Span) -> std::cmp::Ordering {
        (self.start, self.end, &self.label)
            .cmp(&(other.start, other.end, &other.label))
            .then_with(|| (id_number(&self.id), &self.id).cmp(&(id_number(&other.id), &other.id)))
    }
}

/// The number in an id like `s12` (0 when there is none), so that `s10` sorts after `s9`.
pub fn id_number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(0)
}

/// How two spans sit relative to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanLayout {
    Apart,
    /// One contains the other (or they cover the same text).
    Nested,
    /// They share some text but neither contains the other.
    Crossing,
}

pub fn span_layout(a: &Range<usize>, b: &Range<usize>) -> SpanLayout {
    if a.end <= b.start || b.end <= a.start {
        SpanLayout::Apart
    } else if (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end) {
        SpanLayout::Nested
    } else {
        SpanLayout::Crossing
    }
}

/// A typed, directed link between two spans.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relation {
    pub id: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub attributes: BTreeMap<String, String>,
    pub note: Option<String>,
    pub review: ReviewState,
    /// Provenance, as for [`Span::annotators`].
    pub annotators: Vec<String>,
}

impl Relation {
    /// A plain accepted relation.
    pub fn new(
        id: impl Into<String>,
        kind: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
            ..Self::default()
        }
    }
}

/// One argument of an event: a role filled by a span or by another event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventArgument {
    pub role: String,
    /// A span id or an event id.
    pub target: String,
}

/// An event (brat's `E` lines): a type, the trigger span that expresses it, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub id: String,
    pub kind: String,
    /// The id of the trigger span.
    pub trigger: String,
    /// In the order given.
    pub arguments: Vec<EventArgument>,
    pub attributes: BTreeMap<String, String>,
    pub note: Option<String>,
    pub review: ReviewState,
    pub annotators: Vec<String>,
}

/// An unordered group of spans (or events) said to be the same (brat's `*` equivalence lines,
/// e.g. `Equiv`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    pub id: String,
    pub kind: String,
    /// Span (or event) ids, in the order given.
    pub members: Vec<String>,
}

/// What a stance is taken toward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Span(String),
    Text(String),
}

/// A label of the whole document: a stance toward a target, a topic, any classification the schema
/// declares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLabel {
    pub id: String,
    pub name: String,
    pub value: String,
    pub target: Option<Target>,
    pub evidence: Vec<String>,
    pub review: ReviewState,
    /// Provenance, as for [`Span::annotators`].
    pub annotators: Vec<String>,
}

/// All annotations of one annotator on one document.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    pub status: DocStatus,
    /// Kept sorted by [`Span::order_key`].
    spans: Vec<Span>,
    pub relations: Vec<Relation>,
    pub doc_labels: Vec<DocLabel>,
    /// Events, sorted by the number in their id.
    pub events: Vec<Event>,
    /// Equivalence groups, sorted by the number in their id.
    pub groups: Vec<Group>,
    /// The tokenization the text came with (from a token format such as CoNLL), as char ranges in
    /// text order; `None`: the text has no recorded tokenization.
    pub tokens: Option<Vec<Range<usize>>>,
    /// Spans that could not be placed in the text after it changed, with the context they had:
    /// kept, never dropped.
    pub unanchored: Vec<StoredSpan>,
    next_span: u64,
    next_relation: u64,
    next_doc_label: u64,
    next_event: u64,
    next_group: u64,
}

impl PartialEq for Annotations {
    /// Equal content; id counters are not content.
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.spans == other.spans
            && self.relations == other.relations
            && self.doc_labels == other.doc_labels
            && self.events == other.events
            && self.groups == other.groups
            && self.tokens == other.tokens
            && self.unanchored == other.unanchored
    }
}

impl Annotations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a set from parts (e.g. read from a file); spans are sorted, id counters set past the
    /// highest ids present.
    pub fn from_parts(
        status: DocStatus,
        mut spans: Vec<Span>,
        mut relations: Vec<Relation>,
        mut doc_labels: Vec<DocLabel>,
        unanchored: Vec<StoredSpan>,
    ) -> Self {
        spans.sort_by(Span::cmp_order);
        relations.sort_by(|a, b| (id_number(&a.id), &a.id).cmp(&(id_number(&b.id), &b.id)));
        doc_labels.sort_by(|a, b| (id_number(&a.id), &a.id).cmp(&(id_number(&b.id), &b.id)));
        let max =
            |ids: &mut dyn Iterator<Item = &String>| ids.map(|i| id_number(i)).max().unwrap_or(0);
        let span_ids = spans.iter().chain(unanchored.iter().map(|u| &u.span));
        let next_span = max(&mut span_ids.map(|s| &s.id)).saturating_add(1);
        let next_relation = max(&mut relations.iter().map(|r| &r.id)).saturating_add(1);
        let next_doc_label = max(&mut doc_labels.iter().map(|d| &d.id)).saturating_add(1);
        Self {
            status,
            spans,
            relations,
            doc_labels,
            events: Vec::new(),
            groups: Vec::new(),
            tokens: None,
            unanchored,
            next_span,
            next_relation,
            next_doc_label,
            next_event: 1,
            next_group: 1,
        }
    }

    /// Adds events and groups to a set built by [`Annotations::from_parts`] (sorted, id counters
    /// set past the highest ids).
    pub fn with_events(mut self, mut events: Vec<Event>, mut groups: Vec<Group>) -> Self {
        events.sort_by(|a, b| (id_number(&a.id), &a.id).cmp(&(id_number(&b.id), &b.id)));
        groups.sort_by(|a, b| (id_number(&a.id), &a.id).cmp(&(id_number(&b.id), &b.id)));
        self.next_event = events
            .iter()
            .map(|e| id_number(&e.id))
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.next_group = groups
            .iter()
            .map(|g| id_number(&g.id))
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.events = events;
        self.groups = groups;
        self
    }

    /// Counted spans (see [`Span::is_counted`]).
    pub fn counted_spans(&self) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(|s| s.is_counted())
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    pub fn span(&self, id: &str) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    pub fn doc_label(&self, id: &str) -> Option<&DocLabel> {
        self.doc_labels.iter().find(|d| d.id == id)
    }

    /// Spans that overlap the char range, in text order.
    pub fn spans_overlapping(&self, range: Range<usize>) -> impl Iterator<Item = &Span> {
        // Spans are sorted by start: everything starting at or after range.end is out.
        let upto = self.spans.partition_point(|s| s.start < range.end);
        self.spans[..upto]
            .iter()
            .filter(move |s| s.end > range.start)
    }

    /// Spans that contain char `pos`, innermost (shortest) first.
    pub fn spans_at(&self, pos: usize) -> Vec<&Span> {
        let mut v: Vec<&Span> = self
            .spans_overlapping(pos..pos + 1)
            .filter(|s| s.pieces().iter().any(|p| p.contains(&pos)))
            .collect();
        v.sort_by_key(|s| (s.end - s.start, s.start));
        v
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
            && self.relations.is_empty()
            && self.doc_labels.is_empty()
            && self.events.is_empty()
            && self.groups.is_empty()
            && self.unanchored.is_empty()
    }

    pub fn alloc_span_id(&mut self) -> String {
        let id = format!("s{}", self.next_span.max(1));
        self.next_span = self.next_span.max(1).saturating_add(1);
        id
    }

    pub fn alloc_relation_id(&mut self) -> String {
        let id = format!("r{}", self.next_relation.max(1));
        self.next_relation = self.next_relation.max(1).saturating_add(1);
        id
    }

    pub fn alloc_doc_label_id(&mut self) -> String {
        let id = format!("d{}", self.next_doc_label.max(1));
        self.next_doc_label = self.next_doc_label.max(1).saturating_add(1);
        id
    }

    pub fn alloc_event_id(&mut self) -> String {
        let id = format!("e{}", self.next_event.max(1));
        self.next_event = self.next_event.max(1).saturating_add(1);
        id
    }

    pub fn alloc_group_id(&mut self) -> String {
        let id = format!("g{}", self.next_group.max(1));
        self.next_group = self.next_group.max(1).saturating_add(1);
        id
    }

    // Raw mutations, used by the edit layer (which keeps the undo history).

    pub(crate) fn insert_span(&mut self, span: Span) {
        let key = span.order_key();
        let at = self.spans.partition_point(|s| s.order_key() < key);
        self.next_span = self.next_span.max(id_number(&span.id).saturating_add(1));
        self.spans.insert(at, span);
    }

    pub(crate) fn remove_span(&mut self, id: &str) -> Option<Span> {
        let at = self.spans.iter().position(|s| s.id == id)?;
        Some(self.spans.remove(at))
    }

    pub(crate) fn insert_relation(&mut self, rel: Relation) {
        self.next_relation = self.next_relation.max(id_number(&rel.id).saturating_add(1));
        let key = id_number(&rel.id);
        let at = self.relations.partition_point(|r| id_number(&r.id) < key);
        self.relations.insert(at, rel);
    }

    pub(crate) fn remove_relation(&mut self, id: &str) -> Option<Relation> {
        let at = self.relations.iter().position(|r| r.id == id)?;
        Some(self.relations.remove(at))
    }

    pub(crate) fn insert_doc_label(&mut self, label: DocLabel) {
        self.next_doc_label = self
            .next_doc_label
            .max(id_number(&label.id).saturating_add(1));
        let key = id_number(&label.id);
        let at = self.doc_labels.partition_point(|d| id_number(&d.id) < key);
        self.doc_labels.insert(at, label);
    }

    pub(crate) fn remove_doc_label(&mut self, id: &str) -> Option<DocLabel> {
        let at = self.doc_labels.iter().position(|d| d.id == id)?;
        Some(self.doc_labels.remove(at))
    }

    pub(crate) fn insert_event(&mut self, event: Event) {
        self.next_event = self.next_event.max(id_number(&event.id).saturating_add(1));
        let key = id_number(&event.id);
        let at = self.events.partition_point(|e| id_number(&e.id) < key);
        self.events.insert(at, event);
    }

    pub(crate) fn remove_event(&mut self, id: &str) -> Option<Event> {
        let at = self.events.iter().position(|e| e.id == id)?;
        Some(self.events.remove(at))
    }

    pub(crate) fn insert_group(&mut self, group: Group) {
        self.next_group = self.next_group.max(id_number(&group.id).saturating_add(1));
        let key = id_number(&group.id);
        let at = self.groups.partition_point(|g| id_number(&g.id) < key);
        self.groups.insert(at, group);
    }

    pub(crate) fn remove_group(&mut self, id: &str) -> Option<Group> {
        let at = self.groups.iter().position(|g| g.id == id)?;
        Some(self.groups.remove(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_comparison_is_the_order_key() {
        let spans = [
            Span::new("s10", 0..3, "PER", "abc"),
            Span::new("s9", 0..3, "PER", "abc"),
            Span::new("x9", 0..3, "PER", "abc"),
            Span::new("s2", 0..3, "GPE", "abc"),
            Span::new("s1", 0..4, "ORG", "abcd"),
            Span::new("s3", 1..2, "ORG", "b"),
            Span::new("s", 1..2, "ORG", "b"),
        ];
        for a in &spans {
            for b in &spans {
                assert_eq!(
                    a.cmp_order(b),
                    a.order_key().cmp(&b.order_key()),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn layouts() {
        assert_eq!(span_layout(&(0..3), &(3..5)), SpanLayout::Apart);
        assert_eq!(span_layout(&(0..5), &(1..3)), SpanLayout::Nested);
        assert_eq!(span_layout(&(0..3), &(0..3)), SpanLayout::Nested);
        assert_eq!(span_layout(&(0..3), &(2..5)), SpanLayout::Crossing);
    }

    #[test]
    fn spans_stay_sorted_and_ids_are_not_reused() {
        let mut a = Annotations::new();
        let id1 = a.alloc_span_id();
        a.insert_span(Span::new(&id1, 10..14, "PER", "x"));
        let id2 = a.alloc_span_id();
        a.insert_span(Span::new(&id2, 2..5, "LOC", "y"));
        assert_eq!(a.spans()[0].id, id2);
        a.remove_span(&id2);
        assert_ne!(a.alloc_span_id(), id2);
        assert_eq!(a.spans_at(11).len(), 1);
        assert!(a.spans_at(9).is_empty());
    }
}
