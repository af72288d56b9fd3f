//! `hashiya validate CORPUS`

use std::path::Path;
use std::process::ExitCode;

use crate::model::validate::validate_corpus;
use crate::model::Corpus;

pub fn run(path: &Path, encoding: Option<crate::model::TextEncoding>) -> ExitCode {
    let corpus = match Corpus::open(path) {
        Ok(c) => c,
        Err(e) => {
            println!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let problems = validate_corpus(&corpus, encoding);
    for p in &problems {
        println!("{p}");
    }
    for (path, why) in &corpus.skipped {
        eprintln!("{}: note: {why}", path.display());
    }
    for path in &corpus.recoveries {
        eprintln!(
            "{}: note: unsaved work recovered after a crash; open the article in the app to restore or discard it",
            path.display()
        );
    }
    let sidecars: usize = corpus.entries.iter().map(|e| e.sidecars.len()).sum();
    eprintln!(
        "{} article(s), {} sidecar(s), {} problem(s)",
        corpus.entries.len(),
        sidecars,
        problems.len()
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
