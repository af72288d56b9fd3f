//! Exports a synthetic 10,000-document corpus to every interchange format and prints documents per
//! second: once end to end (reading articles and sidecars from disk, writing the output) and once
//! for the conversion alone (documents already in memory).
//!
//! `cargo bench --bench formats_export` (set HASHIYA_BENCH_DOCS to change the corpus size).

use std::time::Instant;

use hashiya::formats::driver::{export_corpus, out_path};
use hashiya::formats::{export_docs, ExportDoc, ExportOptions, Format};
use hashiya::model::annotation::{Annotations, DocLabel, DocStatus, Relation, Span, Target};
use hashiya::model::{sidecar, Document, Schema};

const SENTENCES: &[&str] = &[
    "أعلن الرئيس عمرو موسى في القاهرة أن وبواشنطن ستشارك في القمة المقبلة.",
    "وقال المتحدث باسم وزارة الخارجية إن المحادثات مع NASA ستستمر حتى 2026.",
    "ارتفع معدل التضخم إلى 5.3% في مصر خلال الربع الأول 😀 بحسب البنك المركزي.",
    "واستقبلت مدينة الإسكندرية وفداً من منظمة الصحة العالمية يوم الاثنين.",
];
const WORDS: &[(&str, &str)] = &[
    ("عمرو موسى", "PER"),
    ("القاهرة", "GPE"),
    ("واشنطن", "GPE"),
    ("وزارة الخارجية", "ORG"),
    ("NASA", "ORG"),
    ("مصر", "GPE"),
    ("البنك المركزي", "ORG"),
    ("الإسكندرية", "GPE"),
    ("منظمة الصحة العالمية", "ORG"),
];

fn make_doc(k: usize, path: &std::path::Path) -> (Document, Annotations) {
    let mut text = String::new();
    for p in 0..4 {
        for s in 0..3 {
            text.push_str(SENTENCES[(k + p + s) % SENTENCES.len()]);
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    let doc = Document::from_text(path, text.clone());
    let mut spans = Vec::new();
    for (word, label) in WORDS {
        for (byte, _) in text.match_indices(word) {
            let start = text[..byte].chars().count();
            let end = start + word.chars().count();
            spans.push(Span::new(
                format!("s{}", spans.len() + 1),
                start..end,
                *label,
                *word,
            ));
        }
    }
    if let Some(first) = text.lines().next() {
        let end = first.chars().count();
        let mut claim = Span::new(format!("s{}", spans.len() + 1), 0..end, "CLAIM", first);
        claim.attributes.insert("check_worthy".into(), "yes".into());
        spans.push(claim);
    }
    let relations = if spans.len() >= 2 {
        vec![Relation {
            id: "r1".into(),
            kind: "about".into(),
            from: "s1".into(),
            to: "s2".into(),
            ..Relation::default()
        }]
    } else {
        Vec::new()
    };
    let labels = vec![DocLabel {
        id: "d1".into(),
        name: "stance".into(),
        value: ["favor", "against", "neutral"][k % 3].into(),
        target: Some(Target::Text("الحكومة".into())),
        evidence: Vec::new(),
        ..DocLabel::default()
    }];
    (
        doc,
        Annotations::from_parts(DocStatus::Finished, spans, relations, labels, Vec::new()),
    )
}

fn main() {
    let n: usize = std::env::var("HASHIYA_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("cannot make a temp dir");
        return;
    };
    let corpus = dir.path().join("corpus");
    let t = Instant::now();
    let mut docs = Vec::with_capacity(n);
    for k in 0..n {
        let sub = corpus.join(format!("{:03}", k / 1000));
        let _ = std::fs::create_dir_all(&sub);
        let path = sub.join(format!("article-{k:05}.txt"));
        let (doc, ann) = make_doc(k, &path);
        let _ = std::fs::write(&path, doc.text());
        let _ = std::fs::write(
            sidecar::sidecar_path(&path, "bench"),
            sidecar::encode(&doc, "bench", &ann).unwrap(),
        );
        docs.push(ExportDoc {
            relative: format!("{:03}/article-{k:05}.txt", k / 1000),
            doc,
            annotations: ann,
        });
    }
    let spans: usize = docs.iter().map(|d| d.annotations.spans().len()).sum();
    println!(
        "built {n} documents ({spans} spans, {} KiB of text) in {:.1} s",
        docs.iter().map(|d| d.doc.text().len()).sum::<usize>() / 1024,
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<14} {:>16} {:>20}",
        "format", "end to end doc/s", "conversion only doc/s"
    );
    let schema = Schema::builtin();
    for format in Format::ALL {
        let opts = ExportOptions::default();
        let out = dir.path().join(format!("out-{}", format.name()));
        let t = Instant::now();
        let report = match export_corpus(format, &corpus, &out, &opts, &mut |_, _, _| {}) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{}: {e}", format.name());
                continue;
            }
        };
        let e2e = report.documents as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (files, r) = export_docs(format, &opts, &schema, &docs);
        let conv = r.documents as f64 / t.elapsed().as_secs_f64();
        let bytes: usize = files.iter().map(|f| f.content.len()).sum();
        let _ = out_path(format, &out, std::path::Path::new(""));
        println!(
            "{:<14} {:>16.0} {:>20.0}   ({} docs, {} MiB out)",
            format.name(),
            e2e,
            conv,
            report.documents,
            bytes / (1024 * 1024)
        );
    }
}
