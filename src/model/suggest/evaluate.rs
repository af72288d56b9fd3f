//! How good the learned matcher is: learn from half of a gold layer, suggest on the other half
//! (into an empty layer, by the rules of [`super::place`]), and count exact matches (same start,
//! end and label) per label. Nothing is written.
//!
//! The halves are every other document (in corpus order) or, for a corpus of few long documents
//! (a CoNLL file imports as one), every other non-empty paragraph of each document.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::model::annotation::{Annotations, Span};
use crate::model::corpus::{Corpus, CorpusEntry};
use crate::model::document::Document;
use crate::model::parallel::for_each_parallel;
use crate::model::search::SearchOptions;
use crate::model::sidecar;

use super::learn::learn_spans;
use super::matcher::{Lexicon, Matcher, MatcherOptions};
use super::place::place_suggestions;

/// Which units make the two halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Even-numbered documents (0, 2, ...) are learned from, odd-numbered ones suggested on.
    Documents,
    /// In each document, even-numbered non-empty paragraphs are learned from, the others
    /// suggested on.
    Paragraphs,
}

#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The gold layer.
    pub gold: String,
    pub split: Split,
    pub search: SearchOptions,
    pub matcher: MatcherOptions,
}

/// Counts for one label (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    /// Gold spans in the test half.
    pub gold: usize,
    /// Suggestions made in the test half.
    pub suggested: usize,
    /// Suggestions equal to a gold span (start, end and label).
    pub correct: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.suggested)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Score) {
        self.gold += o.gold;
        self.suggested += o.suggested;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub per_label: BTreeMap<String, Score>,
    pub total: Score,
    /// Documents with a gold sidecar.
    pub documents: usize,
    /// Units (documents or paragraphs) learned from and suggested on.
    pub learn_units: usize,
    pub test_units: usize,
    /// Spans learned, and entries the matcher kept.
    pub learned_spans: usize,
    pub entries: usize,
    pub learning_time: Duration,
    pub suggesting_time: Duration,
    pub problems: Vec<String>,
}

/// Runs the evaluation on the gold layer of `corpus`.
pub fn evaluate(corpus: &Corpus, opts: &EvalOptions, cancel: &AtomicBool) -> Evaluation {
    let entries: Vec<&CorpusEntry> = corpus
        .entries
        .iter()
        .filter(|e| e.sidecars.iter().any(|s| s.annotator == opts.gold))
        .collect();
    let mut ev = Evaluation {
        documents: entries.len(),
        ..Evaluation::default()
    };
    let labels = opts.matcher.labels.as_ref();
    let started = Instant::now();
    let mut lexicon = Lexicon::new(opts.search);
    for_each_parallel(
        &entries,
        |k, e| {
            let mut lx = Lexicon::new(opts.search);
            let r = load_gold(e, &opts.gold).map(|(doc, gold)| {
                let units = Units::new(&doc, opts.split, k);
                let learned = learn_spans(&mut lx, &doc, &gold, labels, |s| units.learn(s));
                (learned.spans, units.counts())
            });
            (lx, r)
        },
        |_, (lx, r)| {
            lexicon.merge(lx);
            match r {
                Ok((n, (learn, test))) => {
                    ev.learned_spans += n;
                    ev.learn_units += learn;
                    ev.test_units += test;
                }
                Err(p) => ev.problems.push(p),
            }
        },
        cancel,
    );
    let matcher = Matcher::new("learned", &lexicon, &opts.matcher);
    ev.entries = matcher.len();
    ev.learning_time = started.elapsed();
    let started = Instant::now();
    for_each_parallel(
        &entries,
        |k, e| {
            load_gold(e, &opts.gold)
                .map(|(doc, gold)| score_document(&doc, &gold, &matcher, opts.split, k, labels))
        },
        |_, r| match r {
            Ok(scores) => {
                for (label, s) in scores {
                    ev.per_label.entry(label).or_default().add(s);
                    ev.total.add(s);
                }
            }
            Err(p) => ev.problems.push(p),
        },
        cancel,
    );
    ev.suggesting_time = started.elapsed();
    ev.problems.sort();
    ev.problems.dedup();
    ev
}

