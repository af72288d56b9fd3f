//! Any text as a corpus schema: refused with an error, or a schema whose JSON reads back the same.
#![no_main]

use hashiya::model::Schema;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("hashiya-schema.json");
    let Ok(schema) = Schema::parse(text, path) else {
        return;
    };
    let back = Schema::parse(&schema.to_json(), path).expect("its own JSON is a schema");
    assert_eq!(back, schema);
});
