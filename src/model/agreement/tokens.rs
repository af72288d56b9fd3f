//! Tokens as units of the token measures.
//!
//! The tokens are those the CoNLL export writes for the text with its default options (the
//! Arabic-aware tokenizer, sentences ended by line ends only, [`tokenize`]), but not split at span
//! edges, so that every annotator has the same units. A token's category is the IOB2 tag of the
//! outermost span covering its first char (the longest, then the earliest, then the first in text
//! order): `B-LABEL` on the first token whose first char the span covers, `I-LABEL` on the
//! following ones, `O` where no span covers the first char.

use std::ops::Range;

use crate::model::annotation::Span;
use crate::model::tokenize::{tokenize, Tokenizer};

/// The token measures' tokens of `text`, as char ranges in text order.
pub fn text_tokens(text: &str) -> Vec<Range<usize>> {
    tokenize(text, Tokenizer::Arabic, false).concat()
}

/// The category `O`.
pub const OUTSIDE: u32 = 0;

/// The code of `B-label` for a label id.
pub fn begin_code(label: u32) -> u32 {
    2 * label + 1
}

/// The code of `I-label` for a label id.
pub fn inside_code(label: u32) -> u32 {
    2 * label + 2
}

/// The label id of a category code (`None` for `O`).
pub fn code_label(code: u32) -> Option<u32> {
    (code != OUTSIDE).then(|| (code - 1) / 2)
}

/// The same category with its label id renamed by `map`.
pub fn map_code(code: u32, map: impl Fn(u32) -> u32) -> u32 {
    match code_label(code) {
        None => OUTSIDE,
        Some(l) if code % 2 == 1 => begin_code(map(l)),
        Some(l) => inside_code(map(l)),
    }
}

/// The name of a category code (`O`, `B-PER`, `I-PER`), with `label` naming label ids.
pub fn code_name<'a>(code: u32, label: impl Fn(u32) -> &'a str) -> String {
    match code_label(code) {
        None => "O".to_owned(),
        Some(l) if code % 2 == 1 => format!("B-{}", label(l)),
        Some(l) => format!("I-{}", label(l)),
    }
}

/// The category code of every token, given one layer's spans (in text order) and the label id of
/// each span (by its index in `spans`).
pub fn token_categories(
    tokens: &[Range<usize>],
    spans: &[&Span],
    mut label_id: impl FnMut(usize) -> u32,
) -> Vec<u32> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut seen = vec![false; spans.len()];
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    for token in tokens {
        let c = token.start;
        while next < spans.len() && spans[next].start <= c {
            open.push(next);
            next += 1;
        }
        open.retain(|&k| spans[k].end > c);
        // (span, is this its first token)
        let mut best: Option<(usize, bool)> = None;
        for &k in &open {
            let s = spans[k];
            if s.is_discontinuous() && !s.fragments.iter().any(|f| f.contains(&c)) {
                continue;
            }
            let first = !seen[k];
            seen[k] = true;
            let rank = |k: usize| {
                let s = spans[k];
                (std::cmp::Reverse(s.end - s.start), s.start, k)
            };
            if best.is_none_or(|(b, _)| rank(k) < rank(b)) {
                best = Some((k, first));
            }
        }
        let code = match best {
            None => OUTSIDE,
            Some((k, true)) => begin_code(label_id(k)),
            Some((k, false)) => inside_code(label_id(k)),
        };
        out.push(code);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags of `text`'s tokens, with spans given as (char range, label).
    fn tags(text: &str, spans: &[(Range<usize>, &str)]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let spans: Vec<Span> = spans
            .iter()
            .enumerate()
            .map(|(i, (r, l))| {
                let cover: String = chars[r.clone()].iter().collect();
                Span::new(format!("s{i}"), r.clone(), *l, cover)
            })
            .collect();
        let mut sorted: Vec<&Span> = spans.iter().collect();
        sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let tokens = text_tokens(text);
        let mut labels: Vec<String> = Vec::new();
        let codes = token_categories(&tokens, &sorted, |k| {
            let l = &sorted[k].label;
            match labels.iter().position(|x| x == l) {
                Some(i) => i as u32,
                None => {
                    labels.push(l.to_owned());
                    (labels.len() - 1) as u32
                }
            }
        });
        tokens
            .iter()
            .zip(codes)
            .map(|(t, c)| {
                let word: String = chars[t.clone()].iter().collect();
                format!("{word}/{}", code_name(c, |l| labels[l as usize].as_str()))
            })
            .collect()
    }

    /// Char range of `needle` in `text`.
    fn at(text: &str, needle: &str) -> Range<usize> {
        let b = text.find(needle).unwrap();
        let s = text[..b].chars().count();
        s..s + needle.chars().count()
    }

    #[test]
    fn outermost_span_of_the_first_char() {
        let t = "زار رئيس جامعة القاهرة وبواشنطن (أمس) 😀";
        let got = tags(
            t,
            &[
                (at(t, "جامعة القاهرة"), "ORG"),
                (at(t, "القاهرة"), "GPE"),
                (at(t, "واشنطن"), "GPE"),
                (at(t, "رئيس"), "PER"),
            ],
        );
        assert_eq!(
            got,
            [
                "زار/O",
                "رئيس/B-PER",
                "جامعة/B-ORG",
                "القاهرة/I-ORG",
                // The span leaves the clitics out: the token's first char is outside it.
                "وبواشنطن/O",
                "(/O",
                "أمس/O",
                ")/O",
                "😀/O",
            ]
        );
    }

    #[test]
    fn b_marks_the_first_token_the_span_covers() {
        // Crossing spans of one length: X covers "a b c", Y "b c d". At "b" and "c" the earlier
        // (X) is outermost; "d" is Y's third token, so I-Y.
        let t = "a b c d";
        let got = tags(t, &[(0..5, "X"), (2..7, "Y")]);
        assert_eq!(got, ["a/B-X", "b/I-X", "c/I-X", "d/I-Y"]);
        // A longer span wins where both cover the first char.
        let got = tags(t, &[(0..3, "X"), (2..7, "Y")]);
        assert_eq!(got, ["a/B-X", "b/B-Y", "c/I-Y", "d/I-Y"]);
        // Two adjacent spans of one label are told apart by B.
        let got = tags(t, &[(0..1, "X"), (2..5, "X")]);
        assert_eq!(got, ["a/B-X", "b/B-X", "c/I-X", "d/O"]);
    }

    #[test]
    fn codes_round_trip() {
        for l in [0, 1, 7] {
            assert_eq!(code_label(begin_code(l)), Some(l));
            assert_eq!(code_label(inside_code(l)), Some(l));
            assert_eq!(map_code(inside_code(l), |x| x + 3), inside_code(l + 3));
        }
        assert_eq!(map_code(OUTSIDE, |x| x + 3), OUTSIDE);
    }
}
