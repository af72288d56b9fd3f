//! `hashiya merge` on a copy of the samples, checked against what tests/python/merge_expect.py
//! computes independently from the sidecars (rules: docs/team.md): the first merge, a re-run after
//! a curator's rejections, corrections, deletions and additions, and three annotators with
//! `--min-agree 2`. The annotators' sidecars never change.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli::hashiya;
use common::workbench::copy_dir;
use hashiya::model::{sidecar, DocStatus, Document, Editor, ReviewState, Schema};
use serde_json::{json, Value};

fn samples_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("samples");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &root,
    );
    (dir, root)
}

/// Every sidecar's bytes, by path.
fn sidecar_bytes(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".hashiya.json") {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn python_expectations(root: &Path, into: &str, min_agree: &str, annotators: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/merge_expect.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(root)
        .arg(into)
        .arg(min_agree)
        .args(annotators)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|_| b"{}".to_vec())).unwrap()
}

fn items<'a>(v: &'a Value, field: &str) -> Vec<&'a Value> {
    v[field]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// A span of a sidecar as merge_expect.py refers to it: [start, end, fragments, label].
fn span_ref(sc: &Value, id: &str) -> Value {
    let s = items(sc, "spans")
        .into_iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no span {id}"));
    json!([
        s["start"],
        s["end"],
        s.get("fragments").cloned().unwrap_or(json!([])),
        s["label"]
    ])
}

fn or_empty(v: Option<&Value>, empty: Value) -> Value {
    v.cloned().unwrap_or(empty)
}

/// What the merge added to a target sidecar (items whose id was not there before), in the shape
/// merge_expect.py prints.
fn additions(before: &Value, after: &Value) -> Value {
    let had = |field: &str, id: &Value| items(before, field).iter().any(|x| &x["id"] == id);
    let spans: Vec<Value> = items(after, "spans")
        .into_iter()
        .filter(|s| !had("spans", &s["id"]))
        .map(|s| {
            json!([
                s["start"],
                s["end"],
                or_empty(s.get("fragments"), json!([])),
                s["label"],
                s["text"],
                or_empty(s.get("attributes"), json!({})),
                or_empty(s.get("annotators"), json!([])),
                s["source"]
            ])
        })
        .collect();
    let relations: Vec<Value> = items(after, "relations")
        .into_iter()
        .filter(|r| !had("relations", &r["id"]))
        .map(|r| {
            json!([
                r["type"],
                span_ref(after, r["from"].as_str().unwrap()),
                span_ref(after, r["to"].as_str().unwrap()),
                or_empty(r.get("attributes"), json!({})),
                or_empty(r.get("annotators"), json!([]))
            ])
        })
        .collect();
    let labels: Vec<Value> = items(after, "document_labels")
        .into_iter()
        .filter(|d| !had("document_labels", &d["id"]))
        .map(|d| {
            let target = match d.get("target") {
                None => Value::Null,
                Some(t) if t.get("text").is_some() => json!(["text", t["text"]]),
                Some(t) => json!(["span", span_ref(after, t["span"].as_str().unwrap())]),
            };
            let mut evidence: Vec<Value> = items(d, "evidence")
                .into_iter()
                .map(|e| span_ref(after, e.as_str().unwrap()))
                .collect();
            evidence.sort_by_key(|e| (e[0].as_u64(), e[1].as_u64()));
            json!([d["name"], target, d["value"], evidence, d["annotators"]])
        })
        .collect();
    json!({"spans": spans, "relations": relations, "doc_labels": labels})
}

/// Two lists hold the same items (in any order).
fn same_items(got: &Value, want: &Value, what: &str) {
    let (g, w) = (got.as_array().unwrap(), want.as_array().unwrap());
    let mut left: Vec<&Value> = g.iter().collect();
    for x in w {
        let at = left.iter().position(|y| *y == x);
        assert!(at.is_some(), "{what}: expected {x} is missing; got {got:#}");
        left.remove(at.unwrap());
    }
    assert!(left.is_empty(), "{what}: unexpected {left:?}");
}

