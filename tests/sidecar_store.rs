//! Sidecar store: exact round trips, the samples re-encode byte for byte, refusals leave files as
//! they were, a save killed half way leaves the previous sidecar intact, re-anchoring after edits.

use std::fs;
use std::path::{Path, PathBuf};

use hashiya::model::annotation::Target;
use hashiya::model::atomic_write::write_atomically_with;
use hashiya::model::sidecar::{self, sidecar_path, SidecarError};
use hashiya::model::{DocStatus, Document, Editor, ReviewState, Schema, Source};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn sample_sidecars() -> Vec<(PathBuf, String, PathBuf)> {
    let corpus = hashiya::model::Corpus::open(&samples()).unwrap();
    corpus
        .entries
        .iter()
        .flat_map(|e| {
            e.sidecars
                .iter()
                .map(|s| (e.path.clone(), s.annotator.clone(), s.path.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_sample_sidecar_reencodes_to_the_same_bytes() {
    let all = sample_sidecars();
    assert!(all.len() >= 4, "samples have sidecars");
    for (text, annotator, path) in all {
        let doc = Document::load(&text, None).unwrap();
        let loaded = sidecar::load(&doc, &annotator).unwrap();
        assert!(
            loaded.issues.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.issues
        );
        assert!(!loaded.text_changed(&doc));
        let again = sidecar::encode(&doc, &annotator, &loaded.annotations).unwrap();
        assert_eq!(
            again,
            fs::read_to_string(&path).unwrap(),
            "{}",
            path.display()
        );
    }
}

fn article(dir: &Path, text: &str) -> Document {
    let path = dir.join("article.txt");
    fs::write(&path, text).unwrap();
    Document::load(&path, None).unwrap()
}

const TEXT: &str = "قال محمد إن وبواشنطن ترفض 👍🏽 القرار.\r\nوأكد مسؤول في القاهرة أن الاجتماع تأجل.";

fn annotate(doc: &Document) -> Editor {
    let schema = Schema::builtin();
    let mut ed = Editor::default();
    let per = ed.add_span(doc, &schema, 4..8, "PER").unwrap();
    // واشنطن without its clitics و ب
    let gpe = ed.add_span(doc, &schema, 14..20, "GPE").unwrap();
    let claim = ed.add_span(doc, &schema, 12..25, "CLAIM").unwrap();
    ed.set_attribute(&schema, &claim, "check_worthy", Some("yes"))
        .unwrap();
    ed.set_note(&claim, Some("ملاحظة: تحقق".into())).unwrap();
    ed.add_relation(&schema, "attributed_to", &claim, &per)
        .unwrap();
    ed.set_doc_label(
        &schema,
        "stance",
        "against",
        Some(Target::Span(gpe)),
        vec![claim.clone()],
    )
    .unwrap();
    ed.set_doc_label(
        &schema,
        "stance",
        "favor",
        Some(Target::Text("الحكومة".into())),
        vec![],
    )
    .unwrap();
    ed.set_doc_label(&schema, "topic", "politics", None, vec![])
        .unwrap();
    ed.add_span_with(
        doc,
        &schema,
        vec![0..3, 21..25],
        "EVIDENCE",
        Source::Model,
        ReviewState::Suggested,
    )
    .unwrap();
    ed.set_status(DocStatus::InProgress).unwrap();
    ed
}

#[test]
fn save_then_load_gives_back_exactly_the_same_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let ed = annotate(&doc);
    let hash = sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    let loaded = sidecar::load(&doc, "layla").unwrap();
    assert_eq!(&loaded.annotations, ed.annotations());
    assert_eq!(loaded.disk_hash.as_deref(), Some(hash.as_str()));
    let bytes = fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap();
    assert!(bytes.ends_with("}\n"));
    assert!(bytes.contains("\"offset_unit\": \"char\""));
    assert!(
        bytes.contains("\"text\": \"واشنطن\""),
        "non-ASCII written as itself"
    );
    // Saving the same annotations again gives the same bytes.
    sidecar::save(&doc, "layla", &loaded.annotations, Some(&hash)).unwrap();
    assert_eq!(
        fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap(),
        bytes
    );
}

#[test]
fn a_save_killed_half_way_leaves_the_previous_sidecar_intact() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let mut ed = annotate(&doc);
    let hash = sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    let path = sidecar_path(doc.path(), "layla");
    let before = fs::read(&path).unwrap();

    ed.delete_span("s1").unwrap();
    let new_bytes = sidecar::encode(&doc, "layla", ed.annotations()).unwrap();
    // Die after half of the new content reached the temporary file, before the rename.
    let err = write_atomically_with(&path, new_bytes.as_bytes(), |tmp| {
        let half = &new_bytes.as_bytes()[..new_bytes.len() / 2];
        fs::write(tmp, half)?;
        Err(std::io::Error::other("killed"))
    });
    assert!(err.is_err());
    assert_eq!(fs::read(&path).unwrap(), before, "old sidecar intact");
    let loaded = sidecar::load(&doc, "layla").unwrap();
    assert_eq!(loaded.disk_hash.as_deref(), Some(hash.as_str()));
    assert!(loaded.annotations.span("s1").is_some());
}

#[test]
fn refused_sidecars_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let path = sidecar_path(doc.path(), "omar");
    let ed = annotate(&doc);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "corrupt",
            b"{\"format\": \"hashiya-sidecar\", \"version\": 1, \"spans\": [".to_vec(),
        ),
        (
            "foreign",
            br#"{"format": "label-studio", "tasks": []}"#.to_vec(),
        ),
        ("binary", vec![0x89, b'P', b'N', b'G', 0, 0, 1, 2]),
        (
            "newer",
            br#"{"format": "hashiya-sidecar", "version": 99, "whatever": true}"#.to_vec(),
        ),
        (
            "other text",
            sidecar::encode(
                &Document::from_text(dir.path().join("other.txt"), TEXT),
                "omar",
                ed.annotations(),
            )
            .unwrap()
            .into_bytes(),
        ),
    ];
    for (what, bytes) in cases {
        fs::write(&path, &bytes).unwrap();
        let load_err = sidecar::load(&doc, "omar").unwrap_err();
        let msg = load_err.to_string();
        assert!(
            msg.starts_with(&path.display().to_string()),
            "{what}: {msg}"
        );
        match (what, &load_err) {
            ("newer", SidecarError::NewerVersion { found: 99, .. }) => {}
            ("foreign", SidecarError::Foreign { .. }) => {}
            ("other text", SidecarError::OtherText { .. }) => {}
            ("corrupt" | "binary", SidecarError::Corrupt { .. }) => {}
            _ => panic!("{what}: unexpected {load_err:?}"),
        }
        // Neither a save that thinks there was no file, nor one with a made-up hash, writes.
        assert!(
            sidecar::save(&doc, "omar", ed.annotations(), None).is_err(),
            "{what}"
        );
        assert!(
            sidecar::save(&doc, "omar", ed.annotations(), Some("abc")).is_err(),
            "{what}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{what}: byte for byte unchanged"
        );
    }
}

