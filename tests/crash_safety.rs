//! A real process saving the same sidecar in a loop is killed (`kill -9`) at random moments, 200
//! times: every time, the sidecar on disk parses and is whole, either the old or the new version,
//! and no temporary file a killed writer left is ever taken for a sidecar.
//!
//! The writer is this test binary itself, started again with `HASHIYA_CRASH_CHILD` naming the
//! corpus folder; `writer_child` then saves two versions in turn until it is killed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use hashiya::model::{sidecar, Corpus, Document, Editor, Schema};

const CHILD_VAR: &str = "HASHIYA_CRASH_CHILD";
const TEXT: &str = "قال الرئيس في القاهرة إن وفدا سيزور واشنطن 👍🏽 الأسبوع المقبل.\n";

fn article(dir: &Path) -> Document {
    let path = dir.join("article.txt");
    if !path.exists() {
        std::fs::write(&path, TEXT.repeat(200)).unwrap();
    }
    Document::load(&path, None).unwrap()
}

/// The two versions the writer alternates between (B has many more spans, so a torn file of either
/// would not parse or would match neither).
fn versions(doc: &Document) -> [String; 2] {
    let schema = Schema::builtin();
    let mut a = Editor::default();
    a.add_span(doc, &schema, 4..10, "PER").unwrap();
    let mut b = Editor::default();
    for k in 0..150 {
        let s = k * TEXT.chars().count() + 14;
        b.add_span(doc, &schema, s..s + 7, "GPE").unwrap();
    }
    [a, b].map(|e| sidecar::encode(doc, "layla", e.annotations()).unwrap())
}

/// Runs only as the child: saves version A, then B, then A... until killed.
#[test]
fn writer_child() {
    let Some(dir) = std::env::var_os(CHILD_VAR) else {
        return;
    };
    let doc = article(Path::new(&dir));
    let schema = Schema::builtin();
    let mut sets = [Editor::default(), Editor::default()];
    sets[0].add_span(&doc, &schema, 4..10, "PER").unwrap();
    for k in 0..150 {
        let s = k * TEXT.chars().count() + 14;
        sets[1].add_span(&doc, &schema, s..s + 7, "GPE").unwrap();
    }
    let mut hash = sidecar::load(&doc, "layla").unwrap().disk_hash;
    for k in 0.. {
        let set = sets[k % 2].annotations();
        hash = Some(sidecar::save(&doc, "layla", set, hash.as_deref()).unwrap());
    }
}

/// A small xorshift generator: the kill moments, reproducible from the seed in a failure message.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn sidecar_file(dir: &Path) -> PathBuf {
    sidecar::sidecar_path(&dir.join("article.txt"), "layla")
}

#[cfg(unix)]
#[test]
fn a_writer_killed_at_random_moments_leaves_the_old_or_the_new_version() {
    if std::env::var_os(CHILD_VAR).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = article(dir.path());
    let [a, b] = versions(&doc);
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();
    let mut saw = [0usize; 2];
    for round in 0..200 {
        let mut child = Command::new(&exe)
            .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_VAR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Let it start (a few ms) and then save for a random while, up to 40 ms.
        let wait = Duration::from_micros(2_000 + rng.next() % 40_000);
        let start = Instant::now();
        while start.elapsed() < wait {
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let Ok(on_disk) = std::fs::read_to_string(sidecar_file(dir.path())) else {
            continue; // killed before its first save
        };
        let which = [&a, &b].iter().position(|v| **v == on_disk);
        assert!(
            which.is_some(),
            "round {round} (seed {seed}): the sidecar is neither version ({} bytes)",
            on_disk.len()
        );
        saw[which.unwrap_or(0)] += 1;
        // It parses, and a corpus listing sees one sidecar, whatever temporary files were left.
        assert!(sidecar::load(&doc, "layla").is_ok());
        let corpus = Corpus::open(dir.path()).unwrap();
        assert_eq!(corpus.entries.len(), 1);
        assert_eq!(corpus.entries[0].sidecars.len(), 1, "round {round}");
    }
    assert!(
        saw[0] > 0 && saw[1] > 0,
        "kills landed on both versions: {saw:?} (seed {seed})"
    );
    // Killed writers leave temporary files; none is a sidecar, and they go once their writer is gone.
    let removed = hashiya::model::atomic_write::remove_stale_temps(dir.path(), Duration::ZERO);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp-hashiya"))
        .collect();
    assert!(left.is_empty(), "{left:?} (removed {removed})");
}
