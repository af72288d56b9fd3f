//! `hashiya search CORPUS QUERY [--fold alef,ta-marbuta,ya] [--whole-word] [--label L]
//! [--annotator NAME] [--context N] [--json]`: a concordance (keyword in context) over a corpus.
//!
//! Plain output is one line per hit, `path:start-end  left [match] right`; with `--json`, one
//! object per line: `path` (relative to the corpus), `start`, `end` (code points, end exclusive),
//! `text`, `left`, `right`. Documents are searched on every core and streamed in corpus order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use crate::model::concordance::{search_corpus, ConcordanceQuery, Hit};
use crate::model::search::SearchOptions;
use crate::model::Corpus;

/// A fold besides diacritics and tatweel (which are always ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Fold {
    /// أ إ آ ٱ match ا.
    Alef,
    /// ة matches ه.
    TaMarbuta,
    /// ى matches ي.
    Ya,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The corpus folder (or one article).
    pub corpus: PathBuf,
    /// What to look for; diacritics and tatweel are ignored in it and in the text.
    pub query: String,
    /// Also fold these letters (comma-separated): alef, ta-marbuta, ya.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub fold: Vec<Fold>,
    /// Whole words only; a word may carry attached proclitics (و ف ب ل ك ال: وبواشنطن is a hit
    /// for واشنطن), which the hit leaves out.
    #[arg(long)]
    pub whole_word: bool,
    /// Only hits inside a span labelled L (suggested or accepted, not rejected) of any annotator,
    /// or of --annotator.
    #[arg(long, value_name = "L")]
    pub label: Option<String>,
    /// With --label: only this annotator's spans.
    #[arg(long, requires = "label")]
    pub annotator: Option<String>,
    /// Chars of context on each side (never beyond the paragraph).
    #[arg(long, default_value_t = 40)]
    pub context: usize,
    /// One JSON object per line instead of text lines.
    #[arg(long)]
    pub json: bool,
    /// Read the articles in this encoding instead of detecting it.
    #[arg(long, value_parser = super::parse_encoding)]
    pub encoding: Option<crate::model::TextEncoding>,
}

#[derive(serde::Serialize)]
struct JsonHit<'a> {
    path: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
}

/// Text for a plain line: tabs, line breaks and other control chars become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn run(args: &SearchArgs) -> ExitCode {
    let corpus = match Corpus::open(&args.corpus) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hashiya search: {e}");
            return ExitCode::FAILURE;
        }
    };
    let query = ConcordanceQuery {
        query: args.query.clone(),
        options: SearchOptions {
            fold_alef: args.fold.contains(&Fold::Alef),
            fold_ta_marbuta: args.fold.contains(&Fold::TaMarbuta),
            fold_ya: args.fold.contains(&Fold::Ya),
        },
        whole_word: args.whole_word,
        label: args.label.clone(),
        annotator: args.annotator.clone(),
        context: args.context,
        encoding: args.encoding,
    };
    if query.query.trim().is_empty() {
        eprintln!("hashiya search: the query is empty");
        return ExitCode::FAILURE;
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let mut write_error = None;
    let stop = AtomicBool::new(false);
    search_corpus(&corpus, &query, threads, &stop, |entry, result| {
        for w in &result.warnings {
            eprintln!("hashiya search: {w} (its spans are not searched)");
        }
        let hits = match result.hits {
            Ok(h) => h,
            Err(e) => {
                eprintln!("hashiya search: {e}");
                failed = true;
                return;
            }
        };
        for hit in &hits {
            let written = if args.json {
                serde_json::to_string(&JsonHit {
                    path: &entry.relative,
                    hit,
                })
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}"))
            } else {
                writeln!(
                    out,
                    "{}:{}-{}  {} [{}] {}",
                    entry.relative,
                    hit.start,
                    hit.end,
                    one_line(&hit.left),
                    one_line(&hit.text),
                    one_line(&hit.right)
                )
            };
            if let Err(e) = written {
                write_error = Some(e);
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                return;
            }
        }
    });
    if let Some(e) = write_error.or_else(|| out.flush().err()) {
        // A closed pipe (`| head`) is a normal end.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("hashiya search: cannot write the results: {e}");
            return ExitCode::FAILURE;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
