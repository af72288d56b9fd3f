//! Suggestions across a corpus: every document's candidates from all sources, placed into one
//! annotator's layer by the rules of [`super::place`]. Changed sidecars are written a batch at a
//! time ([`crate::model::sidecar_queue`]: one disk flush for thousands of files), so what was done
//! before a failure or a cancel is kept. Streams over documents on every core (one worker when a
//! source must see documents in order, such as an external command).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use crate::model::corpus::{Corpus, CorpusEntry};
use crate::model::document::Document;
use crate::model::parallel::{for_each_parallel_apart, worker_count};
use crate::model::sidecar::{self, valid_annotator, SidecarError};
use crate::model::sidecar_queue::{self, SidecarQueue, StagedSidecar};

use super::place::place_suggestions;
use super::Suggester;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestSummary {
    /// Documents looked at.
    pub documents: usize,
    /// Documents whose sidecar got new suggestions.
    pub documents_changed: usize,
    /// New suggestions per label.
    pub suggested: BTreeMap<String, usize>,
    /// Candidates not written, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// `document: problem`, one per line, in corpus order (bad spans of a model, unreadable
    /// files, a stopped command).
    pub problems: Vec<String>,
    /// The run was cancelled before every document was done.
    pub cancelled: bool,
}

impl SuggestSummary {
    pub fn total_suggested(&self) -> usize {
        self.suggested.values().sum()
    }
}

/// How to run.
#[derive(Debug, Clone)]
pub struct SuggestRun {
    /// The layer written into.
    pub into: String,
    /// Send documents to the sources one at a time in corpus order (an external command sees
    /// them in order, and a failure stops at a well-defined place).
    pub in_order: bool,
}

/// Suggests from `sources` into `run.into`'s sidecar of every document. `progress` gets
/// (documents done, documents in all); setting `cancel` stops after the documents under way.
pub fn suggest_corpus(
    corpus: &Corpus,
    run: &SuggestRun,
    sources: &[&dyn Suggester],
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<SuggestSummary, SidecarError> {
    if !valid_annotator(&run.into) {
        return Err(SidecarError::BadAnnotator(run.into.clone()));
    }
    let total = corpus.entries.len();
    let mut tally = Tally::default();
    let mut queue: SidecarQueue<(usize, DocOutcome)> = SidecarQueue::new(COMMIT_CHUNK);
    let mut done = 0;
    progress(0, total);
    let work = |_: usize, e: &CorpusEntry| suggest_entry(e, &run.into, sources);
    let mut collect = |i: usize, (outcome, staged): (DocOutcome, Option<StagedSidecar>)| {
        match staged {
            Some(st) => tally.settle(queue.push(st, (i, outcome))),
            None => tally.count(i, outcome),
        }
        done += 1;
        progress(done, total);
    };
    if run.in_order || worker_count() == 1 {
        for (i, e) in corpus.entries.iter().enumerate() {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            collect(i, work(i, e));
        }
    } else {
        // Workers apart: each writes its sidecars in other folders than the other's.
        for_each_parallel_apart(&corpus.entries, work, collect, cancel);
    }
    tally.settle(queue.commit());
    let mut summary = tally.summary;
    tally.problems.sort_by_key(|(i, _)| *i);
    summary.problems = tally.problems.into_iter().map(|(_, p)| p).collect();
    summary.cancelled = summary.documents < total;
    Ok(summary)
}

/// The summary being summed, with problems by document index (to sort them in corpus order).
#[derive(Default)]
struct Tally {
    summary: SuggestSummary,
    problems: Vec<(usize, String)>,
}

impl Tally {
    fn count(&mut self, i: usize, outcome: DocOutcome) {
        let s = &mut self.summary;
        s.documents += 1;
        if outcome.changed {
            s.documents_changed += 1;
        }
        for (label, n) in outcome.suggested {
            *s.suggested.entry(label).or_default() += n;
        }
        for (why, n) in outcome.skipped {
            *s.skipped.entry(why).or_default() += n;
        }
        self.problems
            .extend(outcome.problems.into_iter().map(|p| (i, p)));
    }

    /// Counts documents whose sidecars were committed (or not).
    fn settle(&mut self, committed: Vec<((usize, DocOutcome), Result<(), SidecarError>)>) {
        for ((i, mut outcome), r) in committed {
            if let Err(e) = r {
                outcome.changed = false;
                outcome.suggested.clear();
                outcome
                    .problems
                    .push(format!("{e}; its suggestions were not written"));
            }
            self.count(i, outcome);
        }
    }
}

/// Sidecars made durable and put in place together (see [`crate::model::sidecar_queue`]).
const COMMIT_CHUNK: usize = 2048;

#[derive(Default)]
struct DocOutcome {
    changed: bool,
    suggested: BTreeMap<String, usize>,
    skipped: BTreeMap<String, usize>,
    problems: Vec<String>,
}

/// One document: its outcome, and its sidecar staged if suggestions were added.
fn suggest_entry(
    entry: &CorpusEntry,
    into: &str,
    sources: &[&dyn Suggester],
) -> (DocOutcome, Option<StagedSidecar>) {
    let mut out = DocOutcome::default();
    let name = &entry.relative;
    let skip = |out: &mut DocOutcome, why: String| *out.skipped.entry(why).or_default() += 1;
    let doc = match Document::load(&entry.path, None) {
        Ok(d) => d,
        Err(e) => {
            out.problems.push(format!("{e}; no suggestions"));
            return (out, None);
        }
    };
    let loaded = match sidecar::load(&doc, into) {
        Ok(l) => l,
        Err(e) => {
            out.problems.push(format!("{e}; no suggestions"));
            return (out, None);
        }
    };
    if !loaded.issues.is_empty() {
        out.problems.push(format!(
            "{name}: the article changed since {into}'s sidecar was written ({} spans to \
             re-anchor); open it in the app or run `hashiya validate` first; no suggestions",
            loaded.issues.len()
        ));
        return (out, None);
    }
    let mut candidates = Vec::new();
    for s in sources {
        let reply = s.suggest(name, &doc);
        candidates.extend(reply.suggestions);
        for why in reply.skipped {
            skip(&mut out, format!("{} ({})", why, s.name()));
        }
        out.problems.extend(
            reply
                .problems
                .into_iter()
                .map(|p| format!("{name}: {}: {p}", s.name())),
        );
    }
    let mut annotations = loaded.annotations;
    let placement = place_suggestions(&mut annotations, &doc, candidates);
    for (reason, n) in &placement.skipped {
        *out.skipped.entry(reason.describe(into)).or_default() += n;
    }
    if placement.added.is_empty() {
        return (out, None);
    }
    match sidecar::prepare(&doc, into, &annotations, loaded.disk_hash.as_deref())
        .and_then(sidecar_queue::stage)
    {
        Ok(staged) => {
            out.changed = true;
            for s in &placement.added {
                *out.suggested.entry(s.label.clone()).or_default() += 1;
            }
            (out, Some(staged))
        }
        Err(e) => {
            out.problems
                .push(format!("{e}; its suggestions were not written"));
            (out, None)
        }
    }
}
