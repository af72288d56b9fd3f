//! The Arabic-aware dictionary matcher: a [`Lexicon`] (covered text → label counts) compiled into
//! a [`Matcher`] that finds every whole-word occurrence of its entries in a document.
//!
//! Matching rules (docs/suggestions.md):
//! - texts are compared folded ([`fold_for_matching`]): diacritics and tatweel ignored, white space
//!   runs equal, Latin case ignored, alef forms folded when asked;
//! - an occurrence starts a word or follows proclitics attached to it (و ف ب ل ك ال and their
//!   combinations, لل for ل + ال); the proclitics stay outside the suggested span;
//! - it ends a word: الموسكوفي is not an occurrence of موسكو;
//! - each entry suggests its most frequent label (ties: the first label in alphabetical order),
//!   scored by that label's share of the entry's counts.
//!
//! Overlapping occurrences are resolved by [`super::place`] (longest match wins).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::document::Document;
use crate::model::search::{
    fold_entry, fold_for_matching, is_clitic_prefix, is_word_char, MatchText, SearchOptions,
    MAX_CLITIC_CHARS,
};

use super::{SourceReply, Suggester, Suggestion};

/// Why a text cannot be an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("nothing left to match once diacritics and tatweel are left out")]
    Empty,
    #[error("does not start with a letter or digit, so it can never start a word")]
    NoWordStart,
}

/// Covered text (folded) → label → how many times it was seen with that label.
#[derive(Debug, Clone)]
pub struct Lexicon {
    options: SearchOptions,
    entries: FastMap<Vec<char>, BTreeMap<String, u64>>,
}

impl Lexicon {
    /// An empty lexicon; `options` say which letters fold (diacritics and tatweel always do).
    pub fn new(options: SearchOptions) -> Self {
        Self {
            options,
            entries: FastMap::default(),
        }
    }

    pub fn options(&self) -> SearchOptions {
        self.options
    }

    /// Counts `count` occurrences of `text` labeled `label`.
    pub fn add(&mut self, text: &str, label: &str, count: u64) -> Result<(), EntryError> {
        let key = fold_entry(text, self.options);
        match key.first() {
            None => return Err(EntryError::Empty),
            Some(c) if !is_word_char(*c) => return Err(EntryError::NoWordStart),
            Some(_) => {}
        }
        let labels = self.entries.entry(key).or_default();
        match labels.get_mut(label) {
            Some(n) => *n = n.saturating_add(count),
            None => {
                labels.insert(label.to_owned(), count);
            }
        }
        Ok(())
    }

    /// Adds the counts of another lexicon (folded with the same options).
    pub fn merge(&mut self, other: Lexicon) {
        for (key, labels) in other.entries {
            let mine = self.entries.entry(key).or_default();
            for (label, n) in labels {
                let c = mine.entry(label).or_default();
                *c = c.saturating_add(n);
            }
        }
    }

    /// Number of distinct (folded) texts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The label counts of `text` (folded as entries are).
    pub fn counts(&self, text: &str) -> Option<&BTreeMap<String, u64>> {
        self.entries.get(fold_entry(text, self.options).as_slice())
    }
}

/// Which entries of a lexicon a matcher keeps.
#[derive(Debug, Clone, Default)]
pub struct MatcherOptions {
    /// An entry's label must have been seen at least this often (0 and 1 are the same).
    pub min_count: u64,
    /// Only these labels are suggested (`None`: all). An entry whose most frequent label is not
    /// among them suggests nothing.
    pub labels: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone)]
struct Entry {
    chars: Vec<char>,
    label: String,
    score: f64,
    /// Does the entry start with the article ال (so no further ال may be attached)?
    has_article: bool,
}

/// A compiled lexicon: finds its entries in documents.
#[derive(Debug, Clone)]
pub struct Matcher {
    name: String,
    options: SearchOptions,
    entries: Vec<Entry>,
    /// First word of each entry → entries starting with it.
    by_head: FastMap<Vec<char>, Vec<u32>>,
    /// For entries starting with ال: first word without its alef (لقاهرة for القاهرة), as it is
    /// written after the preposition ل (للقاهرة).
    by_lam_head: FastMap<Vec<char>, Vec<u32>>,
}

