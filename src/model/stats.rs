//! Corpus figures for `hashiya stats`: documents per status, spans per label, and each
//! annotator's progress against the team's assignment plan.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::annotation::DocStatus;
use super::assign::Plan;
use super::corpus::Corpus;
use super::document::Document;
use super::histogram::Histogram;
use super::parallel::for_each_parallel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    pub documents: usize,
    /// Documents per status (an article's status is its most advanced sidecar's, or the given
    /// annotator's).
    pub documents_by_status: BTreeMap<String, usize>,
    pub sidecars: usize,
    /// Sidecars that could not be read (they are left out of the counts).
    pub unreadable_sidecars: usize,
    pub annotators: Vec<String>,
    pub spans: usize,
    pub suggested_spans: usize,
    pub spans_by_label: BTreeMap<String, usize>,
    /// Per annotator, the documents by the status of their sidecar (`new` without one).
    pub documents_by_annotator: BTreeMap<String, BTreeMap<String, usize>>,
    /// Span extents in chars (end − start) of the sidecars counted.
    pub span_lengths: Histogram,
    /// Article lengths in chars (absent unless the articles were read: see
    /// [`document_lengths`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_lengths: Option<Histogram>,
    /// Progress against the assignment plan (absent without a plan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignments: Option<AssignmentStats>,
    /// Why the plan file could not be used (absent when it could, or there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignments_error: Option<String>,
}

/// Each annotator's assigned documents, by the status of their own sidecar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentStats {
    pub per_document: usize,
    pub annotators: BTreeMap<String, AnnotatorProgress>,
    /// Documents of the corpus the plan does not mention (added after it was made).
    pub unassigned_documents: usize,
    /// Documents of the plan that are not in the corpus.
    pub missing_documents: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnnotatorProgress {
    pub assigned: usize,
    /// Assigned documents by the status of the annotator's sidecar (`new` without one).
    pub by_status: BTreeMap<String, usize>,
    /// Finished or reviewed.
    pub done: usize,
}

/// Figures for the whole corpus, or for one annotator's sidecars.
pub fn corpus_stats(corpus: &Corpus, annotator: Option<&str>) -> CorpusStats {
    let mut stats = CorpusStats {
        documents: corpus.entries.len(),
        documents_by_status: corpus
            .status_counts(annotator)
            .into_iter()
            .map(|(s, n)| (s.name().to_owned(), n))
            .collect(),
        sidecars: 0,
        unreadable_sidecars: 0,
        annotators: corpus.annotators(),
        spans: 0,
        suggested_spans: 0,
        spans_by_label: BTreeMap::new(),
        documents_by_annotator: documents_by_annotator(corpus, annotator),
        span_lengths: Histogram::default(),
        document_lengths: None,
        assignments: corpus
            .plan
            .as_ref()
            .map(|p| assignment_stats(corpus, p, annotator)),
        assignments_error: corpus.plan_error.as_ref().map(|e| e.to_string()),
    };
    let sidecars = corpus
        .entries
        .iter()
        .flat_map(|e| &e.sidecars)
        .filter(|s| annotator.is_none_or(|a| a == s.annotator));
    let mut lengths: Vec<u64> = Vec::new();
    for sc in sidecars {
        stats.sidecars += 1;
        match &sc.summary {
            Ok(sum) => {
                lengths.extend(sum.span_lengths.iter().map(|&n| u64::from(n)));
                stats.spans += sum.spans;
                stats.suggested_spans += sum.suggested;
                for (label, n) in &sum.labels {
                    *stats.spans_by_label.entry(label.clone()).or_default() += n;
                }
            }
            Err(_) => stats.unreadable_sidecars += 1,
        }
    }
    stats.span_lengths = Histogram::of(lengths);
    stats
}

/// Per annotator (or only `only`), how many documents their sidecar gives each status; a
/// document without their sidecar is `new`.
fn documents_by_annotator(
    corpus: &Corpus,
    only: Option<&str>,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    for a in corpus.annotators() {
        if only.is_some_and(|o| o != a) {
            continue;
        }
        let counts: BTreeMap<String, usize> = corpus
            .status_counts(Some(&a))
            .into_iter()
            .map(|(s, n)| (s.name().to_owned(), n))
            .collect();
        out.insert(a, counts);
    }
    out
}

/// The articles' lengths in chars, read on every core (an article that cannot be read is left
/// out and named in the second list, `path: why`).
pub fn document_lengths(corpus: &Corpus, cancel: &AtomicBool) -> (Histogram, Vec<String>) {
    let mut lengths = Vec::with_capacity(corpus.entries.len());
    let mut problems = Vec::new();
    for_each_parallel(
        &corpus.entries,
        |_, e| Document::load(&e.path, None).map(|d| d.len_chars() as u64),
        |i, r| match r {
            Ok(n) => lengths.push(n),
            Err(e) => problems.push(format!(
                "{}: {e}",
                corpus.entries.get(i).map_or("?", |e| e.relative.as_str())
            )),
        },
        cancel,
    );
    (Histogram::of(lengths), problems)
}

/// Progress against `plan` (of `only` annotator, if given).
pub fn assignment_stats(corpus: &Corpus, plan: &Plan, only: Option<&str>) -> AssignmentStats {
    let by_path: BTreeMap<&str, &super::corpus::CorpusEntry> = corpus
        .entries
        .iter()
        .map(|e| (e.relative.as_str(), e))
        .collect();
    let mut annotators = BTreeMap::new();
    for a in plan.all_annotators() {
        if only.is_some_and(|o| o != a) {
            continue;
        }
        let mut p = AnnotatorProgress {
            by_status: DocStatus::ALL
                .iter()
                .map(|s| (s.name().to_owned(), 0))
                .collect(),
            ..AnnotatorProgress::default()
        };
        for d in plan.documents_of(&a) {
            let Some(entry) = by_path.get(d) else {
                continue;
            };
            let status = entry.status(Some(&a));
            p.assigned += 1;
            *p.by_status.entry(status.name().to_owned()).or_default() += 1;
            if status >= DocStatus::Finished {
                p.done += 1;
            }
        }
        annotators.insert(a, p);
    }
    AssignmentStats {
        per_document: plan.per_document,
        annotators,
        unassigned_documents: corpus
            .entries
            .iter()
            .filter(|e| !plan.documents.contains_key(&e.relative))
            .count(),
        missing_documents: plan
            .documents
            .keys()
            .filter(|d| !by_path.contains_key(d.as_str()))
            .count(),
    }
}
