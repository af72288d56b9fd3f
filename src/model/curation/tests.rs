use proptest::prelude::*;

use super::*;
use crate::model::annotation::{DocStatus, ReviewState};
use crate::model::merge::{merge_edit, merge_into};
use crate::model::Editor;

fn span(id: &str, start: usize, end: usize, label: &str) -> Span {
    Span {
        id: id.to_owned(),
        start,
        end,
        label: label.to_owned(),
        ..Span::default()
    }
}

fn set(spans: Vec<Span>, relations: Vec<Relation>, labels: Vec<DocLabel>) -> Annotations {
    Annotations::from_parts(DocStatus::New, spans, relations, labels, Vec::new())
}

fn layers<'a>(named: &'a [(&'a str, Annotations)]) -> Vec<Layer<'a>> {
    named
        .iter()
        .map(|(a, ann)| Layer {
            annotator: a,
            annotations: ann,
        })
        .collect()
}

fn three() -> Vec<(&'static str, Annotations)> {
    vec![
        (
            "layla",
            set(
                vec![span("s1", 0, 5, "PER"), span("s2", 10, 18, "GPE")],
                vec![],
                vec![],
            ),
        ),
        (
            "nour",
            set(
                vec![span("s1", 0, 5, "ORG"), span("s2", 10, 18, "GPE")],
                vec![],
                vec![],
            ),
        ),
        (
            "omar",
            set(
                vec![span("s1", 0, 5, "PER"), span("s2", 11, 18, "GPE")],
                vec![],
                vec![],
            ),
        ),
    ]
}

/// The gold layer as the workbench builds it on first opening: the agreed units merged.
fn first_opening(named: &[(&str, Annotations)], schema: &Schema) -> Editor {
    let mut editor = Editor::new(Annotations::default());
    let (edit, _) = merge_edit(
        editor.annotations(),
        &layers(named),
        &MergeRule::default(),
        schema,
    );
    if let Some(edit) = edit {
        editor.apply(edit).unwrap();
    }
    editor
}

#[test]
fn a_unit_lists_every_variant_with_its_makers() {
    let schema = Schema::builtin();
    let named = three();
    let gold = Annotations::default();
    let c = units(&gold, &layers(&named), &MergeRule::default(), &schema);
    assert_eq!(c.units.len(), 2);
    assert_eq!(c.progress(), "2 of 2 open");
    let first = &c.units[0];
    assert_eq!(first.kind, UnitKind::Span);
    let shown: Vec<(&str, Vec<String>)> = first
        .variants
        .iter()
        .map(|v| (v.item.label(), v.annotators.clone()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("ORG", vec!["nour".to_owned()]),
            ("PER", vec!["layla".to_owned(), "omar".to_owned()])
        ]
    );
    assert!(first.silent.is_empty());
    // The boundary difference: layla and nour against omar.
    assert_eq!(c.units[1].range, Some(10..18));
    assert_eq!(c.units[1].variants.len(), 2);
}

#[test]
fn picking_a_variant_records_the_whole_decision_with_provenance() {
    let schema = Schema::builtin();
    let named = three();
    let mut editor = first_opening(&named, &schema);
    let l = layers(&named);
    let c = units(editor.annotations(), &l, &MergeRule::default(), &schema);
    let edit = decide(
        editor.annotations(),
        &c.units[0],
        &Decision::Pick(1),
        &schema,
    )
    .unwrap()
    .unwrap();
    editor.apply(edit).unwrap();
    let gold = editor.annotations();
    let per = gold.spans().iter().find(|s| s.label == "PER").unwrap();
    assert_eq!(per.review, ReviewState::Accepted);
    assert_eq!(per.annotators, ["layla", "omar"]);
    let org = gold.spans().iter().find(|s| s.label == "ORG").unwrap();
    assert_eq!(org.review, ReviewState::Rejected);
    assert_eq!(org.annotators, ["nour"]);
    let after = units(gold, &l, &MergeRule::default(), &schema);
    assert_eq!(after.progress(), "1 of 2 open");
    // One undo step restores the unit.
    assert!(editor.undo());
    assert!(editor.annotations().spans().is_empty());
}

#[test]
fn deciding_again_changes_the_reviews_instead_of_adding_copies() {
    let schema = Schema::builtin();
    let named = three();
    let mut editor = first_opening(&named, &schema);
    let l = layers(&named);
    let unit = units(editor.annotations(), &l, &MergeRule::default(), &schema).units[0].clone();
    for d in [
        Decision::Pick(1),
        Decision::Pick(0),
        Decision::Correct {
            variant: 1,
            label: "GPE".into(),
        },
        Decision::RejectAll,
    ] {
        if let Some(e) = decide(editor.annotations(), &unit, &d, &schema).unwrap() {
            editor.apply(e).unwrap();
        }
    }
    let gold = editor.annotations();
    let over: Vec<(&str, ReviewState)> = gold
        .spans_overlapping(0..5)
        .map(|s| (s.label.as_str(), s.review))
        .collect();
    assert_eq!(over.len(), 3, "{over:?}");
    assert!(over.iter().all(|(_, r)| *r == ReviewState::Rejected));
    // Picking the correction again brings it back rather than adding a fourth span.
    let d = Decision::Correct {
        variant: 1,
        label: "GPE".into(),
    };
    let e = decide(gold, &unit, &d, &schema).unwrap().unwrap();
    editor.apply(e).unwrap();
    let gpe = editor
        .annotations()
        .spans_overlapping(0..5)
        .find(|s| s.label == "GPE")
        .unwrap();
    assert_eq!(gpe.review, ReviewState::Accepted);
    assert_eq!(gpe.annotators, ["layla", "omar"]);
    assert_eq!(editor.annotations().spans_overlapping(0..5).count(), 3);
    // The same decision twice is nothing new.
    assert_eq!(decide(editor.annotations(), &unit, &d, &schema), Ok(None));
}

#[test]
fn a_label_the_schema_lacks_is_refused() {
    let schema = Schema::builtin();
    let named = three();
    let gold = Annotations::default();
    let c = units(&gold, &layers(&named), &MergeRule::default(), &schema);
    let d = Decision::Correct {
        variant: 0,
        label: "NOPE".into(),
    };
    assert!(matches!(
        decide(&gold, &c.units[0], &d, &schema),
        Err(CurationError::Schema(_))
    ));
    assert_eq!(
        decide(&gold, &c.units[0], &Decision::Pick(7), &schema),
        Err(CurationError::NoVariant(8))
    );
}

#[test]
fn merge_keeps_every_curation_decision() {
    let schema = Schema::builtin();
    let named = three();
    let mut editor = first_opening(&named, &schema);
    let l = layers(&named);
    for unit in units(editor.annotations(), &l, &MergeRule::default(), &schema).units {
        let e = decide(editor.annotations(), &unit, &Decision::RejectAll, &schema).unwrap();
        editor.apply(e.unwrap()).unwrap();
    }
    let mut gold = editor.annotations().clone();
    let before = gold.clone();
    let out = merge_into(&mut gold, &l, &MergeRule::default(), &schema);
    assert_eq!(gold, before);
    assert_eq!(out.open(), 0);
}

#[test]
fn relations_and_document_labels_are_units_too() {
    let schema = Schema::builtin();
    let claim = |who: &str| Span {
        attributes: Default::default(),
        ..span(&format!("{who}c"), 20, 30, "CLAIM")
    };
    let layla = set(
        vec![span("s1", 0, 5, "PER"), claim("l")],
        vec![Relation::new("r1", "attributed_to", "lc", "s1")],
        vec![DocLabel {
            id: "d1".into(),
            name: "topic".into(),
            value: "politics".into(),
            ..DocLabel::default()
        }],
    );
    let omar = set(
        vec![span("s1", 0, 5, "PER"), claim("o")],
        vec![],
        vec![DocLabel {
            id: "d1".into(),
            name: "topic".into(),
            value: "economy".into(),
            ..DocLabel::default()
        }],
    );
    let named = vec![("layla", layla), ("omar", omar)];
    let l = layers(&named);
    let mut editor = first_opening(&named, &schema);
    let c = units(editor.annotations(), &l, &MergeRule::default(), &schema);
    let kinds: Vec<UnitKind> = c.units.iter().map(|u| u.kind).collect();
    assert!(kinds.contains(&UnitKind::Relation), "{kinds:?}");
    let rel = c
        .units
        .iter()
        .find(|u| u.kind == UnitKind::Relation)
        .unwrap();
    assert_eq!(rel.silent, ["omar"]);
    let e = decide(editor.annotations(), rel, &Decision::Pick(0), &schema).unwrap();
    editor.apply(e.unwrap()).unwrap();
    let r = &editor.annotations().relations[0];
    assert_eq!(
        (r.kind.as_str(), r.review),
        ("attributed_to", ReviewState::Accepted)
    );
    assert_eq!(r.annotators, ["layla"]);

    if let Some(topic) = c.units.iter().find(|u| u.kind == UnitKind::DocLabel) {
        assert_eq!(topic.variants.len(), 2);
        let e = decide(editor.annotations(), topic, &Decision::Pick(0), &schema).unwrap();
        editor.apply(e.unwrap()).unwrap();
        let values: Vec<(&str, ReviewState)> = editor
            .annotations()
            .doc_labels
            .iter()
            .map(|d| (d.value.as_str(), d.review))
            .collect();
        assert_eq!(
            values,
            [
                ("economy", ReviewState::Accepted),
                ("politics", ReviewState::Rejected)
            ]
        );
    } else {
        panic!("no topic unit in {kinds:?}");
    }
    let after = units(editor.annotations(), &l, &MergeRule::default(), &schema);
    assert_eq!(after.open(), 0, "{after:?}");
}

fn arb_layer() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0usize..30, 1usize..6, 0usize..2), 0..6)
}

