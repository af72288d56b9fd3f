//! Curation in the real workbench (`--curate --annotators layla,omar --into gold` on the samples):
//! agreed spans merged on first opening, a variant picked with a number key, undo restoring the
//! unit, a label key correcting, `0` rejecting all, the gold sidecar holding every decision with
//! its provenance after reopening — and the annotators' sidecars never touched.

mod common;

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use hashiya::model::curation::UnitKind;
use hashiya::model::{sidecar, ReviewState};
use hashiya::ui::workbench::{CurateOptions, Prefs, Workbench, WorkbenchOptions};

use common::python_range;
use common::workbench::{harness, press, reopen, samples_copy, save, workbench_as};

const ARTICLE: &str = "politics/sahel_summit.txt";

fn curating(corpus: &Path) -> Harness<'static, Workbench> {
    let prefs = Prefs {
        annotator: Some("nour".to_owned()),
        seen_first_run_hint: true,
        ..Prefs::default()
    };
    let options = WorkbenchOptions {
        path: Some(corpus.join(ARTICLE)),
        curate: Some(CurateOptions {
            annotators: vec!["layla".into(), "omar".into()],
            into: "gold".into(),
        }),
        ..WorkbenchOptions::default()
    };
    harness(prefs, options)
}

fn sidecars_of_annotators(article: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["layla", "omar"]
        .iter()
        .map(|a| {
            let p = sidecar::sidecar_path(article, a);
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Open span units (a span decided can open a relation unit: the relations between spans of
/// the gold layer are curated once both ends are there).
fn open_units(h: &Harness<'static, Workbench>) -> usize {
    let c = &h.state().curation.as_ref().unwrap().curation;
    c.units
        .iter()
        .filter(|u| u.open && u.kind == UnitKind::Span)
        .count()
}

/// Walks with `]` until the unit in focus covers `range`.
fn walk_to(h: &mut Harness<'static, Workbench>, range: std::ops::Range<usize>) {
    for _ in 0..60 {
        let state = h.state().curation.as_ref().unwrap();
        if state.unit().and_then(|u| u.range.clone()) == Some(range.clone()) {
            return;
        }
        h.event(egui::Event::Text("]".into()));
        h.run();
    }
    panic!("no unit over {range:?}");
}

fn gold_spans_over(
    h: &Harness<'static, Workbench>,
    range: std::ops::Range<usize>,
) -> Vec<(String, ReviewState, Vec<String>)> {
    let gold = h.state().session.as_ref().unwrap().editor.annotations();
    gold.spans()
        .iter()
        .filter(|s| s.start == range.start && s.end == range.end)
        .map(|s| (s.label.clone(), s.review, s.annotators.clone()))
        .collect()
}

#[test]
fn a_number_key_picks_a_variant_undo_restores_it_and_gold_keeps_the_decision() {
    let s = samples_copy();
    let article = s.corpus.join(ARTICLE);
    let before = sidecars_of_annotators(&article);
    let mut h = curating(&s.corpus);
    let session = h.state().session.as_ref().unwrap();
    assert_eq!(
        session.annotator, "gold",
        "the gold layer is the one edited"
    );
    // What both made was merged on opening, with both as its makers.
    let agreed = gold_spans_over(&h, 4..11);
    assert_eq!(
        agreed,
        [(
            "GPE".to_owned(),
            ReviewState::Accepted,
            vec!["layla".to_owned(), "omar".to_owned()]
        )]
    );
    let progress = h.state().curation.as_ref().unwrap().curation.progress();
    h.get_by_label(&progress);
    let open = open_units(&h);
    assert!(open >= 5, "{progress}");

    // Layla says ORG, Omar PER: the variants are listed in that order; 2 picks Omar's.
    walk_to(&mut h, 1687..1693);
    h.get_by_label("Pick 2");
    press(&mut h, Key::Num2);
    let message = h.state().message.clone();
    assert_eq!(open_units(&h), open - 1, "{message:?}");
    let decided = gold_spans_over(&h, 1687..1693);
    assert!(decided.contains(&(
        "PER".to_owned(),
        ReviewState::Accepted,
        vec!["omar".to_owned()]
    )));
    assert!(decided.contains(&(
        "ORG".to_owned(),
        ReviewState::Rejected,
        vec!["layla".to_owned()]
    )));
    // One undo step brings the unit back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(open_units(&h), open);
    assert!(gold_spans_over(&h, 1687..1693).is_empty());
    // Decided again, and saved.
    walk_to(&mut h, 1687..1693);
    press(&mut h, Key::Num2);
    save(&mut h);
    drop(h);

    let gold = reopen(&article, "gold");
    let per = gold
        .spans()
        .iter()
        .find(|x| x.start == 1687 && x.label == "PER")
        .expect("the pick is in the gold sidecar");
    assert_eq!(per.range(), python_range(&article, &per.text, 1680));
    assert_eq!(
        (per.review, per.annotators.clone()),
        (ReviewState::Accepted, vec!["omar".to_owned()])
    );
    let org = gold
        .spans()
        .iter()
        .find(|x| x.start == 1687 && x.label == "ORG")
        .expect("the rejected variant is kept");
    assert_eq!(org.review, ReviewState::Rejected);
    for (p, bytes) in before {
        assert_eq!(
            std::fs::read(&p).unwrap(),
            bytes,
            "{} untouched",
            p.display()
        );
    }

    // Reopening shows the curation as it was left: nothing merged twice, the same units open.
    let spans_saved = gold.spans().len();
    let h = curating(&s.corpus);
    assert_eq!(open_units(&h), open - 1);
    let session = h.state().session.as_ref().unwrap();
    assert_eq!(session.editor.annotations().spans().len(), spans_saved);
}

#[test]
fn a_label_key_corrects_and_zero_rejects_every_variant() {
    let s = samples_copy();
    let article = s.corpus.join(ARTICLE);
    let before = sidecars_of_annotators(&article);
    let mut h = curating(&s.corpus);
    // وبواشنطن-style: Layla starts at 885, Omar at 884 (one proclitic apart).
    walk_to(&mut h, 884..891);
    let unit = h.state().curation.as_ref().unwrap().unit().unwrap().clone();
    assert_eq!(unit.variants.len(), 2);
    let focus = h.state().curation.as_ref().unwrap().variant;
    // Tab marks the other variant; `l` (LOC) corrects it.
    press(&mut h, Key::Tab);
    let marked = h.state().curation.as_ref().unwrap().variant;
    assert_ne!(marked, focus);
    let hashiya::model::curation::VariantItem::Span(chosen) = &unit.variants[marked].item else {
        panic!("a span unit");
    };
    let chosen = (chosen.start, chosen.end);
    press(&mut h, Key::L);
    let gold = h.state().session.as_ref().unwrap().editor.annotations();
    let loc = gold
        .spans()
        .iter()
        .find(|x| (x.start, x.end) == chosen && x.label == "LOC")
        .expect("the corrected span");
    assert_eq!(loc.review, ReviewState::Accepted);
    assert_eq!(loc.annotators, unit.variants[marked].annotators);

    // Layla's DATE at 133 is hers alone: 0 rejects it, and it stays in gold as rejected.
    walk_to(&mut h, 133..146);
    let open = open_units(&h);
    press(&mut h, Key::Num0);
    assert_eq!(open_units(&h), open - 1);
    assert_eq!(
        gold_spans_over(&h, 133..146),
        [(
            "DATE".to_owned(),
            ReviewState::Rejected,
            vec!["layla".to_owned()]
        )]
    );
    save(&mut h);
    let on_disk = reopen(&article, "gold");
    assert!(on_disk
        .spans()
        .iter()
        .any(|x| x.start == 133 && x.review == ReviewState::Rejected));
    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
    }
}

#[test]
fn document_curate_starts_from_the_menu_and_the_list_shows_progress() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus.join(ARTICLE), "nour");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Document")
        .click();
    h.run();
    h.get_by_label("Curate…").click();
    h.run();
    // Both colleagues are ticked; the gold layer is named gold.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "layla");
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "omar");
    h.get_by_label("Curate").click();
    h.run();
    let state = h.state();
    assert_eq!(state.session.as_ref().unwrap().annotator, "gold");
    let curation = state.curation.as_ref().expect("curating");
    let progress = curation.progress.get(ARTICLE).cloned().unwrap().unwrap();
    assert_eq!(progress.open, curation.curation.open());
    h.get_by_label(&format!("{}/{} open", progress.open, progress.units));
    // Stop curating: back to my own layer.
    h.get_by_label("Stop curating").click();
    h.run();
    assert!(h.state().curation.is_none());
    assert_eq!(h.state().session.as_ref().unwrap().annotator, "nour");
}

