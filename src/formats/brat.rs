//! brat standoff: `NAME.txt` + `NAME.ann`, offsets in code points, and `annotation.conf`.
//!
//! Mapping (see docs/formats.md):
//! - `T` → span (discontinuous `0 5;16 23` → fragments); the covered text is checked against the
//!   `.txt`.
//! - `R` → relation (first argument → `from`, second → `to`).
//! - `A`/`M` on a `T` → span attribute; a binary attribute gets the value `true`.
//! - `#` `AnnotatorNotes` on a `T` → the span's note (several notes: joined by line feeds); any other
//!   `#` type (e.g. `Lemma`) → attribute `#TYPE` holding the text as is.
//! - `N` on a `T` → attribute `N:TYPE` (then `N:TYPE:2`, ...) holding `REF<TAB>TEXT`.
//! - `E` lines, `*` lines, and `A`/`M`/`N`/`#` lines about events or relations cannot be held by
//!   the model: each is reported (file and line) and counted, never silently dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::schema_ext::{empty_schema, ensure_attribute, ensure_label};
use super::{
    collect_files, display, make_span, read_text, relative_stem, ExportDoc, ExportOptions,
    Exporter, FormatError, ImportOptions, Imported, ImportedDoc, OutFile, Report,
};
use crate::model::annotation::{Annotations, Relation, ReviewState, Source, Span};
use crate::model::schema::{AttributeDef, RelationTypeDef};
use crate::model::{Document, Schema};

/// The value a binary brat attribute gets.
pub const BINARY_VALUE: &str = "true";
const NOTE_TYPE: &str = "AnnotatorNotes";