fn load_gold(entry: &CorpusEntry, gold: &str) -> Result<(Document, Annotations), String> {
    let doc = Document::load(&entry.path, None).map_err(|e| e.to_string())?;
    let loaded = sidecar::load_read_only(&doc, gold).map_err(|e| e.to_string())?;
    Ok((doc, loaded.annotations))
}

fn score_document(
    doc: &Document,
    gold: &Annotations,
    matcher: &Matcher,
    split: Split,
    k: usize,
    labels: Option<&BTreeSet<String>>,
) -> BTreeMap<String, Score> {
    let units = Units::new(doc, split, k);
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut expected = HashSet::new();
    for s in gold.counted_spans() {
        if units.test(s) && labels.is_none_or(|ls| ls.contains(&s.label)) {
            scores.entry(s.label.clone()).or_default().gold += 1;
            if !s.is_discontinuous() {
                expected.insert((s.start, s.end, s.label.clone()));
            }
        }
    }
    let candidates = matcher.find_where(doc, |p| units.test_paragraph(p));
    let mut layer = Annotations::new();
    let placed = place_suggestions(&mut layer, doc, candidates);
    for s in placed.added {
        let score = scores.entry(s.label.clone()).or_default();
        score.suggested += 1;
        if expected.contains(&(s.start, s.end, s.label)) {
            score.correct += 1;
        }
    }
    scores
}

/// Which half each part of a document is in.
struct Units {
    /// Per paragraph: is it in the test half? (`None`: the whole document's half.)
    test_paragraphs: Option<Vec<bool>>,
    /// For [`Split::Documents`]: is this document in the test half?
    test_document: bool,
    /// Paragraph start chars, to find a span's paragraph.
    starts: Vec<usize>,
    /// Non-empty paragraphs (the units of [`Split::Paragraphs`]).
    nonempty: usize,
}

impl Units {
    fn new(doc: &Document, split: Split, index: usize) -> Self {
        let starts: Vec<usize> = doc.paragraphs().iter().map(|p| p.start_char).collect();
        match split {
            Split::Documents => Self {
                test_paragraphs: None,
                test_document: index % 2 == 1,
                starts,
                nonempty: 0,
            },
            Split::Paragraphs => {
                let mut n = 0;
                let test = doc
                    .paragraphs()
                    .iter()
                    .map(|p| {
                        if p.is_empty() {
                            return false;
                        }
                        n += 1;
                        n % 2 == 0
                    })
                    .collect();
                Self {
                    test_paragraphs: Some(test),
                    test_document: false,
                    starts,
                    nonempty: n,
                }
            }
        }
    }

    fn test_paragraph(&self, p: usize) -> bool {
        match &self.test_paragraphs {
            Some(t) => t.get(p).copied().unwrap_or(false),
            None => self.test_document,
        }
    }

    fn paragraph_of(&self, s: &Span) -> usize {
        self.starts
            .partition_point(|&st| st <= s.start)
            .saturating_sub(1)
    }

    fn test(&self, s: &Span) -> bool {
        self.test_paragraph(self.paragraph_of(s))
    }

    fn learn(&self, s: &Span) -> bool {
        match &self.test_paragraphs {
            Some(t) => t.get(self.paragraph_of(s)) == Some(&false),
            None => !self.test_document,
        }
    }

    /// (learn units, test units) in this document.
    fn counts(&self) -> (usize, usize) {
        match &self.test_paragraphs {
            Some(t) => {
                let test = t.iter().filter(|x| **x).count();
                (self.nonempty - test, test)
            }
            None if self.test_document => (0, 1),
            None => (1, 0),
        }
    }
}
