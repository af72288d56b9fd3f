//! Arabic-aware search: diacritics (harakat, shadda, sukun, dagger alef, Quranic marks) and tatweel
//! are ignored; alef forms, ta marbuta / ha and ya / alef maqsura can be folded on request. Matches
//! are char ranges of the original text.
//!
//! "Tag all occurrences" uses [`find_with_clitics`]: a match may sit after attached clitics (و ف ب
//! ل ك and ال, alone or combined, e.g. وبـ, فال, وللـ), and the span it gives leaves them out.

use std::ops::Range;

use super::document::Document;

/// What to fold besides diacritics and tatweel (always ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// أ إ آ ٱ match ا.
    pub fold_alef: bool,
    /// ة matches ه.
    pub fold_ta_marbuta: bool,
    /// ى matches ي.
    pub fold_ya: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            fold_alef: true,
            fold_ta_marbuta: false,
            fold_ya: false,
        }
    }
}

/// Is `c` ignored by search (a mark written over or under a letter, or tatweel)?
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}' // Quranic signs
        | '\u{064B}'..='\u{065F}' // harakat, tanween, shadda, sukun, ...
        | '\u{0670}' // dagger alef
        | '\u{06D6}'..='\u{06ED}' // Quranic annotation marks
        | '\u{0640}' // tatweel
        | '\u{200C}'..='\u{200F}' // ZWNJ, ZWJ, LRM, RLM
    )
}

/// The letter `c` is compared as.
pub fn fold(c: char, o: SearchOptions) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' if o.fold_alef => 'ا',
        'ة' if o.fold_ta_marbuta => 'ه',
        'ى' if o.fold_ya => 'ي',
        // Arabic letters have no case; ASCII is quick.
        'ء'..='ي' => c,
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// A text reduced for matching, with the original char offset of every kept char.
pub struct Folded {
    pub chars: Vec<char>,
    /// `origin[i]` = char offset in the original text of `chars[i]`.
    pub origin: Vec<usize>,
}

/// Folds `text`; offsets in `origin` start at `base`.
pub fn fold_text(text: &str, base: usize, o: SearchOptions) -> Folded {
    let mut chars = Vec::with_capacity(text.len() / 2);
    let mut origin = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.chars().enumerate() {
        if !is_ignorable(c) {
            chars.push(fold(c, o));
            origin.push(base + i);
        }
    }
    Folded { chars, origin }
}

/// The folded form of a query.
pub fn fold_query(query: &str, o: SearchOptions) -> Vec<char> {
    query
        .trim()
        .chars()
        .filter(|c| !is_ignorable(*c))
        .map(|c| fold(c, o))
        .collect()
}

/// A paragraph reduced for matching many entries at once (see `model::suggest`): diacritics and
/// tatweel dropped, letters folded, and every run of white space one `' '`, so that an entry
/// `الولايات المتحدة` also matches across a double space or a no-break space.
#[derive(Debug, Clone, Default)]
pub struct MatchText {
    pub chars: Vec<char>,
    /// `origin[i]` = char offset in the original text of `chars[i]`.
    pub origin: Vec<usize>,
    /// `end[i]` = where a match ending with `chars[i]` ends in the original text: past the marks
    /// written on that letter (harakat, shadda, tatweel; not LRM/RLM, which belong to no letter).
    pub end: Vec<usize>,
}

impl MatchText {
    /// The original char range of folded chars `range`, with the marks of its last letter.
    pub fn original(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = *self.origin.get(range.start)?;
        let end = *self.end.get(range.end.checked_sub(1)?)?;
        Some(start..end)
    }
}

/// Folds `text` for [`MatchText`]; offsets start at `base`.
pub fn fold_for_matching(text: &str, base: usize, o: SearchOptions) -> MatchText {
    let mut t = MatchText {
        chars: Vec::with_capacity(text.len() / 2),
        origin: Vec::with_capacity(text.len() / 2),
        end: Vec::with_capacity(text.len() / 2),
    };
    // Marks still extend the last kept letter (none after white space or LRM/RLM).
    let mut extends = false;
    for (i, c) in text.chars().enumerate() {
        let at = base + i;
        if c.is_whitespace() {
            if t.chars.last() != Some(&' ') {
                t.chars.push(' ');
                t.origin.push(at);
                t.end.push(at + 1);
            }
            extends = false;
        } else if is_ignorable(c) {
            if c == '\u{200E}' || c == '\u{200F}' {
                extends = false;
            } else if extends {
                if let Some(e) = t.end.last_mut() {
                    *e = at + 1;
                }
            }
        } else {
            t.chars.push(fold(c, o));
            t.origin.push(at);
            t.end.push(at + 1);
            extends = true;
        }
    }
    t
}

