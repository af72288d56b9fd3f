//! A concordance (keyword in context) over a corpus: the Arabic-aware matching of [`super::search`]
//! run document by document on every core, with hits streamed back in corpus order.
//!
//! Only a few documents are in memory at once: workers take documents in order and may run at most
//! [`WINDOW`] documents ahead of the one whose hits are being handed out.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use super::corpus::{Corpus, CorpusEntry};
use super::search::{find_all, find_with_clitics, SearchOptions};
use super::{sidecar, Document, ReviewState, TextEncoding};

/// How far (in documents) a worker may run ahead of the results handed out.
pub const WINDOW: usize = 16;

/// What to look for.
#[derive(Debug, Clone)]
pub struct ConcordanceQuery {
    pub query: String,
    /// Folds besides diacritics and tatweel, which are always ignored.
    pub options: SearchOptions,
    /// Whole words only, also after attached proclitics (the hit leaves them out).
    pub whole_word: bool,
    /// Only hits that lie inside a span with this label (not a rejected one).
    pub label: Option<String>,
    /// With `label`: only this annotator's spans (otherwise any annotator's).
    pub annotator: Option<String>,
    /// Chars of context on each side (within the paragraph).
    pub context: usize,
    pub encoding: Option<TextEncoding>,
}

/// One hit: char offsets in its document (end exclusive), its text and its context.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub left: String,
    pub right: String,
}

/// The hits of one document, or why it could not be searched; `warnings` name sidecars that
/// could not be read (their spans do not count for `label`).
#[derive(Debug)]
pub struct DocumentHits {
    pub hits: Result<Vec<Hit>, String>,
    pub warnings: Vec<String>,
}

/// The hits of `query` in `doc`. With a label, `spans` are the char ranges of that label's spans.
pub fn document_hits(doc: &Document, q: &ConcordanceQuery, spans: &[Range<usize>]) -> Vec<Hit> {
    let matches = if q.whole_word {
        find_with_clitics(doc, &q.query, q.options)
    } else {
        find_all(doc, &q.query, q.options)
    };
    matches
        .into_iter()
        .map(|m| m.span)
        .filter(|r| q.label.is_none() || spans.iter().any(|s| s.start <= r.start && r.end <= s.end))
        .map(|r| hit(doc, r, q.context))
        .collect()
}

fn hit(doc: &Document, r: Range<usize>, context: usize) -> Hit {
    let p = doc.paragraphs().paragraph_at_char(r.start);
    let (para_start, para_end) = doc
        .paragraphs()
        .iter()
        .nth(p)
        .map_or((0, doc.len_chars()), |p| (p.start_char, p.end_char));
    let slice = |range: Range<usize>| doc.slice(range).unwrap_or("").to_owned();
    Hit {
        left: slice(r.start.saturating_sub(context).max(para_start)..r.start),
        right: slice(r.end..(r.end + context).min(para_end).max(r.end)),
        text: slice(r.clone()),
        start: r.start,
        end: r.end,
    }
}

/// Searches one corpus entry: reads the article and, for a label filter, its sidecars.
pub fn search_entry(entry: &CorpusEntry, q: &ConcordanceQuery) -> DocumentHits {
    let doc = match Document::load(&entry.path, q.encoding) {
        Ok(d) => d,
        Err(e) => {
            return DocumentHits {
                hits: Err(e.to_string()),
                warnings: Vec::new(),
            }
        }
    };
    let mut spans = Vec::new();
    let mut warnings = Vec::new();
    if let Some(label) = &q.label {
        for info in &entry.sidecars {
            if q.annotator.as_ref().is_some_and(|a| *a != info.annotator) {
                continue;
            }
            match sidecar::load(&doc, &info.annotator) {
                Ok(loaded) => spans.extend(
                    loaded
                        .annotations
                        .spans()
                        .iter()
                        .filter(|s| &s.label == label && s.review != ReviewState::Rejected)
                        .flat_map(|s| s.pieces()),
                ),
                Err(e) => warnings.push(format!("{}: {e}", info.path.display())),
            }
        }
    }
    DocumentHits {
        hits: Ok(document_hits(&doc, q, &spans)),
        warnings,
    }
}