#[test]
fn a_sidecar_changed_on_disk_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let ed = annotate(&doc);
    let hash = sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    // Someone else (a git pull) rewrites it.
    let mut other = annotate(&doc);
    other.set_status(DocStatus::Finished).unwrap();
    let theirs = sidecar::encode(&doc, "layla", other.annotations()).unwrap();
    fs::write(sidecar_path(doc.path(), "layla"), &theirs).unwrap();
    let err = sidecar::save(&doc, "layla", ed.annotations(), Some(&hash)).unwrap_err();
    assert!(matches!(err, SidecarError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap(),
        theirs
    );
}

#[test]
fn spans_are_reanchored_when_the_text_changes_and_the_rest_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let ed = annotate(&doc);
    sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    // An editor adds a headline and deletes the name محمد.
    let edited = format!("عاجل\n{}", TEXT.replace("محمد", "أحمد"));
    let doc2 = article(dir.path(), &edited);
    let loaded = sidecar::load(&doc2, "layla").unwrap();
    assert!(loaded.text_changed(&doc2));
    let a = &loaded.annotations;
    // واشنطن moved by the 5 chars of "عاجل\n".
    let gpe = a.span("s2").unwrap();
    assert_eq!((gpe.start, gpe.end), (19, 25));
    assert_eq!(doc2.slice(19..25), Some("واشنطن"));
    // The discontinuous evidence span moved as a whole.
    let ev = a.span("s4").unwrap();
    assert_eq!(ev.fragments, vec![5..8, 26..30]);
    // محمد is gone: kept as unanchored and reported, not dropped.
    assert_eq!(a.unanchored.len(), 1);
    assert_eq!(a.unanchored[0].span.text, "محمد");
    let lost: Vec<_> = loaded.issues.iter().filter(|i| i.new.is_none()).collect();
    assert_eq!(lost.len(), 1);
    assert!(lost[0].to_string().contains("«محمد»"), "{}", lost[0]);
    // Saved again, the unanchored span is still in the file.
    let hash = loaded.disk_hash.clone();
    sidecar::save(&doc2, "layla", a, hash.as_deref()).unwrap();
    let text = fs::read_to_string(sidecar_path(doc2.path(), "layla")).unwrap();
    assert!(text.contains("\"unanchored\""));
    let again = sidecar::load(&doc2, "layla").unwrap();
    assert_eq!(again.annotations.unanchored.len(), 1);
    // Its old context is kept, so a lone محمد elsewhere would not be taken for it.
    assert!(text.contains("\"prefix\": \"قال \""), "{text}");
    let with_other = format!("{edited}\nزار محمد القاهرة.");
    let doc3 = article(dir.path(), &with_other);
    let third = sidecar::load(&doc3, "layla").unwrap();
    assert_eq!(third.annotations.unanchored.len(), 1, "not guessed");
}