/// The folded form of an entry (a span's text, a gazetteer line) for matching against a
/// [`MatchText`]: folded the same way, trimmed.
pub fn fold_entry(text: &str, o: SearchOptions) -> Vec<char> {
    let t = fold_for_matching(text.trim(), 0, o);
    let mut chars = t.chars;
    while chars.last() == Some(&' ') {
        chars.pop();
    }
    chars
}

/// One match: its char range in the document, and the chars around it for a keyword-in-context line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub range: Range<usize>,
    /// Where the span for "tag all" would go: the match without the clitics before it.
    pub span: Range<usize>,
}

/// Every occurrence of `query` in `doc`, in text order. Matches never cross a paragraph end.
pub fn find_all(doc: &Document, query: &str, o: SearchOptions) -> Vec<Match> {
    let q = fold_query(query, o);
    if q.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in doc.paragraphs().iter() {
        let folded = fold_text(doc.paragraph_text(p), p.start_char, o);
        for i in find_positions(&folded.chars, &q) {
            let range = match_range(&folded, i, q.len(), doc, p.end_char);
            out.push(Match {
                span: range.clone(),
                range,
            });
        }
    }
    out
}

/// The original char range of folded chars `i..i+n`, taking in marks that follow the last letter.
fn match_range(f: &Folded, i: usize, n: usize, doc: &Document, para_end: usize) -> Range<usize> {
    let start = f.origin[i];
    let last = f.origin[i + n - 1];
    // Extend over ignorable marks that belong to the last letter.
    let next_kept = f.origin.get(i + n).copied().unwrap_or(para_end);
    let tail = doc.slice(last + 1..next_kept).unwrap_or("");
    let marks = tail
        .chars()
        .take_while(|c| is_ignorable(*c) && *c != '\u{200E}' && *c != '\u{200F}')
        .count();
    start..last + 1 + marks
}

fn find_positions(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .collect()
}

/// Is `c` part of a word (a letter, a digit, or a mark on one)?
pub fn is_word_char(c: char) -> bool {
    // Arabic letters and ASCII first: the matcher asks this of every char of every document.
    matches!(c, 'ء'..='ي' | 'a'..='z' | 'A'..='Z' | '0'..='9')
        || (!c.is_ascii() && (c.is_alphanumeric() || is_ignorable(c)))
}

/// The longest run of proclitics [`is_clitic_prefix`] accepts (و + ب + ال).
pub const MAX_CLITIC_CHARS: usize = 4;

/// Is `prefix` (folded) a run of attached clitics: an optional و or ف, an optional ب ل or ك, and
/// an optional ال — when `query_has_article` the query brings its own ال, so the prefix may not.
/// After the preposition ل the article loses its alef: لل (للفيروس, وللفيروس) is ل + ال.
pub fn is_clitic_prefix(prefix: &[char], query_has_article: bool) -> bool {
    let mut rest = prefix;
    if let [c, tail @ ..] = rest {
        if matches!(c, 'و' | 'ف') {
            rest = tail;
        }
    }
    if !query_has_article && rest == ['ل', 'ل'] {
        return true;
    }
    if let [c, tail @ ..] = rest {
        if matches!(c, 'ب' | 'ل' | 'ك') {
            rest = tail;
        }
    }
    if !query_has_article {
        if let ['ا', 'ل', tail @ ..] = rest {
            rest = tail;
        }
    }
    rest.is_empty()
}

