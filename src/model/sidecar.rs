//! The sidecar store: one JSON file per annotator beside each article (see docs/sidecar-format.md).
//!
//! Loading checks that the file is ours, of a version we understand and about this text; a file that
//! fails is never written over. Saving is atomic and refuses to clobber a file that changed on disk
//! since it was read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::anchor::{anchor_spans, fits, Anchor, AnchorIssue, StoredSpan};
use super::annotation::{
    Annotations, DocLabel, DocStatus, Event, EventArgument, Group, Relation, ReviewState, Source,
    Span, Target,
};
use super::atomic_write::{write_checked, BatchWriter, CheckedWriteError};
use super::document::{sha256_hex, Document};
use super::safe_read::{read_capped, read_capped_in_pass, ReadError, MAX_SIDECAR_BYTES};

mod fast_read;

pub const SIDECAR_FORMAT: &str = "hashiya-sidecar";
/// The newest format version this program reads and writes. A file is written with the lowest
/// version that can hold it: version 1 unless it uses a field of version 2 (scores, provenance,
/// review states of relations and document labels, relation attributes and notes, events,
/// groups, a recorded tokenization), so older programs refuse what they cannot keep.
pub const SIDECAR_VERSION: u32 = 2;
/// What every sidecar's file name ends with.
pub const SIDECAR_SUFFIX: &str = ".hashiya.json";
/// Characters of context kept before and after each span.
pub const CONTEXT_CHARS: usize = 16;

/// Why a sidecar could not be read or written. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("{path}: cannot read: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: cannot write: {message} (the previous file, if any, is unchanged)")]
    Write { path: PathBuf, message: String },
    #[error("{path}: corrupt sidecar: {message}; the file is left as it is")]
    Corrupt { path: PathBuf, message: String },
    #[error("{path}: not a Hashiya sidecar (format `{found}`); the file is left as it is")]
    Foreign { path: PathBuf, found: String },
    #[error(
        "{path}: sidecar format version {found} is newer than this program understands \
         ({SIDECAR_VERSION}); update Hashiya. The file is left as it is"
    )]
    NewerVersion { path: PathBuf, found: u32 },
    #[error(
        "{path}: this sidecar belongs to `{found}`, not to `{expected}`; the file is left as it is"
    )]
    OtherText {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("{path}: this sidecar is annotator `{found}`'s, but its name says `{expected}`; the file is left as it is")]
    OtherAnnotator {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("{path}: changed on disk since it was opened (another program or a git pull?); not overwritten")]
    ChangedOnDisk { path: PathBuf },
    #[error("`{0}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)")]
    BadAnnotator(String),
}

/// Is `name` usable as an annotator name (and so in a file name)?
pub fn valid_annotator(name: &str) -> bool {
    let n = name.chars().count();
    (1..=64).contains(&n)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The sidecar of `annotator` for the article at `text_path`.
pub fn sidecar_path(text_path: &Path, annotator: &str) -> PathBuf {
    let name = text_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    text_path.with_file_name(format!("{name}.{annotator}{SIDECAR_SUFFIX}"))
}

/// Is this file name a sidecar's?
pub fn is_sidecar_name(file_name: &str) -> bool {
    file_name.ends_with(SIDECAR_SUFFIX)
}

/// The sidecars beside an article, as (annotator, path), sorted by annotator.
pub fn sidecars_of(text_path: &Path) -> Vec<(String, PathBuf)> {
    let (Some(dir), Some(name)) = (text_path.parent(), text_path.file_name()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let annotator = file
                .strip_prefix(&prefix)?
                .strip_suffix(SIDECAR_SUFFIX)?
                .to_owned();
            valid_annotator(&annotator).then(|| (annotator, text_path.with_file_name(&file)))
        })
        .collect();
    out.sort();
    out
}

// ---- The file as it is on disk. Field order here is the order in the file. ----

