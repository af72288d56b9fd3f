//! An article: its immutable text, where it came from, and the indexes every layer needs.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use super::decode::{decode, DecodeError, TextEncoding, UTF8_BOM};
use super::offsets::OffsetIndex;
use super::paragraphs::{Paragraph, ParagraphIndex};
use super::safe_read::{read_capped, read_capped_in_pass, ReadError, MAX_ARTICLE_BYTES};
use super::segment::{self, Snap};

/// Files larger than this are refused: the text engine can show them, but a news article that big is
/// almost certainly not an article.
pub const MAX_DOCUMENT_BYTES: u64 = MAX_ARTICLE_BYTES;

/// Why an article could not be opened.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DocumentError {
    /// Missing, not a regular file, too large, or an I/O error.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error("{path}: {source}")]
    Decode {
        path: PathBuf,
        #[source]
        source: DecodeError,
    },
}

/// One article. The text is never altered after loading; clones share it.
#[derive(Debug, Clone)]
pub struct Document {
    path: PathBuf,
    text: Arc<str>,
    encoding: TextEncoding,
    /// The hash of the file as it was on disk. Worked out from the text when first asked for if
    /// the file was the text's own UTF-8 bytes (an export mostly never asks), else at load;
    /// shared by clones, so that it is worked out once.
    sha256: Arc<OnceLock<String>>,
    /// The file held a UTF-8 byte order mark before the text's bytes (part of what is hashed).
    utf8_bom: bool,
    offsets: Arc<OffsetIndex>,
    /// Built when first asked for: a corpus-wide read (agreement, export, merge) mostly never
    /// asks; an opened document builds it when its session starts.
    paragraphs: Arc<OnceLock<ParagraphIndex>>,
}

impl Document {
    /// Reads and decodes an article file (encoding detected unless `encoding` is given).
    pub fn load(path: &Path, encoding: Option<TextEncoding>) -> Result<Self, DocumentError> {
        Self::load_with(read_capped, path, encoding)
    }

    /// As [`Document::load`], for a pass over many articles (an export): the file is read with
    /// [`read_capped_in_pass`].
    pub fn load_in_pass(
        path: &Path,
        encoding: Option<TextEncoding>,
    ) -> Result<Self, DocumentError> {
        Self::load_with(read_capped_in_pass, path, encoding)
    }

    fn load_with(
        read: fn(&Path, u64) -> Result<Vec<u8>, ReadError>,
        path: &Path,
        encoding: Option<TextEncoding>,
    ) -> Result<Self, DocumentError> {
        let bytes = read(path, MAX_DOCUMENT_BYTES).map_err(|source| DocumentError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes, encoding)
    }

    /// Decodes `bytes` as the article at `path` (the path is only recorded).
    pub fn from_bytes(
        path: &Path,
        bytes: &[u8],
        encoding: Option<TextEncoding>,
    ) -> Result<Self, DocumentError> {
        let (text, encoding) = decode(bytes, encoding).map_err(|source| DocumentError::Decode {
            path: path.to_path_buf(),
            source,
        })?;
        let mut doc = Self::build(path.to_path_buf(), text, encoding);
        match bytes.strip_prefix(UTF8_BOM) {
            Some(rest) if rest == doc.text.as_bytes() => doc.utf8_bom = true,
            _ if bytes == doc.text.as_bytes() => {}
            _ => doc.sha256 = Arc::new(OnceLock::from(sha256_hex(bytes))),
        }
        Ok(doc)
    }

