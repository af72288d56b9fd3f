//! `hashiya bench-canvas [--mb 10] [--spans 100000]`: the canvas budgets, measured.
//!
//! Frames are run headless (an egui context without a window, tessellation included), timed in
//! thread CPU time. Start-up to PNG is timed around the real binary on an Xvfb display, if Xvfb is
//! installed. Build with `--release` before believing the figures.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, RawInput, Rect, Vec2};

use crate::model::Document;
use crate::ui::canvas::{DifferenceKind, DocumentCanvas, Highlight, HighlightStyle, Highlights};

fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time of the whole process (all threads).
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A deterministic pseudo-random sequence.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn sample_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut s = String::new();
    for f in [
        "long/live_coverage_2025.txt",
        "politics/sahel_summit.txt",
        "society/flood_relief_campaign.txt",
        "society/poetry_festival.txt",
    ] {
        if let Ok(t) = std::fs::read_to_string(dir.join(f)) {
            s.push_str(&t.replace("\r\n", "\n"));
            s.push('\n');
        }
    }
    if s.is_empty() {
        s = "قال الرئيس في واشنطن إن المحادثات ستستمر، وأضاف NASA أن 2025 عام حاسم.\n\n"
            .repeat(100);
    }
    s
}

/// An article of about `mb` MB made of the samples, written to a temp file.
fn make_article(mb: f64, one_paragraph: bool) -> std::io::Result<PathBuf> {
    let base = sample_text();
    let base = if one_paragraph {
        base.split_whitespace().collect::<Vec<_>>().join(" ") + " "
    } else {
        base
    };
    let target = (mb * 1_000_000.0) as usize;
    let mut s = String::with_capacity(target + base.len());
    while s.len() < target {
        s.push_str(&base);
    }
    let name = format!(
        "hashiya-bench-{}{}.txt",
        mb,
        if one_paragraph { "-paragraph" } else { "" }
    );
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, s)?;
    Ok(path)
}

fn make_spans(doc: &Document, n: usize) -> Highlights {
    let len = doc.len_chars().max(1);
    let mut rng = Lcg(42);
    let colors = [
        Color32::from_rgb(0xe6, 0x7e, 0x22),
        Color32::from_rgb(0x27, 0xae, 0x60),
        Color32::from_rgb(0x29, 0x80, 0xb9),
        Color32::from_rgb(0xc0, 0x39, 0x2b),
        Color32::from_rgb(0x8e, 0x44, 0xad),
    ];
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let start = (i * len / n.max(1) + rng.below(8)).min(len - 1);
        let l = 3 + rng.below(25);
        let mut r: Range<usize> = start..(start + l).min(len);
        if i % 10 == 0 {
            r = r.start.saturating_sub(30)..(r.end + 30).min(len);
        }
        items.push(Highlight {
            pieces: vec![r],
            color: colors[i % colors.len()],
            tag: ["PER", "ORG", "GPE", "DATE", "CLAIM"][i % 5].to_string(),
            suggested: i % 5 == 0,
            ..Default::default()
        });
    }
    Highlights::new(items)
}

struct Frames {
    ctx: egui::Context,
    canvas: DocumentCanvas,
    time: f64,
}

impl Frames {
    fn new() -> Self {
        Self {
            ctx: egui::Context::default(),
            canvas: DocumentCanvas::new(),
            time: 0.0,
        }
    }

    /// One full frame (UI pass and tessellation); returns its CPU time on the UI thread.
    fn frame(&mut self, doc: &Document, highlights: &Highlights) -> Duration {
        self.frame_cpu(doc, highlights).0
    }

    /// One full frame; returns (UI thread CPU, whole process CPU) during it.
    fn frame_cpu(&mut self, doc: &Document, highlights: &Highlights) -> (Duration, Duration) {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(960.0, 720.0))),
            time: Some(self.time),
            ..Default::default()
        };
        self.time += 1.0 / 60.0;
        let t0 = thread_cpu();
        let p0 = process_cpu();
        let canvas = &mut self.canvas;
        let out = self.ctx.run_ui(input, |ui| {
            canvas.show(ui, doc, highlights);
        });
        let mut out = out;
        let prims = self
            .ctx
            .tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
        std::hint::black_box(prims);
        out.textures_delta.clear();
        (
            thread_cpu().saturating_sub(t0),
            process_cpu().saturating_sub(p0),
        )
    }
}

