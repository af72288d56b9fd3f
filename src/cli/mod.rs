//! The command line: `hashiya [PATH]` opens the app; subcommands run headless.

mod export;
mod import;
mod stats;
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
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import brat, CoNLL, doccano, Label Studio, token JSONL or classification CSV/JSONL into a
    /// corpus folder (articles + sidecars + schema).
    Import(import::ImportArgs),
    /// Export a corpus to brat, CoNLL, doccano, Label Studio, token JSONL or classification
    /// CSV/JSONL.
    Export(export::ExportArgs),
    /// Check every sidecar against its article and the schema; one line per problem.
    Validate {
        /// The corpus folder (or one article).
        corpus: PathBuf,
    },
    /// Documents per status and spans per label.
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

/// Runs the command line; returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Validate { corpus }) => validate::run(&corpus),
        Some(Command::Stats {
            corpus,
            annotator,
            json,
        }) => stats::run(&corpus, annotator.as_deref(), json),
        None => {
            eprintln!(
                "hashiya: the annotation window is not built yet; use `hashiya validate PATH` or \
                 `hashiya stats PATH` (see `hashiya --help`)"
            );
            ExitCode::from(2)
        }
    }
}
