//! Everything agreement needs from one document, computed from its text and its layers alone:
//! the counts that the corpus figures add up ([`super::tally`]) and the document's own figures.
//! Pure: the layers are given, nothing is read.

use super::cohen::CohenCounts;
use super::compare::{compare_ranked, Summary};
use super::confusion::confusion_ranked;
use super::counted::SpanFilter;
use super::doc_labels::{label_values, UnitKey};
use super::figure::Figure;
use super::fleiss::FleissCounts;
use super::interner::Interner;
use super::krippendorff::AlphaCounts;
use super::label_ranks::LabelRanks;
use super::span_scores::{exact_f1, overlap_f1};
use super::tokens::{text_tokens, token_categories};
use super::unitizing::Unit;
use crate::model::annotation::{Annotations, Span};

/// (label id of A, label id of B) of overlapping spans (`None`: no partner) -> count.
pub type LabelPairs = Vec<((Option<u32>, Option<u32>), u64)>;

/// The comparison of two annotators on one document.
#[derive(Debug, Clone)]
pub struct PairAnalysis {
    /// Indices of the two annotators among the chosen ones (`a < b`).
    pub a: usize,
    pub b: usize,
    pub summary: Summary,
    /// Per label id.
    pub per_label: Vec<(u32, Summary)>,
    pub confusion: LabelPairs,
    /// Token categories of A against B.
    pub tokens: CohenCounts,
}

/// The units of one document-label name on one document.
#[derive(Debug, Clone)]
pub struct DocLabelAnalysis {
    /// Id of the label name.
    pub name: u32,
    /// Units (targets) that at least one annotator gave a value.
    pub units: u64,
    pub alpha: AlphaCounts,
    /// Per pair of annotators (indices), over the units both gave a value.
    pub cohen: Vec<(usize, usize, CohenCounts)>,
}

/// A document's own figures (its annotators only).
#[derive(Debug, Clone, PartialEq)]
pub struct DocFigures {
    /// Micro-averaged over the pairs of its annotators.
    pub exact_f1: Figure,
    pub overlap_f1: Figure,
    /// Summed over the pairs.
    pub disagreements: u64,
    pub clitic_only: u64,
    /// Krippendorff's α over its tokens.
    pub token_alpha: Figure,
}

/// What one document contributes.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// Names of the label ids, document-label names and values used below (this document's own
    /// ids).
    pub strings: Interner,
    /// Indices of the annotators whose layer counts for this document.
    pub present: Vec<usize>,
    pub len_chars: u64,
    pub tokens: u64,
    pub pairs: Vec<PairAnalysis>,
    /// Per label id, each chosen annotator's units (fragments of counted spans; empty for an
    /// annotator without a layer), for the corpus continuum of α_u.
    pub units: Vec<(u32, Vec<Vec<Unit>>)>,
    /// Token categories of the chosen annotators, when all of them have a layer.
    pub token_fleiss: FleissCounts,
    pub token_alpha: AlphaCounts,
    pub doc_labels: Vec<DocLabelAnalysis>,
    pub figures: DocFigures,
}

const FEWER_THAN_TWO: &str = "fewer than two annotators annotated this document";

/// Analyses one document. `layers` has one slot per chosen annotator: the layer, or `None`
/// when the annotator does not count for this document.
pub fn analyze(
    text: &str,
    len_chars: usize,
    layers: &[Option<&Annotations>],
    filter: &SpanFilter,
) -> DocAnalysis {
    let mut strings = Interner::default();
    let present: Vec<usize> = (0..layers.len()).filter(|&i| layers[i].is_some()).collect();
    let spans: Vec<Vec<&Span>> = layers
        .iter()
        .map(|l| l.map(|l| filter.spans(l)).unwrap_or_default())
        .collect();

    // Tokens (only needed when two annotators can be compared).
    let tokens = if present.len() >= 2 {
        text_tokens(text)
    } else {
        Vec::new()
    };
    let labels = LabelRanks::of(spans.iter().map(Vec::as_slice));
    let ranks: Vec<Vec<u32>> = spans.iter().map(|s| labels.ranks(s)).collect();
    let mut label_ids = LabelIds::new(&labels);
    let categories: Vec<Vec<u32>> = spans
        .iter()
        .zip(&ranks)
        .zip(layers)
        .map(|((s, r), l)| {
            if l.is_some() && !tokens.is_empty() {
                let ids: Vec<u32> = r.iter().map(|&r| label_ids.id(&mut strings, r)).collect();
                token_categories(&tokens, s, |k| ids.get(k).copied().unwrap_or_default())
            } else {
                Vec::new()
            }
        })
        .collect();

    let dense = DenseCategories::new(&categories);
    let ranked = RankedSpans {
        spans: &spans,
        ranks: &ranks,
        labels: &labels,
    };
    let pairs = analyze_pairs(&present, &ranked, &dense, &mut label_ids, &mut strings);
    let (token_fleiss, token_alpha) = dense.units(layers.len(), &present, tokens.len());
    let units = continuum_units(&ranked, len_chars, &mut label_ids, &mut strings);
    let doc_labels = analyze_doc_labels(layers, &present, &mut strings);
    let figures = document_figures(&pairs, &present, &token_alpha);
    DocAnalysis {
        strings,
        present,
        len_chars: len_chars as u64,
        tokens: tokens.len() as u64,
        pairs,
        units,
        token_fleiss,
        token_alpha,
        doc_labels,
        figures,
    }
}

