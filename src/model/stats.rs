//! Corpus figures for `hashiya stats`: documents per status, spans per label.

use std::collections::BTreeMap;

use serde::Serialize;

use super::corpus::Corpus;

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
    };
    let sidecars = corpus
        .entries
        .iter()
        .flat_map(|e| &e.sidecars)
        .filter(|s| annotator.is_none_or(|a| a == s.annotator));
    for sc in sidecars {
        stats.sidecars += 1;
        match &sc.summary {
            Ok(sum) => {
                stats.spans += sum.spans;
                stats.suggested_spans += sum.suggested;
                for (label, n) in &sum.labels {
                    *stats.spans_by_label.entry(label.clone()).or_default() += n;
                }
            }
            Err(_) => stats.unreadable_sidecars += 1,
        }
    }
    stats
}
