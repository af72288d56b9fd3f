//! Curation: a curator builds the gold layer out of several annotators' layers, one unit of
//! disagreement at a time.
//!
//! What agrees is merged automatically, by the rule of [`super::merge`] ([`super::merge::merge_edit`]
//! on first opening). What remains is a list of **units**, found exactly as `hashiya merge` counts
//! its open disagreements, so that the two always give the same numbers:
//!
//! - a **span unit** is a group of overlapping span variants (extent and label) that not enough
//!   layers share; it is decided once the gold layer has a span, in any review state, over the
//!   extent of one of its variants. An agreed span the gold layer lacks (a curator deleted it, or
//!   an annotator added it after the first merge) is a unit of its own;
//! - a **relation unit** is a pair of gold spans between which the layers drew relations of
//!   different types (or too few layers drew one); decided once the gold layer has a relation
//!   between them. It appears once both ends are in the gold layer;
//! - a **document label unit** is a label name and target (and, for labels that take several
//!   values, the value) on which the layers gave different values; decided once the gold layer
//!   has that label for that target.
//!
//! Each unit lists every variant with the annotators who made it, and the annotators who made
//! none. A decision ([`decide::decide`]) is one [`super::Edit`]: the chosen variant goes in as an
//! accepted annotation with its makers as provenance, every other variant as a `rejected` one,
//! so the gold sidecar keeps the whole decision and reopening shows the curation as it was left.

pub mod decide;
pub mod progress;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::annotation::{Annotations, DocLabel, Relation, Span, Target};
use super::merge::{self, Layer, MergeRule, SpanKey, TargetKey};
use super::schema::Schema;

pub use decide::{decide, CurationError, Decision};

/// What a unit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitKind {
    Span,
    Relation,
    DocLabel,
}

impl UnitKind {
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Span => "span",
            UnitKind::Relation => "relation",
            UnitKind::DocLabel => "document label",
        }
    }
}

/// One annotator's (or several annotators' identical) answer for a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Who made it, sorted.
    pub annotators: Vec<String>,
    pub item: VariantItem,
}

/// The annotation a variant stands for, as its first maker wrote it.
// A document has tens of units, not millions: the relation variant's size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum VariantItem {
    Span(Span),
    /// A relation with the maker's spans at its two ends.
    Relation {
        relation: Relation,
        from: Span,
        to: Span,
    },
    /// A document label with the maker's evidence spans.
    DocLabel {
        label: DocLabel,
        evidence: Vec<Span>,
    },
}

impl VariantItem {
    /// What a label key changes: the span's label, the relation's type, the document label's
    /// value.
    pub fn label(&self) -> &str {
        match self {
            VariantItem::Span(s) => &s.label,
            VariantItem::Relation { relation, .. } => &relation.kind,
            VariantItem::DocLabel { label, .. } => &label.value,
        }
    }
}

/// Where a unit lives in the gold layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitAnchor {
    /// Span variants: placed by their own extents.
    Text,
    /// Relations between these two gold spans.
    Pair { from: String, to: String },
    /// A document label of this name toward this gold target (and this value, for labels that
    /// take several).
    Label {
        name: String,
        target: Option<Target>,
        value: Option<String>,
    },
}

/// One unit of disagreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub kind: UnitKind,
    /// Sorted by extent, then label.
    pub variants: Vec<Variant>,
    /// The annotators of the layers who made none of the variants.
    pub silent: Vec<String>,
    /// Not decided in the gold layer yet.
    pub open: bool,
    /// The text it covers (spans: all variants; relations: both ends; a label: its target span).
    pub range: Option<Range<usize>>,
    pub anchor: UnitAnchor,
}

/// The units of one document and how many are open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curation {
    pub units: Vec<Unit>,
}

impl Curation {
    pub fn open(&self) -> usize {
        self.units.iter().filter(|u| u.open).count()
    }

    /// "3 of 41 open".
    pub fn progress(&self) -> String {
        format!("{} of {} open", self.open(), self.units.len())
    }
}

