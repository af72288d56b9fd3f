//! `hashiya assign` and the progress `hashiya stats` shows against its plan, on a copy of the
//! samples: deterministic and balanced, extended (not reshuffled) when documents are added, never
//! taken for an article or a sidecar, a bad plan file reported and left alone.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::cli::hashiya;
use common::workbench::copy_dir;
use serde_json::Value;

fn samples(dir: &Path, name: &str) -> PathBuf {
    let root = dir.join(name);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &root,
    );
    root
}

fn plan_of(root: &Path) -> Value {
    serde_json::from_slice(&fs::read(root.join("hashiya-assignments.json")).unwrap()).unwrap()
}

const TEAM: &[&str] = &[
    "assign",
    "",
    "--annotators",
    "layla,omar,nour",
    "--per-document",
    "2",
    "--seed",
    "11",
];

fn assign(root: &Path) -> (i32, String, String) {
    let mut args: Vec<&str> = TEAM.to_vec();
    let r = root.to_str().unwrap().to_owned();
    args[1] = &r;
    hashiya(&args)
}

#[test]
fn a_plan_is_deterministic_balanced_and_extended_not_reshuffled() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (samples(dir.path(), "a"), samples(dir.path(), "b"));
    let (code, out, err) = assign(&a);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("6 documents assigned"), "{out}");
    assert_eq!(assign(&b).0, 0);
    let bytes = fs::read(a.join("hashiya-assignments.json")).unwrap();
    assert_eq!(
        bytes,
        fs::read(b.join("hashiya-assignments.json")).unwrap(),
        "same input, same plan"
    );
    let plan = plan_of(&a);
    let docs = plan["documents"].as_object().unwrap();
    assert_eq!(docs.len(), 6);
    let mut load = std::collections::BTreeMap::new();
    for who in docs.values() {
        let who: Vec<&str> = who
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(who.len(), 2);
        assert_ne!(who[0], who[1]);
        for w in who {
            *load.entry(w.to_owned()).or_insert(0) += 1;
        }
    }
    assert_eq!(
        load.values().copied().collect::<Vec<_>>(),
        [4, 4, 4],
        "{load:?}"
    );

    // Again: unchanged, byte for byte.
    let (code, out, _) = assign(&a);
    assert_eq!(code, 0);
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(fs::read(a.join("hashiya-assignments.json")).unwrap(), bytes);

    // A new article: assigned, the others kept.
    fs::write(a.join("politics/new_article.txt"), "خبر جديد عن القاهرة").unwrap();
    let (code, out, _) = assign(&a);
    assert_eq!(code, 0);
    assert!(
        out.contains("1 documents assigned, 6 kept as they were"),
        "{out}"
    );
    let more = plan_of(&a);
    for (d, who) in docs {
        assert_eq!(&more["documents"][d], who);
    }
    assert_eq!(
        more["documents"]["politics/new_article.txt"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Another team is refused unless --replace.
    let r = a.to_str().unwrap();
    let (code, _, err) = hashiya(&["assign", r, "--annotators", "layla,omar"]);
    assert_eq!(code, 2);
    assert!(err.contains("--replace"), "{err}");
    let (code, _, _) = hashiya(&["assign", r, "--annotators", "layla,omar", "--replace"]);
    assert_eq!(code, 0);
    assert_eq!(
        plan_of(&a)["annotators"],
        serde_json::json!(["layla", "omar"])
    );
}

#[test]
fn the_plan_is_no_article_and_stats_show_progress_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = samples(dir.path(), "s");
    let r = root.to_str().unwrap();
    let (_, before, _) = hashiya(&["stats", r, "--json"]);
    assert_eq!(assign(&root).0, 0);
    let (code, _, err) = hashiya(&["validate", r]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("6 article(s)"), "{err}");
    let (code, out, _) = hashiya(&["stats", r, "--json"]);
    assert_eq!(code, 0);
    let stats: Value = serde_json::from_str(&out).unwrap();
    // Backward compatible: every field of before is there with the same value.
    let before: Value = serde_json::from_str(&before).unwrap();
    for (k, v) in before.as_object().unwrap() {
        assert_eq!(&stats[k], v, "{k}");
    }
    assert!(before.get("assignments").is_none());
    let plan = plan_of(&root);
    let a = &stats["assignments"];
    assert_eq!(a["per_document"], 2);
    for name in ["layla", "omar", "nour"] {
        let p = &a["annotators"][name];
        assert_eq!(p["assigned"], 4, "{name}: {a}");
        // Done = the annotator's own sidecar of an assigned document is finished or reviewed.
        let done = plan["documents"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, who)| who.as_array().unwrap().iter().any(|w| w == name))
            .filter(|(d, _)| {
                let sc = root.join(format!("{d}.{name}.hashiya.json"));
                fs::read(&sc).is_ok_and(|b| {
                    let v: Value = serde_json::from_slice(&b).unwrap();
                    v["status"] == "finished" || v["status"] == "reviewed"
                })
            })
            .count();
        assert_eq!(p["done"], done, "{name}");
    }
    let (_, table, _) = hashiya(&["stats", r]);
    assert!(table.contains("assignments (2 per document)"), "{table}");
    let (_, one, _) = hashiya(&["stats", r, "--annotator", "nour", "--json"]);
    let one: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(
        one["assignments"]["annotators"].as_object().unwrap().len(),
        1
    );
}

#[test]
fn a_bad_plan_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = samples(dir.path(), "s");
    let file = root.join("hashiya-assignments.json");
    fs::write(&file, "{ not json").unwrap();
    let r = root.to_str().unwrap();
    let (code, _, err) = assign(&root);
    assert_eq!(code, 2);
    assert!(
        err.contains("hashiya-assignments.json: not valid JSON"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "{ not json");
    let (code, out, err) = hashiya(&["stats", r, "--json"]);
    assert_eq!(code, 0);
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert!(stats["assignments_error"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    let (_, _, err2) = hashiya(&["stats", r]);
    assert!(err2.contains("assignments: "), "{err}{err2}");
}
