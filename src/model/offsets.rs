//! Conversions between the three offset units of a text: chars (Unicode scalar values, our unit
//! everywhere), UTF-8 bytes (Rust's `&str`) and UTF-16 code units (JavaScript-born formats).
//!
//! The index keeps a checkpoint every [`STRIDE`] chars, so a conversion walks at most `STRIDE - 1`
//! chars after an O(1) or O(log n) look-up: no scan from the start of a 10 MB text.

/// Number of chars between two checkpoints.
pub const STRIDE: usize = 64;

/// The high bit of every byte of a word (to look at eight bytes at once).
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Offset maps of one immutable text.
#[derive(Debug, Clone, Default)]
pub struct OffsetIndex {
    /// Byte offset of char `k * STRIDE`, for every k; the last entry is the text's byte length.
    bytes_at: Vec<usize>,
    /// UTF-16 offset of char `k * STRIDE`, for every k; the last entry is the text's UTF-16 length.
    utf16_at: Vec<usize>,
    len_chars: usize,
    len_bytes: usize,
    len_utf16: usize,
}

/// The byte where the `n`-th char of `bytes` (UTF-8) starts, counting lead bytes (any byte but
/// `10xxxxxx`) eight at a time while a whole word cannot hold it.
fn nth_char_start(bytes: &[u8], n: usize) -> Option<usize> {
    let mut seen = 0;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let w = u64::from_le_bytes(word.try_into().ok()?);
        // Bit 7 of each byte of `w & !(w << 1)`: that byte's bit 7 set and bit 6 clear.
        let continuation = (w & !(w << 1) & HIGH).count_ones() as usize;
        let leads = 8 - continuation;
        if seen + leads > n {
            break;
        }
        seen += leads;
        at += 8;
    }
    for (b, &byte) in bytes.get(at..)?.iter().enumerate() {
        if byte & 0xC0 != 0x80 {
            if seen == n {
                return Some(at + b);
            }
            seen += 1;
        }
    }
    None
}