/// `layers` annotators' layers of `per_layer` spans each over `doc`, as a compare view draws them:
/// each layer in its own style, the layers mostly agreeing (same places, boundaries a little
/// apart), one span in seven marked as a difference.
fn make_layers(doc: &Document, layers: usize, per_layer: usize) -> Highlights {
    let len = doc.len_chars().max(1);
    let mut rng = Lcg(11);
    let kinds = [
        DifferenceKind::Unmatched,
        DifferenceKind::Label,
        DifferenceKind::Boundary,
        DifferenceKind::CliticBoundary,
    ];
    let mut items = Vec::with_capacity(layers * per_layer);
    for layer in 0..layers {
        let style = HighlightStyle::ALL[layer % HighlightStyle::ALL.len()];
        let color = [
            Color32::from_rgb(0xe6, 0x7e, 0x22),
            Color32::from_rgb(0x27, 0xae, 0x60),
            Color32::from_rgb(0x29, 0x80, 0xb9),
            Color32::from_rgb(0xc0, 0x39, 0x2b),
            Color32::from_rgb(0x8e, 0x44, 0xad),
        ][layer % 5];
        for i in 0..per_layer {
            let start = (i * len / per_layer.max(1) + rng.below(4)).min(len - 1);
            let range = start..(start + 4 + rng.below(20)).min(len);
            items.push(Highlight {
                pieces: vec![range],
                color,
                tag: ["PER", "ORG", "GPE", "DATE", "CLAIM"][(i + layer) % 5].to_string(),
                style,
                difference: (i % 7 == 0).then(|| kinds[(i / 7) % kinds.len()]),
                ..Default::default()
            });
        }
    }
    Highlights::new(items)
}

/// Scrolls a document of about 100,000 chars (the samples) carrying five layers of 2,000 spans,
/// and prints the frame times.
fn bench_layers() {
    let text: String = sample_text().chars().take(100_000).collect();
    let doc = Document::from_text("layers.txt", &text);
    let highlights = make_layers(&doc, 5, 2_000);
    let mut f = Frames::new();
    f.canvas.settings.measure_in_background = false;
    f.frame(&doc, &highlights);
    let mut times = Vec::new();
    let mut drawn = 0;
    for _ in 0..300 {
        f.canvas.scroll_by(45.0);
        times.push(ms(f.frame(&doc, &highlights)));
        if let Some(chars) = f.canvas.visible_chars() {
            drawn = drawn.max(highlights.overlapping(chars).len());
        }
    }
    println!(
        "5 layers x 2000 spans on {} chars (up to {drawn} highlights on screen), scrolling: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms per frame   budget 4 ms",
        doc.len_chars(),
        percentile(&mut times.clone(), 0.5),
        percentile(&mut times, 0.95),
        times.iter().copied().fold(0.0, f64::max)
    );
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or(0.0)
}

fn startup_to_png(article: &Path) -> Option<Vec<f64>> {
    let exe = std::env::current_exe().ok()?;
    let display = ":87";
    let mut xvfb = std::process::Command::new("Xvfb")
        .args([display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(700));
    let out = std::env::temp_dir().join("hashiya-bench-shot.png");
    let mut times = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_file(&out);
        let t0 = Instant::now();
        let status = std::process::Command::new(&exe)
            .arg(article)
            .arg("--screenshot")
            .arg(&out)
            .env("DISPLAY", display)
            .status();
        let dt = t0.elapsed();
        if status.map(|s| s.success()).unwrap_or(false) && out.exists() {
            times.push(ms(dt));
        }
    }
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    Some(times)
}

