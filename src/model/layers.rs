//! Every sidecar of a document is a layer, named by its annotator: people, `model`, imported data,
//! `gold`. The workbench edits one layer (mine, or the gold layer while curating) and shows the
//! others read-only; nothing here ever writes another annotator's sidecar.
//!
//! Reviewing another layer means deciding, span by span, what goes into mine: taken (an accepted
//! span of mine, with the other layer named as its provenance, with its attributes, and with the
//! relations whose two ends are taken), corrected (taken with another label) or rejected (kept in
//! my sidecar as a `rejected` span, so that it is not offered again).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::annotation::{Annotations, Relation, ReviewState, Source, Span};
use super::document::Document;
use super::edit::{Edit, EditError, Editor};
use super::schema::Schema;
use super::sidecar;

/// One other annotator's annotations of the open document, read-only.
#[derive(Debug, Clone)]
pub struct Layer {
    pub annotator: String,
    pub path: PathBuf,
    /// The annotations, or why the sidecar cannot be read.
    pub annotations: Result<Annotations, String>,
}

impl Layer {
    pub fn spans(&self) -> &[Span] {
        self.annotations.as_ref().map_or(&[], |a| a.spans())
    }
}

/// The layers of `doc` other than `except`'s (the one being edited), sorted by annotator.
pub fn load_layers(doc: &Document, except: &str) -> Vec<Layer> {
    sidecar::sidecars_of(doc.path())
        .into_iter()
        .filter(|(a, _)| a != except)
        .map(|(annotator, path)| Layer {
            annotations: sidecar::load(doc, &annotator)
                .map(|l| l.annotations)
                .map_err(|e| e.to_string()),
            annotator,
            path,
        })
        .collect()
}

/// The shape of a span that decides whether two layers mean the same: its pieces and label.
pub type SpanShape = (Vec<(usize, usize)>, String);

pub fn shape_of(s: &Span) -> SpanShape {
    (
        s.pieces().iter().map(|p| (p.start, p.end)).collect(),
        s.label.clone(),
    )
}

/// Has my layer decided about a span of that shape (taken, corrected into it, or rejected)?
pub fn decided(mine: &Annotations, other: &Span) -> bool {
    let shape = shape_of(other);
    mine.spans().iter().any(|s| shape_of(s) == shape)
        || mine.spans().iter().any(|s| {
            // A correction: the same pieces, another label, made from that span's layer.
            s.pieces() == other.pieces() && !s.annotators.is_empty()
        })
}

/// The spans of other layers still to review: counted spans (and suggestions) of the given layers
/// that my layer has not decided about, in text order, as (layer index, span).
pub fn to_review<'a>(
    mine: &Annotations,
    layers: &'a [(usize, &'a Layer)],
) -> Vec<(usize, &'a Span)> {
    let mut out: Vec<(usize, &Span)> = layers
        .iter()
        .flat_map(|(k, l)| l.spans().iter().map(move |s| (*k, s)))
        .filter(|(_, s)| s.review != ReviewState::Rejected && !decided(mine, s))
        .collect();
    out.sort_by(|a, b| a.1.cmp_order(b.1).then(a.0.cmp(&b.0)));
    // The same span in several layers is one decision.
    out.dedup_by(|a, b| shape_of(a.1) == shape_of(b.1));
    out
}

/// A copy of `other`'s span for my layer: its pieces, label, attributes and note, made by a
/// person (`human`), reviewed as `review`, with the layers it came from as provenance.
fn copy_for_me(other: &Span, id: String, layer: &str, label: &str, review: ReviewState) -> Span {
    let mut annotators = other.annotators.clone();
    if !annotators.iter().any(|a| a == layer) {
        annotators.push(layer.to_owned());
    }
    annotators.sort();
    annotators.dedup();
    Span {
        id,
        label: label.to_owned(),
        source: Source::Human,
        review,
        score: None,
        annotators,
        ..other.clone()
    }
}

/// Takes `span` of `layer` into my layer (as `label`, its own or a correction) as an accepted
/// span, with the relations of that layer whose two ends are now both in mine: one undoable
/// step. Returns the new span's id.
pub fn take_span(
    editor: &mut Editor,
    doc: &Document,
    schema: &Schema,
    layer: &Layer,
    span: &Span,
    label: &str,
) -> Result<String, EditError> {
    let def = schema.span_label(label)?.clone();
    editor.group(|ed| {
        // Checked like any new span (inside the text, whole graphemes, the schema's overlap rules).
        let id = ed.add_span_with(
            doc,
            schema,
            span.pieces().into_vec(),
            label,
            Source::Human,
            ReviewState::Accepted,
        )?;
        let placed = ed
            .annotations()
            .span(&id)
            .cloned()
            .ok_or_else(|| EditError::NoSpan(id.clone()))?;
        let mut new = copy_for_me(
            span,
            id.clone(),
            &layer.annotator,
            label,
            ReviewState::Accepted,
        );
        new.text = placed.text;
        // Attributes the label does not have are left behind (a correction to another label).
        new.attributes
            .retain(|k, _| def.attributes.iter().any(|a| &a.name == k));
        ed.apply(Edit::ReplaceSpan(new.clone()))?;
        if let Ok(theirs) = &layer.annotations {
            let mut set = ed.annotations().clone();
            for e in relations_now_complete(&mut set, theirs, span, &new) {
                ed.apply(e)?;
            }
        }
        Ok(id)
    })
}

