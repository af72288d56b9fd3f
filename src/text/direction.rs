//! Paragraph base direction.
//!
//! The Unicode bidi algorithm (rule P2) takes the first strong character. cosmic-text 0.19 applies
//! that per line, so a paragraph that opens with a Latin source name ("Financial Times: قالت …") is
//! laid out left-to-right, which is wrong for an Arabic article. We decide per paragraph instead:
//! the direction of the majority of strong characters in the paragraph's opening (a higher-level
//! protocol, which rule HL1 allows), ties broken by rule P2. A paragraph with no strong character is
//! right-to-left (the corpus language).

use unicode_bidi::{bidi_class, BidiClass};

/// A paragraph's base direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn is_rtl(self) -> bool {
        self == Direction::Rtl
    }

    /// As `hashiya shape` and hb-shape write it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// How many chars of a paragraph's opening are counted.
const OPENING_CHARS: usize = 1000;

fn strong(c: char) -> Option<Direction> {
    match bidi_class(c) {
        BidiClass::L => Some(Direction::Ltr),
        BidiClass::R | BidiClass::AL => Some(Direction::Rtl),
        _ => None,
    }
}

/// Rule P2: the direction of the first strong character (isolates are not skipped; news text
/// has none).
pub fn first_strong(text: &str) -> Option<Direction> {
    text.chars().find_map(strong)
}

/// The base direction we lay a paragraph out with (see the module comment).
pub fn paragraph_direction(text: &str) -> Direction {
    let (mut ltr, mut rtl) = (0usize, 0usize);
    for c in text.chars().take(OPENING_CHARS) {
        match strong(c) {
            Some(Direction::Ltr) => ltr += 1,
            Some(Direction::Rtl) => rtl += 1,
            None => {}
        }
    }
    if rtl > ltr {
        Direction::Rtl
    } else if ltr > rtl {
        Direction::Ltr
    } else {
        first_strong(text).unwrap_or(Direction::Rtl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_source_name_before_arabic_is_rtl() {
        assert_eq!(
            paragraph_direction("Financial Times: قالت الصحيفة إن المحادثات ستستأنف غداً"),
            Direction::Rtl
        );
        assert_eq!(
            paragraph_direction(
                "\"We are not asking for charity\"، بهذه العبارة افتتح الرئيس القمة"
            ),
            Direction::Rtl
        );
        assert_eq!(first_strong("Financial Times: قالت"), Some(Direction::Ltr));
    }

    #[test]
    fn english_and_neutral_paragraphs() {
        assert_eq!(
            paragraph_direction("The summit opened today."),
            Direction::Ltr
        );
        assert_eq!(paragraph_direction("2025 - 18%"), Direction::Rtl);
        assert_eq!(paragraph_direction("« قال »"), Direction::Rtl);
    }
}