/// Searches every document of `corpus` on `threads` threads and calls `on_document` with each
/// document's hits, in corpus order. Stops early when `cancel` is set.
pub fn search_corpus(
    corpus: &Corpus,
    q: &ConcordanceQuery,
    threads: usize,
    cancel: &AtomicBool,
    mut on_document: impl FnMut(&CorpusEntry, DocumentHits),
) {
    let entries = &corpus.entries;
    let next = AtomicUsize::new(0);
    // The index of the next document to hand out, and a wake-up for workers waiting on it.
    let handed_out = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, DocumentHits)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (next, handed_out) = (&next, &handed_out);
            scope.spawn(move || loop {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(entry) = entries.get(i) else {
                    break;
                };
                {
                    let (lock, wake) = handed_out;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + WINDOW && !cancel.load(Ordering::Relaxed) {
                        done = wake.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                }
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                // A document whose search failed must still arrive, or the ones after it would
                // wait for it for ever.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    search_entry(entry, q)
                }))
                .unwrap_or_else(|_| DocumentHits {
                    hits: Err(format!(
                        "{}: internal error while searching",
                        entry.path.display()
                    )),
                    warnings: Vec::new(),
                });
                if tx.send((i, result)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&want) {
                // Nothing is handed out once cancelled (by `on_document` itself, too).
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                if let Some(entry) = entries.get(want) {
                    on_document(entry, result);
                }
                want += 1;
                let (lock, wake) = &handed_out;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = want;
                wake.notify_all();
            }
            if cancel.load(Ordering::Relaxed) {
                let (_, wake) = &handed_out;
                wake.notify_all();
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> ConcordanceQuery {
        ConcordanceQuery {
            query: q.to_owned(),
            options: SearchOptions {
                fold_alef: false,
                fold_ta_marbuta: false,
                fold_ya: false,
            },
            whole_word: false,
            label: None,
            annotator: None,
            context: 6,
            encoding: None,
        }
    }

    #[test]
    fn hits_carry_their_context_within_the_paragraph() {
        let doc = Document::from_text("t.txt", "قال الرئيسُ في واشنطن\nثم عاد الرئيس");
        let hits = document_hits(&doc, &query("الرئيس"), &[]);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            (
                hits[0].left.as_str(),
                hits[0].text.as_str(),
                hits[0].right.as_str()
            ),
            ("قال ", "الرئيسُ", " في وا")
        );
        assert_eq!(
            (hits[1].left.as_str(), hits[1].right.as_str()),
            ("م عاد ", "")
        );
    }

    #[test]
    fn a_label_keeps_only_hits_inside_its_spans() {
        let doc = Document::from_text("t.txt", "موسكو وموسكو");
        let mut q = query("موسكو");
        q.label = Some("GPE".into());
        q.whole_word = true;
        let gpe = 6..12; // وموسكو
        let hits = document_hits(&doc, &q, std::slice::from_ref(&gpe));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].start, hits[0].end), (7, 12));
    }

    #[test]
    fn a_corpus_is_searched_in_order_on_several_threads_and_can_be_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..40 {
            let text = format!("المقال {i}: قال الرئيس كلمة\n");
            std::fs::write(dir.path().join(format!("a{i:02}.txt")), text).unwrap();
        }
        let corpus = Corpus::open(dir.path()).unwrap();
        let mut seen = Vec::new();
        search_corpus(
            &corpus,
            &query("الرئيس"),
            3,
            &AtomicBool::new(false),
            |e, r| {
                assert_eq!(r.hits.unwrap().len(), 1);
                seen.push(e.relative.clone());
            },
        );
        let expected: Vec<String> = (0..40).map(|i| format!("a{i:02}.txt")).collect();
        assert_eq!(seen, expected);

        let cancel = AtomicBool::new(false);
        let mut n = 0;
        search_corpus(&corpus, &query("الرئيس"), 3, &cancel, |_, _| {
            n += 1;
            if n == 5 {
                cancel.store(true, Ordering::Relaxed);
            }
        });
        assert_eq!(n, 5, "nothing is handed out after cancelling");
    }
}