/// Runs merge and checks it against Python: additions per document, open disagreements, every
/// earlier item of the target unchanged, the annotators' sidecars byte for byte.
fn merge_and_check(root: &Path, annotators: &[&str], into: &str, min_agree: Option<&str>) -> Value {
    let expected = python_expectations(root, into, min_agree.unwrap_or("all"), annotators);
    let before_all = sidecar_bytes(root);
    let docs = expected["documents"].as_object().unwrap();
    let before: BTreeMap<String, Value> = docs
        .keys()
        .map(|rel| (rel.clone(), read_json(&target_path(root, rel, into))))
        .collect();
    let list = annotators.join(",");
    let mut args = vec![
        "merge",
        root.to_str().unwrap(),
        "--annotators",
        &list,
        "--into",
        into,
        "--json",
    ];
    if let Some(n) = min_agree {
        args.extend(["--min-agree", n]);
    }
    let (code, out, err) = hashiya(&args);
    assert_eq!(code, 0, "{out}{err}");
    let summary: Value = serde_json::from_str(&out).unwrap();
    let reported = summary["documents"].as_array().unwrap();
    assert_eq!(reported.len(), docs.len(), "{out}");
    for (rel, want) in docs {
        let after = read_json(&target_path(root, rel, into));
        let got = additions(&before[rel], &after);
        for field in ["spans", "relations", "doc_labels"] {
            same_items(&got[field], &want[field], &format!("{rel} {field}"));
        }
        // Nothing that was there changed.
        for field in ["spans", "relations", "document_labels"] {
            for x in items(&before[rel], field) {
                assert!(
                    items(&after, field).contains(&x),
                    "{rel}: {field} item {x} changed or went"
                );
            }
        }
        let doc = reported.iter().find(|d| d["document"] == *rel).unwrap();
        assert_eq!(doc["layers"], want["layers"], "{rel}");
        assert_eq!(
            doc["open"],
            json!({
                "spans": want["open"]["spans"],
                "relations": want["open"]["relations"],
                "document_labels": want["open"]["doc_labels"],
            }),
            "{rel}: open disagreements"
        );
    }
    for (path, bytes) in &before_all {
        if !path
            .to_string_lossy()
            .ends_with(&format!(".{into}.hashiya.json"))
        {
            assert_eq!(
                &fs::read(path).unwrap(),
                bytes,
                "{} changed",
                path.display()
            );
        }
    }
    summary
}

fn target_path(root: &Path, rel: &str, into: &str) -> PathBuf {
    sidecar::sidecar_path(&root.join(rel), into)
}

/// Edits `annotator`'s sidecar of `article` through the model, as the workbench would.
fn edit(article: &Path, annotator: &str, f: impl FnOnce(&Document, &Schema, &mut Editor)) {
    let doc = Document::load(article, None).unwrap();
    let loaded = sidecar::load(&doc, annotator).unwrap();
    let mut ed = Editor::new(loaded.annotations);
    f(&doc, &Schema::builtin(), &mut ed);
    sidecar::save(
        &doc,
        annotator,
        ed.annotations(),
        loaded.disk_hash.as_deref(),
    )
    .unwrap();
}

fn span_id(article: &Path, annotator: &str, text: &str, label: &str) -> String {
    let doc = Document::load(article, None).unwrap();
    let a = sidecar::load(&doc, annotator).unwrap().annotations;
    a.spans()
        .iter()
        .find(|s| s.text == text && s.label == label)
        .unwrap_or_else(|| panic!("no {label} `{text}` in {annotator}'s layer"))
        .id
        .clone()
}

