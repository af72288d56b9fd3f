//! The document list's "assigned to me" filter, driven through the real workbench: shown only
//! when the corpus has a team plan, and it keeps exactly the plan's documents of the annotator.

mod common;

use std::path::Path;

use common::workbench::{samples_copy, workbench_as};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use hashiya::model::assign::{make_plan, Plan, PlanRequest};
use hashiya::model::Corpus;
use hashiya::ui::workbench::Workbench;

fn visible(h: &Harness<'static, Workbench>) -> Vec<String> {
    let wb = h.state();
    let corpus = wb.corpus.as_ref().unwrap();
    wb.visible_documents()
        .into_iter()
        .map(|i| corpus.entries[i].relative.clone())
        .collect()
}

#[test]
fn assigned_to_me_shows_my_documents_of_the_plan() {
    let setup = samples_copy();
    let root = setup.corpus.clone();
    let corpus = Corpus::open(&root).unwrap();
    let docs: Vec<String> = corpus.entries.iter().map(|e| e.relative.clone()).collect();
    let req = PlanRequest {
        annotators: vec!["layla".into(), "omar".into(), "nour".into()],
        per_document: 1,
        seed: 5,
        replace: false,
    };
    let (plan, _) = make_plan(&docs, &req, None, Path::new("plan")).unwrap();
    plan.save(&root).unwrap();
    let mine: Vec<String> = plan.documents_of("nour").map(str::to_owned).collect();
    assert_eq!(mine.len(), 2, "6 documents, 3 annotators, 1 each");

    let mut h = workbench_as(&root, "nour");
    assert_eq!(visible(&h).len(), 6);
    h.get_by_label("assigned to me (2)").click();
    h.run();
    assert_eq!(visible(&h), mine);
    for d in &mine {
        assert!(h.query_by_label(d).is_some(), "{d} is listed");
    }
    let others: Vec<&String> = docs.iter().filter(|d| !mine.contains(d)).collect();
    for d in others {
        assert!(h.query_by_label(d).is_none(), "{d} is not listed");
    }
    h.get_by_label("assigned to me (2)").click();
    h.run();
    assert_eq!(visible(&h).len(), 6);
}

#[test]
fn without_a_plan_there_is_no_such_filter() {
    let setup = samples_copy();
    let root = setup.corpus.clone();
    assert!(Plan::load(&root).unwrap().is_none());
    let h = workbench_as(&root, "layla");
    assert!(h.query_by_label_contains("assigned to me").is_none());
    assert_eq!(visible(&h).len(), 6);
}
