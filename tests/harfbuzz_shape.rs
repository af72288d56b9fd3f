//! Our shaping (cosmic-text + harfrust, as `hashiya shape` prints it) must equal HarfBuzz's
//! (`hb-shape`, Debian package libharfbuzz-bin) on the bundled fonts, for every paragraph of every
//! sample. A paragraph is compared run by run: a run is a stretch of glyphs with one font and one
//! direction (bidi level runs, font fallback), shaped by hb-shape with that font and direction.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use hashiya::model::Document;
use hashiya::text::fonts::bundled_font_system;
use hashiya::text::shape_dump::{shape_paragraph, DumpGlyph};

fn samples() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &mut out,
    );
    out.sort();
    out
}

/// The char range of a cosmic-text word (its shaping unit).
fn word_range(glyphs: &[DumpGlyph], starts: &[usize], len: usize, word: usize) -> (usize, usize) {
    let of_word = || glyphs.iter().filter(|g| g.word == word).map(|g| g.cluster);
    let lo = of_word().min().unwrap_or(0);
    let last = of_word().max().unwrap_or(0);
    let hi = starts.iter().copied().find(|&s| s > last).unwrap_or(len);
    (lo, hi)
}

/// One run to compare: where it is, the text of its word, which clusters of the word it holds,
/// and our notation of it.
struct Run {
    place: String,
    word_text: String,
    clusters: std::ops::Range<usize>,
    ours: String,
}

#[test]
fn shaping_matches_hb_shape_on_every_sample_paragraph() {
    if !common::require::hb_shape() {
        return;
    }
    let fonts_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
    let mut fs = bundled_font_system();
    // (font file, rtl) → runs
    let mut groups: BTreeMap<(String, bool), Vec<Run>> = BTreeMap::new();
    let mut paragraphs = 0;
    for path in samples() {
        let doc = Document::load(&path, None).expect("sample loads");
        for (pi, p) in doc.paragraphs().iter().enumerate() {
            let text = doc.paragraph_text(p);
            if text.is_empty() {
                continue;
            }
            paragraphs += 1;
            let chars: Vec<char> = text.chars().collect();
            let shaped = shape_paragraph(&mut fs, text);
            let mut starts: Vec<usize> = shaped.glyphs.iter().map(|g| g.cluster).collect();
            starts.sort_unstable();
            starts.dedup();
            let mut i = 0;
            while i < shaped.glyphs.len() {
                let first = &shaped.glyphs[i];
                let mut j = i;
                while j < shaped.glyphs.len()
                    && shaped.glyphs[j].font == first.font
                    && shaped.glyphs[j].rtl == first.rtl
                    && shaped.glyphs[j].word == first.word
                {
                    j += 1;
                }
                let run: &[DumpGlyph] = &shaped.glyphs[i..j];
                let (wlo, whi) = word_range(&shaped.glyphs, &starts, chars.len(), first.word);
                let lo = run.iter().map(|g| g.cluster).min().unwrap_or(0);
                let hi_cluster = run.iter().map(|g| g.cluster).max().unwrap_or(0);
                let hi = starts
                    .iter()
                    .copied()
                    .find(|&s| s > hi_cluster)
                    .unwrap_or(chars.len());
                let ours: Vec<String> = run.iter().map(|g| g.hb_notation(wlo)).collect();
                groups
                    .entry((first.font.clone(), first.rtl))
                    .or_default()
                    .push(Run {
                        place: format!("{}: paragraph {pi}, chars {lo}..{hi}", path.display()),
                        word_text: chars[wlo..whi].iter().collect(),
                        clusters: lo - wlo..hi - wlo,
                        ours: format!("[{}]", ours.join("|")),
                    });
                i = j;
            }
        }
    }
    assert!(paragraphs > 100, "samples found: {paragraphs} paragraphs");
    let mut failures = Vec::new();
    let mut compared = 0;
    for ((font, rtl), runs) in &groups {
        let mut child = Command::new("hb-shape")
            .arg("--no-glyph-names")
            .arg(format!("--direction={}", if *rtl { "rtl" } else { "ltr" }))
            .arg(fonts_dir.join(font))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("hb-shape runs");
        let input: String = runs.iter().map(|r| format!("{}\n", r.word_text)).collect();
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().expect("hb-shape output");
        writer.join().expect("writer").expect("write to hb-shape");
        let lines: Vec<&str> = std::str::from_utf8(&out.stdout)
            .expect("utf8")
            .lines()
            .collect();
        assert_eq!(
            lines.len(),
            runs.len(),
            "hb-shape answered every line ({font})"
        );
        for (run, line) in runs.iter().zip(lines) {
            compared += 1;
            // hb-shape shaped the whole word; keep the glyphs of this run's clusters.
            let kept: Vec<&str> = line
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split('|')
                .filter(|g| {
                    let cluster = g
                        .split('=')
                        .nth(1)
                        .and_then(|c| c.split(['@', '+']).next())
                        .and_then(|c| c.parse::<usize>().ok());
                    cluster.is_some_and(|c| run.clusters.contains(&c))
                })
                .collect();
            let theirs = format!("[{}]", kept.join("|"));
            if run.ours != theirs {
                failures.push(format!(
                    "{} ({font}, {}): {:?}\n  ours: {}\n  hb:   {}",
                    run.place,
                    if *rtl { "rtl" } else { "ltr" },
                    run.word_text,
                    run.ours,
                    theirs
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} runs differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{compared} runs in {paragraphs} paragraphs match hb-shape");
}
