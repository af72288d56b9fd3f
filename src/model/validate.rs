//! Checking a corpus: every sidecar against its text and the schema. Used by `hashiya validate`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use super::annotation::{span_layout, Annotations, SpanLayout, Target};
use super::corpus::Corpus;
use super::document::Document;
use super::schema::Schema;
use super::sidecar;

/// One thing wrong, in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// Checks every sidecar of the corpus (articles read in `encoding`, or detected); returns the
/// problems in corpus order.
pub fn validate_corpus(
    corpus: &Corpus,
    encoding: Option<super::decode::TextEncoding>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(e) = &corpus.schema_error {
        out.push(Problem {
            file: corpus.root.join(super::schema::SCHEMA_FILE_NAME),
            message: format!("{e} (the built-in schema was used instead)"),
        });
    }
    for (dir, why) in &corpus.unreadable {
        out.push(Problem {
            file: dir.clone(),
            message: format!("cannot read folder: {why}"),
        });
    }
    for entry in &corpus.entries {
        // Every article is read, with or without sidecars: one that cannot be read (binary, bad
        // encoding, too large, not a regular file) is a problem of the corpus.
        let doc = match Document::load(&entry.path, encoding) {
            Ok(d) => d,
            Err(e) => {
                let message = strip_path(&e.to_string(), &entry.path);
                out.push(Problem {
                    file: entry.path.clone(),
                    message: if entry.sidecars.is_empty() {
                        format!("article cannot be read: {message}")
                    } else {
                        format!(
                            "article cannot be read, so its sidecars cannot be checked: {message}"
                        )
                    },
                });
                continue;
            }
        };
        for sc in &entry.sidecars {
            let problem = |message: String| Problem {
                file: sc.path.clone(),
                message,
            };
            match sidecar::load(&doc, &sc.annotator) {
                Err(e) => out.push(problem(strip_path(&e.to_string(), &sc.path))),
                Ok(loaded) => {
                    let text_changed = loaded.text_changed(&doc);
                    if text_changed && loaded.issues.is_empty() {
                        out.push(problem(
                            "the article changed since this sidecar was saved (SHA-256 differs); \
                             every span still fits its text"
                                .into(),
                        ));
                    } else if text_changed {
                        out.push(problem(format!(
                            "the article changed since this sidecar was saved (SHA-256 differs); \
                             {} span(s) affected:",
                            loaded.issues.len()
                        )));
                    }
                    for issue in &loaded.issues {
                        let mut m = issue.to_string();
                        if !text_changed {
                            m = m
                                .replace("text changed", "covered text does not match the article");
                        }
                        out.push(problem(m));
                    }
                    out.extend(
                        check_annotations(&loaded.annotations, &corpus.schema)
                            .into_iter()
                            .map(problem),
                    );
                }
            }
        }
    }
    out
}

/// Events must have their trigger span, and point to spans or events that exist; groups to spans
/// or events that exist.
fn check_events_and_groups(set: &Annotations, out: &mut Vec<String>) {
    let exists = |id: &str| set.span(id).is_some() || set.event(id).is_some();
    for e in &set.events {
        if set.span(&e.trigger).is_none() {
            out.push(format!(
                "event {} ({}): trigger span `{}` does not exist",
                e.id, e.kind, e.trigger
            ));
        }
        for a in e.arguments.iter().filter(|a| !exists(&a.target)) {
            out.push(format!(
                "event {} ({}): argument {} refers to `{}`, which does not exist",
                e.id, e.kind, a.role, a.target
            ));
        }
    }
    for g in &set.groups {
        for m in g.members.iter().filter(|m| !exists(m)) {
            out.push(format!(
                "group {} ({}): member `{m}` does not exist",
                g.id, g.kind
            ));
        }
    }
}

/// A sidecar error's message already starts with the file; the problem line adds it once.
fn strip_path(message: &str, path: &std::path::Path) -> String {
    let prefix = format!("{}: ", path.display());
    message.strip_prefix(&prefix).unwrap_or(message).to_owned()
}

/// Checks annotations against the schema and their own references; one message per problem.
pub fn check_annotations(set: &Annotations, schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for s in set
        .spans()
        .iter()
        .chain(set.unanchored.iter().map(|u| &u.span))
    {
        let what = format!("span {} ({} «{}»)", s.id, s.label, s.text);
        if !ids.insert(s.id.as_str()) {
            out.push(format!("{what}: id `{}` is used twice", s.id));
        }
        if let Err(e) = schema.span_label(&s.label) {
            out.push(format!("{what}: {e}"));
            continue;
        }
        for (k, v) in &s.attributes {
            if let Err(e) = schema.check_attribute(&s.label, k, v) {
                out.push(format!("{what}: {e}"));
            }
        }
    }
    if !schema.allow_overlap || !schema.allow_nesting {
        let spans = set.spans();
        for (i, a) in spans.iter().enumerate() {
            for b in spans[i + 1..].iter().take_while(|b| b.start < a.end) {
                match span_layout(&a.range(), &b.range()) {
                    SpanLayout::Crossing if !schema.allow_overlap => out.push(format!(
                        "spans {} and {} overlap, which the schema does not allow",
                        a.id, b.id
                    )),
                    SpanLayout::Nested if !schema.allow_nesting => out.push(format!(
                        "spans {} and {} are nested, which the schema does not allow",
                        a.id, b.id
                    )),
                    _ => {}
                }
            }
        }
    }
    for r in &set.relations {
        let (from, to) = (set.span(&r.from), set.span(&r.to));
        match (from, to) {
            (Some(a), Some(b)) => {
                if let Err(e) = schema.check_relation(&r.kind, &a.label, &b.label) {
                    out.push(format!("relation {}: {e}", r.id));
                }
            }
            _ => {
                let missing = if from.is_none() { &r.from } else { &r.to };
                out.push(format!(
                    "relation {} ({}): refers to span `{missing}`, which does not exist",
                    r.id, r.kind
                ));
            }
        }
    }
    check_events_and_groups(set, &mut out);
    for d in &set.doc_labels {
        match schema.check_doc_label(&d.name, &d.value) {
            Err(e) => out.push(format!("document label {}: {e}", d.id)),
            Ok(def) => {
                if def.targeted && d.target.is_none() {
                    out.push(format!(
                        "document label {} ({}): needs a target",
                        d.id, d.name
                    ));
                }
            }
        }
        if let Some(Target::Span(t)) = &d.target {
            if set.span(t).is_none() {
                out.push(format!(
                    "document label {}: target span `{t}` does not exist",
                    d.id
                ));
            }
        }
        for e in &d.evidence {
            if set.span(e).is_none() {
                out.push(format!(
                    "document label {}: evidence span `{e}` does not exist",
                    d.id
                ));
            }
        }
    }
    out
}
