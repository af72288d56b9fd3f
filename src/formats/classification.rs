//! Classification datasets: stance (text, target, stance) and claims (claim text, source,
//! attributes), as CSV (RFC 4180: a header row, fields quoted only when they hold `,`, `"` or a line
//! end) or JSONL (one object per row, keys = the CSV header).
//!
//! Import maps columns by header name (case-insensitive):
//! - stance: text ← `text`, `s2`, `sentence`, `headline`, `body`; target ← `target`, `s1`, `claim`,
//!   `topic`; stance ← `stance`, `label`. Each row becomes an article holding the text, with the
//!   document label `stance` = value toward the target text.
//! - claims: claim text ← `claim`, `claim_s`, `claim_text`, `text`, `sentence`; every other column
//!   (`source`, `fake_flag`, ...) becomes an attribute of one `CLAIM` span covering the text.
//!
//! Export writes one row per stance label (stance) or per `CLAIM` span (claims). Columns are
//! chosen with `HEADER=FIELD` pairs, FIELD one of `text`, `target`, `label`, `source`, `document`,
//! `attr:NAME`; defaults: `text=text,target=target,stance=label` and
//! `claim=text,source=source` plus one column per claim attribute seen.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::source::{json_lines, SourceFile};
use super::{
    make_span, ExportDoc, ExportOptions, Exporter, Format, ImportOptions, Imported, ImportedDoc,
    Output, Report,
};
use crate::model::annotation::{Annotations, DocLabel, ReviewState, Source, Target};
use crate::model::{Document, Schema};

/// Span label of claims.
pub const CLAIM_LABEL: &str = "CLAIM";
/// Document label name of stances.
pub const STANCE_LABEL: &str = "stance";

const TEXT_STANCE: &[&str] = &["text", "s2", "sentence", "headline", "body"];
const TARGET_STANCE: &[&str] = &["target", "s1", "claim", "topic"];
const LABEL_STANCE: &[&str] = &["stance", "label"];
const TEXT_CLAIM: &[&str] = &["claim", "claim_s", "claim_text", "text", "sentence"];

/// CSV records as (line number where the record starts, fields).
pub type CsvRecords = Vec<(usize, Vec<String>)>;

/// Reads CSV; an error gives the line and what is wrong.
pub fn parse_csv(text: &str) -> Result<CsvRecords, (usize, String)> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let mut field = String::new();
    let mut fields: Vec<String> = Vec::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if !(fields.len() == 1 && fields[0].is_empty()) {
                    out.push((start_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                line += 1;
                start_line = line;
                any = false;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err((start_line, "a quoted field is not closed".into()));
    }
    if any {
        fields.push(field);
        if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push((start_line, fields));
        }
    }
    Ok(out)
}

/// One CSV field, quoted when needed.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn is_stance(format: Format) -> bool {
    matches!(format, Format::StanceCsv | Format::StanceJsonl)
}

fn is_jsonl(format: Format) -> bool {
    matches!(format, Format::StanceJsonl | Format::ClaimsJsonl)
}

/// The rows of a classification file as (line, (header, value) pairs), problems reported.
fn rows_of(
    format: Format,
    file: &SourceFile,
    report: &mut Report,
) -> Vec<(usize, Vec<(String, String)>)> {
    let name = &file.name;
    if is_jsonl(format) {
        let mut rows = Vec::new();
        for (line, v) in json_lines(&file.text) {
            match v {
                Ok(Value::Object(obj)) => rows.push((
                    line,
                    obj.into_iter()
                        .map(|(k, v)| {
                            let s = match v {
                                Value::String(s) => s,
                                Value::Null => String::new(),
                                other => other.to_string(),
                            };
                            (k, s)
                        })
                        .collect(),
                )),
                Ok(_) => report.error(name, Some(line), "not a JSON object; line skipped"),
                Err(e) => report.error(name, Some(line), format!("{e}; line skipped")),
            }
        }
        return rows;
    }
    match parse_csv(&file.text) {
        Ok(records) => {
            let mut it = records.into_iter();
            let Some((_, header)) = it.next() else {
                report.error(name, Some(1), "empty file");
                return Vec::new();
            };
            let header: Vec<String> = header.into_iter().map(|h| h.trim().to_owned()).collect();
            let mut rows = Vec::new();
            for (line, fields) in it {
                if fields.len() != header.len() {
                    report.error(
                        name,
                        Some(line),
                        format!(
                            "{} fields, the header has {}; row skipped",
                            fields.len(),
                            header.len()
                        ),
                    );
                    continue;
                }
                rows.push((line, header.iter().cloned().zip(fields).collect()));
            }
            rows
        }
        Err((line, msg)) => {
            report.error(name, Some(line), msg);
            Vec::new()
        }
    }
}

