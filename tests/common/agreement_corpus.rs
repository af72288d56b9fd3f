//! Generated corpora for the agreement tests and benchmark: Arabic news-like text with entities
//! glued to proclitics, Latin names, digits, diacritics and emoji, annotated by several
//! annotators who agree mostly and disagree the ways people do (a clitic taken in, a boundary
//! moved, another label, a span missed or added, nesting, suggestions and rejections left in the
//! file, documents not annotated at all). Deterministic for a seed.

#![allow(dead_code)]

use std::path::Path;

use hashiya::model::annotation::{
    Annotations, DocLabel, DocStatus, ReviewState, Source, Span, Target,
};
use hashiya::model::{sidecar, Document};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusSpec {
    pub documents: usize,
    pub annotators: Vec<String>,
    /// Sentences per document.
    pub sentences: usize,
    /// Chance that an annotator has no sidecar for a document.
    pub missing: f64,
    /// Chance that a span is written as suggested or rejected.
    pub unreviewed: f64,
    /// Chance of a disagreement of each kind per span.
    pub disagreement: f64,
    pub seed: u64,
}

impl CorpusSpec {
    pub fn new(documents: usize, annotators: &[&str], seed: u64) -> Self {
        Self {
            documents,
            annotators: annotators.iter().map(|s| s.to_string()).collect(),
            sentences: 6,
            missing: 0.15,
            unreviewed: 0.05,
            disagreement: 0.06,
            seed,
        }
    }
}

/// xorshift64*: small, deterministic, enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FILLER: &[&str] = &[
    "قال",
    "أعلن",
    "المتحدث",
    "إن",
    "في",
    "يوم",
    "الاثنين",
    "مع",
    "خلال",
    "الأسبوع",
    "المقبل",
    "بحسب",
    "مصادر",
    "مطلعة",
    "عن",
    "المحادثات",
    "الجارية",
    "وأضاف",
    "أن",
    "الوفد",
    "سيزور",
    "مُحَمَّدٌ",
    "التضخم",
    "5.3%",
    "2026",
    "٢٠٢٥",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "(",
    ")",
    "،",
    ".",
    "NASA",
    "ـــ",
    "الاقتصاد",
    "ارتفع",
    "بنسبة",
    "3,5",
    "2018/10/03",
];