/// Each chosen annotator's counted spans, with the ranks of their labels among `labels`.
struct RankedSpans<'s, 'a> {
    spans: &'s [Vec<&'a Span>],
    ranks: &'s [Vec<u32>],
    labels: &'s LabelRanks<'a>,
}

/// The interner ids of label ranks, each looked up the first time it is needed: ids are then
/// given in the order in which looking every span's label up would give them.
struct LabelIds<'l, 'a> {
    labels: &'l LabelRanks<'a>,
    ids: Vec<Option<u32>>,
}

impl<'l, 'a> LabelIds<'l, 'a> {
    fn new(labels: &'l LabelRanks<'a>) -> Self {
        Self {
            labels,
            ids: vec![None; labels.len()],
        }
    }

    fn id(&mut self, strings: &mut Interner, rank: u32) -> u32 {
        let name = self.labels.name(rank).unwrap_or_default();
        match self.ids.get_mut(rank as usize) {
            Some(Some(id)) => *id,
            Some(slot) => *slot.insert(strings.id(name)),
            None => strings.id(name),
        }
    }
}

fn analyze_pairs(
    present: &[usize],
    ranked: &RankedSpans,
    dense: &DenseCategories,
    label_ids: &mut LabelIds,
    strings: &mut Interner,
) -> Vec<PairAnalysis> {
    let (spans, ranks) = (ranked.spans, ranked.ranks);
    let mut out = Vec::new();
    for (x, &a) in present.iter().enumerate() {
        for &b in &present[x + 1..] {
            let cmp = compare_ranked(&spans[a], &ranks[a], &spans[b], &ranks[b], ranked.labels);
            let per_label = cmp
                .per_label_ranked()
                .into_iter()
                .map(|(rank, s)| (label_ids.id(strings, rank), s))
                .collect();
            let confusion = confusion_ranked(&cmp)
                .into_iter()
                .map(|((ra, rb), n)| {
                    let la = ra.map(|r| label_ids.id(strings, r));
                    let lb = rb.map(|r| label_ids.id(strings, r));
                    ((la, lb), n)
                })
                .collect();
            let tokens = dense.cohen(a, b);
            out.push(PairAnalysis {
                a,
                b,
                summary: cmp.summary,
                per_label,
                confusion,
                tokens,
            });
        }
    }
    out
}

/// Token categories as small dense numbers, so that counting is indexing.
struct DenseCategories {
    /// Dense number -> category code.
    codes: Vec<u32>,
    /// Per annotator (empty when absent), the dense number of each token's category.
    tokens: Vec<Vec<u32>>,
}

impl DenseCategories {
    fn new(categories: &[Vec<u32>]) -> Self {
        let top = categories
            .iter()
            .flatten()
            .copied()
            .max()
            .map_or(0, |m| m as usize + 1);
        let mut index = vec![u32::MAX; top];
        let mut codes = Vec::new();
        let tokens = categories
            .iter()
            .map(|list| {
                list.iter()
                    .map(|&code| {
                        let slot = &mut index[code as usize];
                        if *slot == u32::MAX {
                            *slot = codes.len() as u32;
                            codes.push(code);
                        }
                        *slot
                    })
                    .collect()
            })
            .collect();
        Self { codes, tokens }
    }

    /// Cohen's table of annotators `a` and `b`.
    fn cohen(&self, a: usize, b: usize) -> CohenCounts {
        let k = self.codes.len();
        let mut table = vec![0u64; k * k];
        for (&x, &y) in self.tokens[a].iter().zip(&self.tokens[b]) {
            table[x as usize * k + y as usize] += 1;
        }
        let mut out = CohenCounts::default();
        for (cell, &n) in table.iter().enumerate().filter(|(_, &n)| n > 0) {
            out.add_n(self.codes[cell / k], self.codes[cell % k], n);
        }
        out
    }

