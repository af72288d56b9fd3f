//! Adds up the documents' analyses, in corpus order, into the corpus figures.

use std::collections::{BTreeMap, HashMap};

use super::analysis::DocAnalysis;
use super::cohen::CohenCounts;
use super::compare::Summary;
use super::figure::Figure;
use super::fleiss::FleissCounts;
use super::interner::Interner;
use super::krippendorff::AlphaCounts;
use super::report::{
    AgreementReport, ConfusionCell, DocLabelAgreement, DocumentAgreement, LabelSpans, PairFigure,
    PairSpans, SpanAgreement, SpanCounts, TokenAgreement,
};
use super::span_scores::{exact_f1, overlap_f1};
use super::tokens::map_code;
use super::unitizing::Continuum;

#[derive(Debug, Default)]
struct PairTally {
    documents: u64,
    summary: Summary,
    per_label: HashMap<u32, Summary>,
    confusion: HashMap<(Option<u32>, Option<u32>), u64>,
    tokens: CohenCounts,
}

#[derive(Debug, Default)]
struct DocLabelTally {
    units: u64,
    alpha: AlphaCounts,
    cohen: HashMap<(usize, usize), CohenCounts>,
}

/// The running totals.
#[derive(Debug)]
pub struct Tally {
    annotators: Vec<String>,
    strings: Interner,
    /// Indexed by [`Tally::pair_index`].
    pairs: Vec<PairTally>,
    continuum: Continuum<u32>,
    continuum_documents: u64,
    tokens: u64,
    fleiss: FleissCounts,
    token_alpha: AlphaCounts,
    doc_labels: HashMap<u32, DocLabelTally>,
    documents: Vec<DocumentAgreement>,
    documents_listed: u64,
    problems: Vec<String>,
}

impl Tally {
    pub fn new(annotators: Vec<String>) -> Self {
        let n = annotators.len();
        Self {
            pairs: (0..n * n.saturating_sub(1) / 2)
                .map(|_| PairTally::default())
                .collect(),
            continuum: Continuum::new(n),
            fleiss: FleissCounts::new(n),
            annotators,
            strings: Interner::default(),
            continuum_documents: 0,
            tokens: 0,
            token_alpha: AlphaCounts::default(),
            doc_labels: HashMap::new(),
            documents: Vec::new(),
            documents_listed: 0,
            problems: Vec::new(),
        }
    }

    /// Position of the pair `(a, b)`, `a < b`, in the list of pairs (in order (0,1), (0,2), ...).
    fn pair_index(&self, a: usize, b: usize) -> usize {
        let n = self.annotators.len();
        a * (2 * n - a - 1) / 2 + (b - a - 1)
    }

    /// A listed article (annotated or not).
    pub fn count_listed(&mut self) {
        self.documents_listed += 1;
    }

    pub fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    /// Adds the next document (documents must come in corpus order: the α_u continuum is laid
    /// out in that order).
    pub fn add(&mut self, path: String, mut doc: DocAnalysis) {
        if doc.present.is_empty() {
            return;
        }
        let map = self.strings.map_from(&doc.strings);
        let id = |local: u32| map.get(local as usize).copied().unwrap_or(local);
        let code = |c: u32| map_code(c, id);
        for p in &doc.pairs {
            let at = self.pair_index(p.a, p.b);
            let t = &mut self.pairs[at];
            t.documents += 1;
            t.summary.add(&p.summary);
            for (label, s) in &p.per_label {
                t.per_label.entry(id(*label)).or_default().add(s);
            }
            for ((la, lb), n) in &p.confusion {
                *t.confusion.entry((la.map(id), lb.map(id))).or_default() += n;
            }
            t.tokens.merge_mapped(&p.tokens, code);
        }
        if doc.present.len() >= 2 {
            self.tokens += doc.tokens;
        }
        if doc.present.len() == self.annotators.len() {
            let units = std::mem::take(&mut doc.units);
            self.continuum.add_stretch(
                doc.len_chars,
                units.into_iter().map(|(l, u)| (id(l), u)).collect(),
            );
            self.continuum_documents += 1;
            self.fleiss.merge_mapped(&doc.token_fleiss, code);
        }
        self.token_alpha.merge_mapped(&doc.token_alpha, code);
        for d in &doc.doc_labels {
            let t = self.doc_labels.entry(id(d.name)).or_default();
            t.units += d.units;
            t.alpha.merge_mapped(&d.alpha, id);
            for (a, b, c) in &d.cohen {
                t.cohen.entry((*a, *b)).or_default().merge_mapped(c, id);
            }
        }
        self.documents.push(DocumentAgreement {
            path,
            annotators: doc
                .present
                .iter()
                .map(|&i| self.annotators[i].clone())
                .collect(),
            tokens: doc.tokens,
            figures: doc.figures,
        });
    }