#[test]
fn merge_agrees_with_python_and_keeps_a_curators_work_on_re_runs() {
    if !common::require::python3() {
        return;
    }
    let (_dir, root) = samples_copy();
    let first = merge_and_check(&root, &["layla", "omar"], "gold", None);
    assert!(
        first["total"]["merged"]["spans"].as_u64().unwrap() > 40,
        "{first}"
    );

    // A curator works on gold: rejects, relabels, resizes and deletes merged spans, adds spans
    // and a document label; omar adds a span only layla had.
    let sahel = root.join("politics/sahel_summit.txt");
    let gold = sidecar::load(&Document::load(&sahel, None).unwrap(), "gold")
        .unwrap()
        .annotations;
    let merged: Vec<_> = gold
        .spans()
        .iter()
        .filter(|s| s.end - s.start >= 3 && s.fragments.is_empty())
        .cloned()
        .collect();
    assert!(merged.len() >= 4);
    let gold_before = gold.spans().len();
    edit(&sahel, "gold", |doc, schema, ed| {
        ed.set_review(&merged[0].id, ReviewState::Rejected).unwrap();
        let other = if merged[1].label == "ORG" {
            "PER"
        } else {
            "ORG"
        };
        ed.relabel_span(schema, &merged[1].id, other).unwrap();
        let r = merged[2].start..merged[2].end - 1;
        ed.resize_span(doc, schema, &merged[2].id, r).unwrap();
        ed.delete_span(&merged[3].id).unwrap();
        ed.set_status(DocStatus::InProgress).unwrap();
    });
    let layla_only = span_id(&sahel, "layla", "واشنطن", "GPE");
    let doc = Document::load(&sahel, None).unwrap();
    let layla = sidecar::load(&doc, "layla").unwrap().annotations;
    let w = layla.span(&layla_only).unwrap().clone();
    edit(&sahel, "gold", |doc, schema, ed| {
        ed.add_span(doc, schema, w.start..w.end, "GPE").unwrap();
        ed.set_doc_label(schema, "topic", "politics", None, vec![])
            .unwrap();
    });
    // A span of layla's that omar did not make, now made by omar too.
    let omar = sidecar::load(&doc, "omar").unwrap().annotations;
    let only_layla = layla
        .counted_spans()
        .find(|s| {
            s.fragments.is_empty()
                && !omar
                    .spans()
                    .iter()
                    .any(|o| o.start < s.end && s.start < o.end)
        })
        .cloned()
        .expect("a span only layla made");
    edit(&sahel, "omar", |doc, schema, ed| {
        ed.add_span(doc, schema, only_layla.range(), &only_layla.label)
            .unwrap();
    });
    let second = merge_and_check(&root, &["layla", "omar"], "gold", None);
    let sahel_doc = second["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == "politics/sahel_summit.txt")
        .unwrap();
    // The deleted span comes back (a deletion is not a decision: reject it instead) and omar's
    // new agreement is merged; the rejected, relabelled and resized ones are not made again.
    assert_eq!(sahel_doc["merged"]["spans"], 2, "{sahel_doc}");
    let gold_after = sidecar::load(&Document::load(&sahel, None).unwrap(), "gold")
        .unwrap()
        .annotations;
    assert_eq!(gold_after.spans().len(), gold_before - 1 + 1 + 2);
    assert_eq!(
        gold_after.span(&merged[0].id).unwrap().review,
        ReviewState::Rejected
    );
    assert_eq!(gold_after.status, DocStatus::InProgress);

    // A third run adds nothing.
    let third = merge_and_check(&root, &["layla", "omar"], "gold", None);
    assert_eq!(third["written"], 0, "{third}");
}

#[test]
fn three_annotators_with_min_agree_two() {
    if !common::require::python3() {
        return;
    }
    let (_dir, root) = samples_copy();
    // nour: layla's work on the Sahel article, with some spans left out and some relabelled, and
    // one of omar's spans layla did not make.
    let sahel = root.join("politics/sahel_summit.txt");
    let doc = Document::load(&sahel, None).unwrap();
    let layla = sidecar::load(&doc, "layla").unwrap().annotations;
    let omar = sidecar::load(&doc, "omar").unwrap().annotations;
    let mut nour = Editor::new(layla.clone());
    let schema = Schema::builtin();
    let ids: Vec<String> = layla.spans().iter().map(|s| s.id.clone()).collect();
    for id in ids.iter().step_by(5) {
        nour.delete_span(id).unwrap();
    }
    for id in ids.iter().skip(2).step_by(7) {
        if nour.annotations().span(id).is_some() {
            nour.relabel_span(&schema, id, "MISC").unwrap();
        }
    }
    let omars = omar
        .counted_spans()
        .find(|o| {
            !layla
                .spans()
                .iter()
                .any(|s| s.range() == o.range() && s.label == o.label)
        })
        .unwrap()
        .clone();
    let _ = nour.add_span(&doc, &schema, omars.range(), &omars.label);
    sidecar::save(&doc, "nour", nour.annotations(), None).unwrap();
    let two = merge_and_check(&root, &["layla", "omar", "nour"], "gold", Some("2"));
    // With everyone required, fewer spans of the Sahel article; but the articles only one of
    // them annotated are merged whole (1 of 1), where two of three found nothing to agree on.
    let all = merge_and_check(&root, &["layla", "omar", "nour"], "strict", None);
    let merged = |s: &Value, rel: &str| {
        s["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["document"] == rel)
            .map(|d| d["merged"]["spans"].as_u64().unwrap())
            .unwrap()
    };
    let sahel = "politics/sahel_summit.txt";
    assert!(merged(&all, sahel) < merged(&two, sahel));
    assert_eq!(merged(&two, "politics/imf_loan_talks.txt"), 0);
    assert!(merged(&all, "politics/imf_loan_talks.txt") > 0);
}

#[test]
fn merge_refuses_to_write_an_annotators_layer() {
    let (_dir, root) = samples_copy();
    let r = root.to_str().unwrap();
    let (code, _, err) = hashiya(&["merge", r, "--annotators", "layla,omar", "--into", "omar"]);
    assert_eq!(code, 2);
    assert!(err.contains("theirs is never written"), "{err}");
    let (code, _, err) = hashiya(&[
        "merge",
        r,
        "--annotators",
        "layla,omar",
        "--into",
        "gold",
        "--min-agree",
        "3",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("more than the 2 annotators"), "{err}");
    let (code, _, err) = hashiya(&["merge", r, "--annotators", "la yla", "--into", "gold"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid annotator name"), "{err}");
    let (code, out, _) = hashiya(&["merge", r, "--annotators", "layla,omar", "--into", "gold"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("politics/sahel_summit.txt (layla, omar): merged "),
        "{out}"
    );
}
