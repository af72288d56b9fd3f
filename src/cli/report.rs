//! What `hashiya import` and `hashiya export` print: a progress bar on a terminal, the problems,
//! and the closing summary.

use std::process::ExitCode;

use crate::formats::driver::Stage;
use crate::formats::{Report, Severity};

/// At most this many problems are printed without `--verbose`.
const SHOWN: usize = 200;

/// A progress bar on stderr when it is a terminal (nothing otherwise), named by the stage.
pub fn progress_printer() -> impl FnMut(Stage, usize, usize) {
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

/// Prints the problems (notes only with `verbose`) on stderr and the summary on stdout; exit
/// status 1 when anything could not be converted.
pub fn print_report(report: &Report, verbose: bool) -> ExitCode {
    let mut shown = 0;
    for i in &report.issues {
        if verbose || i.severity != Severity::Note {
            if shown < SHOWN || verbose {
                eprintln!("{i}");
            }
            shown += 1;
        }
    }
    if shown > SHOWN && !verbose {
        eprintln!("... {} more (use --verbose)", shown - SHOWN);
    }
    println!("{}", report.summary());
    if report.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