    /// A document from text already in memory (its hash is that of its UTF-8 bytes).
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self::build(path.into(), text.into(), TextEncoding::Utf8)
    }

    /// A document whose file was `text`'s own UTF-8 bytes (its hash worked out when asked for).
    fn build(path: PathBuf, text: String, encoding: TextEncoding) -> Self {
        let offsets = OffsetIndex::new(&text);
        Self {
            path,
            text: Arc::from(text),
            encoding,
            sha256: Arc::default(),
            utf8_bom: false,
            offsets: Arc::new(offsets),
            paragraphs: Arc::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The shared text, for layers that keep it beyond a borrow (the text engine).
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Hex SHA-256 of the file's bytes as they were on disk.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| {
            let bom: &[u8] = if self.utf8_bom { UTF8_BOM } else { &[] };
            sha256_hex_of(&[bom, self.text.as_bytes()])
        })
    }

    pub fn len_chars(&self) -> usize {
        self.offsets.len_chars()
    }

    pub fn len_utf16(&self) -> usize {
        self.offsets.len_utf16()
    }

    pub fn paragraphs(&self) -> &ParagraphIndex {
        self.paragraphs
            .get_or_init(|| ParagraphIndex::new(&self.text))
    }

    /// Text of one paragraph (without its line end).
    pub fn paragraph_text(&self, p: &Paragraph) -> &str {
        self.text.get(p.bytes()).unwrap_or("")
    }

    pub fn char_to_byte(&self, pos: usize) -> usize {
        self.offsets.char_to_byte(&self.text, pos)
    }

    pub fn byte_to_char(&self, pos: usize) -> usize {
        self.offsets.byte_to_char(&self.text, pos)
    }

    pub fn char_to_utf16(&self, pos: usize) -> usize {
        self.offsets.char_to_utf16(&self.text, pos)
    }

    /// `None` if `unit` is past the end or inside a surrogate pair.
    pub fn utf16_to_char(&self, unit: usize) -> Option<usize> {
        self.offsets.utf16_to_char(&self.text, unit)
    }

    /// Text of a char range; `None` if the range is reversed or past the end.
    pub fn slice(&self, range: Range<usize>) -> Option<&str> {
        if range.start > range.end || range.end > self.len_chars() {
            return None;
        }
        let (a, b) = (self.char_to_byte(range.start), self.char_to_byte(range.end));
        self.text.get(a..b)
    }

    /// Up to `n` chars before char `pos`.
    pub fn prefix(&self, pos: usize, n: usize) -> &str {
        self.slice(pos.saturating_sub(n)..pos.min(self.len_chars()))
            .unwrap_or("")
    }

    /// Up to `n` chars after char `pos`.
    pub fn suffix(&self, pos: usize, n: usize) -> &str {
        let end = pos.saturating_add(n).min(self.len_chars());
        self.slice(pos.min(end)..end).unwrap_or("")
    }

    /// A window of the paragraph around `pos`, at most `radius` chars each side, as
    /// (window text, char offset of the window's start).
    fn window(&self, pos: usize, radius: usize) -> (&str, usize) {
        let paragraphs = self.paragraphs();
        let Some(p) = paragraphs.get(paragraphs.paragraph_at_char(pos)) else {
            return ("", pos);
        };
        let start = pos.saturating_sub(radius).max(p.start_char);
        let end = (pos + radius).min(p.end_char).max(start);
        (self.slice(start..end).unwrap_or(""), start)
    }

    /// Moves `pos` onto a grapheme boundary (never inside a letter + its marks, an emoji sequence or
    /// a CR LF pair).
    pub fn snap_to_grapheme(&self, pos: usize, snap: Snap) -> usize {
        let pos = pos.min(self.len_chars());
        // Paragraph windows leave line ends out: keep CR LF whole here.
        if pos > 0
            && self.slice(pos - 1..pos) == Some("\r")
            && self.slice(pos..pos + 1) == Some("\n")
        {
            return match snap {
                Snap::Forward => pos + 1,
                Snap::Backward | Snap::Nearest => pos - 1,
            };
        }
        let (window, start) = self.window(pos, 64);
        if pos < start || pos > start + window.chars().count() {
            return pos;
        }
        start + segment::snap_to_grapheme(window, pos - start, snap)
    }

    /// Is `pos` a grapheme boundary (a span may start or end there)? Between two plain letters,
    /// digits, spaces or punctuation marks it is, without segmenting; otherwise
    /// [`Document::snap_to_grapheme`] decides.
    pub fn is_grapheme_boundary(&self, pos: usize) -> bool {
        if pos == 0 || pos == self.len_chars() {
            return true;
        }
        if pos > self.len_chars() {
            return false;
        }
        if let Some(pair) = self.slice(pos - 1..pos + 1) {
            let mut cs = pair.chars();
            if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                if is_plain(a) && is_plain(b) {
                    return true;
                }
            }
        }
        self.snap_to_grapheme(pos, Snap::Backward) == pos
    }

    /// The word around `pos` (for double-click), in document chars.
    pub fn word_at(&self, pos: usize) -> Option<Range<usize>> {
        let (window, start) = self.window(pos, 256);
        let local = pos.checked_sub(start)?;
        segment::word_at(window, local).map(|r| r.start + start..r.end + start)
    }

    /// Grows a selection to whole words (the default snapping of a drag).
    pub fn expand_to_words(&self, range: Range<usize>) -> Range<usize> {
        let start = self.word_at(range.start).map_or(range.start, |w| {
            if w.end > range.start {
                w.start
            } else {
                range.start
            }
        });
        let end = if range.end > range.start {
            self.word_at(range.end - 1)
                .filter(|w| w.start < range.end && w.end >= range.end)
                .map_or(range.end, |w| w.end)
        } else {
            range.end
        };
        let start = self.snap_to_grapheme(start, Snap::Backward);
        let end = self.snap_to_grapheme(end, Snap::Forward);
        self.trim_spaces(start..end)
    }

    /// Leaves out white space at both edges of a range (unless that empties it).
    pub fn trim_spaces(&self, range: Range<usize>) -> Range<usize> {
        let Some(s) = self.slice(range.clone()) else {
            return range;
        };
        let lead = s.chars().take_while(|c| c.is_whitespace()).count();
        let total = s.chars().count();
        if lead == total {
            return range;
        }
        let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
        range.start + lead..range.end - trail
    }
}