    /// Fleiss' and Krippendorff's counts over the tokens, with the `present` annotators' values
    /// (Fleiss' only when they are all `raters`).
    fn units(
        &self,
        raters: usize,
        present: &[usize],
        tokens: usize,
    ) -> (FleissCounts, AlphaCounts) {
        let mut fleiss = FleissCounts::new(raters);
        let mut alpha = AlphaCounts::default();
        let m = present.len();
        if m < 2 || tokens == 0 {
            return (fleiss, alpha);
        }
        let mut totals = vec![0u64; self.codes.len()];
        let mut squares = 0u128;
        let mut values = Vec::with_capacity(m);
        for t in 0..tokens {
            values.clear();
            values.extend(present.iter().map(|&r| self.tokens[r][t]));
            // Σ_c n_c² is the number of ordered pairs (i, j) of equal values, i = j included.
            for &x in &values {
                totals[x as usize] += 1;
                squares += values.iter().filter(|&&y| y == x).count() as u128;
            }
        }
        let totals: Vec<(u32, u64)> = totals
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (self.codes[i], n))
            .collect();
        let units = tokens as u64;
        let disagreeing = units as u128 * (m * m) as u128 - squares;
        alpha.add_counts(m as u64, units, disagreeing, &totals);
        if m == raters {
            fleiss.add_counts(units, squares, &totals);
        }
        (fleiss, alpha)
    }
}

fn continuum_units(
    ranked: &RankedSpans,
    len_chars: usize,
    label_ids: &mut LabelIds,
    strings: &mut Interner,
) -> Vec<(u32, Vec<Vec<Unit>>)> {
    let raters = ranked.spans.len();
    let mut by_label: std::collections::BTreeMap<u32, Vec<Vec<Unit>>> = Default::default();
    for (r, (list, ranks)) in ranked.spans.iter().zip(ranked.ranks).enumerate() {
        for (s, &rank) in list.iter().zip(ranks) {
            let per_rater = by_label
                .entry(label_ids.id(strings, rank))
                .or_insert_with(|| vec![Vec::new(); raters]);
            for p in s.pieces() {
                if p.start < p.end && p.end <= len_chars {
                    per_rater[r].push((p.start as u64, (p.end - p.start) as u64));
                }
            }
        }
    }
    by_label.into_iter().collect()
}

fn analyze_doc_labels(
    layers: &[Option<&Annotations>],
    present: &[usize],
    strings: &mut Interner,
) -> Vec<DocLabelAnalysis> {
    let values: Vec<std::collections::BTreeMap<UnitKey, String>> = layers
        .iter()
        .map(|l| l.map(label_values).unwrap_or_default())
        .collect();
    // Every unit any present annotator gave a value, grouped by name.
    let mut keys: std::collections::BTreeMap<&str, std::collections::BTreeSet<&UnitKey>> =
        Default::default();
    for &i in present {
        for k in values[i].keys() {
            keys.entry(k.0.as_str()).or_default().insert(k);
        }
    }
    let mut out = Vec::new();
    for (name, units) in keys {
        let mut alpha = AlphaCounts::default();
        let mut cohen: Vec<(usize, usize, CohenCounts)> = Vec::new();
        for (x, &a) in present.iter().enumerate() {
            for &b in &present[x + 1..] {
                cohen.push((a, b, CohenCounts::default()));
            }
        }
        for key in &units {
            let given: Vec<(usize, u32)> = present
                .iter()
                .filter_map(|&i| values[i].get(*key).map(|v| (i, strings.id(v))))
                .collect();
            let ids: Vec<u32> = given.iter().map(|g| g.1).collect();
            alpha.add_unit(&ids);
            for (a, b, counts) in &mut cohen {
                let va = given.iter().find(|g| g.0 == *a);
                let vb = given.iter().find(|g| g.0 == *b);
                if let (Some(va), Some(vb)) = (va, vb) {
                    counts.add(va.1, vb.1);
                }
            }
        }
        out.push(DocLabelAnalysis {
            name: strings.id(name),
            units: units.len() as u64,
            alpha,
            cohen,
        });
    }
    out
}

fn document_figures(
    pairs: &[PairAnalysis],
    present: &[usize],
    token_alpha: &AlphaCounts,
) -> DocFigures {
    if present.len() < 2 {
        return DocFigures {
            exact_f1: Figure::undefined(FEWER_THAN_TWO),
            overlap_f1: Figure::undefined(FEWER_THAN_TWO),
            disagreements: 0,
            clitic_only: 0,
            token_alpha: Figure::undefined(FEWER_THAN_TWO),
        };
    }
    let mut total = Summary::default();
    for p in pairs {
        total.add(&p.summary);
    }
    DocFigures {
        exact_f1: exact_f1(&total),
        overlap_f1: overlap_f1(&total),
        disagreements: total.disagreements(),
        clitic_only: total.clitic_only,
        token_alpha: token_alpha.alpha(),
    }
}