proptest! {
    /// The open units are the open disagreements `hashiya merge` counts, before and after
    /// every decision.
    #[test]
    fn open_units_are_merges_open_disagreements(
        raw in prop::collection::vec(arb_layer(), 1..4),
        picks in prop::collection::vec(0usize..4, 0..6),
    ) {
        let schema = Schema::builtin();
        let labels = ["PER", "LOC"];
        let named: Vec<(&str, Annotations)> = raw
            .iter()
            .zip(["a", "b", "c"])
            .map(|(spans, who)| {
                let spans = spans
                    .iter()
                    .enumerate()
                    .map(|(i, &(s, len, l))| span(&format!("s{i}"), s, s + len, labels[l]))
                    .collect();
                (who, set(spans, vec![], vec![]))
            })
            .collect();
        let l = layers(&named);
        let mut editor = first_opening(&named, &schema);
        for p in picks {
            let mut probe = editor.annotations().clone();
            let merged = merge_into(&mut probe, &l, &MergeRule::default(), &schema);
            let c = units(editor.annotations(), &l, &MergeRule::default(), &schema);
            prop_assert_eq!(c.open(), merged.open_spans);
            let Some(unit) = c.units.iter().find(|u| u.open) else { break };
            let d = if p >= unit.variants.len() { Decision::RejectAll } else { Decision::Pick(p) };
            let e = decide(editor.annotations(), unit, &d, &schema).unwrap();
            prop_assert!(e.is_some());
            editor.apply(e.unwrap()).unwrap();
            let again = units(editor.annotations(), &l, &MergeRule::default(), &schema);
            prop_assert_eq!(again.open() + 1, c.open());
        }
    }
}