impl Matcher {
    /// Compiles `lexicon`; `name` appears in summaries.
    pub fn new(name: &str, lexicon: &Lexicon, opts: &MatcherOptions) -> Self {
        let mut m = Self {
            name: name.to_owned(),
            options: lexicon.options,
            entries: Vec::new(),
            by_head: FastMap::default(),
            by_lam_head: FastMap::default(),
        };
        // Sorted, so that the matcher (and what it finds) does not depend on hash order.
        let mut keys: Vec<(&Vec<char>, &BTreeMap<String, u64>)> = lexicon.entries.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        for (chars, labels) in keys {
            let total: u64 = labels.values().sum();
            // Most frequent label; ties go to the first in alphabetical order (BTreeMap order).
            let Some((label, &n)) =
                labels
                    .iter()
                    .fold(None, |best: Option<(&String, &u64)>, (l, n)| match best {
                        Some((_, bn)) if bn >= n => best,
                        _ => Some((l, n)),
                    })
            else {
                continue;
            };
            if n < opts.min_count.max(1) || total == 0 {
                continue;
            }
            if opts.labels.as_ref().is_some_and(|ls| !ls.contains(label)) {
                continue;
            }
            m.push(Entry {
                chars: chars.clone(),
                label: label.clone(),
                score: n as f64 / total as f64,
                has_article: chars.starts_with(&['ا', 'ل']),
            });
        }
        m
    }

    /// A matcher for one text and label (score 1): "the other occurrences of the span I just
    /// tagged". `None` if the text cannot be matched (see [`EntryError`]).
    pub fn for_span(text: &str, label: &str, options: SearchOptions) -> Option<Self> {
        let mut lexicon = Lexicon::new(options);
        lexicon.add(text, label, 1).ok()?;
        Some(Self::new("this span", &lexicon, &MatcherOptions::default()))
    }

    fn push(&mut self, e: Entry) {
        let k = self.entries.len() as u32;
        let head_len = e.chars.iter().take_while(|c| is_word_char(**c)).count();
        self.by_head
            .entry(e.chars[..head_len].to_vec())
            .or_default()
            .push(k);
        // القاهرة after ل is written لقاهرة (one lam of the article is dropped).
        if e.has_article && head_len > 2 {
            self.by_lam_head
                .entry(e.chars[1..head_len].to_vec())
                .or_default()
                .push(k);
        }
        self.entries.push(e);
    }

    /// Number of entries kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every occurrence of every entry in `doc`, in text order (overlapping ones included).
    pub fn find(&self, doc: &Document) -> Vec<Suggestion> {
        self.find_where(doc, |_| true)
    }

    /// As [`Matcher::find`], only in the paragraphs (by index) that `keep` accepts.
    pub fn find_where(&self, doc: &Document, keep: impl Fn(usize) -> bool) -> Vec<Suggestion> {
        let mut out = Vec::new();
        if self.entries.is_empty() {
            return out;
        }
        for (k, p) in doc.paragraphs().iter().enumerate() {
            if p.is_empty() || !keep(k) {
                continue;
            }
            let text = fold_for_matching(doc.paragraph_text(p), p.start_char, self.options);
            self.find_in(&text, &mut out);
        }
        out
    }

    fn find_in(&self, t: &MatchText, out: &mut Vec<Suggestion>) {
        let c = &t.chars;
        let mut i = 0;
        while i < c.len() {
            if !is_word_char(c[i]) {
                i += 1;
                continue;
            }
            let word_end = (i..c.len())
                .find(|&k| !is_word_char(c[k]))
                .unwrap_or(c.len());
            let longest_prefix = MAX_CLITIC_CHARS.min(word_end - i - 1);
            for k in 0..=longest_prefix {
                let prefix = &c[i..i + k];
                // An entry without an article of its own may follow the most clitics; whether
                // these fit the entry found is checked below.
                let clitics = k == 0 || is_clitic_prefix(prefix, false);
                let lam = is_lam_prefix(prefix);
                if !clitics && !lam {
                    continue;
                }
                let j = i + k;
                let rest = &c[j..word_end];
                if let Some(ids) = self.by_head.get(rest).filter(|_| clitics) {
                    for &e in ids {
                        let e = &self.entries[e as usize];
                        if (k == 0 || is_clitic_prefix(prefix, e.has_article))
                            && ends_word_at(c, j, &e.chars)
                        {
                            self.emit(t, j, e.chars.len(), e, out);
                        }
                    }
                }
                if lam {
                    if let Some(ids) = self.by_lam_head.get(rest) {
                        for &e in ids {
                            let e = &self.entries[e as usize];
                            if ends_word_at(c, j, &e.chars[1..]) {
                                self.emit(t, j, e.chars.len() - 1, e, out);
                            }
                        }
                    }
                }
            }
            i = word_end;
        }
    }

