//! The command line: `hashiya [PATH]` opens the app; subcommands run headless.

mod agreement;
mod agreement_json;
mod assign;
mod bench_canvas;
mod export;
mod import;
mod merge;
mod progress;
mod report;
mod search;
mod shape;
mod stats;
mod suggest;
mod suggest_eval;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "hashiya",
    version,
    about = "Annotate corpora of Arabic news articles"
)]
pub struct Cli {
    /// A corpus folder or an article file to open in the app.
    pub path: Option<PathBuf>,
    /// Render the first frame with the document shown to this PNG, then exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// Light or dark theme (otherwise as last time).
    #[arg(long, value_enum)]
    pub theme: Option<ThemeArg>,
    /// Annotate as this person (otherwise remembered, or asked once).
    #[arg(long)]
    pub annotator: Option<String>,
    /// Read articles in this encoding (utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6);
    /// otherwise it is detected.
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<crate::model::TextEncoding>,
    /// Start reviewing: show only suggested spans and select the first.
    #[arg(long)]
    pub review: bool,
    /// Curate: build the gold layer (--into) from the annotators' layers; agreed units are
    /// merged on first opening, the disagreements decided one by one.
    #[arg(long)]
    pub curate: bool,
    /// With --curate: the layers to curate (otherwise every layer of the document).
    #[arg(long, value_delimiter = ',', requires = "curate")]
    pub annotators: Vec<String>,
    /// With --curate: the layer the curation goes into.
    #[arg(long, default_value = "gold", requires = "curate")]
    pub into: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Shaping of each paragraph as hb-shape writes it: direction, then `[gid=cluster+advance|…]`
    /// in visual order (clusters are char indices within the paragraph).
    Shape {
        /// An article file.
        file: PathBuf,
    },
    /// Measure the document canvas against its budgets (prints the figures).
    #[command(hide = true)]
    BenchCanvas {
        /// Size of the generated article, MB.
        #[arg(long, default_value_t = 10.0)]
        mb: f64,
        /// Number of spans on it.
        #[arg(long, default_value_t = 100_000)]
        spans: usize,
    },
    /// Import brat, CoNLL, doccano, Label Studio, WebAnno TSV (INCEpTION), Prodigy/spaCy, token
    /// JSONL or classification CSV/JSONL into a corpus folder (articles + sidecars + schema).
    Import(import::ImportArgs),
    /// Export a corpus to brat, CoNLL, doccano, Label Studio, WebAnno TSV (INCEpTION),
    /// Prodigy/spaCy, token JSONL or classification CSV/JSONL.
    Export(export::ExportArgs),
    /// Check every sidecar against its article and the schema; one line per problem.
    Validate {
        /// The corpus folder (or one article).
        corpus: PathBuf,
        /// Read the articles in this encoding instead of detecting it.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<crate::model::TextEncoding>,
    },
    /// Inter-annotator agreement: span F1 and unitizing α, token κ and α, document labels, per
    /// pair, per label and per document (docs/agreement.md).
    Agreement(agreement::AgreementArgs),
    /// A concordance: every hit of QUERY in the corpus with its context (Arabic-aware: diacritics
    /// and tatweel ignored, optional letter folds, whole words with proclitics).
    Search(search::SearchArgs),
    /// Suggest spans into one annotator's layer: learned from counted spans, from gazetteers or
    /// from a model command; never over what the annotator has or rejected.
    Suggest(suggest::SuggestArgs),
    /// How good learned suggestions are: learn from half of a gold layer, suggest on the other
    /// half, print precision and recall per label.
    SuggestEval(suggest_eval::SuggestEvalArgs),
    /// Merge what annotators agree on into one layer (e.g. gold), never removing or changing
    /// what is already there.
    Merge(merge::MergeArgs),
    /// Plan which annotators annotate which documents (a balanced, deterministic plan written
    /// to hashiya-assignments.json at the corpus root).
    Assign(assign::AssignArgs),
    /// Documents per status (per annotator too), spans per label, span and article lengths, and
    /// progress against the assignment plan.
    Stats {
        /// The corpus folder (or one article).
        corpus: PathBuf,
        /// Only this annotator's sidecars.
        #[arg(long)]
        annotator: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn parse_encoding(s: &str) -> Result<crate::model::TextEncoding, String> {
    crate::model::TextEncoding::from_name(s).ok_or_else(|| {
        let known: Vec<&str> = crate::model::TextEncoding::ALL
            .iter()
            .map(|e| e.name())
            .collect();
        format!("unknown encoding `{s}`; known: {}", known.join(", "))
    })
}

/// Runs the command line; returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Agreement(args)) => agreement::run(&args),
        Some(Command::Search(args)) => search::run(&args),
        Some(Command::Suggest(args)) => suggest::run(&args),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Assign(args)) => assign::run(&args),
        Some(Command::SuggestEval(args)) => suggest_eval::run(&args),
        Some(Command::Validate { corpus, encoding }) => validate::run(&corpus, encoding),
        Some(Command::Stats {
            corpus,
            annotator,
            json,
        }) => stats::run(&corpus, annotator.as_deref(), json),
        Some(Command::Shape { file }) => shape::run(&file),
        Some(Command::BenchCanvas { mb, spans }) => bench_canvas::run(mb, spans),
        None => {
            let options = crate::ui::workbench::WorkbenchOptions {
                path: cli.path,
                annotator: cli.annotator,
                encoding: cli.encoding,
                dark: cli.theme.map(|t| t == ThemeArg::Dark),
                screenshot: cli.screenshot,
                review: cli.review,
                curate: cli.curate.then_some(crate::ui::workbench::CurateOptions {
                    annotators: cli.annotators,
                    into: cli.into,
                }),
            };
            match crate::ui::workbench::run_workbench(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("hashiya: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
