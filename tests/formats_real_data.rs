//! Import and re-export of real annotated data from other projects (../shared/corpora, or the folder
//! named by HASHIYA_SHARED_CORPORA). Without the folder these tests print a note and pass, except
//! under HASHIYA_NO_SKIP (CI), where they fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use hashiya::formats::driver::{export_corpus, import_into_corpus};
use hashiya::formats::tokenize::Tokenizer;
use hashiya::formats::{ExportOptions, Format, ImportOptions, Report};
use hashiya::model::{sidecar, Document};

fn shared() -> Option<PathBuf> {
    common::require::shared_corpora()
}

fn py(args: &[&str]) -> Result<String, String> {
    let out = Command::new("python3")
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
        .display()
        .to_string()
}

fn has_python() -> bool {
    common::require::python3()
}

fn import(format: Format, src: &Path, corpus: &Path) -> Report {
    import_into_corpus(
        format,
        src,
        corpus,
        &ImportOptions::default(),
        &mut |_, _, _| {},
    )
    .unwrap()
}

fn export(format: Format, corpus: &Path, out: &Path, opts: ExportOptions) -> Report {
    export_corpus(format, corpus, out, &opts, &mut |_, _, _| {}).unwrap()
}

fn whitespace() -> ExportOptions {
    ExportOptions {
        tokenizer: Tokenizer::Whitespace,
        ..ExportOptions::default()
    }
}

/// Re-exports one imported CoNLL article and compares tokens and tags with the original file.
fn conll_same(original: &Path, article: &Path, opts: ExportOptions, iob2: bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("re.conll");
    let r = export(Format::Conll, article, &out, opts);
    assert!(!r.has_failures(), "{}", r.summary());
    assert_eq!(r.tokens_split, 0);
    if !has_python() {
        return;
    }
    let mut args = vec![
        script("read_conll.py"),
        "compare".into(),
        original.display().to_string(),
        out.display().to_string(),
    ];
    if iob2 {
        args.push("--iob2".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    py(&args).unwrap_or_else(|e| panic!("{}: {e}", original.display()));
    // And the independent reader accepts the file.
    py(&[&script("read_conll.py"), "check", out.to_str().unwrap()]).unwrap();
}

#[test]
fn brat_examples_every_line_kind_accounted_for_and_re_exported() {
    let Some(s) = shared() else { return };
    let src = s.join("brat_examples/example-data");
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let r = import(Format::Brat, &src, &corpus);
    // Count the line kinds of the originals.
    let mut kinds = std::collections::BTreeMap::<char, usize>::new();
    let mut anns = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "ann") {
                for line in std::fs::read_to_string(&p).unwrap().lines() {
                    if let Some(c) = line.chars().next() {
                        *kinds.entry(c).or_default() += 1;
                    }
                }
                anns.push(p);
            }
        }
    }
    for k in ['T', 'R', 'E', 'A', 'M', 'N', '#', '*'] {
        assert!(
            kinds.get(&k).copied().unwrap_or(0) > 0,
            "no {k} line in the examples"
        );
    }
    assert_eq!(r.documents, anns.len());
    assert_eq!(r.spans, kinds[&'T'], "every T line is a span");
    assert_eq!(r.relations, kinds[&'R'], "every R line is a relation");
    assert_eq!(r.events, kinds[&'E'], "every E line is an event");
    assert_eq!(r.groups, kinds[&'*'], "every * line is a group");
    assert_eq!(r.errors().count(), 0, "{:?}", r.issues);
    assert!(!r.has_failures(), "nothing left out: {}", r.summary());
    // A, M, N, # lines: each became an attribute or a note line of a span, event or relation.
    let mut held = 0;
    for a in &anns {
        let rel = a.strip_prefix(&src).unwrap().with_extension("txt");
        let doc = Document::load(&corpus.join(&rel), None).unwrap();
        let l = sidecar::load(&doc, "imported").unwrap().annotations;
        let lines = |note: &Option<String>| note.as_ref().map_or(0, |n| n.split('\n').count());
        let attr_lines = |m: &std::collections::BTreeMap<String, String>| -> usize {
            m.iter()
                .map(|(k, v)| {
                    if k.starts_with('#') {
                        v.split('\n').count()
                    } else {
                        1
                    }
                })
                .sum()
        };
        for s in l.spans() {
            held += attr_lines(&s.attributes) + lines(&s.note);
        }
        for e in &l.events {
            held += attr_lines(&e.attributes) + lines(&e.note);
        }
        for x in &l.relations {
            held += attr_lines(&x.attributes) + lines(&x.note);
        }
    }
    let attr_like = kinds[&'A'] + kinds[&'M'] + kinds[&'N'] + kinds[&'#'];
    assert_eq!(held, attr_like);
    // The schema learned the event types and their roles from annotation.conf.
    let schema = hashiya::model::Schema::load(&corpus.join("hashiya-schema.json")).unwrap();
    let merge = schema
        .event_types
        .iter()
        .find(|e| e.name == "Merge-org")
        .expect("event type from the news tutorial");
    assert!(merge
        .roles
        .iter()
        .any(|r| r.name == "Org-Arg" && r.repeated));
    assert!(schema
        .event_types
        .iter()
        .any(|e| e.name == "Positive_regulation"
            && e.roles.iter().any(|r| r.name == "Cause" && r.optional)));

    // Re-export: the same annotations (events, equivalences, attributes and notes on every kind)
    // compared by an independent reader; offsets checked by Python.
    let out = dir.path().join("out");
    let r2 = export(Format::Brat, &corpus, &out, ExportOptions::default());
    assert!(!r2.has_failures(), "{}", r2.summary());
    assert_eq!(r2.spans, r.spans);
    assert_eq!(r2.relations, r.relations);
    assert_eq!(r2.events, r.events);
    assert_eq!(r2.groups, r.groups);
    assert!(out.join("annotation.conf").is_file());
    if !has_python() {
        return;
    }
    for a in &anns {
        let rel = a.strip_prefix(&src).unwrap();
        let b = out.join(rel);
        py(&[
            &script("brat.py"),
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ])
        .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        py(&[
            &script("brat.py"),
            "check",
            b.with_extension("txt").to_str().unwrap(),
            b.to_str().unwrap(),
        ])
        .unwrap();
    }
}

