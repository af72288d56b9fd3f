//! Any bytes as a sidecar of a fixed article: refused with an error, or placed on the text; what
//! is read encodes to bytes that read back the same (the sidecar round trip).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use hashiya::model::{sidecar, Document};
use libfuzzer_sys::fuzz_target;

fn article() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        Document::from_text(
            "a.txt",
            "قال الوزير إن وبواشنطن ترفض 👍🏽 القرار.\r\nوأكد مسؤول في القاهرة أن الاجتماع تأجل.",
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let doc = article();
    let path = Path::new("a.txt.fuzz.hashiya.json");
    let Ok(loaded) = sidecar::decode(doc, "fuzz", path, data) else {
        return;
    };
    let again = sidecar::encode(doc, "fuzz", &loaded.annotations).expect("encodes");
    let back = sidecar::decode(doc, "fuzz", path, again.as_bytes()).expect("reads back");
    assert_eq!(back.annotations, loaded.annotations);
});
