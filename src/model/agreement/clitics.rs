//! Is a boundary disagreement only about Arabic proclitics?
//!
//! Two spans differ only by proclitics when both are contiguous, they end at the same char, and
//! the chars by which the longer one starts earlier are, ignoring diacritics and tatweel (as
//! search does, [`fold`]), a run of proclitics: an optional و or ف, then an optional ب ل or
//! ك, then an optional ال (e.g. و, وب, فال, وبال, كال, ال), or لل, ولل, فلل (ل + ال, whose alef is
//! not written). `وبواشنطن` against `واشنطن` is a clitic difference; `واشنطن` against `شنطن` is
//! not.

use crate::model::annotation::Span;
use crate::model::search::{fold, is_clitic_prefix, is_ignorable, SearchOptions};

/// Is `text` (non-empty once diacritics are ignored) a run of proclitics?
pub fn is_proclitic_run(text: &str) -> bool {
    proclitic_chars(text.chars())
}

/// [`is_proclitic_run`] over chars, folded as search folds them, without allocating: a run of
/// proclitics has at most four letters (و ب ا ل).
fn proclitic_chars(chars: impl Iterator<Item = char>) -> bool {
    let options = SearchOptions::default();
    let mut folded = ['\0'; 4];
    let mut n = 0;
    for c in chars.filter(|c| !is_ignorable(*c)) {
        if n == folded.len() {
            return false;
        }
        folded[n] = fold(c, options);
        n += 1;
    }
    let folded = &folded[..n];
    if folded.is_empty() {
        return false;
    }
    // ل + ال is written لل, after an optional و or ف.
    let lam_article = matches!(folded, ['ل', 'ل'] | ['و' | 'ف', 'ل', 'ل']);
    lam_article || is_clitic_prefix(folded, false)
}

/// Do the extents of `a` and `b` differ only by proclitics before the shorter one? Uses the
/// spans' covered text.
pub fn differ_by_proclitics(a: &Span, b: &Span) -> bool {
    if a.is_discontinuous() || b.is_discontinuous() || a.end != b.end || a.start == b.start {
        return false;
    }
    let (longer, shorter) = if a.start < b.start { (a, b) } else { (b, a) };
    let extra = shorter.start - longer.start;
    // The covered text must be the span's (it is, for spans placed on their text).
    if longer.text.chars().count() != longer.end - longer.start {
        return false;
    }
    proclitic_chars(longer.text.chars().take(extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two spans over `text`, marked `[...]` (A) and `{...}` (B).
    fn two(marked: &str) -> (Span, Span) {
        let (mut a, mut b) = ((0, 0), (0, 0));
        let mut text = String::new();
        let mut n = 0;
        for c in marked.chars() {
            match c {
                '[' => a.0 = n,
                ']' => a.1 = n,
                '{' => b.0 = n,
                '}' => b.1 = n,
                c => {
                    text.push(c);
                    n += 1;
                }
            }
        }
        let chars: Vec<char> = text.chars().collect();
        let cover = |r: (usize, usize)| chars[r.0..r.1].iter().collect::<String>();
        (
            Span::new("a", a.0..a.1, "GPE", cover(a)),
            Span::new("b", b.0..b.1, "GPE", cover(b)),
        )
    }

    #[test]
    fn proclitic_differences() {
        for marked in [
            "زار [وب{واشنطن]}",
            "[و{القاهرة]}",
            "[وبال{قاهرة]}",
            "[ال{قاهرة]}",
            "[فل{لقاهرة]}",
            "[و{للقاهرة]}",
            "[ك{الأسد]}",
            "[وَبِ{واشنطن]}",
            "[ولل{قاهرة]}",
        ] {
            let (a, b) = two(marked);
            assert!(
                differ_by_proclitics(&a, &b) || differ_by_proclitics(&b, &a),
                "{marked}"
            );
        }
    }

    #[test]
    fn other_boundary_differences() {
        for marked in [
            "[وا{شنطن]}",    // inside the word
            "[وب{واشنطن}ي]", // other end
            "[{واشنطن]}",    // same extent
            "[وو{اشنطن]}",   // two و
            "[بو{اشنطن]}",   // ب then و: wrong order
            "[ـ{واشنطن]}",   // only tatweel
            "[ لل{قاهرة]}",  // a space
        ] {
            let (a, b) = two(marked);
            assert!(!differ_by_proclitics(&a, &b), "{marked}");
        }
    }
}
