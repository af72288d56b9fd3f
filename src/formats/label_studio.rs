//! Label Studio JSON: an array of tasks `{"id", "data": {"text"}, "annotations": [{"result": [..]}],
//! "predictions": [{"model_version", "result": [..]}]}`. Offsets are code points.
//!
//! Result items:
//! - `labels` (`value: {start, end, text, labels}`) → one span per label; the covered text is checked;
//! - `relation` (`from_id`, `to_id`, `direction`, `labels`) → relation (`left` swaps the ends,
//!   no label gives type `related`);
//! - `choices` whose `id` is a region's → that span's attribute `from_name` = first choice;
//!   other `choices` → document labels `from_name` = each choice (a stance target travels in the
//!   item's `meta.target`);
//! - `textarea` whose `id` is a region's → the span's note.
//!
//! The first annotation goes to the import's annotator, the k-th to `<annotator>-k`; predictions
//! become spans with source `model` and review `suggested` in the first annotator's sidecar.
//! Export writes accepted spans as an annotation and suggested model spans as a prediction.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::source::SourceFile;
use super::{
    make_span, ExportDoc, ExportOptions, Exporter, ImportOptions, Imported, ImportedDoc, Output,
    Report,
};
use crate::model::annotation::{
    Annotations, DocLabel, Relation, ReviewState, Source, Span, Target,
};
use crate::model::Document;

/// Relation type given to a Label Studio relation without labels.
pub const DEFAULT_RELATION: &str = "related";
/// `from_name` of span notes.
pub const NOTE_FIELD: &str = "note";

/// Reads one Label Studio JSON export (an array of tasks, or one task).
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    let v: Value = match serde_json::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            report.error(&file.name, Some(e.line()), format!("not JSON: {e}"));
            return;
        }
    };
    let tasks = match v {
        Value::Array(a) => a,
        o @ Value::Object(_) => vec![o],
        _ => {
            report.error(&file.name, None, "not a task list");
            return;
        }
    };
    let lines = task_lines(&file.text);
    for (t, task) in tasks.iter().enumerate() {
        let line = lines.get(t).copied();
        out.docs.extend(parse_task(
            &file.name,
            line,
            t + 1,
            &file.stem,
            task,
            opts,
            report,
        ));
    }
}

