//! The rule of merge: what several annotators agree on goes into one target layer (e.g. `gold`)
//! as accepted annotations with provenance, and nothing already in the target is removed or
//! changed — a curator's rejections, additions and corrections survive every re-run.
//!
//! Units are compared exactly (docs/team.md has the rules in full):
//! - a **span** is its start, end, fragments and label; it is merged when at least N of the
//!   layers made it (counted spans only: neither suggested nor rejected);
//! - a **relation** is its type and the spans at its two ends; it is merged when N layers made it
//!   and both ends are spans of the target;
//! - a **document label** is its name, target (a span, by extent and label, or a text) and value;
//!   it is merged when N layers gave it and its target span, if any, is in the target.
//!
//! N is [`MergeRule::min_agree`], by default every layer given (every named annotator with a
//! sidecar for the document). The curation view applies the same function when a document is
//! first curated ([`merge_edit`] gives it as one undoable edit); [`corpus::merge_corpus`] runs it
//! over a corpus.

pub mod corpus;

use std::collections::{BTreeMap, BTreeSet};

use super::annotation::{Annotations, DocLabel, Relation, ReviewState, Source, Span, Target};
use super::edit::Edit;
use super::schema::Schema;

/// One annotator's annotations of the document.
#[derive(Debug, Clone, Copy)]
pub struct Layer<'a> {
    pub annotator: &'a str,
    pub annotations: &'a Annotations,
}

/// How many layers must agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeRule {
    /// At least this many layers (`None`: all the layers given).
    pub min_agree: Option<usize>,
}

impl MergeRule {
    /// The number of layers that must agree when `layers` are given (at least 1).
    pub fn threshold(&self, layers: usize) -> usize {
        self.min_agree.unwrap_or(layers).max(1)
    }
}

/// What merging one document did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// Items added to the target.
    pub spans: usize,
    pub relations: usize,
    pub doc_labels: usize,
    /// Agreed items not added because the target already holds a decision on them (the same
    /// item, accepted or rejected, or a correction of it).
    pub kept_decisions: usize,
    /// Open disagreements: groups of overlapping span variants, relations and document labels
    /// that not enough layers share and on which the target holds no decision yet.
    pub open_spans: usize,
    pub open_relations: usize,
    pub open_doc_labels: usize,
}

impl MergeOutcome {
    pub fn merged(&self) -> usize {
        self.spans + self.relations + self.doc_labels
    }

    pub fn open(&self) -> usize {
        self.open_spans + self.open_relations + self.open_doc_labels
    }

    pub fn add(&mut self, o: &MergeOutcome) {
        self.spans += o.spans;
        self.relations += o.relations;
        self.doc_labels += o.doc_labels;
        self.kept_decisions += o.kept_decisions;
        self.open_spans += o.open_spans;
        self.open_relations += o.open_relations;
        self.open_doc_labels += o.open_doc_labels;
    }
}

/// A span as merge compares it: extent (with fragments) and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanKey {
    pub start: usize,
    pub end: usize,
    pub fragments: Vec<(usize, usize)>,
    pub label: String,
}

impl SpanKey {
    pub fn of(s: &Span) -> Self {
        Self {
            start: s.start,
            end: s.end,
            fragments: s.fragments.iter().map(|f| (f.start, f.end)).collect(),
            label: s.label.clone(),
        }
    }

    pub fn same_extent(&self, s: &Span) -> bool {
        self.start == s.start
            && self.end == s.end
            && self.fragments.len() == s.fragments.len()
            && self
                .fragments
                .iter()
                .zip(&s.fragments)
                .all(|(a, b)| a.0 == b.start && a.1 == b.end)
    }

