//! The agreement of a corpus, as `hashiya agreement` prints it (docs/agreement.md, "Output").

use std::collections::BTreeMap;

use super::analysis::DocFigures;
use super::compare::Summary;
use super::figure::Figure;

/// A figure of one pair of annotators.
#[derive(Debug, Clone, PartialEq)]
pub struct PairFigure {
    pub a: String,
    pub b: String,
    /// Units the figure is computed over.
    pub units: u64,
    pub value: Figure,
}

/// Span counts and F1 (of a pair, a label, or a pair's label).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanCounts {
    pub summary: Summary,
    pub exact_f1: Figure,
    pub overlap_f1: Figure,
}

/// One cell of a pair's label confusion matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionCell {
    /// `None`: A has no span there.
    pub a: Option<String>,
    pub b: Option<String>,
    pub count: u64,
}

/// The span measures of one pair of annotators, over the documents both annotated.
#[derive(Debug, Clone, PartialEq)]
pub struct PairSpans {
    pub a: String,
    pub b: String,
    pub documents: u64,
    pub counts: SpanCounts,
    pub per_label: BTreeMap<String, SpanCounts>,
    pub confusion: Vec<ConfusionCell>,
}

/// The span measures of one label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelSpans {
    /// Summed over the pairs (F1 micro-averaged over pairs).
    pub counts: SpanCounts,
    pub alpha_u: Figure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpanAgreement {
    pub pairs: Vec<PairSpans>,
    /// Over all pairs (micro-averaged).
    pub counts: SpanCounts,
    pub alpha_u: Figure,
    /// Documents in the α_u continuum (those all chosen annotators annotated) and its chars.
    pub alpha_u_documents: u64,
    pub alpha_u_chars: u64,
    pub per_label: BTreeMap<String, LabelSpans>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TokenAgreement {
    /// Tokens of the documents at least two annotators annotated.
    pub tokens: u64,
    pub cohen_kappa: Vec<PairFigure>,
    pub fleiss_kappa: Figure,
    /// Tokens of the documents all chosen annotators annotated.
    pub fleiss_tokens: u64,
    pub krippendorff_alpha: Figure,
    /// Tokens with categories from at least two annotators.
    pub krippendorff_tokens: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocLabelAgreement {
    /// Units (document, target) that at least one annotator gave a value.
    pub units: u64,
    pub krippendorff_alpha: Figure,
    /// Units with values from at least two annotators.
    pub krippendorff_units: u64,
    pub cohen_kappa: Vec<PairFigure>,
}

/// One document's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentAgreement {
    /// Relative to the corpus root, `/`-separated.
    pub path: String,
    /// The annotators who count for it.
    pub annotators: Vec<String>,
    pub tokens: u64,
    pub figures: DocFigures,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgreementReport {
    pub annotators: Vec<String>,
    /// Articles in the corpus.
    pub documents_listed: u64,
    /// Articles at least one chosen annotator annotated.
    pub documents_annotated: u64,
    pub spans: SpanAgreement,
    pub tokens: TokenAgreement,
    pub document_labels: BTreeMap<String, DocLabelAgreement>,
    /// Every annotated document, in corpus order.
    pub documents: Vec<DocumentAgreement>,
    /// Files that could not be read (left out), `path: reason`.
    pub problems: Vec<String>,
}

impl AgreementReport {
    /// The documents with a defined exact F1, lowest first (then by path).
    pub fn lowest_documents(&self) -> Vec<&DocumentAgreement> {
        let mut v: Vec<&DocumentAgreement> = self
            .documents
            .iter()
            .filter(|d| d.figures.exact_f1.is_defined())
            .collect();
        v.sort_by(|x, y| {
            let key = |d: &DocumentAgreement| d.figures.exact_f1.value.unwrap_or(f64::INFINITY);
            key(x).total_cmp(&key(y)).then_with(|| x.path.cmp(&y.path))
        });
        v
    }
}