#[test]
fn a_stance_toward_a_target_is_curated_like_a_span() {
    let s = samples_copy();
    let article = s.corpus.join(ARTICLE);
    let mut h = curating(&s.corpus);
    let target = "الوجود العسكري الأجنبي في الساحل";
    // Walk to the stance toward that target: layla says neutral, omar against.
    let mut found = false;
    for _ in 0..80 {
        let unit = h.state().curation.as_ref().unwrap().unit().cloned();
        if let Some(u) = unit {
            if let hashiya::model::curation::UnitAnchor::Label {
                name,
                target: Some(hashiya::model::Target::Text(t)),
                ..
            } = &u.anchor
            {
                if name == "stance" && t == target {
                    found = true;
                    break;
                }
            }
        }
        h.event(egui::Event::Text("]".into()));
        h.run();
    }
    assert!(found, "the stance unit is among the open units");
    h.get_by_label("toward");
    let unit = h.state().curation.as_ref().unwrap().unit().unwrap().clone();
    let values: Vec<(&str, Vec<String>)> = unit
        .variants
        .iter()
        .map(|v| (v.item.label(), v.annotators.clone()))
        .collect();
    assert_eq!(
        values,
        [
            ("against", vec!["omar".to_owned()]),
            ("neutral", vec!["layla".to_owned()])
        ]
    );
    press(&mut h, Key::Num2);
    save(&mut h);
    let gold = reopen(&article, "gold");
    let stances: Vec<(&str, ReviewState, Vec<String>)> = gold
        .doc_labels
        .iter()
        .filter(|d| d.target == Some(hashiya::model::Target::Text(target.to_owned())))
        .map(|d| (d.value.as_str(), d.review, d.annotators.clone()))
        .collect();
    assert!(stances.contains(&("neutral", ReviewState::Accepted, vec!["layla".to_owned()])));
    assert!(stances.contains(&("against", ReviewState::Rejected, vec!["omar".to_owned()])));
}