/// A nested span of a mention: its words (from, to) and label.
type Inner = Option<(usize, usize, &'static str)>;

/// Entity mentions: the words, the label, and an inner span if nested.
const MENTIONS: &[(&str, &str, Inner)] = &[
    ("واشنطن", "GPE", None),
    ("القاهرة", "GPE", None),
    ("عمرو موسى", "PER", None),
    ("وزارة الخارجية", "ORG", None),
    ("جامعة القاهرة", "ORG", Some((1, 2, "GPE"))),
    ("البنك المركزي المصري", "ORG", Some((2, 3, "NORP"))),
    ("منظمة الصحة العالمية", "ORG", None),
    ("Barack Obama", "PER", None),
    ("الإسكندرية", "GPE", None),
    ("الأمم المتحدة", "ORG", None),
    ("نهر النيل", "LOC", None),
];

const CLITICS: &[&str] = &["", "", "", "و", "ب", "ل", "وب", "ف", "ك", "وال", "بال"];
const LABELS: &[&str] = &["PER", "ORG", "GPE", "LOC", "NORP"];
const TOPICS: &[&str] = &["politics", "economy", "health", "sports"];
const STANCES: &[&str] = &["favor", "against", "neutral"];

/// A span of the reference annotation: char range and label.
#[derive(Debug, Clone)]
struct Gold {
    start: usize,
    end: usize,
    label: String,
    /// Chars of proclitics right before `start` (part of the same word).
    clitic: usize,
    /// Char range of the next word after the span, if any (for boundary moves).
    next_word: Option<(usize, usize)>,
}

/// One document's text and reference spans.
fn make_text(rng: &mut Rng, sentences: usize) -> (String, Vec<Gold>) {
    let mut text = String::new();
    let mut n = 0usize;
    let mut gold: Vec<Gold> = Vec::new();
    let push = |text: &mut String, n: &mut usize, s: &str| {
        text.push_str(s);
        *n += s.chars().count();
    };
    for s in 0..sentences {
        let words = 8 + rng.below(10);
        for w in 0..words {
            if w > 0 {
                push(&mut text, &mut n, " ");
            }
            if rng.chance(0.25) {
                let (mention, label, inner) = *rng.pick(MENTIONS);
                let mut clitic = *rng.pick(CLITICS);
                if mention.starts_with("ال") {
                    // و + القاهرة is والقاهرة: the clitic brings no second article.
                    clitic = clitic.strip_suffix("ال").unwrap_or(clitic);
                }
                push(&mut text, &mut n, clitic);
                let start = n;
                push(&mut text, &mut n, mention);
                let clitic_len = clitic.chars().count();
                // The word after, for boundary moves, is added below; remember where it starts.
                if let Some(g) = gold.last_mut() {
                    if g.next_word.is_none() && g.end + 1 == start - clitic_len {
                        g.next_word = Some((start - clitic_len, n));
                    }
                }
                gold.push(Gold {
                    start,
                    end: n,
                    label: label.to_owned(),
                    clitic: clitic_len,
                    next_word: None,
                });
                if let Some((from, to, inner_label)) = inner {
                    let words: Vec<&str> = mention.split(' ').collect();
                    let offset: usize = words[..from].iter().map(|w| w.chars().count() + 1).sum();
                    let len: usize = words[from..to]
                        .iter()
                        .map(|w| w.chars().count())
                        .sum::<usize>()
                        + (to - from - 1);
                    gold.push(Gold {
                        start: start + offset,
                        end: start + offset + len,
                        label: inner_label.to_owned(),
                        clitic: 0,
                        next_word: None,
                    });
                }
            } else {
                let word = *rng.pick(FILLER);
                let at = n;
                push(&mut text, &mut n, word);
                if let Some(g) = gold.last_mut() {
                    if g.next_word.is_none() && g.end + 1 == at {
                        g.next_word = Some((at, n));
                    }
                }
            }
        }
        push(&mut text, &mut n, if s % 3 == 2 { ".\n\n" } else { ". " });
    }
    (text, gold)
}

/// One annotator's version of the reference spans.
fn annotate(rng: &mut Rng, spec: &CorpusSpec, doc: &Document, gold: &[Gold]) -> Annotations {
    let p = spec.disagreement;
    let mut spans: Vec<Span> = Vec::new();
    let mut id = 0;
    let len = doc.len_chars();
    let mut add =
        |spans: &mut Vec<Span>, range: std::ops::Range<usize>, label: &str, rng: &mut Rng| {
            if range.start >= range.end || range.end > len {
                return;
            }
            id += 1;
            let text = doc.slice(range.clone()).unwrap_or("").to_owned();
            let mut s = Span::new(format!("s{id}"), range, label, text);
            if rng.chance(spec.unreviewed) {
                s.review = if rng.chance(0.5) {
                    ReviewState::Suggested
                } else {
                    ReviewState::Rejected
                };
                s.source = Source::Model;
            }
            spans.push(s);
        };
    for g in gold {
        if rng.chance(p) {
            continue; // missed
        }
        let mut start = g.start;
        let mut end = g.end;
        let mut label = g.label.as_str();
        if g.clitic > 0 && rng.chance(3.0 * p) {
            start -= g.clitic; // took the clitic in
        }
        if rng.chance(p) {
            if let Some((_, e)) = g.next_word {
                end = e; // took the next word in
            } else if end - start > 2 {
                end -= 1;
            }
        }
        if rng.chance(p) {
            label = *rng.pick(LABELS); // another label (sometimes the same)
        }
        add(&mut spans, start..end, label, rng);
        if rng.chance(p / 3.0) {
            // A second, overlapping span of the same label (α_u keeps the longest).
            add(&mut spans, start..(end - 1).max(start + 1), label, rng);
        }
    }
    // Spans on words nobody else tagged.
    let words: Vec<(usize, usize)> = {
        let chars: Vec<char> = doc.text().chars().collect();
        let mut v = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_alphabetic() {
                let s = i;
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                v.push((s, i));
            } else {
                i += 1;
            }
        }
        v
    };
    for _ in 0..(gold.len() / 8 + usize::from(rng.chance(0.5))) {
        if rng.chance(2.0 * p) && !words.is_empty() {
            let (s, e) = *rng.pick(&words);
            let label = *rng.pick(LABELS);
            add(&mut spans, s..e, label, rng);
        }
    }
    // A discontinuous span now and then.
    if rng.chance(p) && words.len() > 3 {
        let k = rng.below(words.len() - 3);
        let (a, b) = (words[k], words[k + 2]);
        id += 1;
        let text = format!(
            "{} {}",
            doc.slice(a.0..a.1).unwrap_or(""),
            doc.slice(b.0..b.1).unwrap_or("")
        );
        let mut s = Span::new(format!("s{id}"), a.0..b.1, "ORG", text);
        s.fragments = vec![a.0..a.1, b.0..b.1];
        spans.push(s);
    }
    let mut labels = Vec::new();
    let topic = if rng.chance(0.8) {
        TOPICS[0]
    } else {
        *rng.pick(TOPICS)
    };
    if rng.chance(0.9) {
        labels.push(DocLabel {
            id: "d1".into(),
            name: "topic".into(),
            value: topic.into(),
            ..Default::default()
        });
    }
    // Stance toward the first entity (a span target: compared by its text) and a text target.
    if let Some(first) = spans
        .iter()
        .find(|s| s.is_counted() && !s.is_discontinuous())
    {
        labels.push(DocLabel {
            id: "d2".into(),
            name: "stance".into(),
            value: if rng.chance(0.7) {
                STANCES[0]
            } else {
                *rng.pick(STANCES)
            }
            .into(),
            target: Some(Target::Span(first.id.clone())),
            ..Default::default()
        });
    }
    let mut unreviewed = DocLabel {
        id: "d3".into(),
        name: "stance".into(),
        value: (*rng.pick(STANCES)).to_owned(),
        target: Some(Target::Text("الاتفاق".into())),
        ..Default::default()
    };
    if rng.chance(spec.unreviewed * 4.0) {
        unreviewed.review = ReviewState::Suggested;
    }
    labels.push(unreviewed);
    let status = if rng.chance(0.85) {
        DocStatus::Finished
    } else {
        DocStatus::InProgress
    };
    Annotations::from_parts(status, spans, vec![], labels, vec![])
}

/// Writes the corpus under `root`; returns the number of sidecars written.
pub fn write_corpus(root: &Path, spec: &CorpusSpec) -> usize {
    let mut rng = Rng::new(spec.seed);
    let mut sidecars = 0;
    for k in 0..spec.documents {
        let dir = root.join(format!("batch{:02}", k / 500));
        std::fs::create_dir_all(&dir).expect("create folder");
        let path = dir.join(format!("article{k:05}.txt"));
        let (text, gold) = make_text(&mut rng, spec.sentences);
        std::fs::write(&path, &text).expect("write article");
        let doc = Document::load(&path, None).expect("load article");
        for (a, annotator) in spec.annotators.iter().enumerate() {
            // Every document has at least one annotator; the first annotator misses none when
            // there are only two, so that pairs always have documents.
            if a > 0 && rng.chance(spec.missing) {
                continue;
            }
            let layer = annotate(&mut rng, spec, &doc, &gold);
            let bytes = sidecar::encode(&doc, annotator, &layer).expect("encode sidecar");
            std::fs::write(sidecar::sidecar_path(&path, annotator), bytes).expect("write sidecar");
            sidecars += 1;
        }
    }
    sidecars
}
