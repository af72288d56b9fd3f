//! Token JSONL for training (the Hugging Face `datasets` layout): one sentence per line,
//! `{"id": "<article>#<n>", "document": "<article>", "tokens": [...], "ner_tags": [ints]}`, and the
//! label list (`["O", "B-PER", "I-PER", ...]`, index = tag id) in a file beside it
//! (`train.jsonl` → `train.labels.json`). Tokens and tags come from the CoNLL tagger (one tag
//! column: nested inner spans are reported, not written).
//!
//! Import reads the same layout; `ner_tags` may be ints (named by the labels file beside the input,
//! `<stem>.labels.json` or `labels.json`) or tag strings. Lines with the same `document` make one
//! article, rebuilt as in CoNLL import.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

use super::conll::{build_doc, parse_tag, tag_document, CharCursor, Sentences, Token};
use super::source::{json_lines, SourceFile};
use super::{
    ExportDoc, ExportOptions, Exporter, ImportOptions, Imported, Output, Report, TagScheme,
};
use crate::model::safe_read::{read_capped, MAX_SCHEMA_BYTES};
use crate::model::Schema;

/// Writes token JSONL. Tag ids are known before the first document: `O`, then the scheme's tags
/// of every schema label; a label not in the schema gets the next ids when first seen.
pub struct TokenJsonlExporter {
    opts: ExportOptions,
    /// The tag names known from the schema, index = id.
    names: Vec<String>,
}

impl TokenJsonlExporter {
    pub fn new(opts: &ExportOptions, schema: &Schema) -> Self {
        // JSON holds any name: labels renamed on import are written with their original names,
        // as the tags are.
        let labels: Vec<String> = schema
            .span_labels
            .iter()
            .map(|l| {
                if l.original_name.is_empty() {
                    l.name.clone()
                } else {
                    l.original_name.clone()
                }
            })
            .collect();
        Self {
            opts: opts.clone(),
            names: label_list(opts.scheme, &labels),
        }
    }
}

/// The tag names of a scheme for the labels, `O` first.
pub fn label_list(scheme: TagScheme, labels: &[String]) -> Vec<String> {
    let mut out = vec!["O".to_owned()];
    for l in labels {
        out.extend(tags_of(scheme, l));
    }
    out
}

fn tags_of(scheme: TagScheme, label: &str) -> Vec<String> {
    let prefixes: &[&str] = match scheme {
        TagScheme::Iob1 | TagScheme::Iob2 => &["B", "I"],
        TagScheme::Bioes => &["B", "I", "E", "S"],
        TagScheme::Bilou => &["B", "I", "L", "U"],
    };
    prefixes.iter().map(|p| format!("{p}-{label}")).collect()
}

/// The sentences of one document: (tokens, tags).
pub type TokenRows = Vec<(Vec<String>, Vec<String>)>;

/// What the token JSONL writer keeps between documents.
#[derive(Debug, Default)]
pub struct TokenJsonlState {
    /// Tags not in the schema, in order of appearance (their ids follow the schema's).
    extra: Vec<String>,
    index: HashMap<String, usize>,
}

impl Exporter for TokenJsonlExporter {
    type Doc = (String, TokenRows);
    type State = TokenJsonlState;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Self::Doc {
        let mut rows = Vec::new();
        let mut cursor = CharCursor::new(doc.doc.text());
        for sentence in tag_document(doc, &self.opts, Some(1), report) {
            let mut tokens = Vec::with_capacity(sentence.len());
            let mut tags = Vec::with_capacity(sentence.len());
            for t in sentence {
                tokens.push(cursor.slice(t.range.clone()).to_owned());
                tags.push(t.tag(0));
            }
            report.tokens += tokens.len();
            rows.push((tokens, tags));
        }
        report.documents += 1;
        (doc.relative.clone(), rows)
    }

