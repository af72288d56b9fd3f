//! `hashiya search --json` run as a user runs it, on the samples; every hit is checked against an
//! independent concordance in Python (tests/python/search_hits.py), which folds the text itself
//! and counts offsets with Python's `str`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

type Hit = (String, usize, usize, String);

fn ours(args: &[&str]) -> (Vec<Hit>, Vec<serde_json::Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .arg("search")
        .arg(samples())
        .args(args)
        .arg("--json")
        .output()
        .expect("hashiya runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let hits = objects
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap().to_owned(),
                o["start"].as_u64().unwrap() as usize,
                o["end"].as_u64().unwrap() as usize,
                o["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (hits, objects)
}

fn python(args: &[&str]) -> Vec<Hit> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/search_hits.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(samples())
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            (
                f[0].to_owned(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].to_owned(),
            )
        })
        .collect()
}

#[test]
fn json_hits_match_pythons_concordance() {
    if !common::require::python3() {
        return;
    }
    let cases: &[&[&str]] = &[
        &["قال"],
        &["الرئيس"],
        &["موسكو"],
        &["موسكو", "--whole-word"],
        &["واشنطن", "--whole-word"],
        &["القاهرة", "--whole-word"],
        &["اعلن", "--fold", "alef"],
        &["الي", "--fold", "alef,ya"],
        &["مدينه", "--fold", "ta-marbuta"],
        &["unicef"],
        &["نواكشوط", "--label", "GPE"],
        &["القوى", "--label", "EVIDENCE"],
    ];
    for args in cases {
        let (hits, _) = ours(args);
        let expected = python(args);
        assert!(!expected.is_empty(), "{args:?} has hits in the samples");
        assert_eq!(hits, expected, "{args:?}");
    }
}

#[test]
fn context_is_the_text_around_each_hit() {
    if !common::require::python3() {
        return;
    }
    let (_, objects) = ours(&["الرئيس", "--context", "12"]);
    assert!(!objects.is_empty());
    // Python reads each article and slices around the offsets we gave.
    let script = "import json, sys, os\n\
                  for line in sys.stdin:\n\
                  \x20   o = json.loads(line)\n\
                  \x20   t = open(os.path.join(sys.argv[1], o['path']), encoding='utf-8-sig', newline='').read()\n\
                  \x20   s, e = o['start'], o['end']\n\
                  \x20   assert t[s:e] == o['text'], o\n\
                  \x20   assert t[s - len(o['left']):s] == o['left'], o\n\
                  \x20   assert t[e:e + len(o['right'])] == o['right'], o\n\
                  \x20   assert len(o['left']) <= 12 and len(o['right']) <= 12, o\n\
                  \x20   assert '\\n' not in o['left'] + o['right'], o\n\
                  print('ok')";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .arg(samples())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for o in &objects {
            writeln!(stdin, "{o}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plain_lines_read_path_range_and_context() {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(["search"])
        .arg(samples())
        .args(["موسكو", "--whole-word", "--context", "8"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("politics/sahel_summit.txt:"))
        .expect("a hit in the Sahel article");
    assert_eq!(
        line,
        "politics/sahel_summit.txt:877-882  توازية ب [موسكو]  وبواشنط"
    );
    let paths: BTreeSet<&str> = text.lines().filter_map(|l| l.split(':').next()).collect();
    assert!(paths.contains("long/live_coverage_2025.txt"), "{paths:?}");
}

#[test]
fn a_missing_corpus_is_an_error_naming_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_hashiya"))
        .args(["search", "/nonexistent/corpus", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/corpus"));
}