    pub fn overlaps(&self, s: &Span) -> bool {
        self.start < s.end && s.start < self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RelKey {
    pub from: SpanKey,
    pub to: SpanKey,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TargetKey {
    None,
    Text(String),
    Span(SpanKey),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LabelKey {
    pub name: String,
    pub target: TargetKey,
    pub value: String,
}

/// Who made each unit, with their copy of it (one per layer).
pub(crate) type Makers<'a, K, T> = BTreeMap<K, Vec<(&'a str, &'a T)>>;

/// Merges the agreed units of `layers` into `target` (see the module's rules); `schema` says
/// which document labels may occur more than once.
pub fn merge_into(
    target: &mut Annotations,
    layers: &[Layer<'_>],
    rule: &MergeRule,
    schema: &Schema,
) -> MergeOutcome {
    let mut out = MergeOutcome::default();
    if layers.is_empty() {
        return out;
    }
    let need = rule.threshold(layers.len());
    let spans = span_makers(layers);
    for (key, makers) in &spans {
        if makers.len() < need {
            continue;
        }
        if decided_span(target, key, makers) {
            out.kept_decisions += 1;
            continue;
        }
        let span = merged_span(target, key, makers, need);
        target.insert_span(span);
        out.spans += 1;
    }
    out.open_spans = open_span_groups(target, &spans, need);

    let relations = relation_makers(layers);
    // Pairs of target spans between which not enough layers drew the same relation.
    let mut open_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for (key, makers) in &relations {
        let ends = (target_span(target, &key.from), target_span(target, &key.to));
        let (Some(from), Some(to)) = ends else {
            continue; // decided with its end spans
        };
        let (from, to) = (from.id.clone(), to.id.clone());
        if makers.len() < need {
            open_pairs.insert((from, to));
            continue;
        }
        let between: Vec<&Relation> = target
            .relations
            .iter()
            .filter(|r| r.from == from && r.to == to)
            .collect();
        let same = between.iter().any(|r| r.kind == key.kind);
        let corrected = between
            .iter()
            .any(|r| shares_provenance(&r.annotators, makers));
        if same || corrected {
            out.kept_decisions += 1;
            continue;
        }
        let rel = Relation {
            id: target.alloc_relation_id(),
            kind: key.kind.clone(),
            from,
            to,
            attributes: agreed_attributes(makers.iter().map(|(_, r)| &r.attributes), need),
            annotators: names(makers),
            ..Relation::default()
        };
        target.insert_relation(rel);
        out.relations += 1;
    }
    out.open_relations = open_pairs
        .iter()
        .filter(|(f, t)| !target.relations.iter().any(|r| &r.from == f && &r.to == t))
        .count();

    let labels = label_makers(layers);
    let mut open_groups: BTreeSet<(String, TargetKey, Option<String>)> = BTreeSet::new();
    for (key, makers) in &labels {
        let def = schema.doc_label(&key.name).ok();
        let several_values = def.is_some_and(|d| d.multiple && !d.targeted);
        let group_value = several_values.then(|| key.value.clone());
        let group = (key.name.clone(), key.target.clone(), group_value);
        let Some(target_ref) = resolve_target(target, &key.target) else {
            continue; // aimed at a span the target does not have: decided with that span
        };
        let existing: Vec<&DocLabel> = target
            .doc_labels
            .iter()
            .filter(|d| d.name == key.name && d.target == target_ref)
            .filter(|d| !several_values || d.value == key.value)
            .collect();
        if makers.len() < need {
            if existing.is_empty() {
                open_groups.insert(group);
            }
            continue;
        }
        if !existing.is_empty() {
            out.kept_decisions += 1;
            continue;
        }
        let evidence = agreed_evidence(target, makers, need);
        let label = DocLabel {
            id: target.alloc_doc_label_id(),
            name: key.name.clone(),
            value: key.value.clone(),
            target: target_ref,
            evidence,
            annotators: label_names(makers),
            ..DocLabel::default()
        };
        target.insert_doc_label(label);
        out.doc_labels += 1;
        open_groups.remove(&group);
    }
    // A group where one value was merged is decided.
    out.open_doc_labels = open_groups
        .into_iter()
        .filter(|(name, t, v)| {
            let Some(target_ref) = resolve_target(target, t) else {
                return false;
            };
            !target.doc_labels.iter().any(|d| {
                &d.name == name
                    && d.target == target_ref
                    && v.as_ref().is_none_or(|v| &d.value == v)
            })
        })
        .count();
    out
}

/// The same as [`merge_into`] without changing `target`: the edit that adds what merge adds
/// (one undo step), `None` when nothing is added.
pub fn merge_edit(
    target: &Annotations,
    layers: &[Layer<'_>],
    rule: &MergeRule,
    schema: &Schema,
) -> (Option<Edit>, MergeOutcome) {
    let mut scratch = target.clone();
    let out = merge_into(&mut scratch, layers, rule, schema);
    let mut edits = Vec::new();
    for s in scratch.spans() {
        if target.span(&s.id).is_none() {
            edits.push(Edit::InsertSpan(s.clone()));
        }
    }
    for r in &scratch.relations {
        if target.relation(&r.id).is_none() {
            edits.push(Edit::InsertRelation(r.clone()));
        }
    }
    for d in &scratch.doc_labels {
        if target.doc_label(&d.id).is_none() {
            edits.push(Edit::InsertDocLabel(d.clone()));
        }
    }
    ((!edits.is_empty()).then_some(Edit::Batch(edits)), out)
}

pub(crate) fn span_makers<'a>(layers: &[Layer<'a>]) -> Makers<'a, SpanKey, Span> {
    let mut m: Makers<'a, SpanKey, Span> = BTreeMap::new();
    for l in layers {
        for s in l.annotations.counted_spans() {
            let v = m.entry(SpanKey::of(s)).or_default();
            if !v.iter().any(|(a, _)| *a == l.annotator) {
                v.push((l.annotator, s));
            }
        }
    }
    m
}

/// Does the target already hold a decision on this agreed span: the same span (any review), or
/// a span over the same extent with another label, or over an overlapping extent with the same
/// label, that came from one of the makers (a corrected label or boundary)?
pub(crate) fn decided_span(target: &Annotations, key: &SpanKey, makers: &[(&str, &Span)]) -> bool {
    target.spans_overlapping(key.start..key.end).any(|s| {
        let related = shares_provenance(&s.annotators, makers);
        let same_extent = key.same_extent(s);
        (same_extent && s.label == key.label)
            || (related && (same_extent || (s.label == key.label && key.overlaps(s))))
    })
}

fn shares_provenance<T>(annotators: &[String], makers: &[(&str, &T)]) -> bool {
    annotators
        .iter()
        .any(|a| makers.iter().any(|(m, _)| m == a))
}

fn names<T>(makers: &[(&str, &T)]) -> Vec<String> {
    let mut v: Vec<String> = makers.iter().map(|(a, _)| (*a).to_owned()).collect();
    v.sort();
    v
}

fn merged_span(
    target: &mut Annotations,
    key: &SpanKey,
    makers: &[(&str, &Span)],
    need: usize,
) -> Span {
    let first = makers[0].1;
    let one_source = makers.iter().all(|(_, s)| s.source == first.source);
    Span {
        id: target.alloc_span_id(),
        start: key.start,
        end: key.end,
        label: key.label.clone(),
        text: first.text.clone(),
        fragments: first.fragments.clone(),
        attributes: agreed_attributes(makers.iter().map(|(_, s)| &s.attributes), need),
        note: None,
        source: if one_source {
            first.source
        } else {
            Source::Human
        },
        review: ReviewState::Accepted,
        score: None,
        annotators: names(makers),
    }
}

/// Attributes on which at least `need` of the makers agree (a value reached by two different
/// values is left out).
fn agreed_attributes<'a>(
    sets: impl Iterator<Item = &'a BTreeMap<String, String>>,
    need: usize,
) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for set in sets {
        for (k, v) in set {
            *counts.entry((k.as_str(), v.as_str())).or_default() += 1;
        }
    }
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut ambiguous: BTreeSet<&str> = BTreeSet::new();
    for ((k, v), n) in counts {
        if n < need {
            continue;
        }
        if out.insert(k.to_owned(), v.to_owned()).is_some() {
            ambiguous.insert(k);
        }
    }
    for k in ambiguous {
        out.remove(k);
    }
    out
}

/// Span variants not agreed, in groups of overlapping extents; a group is open while the target
/// has no span over the extent of one of its variants.
fn open_span_groups(target: &Annotations, spans: &Makers<'_, SpanKey, Span>, need: usize) -> usize {
    let variants: Vec<&SpanKey> = spans
        .iter()
        .filter(|(_, m)| m.len() < need)
        .map(|(k, _)| k)
        .collect(); // sorted by start
    let mut open = 0;
    let mut i = 0;
    while i < variants.len() {
        let mut end = variants[i].end;
        let mut j = i + 1;
        while j < variants.len() && variants[j].start < end {
            end = end.max(variants[j].end);
            j += 1;
        }
        let decided = variants[i..j].iter().any(|v| {
            target
                .spans_overlapping(v.start..v.end)
                .any(|s| v.same_extent(s))
        });
        open += usize::from(!decided);
        i = j;
    }
    open
}

/// The target's counted span with this key (the first, if several).
pub(crate) fn target_span<'a>(target: &'a Annotations, key: &SpanKey) -> Option<&'a Span> {
    target
        .spans_overlapping(key.start..key.end)
        .find(|s| s.is_counted() && key.same_extent(s) && s.label == key.label)
}

