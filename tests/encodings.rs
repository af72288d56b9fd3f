//! Articles in legacy encodings and UTF-16 load to the same text as their UTF-8 twin. The fixture
//! files were written by Python's own codecs (`str.encode('cp1256')`, `'utf-16'`, ...), not by us.

use std::path::{Path, PathBuf};

use hashiya::model::{Document, TextEncoding};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encodings")
        .join(name)
}

#[test]
fn every_encoding_gives_the_utf8_twins_text() {
    let twin = Document::load(&fixture("article.utf8.txt"), None).unwrap();
    assert_eq!(twin.encoding(), TextEncoding::Utf8);
    assert!(twin.text().contains("\r\n"), "CRLF kept");
    let cases = [
        ("article.utf8-bom.txt", TextEncoding::Utf8Bom),
        ("article.cp1256.txt", TextEncoding::Windows1256),
        ("article.utf16le-bom.txt", TextEncoding::Utf16Le),
        ("article.utf16be-bom.txt", TextEncoding::Utf16Be),
        ("article.iso8859-6.txt", TextEncoding::Iso8859_6),
    ];
    for (file, enc) in cases {
        let doc = Document::load(&fixture(file), None).unwrap();
        assert_eq!(doc.text(), twin.text(), "{file}");
        assert_eq!(doc.encoding(), enc, "{file}: detected encoding");
        assert_eq!(doc.len_chars(), 169, "{file}: Python's len()");
        // The hash is of the bytes on disk, so each twin is its own file.
        assert_ne!(doc.sha256(), twin.sha256());
    }
}

#[test]
fn a_named_encoding_is_used_as_given() {
    let doc = Document::load(
        &fixture("article.cp1256.txt"),
        Some(TextEncoding::Windows1256),
    )
    .unwrap();
    let twin = Document::load(&fixture("article.utf8.txt"), None).unwrap();
    assert_eq!(doc.text(), twin.text());
    // Named wrongly, the file is refused with the file and byte named.
    let err = Document::load(&fixture("article.cp1256.txt"), Some(TextEncoding::Utf8)).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("article.cp1256.txt") && msg.contains("not valid utf-8 (bad byte at byte 0)"),
        "{msg}"
    );
}

#[test]
fn binary_and_unexplained_files_are_refused_with_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("photo.txt");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let msg = Document::load(&png, None).unwrap_err().to_string();
    assert!(
        msg.contains("photo.txt") && msg.contains("binary") && msg.contains("byte 8"),
        "{msg}"
    );

    let junk = dir.path().join("junk.txt");
    let mut bytes = "مرحبا ".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x80, 0x81]);
    std::fs::write(&junk, &bytes).unwrap();
    let msg = Document::load(&junk, None).unwrap_err().to_string();
    assert!(msg.contains("junk.txt") && msg.contains("byte 11"), "{msg}");
}