/// Imports every `.ann` file under `source` (a folder, or one `.ann`/`.txt` file) with its `.txt`;
/// every `annotation.conf` found seeds the schema.
pub fn import(
    source: &Path,
    opts: &ImportOptions,
    report: &mut Report,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, FormatError> {
    let (anns, confs) = if source.is_file() {
        let ann = source.with_extension("ann");
        let conf = source.with_file_name("annotation.conf");
        (
            vec![ann],
            if conf.is_file() {
                vec![conf]
            } else {
                Vec::new()
            },
        )
    } else {
        (
            collect_files(source, &[".ann"])?,
            collect_files(source, &["annotation.conf"])?,
        )
    };
    let mut out = Imported::default();
    if !confs.is_empty() {
        let mut schema = empty_schema("imported from brat");
        for c in &confs {
            match std::fs::read_to_string(c) {
                Ok(text) => read_conf(&display(c), &text, &mut schema, report),
                Err(e) => report.error(&display(c), None, e.to_string()),
            }
        }
        out.schema = Some(schema);
    }
    let base = if source.is_file() {
        source.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        source.to_path_buf()
    };
    for (k, ann_path) in anns.iter().enumerate() {
        progress(k, anns.len());
        let txt_path = ann_path.with_extension("txt");
        let text = match read_text(&txt_path) {
            Ok(t) => t,
            Err(e) => {
                report.error(&display(ann_path), None, format!("no text beside it: {e}"));
                continue;
            }
        };
        let ann = match read_text(ann_path) {
            Ok(t) => t,
            Err(e) => {
                report.error(&display(ann_path), None, e.to_string());
                continue;
            }
        };
        let name = format!("{}.txt", relative_stem(&base, ann_path));
        out.docs.push(parse_ann(
            &display(ann_path),
            name,
            text,
            &ann,
            opts,
            report,
        ));
    }
    progress(anns.len(), anns.len());
    Ok(out)
}

fn parse_offsets(s: &str) -> Option<Vec<std::ops::Range<usize>>> {
    s.split(';')
        .map(|piece| {
            let mut it = piece.split_whitespace();
            let a: usize = it.next()?.parse().ok()?;
            let b: usize = it.next()?.parse().ok()?;
            it.next().is_none().then_some(a..b)
        })
        .collect()
}

/// Parses one `.ann` against its text.
pub fn parse_ann(
    file: &str,
    name: String,
    text: String,
    ann: &str,
    opts: &ImportOptions,
    report: &mut Report,
) -> ImportedDoc {
    let doc = Document::from_text(name.clone(), text);
    let mut spans: Vec<Span> = Vec::new();
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new(); // T id -> index in spans
    let mut relations: Vec<Relation> = Vec::new();
    let mut rel_ids: BTreeSet<String> = BTreeSet::new();
    let mut event_ids: BTreeSet<String> = BTreeSet::new();
    let lines: Vec<(usize, &str)> = ann
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    // Pass 1: text-bound annotations and the ids of events and relations.
    for &(n, line) in &lines {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let mid = f.next().unwrap_or("");
        if id.starts_with('E') {
            event_ids.insert(id.to_owned());
        } else if id.starts_with('R') {
            rel_ids.insert(id.to_owned());
        }
        if !id.starts_with('T') {
            continue;
        }
        let covered = f.next();
        let Some((label, offs)) = mid.split_once(' ') else {
            report.error(
                file,
                Some(n),
                format!("`{line}`: expected `T<TAB>TYPE START END<TAB>TEXT`"),
            );
            continue;
        };
        let Some(mut pieces) = parse_offsets(offs) else {
            report.error(file, Some(n), format!("{id}: bad offsets `{offs}`"));
            continue;
        };
        if let Some(p) = pieces
            .iter()
            .find(|p| p.end > doc.len_chars() || p.start >= p.end)
        {
            report.error(
                file,
                Some(n),
                format!(
                    "{id}: offsets {}..{} are empty, reversed or past the end of the text ({} chars)",
                    p.start,
                    p.end,
                    doc.len_chars()
                ),
            );
            continue;
        }
        pieces.sort_by_key(|p| p.start);
        let Some(mut span) = make_span(
            &doc,
            format!("s{}", spans.len() + 1),
            pieces,
            label,
            Source::Imported,
            ReviewState::Accepted,
        ) else {
            report.error(
                file,
                Some(n),
                format!("{id}: overlapping fragments `{offs}`"),
            );
            continue;
        };
        if let Some(c) = covered {
            // A .ann line cannot hold a line end: brat writes it as a space.
            if c != span.text && c != span.text.replace(['\n', '\r'], " ") {
                report.error(
                    file,
                    Some(n),
                    format!(
                        "{id}: covered text `{c}` does not match the text at {offs}: `{}`; span skipped",
                        span.text
                    ),
                );
                continue;
            }
        }
        span.id = format!("s{}", spans.len() + 1);
        if by_id.insert(id.to_owned(), spans.len()).is_some() {
            report.error(
                file,
                Some(n),
                format!("{id} is defined twice; the later one is kept"),
            );
        }
        spans.push(span);
    }
    let span_id = |t: &str| {
        by_id
            .get(t)
            .and_then(|&k| spans.get(k))
            .map(|s| s.id.clone())
    };
    let what = |t: &str| {
        if event_ids.contains(t) {
            "an event"
        } else if rel_ids.contains(t) {
            "a relation"
        } else {
            "an unknown annotation"
        }
    };
    // Pass 2: everything else.
    let mut attrs: Vec<(usize, String, String)> = Vec::new(); // (span index, key, value)
    let mut notes: Vec<(usize, String)> = Vec::new();
    for &(n, line) in &lines {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let mid = f.next().unwrap_or("");
        let rest = f.next();
        let words: Vec<&str> = mid.split_whitespace().collect();
        match id.chars().next() {
            Some('T') => {}
            Some('R') => {
                let args: Vec<&str> = words
                    .iter()
                    .skip(1)
                    .filter_map(|a| a.split_once(':').map(|(_, t)| t))
                    .collect();
                let (Some(kind), [a, b]) = (words.first(), args.as_slice()) else {
                    report.error(
                        file,
                        Some(n),
                        format!("`{line}`: expected `R<TAB>TYPE Arg1:T Arg2:T`"),
                    );
                    continue;
                };
                match (span_id(a), span_id(b)) {
                    (Some(from), Some(to)) => relations.push(Relation {
                        id: format!("r{}", relations.len() + 1),
                        kind: (*kind).to_owned(),
                        from,
                        to,
                        ..Relation::default()
                    }),
                    _ => report.skip(
                        "brat relation on an event or unknown id",
                        file,
                        Some(n),
                        format!(
                            "{id}: an argument is not a text-bound annotation ({a}: {}, {b}: {})",
                            what(a),
                            what(b)
                        ),
                    ),
                }
            }
            Some('E') => report.skip(
                "brat event (E) line: the model has no events",
                file,
                Some(n),
                format!("{id} `{mid}` not imported (its trigger span is)"),
            ),
            Some('*') => report.skip(
                "brat equivalence (*) line: the model has no equivalence sets",
                file,
                Some(n),
                format!("`{mid}` not imported"),
            ),
            Some('A') | Some('M') => {
                let (Some(attr), Some(target)) = (words.first(), words.get(1)) else {
                    report.error(
                        file,
                        Some(n),
                        format!("`{line}`: expected `A<TAB>NAME TARGET [VALUE]`"),
                    );
                    continue;
                };
                let value = words.get(2).copied().unwrap_or(BINARY_VALUE);
                if words.len() > 3 {
                    report.error(
                        file,
                        Some(n),
                        format!("{id}: unexpected fields after the value"),
                    );
                }
                match by_id.get(*target) {
                    Some(&k) => attrs.push((k, (*attr).to_owned(), value.to_owned())),
                    None => report.skip(
                        "brat attribute of an event or relation",
                        file,
                        Some(n),
                        format!("{id}: {attr} on {target} ({}) not imported", what(target)),
                    ),
                }
            }
            Some('N') => {
                let (Some(kind), Some(target), Some(refid)) =
                    (words.first(), words.get(1), words.get(2))
                else {
                    report.error(
                        file,
                        Some(n),
                        format!("`{line}`: expected `N<TAB>TYPE TARGET DB:ID<TAB>TEXT`"),
                    );
                    continue;
                };
                match by_id.get(*target) {
                    Some(&k) => attrs.push((
                        k,
                        format!("N:{kind}"),
                        format!("{refid}\t{}", rest.unwrap_or("")),
                    )),
                    None => report.skip(
                        "brat normalization of an event or relation",
                        file,
                        Some(n),
                        format!("{id}: on {target} ({}) not imported", what(target)),
                    ),
                }
            }
            Some('#') => {
                let (Some(kind), Some(target)) = (words.first(), words.get(1)) else {
                    report.error(
                        file,
                        Some(n),
                        format!("`{line}`: expected `#<TAB>TYPE TARGET<TAB>TEXT`"),
                    );
                    continue;
                };
                let body = rest.unwrap_or("").to_owned();
                match by_id.get(*target) {
                    Some(&k) if *kind == NOTE_TYPE => notes.push((k, body)),
                    Some(&k) => attrs.push((k, format!("#{kind}"), body)),
                    None => report.skip(
                        "brat note on an event or relation",
                        file,
                        Some(n),
                        format!(
                            "{id}: {kind} on {target} ({}): `{body}` not imported",
                            what(target)
                        ),
                    ),
                }
            }
            _ => report.error(
                file,
                Some(n),
                format!("unknown annotation kind in `{line}`"),
            ),
        }
    }
    for (k, key, value) in attrs {
        if let Some(s) = spans.get_mut(k) {
            let mut key = key;
            if key.starts_with("N:") && s.attributes.contains_key(&key) {
                let base = key.clone();
                let mut i = 2;
                while s.attributes.contains_key(&format!("{base}:{i}")) {
                    i += 1;
                }
                key = format!("{base}:{i}");
            }
            s.attributes.insert(key, value);
        }
    }
    for (k, body) in notes {
        if let Some(s) = spans.get_mut(k) {
            s.note = Some(match s.note.take() {
                Some(prev) => format!("{prev}\n{body}"),
                None => body,
            });
        }
    }
    report.documents += 1;
    report.spans += spans.len();
    report.relations += relations.len();
    ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations: Annotations::from_parts(opts.status, spans, relations, Vec::new(), Vec::new()),
    }
}

