//! The agreement of a corpus: reads every article and its sidecars once, on every core, and adds
//! the documents up in corpus order. Only a few documents are in memory at a time: each worker
//! holds the one it analyses, and what goes on to the tally is counts.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::analysis::{analyze, DocAnalysis};
use super::counted::SpanFilter;
use super::report::AgreementReport;
use super::tally::Tally;
use crate::model::annotation::{Annotations, DocStatus};
use crate::model::corpus::{list, ArticleFiles, CorpusError};
use crate::model::decode::TextEncoding;
use crate::model::document::Document;
use crate::model::parallel::{for_each_parallel_on, worker_count};
use crate::model::sidecar::{self, valid_annotator};

/// What to compute over.
#[derive(Debug, Clone, Default)]
pub struct AgreementOptions {
    /// The annotators to compare (`None`: everyone with a sidecar in the corpus), in this order.
    pub annotators: Option<Vec<String>>,
    /// The span labels to look at.
    pub filter: SpanFilter,
    /// Only sidecars with one of these statuses count (empty: all).
    pub statuses: Vec<DocStatus>,
    /// Read the articles in this encoding instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error("`{0}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)")]
    BadAnnotator(String),
}

/// What reading one article gave.
struct Outcome {
    analysis: Option<DocAnalysis>,
    problems: Vec<String>,
}

/// Computes every measure over the corpus at `path`; `progress(done, total)` is called after
/// each document.
pub fn corpus_agreement(
    path: &Path,
    options: &AgreementOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<AgreementReport, AgreementError> {
    let listing = list(path)?;
    let annotators = match &options.annotators {
        Some(a) => {
            if let Some(bad) = a.iter().find(|n| !valid_annotator(n)) {
                return Err(AgreementError::BadAnnotator(bad.clone()));
            }
            let mut seen = std::collections::BTreeSet::new();
            a.iter()
                .filter(|n| seen.insert(n.as_str()))
                .cloned()
                .collect()
        }
        None => {
            let mut all: Vec<String> = listing
                .articles
                .iter()
                .flat_map(|a| a.sidecars.iter().map(|(n, _)| n.clone()))
                .collect();
            all.sort();
            all.dedup();
            all
        }
    };
    let mut tally = Tally::new(annotators.clone());
    for (dir, why) in &listing.unreadable {
        tally.problem(format!("{}: cannot read folder: {why}", dir.display()));
    }
    for (path, why) in &listing.skipped {
        tally.problem(format!("{}: {why}", path.display()));
    }
    let articles = &listing.articles;
    let total = articles.len();
    let threads = match options.threads {
        0 => worker_count(),
        n => n,
    };
    // Added up in corpus order, whatever order the workers finish in.
    let mut waiting: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut expected = 0;
    let work = |_: usize, article: &ArticleFiles| read_article(article, &annotators, options);
    let done = |i: usize, outcome: Outcome| {
        waiting.insert(i, outcome);
        while let Some(outcome) = waiting.remove(&expected) {
            tally.count_listed();
            for p in outcome.problems {
                tally.problem(p);
            }
            if let (Some(analysis), Some(article)) = (outcome.analysis, articles.get(expected)) {
                tally.add(article.relative.clone(), analysis);
            }
            expected += 1;
            progress(expected, total);
        }
    };
    for_each_parallel_on(threads, articles, work, done, &AtomicBool::new(false));
    Ok(tally.finish())
}

/// Reads one article and the sidecars of the chosen annotators, and analyses them.
fn read_article(
    article: &ArticleFiles,
    annotators: &[String],
    options: &AgreementOptions,
) -> Outcome {
    let mut problems = Vec::new();
    let files: Vec<Option<&Path>> = annotators
        .iter()
        .map(|a| {
            article
                .sidecars
                .iter()
                .find(|(name, _)| name == a)
                .map(|(_, p)| p.as_path())
        })
        .collect();
    if files.iter().all(Option::is_none) {
        return Outcome {
            analysis: None,
            problems,
        };
    }
    let doc = match Document::load(&article.path, options.encoding) {
        Ok(d) => d,
        Err(e) => {
            problems.push(format!("{e} (its sidecars are left out)"));
            return Outcome {
                analysis: None,
                problems,
            };
        }
    };
    let layers: Vec<Option<Annotations>> = annotators
        .iter()
        .zip(&files)
        .map(|(annotator, file)| {
            let path = (*file)?;
            match read_layer(&doc, annotator, path) {
                Ok((layer, lost)) => {
                    if lost > 0 {
                        problems.push(format!(
                            "{}: the article changed since this sidecar was saved; {lost} span(s) \
                             could not be placed and are left out",
                            path.display()
                        ));
                    }
                    layer.filter(|l| {
                        options.statuses.is_empty() || options.statuses.contains(&l.status)
                    })
                }
                Err(e) => {
                    problems.push(format!("{e} (left out)"));
                    None
                }
            }
        })
        .collect();
    let refs: Vec<Option<&Annotations>> = layers.iter().map(Option::as_ref).collect();
    let analysis = analyze(doc.text(), doc.len_chars(), &refs, &options.filter);
    Outcome {
        analysis: Some(analysis),
        problems,
    }
}

/// One sidecar, placed on its text (`None`: the file is gone), and how many spans could not be
/// placed.
fn read_layer(
    doc: &Document,
    annotator: &str,
    path: &Path,
) -> Result<(Option<Annotations>, usize), sidecar::SidecarError> {
    let Some(bytes) = sidecar::read_bytes(path)? else {
        return Ok((None, 0));
    };
    let loaded = sidecar::decode(doc, annotator, path, &bytes)?;
    let lost = loaded.issues.iter().filter(|i| i.new.is_none()).count();
    Ok((Some(loaded.annotations), lost))
}
