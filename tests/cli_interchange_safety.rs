//! `hashiya import` and `hashiya export` never lose or clobber work (issue 8): an import leaves a
//! person's sidecar alone unless asked (and then keeps a backup), takes an identical article for
//! itself, renames labels the schema cannot hold instead of aborting, reads only regular files
//! and never writes through a link out of the corpus; an export refuses to write into the corpus
//! or over its files. All through the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hashiya::model::{sidecar, Corpus, Document, Schema};

fn hashiya(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs hashiya, failing the test if it has not finished within `secs` (it would hang on a FIFO).
fn hashiya_within(args: &[&str], secs: u64) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (
                status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("hashiya {args:?} did not finish in {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

const TEXT: &str = "قال عمرو موسى في القاهرة";

/// A corpus where `layla` annotated `a.txt` by hand.
fn corpus_with_human_work(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let article = corpus.join("a.txt");
    std::fs::write(&article, TEXT).unwrap();
    let doc = Document::load(&article, None).unwrap();
    let a = hashiya::model::Annotations::from_parts(
        hashiya::model::DocStatus::InProgress,
        vec![hashiya::model::Span::new("s1", 4..13, "PER", "عمرو موسى")],
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    sidecar::save(&doc, "layla", &a, None).unwrap();
    corpus
}

/// A doccano file with one document named `a.txt` holding `text`.
fn doccano(dir: &Path, text: &str) -> PathBuf {
    let f = dir.join("in.jsonl");
    let line = serde_json::json!({"document": "a.txt", "text": text, "label": [[17, 24, "LOC"]]});
    std::fs::write(&f, format!("{line}\n")).unwrap();
    f
}

#[test]
fn an_import_leaves_a_persons_sidecar_alone_and_says_so_by_file_and_annotator() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_human_work(dir.path());
    let sidecar_path = corpus.join("a.txt.layla.hashiya.json");
    let before = std::fs::read(&sidecar_path).unwrap();
    let src = doccano(dir.path(), TEXT);
    let (code, out, err) = hashiya(&[
        "import",
        "--format",
        "doccano",
        s(&src),
        s(&corpus),
        "--annotator",
        "layla",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    // Without --verbose: the file and the annotator are named.
    assert!(
        err.contains("a.txt") && err.contains("`layla` already has a sidecar"),
        "{err}"
    );
    assert!(out.contains("left as they were"), "{out}");
    assert_eq!(
        std::fs::read(&sidecar_path).unwrap(),
        before,
        "byte for byte"
    );
    // The imported text is the article already there: no `a-2.txt`.
    assert!(!corpus.join("a-2.txt").exists());
}

#[test]
fn replace_keeps_the_old_sidecar_as_a_backup_that_is_not_a_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_human_work(dir.path());
    let sidecar_path = corpus.join("a.txt.layla.hashiya.json");
    let before = std::fs::read(&sidecar_path).unwrap();
    let src = doccano(dir.path(), TEXT);
    let (code, out, err) = hashiya(&[
        "import",
        "--format",
        "doccano",
        s(&src),
        s(&corpus),
        "--annotator",
        "layla",
        "--replace",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let backup = corpus.join("a.txt.layla.hashiya.json.bak");
    assert_eq!(std::fs::read(&backup).unwrap(), before);
    let doc = Document::load(&corpus.join("a.txt"), None).unwrap();
    let now = sidecar::load(&doc, "layla").unwrap().annotations;
    assert_eq!(now.spans().len(), 1);
    assert_eq!(now.spans()[0].label, "LOC");
    // The backup is neither an article nor a sidecar to the corpus.
    let c = Corpus::open(&corpus).unwrap();
    assert_eq!(c.entries.len(), 1);
    assert_eq!(c.annotators(), vec!["layla".to_owned()]);
    // A second replace keeps the first backup too.
    let (code, _, _) = hashiya(&[
        "import",
        "--format",
        "doccano",
        s(&src),
        s(&corpus),
        "--annotator",
        "layla",
        "--replace",
    ]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read(&backup).unwrap(), before);
    assert!(corpus.join("a.txt.layla.hashiya.json.bak-2").is_file());
}

#[test]
fn other_text_at_the_same_path_gets_its_own_article() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_human_work(dir.path());
    let before = snapshot(&corpus);
    let src = doccano(dir.path(), "نص آخر تماما عن القاهرة اليوم");
    let (code, out, err) = hashiya(&[
        "import",
        "--format",
        "doccano",
        s(&src),
        s(&corpus),
        "--annotator",
        "layla",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    for (p, bytes) in &before {
        assert_eq!(
            &std::fs::read(p).unwrap(),
            bytes,
            "{} untouched",
            p.display()
        );
    }
    assert!(corpus.join("a-2.txt").is_file());
    assert!(corpus.join("a-2.txt.layla.hashiya.json").is_file());
}

#[test]
fn export_refuses_the_corpus_its_inside_and_its_files_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_human_work(dir.path());
    std::fs::create_dir(corpus.join("sub")).unwrap();
    let before = snapshot(&corpus);
    let elsewhere = dir.path().join("other");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::copy(corpus.join("a.txt"), elsewhere.join("b.txt")).unwrap();
    std::fs::copy(
        corpus.join("a.txt.layla.hashiya.json"),
        elsewhere.join("b.txt.layla.hashiya.json"),
    )
    .unwrap();
    let cases: Vec<(&str, PathBuf)> = vec![
        ("brat", corpus.clone()),
        ("brat", corpus.join("out")),
        ("brat", corpus.join("sub")),
        ("conll", corpus.join("a.txt")),
        ("conll", corpus.join("a.txt.layla.hashiya.json")),
        ("conll", corpus.join("sub/../x.conll")),
        ("doccano", elsewhere.join("b.txt")),
        ("doccano", elsewhere.join("b.txt.layla.hashiya.json")),
        ("webanno-tsv", elsewhere.clone()),
        ("token-jsonl", corpus.join("t.jsonl")),
    ];
    for (format, out) in cases {
        let (code, stdout, err) = hashiya(&["export", "--format", format, s(&corpus), s(&out)]);
        assert_eq!(code, 1, "{format} {}: {stdout}{err}", out.display());
        assert!(err.contains("nothing written"), "{err}");
        assert_eq!(snapshot(&corpus), before, "{format} into {}", out.display());
    }
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        2,
        "nothing written beside the other corpus either"
    );
    // Outside: written, and again over the last export, with no temporary file left.
    let out = dir.path().join("x.conll");
    for _ in 0..2 {
        let (code, stdout, err) = hashiya(&["export", "--format", "conll", s(&corpus), s(&out)]);
        assert_eq!(code, 0, "{stdout}{err}");
    }
    assert!(std::fs::read_to_string(&out).unwrap().contains("B-PER"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("tmp-hashiya")),
        "{names:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_the_corpus_is_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_human_work(dir.path());
    let before = snapshot(&corpus);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&corpus, &link).unwrap();
    let (code, _, err) = hashiya(&["export", "--format", "brat", s(&corpus), s(&link)]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(snapshot(&corpus), before);
}

#[test]
fn labels_from_other_tools_are_renamed_kept_in_the_schema_and_written_back() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.jsonl");
    std::fs::write(
        &src,
        "{\"text\": \"Amr Moussa, Job Title: minister\", \"label\": [[0, 10, \"Person Name\"], [12, 21, \"Job Title\"]]}\n",
    )
    .unwrap();
    let conll = dir.path().join("in.conll");
    std::fs::write(
        &conll,
        "في\tO\nنيو\tB-New York/City\nيورك\tI-New York/City\n",
    )
    .unwrap();
    let corpus = dir.path().join("corpus");
    let (code, out, err) = hashiya(&["import", "--format", "doccano", s(&src), s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("`Job Title` → `Job_Title`"), "{out}");
    let (code, out, err) = hashiya(&["import", "--format", "conll", s(&conll), s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("`New York/City` → `New_York/City`"), "{out}");
    let schema = Schema::load(&corpus.join("hashiya-schema.json")).unwrap();
    let job = schema.span_label("Job_Title").unwrap();
    assert_eq!(job.original_name, "Job Title");
    assert_eq!(
        schema.span_label("New_York/City").unwrap().original_name,
        "New York/City"
    );
    // Everything was imported.
    let doc = Document::load(&corpus.join("in-000001.txt"), None).unwrap();
    let a = sidecar::load(&doc, "imported").unwrap().annotations;
    let labels: Vec<&str> = a.spans().iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Person_Name", "Job_Title"]);
    // Export: doccano can hold the original names, brat cannot.
    let out = dir.path().join("out.jsonl");
    let (code, _, err) = hashiya(&["export", "--format", "doccano", s(&corpus), s(&out)]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("\"Job Title\"") && text.contains("\"New York/City\""),
        "{text}"
    );
    let brat = dir.path().join("brat");
    let (code, _, err) = hashiya(&["export", "--format", "brat", s(&corpus), s(&brat)]);
    assert_eq!(code, 0, "{err}");
    let conf = std::fs::read_to_string(brat.join("annotation.conf")).unwrap();
    assert!(conf.contains("\nJob_Title\n"), "{conf}");
    // A re-import of the doccano export gives the same names, not new ones.
    let again = dir.path().join("again");
    let (code, out, _) = hashiya(&["import", "--format", "doccano", s(&out), s(&again)]);
    assert_eq!(code, 0);
    assert!(out.contains("`Job Title` → `Job_Title`"), "{out}");
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_looping_links_are_skipped_with_a_note_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("good.jsonl"),
        "{\"text\": \"قال عمرو\", \"label\": [[4, 8, \"PER\"]]}\n",
    )
    .unwrap();
    let fifo = src.join("pipe.jsonl");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    std::os::unix::fs::symlink("/dev/zero", src.join("zero.jsonl")).unwrap();
    std::os::unix::fs::symlink("..", src.join("up")).unwrap();
    std::os::unix::fs::symlink(".", src.join("here")).unwrap();
    let corpus = dir.path().join("corpus");
    let (code, out, err) = hashiya_within(
        &[
            "import",
            "--format",
            "doccano",
            "--verbose",
            s(&src),
            s(&corpus),
        ],
        60,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("documents: 1"), "{out}");
    assert!(err.contains("pipe.jsonl") && err.contains("FIFO"), "{err}");
    assert!(
        err.contains("zero.jsonl") && err.contains("device"),
        "{err}"
    );
    assert!(err.contains("not followed"), "{err}");
    // A FIFO given as the source itself is refused, not opened for reading.
    let (code, _, err) =
        hashiya_within(&["import", "--format", "doccano", s(&fifo), s(&corpus)], 60);
    assert_eq!(code, 1);
    assert!(err.contains("FIFO"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_import_never_writes_through_a_link_out_of_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("news")).unwrap();
    let src = dir.path().join("in.jsonl");
    std::fs::write(
        &src,
        "{\"document\": \"news/a.txt\", \"text\": \"قال عمرو\", \"label\": [[4, 8, \"PER\"]]}\n\
         {\"document\": \"b.txt\", \"text\": \"في القاهرة\", \"label\": [[3, 10, \"LOC\"]]}\n",
    )
    .unwrap();
    let (code, out, err) = hashiya(&["import", "--format", "doccano", s(&src), s(&corpus)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing outside"
    );
    assert!(corpus.join("b.txt").is_file(), "the rest is imported");
}
