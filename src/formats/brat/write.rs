//! Writing brat: `<article>.txt` and `<article>.ann` per document, and `annotation.conf`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::path::PathBuf;

use super::{write_conf, BINARY_VALUE, NOTE_TYPE};
use crate::formats::names::{fitted, is_valid_name};
use crate::formats::{ExportDoc, ExportOptions, Exporter, Output, Report};
use crate::model::Schema;

/// What is counted when a `.ann` line cannot hold a value.
const NO_ROOM: &str =
    "attribute or normalization with white space or a line end where a brat line cannot hold one";

/// Writes brat: `<article>.txt` and `<article>.ann` per document, and `annotation.conf`.
pub struct BratExporter;

impl BratExporter {
    pub fn new(_opts: &ExportOptions) -> Self {
        Self
    }
}

/// The `.ann` lines being written, with their counters.
struct Ann<'a> {
    out: String,
    relative: &'a str,
    a_n: usize,
    n_n: usize,
    note_n: usize,
    /// (attribute, label, value) of span attributes, for annotation.conf.
    seen: Vec<(String, String, String)>,
}

impl Ann<'_> {
    /// A type, role or attribute name as a `.ann` line can hold it (no white space).
    fn name(&self, name: &str, report: &mut Report) -> String {
        if is_valid_name(name) {
            return name.to_owned();
        }
        let f = fitted(name);
        report.note(
            self.relative,
            None,
            format!("`{name}` written as `{f}` (a brat name cannot hold white space)"),
        );
        f
    }

    /// The `A`, `N` and `#` lines of an annotation's attributes and note; `label` is the label of
    /// a span (its attributes go into annotation.conf).
    fn attributes(
        &mut self,
        target: &str,
        label: Option<&str>,
        attributes: &BTreeMap<String, String>,
        note: Option<&str>,
        report: &mut Report,
    ) {
        let rel = self.relative;
        for (key, value) in attributes {
            if let Some(kind) = key.strip_prefix('#') {
                let kind = self.name(kind, report);
                for line in value.split('\n') {
                    self.note_n += 1;
                    let _ = writeln!(self.out, "#{}\t{kind} {target}\t{line}", self.note_n);
                }
            } else if let Some(kind) = key.strip_prefix("N:") {
                let kind = match kind.rsplit_once(':') {
                    Some((base, num)) if num.parse::<u32>().is_ok() => base,
                    _ => kind,
                };
                let (refid, text) = value.split_once('\t').unwrap_or((value, ""));
                if !is_valid_name(refid) || text.contains(['\n', '\r']) || !is_valid_name(kind) {
                    report.skip(
                        NO_ROOM,
                        rel,
                        None,
                        format!("normalization {key} = `{value}` on {target}"),
                    );
                    continue;
                }
                self.n_n += 1;
                let _ = writeln!(self.out, "N{}\t{kind} {target} {refid}\t{text}", self.n_n);
            } else if !is_valid_name(key) || (value != BINARY_VALUE && !is_valid_name(value)) {
                report.skip(
                    NO_ROOM,
                    rel,
                    None,
                    format!("attribute `{key}` = `{value}` on {target}"),
                );
            } else {
                self.a_n += 1;
                if value == BINARY_VALUE {
                    let _ = writeln!(self.out, "A{}\t{key} {target}", self.a_n);
                } else {
                    let _ = writeln!(self.out, "A{}\t{key} {target} {value}", self.a_n);
                }
                if let Some(l) = label {
                    self.seen.push((key.clone(), l.to_owned(), value.clone()));
                }
            }
        }
        if let Some(note) = note {
            for line in note.split('\n') {
                self.note_n += 1;
                let _ = writeln!(self.out, "#{}\t{NOTE_TYPE} {target}\t{line}", self.note_n);
            }
        }
    }
}

