//! Corpus ▸ Overview in the real workbench: the charts' figures are `hashiya stats`'s, the
//! article lengths arrive from their thread, and the counts follow a save.

mod common;

use egui::Key;
use egui_kittest::kittest::Queryable;
use hashiya::model::stats::corpus_stats;
use hashiya::model::Corpus;

use common::workbench::{drag_words, open_doc, press, samples_copy, save, workbench_as};

#[test]
fn the_overview_shows_the_corpus_figures_and_follows_a_save() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "nour");
    open_doc(&mut h, "politics/sahel_summit.txt");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Corpus")
        .click();
    h.run();
    h.get_by_label("Overview…").click();
    h.run();
    let expected = corpus_stats(&Corpus::open(&s.corpus).unwrap(), None);
    let d = h.state().dashboard.as_ref().expect("the overview is open");
    assert_eq!(
        d.stats.documents_by_annotator,
        expected.documents_by_annotator
    );
    assert_eq!(d.stats.spans_by_label, expected.spans_by_label);
    assert_eq!(d.stats.span_lengths, expected.span_lengths);
    let lengths = d
        .stats
        .document_lengths
        .as_ref()
        .expect("article lengths read");
    assert_eq!(lengths.values, 6);
    h.get_by_label("Documents by status, per annotator");
    h.get_by_label(&format!(
        "Span lengths (chars): median {}, max {}",
        expected.span_lengths.median, expected.span_lengths.max
    ));
    // nour tags a span and saves: the overview counts it.
    press(&mut h, Key::Escape);
    drag_words(&mut h, 4..11);
    press(&mut h, Key::G);
    save(&mut h);
    let d = h.state().dashboard.as_ref().unwrap();
    assert!(d.stats.documents_by_annotator.contains_key("nour"));
    assert!(d.stats.spans > expected.spans);
    assert_eq!(
        d.stats.spans_by_label["GPE"],
        expected.spans_by_label["GPE"] + d.stats.spans - expected.spans
    );
}
