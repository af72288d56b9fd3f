//! `hashiya stats --json` on the samples: the figures the corpus overview draws (documents by
//! status per annotator, span and article lengths) checked against an independent Python count
//! (tests/python/corpus_overview.py, code points with Python's `str`).

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn stats_json_carries_the_overview_figures_python_counts_the_same() {
    if !common::require::python3() {
        return;
    }
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(["stats", "--json"])
        .arg(&samples)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/corpus_overview.py");
    let py = Command::new("python3")
        .arg(script)
        .arg(&samples)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let theirs: Value = serde_json::from_slice(&py.stdout).unwrap();

    assert_eq!(
        ours["documents_by_annotator"],
        theirs["documents_by_annotator"]
    );
    for key in ["span_lengths", "document_lengths"] {
        for field in ["counts", "values", "min", "max", "median"] {
            assert_eq!(ours[key][field], theirs[key][field], "{key}.{field}");
        }
    }
    // The fields stats had before are all still there.
    for key in [
        "documents",
        "documents_by_status",
        "sidecars",
        "annotators",
        "spans",
        "spans_by_label",
    ] {
        assert!(ours.get(key).is_some(), "{key}");
    }
}
