//! Interchange with other annotation tools and training pipelines: brat standoff, the CoNLL/BIO
//! family, doccano JSONL, Label Studio JSON, token JSONL and classification CSV/JSONL.
//!
//! Pure conversions: each format module turns foreign files into [`ImportedDoc`]s and
//! [`ExportDoc`]s into output files; [`driver`] ties them to a corpus folder (sidecars, schema).
//! Nothing here knows about egui or cosmic-text. Offsets are chars (code points) everywhere;
//! UTF-16 appears only at the edge of the formats that use it. See docs/formats.md.

pub mod brat;
pub mod classification;
pub mod conll;
pub mod doccano;
pub mod driver;
pub mod label_studio;
pub mod report;
pub mod schema_ext;
pub mod token_jsonl;
pub mod tokenize;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::annotation::{Annotations, DocStatus, ReviewState, Source, Span};
use crate::model::decode::decode;
use crate::model::Document;

pub use report::{Issue, Report, Severity};

/// Why a conversion could not run at all (per-line problems go to the [`Report`] instead).
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{path}: cannot read: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: cannot write: {message}")]
    Write { path: PathBuf, message: String },
    #[error("{0}")]
    Corpus(String),
    #[error("unknown format `{0}`; known: brat, conll, doccano, label-studio, token-jsonl, stance-csv, stance-jsonl, claims-csv, claims-jsonl")]
    UnknownFormat(String),
    #[error("{0}")]
    Usage(String),
}

/// The interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Brat,
    Conll,
    Doccano,
    LabelStudio,
    TokenJsonl,
    StanceCsv,
    StanceJsonl,
    ClaimsCsv,
    ClaimsJsonl,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Brat,
        Format::Conll,
        Format::Doccano,
        Format::LabelStudio,
        Format::TokenJsonl,
        Format::StanceCsv,
        Format::StanceJsonl,
        Format::ClaimsCsv,
        Format::ClaimsJsonl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::TokenJsonl => "token-jsonl",
            Format::StanceCsv => "stance-csv",
            Format::StanceJsonl => "stance-jsonl",
            Format::ClaimsCsv => "claims-csv",
            Format::ClaimsJsonl => "claims-jsonl",
        }
    }

    pub fn from_name(s: &str) -> Result<Self, FormatError> {
        let n = s.to_ascii_lowercase().replace('_', "-");
        let alias = match n.as_str() {
            "bio" | "iob" | "iob2" | "conll2003" | "wojood" => "conll",
            "labelstudio" | "ls" => "label-studio",
            "jsonl" | "hf" => "token-jsonl",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| FormatError::UnknownFormat(s.to_owned()))
    }

    /// Does export write a folder (brat) rather than one file?
    pub fn exports_folder(self) -> bool {
        self == Format::Brat
    }
}

/// How offsets are counted in a format that has a choice (doccano).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetUnit {
    /// Unicode scalar values (Python `str` indices).
    Char,
    /// UTF-16 code units (JavaScript string indices).
    #[default]
    Utf16,
}

impl OffsetUnit {
    pub fn from_name(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "char" | "chars" | "codepoint" | "codepoints" | "code-point" | "code-points" => {
                Some(Self::Char)
            }
            "utf16" | "utf-16" => Some(Self::Utf16),
            _ => None,
        }
    }
}

/// The BIO-family tag schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagScheme {
    Iob1,
    #[default]
    Iob2,
    Bioes,
    Bilou,
}

impl TagScheme {
    pub fn from_name(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "iob1" | "iob" => Some(Self::Iob1),
            "iob2" | "bio" => Some(Self::Iob2),
            "bioes" | "iobes" => Some(Self::Bioes),
            "bilou" => Some(Self::Bilou),
            _ => None,
        }
    }
}

/// Options of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The sidecar the imported annotations go to.
    pub annotator: String,
    /// Offset unit of doccano input.
    pub offset_unit: OffsetUnit,
    /// Status given to imported documents.
    pub status: DocStatus,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            annotator: "imported".into(),
            offset_unit: OffsetUnit::Utf16,
            status: DocStatus::InProgress,
        }
    }
}

