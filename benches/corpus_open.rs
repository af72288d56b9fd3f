//! How long opening a corpus of 10,000 articles takes (half of them with a sidecar of 20 spans).
//! Run: `cargo bench --bench corpus_open`.

use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use hashiya::model::{sidecar, Corpus, DocStatus, Document, Editor, Schema};

const DOCS: usize = 10_000;

fn build_corpus(root: &Path) {
    let schema = Schema::builtin();
    let body =
        "أعلنت وزارة الخارجية في القاهرة يوم الاثنين أن وفدا سيزور واشنطن الأسبوع المقبل. ".repeat(8);
    for i in 0..DOCS {
        let dir = root.join(format!("batch{:03}", i / 500));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("article{i:05}.txt"));
        std::fs::write(&path, format!("خبر رقم {i}\n\n{body}")).unwrap();
        if i % 2 == 0 {
            let doc = Document::load(&path, None).unwrap();
            let mut ed = Editor::default();
            let text = doc.text().to_owned();
            for (n, (b, _)) in text.match_indices("القاهرة").take(20).enumerate() {
                let s = doc.byte_to_char(b);
                ed.add_span(
                    &doc,
                    &schema,
                    s..s + 7,
                    if n % 2 == 0 { "GPE" } else { "LOC" },
                )
                .unwrap();
            }
            ed.set_status(DocStatus::ALL[i % 4]).unwrap();
            sidecar::save(&doc, "bench", ed.annotations(), None).unwrap();
        }
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    build_corpus(dir.path());
    eprintln!(
        "built a corpus of {DOCS} articles ({} with sidecars) in {:.1?}",
        DOCS / 2,
        t.elapsed()
    );
    let corpus = Corpus::open(dir.path()).unwrap();
    assert_eq!(corpus.entries.len(), DOCS);
    let t = Instant::now();
    let _ = Corpus::open(dir.path()).unwrap();
    eprintln!(
        "open 10,000 articles (warm cache), one run: {:.1?}",
        t.elapsed()
    );
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.bench_function("open_10000_articles", |b| {
        b.iter(|| Corpus::open(dir.path()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
