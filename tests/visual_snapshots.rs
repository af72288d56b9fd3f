//! Image snapshots of the canvas and the workbench, rendered by egui_kittest's wgpu renderer on
//! Mesa's software Vulkan (lavapipe, Debian's mesa-vulkan-drivers; `.ci/setup` installs it).
//!
//! The snapshots live in `tests/snapshots/`. A test fails when its rendering differs from the
//! stored image in more than [`MAX_FAILED_PIXELS`] pixels (see there for why that number). After
//! a change you mean, look at the `.new.png` and `.diff.png` files kittest writes beside the
//! snapshot, then run `UPDATE_SNAPSHOTS=1 cargo test --test visual_snapshots` and commit the
//! images.

mod common;

use std::ops::Range;
use std::path::{Path, PathBuf};

use egui::Color32;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use hashiya::model::Document;
use hashiya::ui::canvas::{DifferenceKind, DocumentCanvas, Highlight, HighlightStyle, Highlights};
use hashiya::ui::workbench::{Prefs, Workbench, WorkbenchOptions};

/// Per-pixel colour distance (kittest's weighted YIQ distance) above which a pixel counts as
/// changed: kittest's default, which ignores only invisible differences.
const THRESHOLD: f32 = 0.6;

/// Changed pixels allowed per image. Lavapipe renders the same image on every run of the same
/// Mesa, so this is only a margin for a rounding difference in another Mesa release; a highlight
/// moved by one letter changes hundreds of pixels (`a_highlight_moved_by_one_letter_fails`).
const MAX_FAILED_PIXELS: usize = 20;

fn options() -> SnapshotOptions {
    SnapshotOptions::new()
        .threshold(THRESHOLD)
        .max_failed_pixels(MAX_FAILED_PIXELS)
}

/// The mixed text of the canvas snapshots: Arabic with a Latin name and both digit systems,
/// diacritics, lam-alef, a name glued to clitics, and emoji (skin tone, flag, ZWJ family).
const MIXED: &str = "قال مدير وكالة NASA في بواشنطن إن المهمة نجحت بنسبة 98% عام ٢٠٢٥ 👍🏽\n\n\
السَّلامُ عَلَيْكُم، لا إله إلا الله؛ The Sahel Observer نقلت الخبر 🇷🇺 من موسكو 👨‍👩‍👧";

struct Canvas {
    canvas: DocumentCanvas,
    doc: Document,
    highlights: Highlights,
}

/// Char range of the `nth` occurrence (0-based) of `needle` in `text`, counted in chars.
fn find(text: &str, needle: &str, nth: usize) -> Range<usize> {
    let (byte, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} in the text"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

fn highlight(range: Range<usize>, rgb: [u8; 3], tag: &str) -> Highlight {
    Highlight {
        pieces: vec![range],
        color: Color32::from_rgb(rgb[0], rgb[1], rgb[2]),
        tag: tag.to_owned(),
        ..Default::default()
    }
}

const ORANGE: [u8; 3] = [0xe6, 0x7e, 0x22];
const GREEN: [u8; 3] = [0x27, 0xae, 0x60];
const BLUE: [u8; 3] = [0x29, 0x80, 0xb9];
const RED: [u8; 3] = [0xc0, 0x39, 0x2b];
const PURPLE: [u8; 3] = [0x8e, 0x44, 0xad];

/// Nested spans (ORG over `وكالة NASA` holding MISC `NASA`), a sub-word span (GPE `واشنطن`
/// inside `بواشنطن`, clitics outside), a suggestion, the selected span, spans over lam-alef and
/// diacritics, and a span ending on an emoji.
fn mixed_highlights(text: &str, nasa_shift: usize) -> Vec<Highlight> {
    let nasa = find(text, "NASA", 0);
    let mut suggested = highlight(find(text, "٢٠٢٥", 0), BLUE, "DATE");
    suggested.suggested = true;
    let mut selected = highlight(find(text, "موسكو", 0), ORANGE, "GPE");
    selected.selected = true;
    let washington = find(text, "بواشنطن", 0);
    let flag = find(text, "🇷🇺", 0);
    vec![
        highlight(find(text, "وكالة NASA", 0), GREEN, "ORG"),
        highlight(
            nasa.start + nasa_shift..nasa.end + nasa_shift,
            PURPLE,
            "MISC",
        ),
        highlight(washington.start + 1..washington.end, ORANGE, "GPE"),
        suggested,
        highlight(find(text, "لا إله", 0), RED, "CLAIM"),
        highlight(find(text, "السَّلامُ", 0), GREEN, "ذكر"),
        highlight(find(text, "الخبر", 0).start..flag.end, PURPLE, "EVENT"),
        selected,
    ]
}

fn canvas_harness(text: &str, highlights: Vec<Highlight>, dark: bool) -> Harness<'static, Canvas> {
    let state = Canvas {
        canvas: DocumentCanvas::new(),
        doc: Document::from_text("mixed.txt", text),
        highlights: Highlights::new(highlights),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(720.0, 300.0))
        .with_pixels_per_point(1.0)
        .wgpu()
        .build_ui_state(
            |ui, s: &mut Canvas| {
                s.canvas.show(ui, &s.doc, &s.highlights);
            },
            state,
        );
    h.ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    h.state_mut().canvas.settings.measure_in_background = false;
    h.run();
    h
}

