//! `hashiya agreement CORPUS [--annotators a,b] [--labels L,M] [--status S,T] [--json]`: every
//! agreement measure of docs/agreement.md, as a table or as one JSON object. Only reads.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{json, Map, Value};

use crate::model::agreement::compare::Summary;
use crate::model::agreement::report::{AgreementReport, DocumentAgreement, PairFigure, SpanCounts};
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

// ---- JSON ----

/// Puts a figure under `key`: its value, or `null` and a reason beside it (`KEY_reason`, or
/// `reason` for the key `value`).
fn put(map: &mut Map<String, Value>, key: &str, figure: &Figure) {
    map.insert(
        key.to_owned(),
        figure.value.map_or(Value::Null, Value::from),
    );
    if let Some(reason) = &figure.reason {
        let reason_key = if key == "value" {
            "reason".to_owned()
        } else {
            format!("{key}_reason")
        };
        map.insert(reason_key, Value::from(reason.as_str()));
    }
}

fn summary_json(map: &mut Map<String, Value>, s: &Summary) {
    for (k, v) in [
        ("a_spans", s.a_spans),
        ("b_spans", s.b_spans),
        ("agreed", s.agreed),
        ("only_a", s.only_a),
        ("only_b", s.only_b),
        ("label_only", s.label_only),
        ("boundary_only", s.boundary_only),
        ("clitic_only", s.clitic_only),
    ] {
        map.insert(k.to_owned(), Value::from(v));
    }
}

fn counts_json(map: &mut Map<String, Value>, c: &SpanCounts) {
    put(map, "exact_f1", &c.exact_f1);
    put(map, "overlap_f1", &c.overlap_f1);
    summary_json(map, &c.summary);
}

fn object(fill: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut m = Map::new();
    fill(&mut m);
    Value::Object(m)
}

fn pair_figures_json(list: &[PairFigure], units: &str) -> Value {
    Value::Array(
        list.iter()
            .map(|p| {
                object(|m| {
                    m.insert("a".into(), json!(p.a));
                    m.insert("b".into(), json!(p.b));
                    put(m, "value", &p.value);
                    m.insert(units.into(), json!(p.units));
                })
            })
            .collect(),
    )
}

fn document_json(d: &DocumentAgreement) -> Value {
    object(|m| {
        m.insert("path".into(), json!(d.path));
        m.insert("annotators".into(), json!(d.annotators));
        m.insert("tokens".into(), json!(d.tokens));
        put(m, "exact_f1", &d.figures.exact_f1);
        put(m, "overlap_f1", &d.figures.overlap_f1);
        m.insert("disagreements".into(), json!(d.figures.disagreements));
        m.insert("clitic_only".into(), json!(d.figures.clitic_only));
        put(m, "token_alpha", &d.figures.token_alpha);
    })
}

/// The report as the JSON object of docs/agreement.md.
pub fn report_json(r: &AgreementReport) -> Value {
    let spans = &r.spans;
    let pairs: Vec<Value> = spans
        .pairs
        .iter()
        .map(|p| {
            object(|m| {
                m.insert("a".into(), json!(p.a));
                m.insert("b".into(), json!(p.b));
                m.insert("documents".into(), json!(p.documents));
                counts_json(m, &p.counts);
                let per_label: Map<String, Value> = p
                    .per_label
                    .iter()
                    .map(|(l, c)| (l.clone(), object(|m| counts_json(m, c))))
                    .collect();
                m.insert("per_label".into(), Value::Object(per_label));
                let confusion: Vec<Value> = p
                    .confusion
                    .iter()
                    .map(|c| json!({"a": c.a, "b": c.b, "count": c.count}))
                    .collect();
                m.insert("confusion".into(), Value::Array(confusion));
            })
        })
        .collect();
    let per_label: Map<String, Value> = spans
        .per_label
        .iter()
        .map(|(l, s)| {
            (
                l.clone(),
                object(|m| {
                    put(m, "alpha_u", &s.alpha_u);
                    counts_json(m, &s.counts);
                }),
            )
        })
        .collect();
    let spans_json = object(|m| {
        m.insert("pairs".into(), Value::Array(pairs));
        counts_json(m, &spans.counts);
        put(m, "alpha_u", &spans.alpha_u);
        m.insert("alpha_u_documents".into(), json!(spans.alpha_u_documents));
        m.insert("alpha_u_chars".into(), json!(spans.alpha_u_chars));
        m.insert("per_label".into(), Value::Object(per_label));
    });
    let t = &r.tokens;
    let tokens_json = object(|m| {
        m.insert("tokens".into(), json!(t.tokens));
        m.insert(
            "cohen_kappa".into(),
            pair_figures_json(&t.cohen_kappa, "tokens"),
        );
        put(m, "fleiss_kappa", &t.fleiss_kappa);
        m.insert("fleiss_tokens".into(), json!(t.fleiss_tokens));
        put(m, "krippendorff_alpha", &t.krippendorff_alpha);
        m.insert("krippendorff_tokens".into(), json!(t.krippendorff_tokens));
    });
    let doc_labels: Map<String, Value> = r
        .document_labels
        .iter()
        .map(|(name, d)| {
            (
                name.clone(),
                object(|m| {
                    m.insert("units".into(), json!(d.units));
                    put(m, "krippendorff_alpha", &d.krippendorff_alpha);
                    m.insert("krippendorff_units".into(), json!(d.krippendorff_units));
                    m.insert(
                        "cohen_kappa".into(),
                        pair_figures_json(&d.cohen_kappa, "units"),
                    );
                }),
            )
        })
        .collect();
    object(|m| {
        m.insert("annotators".into(), json!(r.annotators));
        m.insert("documents_listed".into(), json!(r.documents_listed));
        m.insert("documents_annotated".into(), json!(r.documents_annotated));
        m.insert("spans".into(), spans_json);
        m.insert("tokens".into(), tokens_json);
        m.insert("document_labels".into(), Value::Object(doc_labels));
        m.insert(
            "documents".into(),
            Value::Array(r.documents.iter().map(document_json).collect()),
        );
        m.insert("problems".into(), json!(r.problems));
    })
}

// ---- Table ----

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
