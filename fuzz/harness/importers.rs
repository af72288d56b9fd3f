//! What every importer fuzz target runs, shared with the normal suite (`tests/fuzz_regressions.rs`
//! includes this file), so a crasher kept there is checked exactly as the fuzzer checked it.
//!
//! Each function takes the raw bytes of a source file, decodes them as an import does
//! ([`decode`], the decoding of `formats::source::read_text`), runs the format's parser, then the
//! steps an import takes before it writes (label names fitted, schema extended and checked) and
//! asserts what must hold for any input: offsets within the text, on char boundaries, start <=
//! end, references to existing spans and events, and sidecars that encode and read back the same.
//! A panic here is a bug, whether it comes from the parser or from a failed assertion. Each
//! function returns how many documents it checked.

#![allow(dead_code)] // each fuzz target uses one of these functions

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use hashiya::formats::driver::safe_article_name;
use hashiya::formats::names::fit_names;
use hashiya::formats::schema_ext::{empty_schema, extend_schema};
use hashiya::formats::source::SourceFile;
use hashiya::formats::{
    brat, classification, conll, doccano, label_studio, token_jsonl, Format, ImportOptions,
    Imported, ImportedDoc, OffsetUnit, Report,
};
use hashiya::model::annotation::Target;
use hashiya::model::decode::decode;
use hashiya::model::{sidecar, Document, Schema};

/// The article a brat input without a text part is read against.
const BRAT_TEXT: &str =
    "قال الوزير إن وبواشنطن ترفض 👍🏽 القرار.\r\nوأكد مسؤول في القاهرة أن الاجتماع تأجل.\n";

/// The text an import would get from a file with these bytes, or `None` where it refuses them.
fn text_of(bytes: &[u8]) -> Option<String> {
    decode(bytes, None).ok().map(|(t, _)| t)
}

/// A source file as `formats::source::read_each` hands it to a parser. The folder does not exist,
/// so nothing beside it (token JSONL's `labels.json`) is found.
fn source(ext: &str, text: String) -> SourceFile {
    let name = format!("input.{ext}");
    SourceFile {
        path: PathBuf::from("/nonexistent-hashiya-fuzz").join(&name),
        name,
        stem: "input".into(),
        text,
    }
}

fn options() -> ImportOptions {
    ImportOptions::default()
}

/// brat: the bytes before the first NUL are the `.txt`, the rest the `.ann` (a decoded text never
/// holds a NUL); without a NUL, all of it is the `.ann` of a fixed Arabic article. The `.ann` part
/// is also read as an `annotation.conf`, whose schema the import then extends.
pub fn brat(data: &[u8]) -> usize {
    let (txt, ann) = match data.iter().position(|&b| b == 0) {
        Some(k) => (text_of(&data[..k]), &data[k + 1..]),
        None => (Some(BRAT_TEXT.to_owned()), data),
    };
    let (Some(txt), Some(ann)) = (txt, text_of(ann)) else {
        return 0;
    };
    let opts = options();
    let mut report = Report::new();
    let mut schema = empty_schema("imported from brat");
    brat::read_conf("annotation.conf", &ann, &mut schema, &mut report);
    let doc = brat::parse_ann(
        "input.ann",
        "input.txt".into(),
        txt,
        &ann,
        &opts,
        &mut report,
    );
    check(
        Imported {
            docs: vec![doc],
            schema: Some(schema),
        },
        &opts,
    )
}

/// CoNLL / BIO: the check an import makes first, then the parser itself (whatever the check says,
/// so that the parser sees every input).
pub fn conll(data: &[u8]) -> usize {
    let Some(text) = text_of(data) else {
        return 0;
    };
    let _ = conll::looks_like_conll(&text);
    let opts = options();
    let mut report = Report::new();
    let docs = conll::parse("input.conll", "input", &text, &opts, &mut report);
    check(Imported { docs, schema: None }, &opts)
}

/// doccano JSONL, with offsets read in both units.
pub fn doccano(data: &[u8]) -> usize {
    let Some(text) = text_of(data) else {
        return 0;
    };
    let file = source("jsonl", text);
    let mut checked = 0;
    for unit in [OffsetUnit::Utf16, OffsetUnit::Char] {
        let opts = ImportOptions {
            offset_unit: unit,
            ..options()
        };
        let mut out = Imported::default();
        doccano::parse_source(&file, &opts, &mut Report::new(), &mut out);
        checked += check(out, &opts);
    }
    checked
}

/// Label Studio JSON (a task list or one task).
pub fn label_studio(data: &[u8]) -> usize {
    let Some(text) = text_of(data) else {
        return 0;
    };
    let file = source("json", text);
    let opts = options();
    let mut out = Imported::default();
    label_studio::parse_source(&file, &opts, &mut Report::new(), &mut out);
    check(out, &opts)
}

