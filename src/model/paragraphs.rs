//! The paragraph index: where each paragraph (a line of the file) starts and ends, in chars.
//!
//! A paragraph ends at LF, CR LF, a lone CR, U+0085 (NEL), U+2028/U+2029 (line and paragraph
//! separators) or U+001C-U+001E (information separators, which Unicode's bidi algorithm treats as
//! paragraph separators). The terminator belongs to no paragraph, so paragraph text never contains
//! one of these characters (cosmic-text 0.19 panics on some of them inside a line).

use std::ops::Range;

/// Is `c` a character that ends a paragraph?
pub fn is_paragraph_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{001C}'..='\u{001E}'
    )
}

/// One paragraph: its char range (without terminator) and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub start_char: usize,
    pub end_char: usize,
    pub start_byte: usize,
    pub end_byte: usize,
}

impl Paragraph {
    pub fn chars(&self) -> Range<usize> {
        self.start_char..self.end_char
    }

    pub fn bytes(&self) -> Range<usize> {
        self.start_byte..self.end_byte
    }

    pub fn len_chars(&self) -> usize {
        self.end_char - self.start_char
    }

    pub fn is_empty(&self) -> bool {
        self.end_char == self.start_char
    }
}

#[derive(Debug, Clone, Default)]
pub struct ParagraphIndex {
    paragraphs: Vec<Paragraph>,
}

impl ParagraphIndex {
    pub fn new(text: &str) -> Self {
        let mut paragraphs = Vec::new();
        let mut start_char = 0usize;
        let mut start_byte = 0usize;
        let mut chars = 0usize;
        let mut iter = text.char_indices().peekable();
        while let Some((byte, c)) = iter.next() {
            if is_paragraph_break(c) {
                paragraphs.push(Paragraph {
                    start_char,
                    end_char: chars,
                    start_byte,
                    end_byte: byte,
                });
                let mut next_byte = byte + c.len_utf8();
                chars += 1;
                if c == '\r' {
                    if let Some(&(b, '\n')) = iter.peek() {
                        iter.next();
                        next_byte = b + 1;
                        chars += 1;
                    }
                }
                start_char = chars;
                start_byte = next_byte;
            } else {
                chars += 1;
            }
        }
        paragraphs.push(Paragraph {
            start_char,
            end_char: chars,
            start_byte,
            end_byte: text.len(),
        });
        Self { paragraphs }
    }

    pub fn len(&self) -> usize {
        self.paragraphs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Paragraph> {
        self.paragraphs.get(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter()
    }

    /// Index of the paragraph that holds char `pos` (a terminator counts to the paragraph before it;
    /// the end of the text to the last paragraph).
    pub fn paragraph_at_char(&self, pos: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.start_char <= pos)
            .saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_blank_lines_and_separators() {
        let text = "أ\r\n\r\nب\u{2029}ج\rد";
        let idx = ParagraphIndex::new(text);
        let ranges: Vec<_> = idx.iter().map(|p| p.chars()).collect();
        assert_eq!(ranges, vec![0..1, 3..3, 5..6, 7..8, 9..10]);
        assert_eq!(idx.paragraph_at_char(0), 0);
        assert_eq!(idx.paragraph_at_char(1), 0);
        assert_eq!(idx.paragraph_at_char(5), 2);
        assert_eq!(idx.paragraph_at_char(10), 4);
    }

    #[test]
    fn empty_text_has_one_empty_paragraph() {
        let idx = ParagraphIndex::new("");
        assert_eq!(idx.len(), 1);
        assert!(idx.get(0).unwrap().is_empty());
    }
}
