//! `hashiya suggest-eval CORPUS --gold NAME [--split documents|paragraphs] [--labels ...]
//! [--min-count N] [--fold-alef] [--json]`: how good the learned matcher is on a gold layer.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use crate::model::search::SearchOptions;
use crate::model::suggest::evaluate::{evaluate, EvalOptions, Evaluation, Score, Split};
use crate::model::suggest::matcher::MatcherOptions;
use crate::model::{sidecar, Corpus};

/// Options of `hashiya suggest-eval`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct SuggestEvalArgs {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The gold layer: learned from on one half, compared with the suggestions on the other.
    #[arg(long)]
    pub gold: String,
    /// The halves: every other document, or every other paragraph of each document (default:
    /// documents, or paragraphs when the corpus has fewer than 20 gold documents).
    #[arg(long)]
    pub split: Option<String>,
    /// Only these labels, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// As `suggest --min-count`.
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,
    /// As `suggest --fold-alef`.
    #[arg(long)]
    pub fold_alef: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &SuggestEvalArgs) -> ExitCode {
    match run_checked(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hashiya suggest-eval: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_checked(args: &SuggestEvalArgs) -> anyhow::Result<ExitCode> {
    if !sidecar::valid_annotator(&args.gold) {
        anyhow::bail!("`{}` is not a valid annotator name", args.gold);
    }
    let corpus = Corpus::open(&args.corpus)?;
    for l in &args.labels {
        corpus.schema.span_label(l)?;
    }
    let gold_docs = corpus
        .entries
        .iter()
        .filter(|e| e.sidecars.iter().any(|s| s.annotator == args.gold))
        .count();
    if gold_docs == 0 {
        anyhow::bail!("no document has a sidecar of `{}`", args.gold);
    }
    let split = match args.split.as_deref() {
        Some("documents") => Split::Documents,
        Some("paragraphs") => Split::Paragraphs,
        Some(other) => anyhow::bail!("unknown split `{other}` (documents or paragraphs)"),
        None if gold_docs < 20 => Split::Paragraphs,
        None => Split::Documents,
    };
    let opts = EvalOptions {
        gold: args.gold.clone(),
        split,
        search: SearchOptions {
            fold_alef: args.fold_alef,
            fold_ta_marbuta: false,
            fold_ya: false,
        },
        matcher: MatcherOptions {
            min_count: args.min_count,
            labels: (!args.labels.is_empty()).then(|| args.labels.iter().cloned().collect()),
        },
    };
    let ev = evaluate(&corpus, &opts, &AtomicBool::new(false));
    for p in &ev.problems {
        eprintln!("{p}");
    }
    if args.json {
        println!("{}", to_json(&ev, split));
    } else {
        print_table(&ev, split);
    }
    Ok(if ev.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn split_name(split: Split) -> &'static str {
    match split {
        Split::Documents => "documents",
        Split::Paragraphs => "paragraphs",
    }
}

fn print_table(ev: &Evaluation, split: Split) {
    println!(
        "{} gold documents; learned {} spans from {} {} ({} texts), suggested on the other {}",
        ev.documents,
        ev.learned_spans,
        ev.learn_units,
        split_name(split),
        ev.entries,
        ev.test_units
    );
    println!(
        "{:<14} {:>7} {:>9} {:>7} {:>9} {:>7} {:>6}",
        "label", "gold", "suggested", "correct", "precision", "recall", "F1"
    );
    let row = |name: &str, s: &Score| {
        println!(
            "{name:<14} {:>7} {:>9} {:>7} {:>9.3} {:>7.3} {:>6.3}",
            s.gold,
            s.suggested,
            s.correct,
            s.precision(),
            s.recall(),
            s.f1()
        )
    };
    for (label, s) in &ev.per_label {
        row(label, s);
    }
    row("all", &ev.total);
    println!(
        "learning {:.0} ms, suggesting {:.0} ms",
        ev.learning_time.as_secs_f64() * 1000.0,
        ev.suggesting_time.as_secs_f64() * 1000.0
    );
}

fn to_json(ev: &Evaluation, split: Split) -> String {
    let score = |s: &Score| {
        serde_json::json!({
            "gold": s.gold, "suggested": s.suggested, "correct": s.correct,
            "precision": s.precision(), "recall": s.recall(), "f1": s.f1(),
        })
    };
    let labels: serde_json::Map<String, serde_json::Value> = ev
        .per_label
        .iter()
        .map(|(l, s)| (l.clone(), score(s)))
        .collect();
    let v = serde_json::json!({
        "split": split_name(split),
        "documents": ev.documents,
        "learn_units": ev.learn_units,
        "test_units": ev.test_units,
        "learned_spans": ev.learned_spans,
        "entries": ev.entries,
        "labels": labels,
        "all": score(&ev.total),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
