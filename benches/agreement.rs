//! `hashiya agreement` on a generated corpus of 10,000 documents × 3 annotators, timed side by
//! side with a Python script that only `json.load`s every sidecar (tests/python/load_sidecars.py),
//! with farm-bench (whole processes, paired runs, median). Budgets (docs/agreement.md): ≤ 1 s,
//! and ≤ 0.3 of the Python script.
//!
//! `cargo bench --bench agreement` (HASHIYA_BENCH_DOCS changes the number of documents).

#[path = "../tests/common/agreement_corpus.rs"]
mod agreement_corpus;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use agreement_corpus::{write_corpus, CorpusSpec};

fn main() {
    let docs: usize = std::env::var("HASHIYA_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // HASHIYA_BENCH_CORPUS=DIR writes the corpus there and keeps it (to profile, say).
    let kept = std::env::var_os("HASHIYA_BENCH_CORPUS").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("temp folder");
    let root = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let mut spec = CorpusSpec::new(docs, &["layla", "omar", "sara"], 2026);
    spec.missing = 0.0;
    spec.sentences = 9;
    spec.disagreement = 0.03;
    let t = Instant::now();
    let sidecars = write_corpus(&root, &spec);
    let (bytes, chars) = corpus_size(&root);
    eprintln!(
        "generated {docs} documents, {sidecars} sidecars ({:.1} MB of sidecars, {:.1} M chars of text) in {:.1?}",
        bytes as f64 / 1e6,
        chars as f64 / 1e6,
        t.elapsed()
    );
    let hashiya = env!("CARGO_BIN_EXE_hashiya");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/load_sidecars.py");
    let corpus = root.display().to_string();
    // One run first, to show what is measured.
    let out = Command::new(hashiya)
        .args(["agreement", &corpus])
        .output()
        .expect("run hashiya agreement");
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    let ours = format!("{hashiya} agreement {corpus} --json");
    let python = format!("python3 {} {corpus}", script.display());
    let farm = Command::new("farm-bench")
        .args(["-n", "7", "--timeout", "600", "--vs", &python, "--"])
        .args(ours.split(' '))
        .status();
    match farm {
        Ok(s) if s.success() => {}
        _ => {
            // Without farm-bench: time both commands here, in turns.
            eprintln!("farm-bench is not available; timing here (wall clock, median of 5 pairs)");
            let time = |cmd: &str| {
                let mut parts = cmd.split(' ');
                let t = Instant::now();
                let ok = Command::new(parts.next().unwrap_or_default())
                    .args(parts)
                    .output()
                    .is_ok_and(|o| o.status.success());
                assert!(ok, "`{cmd}` failed");
                t.elapsed().as_secs_f64()
            };
            let mut runs: Vec<(f64, f64)> = (0..5).map(|_| (time(&ours), time(&python))).collect();
            runs.sort_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)));
            let (a, b) = runs[2];
            println!(
                "hashiya agreement: {a:.3} s, python json.load: {b:.3} s, ratio {:.3}",
                a / b
            );
        }
    }
}

/// Bytes of sidecars and chars of articles under `root`.
fn corpus_size(root: &Path) -> (u64, u64) {
    let (mut bytes, mut chars) = (0, 0);
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.to_string_lossy().ends_with(".hashiya.json") {
                bytes += e.metadata().map_or(0, |m| m.len());
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                chars += t.chars().count() as u64;
            }
        }
    }
    (bytes, chars)
}
