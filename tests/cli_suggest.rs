//! `hashiya suggest` as a user runs it: learned suggestions with proclitics (offsets counted by
//! Python from marked text), the layer's own decisions kept, gazetteers, and external model
//! commands that answer well, badly, crash or hang.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::cli::{hashiya, marked_spans};
use hashiya::model::{sidecar, Document, Editor, ReviewState, Schema, Source};
use serde_json::Value;

/// Writes `annotator`'s sidecar of `article` with spans (range, label, review, source).
fn tag(article: &Path, annotator: &str, spans: &[(usize, usize, &str, ReviewState, Source)]) {
    let doc = Document::load(article, None).unwrap();
    let schema = Schema::builtin();
    let mut ed = Editor::default();
    for (s, e, label, review, source) in spans {
        let piece = *s..*e;
        ed.add_span_with(&doc, &schema, vec![piece], label, *source, *review)
            .unwrap();
    }
    sidecar::save(&doc, annotator, ed.annotations(), None).unwrap();
}

/// The spans of a sidecar file as written: (start, end, label, text, review, source, score).
type WrittenSpan = (usize, usize, String, String, String, String, Option<f64>);

fn written(article: &Path, annotator: &str) -> Vec<WrittenSpan> {
    let path = sidecar::sidecar_path(article, annotator);
    let v: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
                s["label"].as_str().unwrap().to_owned(),
                s["text"].as_str().unwrap().to_owned(),
                s["review"].as_str().unwrap().to_owned(),
                s["source"].as_str().unwrap().to_owned(),
                s["score"].as_f64(),
            )
        })
        .collect()
}

fn suggested(spans: &[WrittenSpan]) -> Vec<(usize, usize, String)> {
    spans
        .iter()
        .filter(|s| s.4 == "suggested")
        .map(|s| (s.0, s.1, s.3.clone()))
        .collect()
}

fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

