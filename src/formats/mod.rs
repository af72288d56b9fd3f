//! Interchange with other annotation tools and training pipelines: brat standoff, the CoNLL/BIO
//! family, doccano JSONL, Label Studio JSON, WebAnno TSV 3.3 (INCEpTION), Prodigy/spaCy JSONL,
//! token JSONL and classification CSV/JSONL.
//!
//! Pure conversions: each format module turns foreign files into [`ImportedDoc`]s and
//! [`ExportDoc`]s into output bytes; [`driver`] ties them to a corpus folder (sidecars, schema).
//! Nothing here knows about egui or cosmic-text. Offsets are chars (code points) everywhere;
//! UTF-16 appears only at the edge of the formats that use it. See docs/formats.md.

pub mod brat;
pub mod classification;
pub mod conll;
pub mod doccano;
pub mod driver;
pub mod label_studio;
pub mod names;
pub mod output;
pub mod prodigy;
pub mod report;
pub mod schema_ext;
pub mod source;
pub mod token_jsonl;
pub mod tokenize;
pub mod webanno_tsv;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::annotation::{Annotations, DocStatus, ReviewState, Source, Span};
use crate::model::{Document, Schema};

pub use output::{MemoryOutput, OutFile, Output};
pub use report::{Issue, Report, Severity};
pub use source::{display, read_text, relative_stem};

/// Why a conversion could not run at all (per-line problems go to the [`Report`] instead).
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{path}: cannot read: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: cannot write: {message}")]
    Write { path: PathBuf, message: String },
    #[error("{0}")]
    Corpus(String),
    #[error("unknown format `{0}`; known: brat, conll, doccano, label-studio, webanno-tsv, prodigy, token-jsonl, stance-csv, stance-jsonl, claims-csv, claims-jsonl")]
    UnknownFormat(String),
    #[error("{0}")]
    Usage(String),
    /// The export's output path is the corpus, inside it, or an article or sidecar: nothing was
    /// written.
    #[error("{path}: {reason}; nothing written")]
    UnsafeOutput { path: PathBuf, reason: String },
}

/// The interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Brat,
    Conll,
    Doccano,
    LabelStudio,
    WebannoTsv,
    Prodigy,
    TokenJsonl,
    StanceCsv,
    StanceJsonl,
    ClaimsCsv,
    ClaimsJsonl,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::Brat,
        Format::Conll,
        Format::Doccano,
        Format::LabelStudio,
        Format::WebannoTsv,
        Format::Prodigy,
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
            Format::WebannoTsv => "webanno-tsv",
            Format::Prodigy => "prodigy",
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
            "webanno" | "tsv" | "tsv3" | "inception" | "webanno-tsv3" => "webanno-tsv",
            "spacy" | "prodigy-jsonl" => "prodigy",
            "jsonl" | "hf" => "token-jsonl",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| FormatError::UnknownFormat(s.to_owned()))
    }

    /// Does export write a folder (brat, WebAnno TSV: one file per document) rather than one file?
    pub fn exports_folder(self) -> bool {
        matches!(self, Format::Brat | Format::WebannoTsv)
    }

    /// Can this format hold any label name (spaces and all), so that an export writes back the
    /// names labels had in the tool they came from? brat and space-separated CoNLL cannot.
    pub fn holds_any_name(self, opts: &ExportOptions) -> bool {
        match self {
            Format::Brat => false,
            Format::Conll => opts.tab_separated,
            _ => true,
        }
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
    /// Replace a sidecar the annotator already has (keeping the old one as a backup beside it).
    /// Without it such a document is left as it is and reported.
    pub replace: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            annotator: "imported".into(),
            offset_unit: OffsetUnit::Utf16,
            status: DocStatus::InProgress,
            replace: false,
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
    pub schema: Option<Schema>,
}

/// A corpus document with one annotator's annotations, to be exported.
#[derive(Debug, Clone)]
pub struct ExportDoc {
    /// Article path relative to the corpus root, `/`-separated.
    pub relative: String,
    pub doc: Document,
    pub annotations: Annotations,
}

/// A format's export, in three steps so that documents can be converted on several threads while
/// the output is written in corpus order as it comes (never all of it in memory).
pub trait Exporter: Sync {
    /// One document converted, ready to be written.
    type Doc: Send;
    /// What the writing keeps from one document to the next (labels seen, whether anything was
    /// written yet...).
    type State: Default;
    /// Converts one document. Pure: runs on any thread, for documents in any order.
    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Self::Doc;
    /// Writes a converted document; called in corpus order.
    fn write(
        &self,
        state: &mut Self::State,
        doc: Self::Doc,
        out: &mut dyn Output,
        report: &mut Report,
    ) -> std::io::Result<()>;
    /// Writes what follows the last document (closing bracket, label list, annotation.conf).
    fn finish(
        &self,
        state: Self::State,
        schema: &Schema,
        out: &mut dyn Output,
        report: &mut Report,
    ) -> std::io::Result<()>;
}