#[test]
fn cutting_the_annotated_line_keeps_every_span() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let ed = annotate(&doc);
    sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    // The first line is cut: everything after moves back, some old ends are past the new end.
    let (_, second) = TEXT.split_once("\r\n").unwrap();
    let doc2 = article(dir.path(), second);
    let loaded = sidecar::load(&doc2, "layla").unwrap();
    assert!(loaded.text_changed(&doc2));
    // Every span was on the first line: all are reported and kept as unplaced, none dropped.
    let before = ed.annotations().spans().len();
    assert!(loaded.annotations.spans().is_empty());
    assert_eq!(loaded.annotations.unanchored.len(), before);
    assert_eq!(loaded.issues.len(), before);
}

#[test]
fn a_span_whose_old_end_is_past_the_new_end_is_re_anchored() {
    let dir = tempfile::tempdir().unwrap();
    let long = "مقدمة طويلة جدا عن الموضوع. زار الوزير القاهرة أمس.";
    let doc = article(dir.path(), long);
    let schema = Schema::builtin();
    let mut ed = Editor::default();
    let city_byte = long.find("القاهرة").unwrap();
    let city = long[..city_byte].chars().count();
    ed.add_span(&doc, &schema, city..city + 7, "GPE").unwrap();
    sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    // The introduction is cut: the article is now shorter than the span's old end.
    let short = "زار الوزير القاهرة أمس.";
    assert!(short.chars().count() < city + 7);
    let doc2 = article(dir.path(), short);
    let loaded = sidecar::load(&doc2, "layla").unwrap();
    let span = &loaded.annotations.spans()[0];
    assert_eq!((span.start, span.end), (11, 18));
    assert_eq!(doc2.slice(11..18), Some("القاهرة"));
}

