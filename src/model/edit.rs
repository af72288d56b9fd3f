//! Every change to annotations is an [`Edit`]: applying one returns its inverse, and [`Editor`]
//! keeps them for undo and redo. Edits are checked against the document and the schema before they
//! are made, so a refused edit changes nothing.

use std::ops::Range;

use super::annotation::{
    span_layout, Annotations, DocLabel, DocStatus, Event, Group, Relation, ReviewState, Source,
    Span, SpanLayout, StoredSpan, Target,
};
use super::document::Document;
use super::schema::{Schema, SchemaError};

/// One primitive change, or several made as one step.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    InsertSpan(Span),
    DeleteSpan(String),
    ReplaceSpan(Span),
    InsertRelation(Relation),
    DeleteRelation(String),
    ReplaceRelation(Relation),
    InsertEvent(Event),
    DeleteEvent(String),
    ReplaceEvent(Event),
    InsertGroup(Group),
    DeleteGroup(String),
    ReplaceGroup(Group),
    InsertDocLabel(DocLabel),
    DeleteDocLabel(String),
    ReplaceDocLabel(DocLabel),
    SetStatus(DocStatus),
    /// Puts a span back among the unplaced ones (after the article changed).
    InsertUnanchored(StoredSpan),
    /// Takes a span out of the unplaced ones.
    DeleteUnanchored(String),
    /// Replaces everything (a restore from a recovery file, taking another version).
    ReplaceAll(Box<Annotations>),
    Batch(Vec<Edit>),
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("a span must cover at least one character")]
    EmptySpan,
    #[error("span {start}..{end} is outside the text ({len} characters)")]
    OutOfText {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("span {start}..{end} would cut a character cluster (a letter and its marks, or an emoji) in two")]
    InsideGrapheme { start: usize, end: usize },
    #[error("the schema does not allow overlapping spans ({0} crosses it)")]
    Overlap(String),
    #[error("the schema does not allow nested spans ({0} nests with it)")]
    Nesting(String),
    #[error("no span `{0}`")]
    NoSpan(String),
    #[error("no relation `{0}`")]
    NoRelation(String),
    #[error("no document label `{0}`")]
    NoDocLabel(String),
    #[error("no event `{0}`")]
    NoEvent(String),
    #[error("no group `{0}`")]
    NoGroup(String),
    #[error("a relation needs two different spans")]
    SelfRelation,
    #[error("document label `{0}` can only be set once; change the existing one")]
    SingleDocLabel(String),
    #[error("document label `{0}` is taken toward a target; give one")]
    MissingTarget(String),
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

