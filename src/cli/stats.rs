//! `hashiya stats CORPUS [--annotator NAME] [--json]`

use std::path::Path;
use std::process::ExitCode;

use crate::model::stats::corpus_stats;
use crate::model::Corpus;

pub fn run(path: &Path, annotator: Option<&str>, json: bool) -> ExitCode {
    let corpus = match Corpus::open(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let stats = corpus_stats(&corpus, annotator);
    if json {
        match serde_json::to_string_pretty(&stats) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot write JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    println!("documents: {}", stats.documents);
    for (status, n) in &stats.documents_by_status {
        println!("  {status:<12} {n:>7}");
    }
    println!(
        "sidecars: {} ({} unreadable), annotators: {}",
        stats.sidecars,
        stats.unreadable_sidecars,
        if stats.annotators.is_empty() {
            "-".to_owned()
        } else {
            stats.annotators.join(", ")
        }
    );
    println!(
        "spans: {} ({} suggested)",
        stats.spans, stats.suggested_spans
    );
    for (label, n) in &stats.spans_by_label {
        println!("  {label:<12} {n:>7}");
    }
    ExitCode::SUCCESS
}
