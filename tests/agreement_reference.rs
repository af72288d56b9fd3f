//! Every agreement measure of `hashiya agreement --json` against the reference implementations
//! (tests/python/agreement_reference.py: scikit-learn, statsmodels, krippendorff, scipy and a
//! port of DKPro's α_u), on generated corpora with missing documents, nesting, suggested and
//! rejected spans, discontinuous spans, Arabic clitics and emoji. Agreement within 1e-9.

mod common;

use std::path::Path;
use std::process::Command;

use common::agreement_corpus::{write_corpus, CorpusSpec};
use serde_json::Value;

const MODULES: &[&str] = &["sklearn", "statsmodels", "krippendorff", "scipy", "numpy"];

fn hashiya_json(corpus: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .arg("agreement")
        .arg(corpus)
        .arg("--json")
        .args(args)
        .output()
        .expect("run hashiya");
    assert!(
        out.status.success(),
        "hashiya agreement failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn reference(corpus: &Path, annotators: &[&str]) -> serde_json::Map<String, Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/agreement_reference.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(corpus)
        .args(annotators)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "reference script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("reference JSON") {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// The value at a dotted path (`spans.pairs.0.exact_f1`; numbers index arrays).
fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, key| match v {
        Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        Value::Object(m) => m.get(key),
        _ => None,
    })
}

/// Compares every figure the reference gives; returns how many numbers were compared.
fn check(corpus: &Path, ours: &Value, annotators: &[&str]) -> usize {
    let expected = reference(corpus, annotators);
    let mut numbers = 0;
    let mut failures = Vec::new();
    for (path, want) in &expected {
        let got = at(ours, path);
        let ok = match (want, got) {
            (Value::Number(w), Some(Value::Number(g))) => {
                numbers += 1;
                let (w, g) = (
                    w.as_f64().unwrap_or(f64::NAN),
                    g.as_f64().unwrap_or(f64::NAN),
                );
                (w - g).abs() <= 1e-9
            }
            (Value::Null, Some(Value::Null)) => {
                // An undefined figure has its reason beside it.
                let reason = match path.rsplit_once('.') {
                    Some((parent, "value")) => format!("{parent}.reason"),
                    _ => format!("{path}_reason"),
                };
                at(ours, &reason).is_some_and(Value::is_string)
            }
            (w, Some(g)) => w == g,
            (_, None) => false,
        };
        if !ok {
            failures.push(format!("{path}: reference {want}, hashiya {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    numbers
}

fn corpus(spec: &CorpusSpec) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    write_corpus(dir.path(), spec);
    dir
}

#[test]
fn two_annotators() {
    if !common::require::python_modules(MODULES) {
        return;
    }
    let dir = corpus(&CorpusSpec::new(40, &["ali", "huda"], 1));
    let ours = hashiya_json(dir.path(), &[]);
    let n = check(dir.path(), &ours, &[]);
    assert!(n > 80, "only {n} figures compared");
    // The generated disagreements show in every kind of count.
    let pair = &ours["spans"]["pairs"][0];
    for kind in [
        "only_a",
        "only_b",
        "label_only",
        "boundary_only",
        "clitic_only",
    ] {
        assert!(pair[kind].as_u64().is_some_and(|n| n > 0), "{kind}: {pair}");
    }
}

#[test]
fn three_annotators_with_missing_documents() {
    if !common::require::python_modules(MODULES) {
        return;
    }
    let mut spec = CorpusSpec::new(60, &["layla", "omar", "sara"], 7);
    spec.missing = 0.25;
    let dir = corpus(&spec);
    let ours = hashiya_json(dir.path(), &[]);
    let n = check(dir.path(), &ours, &[]);
    assert!(n > 150, "only {n} figures compared");
    let docs = ours["spans"]["alpha_u_documents"].as_u64().unwrap_or(0);
    assert!(
        docs > 0 && docs < 60,
        "some documents are missing an annotator: {docs}"
    );
}

#[test]
fn chosen_annotators_of_four_with_much_disagreement() {
    if !common::require::python_modules(MODULES) {
        return;
    }
    let mut spec = CorpusSpec::new(30, &["a1", "a2", "a3", "model"], 11);
    spec.disagreement = 0.3;
    spec.unreviewed = 0.2;
    let dir = corpus(&spec);
    let ours = hashiya_json(dir.path(), &["--annotators", "a1,a2,a3"]);
    assert_eq!(ours["annotators"], serde_json::json!(["a1", "a2", "a3"]));
    let n = check(dir.path(), &ours, &["a1", "a2", "a3"]);
    assert!(n > 80, "only {n} figures compared");
}

/// Writes a generated corpus to `$HASHIYA_AGREEMENT_CORPUS` to look at (`cargo test --test
/// agreement_reference -- --ignored`).
#[test]
#[ignore]
fn write_a_corpus_to_look_at() {
    let Some(out) = std::env::var_os("HASHIYA_AGREEMENT_CORPUS") else {
        return;
    };
    let mut spec = CorpusSpec::new(60, &["layla", "omar", "sara"], 7);
    spec.missing = 0.25;
    write_corpus(Path::new(&out), &spec);
}