pub(crate) fn relation_makers<'a>(layers: &[Layer<'a>]) -> Makers<'a, RelKey, Relation> {
    let mut m: Makers<'a, RelKey, Relation> = BTreeMap::new();
    for l in layers {
        let a = l.annotations;
        for r in a.relations.iter().filter(|r| counted(r.review)) {
            let ends = (a.span(&r.from), a.span(&r.to));
            let (Some(from), Some(to)) = ends else {
                continue;
            };
            if !from.is_counted() || !to.is_counted() {
                continue;
            }
            let key = RelKey {
                from: SpanKey::of(from),
                to: SpanKey::of(to),
                kind: r.kind.clone(),
            };
            let v = m.entry(key).or_default();
            if !v.iter().any(|(x, _)| *x == l.annotator) {
                v.push((l.annotator, r));
            }
        }
    }
    m
}

fn counted(r: ReviewState) -> bool {
    r == ReviewState::Accepted
}

/// A layer's document label target as merge compares it (`None`: aimed at a span that is not a
/// counted span of the layer).
fn target_key(a: &Annotations, t: &Option<Target>) -> Option<TargetKey> {
    Some(match t {
        None => TargetKey::None,
        Some(Target::Text(s)) => TargetKey::Text(s.clone()),
        Some(Target::Span(id)) => {
            let s = a.span(id).filter(|s| s.is_counted())?;
            TargetKey::Span(SpanKey::of(s))
        }
    })
}

