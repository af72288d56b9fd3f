//! Prodigy / spaCy JSONL: one task per line,
//! `{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start", "end", "label",
//! "token_start", "token_end"}], "relations": [...], "meta": {"document"}}`. Offsets are code
//! points (Python `str` indices); `token_end` is inclusive, as Prodigy writes it.
//!
//! Export writes one task per document. Its tokens are the recorded ones (or the tokenizer's),
//! split at span edges, so that every span starts at a token's start and ends at a token's end;
//! white space between tokens follows spaCy's convention: a single space after a token is its
//! `ws`, any other white space is a token of its own (`"\n"`), so that spaCy's
//! `Doc(words, spaces)` gives the text back exactly. Relations are written as Prodigy's
//! `rel.manual` does: `head`/`child` token indices with `head_span`/`child_span`.
//!
//! Import reads the same: spans (checked against the text), relations between spans, the tokens
//! (recorded with the document, white-space tokens left out). A task answered `reject` has its
//! spans marked rejected; one answered `ignore` is left out (reported).

use std::ops::Range;

use serde_json::{json, Map, Value};

use super::conll::{report_what_tokens_cannot_hold, sentences_for};
use super::source::{json_lines, SourceFile};
use super::tokenize::split_at_edges;
use super::{
    make_span, ExportDoc, ExportOptions, Exporter, ImportOptions, Imported, ImportedDoc, Output,
    Report,
};
use crate::model::annotation::{Annotations, Relation, ReviewState, Source, Span};
use crate::model::{Document, Schema};

/// A token as Prodigy writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PToken {
    pub range: Range<usize>,
    /// Followed by one space that belongs to it.
    pub ws: bool,
}

/// The tokens of a document for Prodigy/spaCy: `words` cut at every span edge, and the white
/// space between them as spaCy has it (see the module's doc).
pub fn spacy_tokens(text: &str, words: &[Range<usize>]) -> Vec<PToken> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<PToken> = Vec::with_capacity(words.len() * 2);
    let mut pos = 0usize;
    let gap = |from: usize, to: usize, out: &mut Vec<PToken>| {
        if from >= to {
            return;
        }
        let mut start = from;
        if let Some(last) = out.last_mut() {
            if last.range.end == from && chars.get(from) == Some(&' ') && !last.ws {
                last.ws = true;
                start += 1;
            }
        }
        if start < to {
            out.push(PToken {
                range: start..to,
                ws: false,
            });
        }
    };
    for w in words {
        gap(pos, w.start, &mut out);
        out.push(PToken {
            range: w.clone(),
            ws: false,
        });
        pos = w.end;
    }
    gap(pos, chars.len(), &mut out);
    out
}

/// Writes Prodigy JSONL.
pub struct ProdigyExporter {
    opts: ExportOptions,
}

impl ProdigyExporter {
    pub fn new(opts: &ExportOptions) -> Self {
        Self { opts: opts.clone() }
    }
}

fn slice(chars: &[char], r: &Range<usize>) -> String {
    chars.get(r.clone()).unwrap_or(&[]).iter().collect()
}

