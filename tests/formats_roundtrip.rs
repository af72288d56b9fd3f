//! Round trips of every interchange format on synthetic documents, offsets checked by Python, and the
//! CLI's handling of malformed input.

mod common;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

use hashiya::formats::doccano::Variant;
use hashiya::formats::driver::out_path;
use hashiya::formats::tokenize::Tokenizer;
use hashiya::formats::{
    comparable, export_docs, import, ExportDoc, ExportOptions, Format, ImportOptions, Imported,
    OffsetUnit, Report, TagScheme,
};
use hashiya::model::annotation::{Annotations, DocLabel, DocStatus, Relation, Span, Target};
use hashiya::model::{Document, Schema};
use proptest::prelude::*;

/// Char range of the `nth` occurrence of `needle` in `text` (as Python would count it).
fn at(text: &str, needle: &str, nth: usize) -> Range<usize> {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .map(|(b, _)| b)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

fn span(doc: &Document, id: &str, pieces: Vec<Range<usize>>, label: &str) -> Span {
    let text: Vec<&str> = pieces
        .iter()
        .map(|p| doc.slice(p.clone()).unwrap())
        .collect();
    let mut s = Span::new(
        id,
        pieces[0].start..pieces[pieces.len() - 1].end,
        label,
        text.join(" "),
    );
    if pieces.len() > 1 {
        s.fragments = pieces;
    }
    s
}

const RICH: &str = "😀 أعلن الرئيس عمرو موسى في القاهرة 👍🏽 أن وبواشنطن ستشارك.\nسطر ثان عن مصر.\n";

/// A document with emoji before spans, nesting, a clitic outside an entity, a discontinuous span,
/// attributes, a note, a relation and document labels.
fn rich_doc(discontinuous: bool) -> ExportDoc {
    let doc = Document::from_text("news/rich.txt", RICH);
    let mut per = span(&doc, "s1", vec![at(RICH, "عمرو موسى", 0)], "PER");
    per.attributes.insert("role".into(), "official".into());
    per.note = Some("former minister".into());
    let mut spans = vec![
        per,
        span(&doc, "s2", vec![at(RICH, "القاهرة", 0)], "LOC"),
        span(&doc, "s3", vec![at(RICH, "واشنطن", 0)], "GPE"),
        span(&doc, "s4", vec![at(RICH, "الرئيس عمرو موسى", 0)], "ORG"),
    ];
    if discontinuous {
        spans.push(span(
            &doc,
            "s5",
            vec![at(RICH, "أعلن", 0), at(RICH, "القاهرة", 0)],
            "MISC",
        ));
    }
    let relations = vec![Relation {
        id: "r1".into(),
        kind: "about".into(),
        from: "s1".into(),
        to: "s2".into(),
        ..Relation::default()
    }];
    let doc_labels = vec![
        DocLabel {
            id: "d1".into(),
            name: "stance".into(),
            value: "favor".into(),
            target: Some(Target::Text("مصر".into())),
            evidence: Vec::new(),
            ..DocLabel::default()
        },
        DocLabel {
            id: "d2".into(),
            name: "topic".into(),
            value: "politics".into(),
            target: None,
            evidence: Vec::new(),
            ..DocLabel::default()
        },
    ];
    ExportDoc {
        relative: "news/rich.txt".into(),
        doc,
        annotations: Annotations::from_parts(
            DocStatus::Finished,
            spans,
            relations,
            doc_labels,
            Vec::new(),
        ),
    }
}

/// Keeps only what `keep` says of an annotation set.
fn only(
    a: &Annotations,
    spans: bool,
    attrs: bool,
    rels: bool,
    labels: bool,
    targets: bool,
) -> Annotations {
    let sp: Vec<Span> = if spans {
        a.spans()
            .iter()
            .cloned()
            .map(|mut s| {
                if !attrs {
                    s.attributes.clear();
                    s.note = None;
                }
                s
            })
            .collect()
    } else {
        Vec::new()
    };
    let dl = if labels {
        a.doc_labels
            .iter()
            .cloned()
            .map(|mut d| {
                if !targets {
                    d.target = None;
                }
                d
            })
            .collect()
    } else {
        Vec::new()
    };
    Annotations::from_parts(
        a.status,
        sp,
        if rels {
            a.relations.clone()
        } else {
            Vec::new()
        },
        dl,
        Vec::new(),
    )
}

/// Exports `docs` in `format` into a temp dir and imports the result back.
fn round_trip(
    format: Format,
    opts: &ExportOptions,
    docs: &[ExportDoc],
) -> (Imported, Report, Report, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = if format.exports_folder() {
        dir.path().join("out")
    } else {
        dir.path().join("out.data")
    };
    let mut schema = Schema::builtin();
    for d in docs {
        hashiya::formats::brat::ensure_for(&mut schema, d.annotations.spans());
    }
    let (files, report) = export_docs(format, opts, &schema, docs);
    for f in files {
        let p = out_path(format, &out, &f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, f.content).unwrap();
    }
    let iopts = ImportOptions {
        offset_unit: opts.offset_unit,
        ..ImportOptions::default()
    };
    let mut back = Report::new();
    let imported = import(format, &out, &iopts, &mut back, &mut |_, _| {}).unwrap();
    (imported, report, back, dir)
}

fn assert_same(expected: &Annotations, got: &Annotations) {
    assert_eq!(comparable(got), comparable(expected));
}

#[test]
fn brat_round_trip_keeps_spans_fragments_attributes_notes_relations() {
    let d = rich_doc(true);
    let (imp, out, back, _dir) = round_trip(
        Format::Brat,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
    );
    assert_eq!(imp.docs.len(), 1);
    assert_eq!(imp.docs[0].doc.text(), RICH);
    assert_eq!(imp.docs[0].name, "news/rich.txt");
    assert!(back.issues.is_empty(), "{:?}", back.issues);
    assert_same(
        &only(&d.annotations, true, true, true, false, false),
        &imp.docs[0].annotations,
    );
    // Document labels cannot go to brat: counted, not silently dropped.
    assert_eq!(out.skipped.get("document label (brat has none)"), Some(&2));
    // annotation.conf read back seeds the schema.
    let schema = imp.schema.unwrap();
    assert!(schema.span_labels.iter().any(|l| l.name == "PER"));
    assert!(schema.relation_types.iter().any(|r| r.name == "about"));
}

#[test]
fn label_studio_round_trip_keeps_everything_but_fragments() {
    let d = rich_doc(false);
    let (imp, _, back, _dir) = round_trip(
        Format::LabelStudio,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
    );
    assert!(back.issues.is_empty(), "{:?}", back.issues);
    assert_eq!(imp.docs[0].doc.text(), RICH);
    assert_same(&d.annotations, &imp.docs[0].annotations);
}

#[test]
fn label_studio_predictions_come_in_as_suggestions() {
    let json = r#"[{"id": 7, "data": {"text": "قال عمرو موسى"},
      "annotations": [{"result": [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
          "value": {"start": 4, "end": 8, "text": "عمرو", "labels": ["PER"]}}]},
        {"result": []}],
      "predictions": [{"model_version": "m1", "result": [{"id": "p", "from_name": "label", "to_name": "text",
          "type": "labels", "value": {"start": 4, "end": 13, "text": "عمرو موسى", "labels": ["PER"]}}]}]}]"#;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ls.json");
    std::fs::write(&f, json).unwrap();
    let mut r = Report::new();
    let imp = import(
        Format::LabelStudio,
        &f,
        &ImportOptions::default(),
        &mut r,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(imp.docs.len(), 2, "one per annotation");
    let spans = imp.docs[0].annotations.spans();
    assert_eq!(spans.len(), 2);
    let p = spans.iter().find(|s| s.text == "عمرو موسى").unwrap();
    assert_eq!(p.source, hashiya::model::Source::Model);
    assert_eq!(p.review, hashiya::model::ReviewState::Suggested);
    assert_eq!(imp.docs[1].annotator.as_deref(), Some("imported-2"));
}