/// Options of an export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Whose sidecar to export; `None`: each document's first sidecar (by annotator name).
    pub annotator: Option<String>,
    /// Only documents with one of these statuses (empty: all).
    pub statuses: Vec<DocStatus>,
    pub scheme: TagScheme,
    pub offset_unit: OffsetUnit,
    pub tokenizer: tokenize::Tokenizer,
    /// Also end sentences after `.`, `!`, `?`, `؟` tokens (token formats).
    pub split_sentences: bool,
    /// CoNLL: exactly this many tag columns (padded with `O`); `None`: as many as each token needs
    /// (the Wojood layout; one for flat data).
    pub tag_columns: Option<usize>,
    /// CoNLL: separate columns with a tab instead of a space.
    pub tab_separated: bool,
    /// doccano: which of its layouts to write.
    pub doccano_variant: doccano::Variant,
    /// Classification: `HEADER=FIELD` column choices (see [`classification`]).
    pub columns: Vec<String>,
}

/// A document read from a foreign file, ready to become an article and its sidecar.
#[derive(Debug, Clone)]
pub struct ImportedDoc {
    /// Path of the article to write, relative to the corpus folder (ends in `.txt`).
    pub name: String,
    /// The annotator whose sidecar this is, when the source names one per document (Label Studio's
    /// second and later annotations); `None`: the import's annotator.
    pub annotator: Option<String>,
    pub doc: Document,
    pub annotations: Annotations,
}

/// What an importer produced.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub docs: Vec<ImportedDoc>,
    /// A schema the source itself declares (brat's annotation.conf).
    pub schema: Option<crate::model::Schema>,
}

/// A corpus document with one annotator's annotations, to be exported.
#[derive(Debug, Clone)]
pub struct ExportDoc {
    /// Article path relative to the corpus root, `/`-separated.
    pub relative: String,
    pub doc: Document,
    pub annotations: Annotations,
}

/// One output file of an export, relative to the output path (a single file's name is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: PathBuf,
    pub content: String,
}

/// An export in progress: documents go in one by one, files come out at the end.
pub trait Exporter {
    fn add(&mut self, doc: &ExportDoc, report: &mut Report);
    fn finish(self: Box<Self>, schema: &crate::model::Schema, report: &mut Report) -> Vec<OutFile>;
}

/// Makes an exporter for `format`.
pub fn exporter(format: Format, opts: &ExportOptions) -> Box<dyn Exporter + Send> {
    match format {
        Format::Brat => Box::new(brat::BratExporter::new(opts)),
        Format::Conll => Box::new(conll::ConllExporter::new(opts)),
        Format::Doccano => Box::new(doccano::DoccanoExporter::new(opts)),
        Format::LabelStudio => Box::new(label_studio::LabelStudioExporter::new(opts)),
        Format::TokenJsonl => Box::new(token_jsonl::TokenJsonlExporter::new(opts)),
        Format::StanceCsv | Format::StanceJsonl | Format::ClaimsCsv | Format::ClaimsJsonl => {
            Box::new(classification::ClassificationExporter::new(format, opts))
        }
    }
}