#[test]
fn learned_suggestions_leave_proclitics_out_and_keep_the_annotators_decisions() {
    if !common::require::python3() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (seen, seen_spans) =
        marked_spans("زار الرئيس [موسكو] أمس، ثم سافر إلى [الولايات المتحدة] للقاء نظيره.");
    let a = dir.path().join("a.txt");
    fs::write(&a, &seen).unwrap();
    tag(
        &a,
        "layla",
        &seen_spans
            .iter()
            .map(|(s, e, _)| (*s, *e, "GPE", ReviewState::Accepted, Source::Human))
            .collect::<Vec<_>>(),
    );
    // The first seven bracketed pieces are the suggestions expected; the last two are layla's
    // own: a span she labelled LOC, and a suggestion she rejected.
    let (text, spans) = marked_spans(
        "وصل الوفد وب[موسكو] صباحا وغادر ل[موسكو] مساء، وقال الموسكوفي إن موسكوفيا اسم قديم. \
         ثم ب[مـوسكو] و[مُوسْكُو] والتقى ممثلين ب[الولايات المتحدة] فب[الولايات  المتحدة] \
         ول[لولايات المتحدة]. وفي [موسكو] أيضا، وفي [موسكو] كذلك. موسكو2 لا.",
    );
    let b = dir.path().join("b.txt");
    fs::write(&b, &text).unwrap();
    let (expected, own) = spans.split_at(7);
    tag(
        &b,
        "layla",
        &[
            (
                own[0].0,
                own[0].1,
                "LOC",
                ReviewState::Accepted,
                Source::Human,
            ),
            (
                own[1].0,
                own[1].1,
                "GPE",
                ReviewState::Rejected,
                Source::Model,
            ),
        ],
    );
    let before = written(&b, "layla");
    let (code, out, err) = hashiya(&["suggest", dir.path().to_str().unwrap(), "--into", "layla"]);
    assert_eq!(code, 0, "{out}{err}");
    let after = written(&b, "layla");
    let got = suggested(&after);
    let want: Vec<(usize, usize, String)> = expected.to_vec();
    assert_eq!(got, want, "{out}");
    // موسكو was counted once as GPE (a.txt) and once as LOC (layla's span in b.txt): the tie goes
    // to GPE, with half the counts. الولايات المتحدة: GPE only.
    let labels: Vec<(&str, &str, Option<f64>)> = after
        .iter()
        .filter(|s| s.4 == "suggested")
        .map(|s| (s.2.as_str(), s.5.as_str(), s.6))
        .collect();
    let half = ("GPE", "model", Some(0.5));
    let whole = ("GPE", "model", Some(1.0));
    assert_eq!(labels, [half, half, half, half, whole, whole, whole]);
    for s in &before {
        assert!(after.contains(s), "layla's own span {s:?} is untouched");
    }
    assert_eq!(after.len(), before.len() + expected.len());
    assert!(out.contains("1 × rejected before by layla"), "{out}");
    assert!(
        out.contains("1 × overlaps a span of layla's layer"),
        "{out}"
    );
    assert!(
        out.contains("2 × already in layla's layer"),
        "a.txt's own spans: {out}"
    );

    // Running again adds nothing and changes no byte.
    let bytes = fs::read(sidecar::sidecar_path(&b, "layla")).unwrap();
    let (code, out, err) = hashiya(&["suggest", dir.path().to_str().unwrap(), "--into", "layla"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("suggested 0 spans in 0 of 2 documents"),
        "{out}"
    );
    assert_eq!(fs::read(sidecar::sidecar_path(&b, "layla")).unwrap(), bytes);
}

#[test]
fn suggestions_into_another_layer_with_labels_and_min_count() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "القاهرة والقاهرة وعمرو").unwrap();
    // "القاهرة" twice as GPE, "عمرو" once as PER.
    tag(
        &a,
        "omar",
        &[
            (0, 7, "GPE", ReviewState::Accepted, Source::Human),
            (9, 16, "GPE", ReviewState::Accepted, Source::Human),
            (18, 22, "PER", ReviewState::Accepted, Source::Human),
        ],
    );
    let b = dir.path().join("b.txt");
    fs::write(&b, "من القاهرة إلى عمرو").unwrap();
    let root = dir.path().to_str().unwrap();
    let omar = fs::read(sidecar::sidecar_path(&a, "omar")).unwrap();
    let (code, out, err) = hashiya(&[
        "suggest",
        root,
        "--into",
        "model",
        "--learn-from",
        "omar",
        "--min-count",
        "2",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let got = suggested(&written(&b, "model"));
    assert_eq!(
        got,
        [(3, 10, "القاهرة".to_owned())],
        "عمرو was seen once only"
    );
    assert_eq!(fs::read(sidecar::sidecar_path(&a, "omar")).unwrap(), omar);
    let (code, out, _) = hashiya(&[
        "suggest",
        root,
        "--into",
        "model2",
        "--learn-from",
        "omar",
        "--labels",
        "PER",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        suggested(&written(&b, "model2")),
        [(15, 19, "عمرو".to_owned())]
    );
    // a.txt: omar's layer is not model2's, so a.txt gets its own suggestions too.
    assert_eq!(suggested(&written(&a, "model2")).len(), 1);
    let (code, _, err) = hashiya(&["suggest", root, "--into", "model", "--labels", "NOPE"]);
    assert_eq!(code, 2);
    assert!(err.contains("NOPE"), "{err}");
}

#[test]
fn a_gazetteer_suggests_its_entries_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "قالت الأمم المتحدة إن موسكو وبالأمم المتحدة").unwrap();
    let gaz = dir.path().join("places.tsv");
    fs::write(
        &gaz,
        "# text\tlabel\nموسكو\tGPE\nموسكو\tLOC\nموسكو\tGPE\nالأمم المتحدة\tORG\nبلا تبويب\nفضاء\tSPACESHIP\n",
    )
    .unwrap();
    let (code, out, err) = hashiya(&[
        "suggest",
        dir.path().to_str().unwrap(),
        "--into",
        "model",
        "--gazetteer",
        gaz.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "bad lines are problems: {out}{err}");
    assert!(err.contains("places.tsv:6: no tab"), "{err}");
    assert!(
        err.contains("places.tsv:7: ") && err.contains("SPACESHIP"),
        "{err}"
    );
    let spans = written(&a, "model");
    let got: Vec<(usize, usize, &str, Option<f64>)> = spans
        .iter()
        .map(|s| (s.0, s.1, s.2.as_str(), s.6))
        .collect();
    // موسكو: listed twice as GPE and once as LOC, so GPE with 2/3.
    assert_eq!(
        got,
        [
            (5, 18, "ORG", Some(1.0)),
            (22, 27, "GPE", Some(2.0 / 3.0)),
            (30, 43, "ORG", Some(1.0))
        ]
    );
}

/// A corpus of three articles, each mentioning موسكو once (the second also with an emoji).
fn three_articles() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "زار الوفد موسكو أمس.",
        "👍🏽 ثم بموسكو مرة أخرى.",
        "وفي موسكو انتهت الزيارة.",
    ];
    let paths = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .zip(texts)
        .map(|(name, t)| {
            let p = dir.path().join(name);
            fs::write(&p, t).unwrap();
            p
        })
        .collect();
    (dir, paths)
}

