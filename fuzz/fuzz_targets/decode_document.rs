//! Any bytes as an article: decoded or refused, never a panic; what decodes has consistent
//! offset maps, paragraphs and grapheme snapping.
#![no_main]

use hashiya::model::segment::Snap;
use hashiya::model::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::from_bytes(std::path::Path::new("fuzz.txt"), data, None) else {
        return;
    };
    let n = doc.len_chars();
    assert_eq!(doc.text().chars().count(), n);
    for c in [0, n / 3, n / 2, n] {
        let b = doc.char_to_byte(c);
        assert_eq!(doc.byte_to_char(b), c);
        let s = doc.snap_to_grapheme(c, Snap::Nearest);
        assert!(s <= n);
    }
    let mut end = 0;
    for p in doc.paragraphs().iter() {
        assert!(p.start_char >= end && p.end_char <= n);
        end = p.end_char;
        let _ = doc.paragraph_text(p);
    }
});
