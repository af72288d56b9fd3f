//! brat standoff: `NAME.txt` + `NAME.ann`, offsets in code points, and `annotation.conf`.
//!
//! Mapping (see docs/formats.md):
//! - `T` → span (discontinuous `0 5;16 23` → fragments); the covered text is checked against the
//!   `.txt`.
//! - `R` → relation (first argument → `from`, second → `to`).
//! - `E` → event: its type, the trigger span, and its arguments (role → span or event) in order.
//! - `*` → equivalence group (`Equiv` and the like) of spans or events.
//! - `A`/`M` on a `T`, `E` or `R` → its attribute; a binary attribute gets the value `true`.
//! - `#` `AnnotatorNotes` → the note of its `T`, `E` or `R` (several notes: joined by line feeds);
//!   any other `#` type (e.g. `Lemma`) → attribute `#TYPE` holding the text as is.
//! - `N` → attribute `N:TYPE` (then `N:TYPE:2`, ...) holding `REF<TAB>TEXT`.
//!
//! Export writes them all back (ids renumbered). What a `.ann` line cannot hold (an attribute
//! value or name with white space, a line end in a normalization) is reported, never written into
//! a broken line.

mod conf;
mod read;
mod write;

use std::path::{Path, PathBuf};

pub use conf::{read_conf, write_conf};
pub use read::parse_ann;
pub use write::{write_ann, BratExporter};

use super::schema_ext::{empty_schema, ensure_attribute, ensure_label};
use super::source::{collect, read_text, SourceFile};
use super::{FormatError, ImportOptions, Imported, Report};
use crate::model::annotation::Span;
use crate::model::Schema;

/// The value a binary brat attribute gets.
pub const BINARY_VALUE: &str = "true";
/// The `#` type of notes.
pub const NOTE_TYPE: &str = "AnnotatorNotes";

/// The files a brat import reads: every `.ann` and `annotation.conf` under `source` (a folder), or
/// the `.ann` of one `.ann`/`.txt` file and the `annotation.conf` beside it. Returns them with the
/// folder article names are relative to.
pub fn source_files(
    source: &Path,
    report: &mut Report,
) -> Result<(Vec<PathBuf>, PathBuf), FormatError> {
    if std::fs::metadata(source).is_ok_and(|m| m.is_file()) {
        let mut files = Vec::new();
        let conf = source.with_file_name("annotation.conf");
        if std::fs::metadata(&conf).is_ok_and(|m| m.is_file()) {
            files.push(conf);
        }
        files.push(source.with_extension("ann"));
        let base = source.parent().unwrap_or(Path::new(".")).to_path_buf();
        return Ok((files, base));
    }
    let mut files = collect(source, &[".ann", "annotation.conf"], report)?;
    // Confs first, so that the schema is known before the documents (not needed for reading, but
    // it keeps messages in a natural order).
    files.sort_by_key(|f| !f.ends_with("annotation.conf"));
    Ok((files, source.to_path_buf()))
}