    fn emit(&self, t: &MatchText, at: usize, len: usize, e: &Entry, out: &mut Vec<Suggestion>) {
        if let Some(range) = t.original(at..at + len) {
            out.push(Suggestion {
                range,
                label: e.label.clone(),
                score: Some(e.score),
            });
        }
    }
}

impl Suggester for Matcher {
    fn name(&self) -> &str {
        &self.name
    }

    fn suggest(&self, _relative: &str, doc: &Document) -> SourceReply {
        SourceReply {
            suggestions: self.find(doc),
            ..SourceReply::default()
        }
    }
}

/// Is `prefix` the preposition ل (after an optional و or ف), before which an article loses its
/// alef (للقاهرة = ل + القاهرة)?
fn is_lam_prefix(prefix: &[char]) -> bool {
    matches!(prefix, ['ل'] | ['و' | 'ف', 'ل'])
}

/// Do `c[at..]` start with `pat`, and does the match end a word?
fn ends_word_at(c: &[char], at: usize, pat: &[char]) -> bool {
    let end = at + pat.len();
    c.get(at..end) == Some(pat) && c.get(end).is_none_or(|n| !is_word_char(*n))
}

/// A fast hash for short keys of chars (FxHash's mixing step); the matcher looks up several keys
/// per word of every document.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(doc: &Document, m: &Matcher) -> Vec<(String, String)> {
        m.find(doc)
            .into_iter()
            .map(|s| (doc.slice(s.range).unwrap().to_owned(), s.label))
            .collect()
    }

    fn matcher(entries: &[(&str, &str, u64)]) -> Matcher {
        let mut lx = Lexicon::new(SearchOptions {
            fold_alef: false,
            ..SearchOptions::default()
        });
        for (t, l, n) in entries {
            lx.add(t, l, *n).unwrap();
        }
        Matcher::new("test", &lx, &MatcherOptions::default())
    }

    #[test]
    fn proclitics_stay_outside_and_longer_words_do_not_match() {
        let m = matcher(&[("موسكو", "GPE", 3), ("الولايات المتحدة", "GPE", 2)]);
        let doc = Document::from_text(
            "a.txt",
            "زار وبموسكو ولموسكو الموسكوفي موسكوا بالولايات المتحدة وللولايات المتحدة الولايات المتحدةو",
        );
        let got = spans(&doc, &m);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["موسكو", "موسكو", "الولايات المتحدة", "لولايات المتحدة"]
        );
    }

    #[test]
    fn the_most_frequent_label_is_scored_by_its_share() {
        let m = matcher(&[
            ("القاهرة", "GPE", 3),
            ("القاهرة", "LOC", 1),
            ("نيل", "LOC", 1),
        ]);
        let doc = Document::from_text("a.txt", "في القاهرة والنيل");
        let s = m.find(&doc);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].label.as_str(), s[0].score), ("GPE", Some(0.75)));
        assert_eq!((s[1].label.as_str(), s[1].score), ("LOC", Some(1.0)));
        let strict = Matcher::new(
            "t",
            &{
                let mut lx = Lexicon::new(SearchOptions::default());
                lx.add("القاهرة", "GPE", 3).unwrap();
                lx.add("نيل", "LOC", 1).unwrap();
                lx
            },
            &MatcherOptions {
                min_count: 2,
                labels: None,
            },
        );
        assert_eq!(strict.len(), 1);
    }

    #[test]
    fn diacritics_tatweel_and_alef_on_request() {
        let doc = Document::from_text("a.txt", "قال أحمدُ إنّ مـــصر وإحمد");
        let m = matcher(&[("احمد", "PER", 1), ("مصر", "GPE", 1)]);
        assert_eq!(
            spans(&doc, &m).len(),
            1,
            "alef not folded by default: only مصر"
        );
        let mut lx = Lexicon::new(SearchOptions::default());
        lx.add("احمد", "PER", 1).unwrap();
        let folded = Matcher::new("t", &lx, &MatcherOptions::default());
        let got = spans(&doc, &folded);
        assert_eq!(got[0].0, "أحمدُ", "the mark on the last letter is taken in");
        assert_eq!(got[1].0, "إحمد");
    }

    #[test]
    fn entries_that_cannot_start_a_word_are_refused() {
        let mut lx = Lexicon::new(SearchOptions::default());
        assert_eq!(lx.add("ًّ", "X", 1), Err(EntryError::Empty));
        assert_eq!(lx.add("«موسكو»", "X", 1), Err(EntryError::NoWordStart));
        assert!(lx.is_empty());
    }
}
