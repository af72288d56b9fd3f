//! `hashiya agreement CORPUS [--annotators a,b] [--labels L,M] [--status S,T] [--json]`: every
//! agreement measure of docs/agreement.md, as a table or as one JSON object. Only reads.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::agreement_json::report_json;
use crate::model::agreement::report::AgreementReport;
use crate::model::agreement::{corpus_agreement, AgreementOptions, Figure, SpanFilter};
use crate::model::{DocStatus, TextEncoding};

#[derive(Debug, Clone, clap::Args)]
pub struct AgreementArgs {
    /// The corpus folder (or one article).
    pub corpus: PathBuf,
    /// Compare these annotators, comma-separated (default: everyone with a sidecar).
    #[arg(long, value_delimiter = ',')]
    pub annotators: Vec<String>,
    /// Only spans with these labels, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// Only sidecars with these statuses, comma-separated (e.g. finished,reviewed).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Read the articles in this encoding instead of detecting it.
    #[arg(long, value_parser = super::parse_encoding)]
    pub encoding: Option<TextEncoding>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0, hide = true)]
    pub threads: usize,
}

pub fn run(args: &AgreementArgs) -> ExitCode {
    let mut statuses = Vec::new();
    for s in &args.status {
        match DocStatus::from_name(s) {
            Some(st) => statuses.push(st),
            None => {
                eprintln!(
                    "hashiya agreement: unknown status `{s}` (new, in_progress, finished, reviewed)"
                );
                return ExitCode::from(2);
            }
        }
    }
    let options = AgreementOptions {
        annotators: (!args.annotators.is_empty()).then(|| args.annotators.clone()),
        filter: if args.labels.is_empty() {
            SpanFilter::all()
        } else {
            SpanFilter::labels(args.labels.iter().cloned())
        },
        statuses,
        encoding: args.encoding,
        threads: args.threads,
    };
    let report = match corpus_agreement(&args.corpus, &options, &mut |_, _| {}) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hashiya agreement: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Buffered: the JSON of a large corpus has many lines, and a line-buffered stdout would
    // write each one in its own system call.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report_json(&report))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write_table(&mut out, &report)
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("hashiya agreement: cannot write the output: {e}");
        return ExitCode::FAILURE;
    }
    for p in &report.problems {
        eprintln!("{p}");
    }
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "hashiya agreement: {} file(s) could not be read and were left out",
            report.problems.len()
        );
        ExitCode::FAILURE
    }
}

/// A figure for the table, with its reason when undefined.
fn shown(f: &Figure) -> String {
    match (&f.value, &f.reason) {
        (Some(v), _) => format!("{v:.4}"),
        (None, Some(r)) => format!("-  ({r})"),
        (None, None) => "-".to_owned(),
    }
}

/// How many documents of the lowest agreement the table lists.
const LOWEST: usize = 10;

fn write_table(out: &mut impl Write, r: &AgreementReport) -> std::io::Result<()> {
    writeln!(
        out,
        "Agreement of {} annotator(s) ({}) on {} of {} document(s)",
        r.annotators.len(),
        if r.annotators.is_empty() {
            "-".to_owned()
        } else {
            r.annotators.join(", ")
        },
        r.documents_annotated,
        r.documents_listed
    )?;
    let s = &r.spans;
    writeln!(out, "\nSpans (counted: neither suggested nor rejected)")?;
    writeln!(
        out,
        "  {:<28} {:>6} {:>9} {:>10} {:>7} {:>7} {:>6} {:>9} {:>7}",
        "pair", "docs", "exact F1", "overlap F1", "only A", "only B", "label", "boundary", "clitic"
    )?;
    for p in &s.pairs {
        let c = &p.counts;
        writeln!(
            out,
            "  {:<28} {:>6} {:>9} {:>10} {:>7} {:>7} {:>6} {:>9} {:>7}",
            format!("{} / {}", p.a, p.b),
            p.documents,
            c.exact_f1.to_string(),
            c.overlap_f1.to_string(),
            c.summary.only_a,
            c.summary.only_b,
            c.summary.label_only,
            c.summary.boundary_only,
            c.summary.clitic_only
        )?;
    }
    writeln!(
        out,
        "  all pairs: exact F1 {}, overlap F1 {}",
        shown(&s.counts.exact_f1),
        shown(&s.counts.overlap_f1)
    )?;
    writeln!(
        out,
        "  unitizing α_u: {} ({} document(s) all annotators annotated, {} chars)",
        shown(&s.alpha_u),
        s.alpha_u_documents,
        s.alpha_u_chars
    )?;
    if !s.per_label.is_empty() {
        writeln!(
            out,
            "\n  {:<20} {:>8} {:>9} {:>10}",
            "label", "α_u", "exact F1", "overlap F1"
        )?;
        for (label, l) in &s.per_label {
            writeln!(
                out,
                "  {:<20} {:>8} {:>9} {:>10}",
                label,
                l.alpha_u.to_string(),
                l.counts.exact_f1.to_string(),
                l.counts.overlap_f1.to_string()
            )?;
        }
    }
    let t = &r.tokens;
    writeln!(
        out,
        "\nTokens ({} in documents two or more annotated)",
        t.tokens
    )?;
    for p in &t.cohen_kappa {
        writeln!(
            out,
            "  Cohen's κ {:<28} {} over {} tokens",
            format!("{} / {}", p.a, p.b),
            shown(&p.value),
            p.units
        )?;
    }
    writeln!(
        out,
        "  Fleiss' κ: {} over {} tokens",
        shown(&t.fleiss_kappa),
        t.fleiss_tokens
    )?;
    writeln!(
        out,
        "  Krippendorff's α: {} over {} tokens",
        shown(&t.krippendorff_alpha),
        t.krippendorff_tokens
    )?;
    if !r.document_labels.is_empty() {
        writeln!(out, "\nDocument labels")?;
        for (name, d) in &r.document_labels {
            writeln!(
                out,
                "  {:<20} Krippendorff's α {} over {} unit(s)",
                name,
                shown(&d.krippendorff_alpha),
                d.krippendorff_units
            )?;
        }
    }
    let lowest = r.lowest_documents();
    if !lowest.is_empty() {
        writeln!(out, "\nLowest agreement (exact F1 of the document)")?;
        for d in lowest.iter().take(LOWEST) {
            writeln!(
                out,
                "  {} {:>4} disagreement(s), {} clitic  {}",
                d.figures.exact_f1, d.figures.disagreements, d.figures.clitic_only, d.path
            )?;
        }
    }
    Ok(())
}