/// Strings of spans, the bulk of a file, borrow from the file's bytes when they can (no escapes),
/// so that reading allocates only what it keeps.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarFile<'a> {
    format: String,
    version: u32,
    annotator: String,
    text: TextRef,
    status: DocStatus,
    #[serde(borrow, deserialize_with = "spans_with_room")]
    spans: Vec<SpanWire<'a>>,
    #[serde(default)]
    relations: Vec<RelationWire>,
    #[serde(default)]
    document_labels: Vec<DocLabelWire>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    events: Vec<EventWire>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<GroupWire>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", borrow)]
    unanchored: Vec<SpanWire<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextRef {
    path: String,
    sha256: String,
    length_chars: usize,
    offset_unit: String,
    encoding: String,
    /// The recorded tokenization, as `start end` pairs joined by `;` (see docs/sidecar-format.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tokens: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpanWire<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    start: usize,
    end: usize,
    #[serde(borrow)]
    label: Cow<'a, str>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default, borrow)]
    prefix: Cow<'a, str>,
    #[serde(default, borrow)]
    suffix: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fragments: Vec<[usize; 2]>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    source: Source,
    #[serde(default)]
    review: ReviewState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    annotators: Vec<String>,
}

/// A sidecar's spans, read into a list with room for 64 from the start: serde's own list starts
/// empty and doubles, copying its spans (a few hundred bytes each) again at every step.
fn spans_with_room<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<SpanWire<'de>>, D::Error> {
    struct Spans;
    impl<'de> serde::de::Visitor<'de> for Spans {
        type Value = Vec<SpanWire<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of spans")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut spans = Vec::with_capacity(seq.size_hint().unwrap_or(0).clamp(64, 4096));
            while let Some(span) = seq.next_element()? {
                spans.push(span);
            }
            Ok(spans)
        }
    }
    d.deserialize_seq(Spans)
}

