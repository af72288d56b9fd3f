//! The bundled fonts, loaded explicitly: no system font scan at start-up.
//!
//! Noto Naskh Arabic is the text face; Noto Sans covers Latin (Noto's Arabic faces have no Latin
//! letters); Noto Color Emoji (its colour bitmap build) draws emoji. All three are OFL
//! (assets/fonts/LICENSE). The fallback order is ours, not the platform's: a cluster (a grapheme,
//! so a whole flag, skin-toned or ZWJ emoji) the text face cannot draw is shaped with Noto Sans,
//! then with the emoji face. A character no font has is drawn as the text face's `.notdef` box,
//! which has a width, so it never vanishes.

use std::sync::Arc;

use cosmic_text::{fontdb, Attrs, Fallback, Family, FontSystem};
use unicode_script::Script;

/// Family name of the Arabic text face (the default family of all text).
pub const ARABIC_FAMILY: &str = "Noto Naskh Arabic";
/// Family name of the Latin face (fallback for Latin letters).
pub const LATIN_FAMILY: &str = "Noto Sans";

/// Family name of the emoji face (fallback for emoji).
pub const EMOJI_FAMILY: &str = "Noto Color Emoji";

/// The bundled text faces, as (file name, bytes): also egui's fallback fonts for its own text.
pub const BUNDLED_FONTS: &[(&str, &[u8])] = &[
    (
        "NotoNaskhArabic-Regular.ttf",
        include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    ),
    (
        "NotoSans-Regular.ttf",
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    ),
];

/// The emoji face, (file name, bytes): Noto Color Emoji's bitmap (CBDT) build, which swash draws
/// in colour. Only our engine uses it (egui's own text cannot draw colour bitmaps).
pub const EMOJI_FONT: (&str, &[u8]) = (
    "NotoColorEmoji.ttf",
    include_bytes!("../../assets/fonts/NotoColorEmoji.ttf"),
);

/// Every bundled font file, text faces then the emoji face.
pub fn bundled_font_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUNDLED_FONTS.iter().copied().chain([EMOJI_FONT])
}

/// Where a cluster the text face lacks is looked for: Latin, then emoji; nothing from the system.
struct BundledFallback;

impl Fallback for BundledFallback {
    fn common_fallback(&self) -> &[&'static str] {
        &[LATIN_FAMILY, EMOJI_FAMILY]
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        &[]
    }

    fn script_fallback(&self, script: Script, _locale: &str) -> &[&'static str] {
        match script {
            Script::Arabic => &[ARABIC_FAMILY],
            _ => &[],
        }
    }
}

/// A font system holding only the bundled fonts (the font files are not copied: the database
/// reads them where the binary holds them).
pub fn bundled_font_system() -> FontSystem {
    let mut db = fontdb::Database::new();
    for (_, bytes) in bundled_font_files() {
        db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
    }
    db.set_sans_serif_family(ARABIC_FAMILY);
    db.set_serif_family(ARABIC_FAMILY);
    FontSystem::new_with_locale_and_db_and_fallback("ar".to_string(), db, BundledFallback)
}

/// The attributes all document text is shaped with.
pub fn text_attrs() -> Attrs<'static> {
    Attrs::new().family(Family::Name(ARABIC_FAMILY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_faces_are_loaded() {
        let fs = bundled_font_system();
        let families: Vec<String> = fs
            .db()
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        assert!(families.iter().any(|f| f == ARABIC_FAMILY), "{families:?}");
        assert!(families.iter().any(|f| f == LATIN_FAMILY), "{families:?}");
        assert!(families.iter().any(|f| f == EMOJI_FAMILY), "{families:?}");
    }
}