/// The Prodigy task of one document.
pub fn task(doc: &ExportDoc, opts: &ExportOptions, report: &mut Report) -> Value {
    let text = doc.doc.text();
    let chars: Vec<char> = text.chars().collect();
    let a = &doc.annotations;
    let mut sentences = sentences_for(doc, opts);
    let mut edges: Vec<usize> = a
        .spans()
        .iter()
        .flat_map(|s| s.pieces())
        .flat_map(|p| [p.start, p.end])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let split = split_at_edges(&mut sentences, &edges);
    report.tokens_split += split;
    let words: Vec<Range<usize>> = sentences.into_iter().flatten().collect();
    let tokens = spacy_tokens(text, &words);
    report.tokens += tokens.len();
    // Token index by start and by end char.
    let mut by_start = std::collections::HashMap::new();
    let mut by_end = std::collections::HashMap::new();
    for (k, t) in tokens.iter().enumerate() {
        by_start.insert(t.range.start, k);
        by_end.insert(t.range.end, k);
    }
    let mut spans_json = Vec::new();
    // First token and last token of each exported span, for relations.
    let mut placed: std::collections::HashMap<&str, (usize, usize, Range<usize>, &str)> =
        Default::default();
    for s in a.spans() {
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
        for p in s.pieces() {
            match (by_start.get(&p.start), by_end.get(&p.end)) {
                (Some(&ts), Some(&te)) => {
                    spans_json.push(json!({
                        "start": p.start, "end": p.end, "label": s.label,
                        "token_start": ts, "token_end": te,
                    }));
                    placed.entry(&s.id).or_insert((ts, te, p.clone(), &s.label));
                }
                _ => report.skip(
                    "span covering no token",
                    &doc.relative,
                    None,
                    format!("`{}` ({}) at {}..{}", s.text, s.label, p.start, p.end),
                ),
            }
        }
        report.spans += 1;
    }
    let mut rels = Vec::new();
    for r in &a.relations {
        match (placed.get(r.from.as_str()), placed.get(r.to.as_str())) {
            (Some(h), Some(c)) => {
                let span_json = |x: &(usize, usize, Range<usize>, &str)| json!({"start": x.2.start, "end": x.2.end, "token_start": x.0, "token_end": x.1, "label": x.3});
                rels.push(json!({
                    "head": h.1, "child": c.1, "label": r.kind,
                    "head_span": span_json(h), "child_span": span_json(c),
                }));
                report.relations += 1;
            }
            _ => report.skip(
                "relation to a missing span",
                &doc.relative,
                None,
                format!("relation {} ({})", r.id, r.kind),
            ),
        }
    }
    // What Prodigy cannot hold besides relations: counted, not silently dropped.
    let mut rest = doc.clone();
    rest.annotations.relations.clear();
    report_what_tokens_cannot_hold(&rest, report);
    let tokens_json: Vec<Value> = tokens
        .iter()
        .enumerate()
        .map(|(k, t)| {
            json!({"text": slice(&chars, &t.range), "start": t.range.start, "end": t.range.end, "id": k, "ws": t.ws})
        })
        .collect();
    let mut task = Map::new();
    task.insert("text".into(), json!(text));
    task.insert("tokens".into(), Value::Array(tokens_json));
    task.insert("spans".into(), Value::Array(spans_json));
    if !rels.is_empty() {
        task.insert("relations".into(), Value::Array(rels));
    }
    task.insert("meta".into(), json!({"document": doc.relative}));
    task.insert("answer".into(), json!("accept"));
    Value::Object(task)
}

impl Exporter for ProdigyExporter {
    type Doc = String;
    type State = ();

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> String {
        let mut line = task(doc, &self.opts, report).to_string();
        line.push('\n');
        report.documents += 1;
        line
    }

    fn write(
        &self,
        _state: &mut (),
        line: String,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        out.append(line.as_bytes())
    }

    fn finish(
        &self,
        _state: (),
        _schema: &Schema,
        _out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

fn num(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_u64)
        .and_then(|x| usize::try_from(x).ok())
}

/// Reads one Prodigy JSONL file.
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    for (line, v) in json_lines(&file.text) {
        match v {
            Ok(v) => {
                if let Some(d) = parse_task(&file.name, line, &file.stem, &v, opts, report) {
                    out.docs.push(d);
                }
            }
            Err(e) => report.error(&file.name, Some(line), format!("{e}; line skipped")),
        }
    }
}