fn is_accepted(r: &ReviewState) -> bool {
    *r == ReviewState::Accepted
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationWire {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "is_accepted")]
    review: ReviewState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    annotators: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventWire {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    trigger: String,
    #[serde(default)]
    arguments: Vec<EventArgumentWire>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "is_accepted")]
    review: ReviewState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    annotators: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventArgumentWire {
    role: String,
    target: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupWire {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    members: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocLabelWire {
    id: String,
    name: String,
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<TargetWire>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "is_accepted")]
    review: ReviewState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    annotators: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum TargetWire {
    Span(String),
    Text(String),
}

/// Only what the corpus list needs, read fast.
#[derive(Debug, Deserialize)]
struct SummaryWire {
    format: String,
    version: u32,
    status: DocStatus,
    spans: Vec<SpanSummaryWire>,
}

#[derive(Debug, Deserialize)]
struct SpanSummaryWire {
    label: String,
    #[serde(default)]
    review: ReviewState,
    #[serde(default)]
    start: usize,
    #[serde(default)]
    end: usize,
}

impl<'a> SpanWire<'a> {
    fn detached(s: &'a Span) -> Self {
        SpanWire {
            id: Cow::Borrowed(&s.id),
            start: s.start,
            end: s.end,
            label: Cow::Borrowed(&s.label),
            text: Cow::Borrowed(&s.text),
            prefix: Cow::Borrowed(""),
            suffix: Cow::Borrowed(""),
            fragments: s.fragments.iter().map(|f| [f.start, f.end]).collect(),
            attributes: s.attributes.clone(),
            note: s.note.clone(),
            source: s.source,
            review: s.review,
            // A score that is not a finite number cannot be written as JSON: leave it out.
            score: s.score.filter(|x| x.is_finite()),
            annotators: s.annotators.clone(),
        }
    }

    fn from_span(doc: &'a Document, s: &'a Span) -> Self {
        SpanWire {
            prefix: Cow::Borrowed(doc.prefix(s.start, CONTEXT_CHARS)),
            suffix: Cow::Borrowed(doc.suffix(s.end, CONTEXT_CHARS)),
            ..Self::detached(s)
        }
    }

    /// The span, and its stored context (kept apart: only a span that does not fit its text
    /// needs the context).
    fn into_span(self) -> (Span, Cow<'a, str>, Cow<'a, str>) {
        let span = Span {
            id: self.id.into_owned(),
            start: self.start,
            end: self.end,
            label: self.label.into_owned(),
            text: self.text.into_owned(),
            fragments: self.fragments.iter().map(|f| f[0]..f[1]).collect(),
            attributes: self.attributes,
            note: self.note,
            source: self.source,
            review: self.review,
            score: self.score,
            annotators: self.annotators,
        };
        (span, self.prefix, self.suffix)
    }
}

/// Serializes annotations of `doc` by `annotator` to the sidecar's exact bytes (deterministic).
///
/// Never gives an empty or partial file: if serializing failed, the error says so and nothing is
/// to be written.
pub fn encode(doc: &Document, annotator: &str, set: &Annotations) -> Result<String, SidecarError> {
    let mut file = SidecarFile {
        format: SIDECAR_FORMAT.to_owned(),
        version: 1,
        annotator: annotator.to_owned(),
        text: TextRef {
            path: file_name(doc.path()),
            sha256: doc.sha256().to_owned(),
            length_chars: doc.len_chars(),
            offset_unit: "char".to_owned(),
            encoding: doc.encoding().name().to_owned(),
            tokens: set.tokens.as_deref().map(encode_tokens),
        },
        status: set.status,
        spans: set
            .spans()
            .iter()
            .map(|s| SpanWire::from_span(doc, s))
            .collect(),
        relations: set
            .relations
            .iter()
            .map(|r| RelationWire {
                id: r.id.clone(),
                kind: r.kind.clone(),
                from: r.from.clone(),
                to: r.to.clone(),
                attributes: r.attributes.clone(),
                note: r.note.clone(),
                review: r.review,
                annotators: r.annotators.clone(),
            })
            .collect(),
        document_labels: set
            .doc_labels
            .iter()
            .map(|d| DocLabelWire {
                id: d.id.clone(),
                name: d.name.clone(),
                value: d.value.clone(),
                target: d.target.as_ref().map(|t| match t {
                    Target::Span(s) => TargetWire::Span(s.clone()),
                    Target::Text(s) => TargetWire::Text(s.clone()),
                }),
                evidence: d.evidence.clone(),
                review: d.review,
                annotators: d.annotators.clone(),
            })
            .collect(),
        events: set.events.iter().map(event_wire).collect(),
        groups: set
            .groups
            .iter()
            .map(|g| GroupWire {
                id: g.id.clone(),
                kind: g.kind.clone(),
                members: g.members.clone(),
            })
            .collect(),
        // Unanchored spans have no place in this text, so no context either.
        unanchored: set
            .unanchored
            .iter()
            .map(|u| SpanWire {
                prefix: Cow::Borrowed(&u.prefix),
                suffix: Cow::Borrowed(&u.suffix),
                ..SpanWire::detached(&u.span)
            })
            .collect(),
    };
    file.version = file.needed_version();
    let mut out = serde_json::to_string_pretty(&file).map_err(|e| SidecarError::Write {
        path: sidecar_path(doc.path(), annotator),
        message: format!("cannot serialize the annotations: {e}"),
    })?;
    out.push('\n');
    Ok(out)
}

impl SidecarFile<'_> {
    /// The lowest format version that holds everything in this file.
    fn needed_version(&self) -> u32 {
        let span_v2 = |s: &SpanWire| s.score.is_some() || !s.annotators.is_empty();
        let v2 = self.text.tokens.is_some()
            || !self.events.is_empty()
            || !self.groups.is_empty()
            || self.spans.iter().chain(&self.unanchored).any(span_v2)
            || self.relations.iter().any(|r| {
                !r.attributes.is_empty()
                    || r.note.is_some()
                    || r.review != ReviewState::Accepted
                    || !r.annotators.is_empty()
            })
            || self
                .document_labels
                .iter()
                .any(|d| d.review != ReviewState::Accepted || !d.annotators.is_empty());
        if v2 {
            2
        } else {
            1
        }
    }
}

