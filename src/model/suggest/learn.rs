//! Learning a [`Lexicon`] from what people tagged: the counted spans (neither suggested nor
//! rejected) of chosen annotators, each counted once under its label with the text it covers.
//! Discontinuous spans are left out (their pieces are not one text to look for).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;

use crate::model::annotation::{Annotations, DocStatus, Span};
use crate::model::corpus::{Corpus, CorpusEntry, SidecarInfo};
use crate::model::document::Document;
use crate::model::parallel::for_each_parallel;
use crate::model::search::SearchOptions;
use crate::model::sidecar;

use super::Lexicon;

/// What to learn from.
#[derive(Debug, Clone, Default)]
pub struct LearnOptions {
    /// Whose counted spans are learned.
    pub annotators: Vec<String>,
    pub search: SearchOptions,
    /// Only spans with these labels (`None`: all).
    pub labels: Option<BTreeSet<String>>,
    /// Only documents whose sidecar (of the annotator learned from) has one of these statuses,
    /// e.g. finished and reviewed ("learn from my finished documents"); empty: all.
    pub statuses: Vec<DocStatus>,
}

impl LearnOptions {
    /// Is this annotator's sidecar of the document one to learn from?
    fn wanted(&self, sc: &SidecarInfo) -> bool {
        self.annotators.contains(&sc.annotator)
            && (self.statuses.is_empty()
                || sc
                    .summary
                    .as_ref()
                    .is_ok_and(|s| self.statuses.contains(&s.status)))
    }
}

/// What learning did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearnSummary {
    /// Documents with a sidecar of one of the annotators.
    pub documents: usize,
    /// Spans counted.
    pub spans: usize,
    /// Spans not counted, by reason.
    pub left_out: BTreeMap<String, usize>,
    /// Files that could not be read (`file: why`).
    pub problems: Vec<String>,
}

impl LearnSummary {
    fn add(&mut self, other: LearnSummary) {
        self.documents += other.documents;
        self.spans += other.spans;
        for (k, v) in other.left_out {
            *self.left_out.entry(k).or_default() += v;
        }
        self.problems.extend(other.problems);
    }
}

/// Counts the spans of `annotations` that are counted, contiguous, of a wanted label and accepted
/// by `keep`, with the text each covers in `doc`.
pub fn learn_spans(
    lexicon: &mut Lexicon,
    doc: &Document,
    annotations: &Annotations,
    labels: Option<&BTreeSet<String>>,
    keep: impl Fn(&Span) -> bool,
) -> LearnSummary {
    let mut summary = LearnSummary::default();
    let mut leave_out = |why: &str| *summary.left_out.entry(why.to_owned()).or_default() += 1;
    for s in annotations.counted_spans() {
        if labels.is_some_and(|ls| !ls.contains(&s.label)) || !keep(s) {
            continue;
        }
        if s.is_discontinuous() {
            leave_out("discontinuous span");
            continue;
        }
        let Some(text) = doc.slice(s.range()) else {
            leave_out("outside the text");
            continue;
        };
        match lexicon.add(text, &s.label, 1) {
            Ok(()) => summary.spans += 1,
            Err(e) => leave_out(&format!("text {e}")),
        }
    }
    summary
}

/// Learns from the sidecars of `opts.annotators` across the corpus, on every core. `progress`
/// gets (documents done, documents in all).
pub fn learn_from_corpus(
    corpus: &Corpus,
    opts: &LearnOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> (Lexicon, LearnSummary) {
    let entries: Vec<&CorpusEntry> = corpus
        .entries
        .iter()
        .filter(|e| e.sidecars.iter().any(|s| opts.wanted(s)))
        .collect();
    let total = entries.len();
    let mut lexicon = Lexicon::new(opts.search);
    let mut summary = LearnSummary::default();
    let mut done = 0;
    progress(0, total);
    for_each_parallel(
        &entries,
        |_, entry| learn_entry(entry, opts),
        |_, (lx, s)| {
            lexicon.merge(lx);
            summary.add(s);
            done += 1;
            progress(done, total);
        },
        cancel,
    );
    summary.problems.sort();
    (lexicon, summary)
}

fn learn_entry(entry: &CorpusEntry, opts: &LearnOptions) -> (Lexicon, LearnSummary) {
    let mut lexicon = Lexicon::new(opts.search);
    let mut summary = LearnSummary {
        documents: 1,
        ..LearnSummary::default()
    };
    let doc = match Document::load(&entry.path, None) {
        Ok(d) => d,
        Err(e) => {
            summary.problems.push(e.to_string());
            return (lexicon, summary);
        }
    };
    for sc in entry.sidecars.iter().filter(|s| opts.wanted(s)) {
        match sidecar::load_read_only(&doc, &sc.annotator) {
            Ok(loaded) => summary.add(learn_spans(
                &mut lexicon,
                &doc,
                &loaded.annotations,
                opts.labels.as_ref(),
                |_| true,
            )),
            Err(e) => summary.problems.push(e.to_string()),
        }
    }
    (lexicon, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::ReviewState;
    use crate::model::{Editor, Schema};

    #[test]
    fn only_counted_spans_are_learned() {
        let doc = Document::from_text("a.txt", "زار موسكو وبغداد والقاهرة");
        let schema = Schema::builtin();
        let mut ed = Editor::default();
        ed.add_span(&doc, &schema, 4..9, "GPE").unwrap();
        let s = ed.add_span(&doc, &schema, 11..16, "GPE").unwrap();
        ed.set_review(&s, ReviewState::Suggested).unwrap();
        let r = ed.add_span(&doc, &schema, 18..25, "GPE").unwrap();
        ed.set_review(&r, ReviewState::Rejected).unwrap();
        let mut lx = Lexicon::new(SearchOptions::default());
        let sum = learn_spans(&mut lx, &doc, ed.annotations(), None, |_| true);
        assert_eq!(sum.spans, 1);
        assert_eq!(lx.len(), 1);
        assert_eq!(lx.counts("موسكو").map(|c| c["GPE"]), Some(1));
    }
}