/// Is lavapipe, Mesa's software Vulkan driver, installed (skipping or failing as
/// `common::require` says)?
fn software_vulkan() -> bool {
    let icd = Path::new("/usr/share/vulkan/icd.d");
    let present = std::fs::read_dir(icd).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("lvp_icd"))
    });
    common::require::available(
        "Mesa's software Vulkan (Debian package mesa-vulkan-drivers)",
        present,
    )
}

#[test]
fn canvas_mixed_text_light() {
    if !software_vulkan() {
        return;
    }
    let mut h = canvas_harness(MIXED, mixed_highlights(MIXED, 0), false);
    h.snapshot_options("canvas_mixed_light", &options());
}

#[test]
fn canvas_mixed_text_dark() {
    if !software_vulkan() {
        return;
    }
    let mut h = canvas_harness(MIXED, mixed_highlights(MIXED, 0), true);
    h.snapshot_options("canvas_mixed_dark", &options());
}

/// The snapshots catch a change as small as a highlight one letter off. (Compared in a temporary
/// folder, so that `UPDATE_SNAPSHOTS` can never store the shifted image; in that mode kittest
/// accepts every difference, so there is nothing to check.)
#[test]
fn a_highlight_moved_by_one_letter_fails() {
    if !software_vulkan() || std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        return;
    }
    let mut h = canvas_harness(MIXED, mixed_highlights(MIXED, 1), false);
    let shifted = h.render().expect("rendered");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/canvas_mixed_light.png"),
        dir.path().join("canvas_mixed_light.png"),
    )
    .expect("the stored snapshot (run canvas_mixed_text_light first)");
    let err = egui_kittest::try_image_snapshot_options(
        &shifted,
        "canvas_mixed_light",
        &options().output_path(dir.path()),
    )
    .expect_err("MISC one letter to the side differs from the snapshot");
    match err {
        egui_kittest::SnapshotError::Diff { diff, .. } => {
            eprintln!("a one-letter move changes {diff} pixels");
            assert!(
                diff as usize > 5 * MAX_FAILED_PIXELS,
                "a one-letter move changes only {diff} pixels, too close to the margin"
            );
        }
        other => panic!("expected a pixel difference, got {other}"),
    }
}

/// Five annotators' layers over the same words, one style each, and one marker of each difference
/// kind: every layer stays readable and the letters are not hidden.
const LAYERS: &str =
    "قال وزير الخارجية سامح شكري في القاهرة إن المحادثات مع NASA ستستمر عام 2025.\n\n\
وأضاف أن الاتفاق بواشنطن لم يوقع بعد، وأن الوفد سيعود إلى موسكو الأسبوع المقبل.";