/// The units of disagreement among `layers`, against the gold layer `gold` as it is now: spans
/// in text order, then relations, then document labels.
pub fn units(
    gold: &Annotations,
    layers: &[Layer<'_>],
    rule: &MergeRule,
    schema: &Schema,
) -> Curation {
    if layers.is_empty() {
        return Curation::default();
    }
    let need = rule.threshold(layers.len());
    let names: Vec<&str> = layers.iter().map(|l| l.annotator).collect();
    let mut units = span_units(gold, layers, need, &names);
    units.extend(relation_units(gold, layers, need, &names));
    units.extend(label_units(gold, layers, need, &names, schema));
    Curation { units }
}

fn sorted_names<T>(makers: &[(&str, &T)]) -> Vec<String> {
    let mut v: Vec<String> = makers.iter().map(|(a, _)| (*a).to_owned()).collect();
    v.sort();
    v
}

fn silent(all: &[&str], variants: &[Variant]) -> Vec<String> {
    let made: BTreeSet<&str> = variants
        .iter()
        .flat_map(|v| v.annotators.iter().map(String::as_str))
        .collect();
    let mut v: Vec<String> = all
        .iter()
        .filter(|a| !made.contains(*a))
        .map(|a| (*a).to_owned())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn has_extent(gold: &Annotations, key: &SpanKey) -> bool {
    gold.spans_overlapping(key.start..key.end)
        .any(|s| key.same_extent(s))
}

fn span_units(gold: &Annotations, layers: &[Layer<'_>], need: usize, all: &[&str]) -> Vec<Unit> {
    let makers = merge::span_makers(layers);
    let mut units = Vec::new();
    // Agreed spans the gold layer holds no decision on: one unit each.
    for (key, m) in makers.iter().filter(|(_, m)| m.len() >= need) {
        if !merge::decided_span(gold, key, m) {
            let variants = vec![Variant {
                annotators: sorted_names(m),
                item: VariantItem::Span(m[0].1.clone()),
            }];
            units.push(Unit {
                kind: UnitKind::Span,
                silent: silent(all, &variants),
                variants,
                open: true,
                range: Some(key.start..key.end),
                anchor: UnitAnchor::Text,
            });
        }
    }
    // Groups of overlapping variants that not enough layers share (sorted by start).
    let loose: Vec<(&SpanKey, &Vec<(&str, &Span)>)> =
        makers.iter().filter(|(_, m)| m.len() < need).collect();
    let mut i = 0;
    while i < loose.len() {
        let mut end = loose[i].0.end;
        let mut j = i + 1;
        while j < loose.len() && loose[j].0.start < end {
            end = end.max(loose[j].0.end);
            j += 1;
        }
        let group = &loose[i..j];
        let variants: Vec<Variant> = group
            .iter()
            .map(|(_, m)| Variant {
                annotators: sorted_names(m),
                item: VariantItem::Span(m[0].1.clone()),
            })
            .collect();
        units.push(Unit {
            kind: UnitKind::Span,
            silent: silent(all, &variants),
            open: !group.iter().any(|(k, _)| has_extent(gold, k)),
            variants,
            range: Some(loose[i].0.start..end),
            anchor: UnitAnchor::Text,
        });
        i = j;
    }
    units.sort_by_key(|u| u.range.as_ref().map(|r| (r.start, r.end)));
    units
}

fn relation_units(
    gold: &Annotations,
    layers: &[Layer<'_>],
    need: usize,
    all: &[&str],
) -> Vec<Unit> {
    // Relation variants by the pair of gold spans at their ends.
    let mut pairs: BTreeMap<(String, String), Vec<Variant>> = BTreeMap::new();
    let mut loose: BTreeSet<(String, String)> = BTreeSet::new();
    for (key, makers) in &merge::relation_makers(layers) {
        let ends = (
            merge::target_span(gold, &key.from),
            merge::target_span(gold, &key.to),
        );
        let (Some(from), Some(to)) = ends else {
            continue; // waits for its end spans
        };
        let pair = (from.id.clone(), to.id.clone());
        if makers.len() < need {
            loose.insert(pair.clone());
        }
        let (annotator, relation) = makers[0];
        let layer = layers.iter().find(|l| l.annotator == annotator);
        let end = |id: &str| layer.and_then(|l| l.annotations.span(id)).cloned();
        let (Some(f), Some(t)) = (end(&relation.from), end(&relation.to)) else {
            continue;
        };
        pairs.entry(pair).or_default().push(Variant {
            annotators: sorted_names(makers),
            item: VariantItem::Relation {
                relation: relation.clone(),
                from: f,
                to: t,
            },
        });
    }
    let mut units = Vec::new();
    for ((from, to), variants) in pairs {
        let decided = gold.relations.iter().any(|r| r.from == from && r.to == to);
        let pair = (from.clone(), to.clone());
        if decided && !loose.contains(&pair) {
            continue; // agreed and merged
        }
        let range = match (gold.span(&from), gold.span(&to)) {
            (Some(a), Some(b)) => Some(a.start.min(b.start)..a.end.max(b.end)),
            _ => None,
        };
        units.push(Unit {
            kind: UnitKind::Relation,
            silent: silent(all, &variants),
            variants,
            open: !decided,
            range,
            anchor: UnitAnchor::Pair { from, to },
        });
    }
    units.sort_by_key(|u| u.range.as_ref().map(|r| (r.start, r.end)));
    units
}

type LabelGroup = (String, TargetKey, Option<String>);

fn label_units(
    gold: &Annotations,
    layers: &[Layer<'_>],
    need: usize,
    all: &[&str],
    schema: &Schema,
) -> Vec<Unit> {
    let mut groups: BTreeMap<LabelGroup, (Vec<Variant>, bool)> = BTreeMap::new();
    for (key, makers) in &merge::label_makers(layers) {
        let def = schema.doc_label(&key.name).ok();
        let several_values = def.is_some_and(|d| d.multiple && !d.targeted);
        let group = (
            key.name.clone(),
            key.target.clone(),
            several_values.then(|| key.value.clone()),
        );
        if merge::resolve_target(gold, &key.target).is_none() {
            continue; // aimed at a span the gold layer does not have yet
        }
        let first = &makers[0];
        let evidence = first
            .label
            .evidence
            .iter()
            .filter_map(|id| first.layer.span(id).cloned())
            .collect();
        let mut annotators: Vec<String> = makers.iter().map(|m| m.annotator.to_owned()).collect();
        annotators.sort();
        let entry = groups.entry(group).or_default();
        entry.1 |= makers.len() < need;
        entry.0.push(Variant {
            annotators,
            item: VariantItem::DocLabel {
                label: first.label.clone(),
                evidence,
            },
        });
    }
    let mut units = Vec::new();
    for ((name, target_key, value), (variants, disagreed)) in groups {
        let Some(target) = merge::resolve_target(gold, &target_key) else {
            continue;
        };
        let decided = gold.doc_labels.iter().any(|d| {
            d.name == name && d.target == target && value.as_ref().is_none_or(|v| &d.value == v)
        });
        if decided && !disagreed {
            continue;
        }
        let range = match &target {
            Some(Target::Span(id)) => gold.span(id).map(Span::range),
            _ => None,
        };
        units.push(Unit {
            kind: UnitKind::DocLabel,
            silent: silent(all, &variants),
            variants,
            open: !decided,
            range,
            anchor: UnitAnchor::Label {
                name,
                target,
                value,
            },
        });
    }
    units
}

#[cfg(test)]
mod tests;
