//! Reviewing other people's work in the real workbench: the layers of a document shown and
//! toggled, a colleague's span taken into my layer (its offsets checked by Python), a rejection that
//! persists, `--review` walking the other layers — and the colleagues' sidecars never touched.

mod common;

use egui::Key;
use egui_kittest::kittest::Queryable;
use hashiya::model::{sidecar, ReviewState, Source};
use hashiya::ui::workbench::{Prefs, SpanRef, WorkbenchOptions};

use common::python_range;
use common::workbench::{harness, press, reopen, samples_copy, save};

fn reviewing(
    corpus: &std::path::Path,
    annotator: &str,
) -> egui_kittest::Harness<'static, hashiya::ui::workbench::Workbench> {
    let prefs = Prefs {
        annotator: Some(annotator.to_owned()),
        seen_first_run_hint: true,
        ..Prefs::default()
    };
    let options = WorkbenchOptions {
        path: Some(corpus.join("politics/sahel_summit.txt")),
        review: true,
        ..WorkbenchOptions::default()
    };
    harness(prefs, options)
}

#[test]
fn a_colleagues_span_is_taken_into_my_layer_and_theirs_stay_untouched() {
    let s = samples_copy();
    let article = s.corpus.join("politics/sahel_summit.txt");
    let theirs: Vec<Vec<u8>> = ["layla", "omar"]
        .iter()
        .map(|a| std::fs::read(sidecar::sidecar_path(&article, a)).unwrap())
        .collect();
    let mut h = reviewing(&s.corpus, "nour");
    // Both colleagues' layers are listed, with their colours.
    h.get_by_label("layla");
    h.get_by_label("omar");
    let session = h.state().session.as_ref().unwrap();
    assert_eq!(session.layers.len(), 2);
    // --review selected the first span of another layer to decide about.
    let (layer, id) = h
        .state()
        .selected_other
        .clone()
        .expect("a colleague's span to review");
    let span = session
        .layer(&layer)
        .unwrap()
        .annotations
        .as_ref()
        .unwrap()
        .span(&id)
        .unwrap()
        .clone();
    press(&mut h, Key::Enter);
    save(&mut h);
    let mine = reopen(&article, "nour");
    let taken = mine
        .spans()
        .iter()
        .find(|x| x.label == span.label && x.text == span.text)
        .expect("taken");
    assert_eq!(
        taken.range(),
        python_range(&article, &span.text, span.start)
    );
    assert_eq!(
        (taken.source, taken.review),
        (Source::Human, ReviewState::Accepted)
    );
    assert_eq!(taken.annotators, std::slice::from_ref(&layer));
    // The review moved on to the next undecided span.
    assert!(h.state().selected_other.is_some());
    for (a, before) in ["layla", "omar"].iter().zip(theirs) {
        assert_eq!(
            std::fs::read(sidecar::sidecar_path(&article, a)).unwrap(),
            before,
            "{a}'s sidecar"
        );
    }
}

#[test]
fn a_rejection_is_kept_in_my_sidecar_and_not_offered_again() {
    let s = samples_copy();
    let article = s.corpus.join("politics/sahel_summit.txt");
    let mut h = reviewing(&s.corpus, "nour");
    let first = h
        .state()
        .selected_other
        .clone()
        .expect("something to review");
    press(&mut h, Key::Minus);
    save(&mut h);
    let mine = reopen(&article, "nour");
    assert_eq!(mine.spans().len(), 1);
    assert_eq!(mine.spans()[0].review, ReviewState::Rejected);
    drop(h);
    // Opened again: the rejected span is not the first to review any more.
    let h = reviewing(&s.corpus, "nour");
    assert_ne!(h.state().selected_other.as_ref(), Some(&first));
}

#[test]
fn layers_are_drawn_beside_mine_and_can_be_hidden() {
    let s = samples_copy();
    let mut h = reviewing(&s.corpus, "layla");
    let others = |h: &egui_kittest::Harness<'static, hashiya::ui::workbench::Workbench>| {
        h.state()
            .highlight_refs()
            .iter()
            .filter(|r| matches!(r, SpanRef::Other(a, _) if a == "omar"))
            .count()
    };
    let omar = h
        .state()
        .session
        .as_ref()
        .unwrap()
        .layer("omar")
        .unwrap()
        .spans()
        .len();
    assert!(omar > 0);
    assert_eq!(others(&h), omar, "omar's spans are on the canvas");
    h.state_mut().hidden_layers.insert("omar".into());
    h.run();
    assert_eq!(others(&h), 0, "hidden");
    // A label key on a colleague's span takes it corrected.
    h.state_mut().hidden_layers.clear();
    h.run();
    h.state_mut().select_next_unreviewed();
    h.run();
    assert!(
        h.state().selected_other.is_some(),
        "omar has spans layla lacks"
    );
    press(&mut h, Key::P);
    let session = h.state().session.as_ref().unwrap();
    assert!(session.is_dirty());
    let last = session
        .editor
        .annotations()
        .spans()
        .iter()
        .find(|s| s.annotators == ["omar"])
        .expect("taken from omar");
    assert_eq!(last.label, "PER");
}

#[test]
fn compare_marks_a_clitic_only_difference_and_walks_the_differences() {
    use hashiya::model::agreement::compare::Kind;
    use hashiya::ui::canvas::DifferenceKind;
    let s = samples_copy();
    let mut h = reviewing(&s.corpus, "layla");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Document")
        .click();
    h.run();
    h.get_by_label("Compare layers…").click();
    h.run();
    let state = h.state().compare.clone().expect("the Compare view is open");
    assert_eq!((state.a.as_str(), state.b.as_str()), ("layla", "omar"));
    // The counts the agreement command gives for this pair on this document.
    assert_eq!(state.summary.clitic_only, 2);
    assert_eq!(state.summary.only_a, 16);
    h.get_by_label("2 only a proclitic differs");
    // Walk with ] until a clitic-only difference is in focus: it is marked as one.
    let mut seen = Vec::new();
    for _ in 0..state.differences().len() {
        let c = h.state().compare.as_ref().unwrap();
        let item = c.items[c.current.expect("a difference in focus")].clone();
        seen.push(item.kind);
        if item.kind == Kind::CliticOnly {
            let marked = h
                .state()
                .highlights()
                .items()
                .iter()
                .any(|x| x.selected && x.difference == Some(DifferenceKind::CliticBoundary));
            assert!(marked, "the clitic-only pair is marked as such");
            let article = s.corpus.join("politics/sahel_summit.txt");
            let text = std::fs::read_to_string(&article).unwrap();
            let covered: String = text
                .chars()
                .skip(item.range.start)
                .take(item.range.len())
                .collect();
            assert!(
                ["و", "ف", "ب", "ل", "ك", "ال"]
                    .iter()
                    .any(|p| covered.starts_with(p)),
                "{covered}"
            );
            break;
        }
        h.event(egui::Event::Text("]".into()));
        h.run();
    }
    assert!(seen.contains(&Kind::CliticOnly), "{seen:?}");
}
