//! The export driver on a folder of many documents: the first ones are converted while the folder
//! is still being listed (the head start), the rest on every core, and all are written in corpus
//! order. The same documents one folder down (where there is no head start) must give the same
//! output and the same report, whatever the order in which they were converted.

use std::path::Path;

use hashiya::formats::driver::{export_corpus, import_into_corpus};
use hashiya::formats::{ExportOptions, Format, ImportOptions, Report};
use hashiya::model::DocStatus;

const DOCUMENTS: usize = 3000;

/// A doccano file of `DOCUMENTS` short Arabic articles, each with a span or two.
fn doccano_lines() -> String {
    let mut out = String::new();
    for k in 0..DOCUMENTS {
        let text = format!("أعلن الرئيس عمرو موسى في القاهرة {k} أن وفد واشنطن سيشارك.");
        // Code points and UTF-16 units agree on this text.
        let person = (12, 21);
        let city = (25, 32);
        let labels = if k % 3 == 0 {
            format!("[[{}, {}, \"PER\"]]", person.0, person.1)
        } else {
            format!(
                "[[{}, {}, \"PER\"], [{}, {}, \"GPE\"]]",
                person.0, person.1, city.0, city.1
            )
        };
        out.push_str(&format!(
            "{{\"id\": {k}, \"text\": \"{text}\", \"label\": {labels}}}\n"
        ));
    }
    out
}

fn export(corpus: &Path, out: &Path, opts: &ExportOptions) -> Report {
    export_corpus(Format::Conll, corpus, out, opts, &mut |_, _, _| {}).unwrap()
}

/// The report with the folder the documents are in left out of its messages.
fn summary_without(report: &Report, folder: &str) -> String {
    report.summary().replace(folder, "")
}

#[test]
fn a_flat_folder_exports_as_the_same_documents_one_folder_down() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(&jsonl, doccano_lines()).unwrap();
    let flat = dir.path().join("flat");
    let report = import_into_corpus(
        Format::Doccano,
        &jsonl,
        &flat,
        &ImportOptions::default(),
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(report.documents, DOCUMENTS, "{}", report.summary());
    // Something for the report in the flat folder: a broken sidecar, an article without one.
    let names: Vec<String> = std::fs::read_dir(&flat)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".hashiya.json"))
        .collect();
    let broken = names.iter().min().unwrap();
    std::fs::write(flat.join(broken), "{ not json").unwrap();
    std::fs::write(flat.join("zz-without-sidecar.txt"), "نص بلا تعليقات.").unwrap();
    // The same files one folder down.
    let nested = dir.path().join("nested");
    std::fs::create_dir_all(nested.join("sub")).unwrap();
    for e in std::fs::read_dir(&flat).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), nested.join("sub").join(e.file_name())).unwrap();
    }
    let options = [
        ExportOptions {
            annotator: Some("imported".into()),
            ..ExportOptions::default()
        },
        ExportOptions {
            annotator: Some("imported".into()),
            statuses: vec![DocStatus::New],
            ..ExportOptions::default()
        },
        // Without an annotator, each document's first sidecar: no head start.
        ExportOptions::default(),
    ];
    for (k, opts) in options.iter().enumerate() {
        let (a, b) = (
            dir.path().join(format!("flat-{k}.conll")),
            dir.path().join(format!("nested-{k}.conll")),
        );
        let (ra, rb) = (export(&flat, &a, opts), export(&nested, &b, opts));
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "options {k}"
        );
        assert_eq!(ra.documents, rb.documents, "options {k}");
        assert_eq!(ra.tokens, rb.tokens, "options {k}");
        assert_eq!(
            summary_without(&ra, ""),
            summary_without(&rb, "sub/"),
            "options {k}"
        );
        assert_eq!(
            ra.errors().count(),
            1,
            "the broken sidecar: {}",
            ra.summary()
        );
    }
}

#[test]
fn a_corpus_made_anew_at_the_same_path_is_read_anew() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let out = dir.path().join("out.conll");
    let opts = ExportOptions {
        annotator: Some("imported".into()),
        ..ExportOptions::default()
    };
    for (k, word) in ["القاهرة", "واشنطن"].into_iter().enumerate() {
        if corpus.exists() {
            std::fs::rename(&corpus, dir.path().join(format!("old-{k}"))).unwrap();
        }
        let jsonl = dir.path().join(format!("in-{k}.jsonl"));
        std::fs::write(
            &jsonl,
            format!("{{\"id\": 1, \"text\": \"زار الرئيس {word}.\", \"label\": []}}\n"),
        )
        .unwrap();
        let opts_in = ImportOptions::default();
        import_into_corpus(
            Format::Doccano,
            &jsonl,
            &corpus,
            &opts_in,
            &mut |_, _, _| {},
        )
        .unwrap();
        // On this same thread, one export after the other.
        export(&corpus, &out, &opts);
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(written.contains(word), "{k}: {written}");
    }
}
