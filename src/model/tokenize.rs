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

use std::ops::Range;

/// Which tokenizer to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tokenizer {
    /// The tokens the document came with (recorded on import from a token format, see
    /// `Annotations::tokens`); the Arabic rules for a document without.
    #[default]
    Recorded,
    /// The Arabic-aware rules above.
    Arabic,
    /// White space only.
    Whitespace,
}

impl Tokenizer {
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "recorded" | "auto" => Some(Self::Recorded),
            "arabic" => Some(Self::Arabic),
            "whitespace" | "space" => Some(Self::Whitespace),
            _ => None,
        }
    }
}

/// The sentences of a text already cut into `tokens` (char ranges in order): a sentence ends where
/// the text between two tokens holds a line end, and with `split_sentences` after a token made
/// only of `.`, `!`, `?`, `؟`, `…`, `۔`.
pub fn sentences_of(
    text: &str,
    tokens: &[Range<usize>],
    split_sentences: bool,
) -> Vec<Vec<Range<usize>>> {
    let mut out = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    // Walk the text once: chars between tokens are looked at for line ends.
    let mut chars = text.chars();
    let mut pos = 0usize;
    let mut token_chars: Vec<char> = Vec::new();
    for t in tokens {
        let mut line_end = false;
        while pos < t.start {
            match chars.next() {
                Some(c) => line_end |= is_line_end(c),
                None => break,
            }
            pos += 1;
        }
        if line_end && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        token_chars.clear();
        while pos < t.end {
            match chars.next() {
                Some(c) => token_chars.push(c),
                None => break,
            }
            pos += 1;
        }
        current.push(t.clone());
        if split_sentences && is_sentence_end(&token_chars) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
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

/// What a char is to the tokenizer's main loop.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    LineEnd,
    Space,
    /// In a chunk that is one token unless it also holds an `Other`.
    Joining,
    /// Punctuation or a symbol: the chunk must be split by class.
    Other,
}

#[cfg(test)]
fn kind_of(c: char) -> Kind {
    kind_with(c, class_of(c))
}

/// The kind of `c`, whose class is `class`.
fn kind_with(c: char, class: Class) -> Kind {
    if is_line_end(c) {
        Kind::LineEnd
    } else if c.is_whitespace() {
        Kind::Space
    } else if class == Class::Other {
        Kind::Other
    } else {
        Kind::Joining
    }
}

/// The kind and the class ([`class_of`]) of each char of a text, as the tokenizer asks for them:
/// chars below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic) from a table made once, the others
/// from a small cache of the last ones looked up (a text repeats its emoji and symbols). The
/// Unicode property look-up is the tokenizer's main cost otherwise.
struct Lookup {
    below_0800: &'static [(Kind, Class)],
    /// Indexed by the char's low bits; a char below U+0800 in a slot is an empty slot.
    recent: [(char, Kind, Class); 64],
}

impl Lookup {
    fn new() -> Self {
        static TABLE: std::sync::OnceLock<Vec<(Kind, Class)>> = std::sync::OnceLock::new();
        let below_0800 = TABLE.get_or_init(|| {
            (0..0x800u32)
                .map(|u| {
                    char::from_u32(u).map_or((Kind::Other, Class::Other), |c| {
                        let class = class_of(c);
                        (kind_with(c, class), class)
                    })
                })
                .collect()
        });
        Self {
            below_0800,
            recent: [('\0', Kind::Other, Class::Other); 64],
        }
    }

    #[inline]
    fn get(&mut self, c: char) -> (Kind, Class) {
        match self.below_0800.get(c as usize) {
            Some(&known) => known,
            None => self.above_0800(c),
        }
    }

    #[inline(never)]
    fn above_0800(&mut self, c: char) -> (Kind, Class) {
        let slot = (c as usize) % self.recent.len();
        match self.recent.get_mut(slot) {
            Some(entry) => {
                if entry.0 != c {
                    let class = class_of(c);
                    *entry = (c, kind_with(c, class), class);
                }
                (entry.1, entry.2)
            }
            None => {
                let class = class_of(c);
                (kind_with(c, class), class)
            }
        }
    }

    #[inline]
    fn kind(&mut self, c: char) -> Kind {
        self.get(c).0
    }

    #[inline]
    fn class(&mut self, c: char) -> Class {
        self.get(c).1
    }
}

/// Splits `text` into sentences of tokens, as char ranges of `text`.
pub fn tokenize(text: &str, tokenizer: Tokenizer, split_sentences: bool) -> Vec<Vec<Range<usize>>> {
    let mut lookup = Lookup::new();
    let mut sentences = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::with_capacity(64);
    // Scratch space reused for every chunk that must be split: its chars, their classes, its
    // tokens.
    let mut chunk: Vec<char> = Vec::new();
    let mut classes: Vec<Class> = Vec::new();
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut rest = text.chars();
    // The char position of the next char of `rest`.
    let mut i = 0;
    loop {
        let chunk_text = rest.as_str();
        let Some(c) = rest.next() else { break };
        i += 1;
        let mut one_token = match lookup.kind(c) {
            Kind::LineEnd => {
                end_sentence(&mut sentences, &mut current);
                continue;
            }
            Kind::Space => continue,
            Kind::Joining => true,
            Kind::Other => false,
        };
        let start = i - 1;
        // The rest of the white-space-free chunk.
        loop {
            let mut ahead = rest.clone();
            match ahead.next().map(|c| lookup.kind(c)) {
                None | Some(Kind::LineEnd | Kind::Space) => break,
                Some(Kind::Other) => one_token = false,
                Some(Kind::Joining) => {}
            }
            rest = ahead;
            i += 1;
        }
        // Letters, marks and invisible marks only: one token, and never a sentence end.
        if one_token {
            current.push(start..i);
            continue;
        }
        let chunk_text = chunk_text
            .get(..chunk_text.len() - rest.as_str().len())
            .unwrap_or_default();
        chunk.clear();
        chunk.extend(chunk_text.chars());
        pieces.clear();
        match tokenizer {
            Tokenizer::Whitespace => pieces.push(0..chunk.len()),
            Tokenizer::Arabic | Tokenizer::Recorded => {
                split_chunk(&chunk, |c| lookup.class(c), &mut classes, &mut pieces)
            }
        }
        for p in pieces.drain(..) {
            let ends = split_sentences && is_sentence_end(chunk.get(p.clone()).unwrap_or_default());
            current.push(start + p.start..start + p.end);
            if ends {
                end_sentence(&mut sentences, &mut current);
            }
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

/// Moves the tokens of `current`, if any, into a sentence of their own; the next sentence starts
/// with room for as many.
fn end_sentence(sentences: &mut Vec<Vec<Range<usize>>>, current: &mut Vec<Range<usize>>) {
    if !current.is_empty() {
        let room = current.len();
        sentences.push(std::mem::replace(current, Vec::with_capacity(room)));
    }
}

/// The tokens of a white-space-free chunk, as ranges of the chunk, pushed onto `out`; `classes`
/// is scratch space.
fn split_chunk(
    chunk: &[char],
    mut class: impl FnMut(char) -> Class,
    classes: &mut Vec<Class>,
    out: &mut Vec<Range<usize>>,
) {
    let n = chunk.len();
    // Resolve each char's class: format chars take the class of what follows (or precedes).
    classes.clear();
    classes.extend(chunk.iter().map(|&c| class(c)));
    // Most chunks are one word: letters, marks and invisible marks only.
    if classes.iter().all(|&c| c != Class::Other) {
        out.push(0..n);
        return;
    }
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

/// Splits tokens at every edge in `edges` (sorted, no repeats) that falls strictly inside one;
/// returns how many tokens were split. Tokens are in text order, so one walk over both does it.
pub fn split_at_edges(sentences: &mut [Vec<Range<usize>>], edges: &[usize]) -> usize {
    let mut split = 0;
    let mut e = 0;
    for sentence in sentences.iter_mut() {
        let mut out: Option<Vec<Range<usize>>> = None;
        for (k, t) in sentence.iter().enumerate() {
            while e < edges.len() && edges[e] <= t.start {
                e += 1;
            }
            let inside = edges[e..].iter().take_while(|&&x| x < t.end).count();
            if inside == 0 {
                if let Some(o) = out.as_mut() {
                    o.push(t.clone());
                }
                continue;
            }
            let o = out.get_or_insert_with(|| {
                let mut v = Vec::with_capacity(sentence.len() + inside + 1);
                v.extend(sentence[..k].iter().cloned());
                v
            });
            split += 1;
            let mut s = t.start;
            for &x in &edges[e..e + inside] {
                o.push(s..x);
                s = x;
            }
            o.push(s..t.end);
        }
        if let Some(o) = out {
            *sentence = o;
        }
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

    /// The tokenizer's rules written plainly (the whole text as chars, each char's class and
    /// white space asked of Unicode every time), to check the quick main loop against.
    fn plain_tokenize(text: &str, tokenizer: Tokenizer, split: bool) -> Vec<Vec<Range<usize>>> {
        let chars: Vec<char> = text.chars().collect();
        let (mut sentences, mut current) = (Vec::new(), Vec::new());
        let (mut classes, mut pieces) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < chars.len() {
            if is_line_end(chars[i]) || chars[i].is_whitespace() {
                if is_line_end(chars[i]) && !current.is_empty() {
                    sentences.push(std::mem::take(&mut current));
                }
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
                _ => split_chunk(chunk, class_of, &mut classes, &mut pieces),
            }
            for p in pieces.drain(..) {
                let ends = split && is_sentence_end(&chunk[p.clone()]);
                current.push(start + p.start..start + p.end);
                if ends {
                    sentences.push(std::mem::take(&mut current));
                }
            }
        }
        if !current.is_empty() {
            sentences.push(current);
        }
        sentences
    }

    proptest::proptest! {
        #[test]
        fn the_quick_loop_follows_the_plain_rules(
            text in "[ \\t\\n\\r\u{85}\u{a0}\u{2029}\u{3000}a-z0-9.,:/!?؟…()«»\u{200e}\u{200b}\u{feff}\u{640}\u{64b}\u{660}-\u{669}\u{621}-\u{64a}\u{1f44d}\u{1f3fd}]{0,80}",
            split in proptest::bool::ANY,
        ) {
            for tokenizer in [Tokenizer::Recorded, Tokenizer::Arabic, Tokenizer::Whitespace] {
                proptest::prop_assert_eq!(
                    tokenize(&text, tokenizer, split),
                    plain_tokenize(&text, tokenizer, split)
                );
            }
        }
    }

    #[test]
    fn the_lookup_is_the_rule() {
        let mut lookup = Lookup::new();
        // Twice: the second time above U+0800 from the cache (what is left there must still
        // be right), and with chars that share a cache slot in between.
        for _ in 0..2 {
            for u in (0..0x2_0000).chain([0x1F44D, 0x1F44D + 64, 0x1F44D]) {
                if let Some(c) = char::from_u32(u) {
                    let (kind, class) = lookup.get(c);
                    assert!(kind == kind_of(c) && class == class_of(c), "U+{u:04X}");
                }
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
    fn recorded_tokens_make_sentences_at_line_ends() {
        let text = "أ ب.\nج\n\nد";
        let tokens = vec![0..1, 2..3, 3..4, 5..6, 8..9];
        assert_eq!(
            sentences_of(text, &tokens, false),
            vec![vec![0..1, 2..3, 3..4], vec![5..6], vec![8..9]]
        );
        assert_eq!(
            sentences_of("a. b", &[0..1, 1..2, 3..4], true),
            vec![vec![0..1, 1..2], vec![3..4]]
        );
    }

    #[test]
    fn sentence_split_and_edges() {
        let mut s = tokenize("أ. ب ج\r\nد", Tokenizer::Arabic, true);
        assert_eq!(s, vec![vec![0..1, 1..2], vec![3..4, 5..6], vec![8..9]]);
        let n = split_at_edges(&mut s, &[0, 3, 4]);
        assert_eq!(n, 0);
        let mut s = tokenize("وبواشنطن", Tokenizer::Arabic, false);
        assert_eq!(split_at_edges(&mut s, &[2]), 1);
        assert_eq!(s, vec![vec![0..2, 2..8]]);
    }
}
