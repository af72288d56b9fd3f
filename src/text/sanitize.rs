//! Characters cosmic-text 0.19 must not see.
//!
//! A line holding U+2029, U+0085 or U+001C-U+001E next to text of another direction makes
//! cosmic-text 0.19 panic, and LF/CR would split our one-line buffers. The document's paragraph
//! index already cuts paragraphs at all of these, so document text never holds them; strings from
//! elsewhere (labels, search hits) may. Each is replaced by a space of the same UTF-8 length, so
//! byte offsets into the sanitized text are byte offsets into the original.

use std::borrow::Cow;

/// Is `c` a character we replace before shaping?
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{001C}'..='\u{001E}'
    )
}

/// `text` with every unsafe character replaced by a space of the same byte length
/// (U+0020, U+00A0 or U+2002).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if !is_unsafe(c) {
                    return c;
                }
                match c.len_utf8() {
                    1 => ' ',
                    2 => '\u{00A0}',
                    _ => '\u{2002}',
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_byte_length_and_no_unsafe_left() {
        let t = "abc\u{2029}مرحبا\u{0085}x\u{001C}y\r\nz";
        let s = sanitize(t);
        assert_eq!(s.len(), t.len());
        assert!(!s.chars().any(is_unsafe));
        assert!(matches!(sanitize("سلام"), Cow::Borrowed(_)));
    }
}
