//! The team budgets, measured on a generated corpus of 10,000 news-like articles (about 2 KB
//! each) with three annotators' sidecars (about 30 spans each, mostly agreeing):
//! - `merge` of 10,000 documents × 3 annotators (budget: ≤ 2 s), first run and re-run;
//! - the learned matcher's suggestions on 10,000 documents (budget: ≥ 10,000 documents in
//!   ≤ 2 s): matching alone, and `suggest` over the corpus (learning, matching, writing).
//!
//! Run: `cargo bench --bench team` (prints the figures; the medians of three runs).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use hashiya::model::merge::corpus::{merge_corpus, MergeRun};
use hashiya::model::merge::MergeRule;
use hashiya::model::parallel::worker_count;
use hashiya::model::search::SearchOptions;
use hashiya::model::sidecar::{self, sidecar_path};
use hashiya::model::suggest::corpus::{suggest_corpus, SuggestRun};
use hashiya::model::suggest::learn::{learn_from_corpus, LearnOptions};
use hashiya::model::suggest::matcher::{Matcher, MatcherOptions};
use hashiya::model::suggest::Suggester;
use hashiya::model::{Corpus, Document, Editor, Schema};

const DOCS: usize = 10_000;
const TEAM: [&str; 3] = ["layla", "omar", "nour"];

