//! A curator's decision on one unit, as one [`Edit`] of the gold layer (one undo step).
//!
//! The chosen variant ends up as an accepted annotation with its makers as provenance; every other
//! variant as a `rejected` one with its makers, so that the decision is kept in the gold sidecar.
//! Deciding a unit again (a curator changing their mind) changes the review of what the earlier
//! decision wrote instead of adding copies: ids stay, relations keep their ends.

use std::collections::BTreeMap;

use super::{Unit, UnitAnchor, VariantItem};
use crate::model::annotation::{Annotations, DocLabel, Relation, ReviewState, Span};
use crate::model::edit::Edit;
use crate::model::merge::{self, SpanKey};
use crate::model::schema::{Schema, SchemaError};

/// What the curator chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Variant `k` (0-based; the key is `k + 1`).
    Pick(usize),
    /// None of the variants.
    RejectAll,
    /// Variant `variant` with another label (a span's label, a relation's type, a document label's
    /// value).
    Correct { variant: usize, label: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurationError {
    #[error("this unit has no variant {0}")]
    NoVariant(usize),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("`{value}` is not a value of document label `{name}`")]
    NotAValue { name: String, value: String },
}

/// The edit that records `decision` on `unit` in `gold`; `None` when the gold layer already
/// says exactly that.
pub fn decide(
    gold: &Annotations,
    unit: &Unit,
    decision: &Decision,
    schema: &Schema,
) -> Result<Option<Edit>, CurationError> {
    let chosen = chosen(unit, decision)?;
    if let (Some((_, label)), Some(k)) = (&chosen, chosen_index(decision)) {
        if let Some(v) = unit.variants.get(k) {
            check_label(&v.item, label, schema)?;
        }
    }
    let mut scratch = gold.clone();
    let edits = match &unit.anchor {
        UnitAnchor::Text => decide_spans(&mut scratch, unit, chosen),
        UnitAnchor::Pair { from, to } => decide_relations(&mut scratch, unit, chosen, from, to),
        UnitAnchor::Label {
            name,
            target,
            value,
        } => decide_labels(&mut scratch, unit, chosen, (name, target, value)),
    };
    Ok((!edits.is_empty()).then_some(Edit::Batch(edits)))
}

/// The chosen variant's index and label.
fn chosen(unit: &Unit, decision: &Decision) -> Result<Option<(usize, String)>, CurationError> {
    let Some(k) = chosen_index(decision) else {
        return Ok(None);
    };
    let v = unit
        .variants
        .get(k)
        .ok_or(CurationError::NoVariant(k + 1))?;
    let label = match decision {
        Decision::Correct { label, .. } => label.clone(),
        _ => v.item.label().to_owned(),
    };
    Ok(Some((k, label)))
}

fn chosen_index(decision: &Decision) -> Option<usize> {
    match decision {
        Decision::Pick(k) => Some(*k),
        Decision::Correct { variant, .. } => Some(*variant),
        Decision::RejectAll => None,
    }
}

fn check_label(item: &VariantItem, label: &str, schema: &Schema) -> Result<(), CurationError> {
    match item {
        VariantItem::Span(_) => {
            schema.span_label(label)?;
        }
        VariantItem::Relation { .. } => {
            schema.relation_type(label)?;
        }
        VariantItem::DocLabel { label: d, .. } => {
            let def = schema.doc_label(&d.name)?;
            if !def.values.is_empty() && !def.values.iter().any(|v| v == label) {
                return Err(CurationError::NotAValue {
                    name: d.name.clone(),
                    value: label.to_owned(),
                });
            }
        }
    }
    Ok(())
}

fn review_of(is_chosen: bool) -> ReviewState {
    if is_chosen {
        ReviewState::Accepted
    } else {
        ReviewState::Rejected
    }
}

fn spans_of(unit: &Unit) -> impl Iterator<Item = (&Span, &Vec<String>)> {
    unit.variants.iter().filter_map(|v| match &v.item {
        VariantItem::Span(s) => Some((s, &v.annotators)),
        _ => None,
    })
}

fn decide_spans(gold: &mut Annotations, unit: &Unit, chosen: Option<(usize, String)>) -> Vec<Edit> {
    let chosen_key = chosen.as_ref().and_then(|(k, label)| {
        spans_of(unit).nth(*k).map(|(s, _)| SpanKey {
            label: label.clone(),
            ..SpanKey::of(s)
        })
    });
    let makers: Vec<&String> = spans_of(unit).flat_map(|(_, a)| a).collect();
    // What the gold layer holds over the variants' extents: decided by an earlier decision (it
    // has provenance from this unit's makers) or drawn by the curator.
    let mut reviews: BTreeMap<String, ReviewState> = BTreeMap::new();
    let mut present: Vec<SpanKey> = Vec::new();
    for (v, _) in spans_of(unit) {
        let key = SpanKey::of(v);
        for g in gold.spans_overlapping(key.start..key.end) {
            if !key.same_extent(g) || reviews.contains_key(&g.id) {
                continue;
            }
            let gk = SpanKey::of(g);
            let ours = g.annotators.iter().any(|a| makers.contains(&a));
            if ours || gk == key || Some(&gk) == chosen_key.as_ref() {
                reviews.insert(g.id.clone(), review_of(Some(&gk) == chosen_key.as_ref()));
                present.push(gk);
            }
        }
    }
    let mut edits = Vec::new();
    for (id, review) in reviews {
        if let Some(g) = gold.span(&id).filter(|g| g.review != review) {
            edits.push(Edit::ReplaceSpan(Span {
                review,
                ..g.clone()
            }));
        }
    }
    let variants: Vec<(Span, Vec<String>)> = spans_of(unit)
        .map(|(s, a)| (s.clone(), a.clone()))
        .collect();
    for (k, (template, annotators)) in variants.iter().enumerate() {
        let mut key = SpanKey::of(template);
        let is_chosen = chosen.as_ref().is_some_and(|(c, _)| *c == k);
        if is_chosen {
            if let Some(ck) = &chosen_key {
                key = ck.clone();
            }
        }
        if present.contains(&key) {
            continue;
        }
        if is_chosen && key.label != template.label {
            // A correction: the chosen extent with the curator's label, and the variant as it
            // was, rejected.
            edits.push(insert_span(gold, template, annotators, &key.label, true));
            present.push(key);
            let original = SpanKey::of(template);
            if !present.contains(&original) {
                edits.push(insert_span(
                    gold,
                    template,
                    annotators,
                    &template.label,
                    false,
                ));
                present.push(original);
            }
            continue;
        }
        edits.push(insert_span(
            gold, template, annotators, &key.label, is_chosen,
        ));
        present.push(key);
    }
    edits
}

