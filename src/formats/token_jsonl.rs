//! Token JSONL for training (the Hugging Face `datasets` layout): one sentence per line,
//! `{"id": "<article>#<n>", "document": "<article>", "tokens": [...], "ner_tags": [ints]}`, and the
//! label list (`["O", "B-PER", "I-PER", ...]`, index = tag id) in a file beside it
//! (`train.jsonl` → `train.labels.json`). Tokens and tags come from the CoNLL tagger (one tag
//! column: nested inner spans are reported, not written).
//!
//! Import reads the same layout; `ner_tags` may be ints (named by the labels file beside the input,
//! `<stem>.labels.json` or `labels.json`) or tag strings. Lines with the same `document` make one
//! article, rebuilt as in CoNLL import.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::conll::{build_doc, parse_tag, tag_document, Sentences, Token};
use super::{
    collect_files, read_or_report, relative_stem, ExportDoc, ExportOptions, Exporter, FormatError,
    ImportOptions, Imported, OutFile, Report, TagScheme,
};
use crate::model::Schema;

/// Writes token JSONL.
pub struct TokenJsonlExporter {
    opts: ExportOptions,
    /// (document, tokens, tags) per sentence.
    rows: Vec<(String, Vec<String>, Vec<String>)>,
}

impl TokenJsonlExporter {
    pub fn new(opts: &ExportOptions) -> Self {
        Self {
            opts: opts.clone(),
            rows: Vec::new(),
        }
    }
}

/// The tag names of a scheme for the labels, `O` first.
pub fn label_list(scheme: TagScheme, labels: &[String]) -> Vec<String> {
    let prefixes: &[&str] = match scheme {
        TagScheme::Iob1 | TagScheme::Iob2 => &["B", "I"],
        TagScheme::Bioes => &["B", "I", "E", "S"],
        TagScheme::Bilou => &["B", "I", "L", "U"],
    };
    let mut out = vec!["O".to_owned()];
    for l in labels {
        for p in prefixes {
            out.push(format!("{p}-{l}"));
        }
    }
    out
}

impl Exporter for TokenJsonlExporter {
    fn add(&mut self, doc: &ExportDoc, report: &mut Report) {
        let chars: Vec<char> = doc.doc.text().chars().collect();
        for sentence in tag_document(doc, &self.opts, Some(1), report) {
            let mut tokens = Vec::with_capacity(sentence.len());
            let mut tags = Vec::with_capacity(sentence.len());
            for t in sentence {
                tokens.push(chars.get(t.range).unwrap_or(&[]).iter().collect());
                tags.push(t.tags.into_iter().next().unwrap_or_else(|| "O".into()));
            }
            report.tokens += tokens.len();
            self.rows.push((doc.relative.clone(), tokens, tags));
        }
        report.documents += 1;
    }

    fn finish(self: Box<Self>, schema: &Schema, _report: &mut Report) -> Vec<OutFile> {
        let mut labels: Vec<String> = schema.span_labels.iter().map(|l| l.name.clone()).collect();
        let mut extra: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.2.iter())
            .filter_map(|t| t.split_once('-').map(|(_, l)| l.to_owned()))
            .filter(|l| !labels.contains(l))
            .collect();
        extra.sort();
        extra.dedup();
        labels.extend(extra);
        let names = label_list(self.opts.scheme, &labels);
        let index: std::collections::HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.as_str(), k))
            .collect();
        let mut out = String::new();
        let mut counter: std::collections::HashMap<&str, usize> = Default::default();
        for (docname, tokens, tags) in &self.rows {
            let n = counter.entry(docname).or_default();
            *n += 1;
            let ids: Vec<usize> = tags
                .iter()
                .map(|t| index.get(t.as_str()).copied().unwrap_or(0))
                .collect();
            let line = json!({
                "id": format!("{docname}#{n}"),
                "document": docname,
                "tokens": tokens,
                "ner_tags": ids,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        let labels_json = format!("{}\n", Value::from(names));
        vec![
            OutFile {
                path: PathBuf::new(),
                content: out,
            },
            OutFile {
                path: PathBuf::from(".labels.json"),
                content: labels_json,
            },
        ]
    }
}

/// The label names for an input file: `<stem>.labels.json`, else `labels.json` beside it.
fn labels_for(file: &Path) -> Option<Vec<String>> {
    let candidates = [
        file.with_extension("labels.json"),
        file.with_file_name("labels.json"),
    ];
    for c in candidates {
        if let Ok(text) = std::fs::read_to_string(&c) {
            let v: Value = serde_json::from_str(&text).ok()?;
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

/// Imports token JSONL files.
pub fn import(
    source: &Path,
    opts: &ImportOptions,
    report: &mut Report,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, FormatError> {
    let files: Vec<PathBuf> = collect_files(source, &[".jsonl"])?;
    let mut out = Imported::default();
    for (k, f) in files.iter().enumerate() {
        progress(k, files.len());
        let Some((file, content)) = read_or_report(f, report) else {
            continue;
        };
        let names = labels_for(f);
        let stem = relative_stem(source, f);
        // (document name, sentences), in order of first appearance.
        let mut docs: Vec<(String, Sentences)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        for (n, line) in content.lines().enumerate() {
            let line_no = n + 1;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    report.error(&file, Some(line_no), format!("not JSON: {e}"));
                    continue;
                }
            };
            let Some(tokens) = v.get("tokens").and_then(Value::as_array) else {
                report.error(&file, Some(line_no), "no `tokens` list");
                continue;
            };
            let tags = v
                .get("ner_tags")
                .or_else(|| v.get("tags"))
                .and_then(Value::as_array);
            let Some(tags) = tags else {
                report.error(&file, Some(line_no), "no `ner_tags` list");
                continue;
            };
            if tags.len() != tokens.len() {
                report.error(
                    &file,
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
                let name = match (tag.as_u64(), tag.as_str(), &names) {
                    (Some(i), _, Some(names)) => names.get(i as usize).cloned(),
                    (Some(_), _, None) => None,
                    (_, Some(s), _) => Some(s.to_owned()),
                    _ => None,
                };
                let Some(parsed) = name.as_deref().and_then(parse_tag) else {
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
                report.error(&file, Some(line_no), format!("{msg}; line skipped"));
                continue;
            }
            let docname = v
                .get("document")
                .and_then(Value::as_str)
                .map(|d| d.strip_suffix(".txt").unwrap_or(d).to_owned())
                .unwrap_or_else(|| stem.clone());
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
        for (name, sentences) in docs {
            out.docs.push(build_doc(
                &file,
                format!("{name}.txt"),
                sentences,
                opts,
                report,
            ));
        }
    }
    progress(files.len(), files.len());
    Ok(out)
}
