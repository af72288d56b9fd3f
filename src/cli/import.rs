//! `hashiya import --format F SOURCE CORPUS`

use std::path::Path;
use std::process::ExitCode;

use crate::formats::driver::{import_into_corpus, Stage};
use crate::formats::{Format, ImportOptions, OffsetUnit, Report};
use crate::model::DocStatus;

/// Options of `hashiya import`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// brat, conll, doccano, label-studio, token-jsonl, stance-csv, stance-jsonl, claims-csv,
    /// claims-jsonl.
    #[arg(long, short)]
    pub format: String,
    /// The file or folder to read.
    pub source: std::path::PathBuf,
    /// The corpus folder to write articles and sidecars into (created if needed).
    pub corpus: std::path::PathBuf,
    /// Annotator name of the sidecars written.
    #[arg(long, default_value = "imported")]
    pub annotator: String,
    /// Offset unit of doccano input: utf16 (default) or char.
    #[arg(long, default_value = "utf16")]
    pub offset_unit: String,
    /// Status given to imported documents: new, in_progress, finished, reviewed.
    #[arg(long, default_value = "in_progress")]
    pub set_status: String,
    /// Print every note (token splits, schema additions...), not only problems.
    #[arg(long, short)]
    pub verbose: bool,
}

pub(crate) fn progress_printer() -> impl FnMut(Stage, usize, usize) {
    let mut bar = super::progress::Bar::new();
    move |stage, done, total| {
        let word = match stage {
            Stage::Reading => "reading",
            Stage::Writing => "writing",
            Stage::Exporting => "exporting",
        };
        bar.draw(word, done, total);
    }
}

pub(crate) fn print_report(report: &Report, verbose: bool) -> ExitCode {
    let mut shown = 0;
    for i in &report.issues {
        if verbose || i.severity != crate::formats::Severity::Note {
            if shown < 200 || verbose {
                eprintln!("{i}");
            }
            shown += 1;
        }
    }
    if shown > 200 && !verbose {
        eprintln!("... {} more (use --verbose)", shown - 200);
    }
    println!("{}", report.summary());
    if report.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let format = match Format::from_name(&args.format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("hashiya import: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(offset_unit) = OffsetUnit::from_name(&args.offset_unit) else {
        eprintln!(
            "hashiya import: unknown offset unit `{}` (utf16 or char)",
            args.offset_unit
        );
        return ExitCode::from(2);
    };
    let Some(status) = DocStatus::from_name(&args.set_status) else {
        eprintln!("hashiya import: unknown status `{}`", args.set_status);
        return ExitCode::from(2);
    };
    let opts = ImportOptions {
        annotator: args.annotator.clone(),
        offset_unit,
        status,
    };
    match import_into_corpus(
        format,
        Path::new(&args.source),
        Path::new(&args.corpus),
        &opts,
        &mut progress_printer(),
    ) {
        Ok(report) => print_report(&report, args.verbose),
        Err(e) => {
            eprintln!("hashiya import: {e}");
            ExitCode::FAILURE
        }
    }
}