/// Relations of `theirs` touching `taken` whose other end is already in my layer (found by shape):
/// new relations of mine between the same spans.
fn relations_now_complete(
    mine: &mut Annotations,
    theirs: &Annotations,
    taken: &Span,
    new: &Span,
) -> Vec<Edit> {
    let mine_by_shape: BTreeMap<SpanShape, String> = mine
        .spans()
        .iter()
        .filter(|s| s.is_counted())
        .map(|s| (shape_of(s), s.id.clone()))
        .collect();
    let mine_of = |their_id: &str| -> Option<String> {
        if their_id == taken.id {
            return Some(new.id.clone());
        }
        mine_by_shape
            .get(&shape_of(theirs.span(their_id)?))
            .cloned()
    };
    let mut out = Vec::new();
    for r in theirs
        .relations
        .iter()
        .filter(|r| r.from == taken.id || r.to == taken.id)
    {
        let (Some(from), Some(to)) = (mine_of(&r.from), mine_of(&r.to)) else {
            continue;
        };
        let exists = mine
            .relations
            .iter()
            .any(|m| m.kind == r.kind && m.from == from && m.to == to);
        if exists || from == to {
            continue;
        }
        let id = mine.alloc_relation_id();
        out.push(Edit::InsertRelation(Relation {
            id,
            from,
            to,
            review: ReviewState::Accepted,
            annotators: vec![],
            ..r.clone()
        }));
    }
    out
}

/// Records in my layer that `span` of `layer` is rejected: a `rejected` copy, so that it is not
/// offered again (and a merge or a suggester never brings it back). Returns its id.
pub fn reject_span(editor: &mut Editor, layer: &Layer, span: &Span) -> Result<String, EditError> {
    let mut set = editor.annotations().clone();
    let id = set.alloc_span_id();
    let copy = copy_for_me(
        span,
        id.clone(),
        &layer.annotator,
        &span.label,
        ReviewState::Rejected,
    );
    editor.apply(Edit::InsertSpan(copy))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Document, Schema, Layer) {
        let doc = Document::from_text("a.txt", "قال الوزير إن وبواشنطن ترفض القرار");
        let schema = Schema::builtin();
        let mut theirs = Editor::default();
        let per = theirs.add_span(&doc, &schema, 4..10, "PER").unwrap();
        let gpe = theirs.add_span(&doc, &schema, 16..22, "GPE").unwrap();
        let claim = theirs.add_span(&doc, &schema, 14..28, "CLAIM").unwrap();
        theirs
            .set_attribute(&schema, &claim, "check_worthy", Some("yes"))
            .unwrap();
        theirs
            .add_relation(&schema, "attributed_to", &claim, &per)
            .unwrap();
        let _ = gpe;
        let layer = Layer {
            annotator: "omar".into(),
            path: PathBuf::from("a.txt.omar.hashiya.json"),
            annotations: Ok(theirs.annotations().clone()),
        };
        (doc, schema, layer)
    }

    #[test]
    fn taking_copies_attributes_provenance_and_completed_relations() {
        let (doc, schema, layer) = setup();
        let mut mine = Editor::default();
        let theirs = layer.spans().to_vec();
        let claim = theirs.iter().find(|s| s.label == "CLAIM").unwrap();
        let per = theirs.iter().find(|s| s.label == "PER").unwrap();
        let c = take_span(&mut mine, &doc, &schema, &layer, claim, "CLAIM").unwrap();
        assert!(
            mine.annotations().relations.is_empty(),
            "its other end is not mine yet"
        );
        let p = take_span(&mut mine, &doc, &schema, &layer, per, "PER").unwrap();
        let a = mine.annotations();
        let taken = a.span(&c).unwrap();
        assert_eq!(
            taken.attributes.get("check_worthy").map(String::as_str),
            Some("yes")
        );
        assert_eq!(taken.annotators, ["omar"]);
        assert_eq!(
            (taken.source, taken.review),
            (Source::Human, ReviewState::Accepted)
        );
        assert_eq!(a.relations.len(), 1);
        assert_eq!(
            (a.relations[0].from.as_str(), a.relations[0].to.as_str()),
            (c.as_str(), p.as_str())
        );
        // One undo step each.
        assert!(mine.undo());
        assert!(mine.annotations().relations.is_empty());
        assert!(mine.annotations().span(&p).is_none());
    }

    #[test]
    fn decided_spans_are_not_offered_again() {
        let (doc, schema, layer) = setup();
        let mut mine = Editor::default();
        let layers = [(0, &layer)];
        assert_eq!(to_review(mine.annotations(), &layers).len(), 3);
        let gpe = layer
            .spans()
            .iter()
            .find(|s| s.label == "GPE")
            .unwrap()
            .clone();
        reject_span(&mut mine, &layer, &gpe).unwrap();
        let per = layer
            .spans()
            .iter()
            .find(|s| s.label == "PER")
            .unwrap()
            .clone();
        // A correction: taken as ORG.
        take_span(&mut mine, &doc, &schema, &layer, &per, "ORG").unwrap();
        let left = to_review(mine.annotations(), &layers);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].1.label, "CLAIM");
        let rejected = mine
            .annotations()
            .spans()
            .iter()
            .find(|s| s.label == "GPE")
            .unwrap();
        assert_eq!(rejected.review, ReviewState::Rejected);
        assert!(!rejected.is_counted());
    }
}