/// A char that always forms a grapheme cluster of its own, whatever is beside it (UAX #29: not
/// Extend, ZWJ, SpacingMark, Prepend, Control, Regional Indicator or Hangul): printable ASCII,
/// Arabic letters (without the marks and signs) and Arabic punctuation.
fn is_plain(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}'
        | '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{06D4}'
    )
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of(&[bytes])
}

/// Hex SHA-256 of `parts` one after the other.
fn sha256_hex_of(parts: &[&[u8]]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_is_lowercase_hex_of_the_digest() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_hash_is_that_of_the_file_as_it_was_on_disk() {
        let text = "قال الرئيس 👍🏽\r\nأعلنت";
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let files = [
            text.as_bytes().to_vec(),
            [UTF8_BOM, text.as_bytes()].concat(),
            utf16,
        ];
        for bytes in &files {
            for forced in [None, Some(TextEncoding::Utf8)] {
                let Ok(doc) = Document::from_bytes(Path::new("a.txt"), bytes, forced) else {
                    continue;
                };
                assert_eq!(doc.text(), text);
                assert_eq!(doc.sha256(), sha256_hex(bytes), "{:?}", doc.encoding());
                // Asked again, and in a clone: the same.
                assert_eq!(doc.clone().sha256(), doc.sha256());
                // Worked out once for a document and its clones, whichever asks first.
                let fresh = Document::from_bytes(Path::new("a.txt"), bytes, forced).unwrap();
                let clone = fresh.clone();
                assert!(std::ptr::eq(clone.sha256(), fresh.sha256()));
            }
        }
        assert_eq!(
            Document::from_text("a.txt", text).sha256(),
            sha256_hex(text.as_bytes())
        );
    }

    #[test]
    fn word_snapping_in_a_document() {
        let d = Document::from_text("a.txt", "قال الرئيس\r\nأعلنت وبواشنطن أمس");
        // "وبواشنطن" starts at char 18 in Python.
        assert_eq!(d.expand_to_words(19..20), 18..26);
        assert_eq!(d.slice(18..26), Some("وبواشنطن"));
        assert_eq!(d.word_at(5), Some(4..10));
    }

    #[test]
    fn grapheme_boundaries_fast_and_slow_agree() {
        let text = "قال مُحَمَّدٌ: 👍🏽 لا\r\n\u{0600}١ ok.";
        let d = Document::from_text("a.txt", text);
        for pos in 0..=d.len_chars() + 1 {
            let slow = pos <= d.len_chars() && d.snap_to_grapheme(pos, Snap::Backward) == pos;
            assert_eq!(d.is_grapheme_boundary(pos), slow, "at {pos}");
        }
    }

    #[test]
    fn crlf_is_never_cut() {
        let d = Document::from_text("a.txt", "سلام\r\nعليكم");
        assert_eq!(d.snap_to_grapheme(5, Snap::Backward), 4);
        assert_eq!(d.snap_to_grapheme(5, Snap::Forward), 6);
        assert_eq!(d.snap_to_grapheme(4, Snap::Forward), 4);
    }

    #[test]
    fn slice_out_of_range_is_none() {
        let d = Document::from_text("a.txt", "سلام");
        assert_eq!(d.slice(2..9), None);
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 3..2;
        assert_eq!(d.slice(reversed), None);
        assert_eq!(d.prefix(2, 16), "سل");
        assert_eq!(d.suffix(2, 16), "ام");
    }
}
