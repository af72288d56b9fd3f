//! The command line: `hashiya [PATH]` opens the app; subcommands run headless.

mod bench_canvas;
mod shape;
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
    /// Render the first frame with the document shown to this PNG, then exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// Light or dark theme.
    #[arg(long, value_enum, default_value = "light")]
    pub theme: ThemeArg,
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
        Some(Command::Validate { corpus }) => validate::run(&corpus),
        Some(Command::Stats {
            corpus,
            annotator,
            json,
        }) => stats::run(&corpus, annotator.as_deref(), json),
        Some(Command::Shape { file }) => shape::run(&file),
        Some(Command::BenchCanvas { mb, spans }) => bench_canvas::run(mb, spans),
        None => {
            let Some(path) = cli.path else {
                eprintln!(
                    "hashiya: give a corpus folder or an article file (see `hashiya --help`)"
                );
                return ExitCode::from(2);
            };
            let theme = match cli.theme {
                ThemeArg::Light => crate::ui::viewer::ViewerTheme::Light,
                ThemeArg::Dark => crate::ui::viewer::ViewerTheme::Dark,
            };
            match crate::ui::viewer::run_viewer(&path, cli.screenshot, theme) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("hashiya: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