fn run_model(dir: &Path, mode: &str, extra: &[&str]) -> (i32, String, String, Duration) {
    let script = python_dir().join("test_model.py");
    let pid = dir.join(format!("{mode}.pid"));
    let command = format!("python3 {} {mode} {}", script.display(), pid.display());
    let mut args = vec![
        "suggest",
        dir.to_str().unwrap(),
        "--into",
        "model",
        "--command",
        &command,
    ];
    args.extend_from_slice(extra);
    let t = Instant::now();
    let (code, out, err) = hashiya(&args);
    (code, out, err, t.elapsed())
}

/// Python's offsets of موسكو in a file (str.index).
fn moscow(file: &Path) -> (usize, usize) {
    let r = common::python_range(file, "موسكو", 0);
    (r.start, r.end)
}

#[test]
fn an_external_model_is_checked_span_by_span() {
    if !common::require::python3() {
        return;
    }
    let (dir, paths) = three_articles();
    let (code, out, err, _) = run_model(dir.path(), "bad", &[]);
    assert_eq!(code, 1, "bad spans are problems: {out}{err}");
    for p in &paths {
        let (s, e) = moscow(p);
        let spans = written(p, "model");
        assert_eq!(
            spans
                .iter()
                .map(|x| (x.0, x.1, x.2.as_str(), x.6))
                .collect::<Vec<_>>(),
            [(s, e, "GPE", Some(0.9))],
            "only the good span of {} is written",
            p.display()
        );
    }
    // Each bad span is reported on its own line, naming the document.
    let b_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("b.txt: ")).collect();
    for needle in [
        "span 2: ",
        "outside the text",
        "span 3: 0..3 `SPACESHIP`: label not in the schema",
        "cuts a character cluster",
        "`start` is `-1`, not a whole number",
        "`start` is `1.5`, not a whole number",
        "5..2 `GPE`: empty or reversed",
        "score `7` is not a number from 0 to 1",
        "`label` is `[\"GPE\"]`, not a string",
        "span 10: not an object",
        "`end` is `1e+30`, not a whole number",
        "ignored a line: not JSON",
        "ignored a line: an answer for `someone-else.txt`",
    ] {
        assert!(
            b_lines.iter().any(|l| l.contains(needle)),
            "`{needle}` in:\n{err}"
        );
    }
    assert_eq!(
        b_lines.iter().filter(|l| l.contains("not written")).count(),
        10,
        "{err}"
    );
    // Again: the good spans are there, nothing new.
    let (_, out, _, _) = run_model(dir.path(), "good", &[]);
    assert!(out.contains("suggested 0 spans"), "{out}");
    assert!(out.contains("3 × already in model's layer"), "{out}");
}