#[test]
fn doccano_round_trips_in_both_units_and_all_variants() {
    let d = rich_doc(false);
    for unit in [OffsetUnit::Utf16, OffsetUnit::Char] {
        let opts = ExportOptions {
            offset_unit: unit,
            ..ExportOptions::default()
        };
        let (imp, _, back, _dir) = round_trip(Format::Doccano, &opts, std::slice::from_ref(&d));
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_same(
            &only(&d.annotations, true, false, false, false, false),
            &imp.docs[0].annotations,
        );
        let opts = ExportOptions {
            offset_unit: unit,
            doccano_variant: Variant::Relations,
            ..ExportOptions::default()
        };
        let (imp, _, _, _dir) = round_trip(Format::Doccano, &opts, std::slice::from_ref(&d));
        assert_same(
            &only(&d.annotations, true, false, true, false, false),
            &imp.docs[0].annotations,
        );
    }
    let opts = ExportOptions {
        doccano_variant: Variant::Classification,
        ..ExportOptions::default()
    };
    let (imp, out, _, _dir) = round_trip(Format::Doccano, &opts, std::slice::from_ref(&d));
    assert_same(
        &only(&d.annotations, false, false, false, true, false),
        &imp.docs[0].annotations,
    );
    assert_eq!(
        out.skipped
            .get("stance target (doccano classification has none)"),
        Some(&1)
    );
}

