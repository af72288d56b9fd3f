//! Properties of the suggestion matcher on generated Arabic text: a one-entry matcher finds
//! exactly what "tag all occurrences" finds (an independent implementation of the same rules,
//! model::search::find_with_clitics), and placing suggestions never touches the layer's spans nor
//! makes two suggestions overlap.

use hashiya::model::search::{find_with_clitics, SearchOptions};
use hashiya::model::suggest::{place_suggestions, Matcher, Suggestion};
use hashiya::model::{Document, Editor, Schema};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "موسكو",
    "القاهرة",
    "الولايات",
    "المتحدة",
    "فيروس",
    "واشنطن",
    "أحمد",
    "زار",
    "NASA",
];
const PREFIXES: &[&str] = &[
    "", "", "", "و", "ف", "ب", "ل", "ك", "ال", "وب", "فال", "بال", "لل", "ول", "ولل", "كال", "س",
    "\u{200E}",
];
const SUFFIXES: &[&str] = &["", "", "", "ي", "ات", "2", "ُ", "ـ"];
const SEPARATORS: &[&str] = &[" ", " ", " ", "، ", "\n", ". "];

fn word() -> impl Strategy<Value = String> {
    (
        0..PREFIXES.len(),
        0..WORDS.len(),
        0..SUFFIXES.len(),
        any::<bool>(),
    )
        .prop_map(|(p, w, s, mark)| {
            let mut word = WORDS[w].to_owned();
            // After the preposition ل the article's alef is not written: ل + القاهرة = للقاهرة.
            if PREFIXES[p].ends_with('ل') && word.starts_with("ال") {
                word.remove(0);
            }
            if mark {
                // A vowel mark after the first letter.
                let first = word.chars().next().unwrap_or('x');
                word = format!("{first}\u{064E}{}", &word[first.len_utf8()..]);
            }
            format!("{}{word}{}", PREFIXES[p], SUFFIXES[s])
        })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), 0..SEPARATORS.len()), 1..24).prop_map(|ws| {
        ws.into_iter()
            .map(|(w, s)| format!("{w}{}", SEPARATORS[s]))
            .collect()
    })
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..WORDS.len()).prop_map(|i| WORDS[i].to_owned()),
        Just("الولايات المتحدة".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn one_entry_finds_what_tag_all_finds(text in text(), q in query(), alef in any::<bool>()) {
        let doc = Document::from_text("a.txt", text);
        let o = SearchOptions { fold_alef: alef, ..SearchOptions::default() };
        let m = Matcher::for_span(&q, "GPE", o).unwrap();
        let mut got: Vec<_> = m.find(&doc).into_iter().map(|s| s.range).collect();
        let mut want: Vec<_> = find_with_clitics(&doc, &q, o).into_iter().map(|m| m.span).collect();
        got.sort_by_key(|r| (r.start, r.end));
        want.sort_by_key(|r| (r.start, r.end));
        want.dedup();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn placing_keeps_the_layer_and_never_overlaps(
        text in text(),
        human in prop::collection::vec((0usize..200, 1usize..12), 0..6),
        cands in prop::collection::vec((0usize..200, 1usize..20, 0u8..3, 0u8..10), 0..30),
    ) {
        let doc = Document::from_text("a.txt", text);
        let schema = Schema::builtin();
        let mut ed = Editor::default();
        for (s, n) in human {
            let r = doc.expand_to_words(s.min(doc.len_chars())..(s + n).min(doc.len_chars()));
            let _ = ed.add_span(&doc, &schema, r, "PER");
        }
        let before = ed.annotations().clone();
        let labels = ["GPE", "LOC", "PER"];
        let candidates: Vec<Suggestion> = cands
            .into_iter()
            .map(|(s, n, l, score)| Suggestion {
                range: s..s + n,
                label: labels[l as usize].to_owned(),
                score: Some(score as f64 / 10.0),
            })
            .collect();
        let mut layer = before.clone();
        let placed = place_suggestions(&mut layer, &doc, candidates);
        for s in before.spans() {
            prop_assert_eq!(layer.span(&s.id), Some(s));
        }
        prop_assert_eq!(layer.spans().len(), before.spans().len() + placed.added.len());
        for (i, a) in placed.added.iter().enumerate() {
            prop_assert_eq!(doc.slice(a.range()), Some(a.text.as_str()));
            for s in before.spans() {
                prop_assert!(a.end <= s.start || s.end <= a.start, "{:?} over {:?}", a, s);
            }
            for b in &placed.added[i + 1..] {
                prop_assert!(a.end <= b.start || b.end <= a.start);
            }
        }
        let again = place_suggestions(&mut layer.clone(), &doc, placed.added.iter().map(|s| Suggestion {
            range: s.range(), label: s.label.clone(), score: s.score,
        }).collect());
        prop_assert!(again.added.is_empty(), "a second run adds nothing");
    }
}
