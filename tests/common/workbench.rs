//! Driving the real workbench headless, as a linguist does: a copy of the samples, the app on it,
//! clicks on AccessKit labels, drags across Arabic words, keys.

use std::ops::Range;
use std::path::{Path, PathBuf};

use egui::{Event, Key, Modifiers, Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use hashiya::model::{sidecar, Document};
use hashiya::ui::workbench::{Prefs, Workbench, WorkbenchOptions};

pub fn copy_dir(from: &Path, to: &Path) {
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

/// A copy of the samples in a temporary folder (removed when dropped).
pub struct Setup {
    pub _dir: tempfile::TempDir,
    pub corpus: PathBuf,
}

pub fn samples_copy() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("samples");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &corpus,
    );
    Setup { _dir: dir, corpus }
}

/// The workbench on `path` with these preferences and options, run until it settles.
pub fn harness(prefs: Prefs, options: WorkbenchOptions) -> Harness<'static, Workbench> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        // The canvas refines its height estimate of long articles over idle frames.
        .with_max_steps(5000)
        // Frames of a 60 Hz screen, so that two clicks can make a double-click.
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |_cc| Workbench::with_prefs(prefs, options));
    h.run();
    h
}

/// The workbench on `corpus` as `annotator` (who has seen the first-run hint).
pub fn workbench_as(corpus: &Path, annotator: &str) -> Harness<'static, Workbench> {
    let prefs = Prefs {
        annotator: Some(annotator.to_owned()),
        seen_first_run_hint: true,
        ..Prefs::default()
    };
    let options = WorkbenchOptions {
        path: Some(corpus.to_path_buf()),
        ..WorkbenchOptions::default()
    };
    harness(prefs, options)
}

/// Opens a document by clicking its name in the document list.
pub fn open_doc(h: &mut Harness<'static, Workbench>, relative: &str) -> PathBuf {
    h.get_by_label(relative).click();
    h.run();
    let session = h.state().session.as_ref().expect("a document is open");
    assert!(session.doc.path().ends_with(relative));
    session.doc.path().to_path_buf()
}

pub fn rect_of(h: &Harness<'static, Workbench>, range: Range<usize>) -> Rect {
    let rects = h.state().canvas.char_range_rects_in_ui(range.clone());
    assert!(!rects.is_empty(), "{range:?} is on screen");
    rects[0]
}

/// Scrolls the canvas so that `pos` is in view.
pub fn show_char(h: &mut Harness<'static, Workbench>, pos: usize) {
    if h.state()
        .canvas
        .char_range_rects_in_ui(pos..pos + 1)
        .is_empty()
    {
        h.state_mut().canvas.scroll_to_char(pos);
        h.run();
    }
}

/// Drags across whole words: press inside the first letter, release inside the last.
pub fn drag_words(h: &mut Harness<'static, Workbench>, range: Range<usize>) {
    show_char(h, range.start);
    let from = rect_of(h, range.start..range.start + 1).center();
    let to = rect_of(h, range.end - 1..range.end).center();
    super::drag(h, from, to, Modifiers::NONE);
}

pub fn click_at(h: &mut Harness<'static, Workbench>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.run();
    // Press and release on consecutive frames: held longer, a press becomes a drag.
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
}

pub fn press(h: &mut Harness<'static, Workbench>, key: Key) {
    h.key_press(key);
    h.run();
}

/// Ctrl+S, then waits for the save to be written (it runs on its own thread).
pub fn save(h: &mut Harness<'static, Workbench>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

/// The sidecar as a fresh program reads it from disk.
pub fn reopen(article: &Path, annotator: &str) -> hashiya::model::Annotations {
    let doc = Document::load(article, None).unwrap();
    let loaded = sidecar::load(&doc, annotator).unwrap();
    assert!(loaded.issues.is_empty());
    loaded.annotations
}