/// Reads one classification file: one article per row.
pub fn parse_source(
    format: Format,
    src: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    let file = src.name.clone();
    let stem = &src.stem;
    let rows = rows_of(format, src, report);
    {
        let mut warned: BTreeSet<String> = BTreeSet::new();
        for (line, row) in rows {
            let find = |names: &[&str]| {
                row.iter()
                    .find(|(k, _)| names.contains(&k.to_ascii_lowercase().as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
            };
            let name = format!("{stem}-{line:06}.txt");
            if is_stance(format) {
                let (Some(text), Some(label)) = (find(TEXT_STANCE), find(LABEL_STANCE)) else {
                    report.error(&file, Some(line), "no text or stance column; row skipped");
                    continue;
                };
                let target = find(TARGET_STANCE);
                for (k, _) in &row {
                    let used = [Some(&text.0), Some(&label.0), target.as_ref().map(|t| &t.0)];
                    if !used.contains(&Some(k)) && warned.insert(k.clone()) {
                        report.error(&file, Some(line), format!("unknown column `{k}` ignored"));
                    }
                }
                if text.1.is_empty() {
                    report.error(&file, Some(line), "empty text; row skipped");
                    continue;
                }
                let doc = Document::from_text(name.clone(), text.1);
                let labels = vec![DocLabel {
                    id: "d1".into(),
                    name: STANCE_LABEL.into(),
                    value: label.1,
                    target: target.map(|t| Target::Text(t.1)),
                    ..DocLabel::default()
                }];
                report.documents += 1;
                report.doc_labels += 1;
                out.docs.push(ImportedDoc {
                    name,
                    annotator: None,
                    doc,
                    annotations: Annotations::from_parts(
                        opts.status,
                        Vec::new(),
                        Vec::new(),
                        labels,
                        Vec::new(),
                    ),
                });
            } else {
                let Some(text) = find(TEXT_CLAIM) else {
                    report.error(&file, Some(line), "no claim text column; row skipped");
                    continue;
                };
                let doc = Document::from_text(name.clone(), text.1.clone());
                // The whole text, spaces included, so that the claim comes back byte for byte.
                let range = 0..doc.len_chars();
                let Some(mut span) = make_span(
                    &doc,
                    "s1".into(),
                    vec![range],
                    CLAIM_LABEL,
                    Source::Imported,
                    ReviewState::Accepted,
                ) else {
                    report.error(&file, Some(line), "empty claim; row skipped");
                    continue;
                };
                for (k, v) in row.into_iter().filter(|(k, _)| *k != text.0) {
                    span.attributes.insert(k, v);
                }
                report.documents += 1;
                report.spans += 1;
                out.docs.push(ImportedDoc {
                    name,
                    annotator: None,
                    doc,
                    annotations: Annotations::from_parts(
                        opts.status,
                        vec![span],
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                    ),
                });
            }
        }
    }
}

/// A column's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Text,
    Target,
    Label,
    Source,
    Document,
    Attr(String),
}

fn parse_field(s: &str) -> Option<Field> {
    Some(match s {
        "text" => Field::Text,
        "target" => Field::Target,
        "label" | "stance" => Field::Label,
        "source" => Field::Source,
        "document" => Field::Document,
        _ => Field::Attr(s.strip_prefix("attr:")?.to_owned()),
    })
}

/// Writes stance or claims CSV/JSONL.
pub struct ClassificationExporter {
    format: Format,
    columns: Vec<(String, Field)>,
    bad_columns: Vec<String>,
}

/// Rows of (field -> value) of one document.
pub type Rows = Vec<Vec<(Field, String)>>;

/// The classification writer keeps the rows until the last document: the default columns of
/// claims depend on every attribute seen. (Rows are a few fields per document.)
#[derive(Debug, Default)]
pub struct ClassificationState {
    rows: Rows,
    attrs: BTreeSet<String>,
}

impl ClassificationExporter {
    pub fn new(format: Format, opts: &ExportOptions) -> Self {
        let mut columns = Vec::new();
        let mut bad_columns = Vec::new();
        for c in &opts.columns {
            match c
                .split_once('=')
                .and_then(|(h, f)| Some((h.to_owned(), parse_field(f)?)))
            {
                Some(col) => columns.push(col),
                None => bad_columns.push(c.clone()),
            }
        }
        Self {
            format,
            columns,
            bad_columns,
        }
    }
}

impl Exporter for ClassificationExporter {
    type Doc = Rows;
    type State = ClassificationState;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Rows {
        let mut rows = Vec::new();
        let a = &doc.annotations;
        let docname = doc.relative.clone();
        if is_stance(self.format) {
            for l in a.doc_labels.iter().filter(|l| l.name == STANCE_LABEL) {
                let target = match &l.target {
                    Some(Target::Text(t)) => t.clone(),
                    Some(Target::Span(id)) => {
                        a.span(id).map(|s| s.text.clone()).unwrap_or_default()
                    }
                    None => String::new(),
                };
                rows.push(vec![
                    (Field::Text, doc.doc.text().to_owned()),
                    (Field::Target, target),
                    (Field::Label, l.value.clone()),
                    (Field::Source, docname.clone()),
                    (Field::Document, docname.clone()),
                ]);
                report.doc_labels += 1;
            }
        } else {
            for s in a.spans().iter().filter(|s| s.label == CLAIM_LABEL) {
                let mut row = vec![
                    (Field::Text, s.text.clone()),
                    (Field::Label, s.label.clone()),
                    (
                        Field::Source,
                        s.attributes
                            .get("source")
                            .cloned()
                            .unwrap_or_else(|| docname.clone()),
                    ),
                    (Field::Document, docname.clone()),
                ];
                for (k, v) in &s.attributes {
                    row.push((Field::Attr(k.clone()), v.clone()));
                }
                rows.push(row);
                report.spans += 1;
            }
        }
        report.documents += 1;
        rows
    }

    fn write(
        &self,
        state: &mut ClassificationState,
        rows: Rows,
        _out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        for row in &rows {
            for (f, _) in row {
                if let Field::Attr(k) = f {
                    if k != "source" {
                        state.attrs.insert(k.clone());
                    }
                }
            }
        }
        state.rows.extend(rows);
        Ok(())
    }

    fn finish(
        &self,
        state: ClassificationState,
        _schema: &Schema,
        out: &mut dyn Output,
        report: &mut Report,
    ) -> std::io::Result<()> {
        for b in &self.bad_columns {
            report.error(
                "--columns",
                None,
                format!(
                    "`{b}` is not HEADER=FIELD (text, target, label, source, document, attr:NAME)"
                ),
            );
        }
        let columns = if !self.columns.is_empty() {
            self.columns.clone()
        } else if is_stance(self.format) {
            vec![
                ("text".into(), Field::Text),
                ("target".into(), Field::Target),
                ("stance".into(), Field::Label),
            ]
        } else {
            let mut c = vec![
                ("claim".into(), Field::Text),
                ("source".into(), Field::Source),
            ];
            c.extend(
                state
                    .attrs
                    .iter()
                    .map(|a| (a.clone(), Field::Attr(a.clone()))),
            );
            c
        };
        let value = |row: &[(Field, String)], f: &Field| {
            row.iter()
                .find(|(g, _)| g == f)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut text = String::new();
        if is_jsonl(self.format) {
            for row in &state.rows {
                let mut obj = Map::new();
                for (h, f) in &columns {
                    obj.insert(h.clone(), Value::String(value(row, f)));
                }
                text.push_str(&Value::Object(obj).to_string());
                text.push('\n');
            }
        } else {
            let header: Vec<String> = columns.iter().map(|(h, _)| csv_field(h)).collect();
            text.push_str(&header.join(","));
            text.push('\n');
            for row in &state.rows {
                let fields: Vec<String> = columns
                    .iter()
                    .map(|(_, f)| csv_field(&value(row, f)))
                    .collect();
                text.push_str(&fields.join(","));
                text.push('\n');
            }
        }
        out.append(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trip() {
        let recs = parse_csv("a,b\r\n\"x, \"\"y\"\"\",2\n\"multi\nline\",3\n").unwrap();
        assert_eq!(recs[1], (2, vec!["x, \"y\"".to_owned(), "2".to_owned()]));
        assert_eq!(recs[2], (3, vec!["multi\nline".to_owned(), "3".to_owned()]));
        assert_eq!(csv_field("x, \"y\""), "\"x, \"\"y\"\"\"");
        assert!(parse_csv("a\n\"open").is_err());
    }
}