/// (text, label) of the entities the articles mention.
const ENTITIES: &[(&str, &str)] = &[
    ("القاهرة", "GPE"),
    ("موسكو", "GPE"),
    ("واشنطن", "GPE"),
    ("الولايات المتحدة", "GPE"),
    ("الأمم المتحدة", "ORG"),
    ("البنك الدولي", "ORG"),
    ("صندوق النقد الدولي", "ORG"),
    ("الاتحاد الأفريقي", "ORG"),
    ("أحمد عبد الله", "PER"),
    ("ليلى حسن", "PER"),
    ("عمر خالد", "PER"),
    ("نهر النيل", "LOC"),
    ("البحر الأحمر", "LOC"),
    ("الساحل", "LOC"),
];
const CLITICS: &[&str] = &["", "", "", "و", "ب", "وب", "ف"];
const FILLER: &[&str] = &[
    "أعلنت",
    "الحكومة",
    "اليوم",
    "أن",
    "وفدا",
    "رسميا",
    "سيزور",
    "الأسبوع",
    "المقبل",
    "لبحث",
    "التعاون",
    "الاقتصادي",
    "في",
    "مجالات",
    "الطاقة",
    "والنقل",
    "وقال",
    "مصدر",
    "مطلع",
    "إن",
    "المحادثات",
    "ستتناول",
    "ملفات",
    "عدة",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One article and its entities as char ranges with labels.
fn article(rng: &mut Rng, i: usize) -> (String, Vec<(usize, usize, &'static str)>) {
    let mut text = format!("خبر رقم {i}\n\n");
    let mut chars = text.chars().count();
    let mut spans = Vec::new();
    for paragraph in 0..6 {
        for _ in 0..40 {
            let word = if rng.below(8) == 0 {
                let (e, label) = ENTITIES[rng.below(ENTITIES.len())];
                let clitic = CLITICS[rng.below(CLITICS.len())];
                let start = chars + clitic.chars().count();
                spans.push((start, start + e.chars().count(), label));
                format!("{clitic}{e}")
            } else {
                FILLER[rng.below(FILLER.len())].to_owned()
            };
            chars += word.chars().count() + 1;
            text.push_str(&word);
            text.push(' ');
        }
        if paragraph < 5 {
            text.push_str("\n\n");
            chars += 2;
        }
    }
    (text, spans)
}

fn build_corpus(root: &Path) {
    let schema = Schema::builtin();
    let mut rng = Rng(42);
    for i in 0..DOCS {
        let dir = root.join(format!("batch{:03}", i / 500));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("article{i:05}.txt"));
        let (text, spans) = article(&mut rng, i);
        std::fs::write(&path, &text).unwrap();
        let doc = Document::from_text(&path, text);
        for (k, who) in TEAM.iter().enumerate() {
            let mut ed = Editor::default();
            for (s, e, label) in &spans {
                // Everyone tags most entities; each misses some and mislabels a few.
                let r = rng.below(100);
                if r < 6 {
                    continue;
                }
                let label = if r < 9 && k > 0 { "MISC" } else { label };
                ed.add_span(&doc, &schema, *s..*e, label).unwrap();
            }
            // Plain writes: building the benchmark corpus is not what is measured.
            let bytes = sidecar::encode(&doc, who, ed.annotations()).unwrap();
            std::fs::write(sidecar_path(&path, who), bytes).unwrap();
        }
    }
}

fn remove_layer(corpus: &Corpus, who: &str) {
    for e in &corpus.entries {
        let _ = std::fs::remove_file(sidecar_path(&e.path, who));
    }
}

/// CPU time this process has used (all threads, user + system): what the work costs, also when
/// other programs share the cores and stretch the wall-clock time.
fn cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Wall-clock and CPU time of `f`.
fn timed<R>(f: impl FnOnce() -> R) -> (R, Times) {
    let (t, c) = (Instant::now(), cpu());
    let r = f();
    (
        r,
        Times {
            wall: t.elapsed(),
            cpu: cpu() - c,
        },
    )
}

#[derive(Clone, Copy, Default)]
struct Times {
    wall: Duration,
    cpu: Duration,
}

impl std::ops::Add for Times {
    type Output = Times;
    fn add(self, o: Times) -> Times {
        Times {
            wall: self.wall + o.wall,
            cpu: self.cpu + o.cpu,
        }
    }
}

/// The medians of several runs, as `wall W s (CPU C s)`.
fn median(mut v: Vec<Times>) -> String {
    v.sort_by_key(|t| t.wall);
    let wall = v[v.len() / 2].wall;
    v.sort_by_key(|t| t.cpu);
    let cpu = v[v.len() / 2].cpu;
    format!(
        "{:.3} s (CPU {:.3} s)",
        wall.as_secs_f64(),
        cpu.as_secs_f64()
    )
}

fn main() {
    // HASHIYA_TEAM_BENCH_DIR keeps the generated corpus there (built once), e.g. to profile the
    // commands on it.
    let kept = std::env::var_os("HASHIYA_TEAM_BENCH_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let root = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let t = Instant::now();
    if kept.is_none() || !root.join("batch000").is_dir() {
        build_corpus(&root);
    }
    let dir = &root;
    let corpus = Corpus::open(dir).unwrap();
    assert_eq!(corpus.entries.len(), DOCS);
    eprintln!(
        "built {DOCS} articles × {} annotators in {:.1?}; {} workers",
        TEAM.len(),
        t.elapsed(),
        worker_count()
    );
    let cancel = AtomicBool::new(false);
    let mut none = |_: usize, _: usize| {};
    let open: Vec<Times> = (0..3)
        .map(|_| timed(|| Corpus::open(dir).unwrap()).1)
        .collect();
    println!(
        "open the corpus (10,000 articles, 30,000 sidecars listed): {}",
        median(open)
    );

    // Merge.
    // Each first run writes a layer that never existed, under its own name: deleting 10,000
    // sidecars right before writing 10,000 new ones would measure ext4 looking for inodes that
    // were not deleted just now (`recently_deleted`), not this program. The layers go at the end.
    let fresh = |what: &str, k: usize| format!("{what}{}-{k}", std::process::id());
    let mut written_layers = Vec::new();
    let (mut first, mut again) = (Vec::new(), Vec::new());
    let mut merged = 0;
    for k in 0..3 {
        let run = MergeRun {
            annotators: TEAM.iter().map(|s| s.to_string()).collect(),
            into: fresh("gold", k),
            rule: MergeRule { min_agree: Some(2) },
        };
        written_layers.push(run.into.clone());
        let corpus = Corpus::open(dir).unwrap();
        let (s, t) = timed(|| merge_corpus(&corpus, &run, &mut none, &cancel).unwrap());
        first.push(t);
        assert!(
            s.problems.is_empty(),
            "{:?}",
            &s.problems[..3.min(s.problems.len())]
        );
        merged = s.total.spans;
        let corpus = Corpus::open(dir).unwrap();
        let (s, t) = timed(|| merge_corpus(&corpus, &run, &mut none, &cancel).unwrap());
        again.push(t);
        assert_eq!(s.total.merged(), 0);
    }
    println!(
        "merge {DOCS} documents × 3 annotators (--min-agree 2, {merged} spans merged): first run \
         {} (writes {DOCS} sidecars), re-run {} — budget 2 s",
        median(first),
        median(again)
    );

    // Suggestions from the learned matcher.
    let learn = LearnOptions {
        annotators: vec!["layla".into()],
        search: SearchOptions::default(),
        labels: None,
        statuses: Vec::new(),
    };
    let ((lexicon, _), learning) = timed(|| learn_from_corpus(&corpus, &learn, &mut none, &cancel));
    let matcher = Matcher::new("learned", &lexicon, &MatcherOptions::default());
    let docs: Vec<Document> = corpus
        .entries
        .iter()
        .map(|e| Document::load(&e.path, None).unwrap())
        .collect();
    let mut matching = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        let (n, t) = timed(|| docs.iter().map(|d| matcher.find(d).len()).sum::<usize>());
        found = n;
        matching.push(t);
    }
    drop(docs);
    println!(
        "learned matcher ({} texts): matching alone on {DOCS} documents in memory, one core: {} \
         ({found} occurrences); learning from layla's {DOCS} sidecars: {}",
        matcher.len(),
        median(matching),
        median(vec![learning])
    );
    let (mut first, mut again, mut whole) = (Vec::new(), Vec::new(), Vec::new());
    let mut suggested = 0;
    for k in 0..3 {
        let into = SuggestRun {
            into: fresh("model", k),
            in_order: false,
        };
        written_layers.push(into.into.clone());
        let corpus = Corpus::open(dir).unwrap();
        let ((lexicon, _), learned) =
            timed(|| learn_from_corpus(&corpus, &learn, &mut none, &cancel));
        let matcher = Matcher::new("learned", &lexicon, &MatcherOptions::default());
        let sources: Vec<&dyn Suggester> = vec![&matcher];
        let (s, t) =
            timed(|| suggest_corpus(&corpus, &into, &sources, &mut none, &cancel).unwrap());
        first.push(t);
        whole.push(learned + t);
        suggested = s.total_suggested();
        let (s, t) =
            timed(|| suggest_corpus(&corpus, &into, &sources, &mut none, &cancel).unwrap());
        again.push(t);
        assert_eq!(s.total_suggested(), 0);
    }
    println!(
        "suggest from the learned matcher into a new layer ({suggested} suggestions): {} (writes \
         {DOCS} sidecars; with learning {}), re-run {} — budget 2 s",
        median(first),
        median(whole),
        median(again)
    );
    for layer in written_layers {
        remove_layer(&corpus, &layer);
    }
}