/// Parses one Prodigy task.
pub fn parse_task(
    file: &str,
    line: usize,
    stem: &str,
    v: &Value,
    opts: &ImportOptions,
    report: &mut Report,
) -> Option<ImportedDoc> {
    let Some(text) = v.get("text").and_then(Value::as_str) else {
        report.error(file, Some(line), "no `text` string; line skipped");
        return None;
    };
    let answer = v.get("answer").and_then(Value::as_str).unwrap_or("accept");
    if answer == "ignore" {
        report.skip(
            "Prodigy task answered `ignore`",
            file,
            Some(line),
            "task left out",
        );
        return None;
    }
    let review = if answer == "reject" {
        report.note(
            file,
            Some(line),
            "task answered `reject`: its spans are imported as rejected",
        );
        ReviewState::Rejected
    } else {
        ReviewState::Accepted
    };
    let name = v
        .get("meta")
        .and_then(|m| m.get("document"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{stem}-{line:06}.txt"));
    let doc = Document::from_text(name.clone(), text.to_owned());
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let mut spans: Vec<Span> = Vec::new();
    // (start, end, label) -> span id, for relations.
    let mut by_place: std::collections::HashMap<(usize, usize, String), String> =
        Default::default();
    for item in v
        .get("spans")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(s), Some(e), Some(label)) = (
            num(item.get("start")),
            num(item.get("end")),
            item.get("label").and_then(Value::as_str),
        ) else {
            report.error(
                file,
                Some(line),
                format!("span {item} has no start, end and label; skipped"),
            );
            continue;
        };
        if s >= e || e > len {
            report.error(
                file,
                Some(line),
                format!("span {s}..{e} ({label}) is empty or past the end of the text ({len} chars); skipped"),
            );
            continue;
        }
        let id = format!("s{}", spans.len() + 1);
        if let Some(mut sp) = make_span(
            &doc,
            id.clone(),
            std::iter::once(s..e).collect(),
            label,
            Source::Imported,
            review,
        ) {
            sp.review = review;
            by_place.insert((s, e, label.to_owned()), id);
            spans.push(sp);
        }
    }
    let mut relations = Vec::new();
    for r in v
        .get("relations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let end_of = |k: &str| {
            let sp = r.get(k)?;
            let key = (
                num(sp.get("start"))?,
                num(sp.get("end"))?,
                sp.get("label")?.as_str()?.to_owned(),
            );
            by_place.get(&key).cloned()
        };
        match (
            end_of("head_span"),
            end_of("child_span"),
            r.get("label").and_then(Value::as_str),
        ) {
            (Some(from), Some(to), Some(kind)) => relations.push(Relation {
                id: format!("r{}", relations.len() + 1),
                kind: kind.to_owned(),
                from,
                to,
                ..Relation::default()
            }),
            _ => report.skip(
                "Prodigy relation between tokens that are not spans",
                file,
                Some(line),
                format!("relation {r}"),
            ),
        }
    }
    let mut tokens: Vec<Range<usize>> = Vec::new();
    let mut tokens_ok = true;
    for t in v
        .get("tokens")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(s), Some(e)) = (num(t.get("start")), num(t.get("end"))) else {
            tokens_ok = false;
            break;
        };
        let covered = slice(&chars, &(s..e));
        if s >= e || e > len || t.get("text").and_then(Value::as_str) != Some(covered.as_str()) {
            tokens_ok = false;
            break;
        }
        // White space tokens (spaCy's) are not tokens here.
        if covered.trim().is_empty() {
            continue;
        }
        if tokens.last().is_some_and(|l| l.end > s) {
            tokens_ok = false;
            break;
        }
        tokens.push(s..e);
    }
    if !tokens_ok {
        report.error(
            file,
            Some(line),
            "tokens do not match the text (or overlap); the document is imported without them",
        );
    }
    report.documents += 1;
    report.spans += spans.len();
    report.relations += relations.len();
    let mut annotations =
        Annotations::from_parts(opts.status, spans, relations, Vec::new(), Vec::new());
    if tokens_ok && !tokens.is_empty() {
        report.tokens += tokens.len();
        annotations.tokens = Some(tokens);
    }
    Some(ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, toks: &[PToken]) -> Vec<(String, bool)> {
        let chars: Vec<char> = text.chars().collect();
        toks.iter()
            .map(|t| (slice(&chars, &t.range), t.ws))
            .collect()
    }

    #[test]
    fn white_space_between_tokens_follows_spacy() {
        let text = "قال  عمرو\nفي مصر ";
        let words = vec![0..3, 5..9, 10..12, 13..16];
        let toks = spacy_tokens(text, &words);
        assert_eq!(
            texts(text, &toks),
            vec![
                ("قال".into(), true),
                (" ".into(), false),
                ("عمرو".into(), false),
                ("\n".into(), false),
                ("في".into(), true),
                ("مصر".into(), true),
            ]
        );
        // words + spaces give the text back.
        let chars: Vec<char> = text.chars().collect();
        let back: String = toks
            .iter()
            .map(|t| format!("{}{}", slice(&chars, &t.range), if t.ws { " " } else { "" }))
            .collect();
        assert_eq!(back, text);
    }
}
