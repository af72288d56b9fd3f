//! The document canvas driven as a user would, headless with egui_kittest: drag across Arabic
//! words and get exactly the char range Python's `str` gives for those words.

mod common;

use std::ops::Range;
use std::path::Path;

use egui::{Event, Modifiers, Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use hashiya::model::Document;
use hashiya::ui::canvas::{DocumentCanvas, Highlights, CANVAS_LABEL};

struct State {
    canvas: DocumentCanvas,
    doc: Document,
    highlights: Highlights,
    finished: Vec<Range<usize>>,
}

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/politics/sahel_summit.txt")
}

fn harness() -> Harness<'static, State> {
    let doc = Document::load(&sample(), None).expect("sample");
    let state = State {
        canvas: DocumentCanvas::new(),
        doc,
        highlights: Highlights::default(),
        finished: Vec::new(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(960.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, s: &mut State| {
                let r = s.canvas.show(ui, &s.doc, &s.highlights);
                if let Some(f) = r.selection_finished {
                    s.finished.push(f);
                }
            },
            state,
        );
    h.run();
    h
}

/// Where Python's `str.index` finds `needle` in the sample, as a char range.
fn python_range(needle: &str) -> Range<usize> {
    common::python_range(&sample(), needle, 0)
}

fn rect_of(h: &Harness<'_, State>, range: Range<usize>) -> Rect {
    let rects = h.state().canvas.char_range_rects_in_ui(range.clone());
    assert_eq!(rects.len(), 1, "{range:?} is on screen in one piece");
    rects[0]
}

fn drag(h: &mut Harness<'_, State>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    common::drag(h, from, to, modifiers);
}

#[test]
fn canvas_is_found_by_its_accessible_label() {
    let h = harness();
    h.get_by_label(CANVAS_LABEL);
}

#[test]
fn drag_across_arabic_words_selects_them_whole() {
    let mut h = harness();
    let words = python_range("وزراء خارجية خمس");
    let first = words.start..words.start + 5;
    let last = words.end - 3..words.end;
    // Press inside the first word (a letter in, not at its edge) and release inside the last.
    let from = rect_of(&h, first.start + 1..first.start + 2).center();
    let to = rect_of(&h, last.start + 1..last.start + 2).center();
    drag(&mut h, from, to, Modifiers::NONE);
    let expected = python_range("وزراء خارجية خمس");
    assert_eq!(h.state().canvas.selection(), Some(expected.clone()));
    assert_eq!(h.state().finished.last(), Some(&expected));
    assert_eq!(h.state().doc.slice(expected), Some("وزراء خارجية خمس"));
}

#[test]
fn alt_drag_leaves_the_clitics_out() {
    let mut h = harness();
    let word = python_range("وبواشنطن");
    let inner = word.start + 2..word.end; // واشنطن
                                          // From the right edge of و (the first letter of واشنطن) to the left edge of the last ن.
    let start_letter = rect_of(&h, inner.start..inner.start + 1);
    let end_letter = rect_of(&h, inner.end - 1..inner.end);
    let from = Pos2::new(start_letter.right() - 0.5, start_letter.center().y);
    let to = Pos2::new(end_letter.left() + 0.5, end_letter.center().y);
    drag(&mut h, from, to, Modifiers::ALT);
    let sel = h.state().canvas.selection().expect("a selection");
    assert_eq!(h.state().doc.slice(sel.clone()), Some("واشنطن"));
    assert_eq!(
        sel,
        python_range("واشنطن وب").start..python_range("واشنطن وب").start + 6
    );
    // Without Alt the same drag takes the whole word, clitics included.
    drag(&mut h, from, to, Modifiers::NONE);
    assert_eq!(h.state().canvas.selection(), Some(word));
}

#[test]
fn shift_arrows_extend_in_logical_order() {
    let mut h = harness();
    let word = python_range("وزراء");
    h.state_mut().canvas.set_selection(Some(word.clone()));
    h.run();
    let canvas_rect = h.get_by_label(CANVAS_LABEL).rect();
    // Focus the canvas with a click on an empty margin... a click also clears the selection, so
    // focus first, then set the selection again.
    h.event(Event::PointerMoved(canvas_rect.center()));
    h.event(Event::PointerButton {
        pos: canvas_rect.center(),
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::PointerButton {
        pos: canvas_rect.center(),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    h.state_mut().canvas.set_selection(Some(word.clone()));
    h.run();
    // In a right-to-left paragraph Shift+Left moves forward (the reading direction).
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().canvas.selection(), Some(word.start..word.end + 1));
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(h.state().canvas.selection(), Some(word.start..word.end - 1));
}

#[test]
fn double_click_selects_a_word() {
    let mut h = harness();
    let word = python_range("بالإنجليزية");
    let pos = rect_of(&h, word.start + 3..word.start + 4).center();
    h.event(Event::PointerMoved(pos));
    h.run();
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
    }
    h.run();
    assert_eq!(h.state().canvas.selection(), Some(word.clone()));
    assert_eq!(h.state().finished.last(), Some(&word));
}

#[test]
fn shaped_label_is_laid_out_with_bidi_and_found_by_its_text() {
    let text = "قال مدير NASA إن المهمة نجحت";
    let mut h = Harness::builder()
        .with_size(egui::vec2(600.0, 100.0))
        .build_ui(|ui| {
            ui.add(hashiya::ui::ShapedLabel::new(text));
        });
    h.run();
    let node = h.get_by_label(text);
    let rect = node.rect();
    assert!(rect.width() > 100.0 && rect.height() > 10.0, "{rect:?}");
}

#[test]
fn zoom_and_resize_keep_the_readers_place() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/long/live_coverage_2025.txt");
    let doc = Document::load(&path, None).expect("sample");
    let target = doc.len_chars() / 2;
    let state = State {
        canvas: DocumentCanvas::new(),
        doc,
        highlights: Highlights::default(),
        finished: Vec::new(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 700.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, s: &mut State| {
                s.canvas.show(ui, &s.doc, &s.highlights);
            },
            state,
        );
    h.state_mut().canvas.scroll_to_char(target);
    h.run();
    let before = h.state().canvas.anchor().expect("laid out");
    let para = h.state().doc.paragraphs().paragraph_at_char(target);
    assert!(
        before.paragraph <= para && para <= before.paragraph + 3,
        "{before:?} vs {para}"
    );
    // Ctrl+plus over the canvas zooms the text, not the whole UI, and keeps the paragraph.
    h.event(Event::PointerMoved(Pos2::new(450.0, 350.0)));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Plus);
    h.run();
    assert!(h.state().canvas.settings.zoom > 1.05);
    assert_eq!(
        h.state().canvas.anchor().map(|a| a.paragraph),
        Some(before.paragraph)
    );
    h.set_size(egui::vec2(600.0, 700.0));
    h.run();
    assert_eq!(
        h.state().canvas.anchor().map(|a| a.paragraph),
        Some(before.paragraph)
    );
}

#[test]
fn keyboard_only_caret_then_shift_selection() {
    let mut h = harness();
    let word = python_range("وزراء خارجية خمس");
    // One click to focus the canvas and put the caret at the start of وزراء.
    let first_letter = rect_of(&h, word.start..word.start + 1);
    let pos = Pos2::new(first_letter.right() - 0.5, first_letter.center().y);
    assert_eq!(h.state().canvas.char_at_pos(pos), Some(word.start));
    h.event(Event::PointerMoved(pos));
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
    // Ctrl+Left moves the caret a word forward (reading order), Shift+Ctrl+Left selects the next.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().canvas.selection(), None);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::ArrowLeft);
    h.run();
    let sel = h.state().canvas.selection().expect("selection");
    assert_eq!(h.state().doc.slice(sel), Some(" خارجية"));
    // Shift+Right takes back one letter.
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    let sel = h.state().canvas.selection().expect("selection");
    assert_eq!(h.state().doc.slice(sel), Some(" خارجي"));
}

#[test]
fn moving_the_caret_in_view_does_not_scroll() {
    let mut h = harness();
    // A word in the lower half of the screen, where a jump to "a third from the top" would show.
    let word = python_range("وبواشنطن");
    let before_rect = rect_of(&h, word.clone());
    let canvas_rect = h.get_by_label(CANVAS_LABEL).rect();
    assert!(
        before_rect.center().y > canvas_rect.center().y,
        "{before_rect:?}"
    );
    // Focus the canvas with a click on the word itself (which places the caret there).
    h.event(Event::PointerMoved(before_rect.center()));
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: before_rect.center(),
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    let anchor = h.state().canvas.anchor();
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowLeft);
    h.run();
    assert!(h.state().canvas.selection().is_some());
    assert_eq!(
        h.state().canvas.anchor(),
        anchor,
        "the view stayed where it was"
    );
    assert_eq!(rect_of(&h, word.clone()), before_rect);
}