/// Token JSONL (Hugging Face style `tokens` + `ner_tags`).
pub fn token_jsonl(data: &[u8]) -> usize {
    let Some(text) = text_of(data) else {
        return 0;
    };
    let file = source("jsonl", text);
    let opts = options();
    let mut out = Imported::default();
    token_jsonl::parse_source(&file, &opts, &mut Report::new(), &mut out);
    check(out, &opts)
}

/// Classification CSV, read both as stance and as claims CSV.
pub fn csv(data: &[u8]) -> usize {
    let Some(text) = text_of(data) else {
        return 0;
    };
    let _ = classification::parse_csv(&text);
    let file = source("csv", text);
    let opts = options();
    let mut checked = 0;
    for format in [Format::StanceCsv, Format::ClaimsCsv] {
        let mut out = Imported::default();
        classification::parse_source(format, &file, &opts, &mut Report::new(), &mut out);
        checked += check(out, &opts);
    }
    checked
}

/// What an import does with what a parser gave before it writes, with what must hold asserted.
/// Returns how many documents were checked.
fn check(mut imported: Imported, opts: &ImportOptions) -> usize {
    let mut schema = imported.schema.take().unwrap_or_else(Schema::builtin);
    let renamed = fit_names(&mut imported.docs, &mut schema);
    extend_schema(&mut schema, &imported.docs);
    renamed.record_originals(&mut schema);
    let path = Path::new("hashiya-schema.json");
    if let Err(e) = Schema::parse(&schema.to_json(), path) {
        panic!("the schema an import builds is refused (the import would abort): {e}");
    }
    for d in &imported.docs {
        let _ = safe_article_name(&d.name);
        check_offsets(d);
        check_references(d);
        let annotator = d.annotator.as_deref().unwrap_or(&opts.annotator);
        assert!(
            sidecar::valid_annotator(annotator),
            "annotator `{annotator}`"
        );
        let json = match sidecar::encode(&d.doc, annotator, &d.annotations) {
            Ok(j) => j,
            Err(e) => panic!("imported annotations do not encode as a sidecar: {e}"),
        };
        let sidecar_path = sidecar::sidecar_path(d.doc.path(), annotator);
        let back = match sidecar::decode(&d.doc, annotator, &sidecar_path, json.as_bytes()) {
            Ok(b) => b,
            Err(e) => panic!("the sidecar of an import does not read back: {e}\n{json}"),
        };
        assert_eq!(
            back.annotations, d.annotations,
            "the sidecar of an import reads back different annotations"
        );
    }
    imported.docs.len()
}

/// Every offset within the text and on a char boundary, start <= end, pieces in order.
fn check_offsets(d: &ImportedDoc) {
    let doc: &Document = &d.doc;
    let n = doc.len_chars();
    assert_eq!(doc.text().chars().count(), n);
    let on_boundary = |c: usize| {
        assert!(c <= n, "offset {c} past the end ({n} chars)");
        assert!(doc.text().is_char_boundary(doc.char_to_byte(c)));
    };
    let a = &d.annotations;
    for s in a.spans() {
        assert!(s.start <= s.end, "span {}..{}", s.start, s.end);
        on_boundary(s.start);
        on_boundary(s.end);
        assert!(doc.slice(s.start..s.end).is_some());
        let pieces = s.pieces();
        assert_eq!(pieces.first().map(|p| p.start), Some(s.start));
        assert_eq!(pieces.last().map(|p| p.end), Some(s.end));
        let mut last = s.start;
        for p in pieces.iter() {
            assert!(p.start >= last && p.start <= p.end, "pieces {pieces:?}");
            on_boundary(p.start);
            on_boundary(p.end);
            last = p.end;
        }
    }
    if let Some(tokens) = &a.tokens {
        let mut last = 0;
        for t in tokens {
            assert!(
                t.start >= last && t.start <= t.end,
                "token {t:?} after {last}"
            );
            on_boundary(t.start);
            on_boundary(t.end);
            last = t.end;
        }
    }
}

/// Relations, events, groups and document labels name spans or events that exist.
fn check_references(d: &ImportedDoc) {
    let a = &d.annotations;
    let spans: HashSet<&str> = a.spans().iter().map(|s| s.id.as_str()).collect();
    let events: HashSet<&str> = a.events.iter().map(|e| e.id.as_str()).collect();
    let known = |id: &str| spans.contains(id) || events.contains(id);
    for r in &a.relations {
        assert!(known(&r.from) && known(&r.to), "relation {r:?}");
    }
    for e in &a.events {
        assert!(spans.contains(e.trigger.as_str()), "event {e:?}");
        for x in &e.arguments {
            assert!(known(&x.target), "event {e:?}");
        }
    }
    for g in &a.groups {
        assert!(g.members.iter().all(|m| known(m)), "group {g:?}");
    }
    for l in &a.doc_labels {
        if let Some(Target::Span(id)) = &l.target {
            assert!(spans.contains(id.as_str()), "document label {l:?}");
        }
    }
}
