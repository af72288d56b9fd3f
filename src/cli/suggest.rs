//! `hashiya suggest CORPUS --into ANNOTATOR [--learn-from a,b] [--learn-status ...]
//! [--gazetteer FILE] [--command CMD] [--labels ...] [--min-count N]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::progress::bar;
use crate::model::search::SearchOptions;
use crate::model::suggest::corpus::{suggest_corpus, SuggestRun, SuggestSummary};
use crate::model::suggest::learn::LearnOptions;
use crate::model::suggest::matcher::MatcherOptions;
use crate::model::suggest::sources::{build_sources, SourcePlan};
use crate::model::{sidecar, Corpus, DocStatus};

/// Options of `hashiya suggest`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct SuggestArgs {
    /// The corpus folder (or one article).
    pub corpus: PathBuf,
    /// The annotator whose layer gets the suggestions (e.g. `model`, or your own name).
    #[arg(long)]
    pub into: String,
    /// Learn from the counted spans of these annotators, comma-separated. Without --learn-from,
    /// --gazetteer or --command, the --into annotator's own spans are learned.
    #[arg(long, value_delimiter = ',')]
    pub learn_from: Vec<String>,
    /// Learn only from documents with these statuses (of the sidecar learned from),
    /// comma-separated, e.g. `finished,reviewed`.
    #[arg(long, value_delimiter = ',')]
    pub learn_status: Vec<String>,
    /// A gazetteer: `text<TAB>label` lines, `#` comments (may be given several times).
    #[arg(long)]
    pub gazetteer: Vec<PathBuf>,
    /// A model command speaking JSON lines on stdin/stdout (see docs/suggestions.md), run
    /// through the shell.
    #[arg(long)]
    pub command: Option<String>,
    /// Seconds to wait for each answer of the model command.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,
    /// Only suggest these labels, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// A learned or listed text suggests its label only if seen with it at least N times.
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,
    /// Let alef forms (أ إ آ ٱ) match ا (diacritics and tatweel are always ignored).
    #[arg(long)]
    pub fold_alef: bool,
    /// Print every problem, not only the first 200.
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(args: &SuggestArgs) -> ExitCode {
    match run_checked(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hashiya suggest: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_checked(args: &SuggestArgs) -> anyhow::Result<ExitCode> {
    let corpus = Corpus::open(&args.corpus)?;
    for name in std::iter::once(&args.into).chain(&args.learn_from) {
        if !sidecar::valid_annotator(name) {
            anyhow::bail!(
                "`{name}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)"
            );
        }
    }
    if let Some(e) = &corpus.schema_error {
        eprintln!("note: {e}; using the built-in schema");
    }
    for l in &args.labels {
        corpus.schema.span_label(l)?;
    }
    let labels = (!args.labels.is_empty()).then(|| args.labels.iter().cloned().collect());
    let search = SearchOptions {
        fold_alef: args.fold_alef,
        fold_ta_marbuta: false,
        fold_ya: false,
    };
    let matcher_opts = MatcherOptions {
        min_count: args.min_count,
        labels: labels.clone(),
    };
    let cancel = AtomicBool::new(false);
    let mut learn_from = args.learn_from.clone();
    if learn_from.is_empty() && args.gazetteer.is_empty() && args.command.is_none() {
        learn_from.push(args.into.clone());
    }
    let mut statuses = Vec::new();
    for name in &args.learn_status {
        match DocStatus::from_name(name) {
            Some(s) => statuses.push(s),
            None => anyhow::bail!("unknown status `{name}` (new, in_progress, finished, reviewed)"),
        }
    }
    let command = match &args.command {
        Some(cmd) => {
            if !(args.timeout.is_finite() && args.timeout > 0.0) {
                anyhow::bail!("--timeout must be a positive number of seconds");
            }
            Some((
                cmd.clone(),
                Duration::from_secs_f64(args.timeout.min(86_400.0)),
            ))
        }
        None => None,
    };
    let plan = SourcePlan {
        learn: vec![LearnOptions {
            annotators: learn_from,
            search,
            labels,
            statuses,
        }],
        gazetteers: args.gazetteer.clone(),
        command,
        search,
        matcher: matcher_opts,
    };
    let built = build_sources(&corpus, &plan, &mut bar("learning"), &cancel)?;
    for n in &built.notes {
        println!("{n}");
    }
    let mut problems = built.problems.clone();
    let sources = built.as_suggesters();
    let run = SuggestRun {
        into: args.into.clone(),
        in_order: built.in_order(),
    };
    let summary = suggest_corpus(&corpus, &run, &sources, &mut bar("suggesting"), &cancel)?;
    let failure = built.finish();
    problems.extend(summary.problems.iter().cloned());
    print_problems(&problems, args.verbose);
    print_summary(&summary, &args.into, problems.len());
    if let Some(why) = failure {
        eprintln!("hashiya suggest: {why}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_problems(problems: &[String], verbose: bool) {
    for p in problems.iter().take(if verbose { usize::MAX } else { 200 }) {
        eprintln!("{p}");
    }
    if !verbose && problems.len() > 200 {
        eprintln!("... {} more (use --verbose)", problems.len() - 200);
    }
}

fn print_summary(s: &SuggestSummary, into: &str, problems: usize) {
    println!(
        "suggested {} spans in {} of {} documents into {into}'s layer{}",
        s.total_suggested(),
        s.documents_changed,
        s.documents,
        if s.cancelled { " (cancelled)" } else { "" }
    );
    for (label, n) in &s.suggested {
        println!("  {label:<12} {n:>7}");
    }
    if !s.skipped.is_empty() {
        println!("not suggested:");
        for (why, n) in &s.skipped {
            println!("  {n:>7} × {why}");
        }
    }
    if problems > 0 {
        println!("problems: {problems} (on stderr)");
    }
}
