//! doccano JSONL, one document per line, in its three layouts:
//! - sequence labeling: `{"text": ..., "label": [[start, end, "LABEL"], ...]}`;
//! - relations: `{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
//!   "relations": [{"id", "from_id", "to_id", "type"}]}`;
//! - text classification: `{"text": ..., "label": ["name:value", ...]}` (a value without `name:`
//!   is read as document label `label`).
//!
//! Offsets are UTF-16 code units by default (doccano is a JavaScript app), code points on request.
//! Export adds `"document"` (the article's path) so that a re-import keeps article names.

use serde_json::{json, Map, Value};

use super::source::{json_lines, SourceFile};
use super::{
    make_span, ExportDoc, ExportOptions, Exporter, ImportOptions, Imported, ImportedDoc,
    OffsetUnit, Output, Report,
};
use crate::model::annotation::{Annotations, DocLabel, Relation, ReviewState, Source, Span};
use crate::model::Document;

/// Which doccano layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    #[default]
    Spans,
    Relations,
    Classification,
}

impl Variant {
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "spans" | "seq" | "sequence" | "ner" => Some(Self::Spans),
            "relations" | "rel" | "relation" => Some(Self::Relations),
            "classification" | "class" | "text-classification" => Some(Self::Classification),
            _ => None,
        }
    }
}

/// Document label name used for a classification value without `name:`.
pub const DEFAULT_DOC_LABEL: &str = "label";

const KNOWN_KEYS: &[&str] = &[
    "id",
    "text",
    "label",
    "labels",
    "entities",
    "relations",
    "document",
    "meta",
    "Comments",
    "comments",
    "annotation_approver",
];

/// Offset of char `pos` in `unit`.
pub fn to_unit(doc: &Document, pos: usize, unit: OffsetUnit) -> usize {
    match unit {
        OffsetUnit::Char => pos,
        OffsetUnit::Utf16 => doc.char_to_utf16(pos),
    }
}

/// Char offset of `off` given in `unit`; `None` if past the end or inside a surrogate pair.
pub fn from_unit(doc: &Document, off: usize, unit: OffsetUnit) -> Option<usize> {
    match unit {
        OffsetUnit::Char => (off <= doc.len_chars()).then_some(off),
        OffsetUnit::Utf16 => doc.utf16_to_char(off),
    }
}

/// Reads one doccano JSONL file: one document per line.
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    for (line_no, v) in json_lines(&file.text) {
        match v {
            Ok(v) => {
                if let Some(d) = parse_value(&file.name, line_no, &file.stem, v, opts, report) {
                    out.docs.push(d);
                }
            }
            Err(e) => report.error(&file.name, Some(line_no), format!("{e}; line skipped")),
        }
    }
}

fn num(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_u64)
        .and_then(|x| usize::try_from(x).ok())
}

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses one doccano line.
pub fn parse_line(
    file: &str,
    line_no: usize,
    stem: &str,
    line: &str,
    opts: &ImportOptions,
    report: &mut Report,
) -> Option<ImportedDoc> {
    match serde_json::from_str(line) {
        Ok(v) => parse_value(file, line_no, stem, v, opts, report),
        Err(e) => {
            report.error(file, Some(line_no), format!("not JSON: {e}; line skipped"));
            None
        }
    }
}