/// Something to do with the exporter of a format (see [`with_exporter`]).
pub trait WithExporter {
    type Out;
    fn with<E: Exporter>(self, exporter: E) -> Self::Out;
}

/// Makes the exporter of `format` and hands it to `w`.
pub fn with_exporter<W: WithExporter>(
    format: Format,
    opts: &ExportOptions,
    schema: &Schema,
    w: W,
) -> W::Out {
    match format {
        Format::Brat => w.with(brat::BratExporter::new(opts)),
        Format::Conll => w.with(conll::ConllExporter::new(opts)),
        Format::Doccano => w.with(doccano::DoccanoExporter::new(opts)),
        Format::LabelStudio => w.with(label_studio::LabelStudioExporter::new(opts)),
        Format::WebannoTsv => w.with(webanno_tsv::TsvExporter::new(opts)),
        Format::Prodigy => w.with(prodigy::ProdigyExporter::new(opts)),
        Format::TokenJsonl => w.with(token_jsonl::TokenJsonlExporter::new(opts, schema)),
        Format::StanceCsv | Format::StanceJsonl | Format::ClaimsCsv | Format::ClaimsJsonl => {
            w.with(classification::ClassificationExporter::new(format, opts))
        }
    }
}

/// Exports documents held in memory (tests, benchmarks): the output files and the report.
pub fn export_docs(
    format: Format,
    opts: &ExportOptions,
    schema: &Schema,
    docs: &[ExportDoc],
) -> (Vec<OutFile>, Report) {
    struct InMemory<'a> {
        schema: &'a Schema,
        docs: &'a [ExportDoc],
        folder: bool,
    }
    impl WithExporter for InMemory<'_> {
        type Out = (Vec<OutFile>, Report);
        fn with<E: Exporter>(self, e: E) -> Self::Out {
            let mut out = MemoryOutput::new(self.folder);
            let mut report = Report::new();
            let mut state = E::State::default();
            for d in self.docs {
                let c = e.convert(d, &mut report);
                // Writing to memory cannot fail.
                let _ = e.write(&mut state, c, &mut out, &mut report);
            }
            let _ = e.finish(state, self.schema, &mut out, &mut report);
            (out.into_files(), report)
        }
    }
    with_exporter(
        format,
        opts,
        schema,
        InMemory {
            schema,
            docs,
            folder: format.exports_folder(),
        },
    )
}

/// Imports `source` (a file or a folder) in `format`.
pub fn import(
    format: Format,
    source: &Path,
    opts: &ImportOptions,
    report: &mut Report,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, FormatError> {
    let mut out = Imported::default();
    let (files, base) = if format == Format::Brat {
        brat::source_files(source, report)?
    } else {
        (
            source::collect(source, import_extensions(format), report)?,
            source.to_path_buf(),
        )
    };
    source::read_each(
        &files,
        &base,
        report,
        progress,
        |file, report| match format {
            Format::Brat => brat::parse_source(file, opts, report, &mut out),
            Format::Conll => conll::parse_source(file, source.is_dir(), opts, report, &mut out),
            Format::Doccano => doccano::parse_source(file, opts, report, &mut out),
            Format::LabelStudio => label_studio::parse_source(file, opts, report, &mut out),
            Format::WebannoTsv => webanno_tsv::parse_source(file, opts, report, &mut out),
            Format::Prodigy => prodigy::parse_source(file, opts, report, &mut out),
            Format::TokenJsonl => token_jsonl::parse_source(file, opts, report, &mut out),
            Format::StanceCsv | Format::StanceJsonl | Format::ClaimsCsv | Format::ClaimsJsonl => {
                classification::parse_source(format, file, opts, report, &mut out)
            }
        },
    );
    Ok(out)
}

/// The file name endings an import of `format` reads in a folder.
pub fn import_extensions(format: Format) -> &'static [&'static str] {
    match format {
        Format::Brat => &[".ann", "annotation.conf"],
        Format::Conll => conll::EXTENSIONS,
        Format::Doccano => &[".jsonl", ".json"],
        Format::LabelStudio => &[".json"],
        Format::WebannoTsv => &[".tsv"],
        Format::Prodigy | Format::TokenJsonl | Format::StanceJsonl | Format::ClaimsJsonl => {
            &[".jsonl"]
        }
        Format::StanceCsv | Format::ClaimsCsv => &[".csv"],
    }
}

// ---- Helpers shared by the formats ----

