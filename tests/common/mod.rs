//! Helpers shared by the kittest suites: Python's own count of char offsets, and a mouse drag.

#![allow(dead_code)]

pub mod agreement_corpus;
pub mod cli;
pub mod require;
pub mod workbench;

use std::ops::Range;
use std::path::Path;

use egui::{Event, Modifiers, Pos2};
use egui_kittest::Harness;

/// Where Python's `str.index` finds `needle` in `file` (searching from char `after`), as a char
/// range: an independent count of the offsets we write.
pub fn python_range(file: &Path, needle: &str, after: usize) -> Range<usize> {
    let script = "import sys\ns = open(sys.argv[1], encoding='utf-8', newline='').read()\n\
                  i = s.index(sys.argv[2], int(sys.argv[3]))\nprint(i, i + len(sys.argv[2]))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .arg(needle)
        .arg(after.to_string())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<usize> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    v[0]..v[1]
}

/// Presses at `from`, moves in four steps to `to` and releases there, holding `modifiers`.
pub fn drag<S>(h: &mut Harness<'_, S>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(from));
    h.run();
    h.event(Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.run();
    for i in 1..=4 {
        h.event(Event::PointerMoved(from + (to - from) * (i as f32 / 4.0)));
        h.run();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}
