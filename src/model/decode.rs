//! Turning an article file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, and the
//! legacy Arabic code pages. The text is never altered (CRLF stays CRLF); only a BOM is left out.

use std::fmt;

/// What an article's bytes were decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1256,
    Iso8859_6,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 6] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1256,
        TextEncoding::Iso8859_6,
    ];

    /// The name written in sidecars and accepted on the command line.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1256 => "windows-1256",
            TextEncoding::Iso8859_6 => "iso-8859-6",
        }
    }

    /// Parses a user-given encoding name (case-insensitive, common aliases accepted).
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match n.as_str() {
            "utf-8" | "utf8" => TextEncoding::Utf8,
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => TextEncoding::Utf8Bom,
            "utf-16le" | "utf-16-le" => TextEncoding::Utf16Le,
            "utf-16be" | "utf-16-be" => TextEncoding::Utf16Be,
            "windows-1256" | "cp1256" | "win1256" => TextEncoding::Windows1256,
            "iso-8859-6" | "iso8859-6" | "latin-arabic" => TextEncoding::Iso8859_6,
            _ => return None,
        })
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks like a binary file (NUL byte at byte {position})")]
    Binary { position: usize },
    #[error("not valid {encoding} (bad byte at byte {position})")]
    Invalid {
        encoding: TextEncoding,
        position: usize,
    },
    #[error(
        "not valid UTF-8 (bad byte at byte {position}) and no legacy Arabic encoding explains it \
         confidently; name the encoding (e.g. --encoding windows-1256)"
    )]
    Unknown { position: usize },
}

/// The UTF-8 byte order mark.
pub(crate) const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Decodes `bytes`. With `forced`, only that encoding is tried; otherwise BOMs decide, then UTF-8,
/// then a legacy Arabic code page if the bytes look confidently like Arabic text in it.
pub fn decode(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<(String, TextEncoding), DecodeError> {
    if let Some(enc) = forced {
        return decode_as(bytes, enc).map(|t| (t, enc));
    }
    if bytes.starts_with(UTF8_BOM) {
        return decode_as(bytes, TextEncoding::Utf8Bom).map(|t| (t, TextEncoding::Utf8Bom));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return decode_as(bytes, TextEncoding::Utf16Le).map(|t| (t, TextEncoding::Utf16Le));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return decode_as(bytes, TextEncoding::Utf16Be).map(|t| (t, TextEncoding::Utf16Be));
    }
    let utf8_error = match super::utf8::from_utf8(bytes) {
        Ok(text) => {
            reject_binary(text.as_bytes())?;
            return Ok((text.to_owned(), TextEncoding::Utf8));
        }
        Err(e) => e.valid_up_to(),
    };
    reject_binary(bytes)?;
    match guess_legacy_arabic(bytes) {
        Some(enc) => decode_as(bytes, enc).map(|t| (t, enc)),
        None => Err(DecodeError::Unknown {
            position: utf8_error,
        }),
    }
}

fn reject_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    match memchr_nul(bytes) {
        Some(position) => Err(DecodeError::Binary { position }),
        None => Ok(()),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Decodes `bytes` as exactly `enc`, failing at the first byte that `enc` cannot explain.
pub fn decode_as(bytes: &[u8], enc: TextEncoding) -> Result<String, DecodeError> {
    let invalid = |position| DecodeError::Invalid {
        encoding: enc,
        position,
    };
    match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let skip = if bytes.starts_with(UTF8_BOM) { 3 } else { 0 };
            let body = &bytes[skip..];
            let text = super::utf8::from_utf8(body).map_err(|e| invalid(skip + e.valid_up_to()))?;
            reject_binary(body).map_err(|e| shift(e, skip))?;
            Ok(text.to_owned())
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let le = enc == TextEncoding::Utf16Le;
            let bom: [u8; 2] = if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
            let skip = if bytes.starts_with(&bom) { 2 } else { 0 };
            let body = &bytes[skip..];
            if !body.len().is_multiple_of(2) {
                return Err(invalid(bytes.len() - 1));
            }
            let units = body.chunks_exact(2).map(|p| {
                if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            let mut text = String::with_capacity(body.len());
            let mut unit_index = 0usize;
            for r in char::decode_utf16(units) {
                match r {
                    Ok('\0') => {
                        return Err(DecodeError::Binary {
                            position: skip + unit_index * 2,
                        })
                    }
                    Ok(c) => {
                        unit_index += c.len_utf16();
                        text.push(c);
                    }
                    Err(_) => return Err(invalid(skip + unit_index * 2)),
                }
            }
            Ok(text)
        }
        TextEncoding::Windows1256 | TextEncoding::Iso8859_6 => {
            reject_binary(bytes)?;
            let codec = legacy_codec(enc);
            match codec.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) => Ok(text.into_owned()),
                None => Err(invalid(first_unmappable(bytes, codec).unwrap_or(0))),
            }
        }
    }
}

