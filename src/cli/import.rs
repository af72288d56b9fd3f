//! `hashiya import --format F SOURCE CORPUS`

use std::path::Path;
use std::process::ExitCode;

use super::report::{print_report, progress_printer};
use crate::formats::driver::import_into_corpus;
use crate::formats::{Format, ImportOptions, OffsetUnit};
use crate::model::DocStatus;

/// Options of `hashiya import`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// brat, conll, doccano, label-studio, webanno-tsv, prodigy, token-jsonl, stance-csv,
    /// stance-jsonl, claims-csv, claims-jsonl.
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
    /// Replace the sidecars the annotator already has (each old one is kept beside it as
    /// `<sidecar>.bak`); without it those documents are left as they are, and listed.
    #[arg(long)]
    pub replace: bool,
    /// Print every note (token splits, schema additions...), not only problems.
    #[arg(long, short)]
    pub verbose: bool,
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
        replace: args.replace,
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
