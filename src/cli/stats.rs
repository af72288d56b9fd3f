//! `hashiya stats CORPUS [--annotator NAME] [--json]`

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use crate::model::histogram::Histogram;
use crate::model::stats::{corpus_stats, document_lengths, AssignmentStats};
use crate::model::Corpus;

pub fn run(path: &Path, annotator: Option<&str>, json: bool) -> ExitCode {
    let corpus = match Corpus::open(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stats = corpus_stats(&corpus, annotator);
    let (lengths, unreadable) = document_lengths(&corpus, &AtomicBool::new(false));
    for p in &unreadable {
        eprintln!("{p}");
    }
    stats.document_lengths = Some(lengths);
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
    print_lengths("span lengths (chars)", &stats.span_lengths);
    if let Some(h) = &stats.document_lengths {
        print_lengths("document lengths (chars)", h);
    }
    if let Some(e) = &stats.assignments_error {
        eprintln!("assignments: {e}");
    }
    if let Some(a) = &stats.assignments {
        print_assignments(a);
    }
    ExitCode::SUCCESS
}

fn print_lengths(title: &str, h: &Histogram) {
    if h.values == 0 {
        return;
    }
    println!("{title}: min {}, median {}, max {}", h.min, h.median, h.max);
    for (k, n) in h.counts.iter().enumerate() {
        if *n > 0 {
            println!("  {:<12} {n:>7}", h.bin_name(k));
        }
    }
}

fn print_assignments(a: &AssignmentStats) {
    println!(
        "assignments ({} per document): done = finished or reviewed",
        a.per_document
    );
    println!(
        "  {:<16} {:>8} {:>6} {:>6} {:>12} {:>9} {:>9}",
        "annotator", "assigned", "done", "new", "in_progress", "finished", "reviewed"
    );
    for (name, p) in &a.annotators {
        let n = |s: &str| p.by_status.get(s).copied().unwrap_or(0);
        println!(
            "  {name:<16} {:>8} {:>6} {:>6} {:>12} {:>9} {:>9}",
            p.assigned,
            p.done,
            n("new"),
            n("in_progress"),
            n("finished"),
            n("reviewed")
        );
    }
    if a.unassigned_documents > 0 {
        println!(
            "  {} documents are not in the plan (run `hashiya assign` again to assign them)",
            a.unassigned_documents
        );
    }
    if a.missing_documents > 0 {
        println!(
            "  {} documents of the plan are not in the corpus",
            a.missing_documents
        );
    }
}
