//! The bundled fonts, loaded explicitly: no system font scan at start-up.
//!
//! Noto Naskh Arabic is the text face; Noto Sans covers Latin (Noto's Arabic faces have no Latin
//! letters). Both are OFL (assets/fonts/LICENSE). A character neither font has is drawn as the
//! font's `.notdef` box, which has a width, so it never vanishes.

use cosmic_text::{fontdb, Attrs, Family, FontSystem};

/// Family name of the Arabic text face (the default family of all text).
pub const ARABIC_FAMILY: &str = "Noto Naskh Arabic";
/// Family name of the Latin face (fallback for Latin letters).
pub const LATIN_FAMILY: &str = "Noto Sans";

/// The bundled font files, as (file name, bytes).
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

/// A font system holding only the bundled fonts.
pub fn bundled_font_system() -> FontSystem {
    let mut db = fontdb::Database::new();
    for (_, bytes) in BUNDLED_FONTS {
        db.load_font_data(bytes.to_vec());
    }
    db.set_sans_serif_family(ARABIC_FAMILY);
    db.set_serif_family(ARABIC_FAMILY);
    FontSystem::new_with_locale_and_db("ar".to_string(), db)
}

/// The attributes all document text is shaped with.
pub fn text_attrs() -> Attrs<'static> {
    Attrs::new().family(Family::Name(ARABIC_FAMILY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_are_loaded() {
        let fs = bundled_font_system();
        let families: Vec<String> = fs
            .db()
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        assert!(families.iter().any(|f| f == ARABIC_FAMILY), "{families:?}");
        assert!(families.iter().any(|f| f == LATIN_FAMILY), "{families:?}");
    }
}