/// Whole-word occurrences of `query`, also where clitics are attached before it (وبواشنطن for
/// واشنطن, بالفيروس for فيروس, وللقاهرة for القاهرة, whose ال lost its alef after ل). Each match's
/// `span` leaves the clitics out.
pub fn find_with_clitics(doc: &Document, query: &str, o: SearchOptions) -> Vec<Match> {
    let q = fold_query(query, o);
    if q.is_empty() {
        return Vec::new();
    }
    let has_article = q.starts_with(&['ا', 'ل']);
    // After the preposition ل, the article ال is written ل: لل + rest.
    let after_lam: Option<Vec<char>> = has_article.then(|| q[1..].to_vec());
    let mut out = Vec::new();
    for p in doc.paragraphs().iter() {
        let folded = fold_text(doc.paragraph_text(p), p.start_char, o);
        let chars = &folded.chars;
        let mut candidates: Vec<(usize, usize, bool)> = find_positions(chars, &q)
            .into_iter()
            .map(|i| (i, q.len(), false))
            .collect();
        if let Some(alt) = &after_lam {
            candidates.extend(
                find_positions(chars, alt)
                    .into_iter()
                    .filter(|&i| i > 0 && chars[i - 1] == 'ل')
                    .map(|i| (i, alt.len(), true)),
            );
        }
        candidates.sort();
        for (i, n, lam_article) in candidates {
            // The match must end a word.
            if chars.get(i + n).is_some_and(|c| is_word_char(*c)) {
                continue;
            }
            // The chars from the word start to the match must be clitics.
            let word_start = (0..i)
                .rev()
                .take_while(|&k| is_word_char(chars[k]))
                .last()
                .unwrap_or(i);
            let prefix = &chars[word_start..i];
            let ok = if lam_article {
                // prefix ends with the preposition ل; before it, optional و/ف.
                matches!(prefix, ['ل'] | ['و' | 'ف', 'ل'])
            } else {
                is_clitic_prefix(prefix, has_article)
            };
            if !ok {
                continue;
            }
            let span = match_range(&folded, i, n, doc, p.end_char);
            let range = folded.origin[word_start]..span.end;
            out.push(Match { range, span });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document, ms: &[Match]) -> Vec<(String, String)> {
        ms.iter()
            .map(|m| {
                (
                    doc.slice(m.range.clone()).unwrap().to_owned(),
                    doc.slice(m.span.clone()).unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn diacritics_and_tatweel_are_ignored_alef_folds() {
        let doc = Document::from_text("a.txt", "قال مُحَمَّدٌ إن مـــصر وأحمد ومحمد");
        let o = SearchOptions::default();
        let m = find_all(&doc, "محمد", o);
        assert_eq!(
            texts(&doc, &m)[0].0,
            "مُحَمَّدٌ",
            "marks after the last letter are taken in"
        );
        assert_eq!(m.len(), 2);
        assert_eq!(find_all(&doc, "مصر", o).len(), 1);
        assert_eq!(find_all(&doc, "احمد", o).len(), 1);
        assert_eq!(
            find_all(
                &doc,
                "احمد",
                SearchOptions {
                    fold_alef: false,
                    ..o
                }
            )
            .len(),
            0
        );
    }

    #[test]
    fn ta_marbuta_and_ya_fold_on_request() {
        let doc = Document::from_text("a.txt", "مدينه القاهرة مستشفى");
        let o = SearchOptions::default();
        assert_eq!(find_all(&doc, "مدينة", o).len(), 0);
        let o2 = SearchOptions {
            fold_ta_marbuta: true,
            fold_ya: true,
            ..o
        };
        assert_eq!(find_all(&doc, "مدينة", o2).len(), 1);
        assert_eq!(find_all(&doc, "مستشفي", o2).len(), 1);
    }

    #[test]
    fn lam_lam_is_the_preposition_and_the_article() {
        let doc = Document::from_text("a.txt", "للفيروس وللفيروس ولللفيروس");
        let got = texts(
            &doc,
            &find_with_clitics(&doc, "فيروس", SearchOptions::default()),
        );
        assert_eq!(
            got,
            [
                ("للفيروس".to_owned(), "فيروس".to_owned()),
                ("وللفيروس".to_owned(), "فيروس".to_owned())
            ]
        );
    }

    #[test]
    fn match_text_collapses_space_and_keeps_marks_with_their_letter() {
        let text = "مُحَمَّدٌ  \u{00A0}عـلي\u{200E} x";
        let t = fold_for_matching(text, 10, SearchOptions::default());
        let s: String = t.chars.iter().collect();
        assert_eq!(s, "محمد علي x");
        // محمد ends after its tanween (9 chars: Python counts them so), علي after its last letter.
        assert_eq!(t.original(0..4), Some(10..19));
        let text_chars: Vec<char> = text.chars().collect();
        let r = t.original(5..8).unwrap();
        let got: String = text_chars[r.start - 10..r.end - 10].iter().collect();
        assert_eq!(got, "عـلي");
        assert_eq!(
            fold_entry("  الولايات   المتحدة ", SearchOptions::default()).len(),
            16
        );
    }

    #[test]
    fn clitics_stay_outside_the_span() {
        let doc = Document::from_text(
            "a.txt",
            "انتشر الفيروس وبالفيروس والفيروس فيروسات فيروس، وبواشنطن وللقاهرة والقاهرة كالقاهرة",
        );
        let o = SearchOptions::default();
        let got = texts(&doc, &find_with_clitics(&doc, "فيروس", o));
        let spans: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        // فيروسات is another word; الفيروس, بالفيروس, والفيروس keep their clitics outside.
        assert_eq!(spans, ["فيروس", "فيروس", "فيروس", "فيروس"]);
        assert_eq!(got[1].0, "وبالفيروس");
        let got = texts(&doc, &find_with_clitics(&doc, "واشنطن", o));
        assert_eq!(got, [("وبواشنطن".to_owned(), "واشنطن".to_owned())]);
        let got = texts(&doc, &find_with_clitics(&doc, "القاهرة", o));
        let spans: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(spans, ["لقاهرة", "القاهرة", "القاهرة"]);
    }
}
