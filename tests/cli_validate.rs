//! `hashiya validate` and `hashiya stats` as a user runs them, on a copy of the samples.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

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

#[test]
fn the_samples_validate_cleanly() {
    let (code, out, err) = hashiya(&["validate", samples().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("0 problem(s)"), "{err}");
}

#[test]
fn python_agrees_with_every_offset_in_the_samples() {
    if !common::require::python3() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_sidecars.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(samples())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" 0 problems"), "{text}");
}

#[test]
fn validate_reports_edited_text_unknown_labels_and_corrupt_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&samples(), &corpus);

    // 1. An editor rewrites a sentence of an annotated article.
    let article = corpus.join("society/flood_relief_campaign.txt");
    let text = fs::read_to_string(&article).unwrap();
    let edited = format!("تحديث: {}", text.replacen("تحيا مصر", "تحيا البلاد", 1));
    fs::write(&article, edited).unwrap();

    // 2. A sidecar uses a label the schema does not know.
    let omar = corpus.join("politics/imf_loan_talks.txt.omar.hashiya.json");
    let s = fs::read_to_string(&omar).unwrap();
    let first_label = s.find("\"label\": \"").unwrap();
    let end = s[first_label + 10..].find('"').unwrap() + first_label + 10;
    let old_label = s[first_label + 10..end].to_owned();
    fs::write(
        &omar,
        format!("{}\"label\": \"PERSON{}", &s[..first_label], &s[end..]),
    )
    .unwrap();

    // 3. A sidecar is cut half way (a crashed editor of another program).
    let layla = corpus.join("politics/sahel_summit.txt.layla.hashiya.json");
    let whole = fs::read(&layla).unwrap();
    let corrupt = whole[..whole.len() / 2].to_vec();
    fs::write(&layla, &corrupt).unwrap();

    let (code, out, _) = hashiya(&["validate", corpus.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let flood = corpus.join("society/flood_relief_campaign.txt.layla.hashiya.json");
    let flood = flood.display().to_string();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&flood) && l.contains("article changed")),
        "{out}"
    );
    // Every span after the insertion moved and is reported one by one; مصر of "تحيا مصر" is gone.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&flood) && l.contains("re-anchored to")),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&flood)
            && l.contains("(GPE «مصر»)")
            && l.contains("could not re-anchor")),
        "{out}"
    );
    let omar_s = omar.display().to_string();
    assert!(
        lines.iter().any(|l| l.starts_with(&omar_s)
            && l.contains("unknown span label `PERSON`")
            && l.contains("PER, ORG, LOC")),
        "{out}"
    );
    assert!(old_label.len() > 1);
    let layla_s = layla.display().to_string();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&layla_s) && l.contains("corrupt sidecar")),
        "{out}"
    );
    assert_eq!(
        fs::read(&layla).unwrap(),
        corrupt,
        "the corrupt file is left byte for byte"
    );
}

#[test]
fn stats_counts_documents_and_spans() {
    let (code, out, err) = hashiya(&["stats", "--json", samples().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 6);
    assert_eq!(v["sidecars"], 5);
    let total: u64 = v["spans_by_label"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(v["spans"].as_u64().unwrap(), total);
    let (code, out, _) = hashiya(&["stats", samples().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("documents: 6"), "{out}");
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn hostile_files_in_a_corpus_are_skipped_or_reported_never_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("corpus");
    fs::create_dir_all(c.join("target")).unwrap();
    fs::create_dir_all(c.join("node_modules")).unwrap();
    fs::write(c.join("good.txt"), "نص سليم").unwrap();
    // Folders a build tool would use are articles folders like any other now.
    fs::write(c.join("target/in_target.txt"), "نص").unwrap();
    fs::write(c.join("node_modules/in_nm.txt"), "نص").unwrap();
    fs::write(c.join("binary.txt"), b"abc\0def").unwrap();
    fs::write(c.join("latin1.txt"), b"caf\xe9 \xff\xfe\xfd").unwrap();
    mkfifo(&c.join("fifo.txt"));
    mkfifo(&c.join("good.txt.omar.hashiya.json"));
    symlink("/dev/zero", c.join("zero.txt")).unwrap();
    symlink(".", c.join("loop")).unwrap();
    symlink("..", c.join("up")).unwrap();
    symlink(c.join("self.txt"), c.join("self.txt")).unwrap();

    let (code, out, err) = hashiya(&["validate", c.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}\n{err}");
    let line = |name: &str| {
        out.lines()
            .chain(err.lines())
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no line about {name}:\n{out}\n{err}"))
            .to_owned()
    };
    assert!(
        line("binary.txt").contains("binary"),
        "{}",
        line("binary.txt")
    );
    assert!(line("latin1.txt").contains("not valid UTF-8"));
    assert!(line("fifo.txt").contains("named pipe"));
    assert!(line("zero.txt").contains("device"));
    assert!(line("good.txt.omar.hashiya.json").contains("named pipe"));
    assert!(line("loop").contains("not followed"));
    assert!(line("up").contains("not followed"));
    assert!(line("self.txt").contains("not read"));
    assert!(
        err.contains("5 article(s)"),
        "good, binary, latin1, target/ and node_modules/: {err}"
    );
    assert!(
        !out.contains("good.txt:"),
        "the good article has no problem: {out}"
    );

    let (code, out, _) = hashiya(&["stats", c.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"documents\""), "{out}");
}