/// The target's own form of a target key (`None`: its span is not in the target).
pub(crate) fn resolve_target(target: &Annotations, t: &TargetKey) -> Option<Option<Target>> {
    Some(match t {
        TargetKey::None => None,
        TargetKey::Text(s) => Some(Target::Text(s.clone())),
        TargetKey::Span(k) => Some(Target::Span(target_span(target, k)?.id.clone())),
    })
}

/// A layer that gave a document label: who, the label, and the layer (its evidence ids are
/// that layer's).
pub(crate) struct LabelMaker<'a> {
    pub annotator: &'a str,
    pub label: &'a DocLabel,
    pub layer: &'a Annotations,
}

pub(crate) fn label_makers<'a>(layers: &[Layer<'a>]) -> BTreeMap<LabelKey, Vec<LabelMaker<'a>>> {
    let mut m: BTreeMap<LabelKey, Vec<LabelMaker<'a>>> = BTreeMap::new();
    for l in layers {
        let a = l.annotations;
        for d in a.doc_labels.iter().filter(|d| counted(d.review)) {
            let Some(target) = target_key(a, &d.target) else {
                continue;
            };
            let key = LabelKey {
                name: d.name.clone(),
                target,
                value: d.value.clone(),
            };
            let v = m.entry(key).or_default();
            if !v.iter().any(|x| x.annotator == l.annotator) {
                v.push(LabelMaker {
                    annotator: l.annotator,
                    label: d,
                    layer: a,
                });
            }
        }
    }
    m
}

/// Evidence spans that at least `need` of the makers gave and that the target has, as target
/// span ids in text order.
fn agreed_evidence(target: &Annotations, makers: &[LabelMaker<'_>], need: usize) -> Vec<String> {
    let mut counts: BTreeMap<SpanKey, usize> = BTreeMap::new();
    for m in makers {
        let keys: BTreeSet<SpanKey> = m
            .label
            .evidence
            .iter()
            .filter_map(|id| m.layer.span(id))
            .filter(|s| s.is_counted())
            .map(SpanKey::of)
            .collect();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= need)
        .filter_map(|(k, _)| target_span(target, &k).map(|s| s.id.clone()))
        .collect()
}

fn label_names(makers: &[LabelMaker<'_>]) -> Vec<String> {
    let mut v: Vec<String> = makers.iter().map(|m| m.annotator.to_owned()).collect();
    v.sort();
    v
}