#[test]
fn a_crashing_model_is_reported_and_what_it_answered_is_kept() {
    if !common::require::python3() {
        return;
    }
    let (dir, paths) = three_articles();
    let (code, out, err, _) = run_model(dir.path(), "crash", &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(written(&paths[0], "model").len(), 1, "a.txt was answered");
    assert!(!sidecar::sidecar_path(&paths[1], "model").exists());
    assert!(!sidecar::sidecar_path(&paths[2], "model").exists());
    assert!(
        err.contains("b.txt: command: the model command ended before answering `b.txt`"),
        "{err}"
    );
    assert!(err.contains("exit status: 3"), "{err}");
    assert!(
        err.contains("model: out of memory on b.txt"),
        "stderr shown: {err}"
    );
    assert!(
        out.contains("1 × not sent: the model command had stopped"),
        "{out}"
    );
}

#[test]
fn a_hanging_model_times_out_and_is_stopped() {
    if !common::require::python3() {
        return;
    }
    let (dir, paths) = three_articles();
    let (code, out, err, took) = run_model(dir.path(), "hang", &["--timeout", "1"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(
        err.contains("gave no answer for `b.txt` within 1 s (timeout)"),
        "{err}"
    );
    assert_eq!(written(&paths[0], "model").len(), 1);
    assert!(!sidecar::sidecar_path(&paths[2], "model").exists());
    // The model process itself was stopped, not only the shell that started it.
    let pid = fs::read_to_string(dir.path().join("hang.pid")).unwrap();
    let proc = Path::new("/proc").join(pid.trim());
    let until = Instant::now() + Duration::from_secs(5);
    while proc.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!proc.exists(), "model process {pid} still running");
}

#[test]
fn a_model_that_exits_or_cannot_start_is_reported() {
    if !common::require::python3() {
        return;
    }
    let (dir, paths) = three_articles();
    let (code, _, err, _) = run_model(dir.path(), "silent-exit", &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("the model command ended before answering `a.txt`"),
        "{err}"
    );
    let (code, _, err) = hashiya(&[
        "suggest",
        dir.path().to_str().unwrap(),
        "--into",
        "model",
        "--command",
        "no-such-model-command-here",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("exit status: 127"), "{err}");
    assert!(paths
        .iter()
        .all(|p| !sidecar::sidecar_path(p, "model").exists()));
}

/// The Python model of docs/suggestions.md, as written there.
fn documented_model() -> String {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/suggestions.md"))
        .unwrap();
    let from = doc
        .find("<!-- the block below is run by tests/cli_suggest.rs -->")
        .expect("the marked example");
    let rest = &doc[from..];
    let start = rest.find("```python\n").unwrap() + "```python\n".len();
    let len = rest[start..].find("```").unwrap();
    rest[start..start + len].to_owned()
}

#[test]
fn the_documented_python_model_works_as_documented() {
    if !common::require::python3() {
        return;
    }
    let code = documented_model();
    assert!(code.lines().count() <= 16, "a short example: {code}");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("my_model.py");
    fs::write(&model, code).unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("politics")).unwrap();
    let (text, spans) =
        marked_spans("زار الوفد وب[موسكو] ثم ل[القاهرة]، لا الموسكوفي.\r\n[موسكو] 👍🏽");
    let article = corpus.join("politics/a.txt");
    fs::write(&article, &text).unwrap();
    let command = format!("python3 {}", model.display());
    let (code, out, err) = hashiya(&[
        "suggest",
        corpus.to_str().unwrap(),
        "--into",
        "model",
        "--command",
        &command,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(suggested(&written(&article, "model")), spans);
}

#[test]
fn suggest_eval_counts_exact_matches_per_label() {
    let dir = tempfile::tempdir().unwrap();
    // Documents 0 and 2 are learned from, 1 and 3 suggested on (every other, in path order).
    let docs = [
        ("0.txt", "زار موسكو.", vec![(4, 9, "GPE")]),
        (
            "1.txt",
            "وبموسكو والقاهرة.",
            vec![(2, 7, "GPE"), (9, 16, "GPE")],
        ),
        ("2.txt", "في القاهرة؟ لا.", vec![(3, 10, "LOC")]),
        ("3.txt", "قال القاهرة.", vec![(4, 11, "GPE")]),
    ];
    for (name, text, spans) in &docs {
        let p = dir.path().join(name);
        fs::write(&p, text).unwrap();
        tag(
            &p,
            "gold",
            &spans
                .iter()
                .map(|(s, e, l)| (*s, *e, *l, ReviewState::Accepted, Source::Human))
                .collect::<Vec<_>>(),
        );
    }
    let (code, out, err) = hashiya(&[
        "suggest-eval",
        dir.path().to_str().unwrap(),
        "--gold",
        "gold",
        "--split",
        "documents",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    // Test half: موسكو (found, GPE: right), القاهرة ×2 (suggested LOC: wrong twice).
    assert_eq!(v["labels"]["GPE"]["gold"], 3);
    assert_eq!(v["labels"]["GPE"]["correct"], 1);
    assert_eq!(v["labels"]["GPE"]["suggested"], 1);
    assert_eq!(v["labels"]["LOC"]["suggested"], 2);
    assert_eq!(v["labels"]["LOC"]["correct"], 0);
    assert_eq!(v["all"]["precision"], 1.0 / 3.0);
    assert_eq!(v["all"]["recall"], 1.0 / 3.0);
    assert_eq!(
        (v["learn_units"].as_u64(), v["test_units"].as_u64()),
        (Some(2), Some(2))
    );
    for (name, _, _) in &docs {
        assert!(!sidecar::sidecar_path(&dir.path().join(name), "model").exists());
    }
}

#[test]
fn learning_can_be_limited_to_finished_documents() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "زار موسكو.").unwrap();
    tag(
        &a,
        "omar",
        &[(4, 9, "GPE", ReviewState::Accepted, Source::Human)],
    );
    let b = dir.path().join("b.txt");
    fs::write(&b, "في موسكو").unwrap();
    let root = dir.path().to_str().unwrap();
    let args = [
        "suggest",
        root,
        "--into",
        "model",
        "--learn-from",
        "omar",
        "--learn-status",
        "finished,reviewed",
    ];
    let (code, out, _) = hashiya(&args);
    assert_eq!(code, 0);
    assert!(
        out.contains("0 spans in 0 documents"),
        "omar's a.txt is new: {out}"
    );
    assert!(!sidecar::sidecar_path(&b, "model").exists());
    let doc = Document::load(&a, None).unwrap();
    let loaded = sidecar::load(&doc, "omar").unwrap();
    let mut ed = Editor::new(loaded.annotations);
    ed.set_status(hashiya::model::DocStatus::Finished).unwrap();
    sidecar::save(&doc, "omar", ed.annotations(), loaded.disk_hash.as_deref()).unwrap();
    let (code, out, _) = hashiya(&args);
    assert_eq!(code, 0);
    assert_eq!(
        suggested(&written(&b, "model")),
        [(3, 8, "موسكو".to_owned())],
        "{out}"
    );
    let (code, _, err) = hashiya(&["suggest", root, "--into", "model", "--learn-status", "done"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown status `done`"), "{err}");
}

/// The figures of docs/suggestions.md: Wojood (test and val) and ANERcorp imported from the shared
/// corpora, learned from every other sentence. Exact counts, so that the docs stay true.
#[test]
fn suggest_eval_on_wojood_and_anercorp_gives_the_documented_figures() {
    let Some(shared) = common::require::shared_corpora() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let import = |source: &Path, corpus: &Path| {
        let (code, out, err) = hashiya(&[
            "import",
            "--format",
            "conll",
            source.to_str().unwrap(),
            corpus.to_str().unwrap(),
            "--annotator",
            "gold",
        ]);
        assert_eq!(code, 0, "{out}{err}");
    };
    let wojood = dir.path().join("wojood");
    import(&shared.join("wojood_sample/test.txt"), &wojood);
    import(&shared.join("wojood_sample/val.txt"), &wojood);
    let aner = dir.path().join("aner");
    import(
        &shared.join("anercorp_camellab/ANERCorp_CamelLab_test.txt"),
        &aner,
    );
    for (corpus, all) in [(&wojood, (686, 303, 181)), (&aner, (1133, 799, 541))] {
        let (code, out, err) = hashiya(&[
            "suggest-eval",
            corpus.to_str().unwrap(),
            "--gold",
            "gold",
            "--json",
        ]);
        assert_eq!(code, 0, "{out}{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["split"], "paragraphs");
        let got = (
            v["all"]["gold"].as_u64().unwrap(),
            v["all"]["suggested"].as_u64().unwrap(),
            v["all"]["correct"].as_u64().unwrap(),
        );
        assert_eq!(got, all, "{}: {out}", corpus.display());
    }
}
