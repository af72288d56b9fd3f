//! What `hashiya import` and `hashiya export` print: a progress bar on a terminal, the problems,
//! and the closing summary.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::formats::driver::Stage;
use crate::formats::{Report, Severity};

/// At most this many problems are printed without `--verbose`.
const SHOWN: usize = 200;

/// A progress bar on stderr when it is a terminal (nothing otherwise), redrawn at most every
/// 100 ms.
pub fn progress_printer() -> impl FnMut(Stage, usize, usize) {
    let tty = std::io::stderr().is_terminal();
    let mut last = std::time::Instant::now();
    move |stage, done, total| {
        if !tty {
            return;
        }
        let now = std::time::Instant::now();
        if done < total && now.duration_since(last).as_millis() < 100 {
            return;
        }
        last = now;
        let word = match stage {
            Stage::Reading => "reading",
            Stage::Writing => "writing",
            Stage::Exporting => "exporting",
        };
        let width = 30usize;
        let filled = (done * width)
            .checked_div(total)
            .unwrap_or(width)
            .min(width);
        eprint!(
            "\r{word:<9} [{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        if done >= total {
            eprintln!();
        }
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
