//! Re-anchoring a sidecar on an article that changed under it: 10,000 spans on a 2.3 MB article
//! after a line was inserted at its start, so that every span has moved. Compared with placing the
//! spans one by one, each searching the whole text (what re-anchoring did before, O(spans × text)).
//! Run: `cargo bench --bench reanchor`.

use criterion::{criterion_group, criterion_main, Criterion};
use hashiya::model::anchor::{anchor_spans, Anchor, StoredSpan};
use hashiya::model::{Document, Span};

fn setup(spans: usize, paragraphs: usize) -> (Document, Vec<StoredSpan>) {
    let words = [
        "القاهرة",
        "واشنطن",
        "الرئيس",
        "وزارة",
        "الخارجية",
        "موسكو",
        "بغداد",
    ];
    let mut text = String::new();
    for p in 0..paragraphs {
        text.push_str(&format!("فقرة {p}: "));
        for w in 0..40 {
            text.push_str(words[(p * 7 + w * 3) % words.len()]);
            text.push_str(&format!(" {} ", p * 40 + w));
        }
        text.push('\n');
    }
    let old = Document::from_text("a.txt", text.clone());
    let mut stored = Vec::new();
    let mut at = 0;
    for (b, w) in text.match_indices(' ') {
        let _ = w;
        if stored.len() >= spans {
            break;
        }
        let s = old.byte_to_char(b) + 1;
        if s < at {
            continue;
        }
        let e = (s + 6).min(old.len_chars());
        let covered = old.slice(s..e).unwrap_or("").to_owned();
        stored.push(StoredSpan {
            span: Span::new(format!("s{}", stored.len() + 1), s..e, "LOC", covered),
            prefix: old.prefix(s, 16).to_owned(),
            suffix: old.suffix(e, 16).to_owned(),
        });
        at = e + 20;
    }
    let new = Document::from_text("a.txt", format!("سطر أضيف في أول المقال\n{text}"));
    (new, stored)
}

/// Re-anchoring as it was before (one span at a time, each scanning the whole text and scoring
/// every occurrence), for the comparison.
fn one_by_one(doc: &Document, s: &StoredSpan) -> Option<usize> {
    if doc.slice(s.span.range()) == Some(s.span.text.as_str()) {
        return Some(s.span.start);
    }
    let n = s.span.text.chars().count();
    let mut best = (0, Vec::new());
    for (b, _) in doc.text().match_indices(s.span.text.as_str()) {
        let c = doc.byte_to_char(b);
        let tail = doc
            .prefix(c, 16)
            .chars()
            .rev()
            .zip(s.prefix.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let head = doc
            .suffix(c + n, 16)
            .chars()
            .zip(s.suffix.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let score = tail + head;
        if score > best.0 {
            best = (score, vec![c]);
        } else if score == best.0 {
            best.1.push(c);
        }
    }
    (best.1.len() == 1).then(|| best.1[0])
}

fn bench(c: &mut Criterion) {
    let (doc, stored) = setup(10_000, 3_000);
    println!(
        "article: {:.1} MB, {} spans",
        doc.text().len() as f64 / 1e6,
        stored.len()
    );
    let moved = anchor_spans(&doc, &stored)
        .iter()
        .filter(|a| matches!(a, Anchor::Moved(_)))
        .count();
    println!("moved: {moved} of {}", stored.len());
    let mut g = c.benchmark_group("reanchor");
    g.sample_size(10);
    g.bench_function("all at once, 10000 spans, 2.3 MB", |b| {
        b.iter(|| anchor_spans(&doc, &stored))
    });
    // One by one, each span a search of the whole text: only 500 spans, or it takes minutes.
    let few = &stored[..500];
    g.bench_function("one by one (before), 500 spans, 2.3 MB", |b| {
        b.iter(|| few.iter().map(|s| one_by_one(&doc, s)).collect::<Vec<_>>())
    });
    g.bench_function("all at once, 500 spans, 2.3 MB", |b| {
        b.iter(|| anchor_spans(&doc, few))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