/// Reads one file of a brat import: an `annotation.conf` (merged into the declared schema) or an
/// `.ann` with the `.txt` beside it.
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    if file.path.ends_with("annotation.conf") {
        let schema = out
            .schema
            .get_or_insert_with(|| empty_schema("imported from brat"));
        read_conf(&file.name, &file.text, schema, report);
        return;
    }
    let txt_path = file.path.with_extension("txt");
    let text = match read_text(&txt_path) {
        Ok(t) => t,
        Err(e) => {
            report.error(&file.name, None, format!("no text beside it: {e}"));
            return;
        }
    };
    let name = format!("{}.txt", file.stem);
    out.docs
        .push(parse_ann(&file.name, name, text, &file.text, opts, report));
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
    use crate::formats::{comparable, ExportDoc};

    #[test]
    fn reads_every_line_kind_and_writes_it_back() {
        let text = "Citibank is moving $100 million to Raul Salinas.";
        let ann = "T1\tOrganization 0 8\tCitibank\n\
                   T2\tMoney 19 31\t$100 million\n\
                   T3\tPerson 35 39;40 47\tRaul Salinas\n\
                   T4\tTransfer 12 18\tmoving\n\
                   E1\tTransfer:T4 Giver:T1 Money:T2\n\
                   R1\tOrigin Arg1:T1 Arg2:T3\t\n\
                   A1\tIndividual T3\n\
                   A2\tMention T3 Name\n\
                   A3\tConfidence E1 High\n\
                   M4\tNegated R1\n\
                   #1\tAnnotatorNotes T2\t100000000 USD\n\
                   #2\tLemma T1\t citibank\n\
                   #3\tAnnotatorNotes E1\twhich transfer?\n\
                   #4\tAnnotatorNotes R1\tnot stated\n\
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
        assert_eq!(a.relations[0].attributes["Negated"], "true");
        assert_eq!(a.relations[0].note.as_deref(), Some("not stated"));
        let e = &a.events[0];
        assert_eq!(e.kind, "Transfer");
        assert_eq!(a.span(&e.trigger).unwrap().text, "moving");
        let roles: Vec<&str> = e.arguments.iter().map(|x| x.role.as_str()).collect();
        assert_eq!(roles, ["Giver", "Money"]);
        assert_eq!(e.attributes["Confidence"], "High");
        assert_eq!(e.note.as_deref(), Some("which transfer?"));
        assert_eq!(a.groups.len(), 1);
        assert_eq!(a.groups[0].kind, "Alias");
        // T5 (text mismatch), T6 (past the end): errors; nothing else left out.
        assert_eq!(r.skipped.values().sum::<usize>(), 2, "{:?}", r.issues);
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == Some(17) && i.message.contains("does not match")));
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == Some(18) && i.message.contains("past the end")));
        // Export gives the same lines back (ids renumbered).
        let e = ExportDoc {
            relative: "a.txt".into(),
            doc: d.doc.clone(),
            annotations: a.clone(),
        };
        let mut w = Report::new();
        let (out, _) = write_ann(&e, &mut w);
        assert!(w.skipped.is_empty(), "{:?}", w.issues);
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
        assert_eq!(comparable(&back.annotations), comparable(a));
    }

    #[test]
    fn values_a_line_cannot_hold_are_reported_never_written_into_a_broken_line() {
        let text = "قال عمرو موسى";
        let doc = crate::model::Document::from_text("a.txt", text);
        let mut s = crate::formats::make_span(
            &doc,
            "s1".into(),
            std::iter::once(4..13).collect(),
            "PER",
            crate::model::Source::Human,
            crate::model::ReviewState::Accepted,
        )
        .unwrap();
        s.attributes.insert("role".into(), "former minister".into());
        s.attributes.insert("Job Title".into(), "x".into());
        s.attributes
            .insert("N:Wiki".into(), "Q1\tline one\nline two".into());
        s.attributes.insert("ok".into(), "yes".into());
        s.note = Some("two\nlines".into());
        let e = ExportDoc {
            relative: "a.txt".into(),
            doc: doc.clone(),
            annotations: crate::model::Annotations::from_parts(
                crate::model::DocStatus::New,
                vec![s],
                Vec::new(),
                Vec::new(),
                Vec::new(),
            ),
        };
        let mut r = Report::new();
        let (out, _) = write_ann(&e, &mut r);
        assert_eq!(r.skipped.values().sum::<usize>(), 3, "{:?}", r.issues);
        assert!(out.contains("A1\tok T1 yes\n"), "{out}");
        assert!(!out.contains("former"), "{out}");
        // Every line is a well-formed brat line: the file reads back without a problem.
        let mut r2 = Report::new();
        let back = parse_ann(
            "a.ann",
            "a.txt".into(),
            text.into(),
            &out,
            &ImportOptions::default(),
            &mut r2,
        );
        assert!(r2.issues.is_empty(), "{:?}\n{out}", r2.issues);
        assert_eq!(
            back.annotations.spans()[0].note.as_deref(),
            Some("two\nlines")
        );
    }
}
