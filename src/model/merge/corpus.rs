//! Merge across a corpus: for every document, the named annotators' sidecars (read, never
//! written) are merged into the target's sidecar, which is written only when something was added,
//! a batch at a time ([`crate::model::sidecar_queue`]). Streams over documents on every core.

use std::sync::atomic::AtomicBool;

use crate::model::annotation::Annotations;
use crate::model::corpus::{ArticleFiles, Corpus};
use crate::model::document::Document;
use crate::model::parallel::for_each_parallel_apart;
use crate::model::schema::Schema;
use crate::model::sidecar::{self, valid_annotator, SidecarError};
use crate::model::sidecar_queue::{self, SidecarQueue, StagedSidecar};

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

/// Merges `run.annotators` into `run.into` across an open corpus. `progress` gets (documents
/// done, documents in all).
pub fn merge_corpus(
    corpus: &Corpus,
    run: &MergeRun,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeSummary, MergeError> {
    merge_articles(
        &corpus.article_files(),
        &corpus.schema,
        run,
        progress,
        cancel,
    )
}

/// As [`merge_corpus`], over a [`crate::model::corpus::list`]ing (which reads no sidecar: each is
/// read once, here).
pub fn merge_articles(
    articles: &[ArticleFiles],
    schema: &Schema,
    run: &MergeRun,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeSummary, MergeError> {
    check_run(run)?;
    let total = articles.len();
    let mut summary = MergeSummary::default();
    let mut results: Results = Vec::new();
    let mut queue: SidecarQueue<(usize, DocumentMerge)> = SidecarQueue::new(COMMIT_CHUNK);
    let mut done = 0;
    progress(0, total);
    // Workers apart: each writes its sidecars in other folders than the other's.
    for_each_parallel_apart(
        articles,
        |_, e| merge_entry(e, run, schema),
        |i, r| {
            match r {
                Ok(Some((doc, Some(staged)))) => {
                    let c = queue.push(staged, (i, doc));
                    settle(c, &mut results, &mut summary.written);
                }
                Ok(Some((doc, None))) => results.push((i, Ok(Some(doc)))),
                Ok(None) => results.push((i, Ok(None))),
                Err(p) => results.push((i, Err(p))),
            }
            done += 1;
            progress(done, total);
        },
        cancel,
    );
    settle(queue.commit(), &mut results, &mut summary.written);
    summary.cancelled = results.len() < total;
    results.sort_by_key(|(i, _)| *i);
    for (_, r) in results {
        match r {
            Ok(Some(doc)) => {
                summary.total.add(&doc.outcome);
                summary.documents.push(doc);
            }
            Ok(None) => summary.without_layers += 1,
            Err(p) => summary.problems.push(p),
        }
    }
    Ok(summary)
}

type Results = Vec<(usize, Result<Option<DocumentMerge>, String>)>;

/// Records the documents whose sidecars were committed (or could not be).
fn settle(
    committed: Vec<((usize, DocumentMerge), Result<(), SidecarError>)>,
    results: &mut Results,
    written: &mut usize,
) {
    for ((i, doc), r) in committed {
        match r {
            Ok(()) => {
                *written += 1;
                results.push((i, Ok(Some(doc))));
            }
            Err(e) => results.push((i, Err(format!("{e}; not merged")))),
        }
    }
}

/// Target sidecars made durable and put in place together (see [`crate::model::sidecar_queue`]).
const COMMIT_CHUNK: usize = 2048;

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

/// `Ok(None)`: none of the annotators has a sidecar here. `Ok(Some((merge, staged)))`, with the
/// target's sidecar staged when something was added.
fn merge_entry(
    entry: &ArticleFiles,
    run: &MergeRun,
    schema: &Schema,
) -> Result<Option<(DocumentMerge, Option<StagedSidecar>)>, String> {
    let mut names: Vec<&str> = run
        .annotators
        .iter()
        .filter(|a| entry.sidecars.iter().any(|(s, _)| s == *a))
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
        let loaded = sidecar::load_read_only(&doc, a).map_err(|e| format!("{e}; not merged"))?;
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
    let staged = if outcome.merged() > 0 {
        Some(
            sidecar::prepare(&doc, &run.into, &merged, target.disk_hash.as_deref())
                .and_then(sidecar_queue::stage)
                .map_err(|e| format!("{e}; not merged"))?,
        )
    } else {
        None
    };
    Ok(Some((
        DocumentMerge {
            relative: entry.relative.clone(),
            layers: names.iter().map(|s| (*s).to_owned()).collect(),
            outcome,
        },
        staged,
    )))
}