const TOKENIZED: &str = "أعلن الرئيس عمرو موسى في القاهرة .\nقال مصدر في مصر إن واشنطن ستشارك .\n";

fn tokenized_doc(nested: bool) -> ExportDoc {
    let doc = Document::from_text("t.txt", TOKENIZED);
    let mut spans = vec![
        span(&doc, "s1", vec![at(TOKENIZED, "عمرو موسى", 0)], "PER"),
        span(&doc, "s2", vec![at(TOKENIZED, "القاهرة", 0)], "LOC"),
        span(&doc, "s3", vec![at(TOKENIZED, "مصر", 0)], "GPE"),
        span(&doc, "s4", vec![at(TOKENIZED, "واشنطن", 0)], "GPE"),
    ];
    if nested {
        spans.push(span(
            &doc,
            "s5",
            vec![at(TOKENIZED, "الرئيس عمرو موسى", 0)],
            "ORG",
        ));
        spans.push(span(&doc, "s6", vec![at(TOKENIZED, "موسى", 0)], "PER"));
        spans.push(span(
            &doc,
            "s7",
            vec![at(TOKENIZED, "مصدر في مصر", 0)],
            "ORG",
        ));
    }
    ExportDoc {
        relative: "t.txt".into(),
        doc,
        annotations: Annotations::from_parts(
            DocStatus::Finished,
            spans,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    }
}

#[test]
fn conll_round_trips_in_every_scheme_flat_and_nested() {
    for scheme in [
        TagScheme::Iob1,
        TagScheme::Iob2,
        TagScheme::Bioes,
        TagScheme::Bilou,
    ] {
        for nested in [false, true] {
            for tab in [false, true] {
                let d = tokenized_doc(nested);
                let opts = ExportOptions {
                    scheme,
                    tab_separated: tab,
                    ..ExportOptions::default()
                };
                let (imp, out, back, _dir) =
                    round_trip(Format::Conll, &opts, &[d.clone(), d.clone()]);
                assert_eq!(out.tokens_split, 0);
                assert!(back.errors().next().is_none(), "{:?}", back.issues);
                assert_eq!(imp.docs.len(), 2, "-DOCSTART- separates documents");
                assert_eq!(imp.docs[0].doc.text(), TOKENIZED, "{scheme:?}");
                assert_same(&d.annotations, &imp.docs[0].annotations);
            }
        }
    }
}

#[test]
fn token_jsonl_round_trips_flat_spans() {
    for scheme in [TagScheme::Iob2, TagScheme::Bioes] {
        let d = tokenized_doc(false);
        let opts = ExportOptions {
            scheme,
            ..ExportOptions::default()
        };
        let (imp, _, back, _dir) = round_trip(Format::TokenJsonl, &opts, std::slice::from_ref(&d));
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!(imp.docs[0].doc.text(), TOKENIZED);
        assert_same(&d.annotations, &imp.docs[0].annotations);
    }
}

#[test]
fn a_span_edge_inside_a_token_splits_it_and_is_counted() {
    let text = "قال إن وبواشنطن ستشارك";
    let doc = Document::from_text("c.txt", text);
    let s = span(&doc, "s1", vec![at(text, "واشنطن", 0)], "GPE");
    let d = ExportDoc {
        relative: "c.txt".into(),
        doc,
        annotations: Annotations::from_parts(
            DocStatus::Finished,
            vec![s],
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let (out, r) = export_docs(
        Format::Conll,
        &ExportOptions::default(),
        &Schema::builtin(),
        std::slice::from_ref(&d),
    );
    assert_eq!(r.tokens_split, 1);
    assert!(r
        .summary()
        .contains("tokens split at a span edge inside them: 1"));
    assert_eq!(
        out[0].content,
        "قال O\nإن O\nوب O\nواشنطن B-GPE\nستشارك O\n\n"
    );
}

#[test]
fn stance_and_claims_round_trip() {
    let d = rich_doc(false);
    for f in [Format::StanceCsv, Format::StanceJsonl] {
        let (imp, _, back, _dir) =
            round_trip(f, &ExportOptions::default(), std::slice::from_ref(&d));
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!(
            imp.docs[0].doc.text(),
            RICH,
            "a text with commas, quotes and line ends survives"
        );
        let stance: Vec<_> = imp.docs[0]
            .annotations
            .doc_labels
            .iter()
            .map(|l| (&l.value, &l.target))
            .collect();
        assert_eq!(
            stance,
            vec![(&"favor".to_owned(), &Some(Target::Text("مصر".into())))]
        );
    }
    let doc = Document::from_text("c.txt", "ارتفع التضخم، \"بحسب\" الوزير، إلى 5%");
    let mut claim = span(
        &doc,
        "s1",
        std::iter::once(0..doc.len_chars()).collect(),
        "CLAIM",
    );
    claim.attributes.insert("verdict".into(), "true".into());
    claim.attributes.insert("source".into(), "وكالة".into());
    let d = ExportDoc {
        relative: "c.txt".into(),
        doc,
        annotations: Annotations::from_parts(
            DocStatus::Finished,
            vec![claim],
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    for f in [Format::ClaimsCsv, Format::ClaimsJsonl] {
        let (imp, _, back, _dir) =
            round_trip(f, &ExportOptions::default(), std::slice::from_ref(&d));
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_same(&d.annotations, &imp.docs[0].annotations);
    }
}

#[test]
fn webanno_tsv_round_trip_keeps_spans_attributes_relations_and_fragments() {
    let d = rich_doc(true);
    let (imp, out, back, _dir) = round_trip(
        Format::WebannoTsv,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
    );
    assert!(back.errors().next().is_none(), "{:?}", back.issues);
    assert_eq!(imp.docs.len(), 1);
    assert_eq!(imp.docs[0].name, "news/rich.txt");
    // The text comes back but for its end (after the last token: the final line end).
    assert_eq!(imp.docs[0].doc.text(), RICH.trim_end());
    // A discontinuous span comes back as one span per fragment; notes and document labels
    // have no place in the format and are counted.
    let mut expected = only(&d.annotations, true, true, true, false, false);
    hashiya::formats::map_spans(&mut expected, |s| s.note = None);
    let got = comparable(&imp.docs[0].annotations);
    let want = comparable(&expected);
    let fragments = |c: &hashiya::formats::Comparable| {
        let mut v: Vec<_> = c.spans.iter().flat_map(|s| s.0 .0.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(fragments(&got), fragments(&want));
    assert_eq!(got.relations, want.relations);
    let per = got.spans.iter().find(|s| s.0 .1 == "PER").unwrap();
    assert_eq!(per.1, vec![("role".to_owned(), "official".to_owned())]);
    assert_eq!(
        out.skipped.get("notes (WebAnno TSV has no place for them)"),
        Some(&1)
    );
    assert_eq!(
        out.skipped
            .get("document labels (WebAnno TSV has no place for them)"),
        Some(&2)
    );
}

#[test]
fn prodigy_round_trip_keeps_spans_relations_and_tokens() {
    let d = tokenized_doc(true);
    let (imp, out, back, _dir) = round_trip(
        Format::Prodigy,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
    );
    assert!(back.issues.is_empty(), "{:?}", back.issues);
    assert_eq!(out.tokens_split, 0);
    assert_eq!(imp.docs[0].doc.text(), TOKENIZED);
    assert_same(&d.annotations, &imp.docs[0].annotations);
    assert!(imp.docs[0].annotations.tokens.is_some(), "tokens recorded");
}

// ---- Offsets checked by Python ----

fn python() -> Option<&'static str> {
    common::require::python3().then_some("python3")
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

fn run_py(args: &[&str]) -> String {
    let out = Command::new("python3").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "python {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn export_to(format: Format, opts: &ExportOptions, docs: &[ExportDoc], out: &Path) -> Report {
    let mut schema = Schema::builtin();
    for d in docs {
        hashiya::formats::brat::ensure_for(&mut schema, d.annotations.spans());
    }
    let (files, r) = export_docs(format, opts, &schema, docs);
    for f in files {
        let p = out_path(format, out, &f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, f.content).unwrap();
    }
    r
}

#[test]
fn emoji_before_spans_utf16_for_doccano_code_points_for_brat_checked_by_python() {
    if python().is_none() {
        return;
    }
    let d = rich_doc(false);
    let dir = tempfile::tempdir().unwrap();
    let expected: BTreeMap<String, String> = d
        .annotations
        .spans()
        .iter()
        .map(|s| (s.label.clone(), s.text.clone()))
        .collect();
    for (unit, name) in [(OffsetUnit::Utf16, "utf16"), (OffsetUnit::Char, "char")] {
        let out = dir.path().join(format!("d-{name}.jsonl"));
        let opts = ExportOptions {
            offset_unit: unit,
            ..ExportOptions::default()
        };
        export_to(Format::Doccano, &opts, std::slice::from_ref(&d), &out);
        let got: Vec<Vec<(usize, usize, String, String)>> = serde_json::from_str(&run_py(&[
            script("check_offsets.py").to_str().unwrap(),
            "doccano",
            out.to_str().unwrap(),
            name,
        ]))
        .unwrap();
        for (s, e, label, covered) in &got[0] {
            assert_eq!(expected[label], *covered, "{name}: {s}..{e} {label}");
            let sp = d
                .annotations
                .spans()
                .iter()
                .find(|x| x.label == *label)
                .unwrap();
            match unit {
                // 😀 is 2 UTF-16 units: every span is after it, so UTF-16 offsets are larger.
                OffsetUnit::Utf16 => assert_eq!(*s, d.doc.char_to_utf16(sp.start)),
                OffsetUnit::Char => assert_eq!(*s, sp.start),
            }
        }
        if unit == OffsetUnit::Utf16 {
            let gpe = got[0].iter().find(|x| x.2 == "GPE").unwrap();
            let sp = d
                .annotations
                .spans()
                .iter()
                .find(|x| x.label == "GPE")
                .unwrap();
            // After 😀 and 👍🏽 (two astral code points): 3 more UTF-16 units than code points.
            assert_eq!(gpe.0, sp.start + 3);
        }
    }
    let brat = dir.path().join("brat");
    export_to(
        Format::Brat,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
        &brat,
    );
    let n = run_py(&[
        script("brat.py").to_str().unwrap(),
        "check",
        brat.join("news/rich.txt").to_str().unwrap(),
        brat.join("news/rich.ann").to_str().unwrap(),
    ]);
    assert_eq!(n.trim(), "4");
    let ls = dir.path().join("ls.json");
    export_to(
        Format::LabelStudio,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
        &ls,
    );
    let got: Vec<Vec<(usize, usize, String, String)>> = serde_json::from_str(&run_py(&[
        script("check_offsets.py").to_str().unwrap(),
        "label-studio",
        ls.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(got[0].len(), 4);
}

#[test]
fn emoji_before_spans_utf16_for_webanno_tsv_code_points_for_prodigy_checked_by_python() {
    if python().is_none() {
        return;
    }
    let d = rich_doc(false);
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("tsv");
    export_to(
        Format::WebannoTsv,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
        &tsv,
    );
    std::fs::write(dir.path().join("rich.txt"), RICH).unwrap();
    let units: Vec<(usize, usize, String, String)> = serde_json::from_str(&run_py(&[
        script("check_offsets.py").to_str().unwrap(),
        "webanno",
        tsv.join("news/rich.tsv").to_str().unwrap(),
        dir.path().join("rich.txt").to_str().unwrap(),
    ]))
    .unwrap();
    // عمرو is after 😀 (2 UTF-16 units, 1 code point): its TSV offsets are one more than its
    // code points, and Python cuts it out with them.
    let amr = units.iter().find(|u| u.2 == "عمرو").unwrap();
    let cp = at(RICH, "عمرو", 0);
    assert_eq!((amr.0, amr.1), (cp.start + 1, cp.end + 1));
    assert!(amr.3.contains("official"), "{amr:?}");
    let gpe = units.iter().find(|u| u.2 == "واشنطن").unwrap();
    assert_eq!(gpe.0, at(RICH, "واشنطن", 0).start + 3, "after 😀 and 👍🏽");
    let prodigy = dir.path().join("p.jsonl");
    export_to(
        Format::Prodigy,
        &ExportOptions::default(),
        std::slice::from_ref(&d),
        &prodigy,
    );
    let got: Vec<Vec<(usize, usize, String, String)>> = serde_json::from_str(&run_py(&[
        script("check_offsets.py").to_str().unwrap(),
        "prodigy",
        prodigy.to_str().unwrap(),
    ]))
    .unwrap();
    for s in d.annotations.spans() {
        assert!(
            got[0].iter().any(|g| (g.0, g.1, g.2.as_str(), g.3.as_str())
                == (s.start, s.end, s.label.as_str(), s.text.as_str())),
            "{} {:?}",
            s.label,
            got
        );
    }
}

#[test]
fn spacy_builds_docs_from_the_prodigy_export_and_every_span_is_on_tokens() {
    if !common::require::python_modules(&["spacy"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Emoji, a clitic before an entity (the token is split at the span's edge), nesting, line
    // ends and double spaces between tokens.
    let text = "😀 قال  وبواشنطن إن عمرو موسى\nفي القاهرة.\n";
    let doc = Document::from_text("s.txt", text);
    let spans = vec![
        span(&doc, "s1", vec![at(text, "واشنطن", 0)], "GPE"),
        span(&doc, "s2", vec![at(text, "عمرو موسى", 0)], "PER"),
        span(&doc, "s3", vec![at(text, "موسى", 0)], "PER"),
        span(&doc, "s4", vec![at(text, "القاهرة", 0)], "LOC"),
    ];
    let d = ExportDoc {
        relative: "s.txt".into(),
        doc,
        annotations: Annotations::from_parts(
            DocStatus::Finished,
            spans,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let out = dir.path().join("p.jsonl");
    let r = export_to(
        Format::Prodigy,
        &ExportOptions::default(),
        &[d.clone(), tokenized_doc(true)],
        &out,
    );
    assert_eq!(r.tokens_split, 1, "وب|واشنطن");
    let got: Vec<Vec<(usize, usize, String, String)>> = serde_json::from_str(&run_py(&[
        script("spacy_docs.py").to_str().unwrap(),
        out.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(got.len(), 2);
    let mut want: Vec<_> = d
        .annotations
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.clone(), s.text.clone()))
        .collect();
    want.sort();
    let mut g = got[0].clone();
    g.sort();
    assert_eq!(g, want);
    assert_eq!(got[1].len(), tokenized_doc(true).annotations.spans().len());
}

#[test]
fn exported_conll_and_token_jsonl_are_read_by_an_independent_reader() {
    if python().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let docs = [tokenized_doc(true), rich_doc(false)];
    for scheme in [TagScheme::Iob2, TagScheme::Bioes, TagScheme::Bilou] {
        let conll = dir.path().join("x.conll");
        let opts = ExportOptions {
            scheme,
            tokenizer: Tokenizer::Arabic,
            ..ExportOptions::default()
        };
        let r = export_to(Format::Conll, &opts, &docs, &conll);
        let v: serde_json::Value = serde_json::from_str(&run_py(&[
            script("read_conll.py").to_str().unwrap(),
            "check",
            conll.to_str().unwrap(),
        ]))
        .unwrap();
        assert_eq!(v["tokens"].as_u64().unwrap() as usize, r.tokens);
        assert_eq!(v["entities"].as_u64().unwrap() as usize, 7 + 4);
        let jsonl = dir.path().join("x.jsonl");
        let r = export_to(Format::TokenJsonl, &opts, &docs, &jsonl);
        let v: serde_json::Value = serde_json::from_str(&run_py(&[
            script("read_token_jsonl.py").to_str().unwrap(),
            jsonl.to_str().unwrap(),
            dir.path().join("x.labels.json").to_str().unwrap(),
        ]))
        .unwrap();
        assert_eq!(v["tokens"].as_u64().unwrap() as usize, r.tokens);
        // Flat: the 4 outermost entities of the tokenized doc and 3 of the rich one.
        assert_eq!(v["entities"].as_u64().unwrap(), 4 + 3);
        assert!(r
            .skipped
            .contains_key("span nested deeper than the tag columns"));
    }
}

// ---- Malformed input, through the CLI ----

#[test]
fn malformed_input_is_reported_by_file_and_line_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.txt"), "عمرو موسى في القاهرة").unwrap();
    std::fs::write(
        src.join("a.ann"),
        "T1\tPER 0 9\tعمرو موسى\nT2\tLOC 13 99\tالقاهرة\nT3\tLOC 13 20\tالجيزة\nT4\tLOC x y\tz\nR1\tabout Arg1:T1 Arg2:T7\t\nT5\tLOC 13 20\tالقاهرة\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_hashiya");
    let corpus = dir.path().join("corpus");
    let out = Command::new(bin)
        .args(["import", "--format", "brat"])
        .arg(&src)
        .arg(&corpus)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a.ann:2: error") && err.contains("past the end"),
        "{err}"
    );
    assert!(
        err.contains("a.ann:3: error") && err.contains("does not match"),
        "{err}"
    );
    assert!(
        err.contains("a.ann:4: error") && err.contains("bad offsets"),
        "{err}"
    );
    assert!(err.contains("a.ann:5: skipped"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("documents: 1, spans: 2"), "{stdout}");
    // The good spans made it into a sidecar.
    let sidecar = std::fs::read_to_string(corpus.join("a.txt.imported.hashiya.json")).unwrap();
    assert!(sidecar.contains("\"PER\"") && sidecar.contains("\"القاهرة\""));

    // Broken JSON lines and bad offsets in doccano; unknown columns in CoNLL.
    std::fs::write(
        src.join("d.jsonl"),
        "{\"text\": \"قال عمرو\", \"label\": [[4, 8, \"PER\"]]}\n{broken\n{\"text\": \"x\", \"label\": [[0, 5, \"PER\"]]}\n",
    )
    .unwrap();
    let out = Command::new(bin)
        .args(["import", "--format", "doccano"])
        .arg(src.join("d.jsonl"))
        .arg(dir.path().join("c2"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("d.jsonl:2: error: not JSON"), "{err}");
    assert!(
        err.contains("d.jsonl:3: error") && err.contains("past the end"),
        "{err}"
    );
    std::fs::write(src.join("e.conll"), "عمرو B-PER\nموسى I-PER WHAT\n").unwrap();
    let out = Command::new(bin)
        .args(["import", "--format", "conll"])
        .arg(src.join("e.conll"))
        .arg(dir.path().join("c3"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("e.conll:2: error: unknown column value `WHAT`"),
        "{err}"
    );

    // Export back out with a status filter: the imported document is in progress.
    let out = Command::new(bin)
        .args(["export", "--format", "conll", "--status", "finished"])
        .arg(&corpus)
        .arg(dir.path().join("x.conll"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("documents: 0"));
    let out = Command::new(bin)
        .args([
            "export",
            "--format",
            "conll",
            "--status",
            "in_progress",
            "--scheme",
            "bioes",
        ])
        .arg(&corpus)
        .arg(dir.path().join("x.conll"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conll = std::fs::read_to_string(dir.path().join("x.conll")).unwrap();
    assert_eq!(conll, "عمرو B-PER\nموسى E-PER\nفي O\nالقاهرة S-LOC\n\n");
}

// ---- Property tests: random text (emoji, marks, invisible marks, line ends) and random spans ----

fn arb_doc() -> impl Strategy<Value = ExportDoc> {
    let alphabet = prop::sample::select(vec![
        'a', 'ب', 'ت', '😀', '\u{200E}', ' ', '\n', '\u{064E}', 'é', '👍',
    ]);
    (
        prop::collection::vec(alphabet, 1..60),
        prop::collection::vec((0usize..60, 1usize..10, 0usize..3), 0..8),
    )
        .prop_map(|(chars, raw)| {
            let text: String = chars.iter().collect();
            let n = chars.len();
            let doc = Document::from_text("p.txt", text);
            let labels = ["PER", "LOC", "ORG"];
            let mut spans: Vec<Span> = Vec::new();
            for (k, (s, len, l)) in raw.into_iter().enumerate() {
                let s = s % n;
                let e = (s + len).min(n);
                if s < e {
                    let r = s..e;
                    if spans.iter().any(|x| x.range() == r && x.label == labels[l]) {
                        continue;
                    }
                    spans.push(span(&doc, &format!("s{}", k + 1), vec![r], labels[l]));
                }
            }
            ExportDoc {
                relative: "p.txt".into(),
                doc,
                annotations: Annotations::from_parts(
                    DocStatus::Finished,
                    spans,
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                ),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_spans_round_trip_through_offset_formats(d in arb_doc()) {
        for (format, unit) in [
            (Format::Doccano, OffsetUnit::Utf16),
            (Format::Doccano, OffsetUnit::Char),
            (Format::Brat, OffsetUnit::Char),
            (Format::LabelStudio, OffsetUnit::Char),
        ] {
            let opts = ExportOptions { offset_unit: unit, ..ExportOptions::default() };
            let (imp, _, back, _dir) = round_trip(format, &opts, std::slice::from_ref(&d));
            prop_assert!(back.errors().next().is_none(), "{:?} {:?}", format, back.issues);
            prop_assert_eq!(imp.docs[0].doc.text(), d.doc.text());
            prop_assert_eq!(comparable(&imp.docs[0].annotations), comparable(&d.annotations));
        }
    }
}
