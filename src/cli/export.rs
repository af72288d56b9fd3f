//! `hashiya export --format F CORPUS OUT`

use std::path::Path;
use std::process::ExitCode;

use super::report::{print_report, progress_printer};
use crate::formats::driver::export_corpus;
use crate::formats::tokenize::Tokenizer;
use crate::formats::{ExportOptions, Format, OffsetUnit, TagScheme};
use crate::model::DocStatus;

/// Options of `hashiya export`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// brat, conll, doccano, label-studio, webanno-tsv, prodigy, token-jsonl, stance-csv,
    /// stance-jsonl, claims-csv, claims-jsonl.
    #[arg(long, short)]
    pub format: String,
    /// The corpus folder (or one article).
    pub corpus: std::path::PathBuf,
    /// The output file (a folder for brat and webanno-tsv). Never the corpus folder, inside it,
    /// an article or a sidecar.
    pub out: std::path::PathBuf,
    /// Export this annotator's sidecars (default: each document's first sidecar).
    #[arg(long)]
    pub annotator: Option<String>,
    /// Only documents with these statuses, comma-separated (e.g. finished,reviewed).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Tag scheme of token formats: iob1, iob2 (bio), bioes (iobes), bilou.
    #[arg(long, default_value = "iob2")]
    pub scheme: String,
    /// Offset unit of doccano output: utf16 (default) or char.
    #[arg(long, default_value = "utf16")]
    pub offset_unit: String,
    /// Tokenizer of token formats: recorded (default: the tokens a document came with from a
    /// token format, else arabic), arabic or whitespace.
    #[arg(long, default_value = "recorded")]
    pub tokenizer: String,
    /// Also end sentences after `.`, `!`, `?`, `؟` (token formats); lines always end them.
    #[arg(long)]
    pub split_sentences: bool,
    /// CoNLL: exactly N tag columns, padded with O (default: as many as each token needs).
    #[arg(long)]
    pub tag_columns: Option<usize>,
    /// CoNLL: separate columns with a tab instead of a space.
    #[arg(long)]
    pub tab: bool,
    /// doccano layout: spans (`label: [[s, e, L]]`), relations (`entities`, `relations`) or
    /// classification (`label: ["name:value"]`).
    #[arg(long, default_value = "spans")]
    pub doccano_variant: String,
    /// Classification formats: columns as HEADER=FIELD (FIELD: text, target, label, source,
    /// attr:NAME), comma-separated, e.g. `s1=target,s2=text,stance=label`.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Print every note (token splits...), not only problems.
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let usage = |m: String| {
        eprintln!("hashiya export: {m}");
        ExitCode::from(2)
    };
    let format = match Format::from_name(&args.format) {
        Ok(f) => f,
        Err(e) => return usage(e.to_string()),
    };
    let Some(scheme) = TagScheme::from_name(&args.scheme) else {
        return usage(format!(
            "unknown tag scheme `{}` (iob1, iob2, bioes, bilou)",
            args.scheme
        ));
    };
    let Some(offset_unit) = OffsetUnit::from_name(&args.offset_unit) else {
        return usage(format!(
            "unknown offset unit `{}` (utf16 or char)",
            args.offset_unit
        ));
    };
    let Some(tokenizer) = Tokenizer::from_name(&args.tokenizer) else {
        return usage(format!(
            "unknown tokenizer `{}` (recorded, arabic or whitespace)",
            args.tokenizer
        ));
    };
    let Some(doccano_variant) = crate::formats::doccano::Variant::from_name(&args.doccano_variant)
    else {
        return usage(format!(
            "unknown doccano variant `{}` (spans, relations, classification)",
            args.doccano_variant
        ));
    };
    let mut statuses = Vec::new();
    for s in &args.status {
        match DocStatus::from_name(s) {
            Some(st) => statuses.push(st),
            None => return usage(format!("unknown status `{s}`")),
        }
    }
    let opts = ExportOptions {
        annotator: args.annotator.clone(),
        statuses,
        scheme,
        offset_unit,
        tokenizer,
        split_sentences: args.split_sentences,
        tag_columns: args.tag_columns,
        tab_separated: args.tab,
        doccano_variant,
        columns: args.columns.clone(),
    };
    match export_corpus(
        format,
        Path::new(&args.corpus),
        Path::new(&args.out),
        &opts,
        &mut progress_printer(),
    ) {
        Ok(report) => print_report(&report, args.verbose),
        Err(e) => {
            eprintln!("hashiya export: {e}");
            ExitCode::FAILURE
        }
    }
}
