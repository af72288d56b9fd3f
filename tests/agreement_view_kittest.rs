//! Corpus ▸ Agreement in the real workbench: computed on a thread, the pair matrix and the
//! documents of lowest agreement shown with the figures `hashiya agreement` gives, and a click on
//! a document opening its Compare view (or its curation).

mod common;

use egui_kittest::kittest::Queryable;
use hashiya::model::agreement::{corpus_agreement, AgreementOptions};

use common::workbench::{samples_copy, workbench_as};

fn open_view(h: &mut egui_kittest::Harness<'static, hashiya::ui::workbench::Workbench>) {
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Corpus")
        .click();
    h.run();
    h.get_by_label("Agreement…").click();
    h.run();
}

#[test]
fn the_agreement_view_shows_the_figures_and_opens_a_compare_view() {
    let s = samples_copy();
    let expected = corpus_agreement(&s.corpus, &AgreementOptions::default(), &mut |_, _| {})
        .expect("the samples' agreement");
    let mut h = workbench_as(&s.corpus, "nour");
    open_view(&mut h);
    let view = h.state().agreement.as_ref().expect("the window is open");
    assert!(!view.is_computing());
    let report = view.report.as_ref().expect("computed");
    assert_eq!(report, &expected);
    // The pair matrix: one button per pair, showing its exact F1.
    let pair = expected
        .spans
        .pairs
        .iter()
        .find(|p| p.a == "layla" && p.b == "omar")
        .expect("layla and omar annotated the same article");
    // Picked at first (it shares the most documents); a click on its cell picks it too.
    let f1 = format!("{:.3}", pair.counts.exact_f1.value.unwrap());
    assert!(
        h.query_all_by_label(&f1).count() >= 2,
        "{f1} in both halves of the matrix"
    );
    h.get_all_by_label(&f1).next().unwrap().click();
    h.run();
    let picked = h.state().agreement.as_ref().unwrap().pair;
    assert_eq!(&expected.spans.pairs[picked], pair);
    // The documents, lowest first; the sample both layla and omar annotated is among them.
    let lowest = expected.lowest_documents();
    assert!(lowest.iter().any(|d| d.path == "politics/sahel_summit.txt"));
    let row = lowest
        .iter()
        .position(|d| d.path == "politics/sahel_summit.txt")
        .unwrap();
    h.get_all_by_label("Compare").nth(row).unwrap().click();
    h.run();
    let state = h.state();
    let compare = state.compare.as_ref().expect("the Compare view is open");
    assert_eq!(
        (compare.a.as_str(), compare.b.as_str()),
        (pair.a.as_str(), pair.b.as_str())
    );
    let session = state.session.as_ref().unwrap();
    assert!(session.doc.path().ends_with("politics/sahel_summit.txt"));
    assert_eq!(compare.summary.clitic_only, 2);
}

#[test]
fn a_document_of_the_view_can_be_curated() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "nour");
    open_view(&mut h);
    let lowest = h
        .state()
        .agreement
        .as_ref()
        .unwrap()
        .report
        .as_ref()
        .unwrap()
        .lowest_documents()
        .iter()
        .map(|d| d.path.clone())
        .collect::<Vec<_>>();
    let row = lowest
        .iter()
        .position(|p| p == "politics/sahel_summit.txt")
        .unwrap();
    h.get_all_by_label("Curate").nth(row).unwrap().click();
    h.run();
    let state = h.state();
    assert_eq!(state.session.as_ref().unwrap().annotator, "gold");
    assert!(state.curation.as_ref().unwrap().curation.open() > 0);
}
