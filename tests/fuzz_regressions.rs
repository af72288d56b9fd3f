//! The importer fuzz targets' cases in the normal suite: every file under
//! `tests/fuzz_cases/TARGET/` goes through exactly what the fuzzer ran
//! (`fuzz/harness/importers.rs`, included below): the import must give documents that hold their
//! invariants, or report the problem, never panic.
//!
//! A crasher a target finds is minimized (`cargo +nightly fuzz tmin`) and kept there, named after
//! what it found. The 10-minute runs of docs/robustness.md found none; the files there now are
//! hand-written hostile inputs, one per importer, each also giving documents to check.

#[path = "../fuzz/harness/importers.rs"]
mod importers;

use std::path::Path;

/// Runs every kept case of `target` through `run`; returns (cases, documents checked).
fn cases(target: &str, run: fn(&[u8]) -> usize) -> (usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_cases")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (0, 0);
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let mut docs = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        match std::panic::catch_unwind(|| run(&bytes)) {
            Ok(n) => docs += n,
            Err(_) => panic!("{}: the import panicked (message above)", f.display()),
        }
    }
    (files.len(), docs)
}

/// Each target has kept cases, and they gave documents (so the invariants were checked on
/// something, not only the refusals).
fn assert_ran(target: &str, run: fn(&[u8]) -> usize) {
    let (files, docs) = cases(target, run);
    assert!(files > 0, "no cases under tests/fuzz_cases/{target}");
    assert!(docs > 0, "{target}: the cases gave no document to check");
}

#[test]
fn brat_cases_import_or_report() {
    assert_ran("import_brat", importers::brat);
}

#[test]
fn conll_cases_import_or_report() {
    assert_ran("import_conll", importers::conll);
}

#[test]
fn doccano_cases_import_or_report() {
    assert_ran("import_doccano", importers::doccano);
}

#[test]
fn label_studio_cases_import_or_report() {
    assert_ran("import_label_studio", importers::label_studio);
}

#[test]
fn token_jsonl_cases_import_or_report() {
    assert_ran("import_token_jsonl", importers::token_jsonl);
}

#[test]
fn csv_cases_import_or_report() {
    assert_ran("import_csv", importers::csv);
}
