//! `hashiya merge CORPUS --annotators A,B[,C...] --into NAME [--min-agree N]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use super::progress::bar;
use crate::model::corpus::list;
use crate::model::merge::corpus::{merge_articles, MergeRun, MergeSummary};
use crate::model::merge::{MergeOutcome, MergeRule};
use crate::model::Schema;

/// Options of `hashiya merge`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The corpus folder (or one article).
    pub corpus: PathBuf,
    /// The annotators whose layers are merged, comma-separated (their sidecars are only read).
    #[arg(long, value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// The layer merged into (e.g. gold); what is already there is never removed or changed.
    #[arg(long)]
    pub into: String,
    /// A unit is merged when at least N of the annotators with a sidecar for the document made
    /// it (default: all of them).
    #[arg(long)]
    pub min_agree: Option<usize>,
    /// Print only the totals, not a line per document.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as JSON (a record per document, and the totals).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &MergeArgs) -> ExitCode {
    // The file names only: every sidecar is read once, by the merge.
    let listing = match list(&args.corpus) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("hashiya merge: {e}");
            return ExitCode::from(2);
        }
    };
    let schema = match Schema::for_corpus(&listing.root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("note: {e}; using the built-in schema");
            Schema::builtin()
        }
    };
    if args.min_agree == Some(0) {
        eprintln!("hashiya merge: --min-agree must be at least 1");
        return ExitCode::from(2);
    }
    let run = MergeRun {
        annotators: args.annotators.clone(),
        into: args.into.clone(),
        rule: MergeRule {
            min_agree: args.min_agree,
        },
    };
    let merged = merge_articles(
        &listing.articles,
        &schema,
        &run,
        &mut bar("merging"),
        &AtomicBool::new(false),
    );
    let summary = match merged {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hashiya merge: {e}");
            return ExitCode::from(2);
        }
    };
    for p in &summary.problems {
        eprintln!("{p}");
    }
    let code = if summary.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    if args.json {
        println!("{}", to_json(&summary));
        return code;
    }
    if !args.quiet {
        for d in &summary.documents {
            println!(
                "{} ({}): merged {}; open disagreements: {}",
                d.relative,
                d.layers.join(", "),
                counts(&d.outcome, false),
                counts(&d.outcome, true)
            );
        }
    }
    let t = &summary.total;
    println!(
        "merged into {}: {} in {} documents ({} sidecars written); open disagreements: {}",
        args.into,
        counts(t, false),
        summary.documents.len(),
        summary.written,
        counts(t, true),
    );
    if t.kept_decisions > 0 {
        println!(
            "agreed but already decided in {}'s layer (kept as it is): {}",
            args.into, t.kept_decisions
        );
    }
    if summary.without_layers > 0 {
        println!(
            "documents without a sidecar of {}: {}",
            args.annotators.join(", "),
            summary.without_layers
        );
    }
    code
}

fn outcome_json(o: &MergeOutcome) -> serde_json::Value {
    serde_json::json!({
        "merged": {"spans": o.spans, "relations": o.relations, "document_labels": o.doc_labels},
        "open": {"spans": o.open_spans, "relations": o.open_relations, "document_labels": o.open_doc_labels},
        "kept_decisions": o.kept_decisions,
    })
}

fn to_json(s: &MergeSummary) -> String {
    let documents: Vec<serde_json::Value> = s
        .documents
        .iter()
        .map(|d| {
            let mut v = outcome_json(&d.outcome);
            v["document"] = d.relative.clone().into();
            v["layers"] = d.layers.clone().into();
            v
        })
        .collect();
    let v = serde_json::json!({
        "documents": documents,
        "total": outcome_json(&s.total),
        "written": s.written,
        "without_layers": s.without_layers,
        "problems": s.problems,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn counts(o: &MergeOutcome, open: bool) -> String {
    let (s, r, d) = if open {
        (o.open_spans, o.open_relations, o.open_doc_labels)
    } else {
        (o.spans, o.relations, o.doc_labels)
    };
    let total = s + r + d;
    if total == 0 {
        return "0".to_owned();
    }
    format!("{total} ({s} spans, {r} relations, {d} document labels)")
}