fn event_wire(e: &Event) -> EventWire {
    EventWire {
        id: e.id.clone(),
        kind: e.kind.clone(),
        trigger: e.trigger.clone(),
        arguments: e
            .arguments
            .iter()
            .map(|a| EventArgumentWire {
                role: a.role.clone(),
                target: a.target.clone(),
            })
            .collect(),
        attributes: e.attributes.clone(),
        note: e.note.clone(),
        review: e.review,
        annotators: e.annotators.clone(),
    }
}

/// Token ranges as written in `text.tokens`: `start end` pairs joined by `;`.
fn encode_tokens(tokens: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(tokens.len() * 10);
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            out.push(';');
        }
        out.push_str(&format!("{} {}", t.start, t.end));
    }
    out
}

/// Reads `text.tokens`; tokens must be non-empty, in order, apart and inside the text.
fn decode_tokens(s: &str, len_chars: usize) -> Result<Vec<Range<usize>>, String> {
    let mut out = Vec::new();
    let mut last_end = 0;
    for (k, pair) in s.split(';').enumerate().filter(|(_, p)| !p.is_empty()) {
        let mut it = pair.split(' ');
        let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
            return Err(format!("token {}: `{pair}` is not `start end`", k + 1));
        };
        let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
            return Err(format!("token {}: `{pair}` is not two numbers", k + 1));
        };
        if a >= b || a < last_end || b > len_chars {
            return Err(format!(
                "token {}: {a}..{b} is empty, out of order or past the text's end",
                k + 1
            ));
        }
        last_end = b;
        out.push(a..b);
    }
    Ok(out)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A sidecar read from disk and placed on its text.
#[derive(Debug, Clone)]
pub struct LoadedSidecar {
    pub annotations: Annotations,
    /// Spans that moved or could not be placed because the text changed (or their offsets were
    /// wrong); empty when the sidecar fits its text.
    pub issues: Vec<AnchorIssue>,
    /// The hash of its text the sidecar recorded (`None`: there was no file).
    pub recorded_sha256: Option<String>,
    /// SHA-256 of the sidecar's bytes when read (`None`: there was no file).
    pub disk_hash: Option<String>,
}

impl LoadedSidecar {
    /// Nothing read: no file yet.
    pub fn empty() -> Self {
        Self {
            annotations: Annotations::new(),
            issues: Vec::new(),
            recorded_sha256: None,
            disk_hash: None,
        }
    }

    /// Did the sidecar's recorded hash differ from that of `doc`, the text it was read for?
    pub fn text_changed(&self, doc: &Document) -> bool {
        self.recorded_sha256
            .as_deref()
            .is_some_and(|h| h != doc.sha256())
    }
}

/// The bytes of the sidecar at `path`, `None` if there is no file. Only a regular file of at most
/// [`MAX_SIDECAR_BYTES`] is read.
pub fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, SidecarError> {
    read_bytes_with(read_capped, path)
}

/// As [`read_bytes`], for a pass over many sidecars (an export): the file is read with
/// [`read_capped_in_pass`].
pub fn read_bytes_in_pass(path: &Path) -> Result<Option<Vec<u8>>, SidecarError> {
    read_bytes_with(read_capped_in_pass, path)
}