fn layer_highlights(text: &str) -> Vec<Highlight> {
    let colors = [ORANGE, GREEN, BLUE, RED, PURPLE];
    let mut out = Vec::new();
    for (i, style) in HighlightStyle::ALL.into_iter().enumerate() {
        let mut h = highlight(find(text, "سامح شكري", 0), colors[i], "PER");
        h.style = style;
        // Only the edited layer (the fill) carries tags, as a compare view would draw it.
        if style != HighlightStyle::Fill {
            h.tag.clear();
        }
        out.push(h);
        let mut g = highlight(find(text, "القاهرة", 0), colors[i], "GPE");
        g.style = style;
        g.tag.clear();
        out.push(g);
    }
    let marked = |needle: &str, rgb, kind, style| {
        let mut h = highlight(find(text, needle, 0), rgb, "");
        h.style = style;
        h.difference = Some(kind);
        h
    };
    out.push(marked(
        "NASA",
        RED,
        DifferenceKind::Unmatched,
        HighlightStyle::Underline,
    ));
    out.push(marked(
        "المحادثات",
        BLUE,
        DifferenceKind::Label,
        HighlightStyle::Fill,
    ));
    out.push(marked(
        "الاتفاق",
        GREEN,
        DifferenceKind::Boundary,
        HighlightStyle::Outline,
    ));
    let washington = find(text, "بواشنطن", 0);
    let mut clitic = highlight(washington.start + 1..washington.end, ORANGE, "");
    clitic.style = HighlightStyle::Dashed;
    clitic.difference = Some(DifferenceKind::CliticBoundary);
    out.push(clitic);
    out.push(marked(
        "موسكو",
        PURPLE,
        DifferenceKind::Boundary,
        HighlightStyle::Dotted,
    ));
    out
}

#[test]
fn canvas_layer_styles_light() {
    if !software_vulkan() {
        return;
    }
    let mut h = canvas_harness(LAYERS, layer_highlights(LAYERS), false);
    h.snapshot_options("canvas_layers_light", &options());
}

#[test]
fn canvas_layer_styles_dark() {
    if !software_vulkan() {
        return;
    }
    let mut h = canvas_harness(LAYERS, layer_highlights(LAYERS), true);
    h.snapshot_options("canvas_layers_dark", &options());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn workbench_harness(corpus: PathBuf, dark: bool) -> Harness<'static, Workbench> {
    let prefs = Prefs {
        annotator: Some("layla".to_owned()),
        seen_first_run_hint: true,
        dark,
        ..Prefs::default()
    };
    let options = WorkbenchOptions {
        path: Some(corpus),
        ..WorkbenchOptions::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_pixels_per_point(1.0)
        .with_max_steps(5000)
        .with_step_dt(1.0 / 60.0)
        .wgpu()
        .build_eframe(move |_cc| Workbench::with_prefs(prefs, options));
    h.run();
    h
}

/// The workbench with `doc` of a copy of the samples open. The copy is at a fixed path, which the
/// document list shows.
fn workbench_snapshot(name: &str, doc: &str, dark: bool) {
    let corpus = Path::new("/tmp/hashiya-visual-snapshots")
        .join(name)
        .join("samples");
    let _ = std::fs::remove_dir_all(&corpus);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &corpus,
    );
    let mut h = workbench_harness(corpus.clone(), dark);
    h.get_by_label(doc).click();
    h.run();
    assert!(h.state().session.is_some(), "{doc} is open");
    // The scroll bar's thumb is drawn from the document height, which a background thread
    // measures exactly: wait for it, so the image does not depend on its speed.
    let t0 = std::time::Instant::now();
    while h.state().canvas.is_measuring() && t0.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run();
    }
    assert!(!h.state().canvas.is_measuring(), "measured within 30 s");
    h.run();
    h.snapshot_options(name, &options());
    drop(h);
    let _ = std::fs::remove_dir_all(corpus.parent().unwrap_or(&corpus));
}

#[test]
fn workbench_on_the_samples_light() {
    if software_vulkan() {
        workbench_snapshot("workbench_sahel_light", "politics/sahel_summit.txt", false);
    }
}

#[test]
fn workbench_on_the_samples_dark() {
    if software_vulkan() {
        workbench_snapshot(
            "workbench_flood_dark",
            "society/flood_relief_campaign.txt",
            true,
        );
    }
}
