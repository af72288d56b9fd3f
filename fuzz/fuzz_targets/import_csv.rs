//! Any bytes as classification CSV, read as stance and as claims CSV: the import reads them or
//! reports why not, never panics; what it reads holds offsets on the text and encodes as a sidecar
//! that reads back the same (see harness/importers.rs).
#![no_main]

#[path = "../harness/importers.rs"]
mod importers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    importers::csv(data);
});