fn insert_span(
    gold: &mut Annotations,
    template: &Span,
    annotators: &[String],
    label: &str,
    chosen: bool,
) -> Edit {
    let span = Span {
        id: gold.alloc_span_id(),
        label: label.to_owned(),
        note: None,
        score: None,
        review: review_of(chosen),
        annotators: annotators.to_vec(),
        ..template.clone()
    };
    gold.insert_span(span.clone());
    Edit::InsertSpan(span)
}

fn decide_relations(
    gold: &mut Annotations,
    unit: &Unit,
    chosen: Option<(usize, String)>,
    from: &str,
    to: &str,
) -> Vec<Edit> {
    let chosen_kind = chosen.as_ref().map(|(_, l)| l.clone());
    let mut edits = Vec::new();
    let mut present: Vec<String> = Vec::new();
    for r in gold
        .relations
        .iter()
        .filter(|r| r.from == from && r.to == to)
    {
        let review = review_of(chosen_kind.as_deref() == Some(r.kind.as_str()));
        present.push(r.kind.clone());
        if r.review != review {
            edits.push(Edit::ReplaceRelation(Relation {
                review,
                ..r.clone()
            }));
        }
    }
    let mut wanted: Vec<(String, &Relation, &Vec<String>)> = Vec::new();
    for (k, v) in unit.variants.iter().enumerate() {
        let VariantItem::Relation { relation, .. } = &v.item else {
            continue;
        };
        wanted.push((relation.kind.clone(), relation, &v.annotators));
        if let Some((c, kind)) = &chosen {
            if *c == k && kind != &relation.kind {
                wanted.push((kind.clone(), relation, &v.annotators));
            }
        }
    }
    for (kind, template, annotators) in wanted {
        if present.contains(&kind) {
            continue;
        }
        let rel = Relation {
            id: gold.alloc_relation_id(),
            kind: kind.clone(),
            from: from.to_owned(),
            to: to.to_owned(),
            attributes: template.attributes.clone(),
            note: None,
            review: review_of(chosen_kind.as_deref() == Some(kind.as_str())),
            annotators: annotators.clone(),
        };
        gold.insert_relation(rel.clone());
        edits.push(Edit::InsertRelation(rel));
        present.push(kind);
    }
    edits
}

type LabelAnchor<'a> = (
    &'a String,
    &'a Option<crate::model::annotation::Target>,
    &'a Option<String>,
);

fn decide_labels(
    gold: &mut Annotations,
    unit: &Unit,
    chosen: Option<(usize, String)>,
    (name, target, value): LabelAnchor<'_>,
) -> Vec<Edit> {
    let chosen_value = chosen.as_ref().map(|(_, l)| l.clone());
    let mut edits = Vec::new();
    let mut present: Vec<String> = Vec::new();
    for d in gold.doc_labels.iter().filter(|d| {
        &d.name == name && &d.target == target && value.as_ref().is_none_or(|v| &d.value == v)
    }) {
        let review = review_of(chosen_value.as_deref() == Some(d.value.as_str()));
        present.push(d.value.clone());
        if d.review != review {
            edits.push(Edit::ReplaceDocLabel(DocLabel {
                review,
                ..d.clone()
            }));
        }
    }
    let mut wanted: Vec<(String, &[Span], &Vec<String>)> = Vec::new();
    for (k, v) in unit.variants.iter().enumerate() {
        let VariantItem::DocLabel { label, evidence } = &v.item else {
            continue;
        };
        wanted.push((label.value.clone(), evidence, &v.annotators));
        if let Some((c, corrected)) = &chosen {
            if *c == k && corrected != &label.value {
                wanted.push((corrected.clone(), evidence, &v.annotators));
            }
        }
    }
    for (val, evidence, annotators) in wanted {
        if present.contains(&val) {
            continue;
        }
        let evidence = evidence
            .iter()
            .filter_map(|s| merge::target_span(gold, &SpanKey::of(s)).map(|g| g.id.clone()))
            .collect();
        let label = DocLabel {
            id: gold.alloc_doc_label_id(),
            name: name.clone(),
            value: val.clone(),
            target: target.clone(),
            evidence,
            review: review_of(chosen_value.as_deref() == Some(val.as_str())),
            annotators: annotators.clone(),
        };
        gold.insert_doc_label(label.clone());
        edits.push(Edit::InsertDocLabel(label));
        present.push(val);
    }
    edits
}