/// Parses one doccano record.
pub fn parse_value(
    file: &str,
    line_no: usize,
    stem: &str,
    v: Value,
    opts: &ImportOptions,
    report: &mut Report,
) -> Option<ImportedDoc> {
    let Some(obj) = v.as_object() else {
        report.error(file, Some(line_no), "not a JSON object; line skipped");
        return None;
    };
    let Some(text) = obj.get("text").and_then(Value::as_str) else {
        report.error(file, Some(line_no), "no `text` string; line skipped");
        return None;
    };
    for k in obj.keys() {
        if !KNOWN_KEYS.contains(&k.as_str()) {
            report.note(file, Some(line_no), format!("unknown key `{k}` ignored"));
        }
    }
    let name = match (
        obj.get("document").and_then(Value::as_str),
        id_string(obj.get("id")),
    ) {
        (Some(d), _) => d.to_owned(),
        (None, Some(id)) => format!("{stem}-{id}.txt"),
        (None, None) => format!("{stem}-{line_no:06}.txt"),
    };
    let doc = Document::from_text(name.clone(), text.to_owned());
    let unit = opts.offset_unit;
    let mut spans: Vec<Span> = Vec::new();
    let mut relations = Vec::new();
    let mut doc_labels = Vec::new();
    let mut add_span = |start: Option<usize>,
                        end: Option<usize>,
                        label: Option<&str>,
                        report: &mut Report|
     -> Option<String> {
        let (Some(s), Some(e), Some(label)) = (start, end, label) else {
            report.error(
                file,
                Some(line_no),
                "span without start, end and label; skipped",
            );
            return None;
        };
        let (Some(cs), Some(ce)) = (from_unit(&doc, s, unit), from_unit(&doc, e, unit)) else {
            report.error(
                file,
                Some(line_no),
                format!(
                    "span {s}..{e} ({label}) is past the end of the text ({} {}) or splits a \
                     character; skipped",
                    match unit {
                        OffsetUnit::Char => doc.len_chars(),
                        OffsetUnit::Utf16 => doc.len_utf16(),
                    },
                    match unit {
                        OffsetUnit::Char => "chars",
                        OffsetUnit::Utf16 => "UTF-16 units",
                    }
                ),
            );
            return None;
        };
        let id = format!("s{}", spans.len() + 1);
        match make_span(
            &doc,
            id.clone(),
            std::iter::once(cs..ce).collect(),
            label,
            Source::Imported,
            ReviewState::Accepted,
        ) {
            Some(sp) => {
                spans.push(sp);
                Some(id)
            }
            None => {
                report.error(
                    file,
                    Some(line_no),
                    format!("span {s}..{e} ({label}) is empty or reversed; skipped"),
                );
                None
            }
        }
    };
    let label_value = obj.get("label").or_else(|| obj.get("labels"));
    if let Some(Value::Array(items)) = label_value {
        for item in items {
            match item {
                Value::Array(a) => {
                    add_span(
                        num(a.first()),
                        num(a.get(1)),
                        a.get(2).and_then(Value::as_str),
                        report,
                    );
                }
                Value::String(s) => {
                    let (name, value) = s.split_once(':').unwrap_or((DEFAULT_DOC_LABEL, s));
                    doc_labels.push(DocLabel {
                        id: format!("d{}", doc_labels.len() + 1),
                        name: name.to_owned(),
                        value: value.to_owned(),
                        ..DocLabel::default()
                    });
                }
                other => report.error(
                    file,
                    Some(line_no),
                    format!(
                        "label item {other} is neither [start, end, label] nor a string; skipped"
                    ),
                ),
            }
        }
    }
    let mut ids: std::collections::HashMap<String, String> = Default::default();
    if let Some(Value::Array(ents)) = obj.get("entities") {
        for e in ents {
            let sid = add_span(
                num(e.get("start_offset")),
                num(e.get("end_offset")),
                e.get("label").and_then(Value::as_str),
                report,
            );
            if let (Some(sid), Some(eid)) = (sid, id_string(e.get("id"))) {
                ids.insert(eid, sid);
            }
        }
    }
    if let Some(Value::Array(rels)) = obj.get("relations") {
        for r in rels {
            let from = id_string(r.get("from_id")).and_then(|i| ids.get(&i).cloned());
            let to = id_string(r.get("to_id")).and_then(|i| ids.get(&i).cloned());
            let kind = r.get("type").and_then(Value::as_str);
            match (from, to, kind) {
                (Some(from), Some(to), Some(kind)) => relations.push(Relation {
                    id: format!("r{}", relations.len() + 1),
                    kind: kind.to_owned(),
                    from,
                    to,
                    ..Relation::default()
                }),
                _ => report.error(
                    file,
                    Some(line_no),
                    format!("relation {r} names an unknown entity or has no type; skipped"),
                ),
            }
        }
    }
    report.documents += 1;
    report.spans += spans.len();
    report.relations += relations.len();
    report.doc_labels += doc_labels.len();
    Some(ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations: Annotations::from_parts(opts.status, spans, relations, doc_labels, Vec::new()),
    })
}

/// Writes doccano JSONL, one line per document (`id` = its position in the export).
pub struct DoccanoExporter {
    variant: Variant,
    unit: OffsetUnit,
}

impl DoccanoExporter {
    pub fn new(opts: &ExportOptions) -> Self {
        Self {
            variant: opts.doccano_variant,
            unit: opts.offset_unit,
        }
    }
}

