//! Merge across a corpus: for every document, the named annotators' sidecars (read, never
//! written) are merged into the target's sidecar, which is saved only when something was added.
//! Streams over documents on every core.

use std::sync::atomic::AtomicBool;

use crate::model::annotation::Annotations;
use crate::model::corpus::{Corpus, CorpusEntry};
use crate::model::document::Document;
use crate::model::parallel::for_each_parallel;
use crate::model::schema::Schema;
use crate::model::sidecar::{self, valid_annotator};

use super::{merge_into, Layer, MergeOutcome, MergeRule};

/// What to merge.
#[derive(Debug, Clone)]
pub struct MergeRun {
    pub annotators: Vec<String>,
    pub into: String,
    pub rule: MergeRule,
}

/// Why a merge cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("`{0}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)")]
    BadName(String),
    #[error("name at least one annotator to merge")]
    NoAnnotators,
    #[error(
        "`{0}` is one of the annotators merged: merge into another layer (theirs is never written)"
    )]
    IntoAnnotator(String),
    #[error("--min-agree {given} is more than the {count} annotators named")]
    TooManyAgree { given: usize, count: usize },
}

/// One document's merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMerge {
    pub relative: String,
    /// The named annotators with a sidecar for it.
    pub layers: Vec<String>,
    pub outcome: MergeOutcome,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Documents with at least one of the annotators' sidecars, in corpus order.
    pub documents: Vec<DocumentMerge>,
    pub total: MergeOutcome,
    /// Target sidecars written.
    pub written: usize,
    /// Documents that none of the annotators has a sidecar for.
    pub without_layers: usize,
    /// `file: why`, for documents left alone.
    pub problems: Vec<String>,
    pub cancelled: bool,
}

/// Merges `run.annotators` into `run.into` across the corpus. `progress` gets (documents done,
/// documents in all).
pub fn merge_corpus(
    corpus: &Corpus,
    run: &MergeRun,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeSummary, MergeError> {
    check_run(run)?;
    let total = corpus.entries.len();
    let mut summary = MergeSummary::default();
    let mut results: Vec<(usize, Result<Option<(DocumentMerge, bool)>, String>)> = Vec::new();
    let mut done = 0;
    progress(0, total);
    for_each_parallel(
        &corpus.entries,
        |_, e| merge_entry(e, run, &corpus.schema),
        |i, r| {
            results.push((i, r));
            done += 1;
            progress(done, total);
        },
        cancel,
    );
    summary.cancelled = results.len() < total;
    results.sort_by_key(|(i, _)| *i);
    for (_, r) in results {
        match r {
            Ok(Some((doc, written))) => {
                summary.total.add(&doc.outcome);
                summary.written += usize::from(written);
                summary.documents.push(doc);
            }
            Ok(None) => summary.without_layers += 1,
            Err(p) => summary.problems.push(p),
        }
    }
    Ok(summary)
}

fn check_run(run: &MergeRun) -> Result<(), MergeError> {
    for name in run.annotators.iter().chain(std::iter::once(&run.into)) {
        if !valid_annotator(name) {
            return Err(MergeError::BadName(name.clone()));
        }
    }
    if run.annotators.is_empty() {
        return Err(MergeError::NoAnnotators);
    }
    if run.annotators.contains(&run.into) {
        return Err(MergeError::IntoAnnotator(run.into.clone()));
    }
    if let Some(n) = run.rule.min_agree {
        if n > run.annotators.len() {
            return Err(MergeError::TooManyAgree {
                given: n,
                count: run.annotators.len(),
            });
        }
    }
    Ok(())
}

/// `Ok(None)`: none of the annotators has a sidecar here. `Ok(Some((merge, written)))`.
fn merge_entry(
    entry: &CorpusEntry,
    run: &MergeRun,
    schema: &Schema,
) -> Result<Option<(DocumentMerge, bool)>, String> {
    let mut names: Vec<&str> = run
        .annotators
        .iter()
        .filter(|a| entry.sidecars.iter().any(|s| &s.annotator == *a))
        .map(String::as_str)
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(None);
    }
    let doc = Document::load(&entry.path, None).map_err(|e| format!("{e}; not merged"))?;
    let changed = |who: &str| {
        format!(
            "{}: the article changed since {who}'s sidecar was written; open it in the app or run \
             `hashiya validate` first; not merged",
            entry.relative
        )
    };
    let mut layers: Vec<Annotations> = Vec::with_capacity(names.len());
    for a in &names {
        let loaded = sidecar::load(&doc, a).map_err(|e| format!("{e}; not merged"))?;
        if !loaded.issues.is_empty() {
            return Err(changed(a));
        }
        layers.push(loaded.annotations);
    }
    let target = sidecar::load(&doc, &run.into).map_err(|e| format!("{e}; not merged"))?;
    if !target.issues.is_empty() {
        return Err(changed(&run.into));
    }
    let views: Vec<Layer<'_>> = names
        .iter()
        .zip(&layers)
        .map(|(a, l)| Layer {
            annotator: a,
            annotations: l,
        })
        .collect();
    let mut merged = target.annotations;
    let outcome = merge_into(&mut merged, &views, &run.rule, schema);
    let written = outcome.merged() > 0;
    if written {
        sidecar::save(&doc, &run.into, &merged, target.disk_hash.as_deref())
            .map_err(|e| format!("{e}; not merged"))?;
    }
    Ok(Some((
        DocumentMerge {
            relative: entry.relative.clone(),
            layers: names.iter().map(|s| (*s).to_owned()).collect(),
            outcome,
        },
        written,
    )))
}