/// The line on which each element of a top-level JSON array starts (for messages); a single
/// top-level object gives its own line.
pub fn task_lines(json: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut top_is_array = false;
    for c in json.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                if depth == 0 {
                    top_is_array = c == '[';
                    if !top_is_array {
                        out.push(line);
                    }
                } else if depth == 1 && top_is_array {
                    out.push(line);
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// Reads the results of one annotation (or prediction) into `set`.
struct Builder<'a> {
    file: &'a str,
    task: usize,
    /// Line where the task starts in the file.
    line: Option<usize>,
    doc: &'a Document,
    spans: Vec<Span>,
    relations: Vec<Relation>,
    doc_labels: Vec<DocLabel>,
}

impl Builder<'_> {
    fn read(
        &mut self,
        results: &[Value],
        source: Source,
        review: ReviewState,
        report: &mut Report,
    ) {
        let file = self.file;
        let place = format!("task {}", self.task);
        let mut region: HashMap<String, Vec<String>> = HashMap::new(); // LS id -> span ids
                                                                       // Regions first, so that choices and relations can find them.
        for r in results {
            if r.get("type").and_then(Value::as_str) != Some("labels") {
                continue;
            }
            let v = r.get("value").cloned().unwrap_or(Value::Null);
            let start = v.get("start").and_then(Value::as_u64).map(|x| x as usize);
            let end = v.get("end").and_then(Value::as_u64).map(|x| x as usize);
            let labels: Vec<&str> = v
                .get("labels")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let (Some(start), Some(end)) = (start, end) else {
                report.error(
                    file,
                    self.line,
                    format!("{place}: region without start/end; skipped"),
                );
                continue;
            };
            if end > self.doc.len_chars() || start >= end {
                report.error(
                    file,
                    self.line,
                    format!(
                        "{place}: region {start}..{end} is empty or past the end of the text ({} chars); skipped",
                        self.doc.len_chars()
                    ),
                );
                continue;
            }
            let covered = self.doc.slice(start..end).unwrap_or("");
            if let Some(t) = v.get("text").and_then(Value::as_str) {
                if t != covered {
                    report.error(
                        file,
                        self.line,
                        format!("{place}: region text `{t}` does not match the text at {start}..{end}: `{covered}`; skipped"),
                    );
                    continue;
                }
            }
            let rid = r.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            for label in labels {
                let id = format!("s{}", self.spans.len() + 1);
                if let Some(sp) = make_span(
                    self.doc,
                    id.clone(),
                    std::iter::once(start..end).collect(),
                    label,
                    source,
                    review,
                ) {
                    self.spans.push(sp);
                    region.entry(rid.clone()).or_default().push(id);
                }
            }
        }
        for r in results {
            let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
            let rid = r.get("id").and_then(Value::as_str).unwrap_or("");
            let from_name = r.get("from_name").and_then(Value::as_str).unwrap_or("");
            let v = r.get("value").cloned().unwrap_or(Value::Null);
            match kind {
                "labels" => {}
                "relation" => {
                    let f = r
                        .get("from_id")
                        .and_then(Value::as_str)
                        .and_then(|i| region.get(i))
                        .and_then(|v| v.first());
                    let t = r
                        .get("to_id")
                        .and_then(Value::as_str)
                        .and_then(|i| region.get(i))
                        .and_then(|v| v.first());
                    let (Some(f), Some(t)) = (f.cloned(), t.cloned()) else {
                        report.error(
                            file,
                            self.line,
                            format!("{place}: relation between unknown regions; skipped"),
                        );
                        continue;
                    };
                    let (from, to) = if r.get("direction").and_then(Value::as_str) == Some("left") {
                        (t, f)
                    } else {
                        (f, t)
                    };
                    let labels: Vec<String> = r
                        .get("labels")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    let labels = if labels.is_empty() {
                        vec![DEFAULT_RELATION.to_owned()]
                    } else {
                        labels
                    };
                    for kind in labels {
                        self.relations.push(Relation {
                            id: format!("r{}", self.relations.len() + 1),
                            kind,
                            from: from.clone(),
                            to: to.clone(),
                            ..Relation::default()
                        });
                    }
                }
                "choices" | "taxonomy" => {
                    let choices: Vec<String> = v
                        .get("choices")
                        .or_else(|| v.get("taxonomy"))
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|c| {
                                    c.as_str().map(str::to_owned).or_else(|| {
                                        c.as_array().map(|x| {
                                            x.iter()
                                                .filter_map(Value::as_str)
                                                .collect::<Vec<_>>()
                                                .join("/")
                                        })
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if let Some(ids) = region.get(rid) {
                        if choices.len() > 1 {
                            report.note(
                                file,
                                self.line,
                                format!(
                                    "{place}: several choices for `{from_name}`; joined by `,`"
                                ),
                            );
                        }
                        for sid in ids {
                            if let Some(sp) = self.spans.iter_mut().find(|s| s.id == *sid) {
                                sp.attributes
                                    .insert(from_name.to_owned(), choices.join(","));
                            }
                        }
                    } else {
                        let target = r
                            .get("meta")
                            .and_then(|m| m.get("target"))
                            .and_then(Value::as_str)
                            .map(|t| Target::Text(t.to_owned()));
                        for c in choices {
                            self.doc_labels.push(DocLabel {
                                id: format!("d{}", self.doc_labels.len() + 1),
                                name: from_name.to_owned(),
                                value: c,
                                target: target.clone(),
                                ..DocLabel::default()
                            });
                        }
                    }
                }
                "textarea" => {
                    let texts: Vec<String> = v
                        .get("text")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    match region.get(rid) {
                        Some(ids) => {
                            for sid in ids {
                                if let Some(sp) = self.spans.iter_mut().find(|s| s.id == *sid) {
                                    sp.note = Some(texts.join("\n"));
                                }
                            }
                        }
                        None => report.skip(
                            "document-level text area",
                            file,
                            self.line,
                            format!("{place}: `{from_name}`: {}", texts.join(" / ")),
                        ),
                    }
                }
                other => report.skip(
                    "unsupported Label Studio result type",
                    file,
                    self.line,
                    format!("{place}: type `{other}`"),
                ),
            }
        }
    }
}

/// Parses one task into one document per annotation (at least one).
pub fn parse_task(
    file: &str,
    line: Option<usize>,
    index: usize,
    stem: &str,
    task: &Value,
    opts: &ImportOptions,
    report: &mut Report,
) -> Vec<ImportedDoc> {
    let data = task.get("data");
    let text = data
        .and_then(|d| d.get("text"))
        .and_then(Value::as_str)
        .or_else(|| {
            data.and_then(Value::as_object)
                .and_then(|o| o.values().find_map(Value::as_str))
        });
    let Some(text) = text else {
        report.error(
            file,
            line,
            format!("task {index}: no text in `data`; skipped"),
        );
        return Vec::new();
    };
    let task_id = match task.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => index.to_string(),
    };
    let name = data
        .and_then(|d| d.get("document"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{stem}-{task_id}.txt"));
    let doc = Document::from_text(name.clone(), text.to_owned());
    let list = |k: &str| -> Vec<Value> {
        task.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let annotations = list("annotations");
    let predictions = list("predictions");
    let mut out = Vec::new();
    let n = annotations.len().max(1);
    for k in 0..n {
        let mut b = Builder {
            file,
            task: index,
            line,
            doc: &doc,
            spans: Vec::new(),
            relations: Vec::new(),
            doc_labels: Vec::new(),
        };
        if let Some(a) = annotations.get(k) {
            if a.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
                report.note(
                    file,
                    line,
                    format!("task {index}: annotation {} was cancelled", k + 1),
                );
            }
            let results = a
                .get("result")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            b.read(&results, Source::Imported, ReviewState::Accepted, report);
        }
        if k == 0 {
            for p in &predictions {
                let results = p
                    .get("result")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                b.read(&results, Source::Model, ReviewState::Suggested, report);
            }
        }
        report.documents += usize::from(k == 0);
        report.spans += b.spans.len();
        report.relations += b.relations.len();
        report.doc_labels += b.doc_labels.len();
        out.push(ImportedDoc {
            name: name.clone(),
            annotator: (k > 0).then(|| format!("{}-{}", opts.annotator, k + 1)),
            doc: doc.clone(),
            annotations: Annotations::from_parts(
                opts.status,
                b.spans,
                b.relations,
                b.doc_labels,
                Vec::new(),
            ),
        });
    }
    out
}

/// Writes a Label Studio JSON task list, one task after the other as they come.
pub struct LabelStudioExporter;

impl LabelStudioExporter {
    pub fn new(_opts: &ExportOptions) -> Self {
        Self
    }
}

fn region_results(s: &Span, doc: &ExportDoc, report: &mut Report) -> Vec<Value> {
    let mut out = Vec::new();
    if s.is_discontinuous() {
        report.note(
            &doc.relative,
            None,
            format!(
                "discontinuous span `{}` written as {} regions",
                s.text,
                s.fragments.len()
            ),
        );
    }
    for (k, p) in s.pieces().into_iter().enumerate() {
        let id = if k == 0 {
            s.id.clone()
        } else {
            format!("{}-{}", s.id, k + 1)
        };
        let text = doc.doc.slice(p.clone()).unwrap_or("");
        out.push(
            json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": p.start, "end": p.end, "text": text, "labels": [s.label]}}),
        );
        if k == 0 {
            for (name, value) in &s.attributes {
                out.push(
                    json!({"id": id, "from_name": name, "to_name": "text", "type": "choices",
                    "value": {"start": p.start, "end": p.end, "choices": [value]}}),
                );
            }
            if let Some(note) = &s.note {
                out.push(
                    json!({"id": id, "from_name": NOTE_FIELD, "to_name": "text", "type": "textarea",
                    "value": {"start": p.start, "end": p.end, "text": [note]}}),
                );
            }
        }
    }
    out
}

/// The Label Studio task of one document.
pub fn task(doc: &ExportDoc, id: usize, report: &mut Report) -> Value {
    let a = &doc.annotations;
    let mut human = Vec::new();
    let mut predicted = Vec::new();
    let mut exported: BTreeMap<&str, bool> = BTreeMap::new(); // span id -> in predictions?
    for s in a.spans() {
        let is_prediction = s.source == Source::Model && s.review == ReviewState::Suggested;
        if s.review == ReviewState::Rejected {
            report.skip(
                "rejected span",
                &doc.relative,
                None,
                format!("`{}` ({})", s.text, s.label),
            );
            continue;
        }
        let r = region_results(s, doc, report);
        if is_prediction {
            predicted.extend(r);
        } else {
            human.extend(r);
        }
        exported.insert(&s.id, is_prediction);
        report.spans += 1;
    }
    for r in &a.relations {
        match (exported.get(r.from.as_str()), exported.get(r.to.as_str())) {
            (Some(false), Some(false)) => {
                human.push(json!({"type": "relation", "from_id": r.from, "to_id": r.to, "direction": "right", "labels": [r.kind]}));
                report.relations += 1;
            }
            _ => report.skip(
                "relation involving a suggested or rejected span",
                &doc.relative,
                None,
                format!("{} ({})", r.id, r.kind),
            ),
        }
    }
    for d in &a.doc_labels {
        let mut item = json!({"id": d.id, "from_name": d.name, "to_name": "text", "type": "choices", "value": {"choices": [d.value]}});
        match &d.target {
            Some(Target::Text(t)) => item["meta"] = json!({"target": t}),
            Some(Target::Span(sid)) => {
                let t = a.span(sid).map(|s| s.text.clone()).unwrap_or_default();
                item["meta"] = json!({"target": t});
                report.note(
                    &doc.relative,
                    None,
                    format!("stance target span {sid} written as its text"),
                );
            }
            None => {}
        }
        human.push(item);
        report.doc_labels += 1;
    }
    let mut t = json!({
        "id": id,
        "data": {"text": doc.doc.text(), "document": doc.relative},
        "annotations": [{"result": human}],
    });
    if !predicted.is_empty() {
        t["predictions"] = json!([{"model_version": "hashiya", "result": predicted}]);
    }
    t
}

impl Exporter for LabelStudioExporter {
    /// The task, without its `id` (given in order when written).
    type Doc = Value;
    /// Tasks written so far.
    type State = usize;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Value {
        report.documents += 1;
        task(doc, 0, report)
    }

    fn write(
        &self,
        written: &mut usize,
        mut t: Value,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        *written += 1;
        if let Some(o) = t.as_object_mut() {
            o.insert("id".into(), json!(*written));
        }
        // The same bytes as pretty-printing the whole array at once, one task at a time.
        let pretty = serde_json::to_string_pretty(&t).map_err(std::io::Error::other)?;
        let mut text = String::with_capacity(pretty.len() + pretty.len() / 8);
        text.push_str(if *written == 1 { "[\n" } else { ",\n" });
        for (k, line) in pretty.split('\n').enumerate() {
            if k > 0 {
                text.push('\n');
            }
            text.push_str("  ");
            text.push_str(line);
        }
        out.append(text.as_bytes())
    }

    fn finish(
        &self,
        written: usize,
        _schema: &crate::model::Schema,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        let end: &[u8] = if written == 0 { b"[]\n" } else { b"\n]\n" };
        out.append(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_the_line_of_their_task() {
        let json = "[\n  {\"data\": {\"text\": \"a [b] {c}\"}},\n  {\"id\": 2,\n   \"data\": {\"text\": \"قال\"},\n   \"annotations\": [{\"result\": [{\"id\": \"x\", \"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 9, \"labels\": [\"PER\"]}}]}]}\n]";
        assert_eq!(task_lines(json), vec![2, 3]);
        let v: Value = serde_json::from_str(json).unwrap();
        let mut r = Report::new();
        let docs = parse_task(
            "t.json",
            Some(3),
            2,
            "t",
            &v[1],
            &ImportOptions::default(),
            &mut r,
        );
        assert_eq!(docs.len(), 1);
        let e = r.errors().next().unwrap();
        assert_eq!((e.file.as_str(), e.line), ("t.json", Some(3)));
        assert!(e.message.contains("past the end"));
    }
}