#[test]
fn wojood_nesting_survives_import_and_re_export() {
    let Some(s) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("wojood");
    let r = import(Format::Conll, &s.join("wojood_sample"), &corpus);
    assert_eq!(r.documents, 2);
    assert!(!r.has_failures(), "{:?}", r.issues);
    let doc = Document::load(&corpus.join("test.txt"), None).unwrap();
    let spans = sidecar::load(&doc, "imported").unwrap().annotations;
    let nested = spans
        .spans()
        .iter()
        .filter(|a| {
            spans
                .spans()
                .iter()
                .any(|b| b.id != a.id && b.start <= a.start && a.end <= b.end)
        })
        .count();
    assert!(nested > 100, "only {nested} nested spans");
    for f in ["test.txt", "val.txt"] {
        // The recorded tokens by default; the white-space tokenizer gives the same.
        for opts in [ExportOptions::default(), whitespace()] {
            conll_same(
                &s.join("wojood_sample").join(f),
                &corpus.join(f),
                opts,
                false,
            );
        }
    }
}

#[test]
fn anercorp_imports_and_re_exports() {
    let Some(s) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("aner");
    let src = s.join("anercorp_camellab/ANERCorp_CamelLab_test.txt");
    let r = import(Format::Conll, &src, &corpus);
    assert!(!r.has_failures(), "{:?}", r.issues);
    // IOB2 entities that start with I- are read as entities and named, with their lines, and
    // counted as repaired in the summary.
    assert!(r
        .issues
        .iter()
        .any(|i| i.message.starts_with("74 entities start with I-") && i.line == Some(348)));
    assert_eq!(
        r.repaired.get(hashiya::formats::conll::ORPHAN_REPAIR),
        Some(&74)
    );
    assert!(r.summary().contains("repaired: 74 ×"), "{}", r.summary());
    assert_eq!(r.tokens, 25_008);
    // The default export keeps the recorded tokens: `لأفغانستان؛` stays one token.
    let article = corpus.join("ANERCorp_CamelLab_test.txt");
    let dir2 = tempfile::tempdir().unwrap();
    let out = dir2.path().join("re.conll");
    let r2 = export(Format::Conll, &article, &out, ExportOptions::default());
    assert_eq!(r2.tokens, 25_008, "{}", r2.summary());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("لأفغانستان؛ ")),
        "one token"
    );
    for opts in [ExportOptions::default(), whitespace()] {
        conll_same(&src, &article, opts, true);
    }
}

#[test]
fn newsfane_bom_crlf_tab_lines_and_invisible_marks() {
    let Some(s) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("fane");
    let src = s.join("newsfane_gold/NewsFANE_Gold_2014_170K.txt");
    let r = import(Format::Conll, &src, &corpus);
    assert!(!r.has_failures(), "{:?}", r.issues);
    let article = corpus.join("NewsFANE_Gold_2014_170K.txt");
    let doc = Document::load(&article, None).unwrap();
    assert!(!doc.text().starts_with('\u{FEFF}'));
    assert!(!doc.text().contains('\r'));
    assert!(doc.text().contains('\u{200E}'), "U+200E stays in the text");
    let spans = sidecar::load(&doc, "imported").unwrap().annotations;
    assert!(spans.spans().iter().any(|s| s.label == "Population-Center"));
    assert!(spans.spans().iter().all(|s| !s.text.is_empty()));
    for opts in [
        // The recorded tokens (the default), the white-space tokenizer, and the Arabic tokenizer,
        // which keeps U+200E with its word too.
        ExportOptions::default(),
        whitespace(),
        ExportOptions {
            tokenizer: Tokenizer::Arabic,
            ..ExportOptions::default()
        },
    ] {
        conll_same(
            &src,
            &article,
            ExportOptions {
                tab_separated: true,
                ..opts
            },
            false,
        );
    }
}

#[test]
fn ans_stance_and_claims_come_back_byte_for_byte() {
    let Some(s) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (format, file, columns) in [
        (
            Format::StanceCsv,
            "stance/test.csv",
            "s1=target,s2=text,stance=label",
        ),
        (
            Format::ClaimsCsv,
            "claim/test.csv",
            "claim_s=text,fake_flag=attr:fake_flag",
        ),
    ] {
        let src = s.join("ans_arabic_news_stance").join(file);
        let corpus = dir.path().join(format.name());
        let r = import(format, &src, &corpus);
        assert!(!r.has_failures(), "{:?}", r.issues);
        assert!(r.documents > 300);
        let out = dir.path().join(format!("{}.csv", format.name()));
        let opts = ExportOptions {
            columns: columns.split(',').map(str::to_owned).collect(),
            ..ExportOptions::default()
        };
        let r2 = export(format, &corpus, &out, opts);
        assert!(!r2.has_failures(), "{}", r2.summary());
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(&src).unwrap(),
            "{file}"
        );
    }
}