/// Reads an `annotation.conf` into `schema`: entities and event types become span labels (`!`
/// types are only hierarchy and are left out), relations become relation types, attributes are
/// added to the labels their `Arg:` names (`<ENTITY>`, `<EVENT>`, types, macros).
pub fn read_conf(file: &str, text: &str, schema: &mut Schema, report: &mut Report) {
    let mut section = String::new();
    let mut macros: BTreeMap<String, String> = BTreeMap::new();
    let mut entities: Vec<String> = Vec::new();
    let mut events: Vec<String> = Vec::new();
    let mut relations: Vec<(usize, String, String)> = Vec::new();
    let mut attributes: Vec<(usize, String, String)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("---") {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_owned();
            continue;
        }
        if line.starts_with('<') {
            if let Some((k, v)) = line.split_once('=') {
                macros.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            continue;
        }
        let (name, rest) = match line.split_once(|c: char| c.is_whitespace()) {
            Some((a, b)) => (a, b.trim()),
            None => (line, ""),
        };
        if name.starts_with('!') {
            continue;
        }
        match section.as_str() {
            "entities" | "spans" => entities.push(name.to_owned()),
            "events" => events.push(name.to_owned()),
            "relations" if name != "<OVERLAP>" => {
                relations.push((n + 1, name.to_owned(), rest.to_owned()))
            }
            "attributes" => attributes.push((n + 1, name.to_owned(), rest.to_owned())),
            _ => {}
        }
    }
    for e in entities.iter().chain(&events) {
        ensure_label(schema, e);
    }
    let expand = |types: &str| -> Option<Vec<String>> {
        let mut out = Vec::new();
        for t in types.split('|') {
            let t = t.trim();
            let t = macros.get(t).map(String::as_str).unwrap_or(t);
            for t in t.split('|') {
                match t {
                    "<ENTITY>" | "<ANY>" => return None,
                    "<EVENT>" => out.extend(events.iter().cloned()),
                    _ => {
                        if entities.iter().chain(&events).any(|x| x == t) {
                            out.push(t.to_owned());
                        }
                    }
                }
            }
        }
        Some(out)
    };
    for (_, name, rest) in relations {
        let mut from = Vec::new();
        let mut to = Vec::new();
        for (k, arg) in rest.split(',').enumerate() {
            let Some((role, types)) = arg.trim().split_once(':') else {
                continue;
            };
            if role.starts_with('<') {
                continue;
            }
            let list = expand(types).unwrap_or_default();
            if k == 0 {
                from = list;
            } else if k == 1 {
                to = list;
            }
        }
        if !schema.relation_types.iter().any(|r| r.name == name) {
            schema.relation_types.push(RelationTypeDef {
                name,
                description: String::new(),
                from,
                to,
                hotkey: String::new(),
            });
        }
    }
    for (n, name, rest) in attributes {
        let mut targets: Option<Vec<String>> = None;
        let mut values: Vec<String> = Vec::new();
        for part in rest.split(',') {
            let Some((k, v)) = part.trim().split_once(':') else {
                continue;
            };
            match k {
                "Arg" => {
                    let mut t = Vec::new();
                    for x in v.split('|') {
                        match x.trim() {
                            "<ENTITY>" => t.extend(entities.iter().cloned()),
                            "<EVENT>" => t.extend(events.iter().cloned()),
                            other => t.extend(expand(other).unwrap_or_else(|| entities.clone())),
                        }
                    }
                    targets = Some(t);
                }
                "Value" => values = v.split('|').map(|s| s.trim().to_owned()).collect(),
                _ => {}
            }
        }
        let Some(targets) = targets else {
            report.error(file, Some(n), format!("attribute `{name}` has no `Arg:`"));
            continue;
        };
        if values.is_empty() {
            values.push(BINARY_VALUE.to_owned());
        }
        for t in targets {
            if let Some(def) = schema.span_labels.iter_mut().find(|l| l.name == t) {
                if !def.attributes.iter().any(|a| a.name == name) {
                    def.attributes.push(AttributeDef {
                        name: name.clone(),
                        values: values.clone(),
                    });
                }
            }
        }
    }
}

