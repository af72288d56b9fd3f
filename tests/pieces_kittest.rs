//! A discontinuous span made in the real workbench: a claim tagged, Ctrl+drag adds the rest of
//! it as a second piece, `+` adds a third from a plain selection, a piece is removed again; the
//! sidecar's fragments are where Python counts them, and the list shows one span.

mod common;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use common::python_range;
use common::workbench::{
    drag_words, open_doc, press, rect_of, reopen, samples_copy, save, show_char, workbench_as,
};

#[test]
fn ctrl_drag_and_plus_add_pieces_and_a_piece_can_be_removed() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "tester");
    let article = open_doc(&mut h, "politics/local_councils_law.txt");
    let first = python_range(&article, "إن اللجنة ستعقد جلسات", 0);
    let second = python_range(&article, "لا يتوقع إقرار القانون", 0);
    let third = python_range(&article, "حوار مجتمعي حقيقي", 0);
    drag_words(&mut h, first.clone());
    press(&mut h, Key::K);
    let id = h
        .state()
        .selected_span
        .clone()
        .expect("the claim is selected");
    // Ctrl+drag across the rest of it.
    show_char(&mut h, second.start);
    let from = rect_of(&h, second.start..second.start + 1).center();
    let to = rect_of(&h, second.end - 1..second.end).center();
    common::drag(&mut h, from, to, Modifiers::COMMAND);
    assert_eq!(
        h.state().selected_span.as_deref(),
        Some(id.as_str()),
        "still selected"
    );
    // A plain selection, then +: a third piece for the span selected before.
    drag_words(&mut h, third.clone());
    assert!(h.state().canvas.selection().is_some());
    h.key_press_modifiers(Modifiers::SHIFT, Key::Plus);
    h.run();
    save(&mut h);
    let a = reopen(&article, "tester");
    let span = a.span(&id).expect("one span");
    assert_eq!(
        span.fragments,
        vec![first.clone(), second.clone(), third.clone()]
    );
    assert_eq!(a.spans().len(), 1, "one span, three pieces");
    // The annotation list and the selected span's panel show it as one span with its pieces.
    let shown = "إن اللجنة ستعقد جلسات … لا يتوقع إقرار القانون … حوار مجتمعي حقيقي";
    assert_eq!(h.get_all_by_label(shown).count(), 2);
    // Remove the middle piece.
    h.get_all_by_label("remove")
        .nth(1)
        .expect("a remove button per piece")
        .click();
    h.run();
    save(&mut h);
    let a = reopen(&article, "tester");
    assert_eq!(a.span(&id).unwrap().fragments, vec![first, third]);
}