#[test]
fn version_2_fields_round_trip_and_raise_the_version_only_when_used() {
    use hashiya::model::annotation::{Event, EventArgument, Group, Relation};
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let ed = annotate(&doc);
    sidecar::save(&doc, "layla", ed.annotations(), None).unwrap();
    let v1 = fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap();
    assert!(
        v1.contains("\"version\": 1,"),
        "no new field used: version 1"
    );

    let mut set = ed.annotations().clone();
    let spans = set.spans().to_vec();
    let mut with_score = spans.clone();
    with_score[0].score = Some(0.75);
    with_score[1].annotators = vec!["layla".into(), "omar".into()];
    let mut relations = set.relations.clone();
    relations[0].note = Some("قالها أمس".into());
    relations[0]
        .attributes
        .insert("certainty".into(), "high".into());
    relations.push(Relation {
        review: ReviewState::Rejected,
        annotators: vec!["omar".into()],
        ..Relation::new("r9", "attributed_to", &spans[2].id, &spans[0].id)
    });
    let mut labels = set.doc_labels.clone();
    labels[0].review = ReviewState::Rejected;
    let events = vec![Event {
        id: "e1".into(),
        kind: "Attack".into(),
        trigger: spans[0].id.clone(),
        arguments: vec![EventArgument {
            role: "Place".into(),
            target: spans[1].id.clone(),
        }],
        note: Some("n".into()),
        ..Event::default()
    }];
    let groups = vec![Group {
        id: "g1".into(),
        kind: "Equiv".into(),
        members: vec![spans[0].id.clone(), spans[1].id.clone()],
    }];
    set = hashiya::model::Annotations::from_parts(
        set.status,
        with_score,
        relations,
        labels,
        Vec::new(),
    )
    .with_events(events, groups);
    set.tokens = Some(vec![0..3, 4..8, 9..11]);
    let hash = sidecar::save(
        &doc,
        "layla",
        &set,
        Some(&hashiya::model::document::sha256_hex(v1.as_bytes())),
    )
    .unwrap();
    let v2 = fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap();
    assert!(v2.contains("\"version\": 2,"));
    assert!(v2.contains("\"tokens\": \"0 3;4 8;9 11\""));
    let loaded = sidecar::load(&doc, "layla").unwrap();
    assert_eq!(loaded.annotations, set);
    assert_eq!(loaded.disk_hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        sidecar::encode(&doc, "layla", &loaded.annotations).unwrap(),
        v2,
        "deterministic"
    );
    // A tokenization that does not fit the text is a corrupt file, left alone.
    let bad = v2.replace("0 3;4 8;9 11", "0 3;2 8");
    fs::write(sidecar_path(doc.path(), "layla"), &bad).unwrap();
    let err = sidecar::load(&doc, "layla").unwrap_err();
    assert!(err.to_string().contains("text.tokens"), "{err}");
}

#[test]
fn two_writers_that_read_the_same_version_cannot_both_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path(), TEXT);
    let schema = Schema::builtin();
    for round in 0..30 {
        let base = sidecar::load(&doc, "layla").unwrap();
        let hash = base.disk_hash.clone();
        let handles: Vec<_> = [4..8, 14..20]
            .into_iter()
            .map(|range| {
                let (doc, schema, hash) = (doc.clone(), schema.clone(), hash.clone());
                let mut ed = Editor::new(base.annotations.clone());
                std::thread::spawn(move || {
                    ed.add_span(&doc, &schema, range, "GPE").unwrap();
                    let r = sidecar::save(&doc, "layla", ed.annotations(), hash.as_deref());
                    (r, sidecar::encode(&doc, "layla", ed.annotations()).unwrap())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let won: Vec<_> = results.iter().filter(|(r, _)| r.is_ok()).collect();
        assert_eq!(won.len(), 1, "round {round}: exactly one writer wins");
        assert!(results
            .iter()
            .any(|(r, _)| matches!(r, Err(SidecarError::ChangedOnDisk { .. }))));
        let on_disk = fs::read_to_string(sidecar_path(doc.path(), "layla")).unwrap();
        assert_eq!(on_disk, won[0].1, "the winner's version, whole");
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp-hashiya"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn save_many_writes_each_sidecar_with_the_guarantees_of_save() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<Document> = (0..5)
        .map(|k| {
            let p = dir.path().join(format!("a{k}.txt"));
            fs::write(&p, TEXT).unwrap();
            Document::load(&p, None).unwrap()
        })
        .collect();
    let ed = annotate(&docs[0]);
    // a2's sidecar exists and was not read: it must not be replaced.
    sidecar::save(&docs[2], "layla", ed.annotations(), None).unwrap();
    let before = fs::read(sidecar_path(docs[2].path(), "layla")).unwrap();
    let requests: Vec<sidecar::SaveRequest> = docs
        .iter()
        .map(|d| sidecar::SaveRequest {
            doc: d,
            annotator: "layla",
            annotations: ed.annotations(),
            expected_disk_hash: None,
        })
        .collect();
    let results = sidecar::save_many(&requests);
    for (k, r) in results.iter().enumerate() {
        if k == 2 {
            assert!(
                matches!(r, Err(SidecarError::ChangedOnDisk { .. })),
                "{r:?}"
            );
        } else {
            let loaded = sidecar::load(&docs[k], "layla").unwrap();
            assert_eq!(&loaded.annotations, ed.annotations());
            assert_eq!(loaded.disk_hash.as_deref(), r.as_deref().ok());
        }
    }
    assert_eq!(
        fs::read(sidecar_path(docs[2].path(), "layla")).unwrap(),
        before
    );
}
