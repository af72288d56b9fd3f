//! Any bytes as a Label Studio JSON export: the import reads them or reports why not, never panics;
//! what it reads holds offsets on the text and encodes as a sidecar that reads back the same (see
//! harness/importers.rs).
#![no_main]

#[path = "../harness/importers.rs"]
mod importers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    importers::label_studio(data);
});