/// The `.ann` text of one document, and the (attribute, label, value) of its span attributes.
pub fn write_ann(doc: &ExportDoc, report: &mut Report) -> (String, Vec<(String, String, String)>) {
    let a = &doc.annotations;
    let mut w = Ann {
        out: String::new(),
        relative: &doc.relative,
        a_n: 0,
        n_n: 0,
        note_n: 0,
        seen: Vec::new(),
    };
    // brat ids of spans (T) and events (E).
    let mut id_of: HashMap<&str, String> = HashMap::new();
    for (k, s) in a.spans().iter().enumerate() {
        id_of.insert(&s.id, format!("T{}", k + 1));
    }
    for (k, e) in a.events.iter().enumerate() {
        id_of.insert(&e.id, format!("E{}", k + 1));
    }
    for (k, s) in a.spans().iter().enumerate() {
        let t = format!("T{}", k + 1);
        let offs: Vec<String> = s
            .pieces()
            .iter()
            .map(|p| format!("{} {}", p.start, p.end))
            .collect();
        let covered = s.text.replace(['\n', '\r'], " ");
        let label = w.name(&s.label, report);
        let _ = writeln!(w.out, "{t}\t{label} {}\t{covered}", offs.join(";"));
        w.attributes(&t, Some(&label), &s.attributes, s.note.as_deref(), report);
    }
    for (k, e) in a.events.iter().enumerate() {
        let eid = format!("E{}", k + 1);
        let Some(trigger) = id_of.get(e.trigger.as_str()) else {
            report.skip(
                "event without its trigger span",
                &doc.relative,
                None,
                format!("event {} ({})", e.id, e.kind),
            );
            continue;
        };
        let kind = w.name(&e.kind, report);
        let mut line = format!("{eid}\t{kind}:{trigger}");
        for arg in &e.arguments {
            match id_of.get(arg.target.as_str()) {
                Some(t) => {
                    let role = w.name(&arg.role, report);
                    let _ = write!(line, " {role}:{t}");
                }
                None => report.skip(
                    "event argument naming a missing span or event",
                    &doc.relative,
                    None,
                    format!("{} of event {}", arg.role, e.id),
                ),
            }
        }
        let _ = writeln!(w.out, "{line}");
        report.events += 1;
        w.attributes(&eid, None, &e.attributes, e.note.as_deref(), report);
    }
    let mut r_n = 0;
    for r in &a.relations {
        match (id_of.get(r.from.as_str()), id_of.get(r.to.as_str())) {
            (Some(from), Some(to)) if from.starts_with('T') && to.starts_with('T') => {
                r_n += 1;
                let rid = format!("R{r_n}");
                let kind = w.name(&r.kind, report);
                let _ = writeln!(w.out, "{rid}\t{kind} Arg1:{from} Arg2:{to}\t");
                report.relations += 1;
                w.attributes(&rid, None, &r.attributes, r.note.as_deref(), report);
            }
            _ => report.skip(
                "relation to a missing span",
                &doc.relative,
                None,
                format!("relation {} ({})", r.id, r.kind),
            ),
        }
    }
    for g in &a.groups {
        let members: Vec<&str> = g
            .members
            .iter()
            .filter_map(|m| id_of.get(m.as_str()).map(String::as_str))
            .collect();
        if members.len() < g.members.len() {
            report.skip(
                "equivalence member naming a missing span or event",
                &doc.relative,
                None,
                format!("group {} ({})", g.id, g.kind),
            );
        }
        let kind = w.name(&g.kind, report);
        let _ = writeln!(w.out, "*\t{kind} {}", members.join(" "));
        report.groups += 1;
    }
    for d in &a.doc_labels {
        report.skip(
            "document label (brat has none)",
            &doc.relative,
            None,
            format!("{} = {}", d.name, d.value),
        );
    }
    report.spans += a.spans().len();
    (w.out, w.seen)
}

/// The brat writer gathers the attributes seen, for annotation.conf.
pub type SeenAttributes = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

impl Exporter for BratExporter {
    /// (relative stem, text, .ann, attributes seen)
    type Doc = (String, String, String, Vec<(String, String, String)>);
    type State = SeenAttributes;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Self::Doc {
        let (ann, attrs) = write_ann(doc, report);
        let stem = doc
            .relative
            .strip_suffix(".txt")
            .unwrap_or(&doc.relative)
            .to_owned();
        report.documents += 1;
        (stem, doc.doc.text().to_owned(), ann, attrs)
    }

    fn write(
        &self,
        seen: &mut SeenAttributes,
        (stem, text, ann, attrs): Self::Doc,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        for (name, label, value) in attrs {
            let e = seen.entry(name).or_default();
            e.0.insert(label);
            e.1.insert(value);
        }
        out.file(&PathBuf::from(format!("{stem}.txt")), text.as_bytes())?;
        out.file(&PathBuf::from(format!("{stem}.ann")), ann.as_bytes())
    }

    fn finish(
        &self,
        seen: SeenAttributes,
        schema: &Schema,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        out.file(
            &PathBuf::from("annotation.conf"),
            write_conf(schema, &seen).as_bytes(),
        )
    }
}