    fn write(
        &self,
        state: &mut TokenJsonlState,
        (docname, rows): Self::Doc,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        if state.index.is_empty() {
            state.index = self
                .names
                .iter()
                .enumerate()
                .map(|(k, n)| (n.clone(), k))
                .collect();
        }
        let mut text = String::new();
        for (n, (tokens, tags)) in rows.into_iter().enumerate() {
            let ids: Vec<usize> = tags
                .iter()
                .map(|t| match state.index.get(t) {
                    Some(&id) => id,
                    None => {
                        // A label the schema lacks: all its tags get ids now, in scheme order.
                        let label = t.split_once('-').map_or(t.as_str(), |(_, l)| l);
                        for tag in tags_of(self.opts.scheme, label) {
                            let id = self.names.len() + state.extra.len();
                            state.index.entry(tag.clone()).or_insert_with(|| {
                                state.extra.push(tag);
                                id
                            });
                        }
                        state.index.get(t).copied().unwrap_or(0)
                    }
                })
                .collect();
            let line = json!({
                "id": format!("{docname}#{}", n + 1),
                "document": docname,
                "tokens": tokens,
                "ner_tags": ids,
            });
            text.push_str(&line.to_string());
            text.push('\n');
        }
        out.append(text.as_bytes())
    }

    fn finish(
        &self,
        state: TokenJsonlState,
        _schema: &Schema,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        let mut names = self.names.clone();
        names.extend(state.extra);
        let labels_json = format!("{}\n", Value::from(names));
        out.file(Path::new(".labels.json"), labels_json.as_bytes())
    }
}

/// The label names for an input file: `<stem>.labels.json`, else `labels.json` beside it.
fn labels_for(file: &Path) -> Option<Vec<String>> {
    let candidates = [
        file.with_extension("labels.json"),
        file.with_file_name("labels.json"),
    ];
    for c in candidates {
        if let Ok(bytes) = read_capped(&c, MAX_SCHEMA_BYTES) {
            let v: Value = serde_json::from_slice(&bytes).ok()?;
            let list = v
                .as_array()
                .or_else(|| v.get("names").and_then(Value::as_array))?;
            return list
                .iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>();
        }
    }
    None
}

/// Reads one token JSONL file: lines with the same `document` make one article.
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    let names = labels_for(&file.path);
    let name = &file.name;
    // (document name, sentences), in order of first appearance.
    let mut docs: Vec<(String, Sentences)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (line_no, v) in json_lines(&file.text) {
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                report.error(name, Some(line_no), e);
                continue;
            }
        };
        let Some(tokens) = v.get("tokens").and_then(Value::as_array) else {
            report.error(name, Some(line_no), "no `tokens` list");
            continue;
        };
        let tags = v
            .get("ner_tags")
            .or_else(|| v.get("tags"))
            .and_then(Value::as_array);
        let Some(tags) = tags else {
            report.error(name, Some(line_no), "no `ner_tags` list");
            continue;
        };
        if tags.len() != tokens.len() {
            report.error(
                name,
                Some(line_no),
                format!("{} tokens but {} tags", tokens.len(), tags.len()),
            );
            continue;
        }
        let mut sentence = Vec::with_capacity(tokens.len());
        let mut bad = None;
        for (tok, tag) in tokens.iter().zip(tags) {
            let Some(text) = tok.as_str().filter(|t| !t.is_empty()) else {
                bad = Some(format!("token {tok} is not a non-empty string"));
                break;
            };
            let tag_name = match (tag.as_u64(), tag.as_str(), &names) {
                (Some(i), _, Some(names)) => {
                    usize::try_from(i).ok().and_then(|i| names.get(i)).cloned()
                }
                (Some(_), _, None) => None,
                (_, Some(s), _) => Some(s.to_owned()),
                _ => None,
            };
            let Some(parsed) = tag_name.as_deref().and_then(parse_tag) else {
                bad = Some(format!(
                    "tag {tag} is not a known tag{}",
                    if names.is_none() && tag.is_u64() {
                        " (no labels file beside the input)"
                    } else {
                        ""
                    }
                ));
                break;
            };
            sentence.push(Token {
                text: text.to_owned(),
                tags: vec![parsed],
                line: line_no,
            });
        }
        if let Some(msg) = bad {
            report.error(name, Some(line_no), format!("{msg}; line skipped"));
            continue;
        }
        let docname = v
            .get("document")
            .and_then(Value::as_str)
            .map(|d| d.strip_suffix(".txt").unwrap_or(d).to_owned())
            .unwrap_or_else(|| file.stem.clone());
        match index.get(&docname) {
            Some(&k) => {
                if let Some((_, s)) = docs.get_mut(k) {
                    s.push(sentence);
                }
            }
            None => {
                index.insert(docname.clone(), docs.len());
                docs.push((docname, vec![sentence]));
            }
        }
    }
    for (docname, sentences) in docs {
        out.docs.push(build_doc(
            name,
            format!("{docname}.txt"),
            sentences,
            opts,
            report,
        ));
    }
}