impl Edit {
    /// Applies the edit and returns its inverse. A failing edit inside a batch rolls back the
    /// parts already made.
    fn apply(self, set: &mut Annotations) -> Result<Edit, EditError> {
        Ok(match self {
            Edit::InsertSpan(span) => {
                let id = span.id.clone();
                set.insert_span(span);
                Edit::DeleteSpan(id)
            }
            Edit::DeleteSpan(id) => {
                let old = set.remove_span(&id).ok_or(EditError::NoSpan(id))?;
                Edit::InsertSpan(old)
            }
            Edit::ReplaceSpan(span) => {
                let old = set
                    .remove_span(&span.id)
                    .ok_or_else(|| EditError::NoSpan(span.id.clone()))?;
                set.insert_span(span);
                Edit::ReplaceSpan(old)
            }
            Edit::InsertRelation(rel) => {
                let id = rel.id.clone();
                set.insert_relation(rel);
                Edit::DeleteRelation(id)
            }
            Edit::DeleteRelation(id) => {
                let old = set.remove_relation(&id).ok_or(EditError::NoRelation(id))?;
                Edit::InsertRelation(old)
            }
            Edit::ReplaceRelation(rel) => {
                let old = set
                    .remove_relation(&rel.id)
                    .ok_or_else(|| EditError::NoRelation(rel.id.clone()))?;
                set.insert_relation(rel);
                Edit::ReplaceRelation(old)
            }
            Edit::InsertEvent(event) => {
                let id = event.id.clone();
                set.insert_event(event);
                Edit::DeleteEvent(id)
            }
            Edit::DeleteEvent(id) => {
                let old = set.remove_event(&id).ok_or(EditError::NoEvent(id))?;
                Edit::InsertEvent(old)
            }
            Edit::ReplaceEvent(event) => {
                let old = set
                    .remove_event(&event.id)
                    .ok_or_else(|| EditError::NoEvent(event.id.clone()))?;
                set.insert_event(event);
                Edit::ReplaceEvent(old)
            }
            Edit::InsertGroup(group) => {
                let id = group.id.clone();
                set.insert_group(group);
                Edit::DeleteGroup(id)
            }
            Edit::DeleteGroup(id) => {
                let old = set.remove_group(&id).ok_or(EditError::NoGroup(id))?;
                Edit::InsertGroup(old)
            }
            Edit::ReplaceGroup(group) => {
                let old = set
                    .remove_group(&group.id)
                    .ok_or_else(|| EditError::NoGroup(group.id.clone()))?;
                set.insert_group(group);
                Edit::ReplaceGroup(old)
            }
            Edit::InsertDocLabel(label) => {
                let id = label.id.clone();
                set.insert_doc_label(label);
                Edit::DeleteDocLabel(id)
            }
            Edit::DeleteDocLabel(id) => {
                let old = set.remove_doc_label(&id).ok_or(EditError::NoDocLabel(id))?;
                Edit::InsertDocLabel(old)
            }
            Edit::ReplaceDocLabel(label) => {
                let old = set
                    .remove_doc_label(&label.id)
                    .ok_or_else(|| EditError::NoDocLabel(label.id.clone()))?;
                set.insert_doc_label(label);
                Edit::ReplaceDocLabel(old)
            }
            Edit::SetStatus(status) => {
                let old = set.status;
                set.status = status;
                Edit::SetStatus(old)
            }
            Edit::InsertUnanchored(stored) => {
                let id = stored.span.id.clone();
                set.unanchored.push(stored);
                Edit::DeleteUnanchored(id)
            }
            Edit::DeleteUnanchored(id) => {
                let at = set
                    .unanchored
                    .iter()
                    .position(|u| u.span.id == id)
                    .ok_or(EditError::NoSpan(id))?;
                Edit::InsertUnanchored(set.unanchored.remove(at))
            }
            Edit::ReplaceAll(new) => {
                let old = std::mem::replace(set, *new);
                Edit::ReplaceAll(Box::new(old))
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for e in edits {
                    match e.apply(set) {
                        Ok(inv) => inverses.push(inv),
                        Err(err) => {
                            for inv in inverses.into_iter().rev() {
                                // Inverses of edits just made always apply.
                                let _ = inv.apply(set);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Edit::Batch(inverses)
            }
        })
    }
}

/// One annotator's annotations of one document, with undo and redo.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    annotations: Annotations,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// Counts applied changes; the UI compares it with the count at the last save.
    revision: u64,
}

impl Editor {
    pub fn new(annotations: Annotations) -> Self {
        Self {
            annotations,
            ..Self::default()
        }
    }

    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    /// Changes since creation (undo and redo count as changes too).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit made by one of the builders below (or by hand) as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let inverse = edit.apply(&mut self.annotations)?;
        self.undo.push(inverse);
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    /// Runs several edits as one undoable step: one Ctrl+Z undoes them all. If `f` fails, the
    /// edits it made are rolled back and nothing is recorded.
    pub fn group<R>(
        &mut self,
        f: impl FnOnce(&mut Editor) -> Result<R, EditError>,
    ) -> Result<R, EditError> {
        let mark = self.undo.len();
        let revision = self.revision;
        let result = f(self);
        let inverses: Vec<Edit> = self.undo.drain(mark.min(self.undo.len())..).collect();
        // Undoing the group applies the inverses in reverse order.
        let combined = Edit::Batch(inverses.into_iter().rev().collect());
        match result {
            Ok(r) => {
                if !matches!(&combined, Edit::Batch(v) if v.is_empty()) {
                    self.undo.push(combined);
                    self.revision = revision + 1;
                }
                Ok(r)
            }
            Err(e) => {
                // Edits just made always undo.
                let _ = combined.apply(&mut self.annotations);
                self.revision = revision;
                Err(e)
            }
        }
    }

    /// Replaces all annotations with `set`, as one undoable step.
    pub fn replace_all(&mut self, set: Annotations) {
        // Replacing never fails.
        let _ = self.apply(Edit::ReplaceAll(Box::new(set)));
    }

    pub fn undo(&mut self) -> bool {
        self.step(true)
    }

    pub fn redo(&mut self) -> bool {
        self.step(false)
    }

    fn step(&mut self, undo: bool) -> bool {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(edit) = from.pop() else {
            return false;
        };
        match edit.apply(&mut self.annotations) {
            Ok(inverse) => {
                to.push(inverse);
                self.revision += 1;
                true
            }
            Err(_) => false,
        }
    }

    // ---- Builders: check an edit against the document and the schema, then apply it. ----

    /// Adds a contiguous span with `label` over `range`; returns its id.
    pub fn add_span(
        &mut self,
        doc: &Document,
        schema: &Schema,
        range: Range<usize>,
        label: &str,
    ) -> Result<String, EditError> {
        self.add_span_with(
            doc,
            schema,
            vec![range],
            label,
            Source::Human,
            ReviewState::Accepted,
        )
    }

    /// Adds a span of one or more pieces (discontinuous when several) with a given origin.
    pub fn add_span_with(
        &mut self,
        doc: &Document,
        schema: &Schema,
        pieces: Vec<Range<usize>>,
        label: &str,
        source: Source,
        review: ReviewState,
    ) -> Result<String, EditError> {
        schema.span_label(label)?;
        let (range, fragments, text) = check_pieces(doc, pieces)?;
        self.check_overlap(schema, &range, None)?;
        let id = self.annotations.alloc_span_id();
        let span = Span {
            id: id.clone(),
            start: range.start,
            end: range.end,
            label: label.to_owned(),
            text,
            fragments,
            source,
            review,
            ..Span::default()
        };
        self.apply(Edit::InsertSpan(span))?;
        Ok(id)
    }

    /// Adds several contiguous spans with one label as a single undoable step (tag all
    /// occurrences). Ranges already covered by a span with that label are skipped. Returns the new
    /// ids.
    pub fn add_spans(
        &mut self,
        doc: &Document,
        schema: &Schema,
        ranges: &[Range<usize>],
        label: &str,
    ) -> Result<Vec<String>, EditError> {
        schema.span_label(label)?;
        let mut batch = Vec::new();
        let mut ids = Vec::new();
        for r in ranges {
            let exists = self
                .annotations
                .spans_overlapping(r.clone())
                .any(|s| s.range() == *r && s.label == label);
            if exists {
                continue;
            }
            let (range, fragments, text) = check_pieces(doc, vec![r.clone()])?;
            self.check_overlap(schema, &range, None)?;
            let id = self.annotations.alloc_span_id();
            ids.push(id.clone());
            batch.push(Edit::InsertSpan(Span {
                id,
                start: range.start,
                end: range.end,
                label: label.to_owned(),
                text,
                fragments,
                ..Span::default()
            }));
        }
        if !batch.is_empty() {
            self.apply(Edit::Batch(batch))?;
        }
        Ok(ids)
    }

    fn span_or_err(&self, id: &str) -> Result<Span, EditError> {
        self.annotations
            .span(id)
            .cloned()
            .ok_or_else(|| EditError::NoSpan(id.to_owned()))
    }

    fn check_overlap(
        &self,
        schema: &Schema,
        range: &Range<usize>,
        except: Option<&str>,
    ) -> Result<(), EditError> {
        if schema.allow_overlap && schema.allow_nesting {
            return Ok(());
        }
        for other in self.annotations.spans_overlapping(range.clone()) {
            if Some(other.id.as_str()) == except {
                continue;
            }
            match span_layout(range, &other.range()) {
                SpanLayout::Crossing if !schema.allow_overlap => {
                    return Err(EditError::Overlap(other.id.clone()))
                }
                SpanLayout::Nested if !schema.allow_nesting => {
                    return Err(EditError::Nesting(other.id.clone()))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Moves a span's edges (a resize); the covered text follows.
    pub fn resize_span(
        &mut self,
        doc: &Document,
        schema: &Schema,
        id: &str,
        range: Range<usize>,
    ) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        // A discontinuous span keeps its pieces: only its outer edges move.
        let pieces = match (span.fragments.first(), span.fragments.last()) {
            (Some(first), Some(last)) => {
                let mut f = span.fragments.clone();
                let n = f.len();
                f[0] = range.start..first.end;
                f[n - 1] = f[n - 1].start..range.end.max(last.start);
                f
            }
            _ => vec![range],
        };
        let (range, fragments, text) = check_pieces(doc, pieces)?;
        self.check_overlap(schema, &range, Some(id))?;
        span.start = range.start;
        span.end = range.end;
        span.fragments = fragments;
        span.text = text;
        self.apply(Edit::ReplaceSpan(span))
    }

    /// Adds `range` to a span as another piece (making it discontinuous, e.g. a claim interrupted
    /// by its attribution); a piece touching or overlapping another merges with it.
    pub fn add_piece(
        &mut self,
        doc: &Document,
        schema: &Schema,
        id: &str,
        range: Range<usize>,
    ) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        let mut pieces = span.pieces();
        pieces.push(range);
        self.set_pieces(doc, schema, &mut span, pieces.into_vec())
    }

    /// Removes piece `index` of a discontinuous span (a span keeps at least one piece).
    pub fn remove_piece(
        &mut self,
        doc: &Document,
        schema: &Schema,
        id: &str,
        index: usize,
    ) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        let mut pieces = span.pieces();
        if pieces.len() < 2 || index >= pieces.len() {
            return Err(EditError::EmptySpan);
        }
        pieces.remove(index);
        self.set_pieces(doc, schema, &mut span, pieces.into_vec())
    }

    fn set_pieces(
        &mut self,
        doc: &Document,
        schema: &Schema,
        span: &mut Span,
        pieces: Vec<Range<usize>>,
    ) -> Result<(), EditError> {
        let (range, fragments, text) = check_pieces(doc, pieces)?;
        self.check_overlap(schema, &range, Some(&span.id))?;
        span.start = range.start;
        span.end = range.end;
        span.fragments = fragments;
        span.text = text;
        self.apply(Edit::ReplaceSpan(span.clone()))
    }

    /// Places a span that could not be re-anchored (after the article changed) at `range`, chosen
    /// by the user; it keeps its id, label, attributes and note.
    pub fn place_unanchored(
        &mut self,
        doc: &Document,
        schema: &Schema,
        id: &str,
        range: Range<usize>,
    ) -> Result<(), EditError> {
        let stored = self
            .annotations
            .unanchored
            .iter()
            .find(|u| u.span.id == id)
            .cloned()
            .ok_or_else(|| EditError::NoSpan(id.to_owned()))?;
        let (range, fragments, text) = check_pieces(doc, vec![range])?;
        self.check_overlap(schema, &range, None)?;
        let span = Span {
            start: range.start,
            end: range.end,
            text,
            fragments,
            ..stored.span
        };
        self.apply(Edit::Batch(vec![
            Edit::DeleteUnanchored(id.to_owned()),
            Edit::InsertSpan(span),
        ]))
    }

    /// Gives a span another label (attributes the new label does not have are dropped).
    pub fn relabel_span(
        &mut self,
        schema: &Schema,
        id: &str,
        label: &str,
    ) -> Result<(), EditError> {
        let def = schema.span_label(label)?;
        let mut span = self.span_or_err(id)?;
        span.label = label.to_owned();
        span.attributes
            .retain(|k, _| def.attributes.iter().any(|a| &a.name == k));
        self.apply(Edit::ReplaceSpan(span))
    }

    /// Sets (`Some`) or removes (`None`) an attribute of a span.
    pub fn set_attribute(
        &mut self,
        schema: &Schema,
        id: &str,
        attribute: &str,
        value: Option<&str>,
    ) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        match value {
            Some(v) => {
                schema.check_attribute(&span.label, attribute, v)?;
                span.attributes.insert(attribute.to_owned(), v.to_owned());
            }
            None => {
                span.attributes.remove(attribute);
            }
        }
        self.apply(Edit::ReplaceSpan(span))
    }

    pub fn set_note(&mut self, id: &str, note: Option<String>) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        span.note = note.filter(|n| !n.trim().is_empty());
        self.apply(Edit::ReplaceSpan(span))
    }

    /// Accepts or rejects a suggested span (or puts it back to suggested).
    pub fn set_review(&mut self, id: &str, review: ReviewState) -> Result<(), EditError> {
        let mut span = self.span_or_err(id)?;
        span.review = review;
        self.apply(Edit::ReplaceSpan(span))
    }

    /// Deletes a span together with the relations that touch it; it leaves the evidence lists of
    /// document labels, and a stance aimed at it keeps the span's text as a free-text target.
    pub fn delete_span(&mut self, id: &str) -> Result<(), EditError> {
        let span = self.span_or_err(id)?;
        let mut batch: Vec<Edit> = self
            .annotations
            .relations
            .iter()
            .filter(|r| r.from == id || r.to == id)
            .map(|r| Edit::DeleteRelation(r.id.clone()))
            .collect();
        for d in &self.annotations.doc_labels {
            let aims_at = matches!(&d.target, Some(Target::Span(t)) if t == id);
            if aims_at || d.evidence.iter().any(|e| e == id) {
                let mut nd = d.clone();
                if aims_at {
                    nd.target = Some(Target::Text(span.text.clone()));
                }
                nd.evidence.retain(|e| e != id);
                batch.push(Edit::ReplaceDocLabel(nd));
            }
        }
        batch.extend(self.detach_from_events_and_groups(id));
        batch.push(Edit::DeleteSpan(id.to_owned()));
        self.apply(Edit::Batch(batch))
    }

    /// The edits that take span (or event) `id` out of events and groups: an event it triggers
    /// goes (with what refers to that event, in turn), an argument it fills is dropped, and a
    /// group it belongs to loses it (a group left with fewer than two members goes).
    fn detach_from_events_and_groups(&self, id: &str) -> Vec<Edit> {
        let mut batch = Vec::new();
        let mut gone: Vec<String> = vec![id.to_owned()];
        // Events triggered by a gone span or event go, transitively through arguments.
        let mut k = 0;
        while k < gone.len() {
            let g = gone[k].clone();
            for e in &self.annotations.events {
                if e.trigger == g && !gone.contains(&e.id) {
                    gone.push(e.id.clone());
                }
            }
            k += 1;
        }
        for e in &self.annotations.events {
            if gone.contains(&e.id) {
                batch.push(Edit::DeleteEvent(e.id.clone()));
            } else if e.arguments.iter().any(|a| gone.contains(&a.target)) {
                let mut ne = e.clone();
                ne.arguments.retain(|a| !gone.contains(&a.target));
                batch.push(Edit::ReplaceEvent(ne));
            }
        }
        for g in &self.annotations.groups {
            if g.members.iter().any(|m| gone.contains(m)) {
                let mut ng = g.clone();
                ng.members.retain(|m| !gone.contains(m));
                batch.push(if ng.members.len() < 2 {
                    Edit::DeleteGroup(g.id.clone())
                } else {
                    Edit::ReplaceGroup(ng)
                });
            }
        }
        batch
    }

    /// Links two spans with a relation of the schema; returns the relation's id.
    pub fn add_relation(
        &mut self,
        schema: &Schema,
        kind: &str,
        from: &str,
        to: &str,
    ) -> Result<String, EditError> {
        if from == to {
            return Err(EditError::SelfRelation);
        }
        let (a, b) = (self.span_or_err(from)?, self.span_or_err(to)?);
        schema.check_relation(kind, &a.label, &b.label)?;
        let id = self.annotations.alloc_relation_id();
        self.apply(Edit::InsertRelation(Relation::new(&id, kind, from, to)))?;
        Ok(id)
    }

    pub fn delete_relation(&mut self, id: &str) -> Result<(), EditError> {
        self.apply(Edit::DeleteRelation(id.to_owned()))
    }

    /// Sets a document label. For a label that may occur only once, an existing one is changed;
    /// otherwise (stance toward several targets) a new one is added. Returns its id.
    pub fn set_doc_label(
        &mut self,
        schema: &Schema,
        name: &str,
        value: &str,
        target: Option<Target>,
        evidence: Vec<String>,
    ) -> Result<String, EditError> {
        let def = schema.check_doc_label(name, value)?;
        if def.targeted && target.is_none() {
            return Err(EditError::MissingTarget(name.to_owned()));
        }
        if let Some(Target::Span(s)) = &target {
            self.span_or_err(s)?;
        }
        for e in &evidence {
            self.span_or_err(e)?;
        }
        let target = if def.targeted { target } else { None };
        let existing = self
            .annotations
            .doc_labels
            .iter()
            .find(|d| d.name == name && (!def.multiple || (def.targeted && d.target == target)))
            .cloned();
        match existing {
            Some(mut d) => {
                d.value = value.to_owned();
                d.evidence = evidence;
                let id = d.id.clone();
                self.apply(Edit::ReplaceDocLabel(d))?;
                Ok(id)
            }
            None => {
                let id = self.annotations.alloc_doc_label_id();
                self.apply(Edit::InsertDocLabel(DocLabel {
                    id: id.clone(),
                    name: name.to_owned(),
                    value: value.to_owned(),
                    target,
                    evidence,
                    ..DocLabel::default()
                }))?;
                Ok(id)
            }
        }
    }

    /// Adds or removes one evidence span of a document label.
    pub fn toggle_evidence(&mut self, label_id: &str, span_id: &str) -> Result<(), EditError> {
        self.span_or_err(span_id)?;
        let mut d = self
            .annotations
            .doc_label(label_id)
            .cloned()
            .ok_or_else(|| EditError::NoDocLabel(label_id.to_owned()))?;
        if let Some(i) = d.evidence.iter().position(|e| e == span_id) {
            d.evidence.remove(i);
        } else {
            d.evidence.push(span_id.to_owned());
        }
        self.apply(Edit::ReplaceDocLabel(d))
    }

    pub fn delete_doc_label(&mut self, id: &str) -> Result<(), EditError> {
        self.apply(Edit::DeleteDocLabel(id.to_owned()))
    }

    pub fn set_status(&mut self, status: DocStatus) -> Result<(), EditError> {
        if self.annotations.status == status {
            return Ok(());
        }
        self.apply(Edit::SetStatus(status))
    }
}

/// A checked span shape: whole range, fragments (empty if contiguous) and covered text.
type CheckedPieces = (Range<usize>, Vec<Range<usize>>, String);

/// Checks span pieces against the text: non-empty, inside the text, on grapheme boundaries, in
/// order and apart. Returns the whole range, the fragments (empty if contiguous) and covered text.
fn check_pieces(doc: &Document, mut pieces: Vec<Range<usize>>) -> Result<CheckedPieces, EditError> {
    pieces.sort_by_key(|p| (p.start, p.end));
    if pieces.is_empty() || pieces.iter().any(|p| p.start >= p.end) {
        return Err(EditError::EmptySpan);
    }
    let mut texts = Vec::with_capacity(pieces.len());
    for p in &pieces {
        let text = doc.slice(p.clone()).ok_or(EditError::OutOfText {
            start: p.start,
            end: p.end,
            len: doc.len_chars(),
        })?;
        let snapped = |pos| doc.snap_to_grapheme(pos, super::segment::Snap::Backward) == pos;
        if !snapped(p.start) || !snapped(p.end) {
            return Err(EditError::InsideGrapheme {
                start: p.start,
                end: p.end,
            });
        }
        texts.push(text.to_owned());
    }
    // Merge touching or overlapping pieces.
    let mut merged: Vec<Range<usize>> = Vec::new();
    for p in pieces {
        match merged.last_mut() {
            Some(last) if p.start <= last.end => last.end = last.end.max(p.end),
            _ => merged.push(p),
        }
    }
    let range = merged[0].start..merged[merged.len() - 1].end;
    if merged.len() == 1 {
        let text = doc.slice(range.clone()).unwrap_or_default().to_owned();
        return Ok((range, Vec::new(), text));
    }
    let text = merged
        .iter()
        .filter_map(|p| doc.slice(p.clone()))
        .collect::<Vec<_>>()
        .join(" ");
    Ok((range, merged, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Document, Schema, Editor) {
        (
            Document::from_text("t.txt", "قال محمد إن وبواشنطن ترفض 👍🏽 القرار"),
            Schema::builtin(),
            Editor::default(),
        )
    }

    #[test]
    fn add_undo_redo() {
        let (doc, schema, mut ed) = setup();
        let before = ed.annotations().clone();
        let id = ed.add_span(&doc, &schema, 4..8, "PER").unwrap();
        assert_eq!(ed.annotations().span(&id).unwrap().text, "محمد");
        let after = ed.annotations().clone();
        assert!(ed.undo());
        assert_eq!(ed.annotations(), &before);
        assert!(ed.redo());
        assert_eq!(ed.annotations(), &after);
        assert!(!ed.redo());
    }

    #[test]
    fn refusals_change_nothing() {
        let (doc, schema, mut ed) = setup();
        assert_eq!(
            ed.add_span(&doc, &schema, 3..3, "PER"),
            Err(EditError::EmptySpan)
        );
        assert!(matches!(
            ed.add_span(&doc, &schema, 3..900, "PER"),
            Err(EditError::OutOfText { .. })
        ));
        assert!(matches!(
            ed.add_span(&doc, &schema, 4..8, "PERSON"),
            Err(EditError::Schema(SchemaError::UnknownLabel { .. }))
        ));
        // The thumbs-up with its skin tone is one grapheme: 26..28 in Python; 26..27 cuts it.
        assert!(matches!(
            ed.add_span(&doc, &schema, 26..27, "MISC"),
            Err(EditError::InsideGrapheme { .. })
        ));
        assert!(ed.annotations().is_empty());
        assert!(!ed.can_undo());
    }

    #[test]
    fn delete_span_takes_its_relations_and_undo_brings_them_back() {
        let (doc, schema, mut ed) = setup();
        let per = ed.add_span(&doc, &schema, 4..8, "PER").unwrap();
        let claim = ed.add_span(&doc, &schema, 12..25, "CLAIM").unwrap();
        ed.add_relation(&schema, "attributed_to", &claim, &per)
            .unwrap();
        ed.set_doc_label(
            &schema,
            "stance",
            "against",
            Some(Target::Span(per.clone())),
            vec![claim.clone()],
        )
        .unwrap();
        let full = ed.annotations().clone();
        ed.delete_span(&per).unwrap();
        assert!(ed.annotations().relations.is_empty());
        assert_eq!(
            ed.annotations().doc_labels[0].target,
            Some(Target::Text("محمد".into()))
        );
        ed.undo();
        assert_eq!(ed.annotations(), &full);
    }

    #[test]
    fn resizing_a_discontinuous_span_keeps_its_pieces() {
        let (doc, schema, mut ed) = setup();
        let id = ed
            .add_span_with(
                &doc,
                &schema,
                vec![0..3, 21..25],
                "MISC",
                Source::Human,
                ReviewState::Accepted,
            )
            .unwrap();
        ed.resize_span(&doc, &schema, &id, 0..20).unwrap_err();
        ed.resize_span(&doc, &schema, &id, 4..25).unwrap_err();
        let s = ed.annotations().span(&id).unwrap();
        assert_eq!(
            s.fragments,
            vec![0..3, 21..25],
            "refused resizes change nothing"
        );
        ed.resize_span(&doc, &schema, &id, 1..25).unwrap();
        assert_eq!(
            ed.annotations().span(&id).unwrap().fragments,
            vec![1..3, 21..25]
        );
    }

    #[test]
    fn a_group_is_one_undo_step_and_a_failing_group_changes_nothing() {
        let (doc, schema, mut ed) = setup();
        let id = ed
            .group(|ed| {
                let id = ed.add_span(&doc, &schema, 4..8, "PER")?;
                ed.set_status(DocStatus::InProgress)?;
                Ok(id)
            })
            .unwrap();
        assert_eq!(ed.annotations().status, DocStatus::InProgress);
        assert!(ed.undo());
        assert!(ed.annotations().span(&id).is_none());
        assert_eq!(ed.annotations().status, DocStatus::New);
        assert!(!ed.can_undo());
        let before = ed.annotations().clone();
        let r = ed.group(|ed| {
            ed.add_span(&doc, &schema, 4..8, "PER")?;
            ed.add_span(&doc, &schema, 4..8, "NOPE")
        });
        assert!(r.is_err());
        assert_eq!(ed.annotations(), &before);
    }

    #[test]
    fn tag_all_is_one_undo_step() {
        let (doc, schema, mut ed) = setup();
        let ids = ed.add_spans(&doc, &schema, &[4..8, 14..20], "GPE").unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(
            ed.add_spans(&doc, &schema, std::slice::from_ref(&(4..8)), "GPE")
                .unwrap()
                .len(),
            0,
            "no duplicates"
        );
        ed.undo();
        assert!(ed.annotations().spans().is_empty());
    }

    #[test]
    fn no_nesting_schema_refuses_nested_spans() {
        let (doc, mut schema, mut ed) = setup();
        schema.allow_nesting = false;
        ed.add_span(&doc, &schema, 12..20, "GPE").unwrap();
        assert!(matches!(
            ed.add_span(&doc, &schema, 14..20, "GPE"),
            Err(EditError::Nesting(_))
        ));
    }

    #[test]
    fn pieces_are_added_and_removed_one_undo_step_each() {
        let (doc, schema, mut ed) = setup();
        let id = ed.add_span(&doc, &schema, 0..3, "CLAIM").unwrap();
        ed.add_piece(&doc, &schema, &id, 21..25).unwrap();
        let s = ed.annotations().span(&id).unwrap();
        assert_eq!(
            (s.fragments.clone(), s.text.as_str()),
            (vec![0..3, 21..25], "قال ترفض")
        );
        // A piece touching another merges with it.
        ed.add_piece(&doc, &schema, &id, 3..4).unwrap();
        assert_eq!(
            ed.annotations().span(&id).unwrap().fragments,
            vec![0..4, 21..25]
        );
        ed.remove_piece(&doc, &schema, &id, 0).unwrap();
        let s = ed.annotations().span(&id).unwrap();
        assert_eq!((s.start, s.end, s.fragments.is_empty()), (21, 25, true));
        assert!(
            ed.remove_piece(&doc, &schema, &id, 0).is_err(),
            "the last piece stays"
        );
        ed.undo();
        ed.undo();
        assert_eq!(
            ed.annotations().span(&id).unwrap().fragments,
            vec![0..3, 21..25]
        );
    }

    #[test]
    fn discontinuous_span_text_joins_pieces() {
        let (doc, schema, mut ed) = setup();
        let id = ed
            .add_span_with(
                &doc,
                &schema,
                vec![21..25, 0..3],
                "MISC",
                Source::Human,
                ReviewState::Accepted,
            )
            .unwrap();
        let s = ed.annotations().span(&id).unwrap();
        assert_eq!((s.start, s.end, s.text.as_str()), (0, 25, "قال ترفض"));
        assert_eq!(s.fragments, vec![0..3, 21..25]);
    }
}