/// Writes brat: `<article>.txt` and `<article>.ann` per document, and `annotation.conf`.
pub struct BratExporter {
    files: Vec<OutFile>,
    /// Attribute name -> (labels, values) seen, for annotation.conf.
    seen_attrs: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
}

impl BratExporter {
    pub fn new(_opts: &ExportOptions) -> Self {
        Self {
            files: Vec::new(),
            seen_attrs: BTreeMap::new(),
        }
    }
}

/// The `.ann` text of one document.
pub fn write_ann(doc: &ExportDoc, report: &mut Report) -> (String, Vec<(String, String, String)>) {
    use std::fmt::Write;
    let mut out = String::new();
    let mut attrs_seen = Vec::new();
    let mut t_of: BTreeMap<&str, String> = BTreeMap::new();
    let (mut a_n, mut n_n, mut note_n) = (0, 0, 0);
    for (k, s) in doc.annotations.spans().iter().enumerate() {
        let t = format!("T{}", k + 1);
        t_of.insert(&s.id, t.clone());
        let offs: Vec<String> = s
            .pieces()
            .iter()
            .map(|p| format!("{} {}", p.start, p.end))
            .collect();
        let covered = s.text.replace(['\n', '\r'], " ");
        let _ = writeln!(out, "{t}\t{} {}\t{covered}", s.label, offs.join(";"));
        for (key, value) in &s.attributes {
            if let Some(kind) = key.strip_prefix('#') {
                note_n += 1;
                let _ = writeln!(out, "#{note_n}\t{kind} {t}\t{value}");
            } else if let Some(kind) = key.strip_prefix("N:") {
                let kind = match kind.rsplit_once(':') {
                    Some((base, num)) if num.parse::<u32>().is_ok() => base,
                    _ => kind,
                };
                let (refid, text) = value.split_once('\t').unwrap_or((value, ""));
                n_n += 1;
                let _ = writeln!(out, "N{n_n}\t{kind} {t} {refid}\t{text}");
            } else if value == BINARY_VALUE {
                a_n += 1;
                let _ = writeln!(out, "A{a_n}\t{key} {t}");
                attrs_seen.push((key.clone(), s.label.clone(), value.clone()));
            } else {
                a_n += 1;
                let _ = writeln!(out, "A{a_n}\t{key} {t} {value}");
                attrs_seen.push((key.clone(), s.label.clone(), value.clone()));
            }
        }
        if let Some(note) = &s.note {
            for line in note.split('\n') {
                note_n += 1;
                let _ = writeln!(out, "#{note_n}\t{NOTE_TYPE} {t}\t{line}");
            }
        }
    }
    for (k, r) in doc.annotations.relations.iter().enumerate() {
        match (t_of.get(r.from.as_str()), t_of.get(r.to.as_str())) {
            (Some(a), Some(b)) => {
                let _ = writeln!(out, "R{}\t{} Arg1:{a} Arg2:{b}\t", k + 1, r.kind);
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
    for d in &doc.annotations.doc_labels {
        report.skip(
            "document label (brat has none)",
            &doc.relative,
            None,
            format!("{} = {}", d.name, d.value),
        );
    }
    report.spans += doc.annotations.spans().len();
    (out, attrs_seen)
}

impl Exporter for BratExporter {
    fn add(&mut self, doc: &ExportDoc, report: &mut Report) {
        let (ann, attrs) = write_ann(doc, report);
        for (name, label, value) in attrs {
            let e = self.seen_attrs.entry(name).or_default();
            e.0.insert(label);
            e.1.insert(value);
        }
        let stem = doc
            .relative
            .strip_suffix(".txt")
            .unwrap_or(&doc.relative)
            .to_owned();
        self.files.push(OutFile {
            path: PathBuf::from(format!("{stem}.txt")),
            content: doc.doc.text().to_owned(),
        });
        self.files.push(OutFile {
            path: PathBuf::from(format!("{stem}.ann")),
            content: ann,
        });
        report.documents += 1;
    }

    fn finish(mut self: Box<Self>, schema: &Schema, _report: &mut Report) -> Vec<OutFile> {
        self.files.push(OutFile {
            path: PathBuf::from("annotation.conf"),
            content: write_conf(schema, &self.seen_attrs),
        });
        self.files
    }
}

/// An `annotation.conf` for `schema` (plus attributes seen in the data).
pub fn write_conf(
    schema: &Schema,
    seen: &BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
) -> String {
    let mut s = String::from("# Written by Hashiya from the corpus schema.\n\n[entities]\n\n");
    for l in &schema.span_labels {
        s.push_str(&l.name);
        s.push('\n');
    }
    s.push_str("\n[relations]\n\n");
    let types = |v: &[String]| {
        if v.is_empty() {
            "<ENTITY>".to_owned()
        } else {
            v.join("|")
        }
    };
    for r in &schema.relation_types {
        s.push_str(&format!(
            "{}\tArg1:{}, Arg2:{}\n",
            r.name,
            types(&r.from),
            types(&r.to)
        ));
    }
    s.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    s.push_str("\n[events]\n\n[attributes]\n\n");
    let mut attrs: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = seen.clone();
    for l in &schema.span_labels {
        for a in &l.attributes {
            if a.name.starts_with('#') || a.name.starts_with("N:") {
                continue;
            }
            let e = attrs.entry(a.name.clone()).or_default();
            e.0.insert(l.name.clone());
            e.1.extend(a.values.iter().cloned());
        }
    }
    for (name, (labels, values)) in attrs {
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let valued: Vec<&str> = values
            .iter()
            .map(String::as_str)
            .filter(|v| *v != BINARY_VALUE)
            .collect();
        if valued.is_empty() {
            s.push_str(&format!("{name}\tArg:{}\n", labels.join("|")));
        } else {
            let all: Vec<&str> = values.iter().map(String::as_str).collect();
            s.push_str(&format!(
                "{name}\tArg:{}, Value:{}\n",
                labels.join("|"),
                all.join("|")
            ));
        }
    }
    s
}

/// Labels and attributes a schema needs for the spans of `docs` (used by tests).
pub fn ensure_for(schema: &mut Schema, spans: &[Span]) {
    for s in spans {
        ensure_label(schema, &s.label);
        for (k, v) in &s.attributes {
            ensure_attribute(schema, &s.label, k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_line_kind() {
        let text = "Citibank is moving $100 million to Raul Salinas.";
        let ann = "T1\tOrganization 0 8\tCitibank\n\
                   T2\tMoney 19 31\t$100 million\n\
                   T3\tPerson 35 39;40 47\tRaul Salinas\n\
                   T4\tTransfer 12 18\tmoving\n\
                   E1\tTransfer:T4 Giver:T1\n\
                   R1\tOrigin Arg1:T1 Arg2:T3\t\n\
                   A1\tIndividual T3\n\
                   A2\tMention T3 Name\n\
                   A3\tConfidence E1 High\n\
                   #1\tAnnotatorNotes T2\t100000000 USD\n\
                   #2\tLemma T1\t citibank\n\
                   N1\tReference T3 Wikipedia:123\tRaul Salinas\n\
                   *\tAlias T1 T3\n\
                   T5\tPerson 40 47\tWrong\n\
                   T6\tPerson 40 99\tSalinas\n";
        let mut r = Report::new();
        let d = parse_ann(
            "a.ann",
            "a.txt".into(),
            text.into(),
            ann,
            &ImportOptions::default(),
            &mut r,
        );
        let a = &d.annotations;
        assert_eq!(a.spans().len(), 4);
        let person = a.spans().iter().find(|s| s.label == "Person").unwrap();
        assert_eq!(person.fragments, vec![35..39, 40..47]);
        assert_eq!(person.attributes["Individual"], "true");
        assert_eq!(person.attributes["Mention"], "Name");
        assert_eq!(
            person.attributes["N:Reference"],
            "Wikipedia:123\tRaul Salinas"
        );
        let org = a
            .spans()
            .iter()
            .find(|s| s.label == "Organization")
            .unwrap();
        assert_eq!(org.attributes["#Lemma"], " citibank");
        assert_eq!(a.relations.len(), 1);
        // E1, A3 (on an event), * skipped; T5 (text mismatch), T6 (past the end) errors.
        assert_eq!(r.skipped.values().sum::<usize>(), 5, "{:?}", r.skipped);
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == Some(14) && i.message.contains("does not match")));
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == Some(15) && i.message.contains("past the end")));
        // Export gives the same lines back (ids renumbered).
        let e = ExportDoc {
            relative: "a.txt".into(),
            doc: d.doc.clone(),
            annotations: a.clone(),
        };
        let (out, _) = write_ann(&e, &mut Report::new());
        let mut r2 = Report::new();
        let back = parse_ann(
            "b.ann",
            "a.txt".into(),
            text.into(),
            &out,
            &ImportOptions::default(),
            &mut r2,
        );
        assert!(r2.issues.is_empty(), "{:?}\n{out}", r2.issues);
        assert_eq!(
            super::super::comparable(&back.annotations),
            super::super::comparable(a)
        );
    }
}