fn shift(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::Binary { position } => DecodeError::Binary {
            position: position + by,
        },
        other => other,
    }
}

fn legacy_codec(enc: TextEncoding) -> &'static encoding_rs::Encoding {
    match enc {
        TextEncoding::Iso8859_6 => encoding_rs::ISO_8859_6,
        _ => encoding_rs::WINDOWS_1256,
    }
}

fn first_unmappable(bytes: &[u8], codec: &'static encoding_rs::Encoding) -> Option<usize> {
    bytes.iter().position(|&b| {
        let (_, had_errors) = codec.decode_without_bom_handling(&[b]);
        had_errors
    })
}

/// Decides whether non-UTF-8 bytes are confidently Arabic text in Windows-1256 or ISO-8859-6.
///
/// Both code pages put Arabic letters in the high half, but in different places: in ISO-8859-6 the
/// letters are 0xC1-0xDA and 0xE0-0xF2 (0xA0-0xBF mostly unassigned); in Windows-1256 they spread
/// over 0xC1-0xFE (with Latin accented letters mixed in). We require that almost all high bytes be
/// letters of the chosen code page and that the text's words look like Arabic words.
fn guess_legacy_arabic(bytes: &[u8]) -> Option<TextEncoding> {
    let high: Vec<u8> = bytes.iter().copied().filter(|&b| b >= 0x80).collect();
    if high.len() < 8 {
        return None;
    }
    let arabic_share = |enc: TextEncoding| -> f64 {
        let codec = legacy_codec(enc);
        let (text, had_errors) = codec.decode_without_bom_handling(bytes);
        if had_errors {
            return 0.0;
        }
        let non_ascii: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
        if non_ascii.is_empty() {
            return 0.0;
        }
        let arabic = non_ascii
            .iter()
            .filter(|&&c| is_arabic_letter_or_mark(c))
            .count();
        arabic as f64 / non_ascii.len() as f64
    };
    let iso = arabic_share(TextEncoding::Iso8859_6);
    let win = arabic_share(TextEncoding::Windows1256);
    // ISO-8859-6 decodes fewer byte values; if both explain the bytes as Arabic, Windows-1256 is
    // far more common in news archives, and ISO text is also valid Windows-1256 only by accident.
    if win >= 0.9 && win >= iso {
        Some(TextEncoding::Windows1256)
    } else if iso >= 0.9 {
        Some(TextEncoding::Iso8859_6)
    } else {
        None
    }
}

/// Arabic letters, tatweel, harakat and Arabic punctuation: what Arabic text in a legacy code page
/// is made of.
fn is_arabic_letter_or_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0621}'..='\u{0652}' | '\u{060C}' | '\u{061B}' | '\u{061F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "أعلنت الحكومة في واشنطن يوم الاثنين\r\nأن الاجتماع سيعقد في القاهرة.";

    #[test]
    fn utf8_and_bom() {
        let (t, e) = decode(ARABIC.as_bytes(), None).unwrap();
        assert_eq!((t.as_str(), e), (ARABIC, TextEncoding::Utf8));
        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice(ARABIC.as_bytes());
        let (t, e) = decode(&with_bom, None).unwrap();
        assert_eq!((t.as_str(), e), (ARABIC, TextEncoding::Utf8Bom));
    }

    #[test]
    fn utf16_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in ARABIC.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(
            decode(&le, None).unwrap(),
            (ARABIC.to_owned(), TextEncoding::Utf16Le)
        );
        assert_eq!(
            decode(&be, None).unwrap(),
            (ARABIC.to_owned(), TextEncoding::Utf16Be)
        );
    }

    #[test]
    fn windows_1256_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        let (t, e) = decode(&bytes, None).unwrap();
        assert_eq!(t, ARABIC);
        assert_eq!(e, TextEncoding::Windows1256);
    }

    #[test]
    fn binary_refused_with_position() {
        let bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(
            decode(bytes, None),
            Err(DecodeError::Binary { position: 8 })
        ));
    }

    #[test]
    fn unexplained_bytes_refused_with_position() {
        let mut bytes = b"hello ".to_vec();
        bytes.extend_from_slice(&[0x81, 0x8d, 0x8f, 0x90]);
        match decode(&bytes, None) {
            Err(DecodeError::Unknown { position }) => assert_eq!(position, 6),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn forced_encoding_reports_bad_byte() {
        let bytes = [b'a', b'b', 0xC3];
        assert_eq!(
            decode(&bytes, Some(TextEncoding::Utf8)),
            Err(DecodeError::Invalid {
                encoding: TextEncoding::Utf8,
                position: 2
            })
        );
    }
}