/// Imports `source` (a file or a folder) in `format`.
pub fn import(
    format: Format,
    source: &Path,
    opts: &ImportOptions,
    report: &mut Report,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, FormatError> {
    match format {
        Format::Brat => brat::import(source, opts, report, progress),
        Format::Conll => conll::import(source, opts, report, progress),
        Format::Doccano => doccano::import(source, opts, report, progress),
        Format::LabelStudio => label_studio::import(source, opts, report, progress),
        Format::TokenJsonl => token_jsonl::import(source, opts, report, progress),
        Format::StanceCsv | Format::StanceJsonl | Format::ClaimsCsv | Format::ClaimsJsonl => {
            classification::import(format, source, opts, report, progress)
        }
    }
}

// ---- Helpers shared by the formats ----

/// Files under `source` (or `source` itself) whose names end with one of `exts`, sorted.
pub fn collect_files(source: &Path, exts: &[&str]) -> Result<Vec<PathBuf>, FormatError> {
    if source.is_file() {
        return Ok(vec![source.to_path_buf()]);
    }
    if !source.is_dir() {
        return Err(FormatError::Read {
            path: source.to_path_buf(),
            message: "no such file or folder".into(),
        });
    }
    let mut out = Vec::new();
    let mut stack = vec![source.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| FormatError::Read {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if exts.iter().any(|x| name.to_ascii_lowercase().ends_with(x)) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a text file (UTF-8 with or without BOM, UTF-16 with BOM, legacy Arabic code pages); the
/// BOM is dropped, line ends are kept.
/// Reads a source file as text; a file that cannot be read goes to the report (by name) and gives
/// `None`, so the import goes on with the rest. Returns (display name, text).
pub fn read_or_report(path: &Path, report: &mut Report) -> Option<(String, String)> {
    let file = display(path);
    match read_text(path) {
        Ok(text) => Some((file, text)),
        Err(e) => {
            report.error(&file, None, e.to_string());
            None
        }
    }
}

pub fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes =
        crate::model::safe_read::read_capped(path, crate::model::safe_read::MAX_IMPORT_BYTES)
            .map_err(|e| FormatError::Read {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
    decode(&bytes, None)
        .map(|(t, _)| t)
        .map_err(|e| FormatError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Display name of a file for messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The file stem of `path` relative to `base` (a folder) with `/` separators, for article names.
pub fn relative_stem(base: &Path, path: &Path) -> String {
    let rel = if base.is_dir() {
        path.strip_prefix(base).unwrap_or(path)
    } else {
        Path::new(path.file_name().unwrap_or(path.as_os_str()))
    };
    let s = rel.with_extension("").to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        "document".into()
    } else {
        s
    }
}

/// A span over `pieces` of `doc` (one piece: contiguous), with its covered text; `None` if a piece
/// is empty, reversed or past the end, or pieces overlap or are out of order.
pub fn make_span(
    doc: &Document,
    id: String,
    pieces: Vec<Range<usize>>,
    label: &str,
    source: Source,
    review: ReviewState,
) -> Option<Span> {
    let mut texts = Vec::with_capacity(pieces.len());
    let mut last_end = 0;
    for (k, p) in pieces.iter().enumerate() {
        if p.start >= p.end || (k > 0 && p.start < last_end) {
            return None;
        }
        texts.push(doc.slice(p.clone())?);
        last_end = p.end;
    }
    let first = pieces.first()?.start;
    let last = pieces.last()?.end;
    Some(Span {
        id,
        start: first,
        end: last,
        label: label.to_owned(),
        text: texts.join(" "),
        fragments: if pieces.len() > 1 { pieces } else { Vec::new() },
        source,
        review,
        ..Span::default()
    })
}

/// Comparable content of annotations with ids replaced by the spans' positions: what a round trip
/// must preserve. Spans as (pieces, label, attributes, note, source, review); relations and document
/// labels refer to spans by their (pieces, label).
pub type SpanKey = (Vec<(usize, usize)>, String);

/// A span as compared: position and label, attributes, note.
pub type SpanContent = (SpanKey, Vec<(String, String)>, Option<String>);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Comparable {
    pub spans: Vec<SpanContent>,
    pub relations: Vec<(String, SpanKey, SpanKey)>,
    pub doc_labels: Vec<(String, String, Option<String>)>,
}

/// See [`Comparable`]. Targets that are spans are compared by the span's text.
pub fn comparable(a: &Annotations) -> Comparable {
    let key = |id: &str| -> SpanKey {
        a.span(id)
            .map(|s| {
                (
                    s.pieces().iter().map(|p| (p.start, p.end)).collect(),
                    s.label.clone(),
                )
            })
            .unwrap_or_default()
    };
    let mut spans: Vec<_> = a
        .spans()
        .iter()
        .map(|s| {
            (
                key(&s.id),
                s.attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                s.note.clone(),
            )
        })
        .collect();
    spans.sort();
    let mut relations: Vec<_> = a
        .relations
        .iter()
        .map(|r| (r.kind.clone(), key(&r.from), key(&r.to)))
        .collect();
    relations.sort();
    let mut doc_labels: Vec<_> = a
        .doc_labels
        .iter()
        .map(|d| {
            let target = d.target.as_ref().map(|t| match t {
                crate::model::Target::Text(s) => s.clone(),
                crate::model::Target::Span(id) => {
                    a.span(id).map(|s| s.text.clone()).unwrap_or_default()
                }
            });
            (d.name.clone(), d.value.clone(), target)
        })
        .collect();
    doc_labels.sort();
    Comparable {
        spans,
        relations,
        doc_labels,
    }
}