    pub fn finish(self) -> AgreementReport {
        let name = |id: u32| self.strings.name(id).to_owned();
        let counts = |s: Summary| SpanCounts {
            exact_f1: exact_f1(&s),
            overlap_f1: overlap_f1(&s),
            summary: s,
        };
        let n = self.annotators.len();
        let mut pairs = Vec::new();
        let mut all = Summary::default();
        let mut per_label_all: BTreeMap<String, Summary> = BTreeMap::new();
        let mut token_cohen = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let t = &self.pairs[self.pair_index(a, b)];
                all.add(&t.summary);
                let mut per_label = BTreeMap::new();
                for (&l, s) in &t.per_label {
                    per_label_all.entry(name(l)).or_default().add(s);
                    per_label.insert(name(l), counts(*s));
                }
                let mut confusion: Vec<ConfusionCell> = t
                    .confusion
                    .iter()
                    .map(|(&(la, lb), &count)| ConfusionCell {
                        a: la.map(name),
                        b: lb.map(name),
                        count,
                    })
                    .collect();
                confusion.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
                pairs.push(PairSpans {
                    a: self.annotators[a].clone(),
                    b: self.annotators[b].clone(),
                    documents: t.documents,
                    counts: counts(t.summary),
                    per_label,
                    confusion,
                });
                token_cohen.push(PairFigure {
                    a: self.annotators[a].clone(),
                    b: self.annotators[b].clone(),
                    units: t.tokens.units(),
                    value: t.tokens.kappa(),
                });
            }
        }
        let mut per_label: BTreeMap<String, LabelSpans> = BTreeMap::new();
        for (label, s) in per_label_all {
            per_label.insert(
                label,
                LabelSpans {
                    counts: counts(s),
                    alpha_u: Figure::undefined(
                        "no span of this label in the documents all annotators annotated",
                    ),
                },
            );
        }
        for &l in self.continuum.categories() {
            if let Some(entry) = per_label.get_mut(&name(l)) {
                entry.alpha_u = self.continuum.category_alpha(&l);
            }
        }
        let mut document_labels = BTreeMap::new();
        for (&label, t) in &self.doc_labels {
            let mut cohen = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    let c = t.cohen.get(&(a, b)).cloned().unwrap_or_default();
                    cohen.push(PairFigure {
                        a: self.annotators[a].clone(),
                        b: self.annotators[b].clone(),
                        units: c.units(),
                        value: c.kappa(),
                    });
                }
            }
            document_labels.insert(
                name(label),
                DocLabelAgreement {
                    units: t.units,
                    krippendorff_alpha: t.alpha.alpha(),
                    krippendorff_units: t.alpha.pairable_units(),
                    cohen_kappa: cohen,
                },
            );
        }
        let documents_annotated = self.documents.len() as u64;
        AgreementReport {
            spans: SpanAgreement {
                pairs,
                counts: counts(all),
                alpha_u: self.continuum.alpha(),
                alpha_u_documents: self.continuum_documents,
                alpha_u_chars: self.continuum.length(),
                per_label,
            },
            tokens: TokenAgreement {
                tokens: self.tokens,
                cohen_kappa: token_cohen,
                fleiss_kappa: self.fleiss.kappa(),
                fleiss_tokens: self.fleiss.items(),
                krippendorff_alpha: self.token_alpha.alpha(),
                krippendorff_tokens: self.token_alpha.pairable_units(),
            },
            document_labels,
            documents: self.documents,
            documents_listed: self.documents_listed,
            documents_annotated,
            problems: self.problems,
            annotators: self.annotators,
        }
    }
}