/// Rebuilds `a` with `f` applied to every span (spans are kept sorted; everything else is kept).
pub fn map_spans(a: &mut Annotations, mut f: impl FnMut(&mut Span)) {
    let mut spans = a.spans().to_vec();
    for s in &mut spans {
        f(s);
    }
    let rebuilt = Annotations::from_parts(
        a.status,
        spans,
        std::mem::take(&mut a.relations),
        std::mem::take(&mut a.doc_labels),
        std::mem::take(&mut a.unanchored),
    )
    .with_events(std::mem::take(&mut a.events), std::mem::take(&mut a.groups));
    let tokens = a.tokens.take();
    *a = rebuilt;
    a.tokens = tokens;
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
/// must preserve. Spans as (pieces, label), attributes, note; relations, events, groups and
/// document labels refer to spans by their (pieces, label) and to events by their content.
pub type SpanKey = (Vec<(usize, usize)>, String);

/// A span as compared: position and label, attributes, note.
pub type SpanContent = (SpanKey, Vec<(String, String)>, Option<String>);

/// An event as compared: written out with its trigger and arguments, then attributes and note.
pub type EventContent = (String, Vec<(String, String)>, Option<String>);

/// A relation as compared: type, ends, attributes, note.
pub type RelationContent = (
    String,
    SpanKey,
    SpanKey,
    Vec<(String, String)>,
    Option<String>,
);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Comparable {
    pub spans: Vec<SpanContent>,
    pub relations: Vec<RelationContent>,
    pub doc_labels: Vec<(String, String, Option<String>)>,
    /// Each event written out with its trigger and arguments (nested events in full), then its
    /// attributes and note.
    pub events: Vec<EventContent>,
    /// Each group: type and its members written out, sorted.
    pub groups: Vec<(String, Vec<String>)>,
}

/// See [`Comparable`]. Targets that are spans are compared by the span's text.
pub fn comparable(a: &Annotations) -> Comparable {
    use std::collections::HashMap;
    let by_id: HashMap<&str, &Span> = a.spans().iter().map(|s| (s.id.as_str(), s)).collect();
    let key = |id: &str| -> SpanKey {
        by_id
            .get(id)
            .map(|s| {
                (
                    s.pieces().iter().map(|p| (p.start, p.end)).collect(),
                    s.label.clone(),
                )
            })
            .unwrap_or_default()
    };
    let pairs = |m: &std::collections::BTreeMap<String, String>| -> Vec<(String, String)> {
        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let mut spans: Vec<_> = a
        .spans()
        .iter()
        .map(|s| (key(&s.id), pairs(&s.attributes), s.note.clone()))
        .collect();
    spans.sort();
    let mut relations: Vec<_> = a
        .relations
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                key(&r.from),
                key(&r.to),
                pairs(&r.attributes),
                r.note.clone(),
            )
        })
        .collect();
    relations.sort();
    let events_by_id: HashMap<&str, &crate::model::annotation::Event> =
        a.events.iter().map(|e| (e.id.as_str(), e)).collect();
    // An event or span id written out as text (events recursively, a few levels deep).
    fn render(
        id: &str,
        depth: usize,
        key: &dyn Fn(&str) -> SpanKey,
        events: &HashMap<&str, &crate::model::annotation::Event>,
    ) -> String {
        match events.get(id) {
            Some(e) if depth < 8 => {
                let args: Vec<String> = e
                    .arguments
                    .iter()
                    .map(|x| format!("{}={}", x.role, render(&x.target, depth + 1, key, events)))
                    .collect();
                format!("{}@{:?}({})", e.kind, key(&e.trigger), args.join(","))
            }
            Some(_) => "…".to_owned(),
            None => format!("{:?}", key(id)),
        }
    }
    let mut events: Vec<_> = a
        .events
        .iter()
        .map(|e| {
            (
                render(&e.id, 0, &key, &events_by_id),
                pairs(&e.attributes),
                e.note.clone(),
            )
        })
        .collect();
    events.sort();
    let mut groups: Vec<_> = a
        .groups
        .iter()
        .map(|g| {
            let mut members: Vec<String> = g
                .members
                .iter()
                .map(|m| render(m, 0, &key, &events_by_id))
                .collect();
            members.sort();
            (g.kind.clone(), members)
        })
        .collect();
    groups.sort();
    let mut doc_labels: Vec<_> = a
        .doc_labels
        .iter()
        .map(|d| {
            let target = d.target.as_ref().map(|t| match t {
                crate::model::Target::Text(s) => s.clone(),
                crate::model::Target::Span(id) => by_id
                    .get(id.as_str())
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
            });
            (d.name.clone(), d.value.clone(), target)
        })
        .collect();
    doc_labels.sort();
    Comparable {
        spans,
        relations,
        doc_labels,
        events,
        groups,
    }
}