/// The doccano record of one document.
pub fn record(
    doc: &ExportDoc,
    variant: Variant,
    unit: OffsetUnit,
    id: usize,
    report: &mut Report,
) -> Value {
    let d = &doc.doc;
    let a = &doc.annotations;
    let mut obj = Map::new();
    obj.insert("id".into(), json!(id));
    obj.insert("document".into(), json!(doc.relative));
    obj.insert("text".into(), json!(d.text()));
    let pieces_of = |s: &Span, report: &mut Report| {
        if s.is_discontinuous() {
            report.note(
                &doc.relative,
                None,
                format!(
                    "discontinuous span `{}` written as {} spans",
                    s.text,
                    s.fragments.len()
                ),
            );
        }
        if !s.attributes.is_empty() || s.note.is_some() {
            report.skip(
                "span attributes and notes (doccano has none)",
                &doc.relative,
                None,
                format!("on `{}` ({})", s.text, s.label),
            );
        }
        s.pieces()
    };
    match variant {
        Variant::Spans | Variant::Relations => {
            if variant == Variant::Spans {
                let mut labels = Vec::new();
                for s in a.spans() {
                    for p in pieces_of(s, report) {
                        labels.push(json!([
                            to_unit(d, p.start, unit),
                            to_unit(d, p.end, unit),
                            s.label
                        ]));
                    }
                }
                obj.insert("label".into(), Value::Array(labels));
                if !a.relations.is_empty() {
                    report.skip(
                        "relations (use the relations variant)",
                        &doc.relative,
                        None,
                        format!("{} relation(s)", a.relations.len()),
                    );
                }
            } else {
                let mut ents = Vec::new();
                let mut first_id: std::collections::HashMap<&str, usize> = Default::default();
                for s in a.spans() {
                    for p in pieces_of(s, report) {
                        let eid = ents.len() + 1;
                        first_id.entry(&s.id).or_insert(eid);
                        ents.push(json!({"id": eid, "label": s.label, "start_offset": to_unit(d, p.start, unit), "end_offset": to_unit(d, p.end, unit)}));
                    }
                }
                let mut rels = Vec::new();
                for r in &a.relations {
                    if let (Some(f), Some(t)) =
                        (first_id.get(r.from.as_str()), first_id.get(r.to.as_str()))
                    {
                        rels.push(
                            json!({"id": rels.len() + 1, "from_id": f, "to_id": t, "type": r.kind}),
                        );
                    }
                }
                report.relations += rels.len();
                obj.insert("entities".into(), Value::Array(ents));
                obj.insert("relations".into(), Value::Array(rels));
            }
            report.spans += a.spans().len();
            if !a.doc_labels.is_empty() {
                report.skip(
                    "document labels (use the classification variant)",
                    &doc.relative,
                    None,
                    format!("{} document label(s)", a.doc_labels.len()),
                );
            }
        }
        Variant::Classification => {
            let labels: Vec<String> = a
                .doc_labels
                .iter()
                .map(|l| {
                    if l.target.is_some() {
                        report.skip(
                            "stance target (doccano classification has none)",
                            &doc.relative,
                            None,
                            format!("{} = {}", l.name, l.value),
                        );
                    }
                    if l.name == DEFAULT_DOC_LABEL {
                        l.value.clone()
                    } else {
                        format!("{}:{}", l.name, l.value)
                    }
                })
                .collect();
            report.doc_labels += labels.len();
            obj.insert("label".into(), json!(labels));
            if !a.spans().is_empty() {
                report.skip(
                    "spans (the classification variant has none)",
                    &doc.relative,
                    None,
                    format!("{} span(s)", a.spans().len()),
                );
            }
        }
    }
    Value::Object(obj)
}

impl Exporter for DoccanoExporter {
    /// The record without its `id`, which is given in order when written.
    type Doc = Value;
    /// Documents written so far.
    type State = usize;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Value {
        report.documents += 1;
        record(doc, self.variant, self.unit, 0, report)
    }

    fn write(
        &self,
        written: &mut usize,
        mut v: Value,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        *written += 1;
        if let Some(o) = v.as_object_mut() {
            o.insert("id".into(), json!(*written));
        }
        let mut line = v.to_string();
        line.push('\n');
        out.append(line.as_bytes())
    }

    fn finish(
        &self,
        _written: usize,
        _schema: &crate::model::Schema,
        _out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_after_an_emoji() {
        // "😀 " is 3 UTF-16 units but 2 chars.
        let line = r#"{"text": "😀 قال عمرو", "label": [[7, 11, "PER"]]}"#;
        let mut r = Report::new();
        let d = parse_line("x.jsonl", 1, "x", line, &ImportOptions::default(), &mut r).unwrap();
        assert_eq!(d.annotations.spans()[0].text, "عمرو");
        assert_eq!(d.annotations.spans()[0].start, 6);
        let bad = r#"{"text": "😀 قال", "label": [[1, 3, "PER"], [0, 99, "X"]]}"#;
        let d = parse_line("x.jsonl", 2, "x", bad, &ImportOptions::default(), &mut r).unwrap();
        assert!(d.annotations.spans().is_empty());
        assert_eq!(r.errors().count(), 2);
        assert!(parse_line(
            "x.jsonl",
            3,
            "x",
            "{broken",
            &ImportOptions::default(),
            &mut r
        )
        .is_none());
        assert_eq!(r.errors().last().unwrap().line, Some(3));
    }
}