pub fn run(mb: f64, spans: usize) -> ExitCode {
    if cfg!(debug_assertions) {
        println!("note: debug build; budgets are for `cargo build --release`");
    }
    let big = match make_article(mb, false) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("hashiya: cannot write the bench article: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The empty window: a context, the text engine and one frame of an empty document.
    let mut f = Frames::new();
    let empty = Document::from_text("empty.txt", "");
    let empty_cpu = f.frame(&empty, &Highlights::default());
    let rss_empty = rss_bytes();

    let t0 = thread_cpu();
    let doc = match Document::load(&big, None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("hashiya: {e}");
            return ExitCode::FAILURE;
        }
    };
    let load_cpu = thread_cpu().saturating_sub(t0);
    let text_mb = doc.text().len() as f64 / 1e6;
    println!(
        "article: {} ({text_mb:.1} MB, {} paragraphs)",
        big.display(),
        doc.paragraphs().len()
    );
    let measure_start = Instant::now();
    let doc_first_cpu = f.frame(&doc, &Highlights::default());
    println!(
        "first frame CPU: {:.1} ms = {:.1} ms text engine start (fonts, atlas) + {:.1} ms document frame; \
         reading and indexing the file: {:.1} ms   budget 60 ms",
        ms(empty_cpu + doc_first_cpu),
        ms(empty_cpu),
        ms(doc_first_cpu),
        ms(load_cpu)
    );

    let t0 = Instant::now();
    let highlights = make_spans(&doc, spans);
    println!(
        "{} spans indexed in {:.1} ms",
        highlights.len(),
        ms(t0.elapsed())
    );
    // Let the background thread measure every paragraph first, so the frames below are timed
    // with nothing else running in the process (and its cost is reported on its own).
    let p_before = process_cpu();
    let t_before = thread_cpu();
    let mut waited = 0;
    while f.canvas.is_measuring() && waited < 600 {
        std::thread::sleep(Duration::from_millis(50));
        f.frame(&doc, &highlights);
        waited += 1;
    }
    let background_cpu = process_cpu()
        .saturating_sub(p_before)
        .saturating_sub(thread_cpu().saturating_sub(t_before));
    println!(
        "background measuring of every paragraph (once per document and font size, off the UI \
         thread): {}, {:.1} s CPU",
        if f.canvas.is_measuring() {
            "not finished after 30 s".to_string()
        } else {
            format!(
                "done {:.1} s after opening",
                measure_start.elapsed().as_secs_f64()
            )
        },
        background_cpu.as_secs_f64()
    );
    f.frame(&doc, &highlights);
    let mut scroll = Vec::new();
    let mut process_frames = Vec::new();
    for _ in 0..300 {
        f.canvas.scroll_by(45.0);
        let (ui, all) = f.frame_cpu(&doc, &highlights);
        scroll.push(ms(ui));
        process_frames.push(ms(all));
    }
    let mut rng = Lcg(7);
    let mut jumps = Vec::new();
    for _ in 0..200 {
        f.canvas.scroll_to_char(rng.below(doc.len_chars()));
        let (ui, all) = f.frame_cpu(&doc, &highlights);
        jumps.push(ms(ui));
        process_frames.push(ms(all));
        // A few frames of reading after each jump.
        for _ in 0..2 {
            f.canvas.scroll_by(45.0);
            let (ui, all) = f.frame_cpu(&doc, &highlights);
            jumps.push(ms(ui));
            process_frames.push(ms(all));
        }
    }
    let mut all: Vec<f64> = scroll.iter().chain(&jumps).copied().collect();
    println!(
        "scrolling, {spans} spans: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms per frame",
        percentile(&mut scroll.clone(), 0.5),
        percentile(&mut scroll, 0.95),
        scroll.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "jumping anywhere (+2 scroll frames each): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&mut jumps.clone(), 0.5),
        percentile(&mut jumps, 0.95),
        jumps.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "all frames: p95 {:.2} ms on the UI thread, {:.2} ms whole process   budget 4 ms",
        percentile(&mut all, 0.95),
        percentile(&mut process_frames, 0.95)
    );
    let rss_doc = rss_bytes();
    let per_mb =
        (rss_doc.saturating_sub(rss_empty)) as f64 / (1024.0 * 1024.0) / text_mb.max(0.001);
    println!(
        "memory: {:.1} MiB above the empty window for {text_mb:.1} MB of text = {per_mb:.1} MiB per MB   budget 10",
        (rss_doc.saturating_sub(rss_empty)) as f64 / (1024.0 * 1024.0),
    );
    drop(f);

    bench_layers();

    // A 1 MB single paragraph.
    match make_article(1.0, true)
        .and_then(|p| Document::load(&p, None).map_err(|e| std::io::Error::other(e.to_string())))
    {
        Ok(para_doc) => {
            let mut f = Frames::new();
            let mut times = vec![ms(f.frame(&para_doc, &Highlights::default()))];
            for _ in 0..150 {
                f.canvas.scroll_by(60.0);
                times.push(ms(f.frame(&para_doc, &Highlights::default())));
            }
            let mut rng = Lcg(9);
            for _ in 0..50 {
                f.canvas.scroll_to_char(rng.below(para_doc.len_chars()));
                times.push(ms(f.frame(&para_doc, &Highlights::default())));
            }
            let first = times.first().copied().unwrap_or(0.0);
            let worst = times.iter().copied().fold(0.0, f64::max);
            println!(
                "1 MB single paragraph ({} chars): first frame {first:.1} ms, worst frame {worst:.1} ms, p95 {:.2} ms   budget 50 ms",
                para_doc.len_chars(),
                percentile(&mut times, 0.95)
            );
        }
        Err(e) => eprintln!("hashiya: 1 MB paragraph: {e}"),
    }

    match startup_to_png(&big) {
        Some(t) if !t.is_empty() => {
            let mut t2 = t.clone();
            println!(
                "process start → PNG written (--screenshot, Xvfb, {} runs): median {:.0} ms, min {:.0} ms   budget 300 ms",
                t.len(),
                percentile(&mut t2, 0.5),
                t.iter().copied().fold(f64::MAX, f64::min)
            );
        }
        _ => println!(
            "process start → PNG: Xvfb not available here; run\n  hyperfine 'xvfb-run -a {} {} --screenshot /tmp/out.png'",
            std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "hashiya".into()),
            big.display()
        ),
    }
    ExitCode::SUCCESS
}