impl OffsetIndex {
    pub fn new(text: &str) -> Self {
        let mut bytes_at = Vec::with_capacity(text.len() / STRIDE + 2);
        let mut utf16_at = Vec::with_capacity(text.len() / STRIDE + 2);
        let mut chars = 0usize;
        let mut utf16 = 0usize;
        // Without decoding: every byte but a continuation byte (10xxxxxx) starts a char, and a
        // char takes two UTF-16 units when it takes four bytes (lead 11110xxx). Eight bytes at a
        // time where no checkpoint falls among them, else byte by byte.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
                let w = u64::from_le_bytes(word);
                let leads = 8 - (w & !(w << 1) & HIGH).count_ones() as usize;
                let into_stride = chars % STRIDE;
                if into_stride != 0 && into_stride + leads <= STRIDE {
                    let four_byte = (w & (w << 1) & (w << 2) & (w << 3) & HIGH).count_ones();
                    chars += leads;
                    utf16 += leads + four_byte as usize;
                    at += 8;
                    continue;
                }
            }
            let end = (at + 8).min(bytes.len());
            for (byte, &b) in bytes.iter().enumerate().take(end).skip(at) {
                if b & 0xC0 == 0x80 {
                    continue;
                }
                if chars.is_multiple_of(STRIDE) {
                    bytes_at.push(byte);
                    utf16_at.push(utf16);
                }
                chars += 1;
                utf16 += 1 + usize::from(b >= 0xF0);
            }
            at = end;
        }
        if chars.is_multiple_of(STRIDE) {
            bytes_at.push(text.len());
            utf16_at.push(utf16);
        }
        Self {
            bytes_at,
            utf16_at,
            len_chars: chars,
            len_bytes: text.len(),
            len_utf16: utf16,
        }
    }

    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    pub fn len_bytes(&self) -> usize {
        self.len_bytes
    }

    pub fn len_utf16(&self) -> usize {
        self.len_utf16
    }

    /// Byte offset of char offset `char_pos` (clamped to the end of the text).
    pub fn char_to_byte(&self, text: &str, char_pos: usize) -> usize {
        if char_pos >= self.len_chars {
            return self.len_bytes;
        }
        let k = char_pos / STRIDE;
        let base = self.bytes_at.get(k).copied().unwrap_or(self.len_bytes);
        let rest = char_pos - k * STRIDE;
        let bytes = text.as_bytes().get(base..).unwrap_or(&[]);
        nth_char_start(bytes, rest).map_or(self.len_bytes, |b| base + b)
    }

    /// Char offset of byte offset `byte_pos`. A byte inside a char counts as that char's start.
    pub fn byte_to_char(&self, text: &str, byte_pos: usize) -> usize {
        if byte_pos >= self.len_bytes {
            return self.len_chars;
        }
        let k = self.bytes_at.partition_point(|&b| b <= byte_pos) - 1;
        let base = self.bytes_at[k];
        let mut chars = k * STRIDE;
        for (b, _) in text[base..].char_indices().skip(1) {
            if base + b > byte_pos {
                break;
            }
            chars += 1;
        }
        chars
    }

    /// UTF-16 offset of char offset `char_pos` (clamped to the end of the text).
    pub fn char_to_utf16(&self, text: &str, char_pos: usize) -> usize {
        if char_pos >= self.len_chars {
            return self.len_utf16;
        }
        let k = char_pos / STRIDE;
        let base_byte = self.bytes_at[k];
        let rest = char_pos - k * STRIDE;
        self.utf16_at[k]
            + text[base_byte..]
                .chars()
                .take(rest)
                .map(char::len_utf16)
                .sum::<usize>()
    }

    /// Char offset of UTF-16 offset `unit`. Returns `None` when `unit` falls between the two halves of
    /// a surrogate pair (no char starts there) or past the end of the text.
    pub fn utf16_to_char(&self, text: &str, unit: usize) -> Option<usize> {
        if unit > self.len_utf16 {
            return None;
        }
        if unit == self.len_utf16 {
            return Some(self.len_chars);
        }
        let k = self.utf16_at.partition_point(|&u| u <= unit) - 1;
        let mut pos16 = self.utf16_at[k];
        let mut chars = k * STRIDE;
        for c in text[self.bytes_at[k]..].chars() {
            if pos16 == unit {
                return Some(chars);
            }
            if pos16 > unit {
                return None;
            }
            pos16 += c.len_utf16();
            chars += 1;
        }
        (pos16 == unit).then_some(chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text() {
        let idx = OffsetIndex::new("");
        assert_eq!(idx.len_chars(), 0);
        assert_eq!(idx.char_to_byte("", 0), 0);
        assert_eq!(idx.byte_to_char("", 0), 0);
        assert_eq!(idx.utf16_to_char("", 0), Some(0));
        assert_eq!(idx.utf16_to_char("", 1), None);
    }

    #[test]
    fn emoji_shifts_utf16_but_not_chars() {
        let text = "👍🏽 في واشنطن";
        let idx = OffsetIndex::new(text);
        // Python: text.index("و") == 6 ; UTF-16: 4 units of emoji + 1 space + 2 + 1 = 8
        assert_eq!(idx.char_to_utf16(text, 6), 8);
        assert_eq!(idx.utf16_to_char(text, 8), Some(6));
        assert_eq!(idx.utf16_to_char(text, 1), None, "inside a surrogate pair");
    }

    proptest::proptest! {
        /// Every char start (and the end) of mixed Arabic, Latin and emoji text, against
        /// `char_indices`: the word-at-a-time count must land on the same bytes.
        #[test]
        fn char_to_byte_agrees_with_char_indices(
            text in "[a-z ٠-٩ء-ي\u{064B}-\u{0652}😀👍🏽\n]{0,400}"
        ) {
            let idx = OffsetIndex::new(&text);
            let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            for (pos, &byte) in starts.iter().enumerate() {
                proptest::prop_assert_eq!(idx.char_to_byte(&text, pos), byte);
            }
            proptest::prop_assert_eq!(idx.char_to_byte(&text, starts.len()), text.len());
            proptest::prop_assert_eq!(idx.char_to_byte(&text, starts.len() + 5), text.len());
            proptest::prop_assert_eq!(idx.len_chars(), starts.len());
            let mut utf16 = 0;
            for (pos, c) in text.chars().enumerate() {
                proptest::prop_assert_eq!(idx.char_to_utf16(&text, pos), utf16);
                utf16 += c.len_utf16();
            }
            proptest::prop_assert_eq!(idx.char_to_utf16(&text, starts.len()), utf16);
        }
    }
}