fn read_bytes_with(
    read: fn(&Path, u64) -> Result<Vec<u8>, ReadError>,
    path: &Path,
) -> Result<Option<Vec<u8>>, SidecarError> {
    match read(path, MAX_SIDECAR_BYTES) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(SidecarError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// Reads `annotator`'s sidecar of `doc`. No file yet gives empty annotations.
pub fn load(doc: &Document, annotator: &str) -> Result<LoadedSidecar, SidecarError> {
    load_with(doc, annotator, true)
}

/// As [`load`], for a layer that will not be written (another annotator's, read to merge or
/// learn from): `disk_hash` is not computed.
pub fn load_read_only(doc: &Document, annotator: &str) -> Result<LoadedSidecar, SidecarError> {
    load_with(doc, annotator, false)
}

fn load_with(doc: &Document, annotator: &str, hash: bool) -> Result<LoadedSidecar, SidecarError> {
    if !valid_annotator(annotator) {
        return Err(SidecarError::BadAnnotator(annotator.to_owned()));
    }
    let path = sidecar_path(doc.path(), annotator);
    let Some(bytes) = read_bytes(&path)? else {
        return Ok(LoadedSidecar::empty());
    };
    let mut loaded = decode(doc, annotator, &path, &bytes)?;
    if hash {
        loaded.disk_hash = Some(sha256_hex(&bytes));
    }
    Ok(loaded)
}

fn parse_checked<'a>(path: &Path, bytes: &'a [u8]) -> Result<SidecarFile<'a>, SidecarError> {
    // One pass for a well-formed file of ours; only a file that does not parse is looked at
    // again, for its format and version, so that a newer or foreign file gets the right message
    // even if its fields are not ours.
    // A file that is UTF-8 as a whole is parsed as text, so that its strings are not checked
    // again one by one (by the quick reader when it can, see `fast_read`); any other is parsed
    // as bytes, for the parser's message.
    let parsed = match super::utf8::from_utf8(bytes) {
        Ok(text) => match fast_read::read(text) {
            Some(file) => Ok(file),
            None => serde_json::from_str::<SidecarFile<'a>>(text),
        },
        Err(_) => serde_json::from_slice::<SidecarFile<'a>>(bytes),
    };
    match parsed {
        Ok(file) => {
            check_format_and_version(path, Some(&file.format), Some(u64::from(file.version)))?;
            Ok(file)
        }
        Err(typed) => {
            let value: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| SidecarError::Corrupt {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
            check_format_and_version(
                path,
                value.get("format").and_then(|f| f.as_str()),
                value.get("version").and_then(|v| v.as_u64()),
            )?;
            Err(SidecarError::Corrupt {
                path: path.to_path_buf(),
                message: typed.to_string(),
            })
        }
    }
}

fn check_format_and_version(
    path: &Path,
    format: Option<&str>,
    version: Option<u64>,
) -> Result<(), SidecarError> {
    let format = format.unwrap_or("");
    if format != SIDECAR_FORMAT {
        return Err(SidecarError::Foreign {
            path: path.to_path_buf(),
            found: if format.is_empty() {
                "none".into()
            } else {
                format.into()
            },
        });
    }
    match version {
        Some(v) if v > SIDECAR_VERSION as u64 => Err(SidecarError::NewerVersion {
            path: path.to_path_buf(),
            found: u32::try_from(v).unwrap_or(u32::MAX),
        }),
        Some(_) => Ok(()),
        None => Err(SidecarError::Corrupt {
            path: path.to_path_buf(),
            message: "no `version` number".into(),
        }),
    }
}

/// Checks that bytes are a sidecar of this program's version, for this article and annotator
/// (without placing its spans: cheaper than [`decode`]).
pub fn check_ours(
    doc: &Document,
    annotator: &str,
    path: &Path,
    bytes: &[u8],
) -> Result<(), SidecarError> {
    let file = parse_checked(path, bytes)?;
    check_belongs(doc, annotator, path, &file)
}

/// Is this parsed file about `doc` and by `annotator`?
fn check_belongs(
    doc: &Document,
    annotator: &str,
    path: &Path,
    file: &SidecarFile,
) -> Result<(), SidecarError> {
    let expected = file_name(doc.path());
    if file.text.path != expected {
        return Err(SidecarError::OtherText {
            path: path.to_path_buf(),
            found: file.text.path.clone(),
            expected,
        });
    }
    if file.annotator != annotator {
        return Err(SidecarError::OtherAnnotator {
            path: path.to_path_buf(),
            found: file.annotator.clone(),
            expected: annotator.to_owned(),
        });
    }
    Ok(())
}

/// Parses sidecar bytes for `doc` and places the spans on its text.
pub fn decode(
    doc: &Document,
    annotator: &str,
    path: &Path,
    bytes: &[u8],
) -> Result<LoadedSidecar, SidecarError> {
    let file = parse_checked(path, bytes)?;
    check_belongs(doc, annotator, path, &file)?;
    let mut spans = Vec::with_capacity(file.spans.len());
    let mut unanchored = Vec::new();
    let mut issues = Vec::new();
    // Spans that fit their text are kept as they are, without their stored context; the others
    // (and the ones unanchored before) are placed together.
    let mut to_place: Vec<(StoredSpan, bool)> = Vec::new();
    let all = file
        .spans
        .into_iter()
        .map(|s| (s, false))
        .chain(file.unanchored.into_iter().map(|s| (s, true)));
    for (wire, was_unanchored) in all {
        let (span, prefix, suffix) = wire.into_span();
        if !was_unanchored && fits(doc, &span) {
            spans.push(span);
            continue;
        }
        let stored = StoredSpan {
            span,
            prefix: prefix.into_owned(),
            suffix: suffix.into_owned(),
        };
        to_place.push((stored, was_unanchored));
    }
    let (stored, unanchored_before): (Vec<StoredSpan>, Vec<bool>) = to_place.into_iter().unzip();
    let anchors = anchor_spans(doc, &stored);
    for ((stored, anchor), was_unanchored) in stored.into_iter().zip(anchors).zip(unanchored_before)
    {
        match anchor {
            Anchor::Kept if !was_unanchored => spans.push(stored.span),
            Anchor::Kept => {
                issues.push(AnchorIssue::moved(
                    &stored.span,
                    stored.span.pieces().into_vec(),
                ));
                spans.push(stored.span);
            }
            Anchor::Moved(pieces) => {
                issues.push(AnchorIssue::moved(&stored.span, pieces.clone()));
                let mut span = stored.span;
                set_pieces(&mut span, pieces);
                spans.push(span);
            }
            Anchor::Lost(reason) => {
                issues.push(AnchorIssue::lost(&stored.span, reason));
                // Keep the context it had, so that it can be placed later, never guessed.
                unanchored.push(stored);
            }
        }
    }
    let relations = file
        .relations
        .into_iter()
        .map(|r| Relation {
            id: r.id,
            kind: r.kind,
            from: r.from,
            to: r.to,
            attributes: r.attributes,
            note: r.note,
            review: r.review,
            annotators: r.annotators,
        })
        .collect();
    let doc_labels = file
        .document_labels
        .into_iter()
        .map(|d| DocLabel {
            id: d.id,
            name: d.name,
            value: d.value,
            target: d.target.map(|t| match t {
                TargetWire::Span(s) => Target::Span(s),
                TargetWire::Text(s) => Target::Text(s),
            }),
            evidence: d.evidence,
            review: d.review,
            annotators: d.annotators,
        })
        .collect();
    let events = file
        .events
        .into_iter()
        .map(|e| Event {
            id: e.id,
            kind: e.kind,
            trigger: e.trigger,
            arguments: e
                .arguments
                .into_iter()
                .map(|a| EventArgument {
                    role: a.role,
                    target: a.target,
                })
                .collect(),
            attributes: e.attributes,
            note: e.note,
            review: e.review,
            annotators: e.annotators,
        })
        .collect();
    let groups = file
        .groups
        .into_iter()
        .map(|g| Group {
            id: g.id,
            kind: g.kind,
            members: g.members,
        })
        .collect();
    // A recorded tokenization only holds for the text it was made on.
    let tokens = match &file.text.tokens {
        Some(t) if file.text.sha256 == doc.sha256() => Some(
            decode_tokens(t, doc.len_chars()).map_err(|m| SidecarError::Corrupt {
                path: path.to_path_buf(),
                message: format!("text.tokens: {m}"),
            })?,
        ),
        _ => None,
    };
    let mut annotations =
        Annotations::from_parts(file.status, spans, relations, doc_labels, unanchored)
            .with_events(events, groups);
    annotations.tokens = tokens;
    Ok(LoadedSidecar {
        annotations,
        issues,
        recorded_sha256: Some(file.text.sha256),
        disk_hash: None,
    })
}

fn set_pieces(span: &mut Span, pieces: Vec<Range<usize>>) {
    if let (Some(first), Some(last)) = (pieces.first(), pieces.last()) {
        span.start = first.start;
        span.end = last.end;
    }
    span.fragments = if pieces.len() > 1 { pieces } else { Vec::new() };
}

/// Writes `annotator`'s sidecar of `doc` atomically and returns the new file's hash.
///
/// `expected_disk_hash` is what [`load`] saw (`None`: there was no file). If the file on disk is not
/// that any more, nothing is written and [`SidecarError::ChangedOnDisk`] is returned; a file that is
/// not a readable sidecar of this text is never overwritten either.
pub fn save(
    doc: &Document,
    annotator: &str,
    set: &Annotations,
    expected_disk_hash: Option<&str>,
) -> Result<String, SidecarError> {
    if !valid_annotator(annotator) {
        return Err(SidecarError::BadAnnotator(annotator.to_owned()));
    }
    let path = sidecar_path(doc.path(), annotator);
    // Refuse early, before writing anything, if the file is already not what we read.
    check_on_disk(doc, annotator, &path, expected_disk_hash)?;
    let bytes = encode(doc, annotator, set)?;
    // ... and again under the folder's lock, right before the rename: another writer may have
    // been quicker.
    write_checked(&path, bytes.as_bytes(), || {
        check_on_disk(doc, annotator, &path, expected_disk_hash)
    })
    .map_err(|e| write_error(&path, e))?;
    Ok(sha256_hex(bytes.as_bytes()))
}

/// Is the sidecar on disk still the one read as `expected_disk_hash` (`None`: there was none)?
/// A file we could not have read (corrupt, foreign, newer, other text) is never to be replaced.
/// (No file although there was one when we read it: someone deleted it. Writing is safe and loses
/// nothing.)
fn check_on_disk(
    doc: &Document,
    annotator: &str,
    path: &Path,
    expected_disk_hash: Option<&str>,
) -> Result<(), SidecarError> {
    if let Some(current) = read_bytes(path)? {
        check_ours(doc, annotator, path, &current)?;
        if Some(sha256_hex(&current).as_str()) != expected_disk_hash {
            return Err(SidecarError::ChangedOnDisk {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(())
}

fn write_error(path: &Path, e: CheckedWriteError<SidecarError>) -> SidecarError {
    match e {
        CheckedWriteError::Refused(e) => e,
        CheckedWriteError::Io(e) => SidecarError::Write {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// One sidecar to write with [`save_many`].
#[derive(Debug, Clone, Copy)]
pub struct SaveRequest<'a> {
    pub doc: &'a Document,
    pub annotator: &'a str,
    pub annotations: &'a Annotations,
    /// As in [`save`].
    pub expected_disk_hash: Option<&'a str>,
}

/// Writes many sidecars with the guarantees of [`save`] (atomic, never over a file that changed
/// or is not ours) at the cost of a few syncs for all of them instead of two per file (see
/// [`BatchWriter`]). Returns each one's new hash or error, in order.
pub fn save_many(requests: &[SaveRequest<'_>]) -> Vec<Result<String, SidecarError>> {
    let mut results: Vec<Result<String, SidecarError>> = Vec::with_capacity(requests.len());
    let mut batch = BatchWriter::new();
    // Staged requests, in staging order: (index in `requests`, path, new hash).
    let mut staged: Vec<(usize, PathBuf, String)> = Vec::new();
    for (k, r) in requests.iter().enumerate() {
        let prepared = (|| {
            if !valid_annotator(r.annotator) {
                return Err(SidecarError::BadAnnotator(r.annotator.to_owned()));
            }
            let path = sidecar_path(r.doc.path(), r.annotator);
            check_on_disk(r.doc, r.annotator, &path, r.expected_disk_hash)?;
            let bytes = encode(r.doc, r.annotator, r.annotations)?;
            batch
                .stage(&path, bytes.as_bytes())
                .map_err(|e| SidecarError::Write {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            Ok((path, sha256_hex(bytes.as_bytes())))
        })();
        match prepared {
            Ok((path, hash)) => {
                staged.push((k, path, hash.clone()));
                results.push(Ok(hash));
            }
            Err(e) => results.push(Err(e)),
        }
    }
    let mut next = 0;
    let outcomes = batch.commit(|target| {
        // Targets come back in staging order.
        let found = staged.get(next).filter(|(_, p, _)| p == target);
        next += 1;
        match found {
            Some((k, path, _)) => {
                let r = &requests[*k];
                check_on_disk(r.doc, r.annotator, path, r.expected_disk_hash)
            }
            None => Err(SidecarError::Write {
                path: target.to_path_buf(),
                message: "internal error: batch out of order".into(),
            }),
        }
    });
    for ((k, path, _), (_, outcome)) in staged.into_iter().zip(outcomes) {
        if let Err(e) = outcome {
            results[k] = Err(write_error(&path, e));
        }
    }
    results
}

/// A sidecar checked and encoded on any thread, to be written with others by
/// [`crate::model::sidecar_queue::SidecarQueue`] (which gives it the guarantees of [`save`]).
#[derive(Debug, Clone)]
pub struct PreparedSidecar {
    pub path: PathBuf,
    pub bytes: String,
    /// As in [`save`]: what the file on disk was when read (`None`: no file).
    pub expected_disk_hash: Option<String>,
}

/// Checks that `annotator`'s sidecar of `doc` may be written (as [`save`] does before writing)
/// and encodes it.
pub fn prepare(
    doc: &Document,
    annotator: &str,
    set: &Annotations,
    expected_disk_hash: Option<&str>,
) -> Result<PreparedSidecar, SidecarError> {
    if !valid_annotator(annotator) {
        return Err(SidecarError::BadAnnotator(annotator.to_owned()));
    }
    let path = sidecar_path(doc.path(), annotator);
    check_on_disk(doc, annotator, &path, expected_disk_hash)?;
    Ok(PreparedSidecar {
        bytes: encode(doc, annotator, set)?,
        path,
        expected_disk_hash: expected_disk_hash.map(str::to_owned),
    })
}

/// Status and counts of a sidecar, for the corpus list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SidecarSummary {
    pub status: DocStatus,
    pub spans: usize,
    pub suggested: usize,
    /// Spans per label.
    pub labels: BTreeMap<String, usize>,
    /// Each span's extent in chars (end − start), in sidecar order.
    pub span_lengths: Vec<u32>,
}

impl SidecarSummary {
    /// The summary of annotations in memory (what their sidecar will say).
    pub fn of(set: &Annotations) -> Self {
        let mut labels = BTreeMap::new();
        for s in set.spans() {
            *labels.entry(s.label.clone()).or_default() += 1;
        }
        Self {
            status: set.status,
            spans: set.spans().len(),
            suggested: set
                .spans()
                .iter()
                .filter(|s| s.review == ReviewState::Suggested)
                .count(),
            labels,
            span_lengths: set.spans().iter().map(span_length).collect(),
        }
    }
}

fn span_length(s: &Span) -> u32 {
    u32::try_from(s.end.saturating_sub(s.start)).unwrap_or(u32::MAX)
}

/// Reads only status and counts (fast; used to list a corpus).
pub fn read_summary(path: &Path) -> Result<SidecarSummary, SidecarError> {
    let bytes = read_bytes(path)?.ok_or_else(|| SidecarError::Io {
        path: path.to_path_buf(),
        message: "no such file".into(),
    })?;
    let s: SummaryWire = serde_json::from_slice(&bytes).map_err(|e| SidecarError::Corrupt {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if s.format != SIDECAR_FORMAT {
        return Err(SidecarError::Foreign {
            path: path.to_path_buf(),
            found: s.format,
        });
    }
    if s.version > SIDECAR_VERSION {
        return Err(SidecarError::NewerVersion {
            path: path.to_path_buf(),
            found: s.version,
        });
    }
    Ok(SidecarSummary {
        status: s.status,
        spans: s.spans.len(),
        suggested: s
            .spans
            .iter()
            .filter(|r| r.review == ReviewState::Suggested)
            .count(),
        labels: s.spans.iter().fold(BTreeMap::new(), |mut m, r| {
            *m.entry(r.label.clone()).or_default() += 1;
            m
        }),
        span_lengths: s
            .spans
            .iter()
            .map(|r| u32::try_from(r.end.saturating_sub(r.start)).unwrap_or(u32::MAX))
            .collect(),
    })
}
