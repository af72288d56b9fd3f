//! Running the real binary, and span expectations written as text with `[markers]` whose offsets
//! Python counts (tests/python/marked_spans.py).

use std::path::Path;
use std::process::Command;

/// Runs `hashiya ARGS`: (exit code, stdout, stderr).
pub fn hashiya(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(args)
        .output()
        .expect("the hashiya binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A text with its expected spans: `marked` without the brackets, and each bracketed piece as
/// (start, end, covered text) counted by Python. Needs python3 (check with `require::python3`).
pub fn marked_spans(marked: &str) -> (String, Vec<(usize, usize, String)>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("marked.txt");
    std::fs::write(&file, marked).expect("written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/marked_spans.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from Python");
    let text = v["text"].as_str().expect("text").to_owned();
    let spans = v["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| {
            (
                s[0].as_u64().expect("start") as usize,
                s[1].as_u64().expect("end") as usize,
                s[2].as_str().expect("covered").to_owned(),
            )
        })
        .collect();
    (text, spans)
}
