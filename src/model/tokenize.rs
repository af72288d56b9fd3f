//! The tokenizer used when exporting to token formats (CoNLL, token JSONL) and by the token
//! agreement measures. See docs/formats.md.
//!
//! Rules, in order:
//! 1. A line end (LF, CR LF, CR, U+2029) ends a sentence; with `split_sentences`, so does a token made
//!    only of `.`, `!`, `?`, `؟`, `…` or `۔`.
//! 2. White space separates tokens and belongs to none.
//! 3. Inside a white-space-free chunk, a run of word characters (letters, digits, combining marks,
//!    tatweel) is one token and a run of other characters (punctuation, symbols) is one token:
//!    `(القاهرة)` gives `(`, `القاهرة`, `)`; `...` and `$#$` stay whole.
//! 4. `.` `,` `٫` `٬` `/` `:` `-` between two digits stay inside the number: `3.5`, `2018/10/03`.
//! 5. Invisible format characters (U+200B-U+200F, U+061C, U+2066-U+2069, U+FEFF) join the token of the
//!    character that follows them (or precedes them at the end of a chunk): a U+200E before a word stays
//!    in the word's token.
//! 6. Clitics are never split by the tokenizer itself (`وبواشنطن` is one token); a span edge inside a
//!    token splits it there (see [`split_at_edges`]).

use std::collections::BTreeSet;
use std::ops::Range;

/// Which tokenizer to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tokenizer {
    /// The Arabic-aware rules above.
    #[default]
    Arabic,
    /// White space only (keeps the tokens of data that came tokenized, e.g. imported CoNLL).
    Whitespace,
}

impl Tokenizer {
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "arabic" => Some(Self::Arabic),
            "whitespace" | "space" => Some(Self::Whitespace),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Other,
    Format,
}

fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// [`class_of`] for every char below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic), looked up
/// once: the Unicode property lookup is the tokenizer's main cost on Arabic text.
fn class(c: char) -> Class {
    static BELOW_0800: std::sync::OnceLock<Vec<Class>> = std::sync::OnceLock::new();
    let table = BELOW_0800.get_or_init(|| {
        (0..0x800u32)
            .map(|u| char::from_u32(u).map_or(Class::Other, class_of))
            .collect()
    });
    table
        .get(c as usize)
        .copied()
        .unwrap_or_else(|| class_of(c))
}

fn class_of(c: char) -> Class {
    if is_format(c) {
        Class::Format
    } else if c.is_alphanumeric() || is_mark(c) || c == '\u{0640}' {
        Class::Word
    } else {
        Class::Other
    }
}

fn is_line_end(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2029}' | '\u{0085}')
}

fn is_sentence_end(token: &[char]) -> bool {
    !token.is_empty()
        && token
            .iter()
            .all(|c| matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔'))
}

/// Splits `text` into sentences of tokens, as char ranges of `text`.
pub fn tokenize(text: &str, tokenizer: Tokenizer, split_sentences: bool) -> Vec<Vec<Range<usize>>> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    // Scratch space reused for every chunk.
    let mut classes: Vec<Class> = Vec::new();
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_line_end(c) {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let chunk = &chars[start..i];
        pieces.clear();
        match tokenizer {
            Tokenizer::Whitespace => pieces.push(0..chunk.len()),
            Tokenizer::Arabic => split_chunk(chunk, &mut classes, &mut pieces),
        }
        for p in pieces.drain(..) {
            let end_sentence = split_sentences && is_sentence_end(&chunk[p.clone()]);
            current.push(start + p.start..start + p.end);
            if end_sentence {
                sentences.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

/// The tokens of a white-space-free chunk, as ranges of the chunk, pushed onto `out`; `classes`
/// is scratch space.
fn split_chunk(chunk: &[char], classes: &mut Vec<Class>, out: &mut Vec<Range<usize>>) {
    let n = chunk.len();
    // Resolve each char's class: format chars take the class of what follows (or precedes).
    classes.clear();
    classes.extend(chunk.iter().map(|&c| class(c)));
    let mut next = None;
    for k in (0..n).rev() {
        if classes[k] == Class::Format {
            if let Some(cl) = next {
                classes[k] = cl;
            }
        } else {
            next = Some(classes[k]);
        }
    }
    let mut prev = Class::Word;
    for cl in classes.iter_mut() {
        if *cl == Class::Format {
            *cl = prev;
        } else {
            prev = *cl;
        }
    }
    // Number-internal separators.
    for k in 1..n.saturating_sub(1) {
        if matches!(chunk[k], '.' | ',' | '٫' | '٬' | '/' | ':' | '-')
            && chunk[k - 1].is_numeric()
            && chunk[k + 1].is_numeric()
        {
            classes[k] = Class::Word;
        }
    }
    let mut s = 0;
    for k in 1..=n {
        if k == n || classes[k] != classes[k - 1] {
            out.push(s..k);
            s = k;
        }
    }
}

/// Splits tokens at every edge in `edges` that falls strictly inside one; returns how many tokens
/// were split.
pub fn split_at_edges(sentences: &mut [Vec<Range<usize>>], edges: &BTreeSet<usize>) -> usize {
    let mut split = 0;
    for sentence in sentences.iter_mut() {
        if !sentence
            .iter()
            .any(|t| edges.range(t.start + 1..t.end).next().is_some())
        {
            continue;
        }
        let mut out = Vec::with_capacity(sentence.len() + 2);
        for t in sentence.iter() {
            let inside: Vec<usize> = edges.range(t.start + 1..t.end).copied().collect();
            if inside.is_empty() {
                out.push(t.clone());
                continue;
            }
            split += 1;
            let mut s = t.start;
            for e in inside {
                out.push(s..e);
                s = e;
            }
            out.push(s..t.end);
        }
        *sentence = out;
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, t: Tokenizer) -> Vec<Vec<String>> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(text, t, false)
            .into_iter()
            .map(|s| s.into_iter().map(|r| chars[r].iter().collect()).collect())
            .collect()
    }

    #[test]
    fn the_lookup_table_is_the_rule() {
        for u in 0..0x2_0000 {
            if let Some(c) = char::from_u32(u) {
                assert!(class(c) == class_of(c), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn arabic_rules() {
        assert_eq!(
            toks(
                "قال (القاهرة) 3.5% $#$ وبواشنطن\n\u{200E}كلمة.",
                Tokenizer::Arabic
            ),
            vec![
                vec!["قال", "(", "القاهرة", ")", "3.5", "%", "$#$", "وبواشنطن"],
                vec!["\u{200E}كلمة", "."]
            ]
        );
        assert_eq!(
            toks("مُحَمَّد 2018/10/03", Tokenizer::Arabic),
            vec![vec!["مُحَمَّد", "2018/10/03"]]
        );
        assert_eq!(
            toks("a-b  (c)", Tokenizer::Whitespace),
            vec![vec!["a-b", "(c)"]]
        );
    }

    #[test]
    fn sentence_split_and_edges() {
        let mut s = tokenize("أ. ب ج\r\nد", Tokenizer::Arabic, true);
        assert_eq!(s, vec![vec![0..1, 1..2], vec![3..4, 5..6], vec![8..9]]);
        let n = split_at_edges(&mut s, &BTreeSet::from([3, 4, 0]));
        assert_eq!(n, 0);
        let mut s = tokenize("وبواشنطن", Tokenizer::Arabic, false);
        assert_eq!(split_at_edges(&mut s, &BTreeSet::from([2])), 1);
        assert_eq!(s, vec![vec![0..2, 2..8]]);
    }
}
