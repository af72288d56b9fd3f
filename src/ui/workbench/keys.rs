//! Keyboard shortcuts of the workbench (the F1 sheet lists them all; keep the two in step).

use egui::{Event, Key, Modifiers};

use crate::model::ReviewState;

use super::Workbench;

/// Every shortcut, for the help sheet: (keys, what they do).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("drag / double-click", "select words (snaps to whole words)"),
    (
        "Alt + drag",
        "select characters exactly (to leave a clitic such as wa- or bi- out of a name)",
    ),
    (
        "Shift + <- ->",
        "extend the text selection; with a span selected: move its end (in Arabic, left is forward)",
    ),
    (
        "Ctrl + Shift + <- ->",
        "with a span selected: move its start",
    ),
    (
        "label key (P, O, L, G, …)",
        "tag the selection; with a span selected: change its label",
    ),
    ("click a span", "select it"),
    (
        "Ctrl + drag (a span selected)",
        "add the dragged text to the span as another piece (a discontinuous span)",
    ),
    (
        "+ (after selecting text)",
        "add the selected text as a piece of the span selected before",
    ),
    ("Tab", "next span overlapping the selected one"),
    ("Delete", "delete the selected span"),
    (
        "Enter",
        "accept the selected suggestion, go to the next one",
    ),
    ("-", "reject the selected suggestion, go to the next one"),
    (".", "next unreviewed (suggested) span"),
    (
        "relation key (A, B, S)",
        "start a relation from the selected span; then click the target",
    ),
    ("Esc", "cancel a relation, clear the selection"),
    ("Ctrl + Z", "undo"),
    ("Ctrl + Shift + Z, Ctrl + Y", "redo"),
    (
        "Ctrl + S",
        "save now (changes are also saved by themselves)",
    ),
    ("Ctrl + F", "search in this document or the corpus"),
    ("] / [", "Compare view: next / previous difference; curating: next / previous open unit"),
    ("1-9 / 0", "Curating: pick a variant / reject them all (Tab: the variant a label key corrects)"),
    ("Ctrl + PageDown / PageUp", "next / previous document"),
    ("Ctrl + wheel, Ctrl + + / −", "zoom the text"),
    ("F1 or ?", "this sheet"),
];

/// Takes a key press out of this frame's input if its modifiers are exactly these (Ctrl and the
/// platform's command key count as one).
fn take(ctx: &egui::Context, key: Key, modifiers: Modifiers) -> bool {
    let want_ctrl = modifiers.ctrl || modifiers.command;
    ctx.input_mut(|i| {
        let before = i.events.len();
        i.events.retain(|e| {
            !matches!(e, Event::Key { key: k, pressed: true, modifiers: m, .. }
                if *k == key && (m.ctrl || m.command) == want_ctrl && m.shift == modifiers.shift && m.alt == modifiers.alt)
        });
        i.events.len() != before
    })
}

/// Takes a typed character (e.g. `?`) out of this frame's input.
fn take_text(ctx: &egui::Context, text: &str) -> bool {
    ctx.input_mut(|i| {
        let before = i.events.len();
        i.events
            .retain(|e| !matches!(e, Event::Text(t) if t == text));
        i.events.len() != before
    })
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Workbench {
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        let ctrl = CTRL;
        // Work keys first: they hold even while typing in a field.
        if take(ctx, Key::S, ctrl) {
            self.save_now();
        }
        if take(ctx, Key::F, ctrl) {
            self.search.open = true;
            self.search.focus_query = true;
        }
        if take(ctx, Key::PageDown, ctrl) {
            self.step_document(true);
        }
        if take(ctx, Key::PageUp, ctrl) {
            self.step_document(false);
        }
        if take(ctx, Key::F1, Modifiers::NONE) {
            self.show_help = !self.show_help;
        }
        if ctx.text_edit_focused() {
            return;
        }
        if take(ctx, Key::Z, CTRL_SHIFT) || take(ctx, Key::Y, ctrl) {
            self.redo();
        }
        if take(ctx, Key::Z, ctrl) {
            self.undo();
        }
        if self.canvas.selection().is_some()
            && (take(ctx, Key::Plus, Modifiers::NONE)
                || take(ctx, Key::Plus, Modifiers::SHIFT)
                || take_text(ctx, "+"))
        {
            let _ = take_text(ctx, "+");
            self.add_selection_as_piece();
        }
        if self.compare.is_some() {
            if take_text(ctx, "]") {
                self.step_difference(true);
            }
            if take_text(ctx, "[") {
                self.step_difference(false);
            }
        } else if self.curation.is_some() && self.curation_keys(ctx) {
            return;
        }
        if take_text(ctx, "?") {
            self.show_help = !self.show_help;
        }
        if take(ctx, Key::Escape, Modifiers::NONE) {
            if self.pending_relation.take().is_some() {
                self.tell("relation cancelled");
            } else if self.show_help {
                self.show_help = false;
            } else {
                self.selected_span = None;
                self.selected_other = None;
                self.canvas.set_selection(None);
            }
        }
        if self.selected_other.is_some() && self.canvas.selection().is_none() {
            if take(ctx, Key::Enter, Modifiers::NONE) {
                self.take_selected_other(None);
            }
            if take(ctx, Key::Minus, Modifiers::NONE) || take_text(ctx, "-") {
                self.reject_selected_other();
            }
        }
        let span_selected = self.selected_span.is_some() && self.canvas.selection().is_none();
        if span_selected {
            // Arrows point the way the text reads: in Arabic, left is forward.
            let (forward, backward) = if self.selected_span_is_rtl() {
                (Key::ArrowLeft, Key::ArrowRight)
            } else {
                (Key::ArrowRight, Key::ArrowLeft)
            };
            if take(ctx, forward, Modifiers::SHIFT) {
                self.resize_selected(true, true);
            }
            if take(ctx, backward, Modifiers::SHIFT) {
                self.resize_selected(true, false);
            }
            if take(ctx, forward, CTRL_SHIFT) {
                self.resize_selected(false, false);
            }
            if take(ctx, backward, CTRL_SHIFT) {
                self.resize_selected(false, true);
            }
            if take(ctx, Key::Delete, Modifiers::NONE) || take(ctx, Key::Backspace, Modifiers::NONE)
            {
                self.delete_selected_span();
            }
            if take(ctx, Key::Enter, Modifiers::NONE) {
                self.set_review_of_selected(ReviewState::Accepted);
            }
            if take(ctx, Key::Minus, Modifiers::NONE) || take_text(ctx, "-") {
                self.set_review_of_selected(ReviewState::Rejected);
            }
            if take(ctx, Key::Tab, Modifiers::NONE) {
                self.cycle_overlapping();
            }
        }
        if take(ctx, Key::Period, Modifiers::NONE) || take_text(ctx, ".") {
            self.select_next_unreviewed();
        }
        self.letter_keys(ctx, span_selected);
    }

    /// Is the paragraph of the selected span laid out right to left?
    fn selected_span_is_rtl(&self) -> bool {
        let Some(session) = self.session.as_ref() else {
            return true;
        };
        let Some(span) = self
            .selected_span
            .as_ref()
            .and_then(|id| session.editor.annotations().span(id))
        else {
            return true;
        };
        let doc = &session.doc;
        let p = doc.paragraphs().paragraph_at_char(span.start);
        let text = doc
            .paragraphs()
            .get(p)
            .map_or("", |p| doc.paragraph_text(p));
        crate::text::direction::paragraph_direction(text).is_rtl()
    }

    /// While curating, with no text selected and no span of the gold layer selected: `]` and `[`
    /// walk the units, `1`-`9` pick a variant, `0` rejects them all, Tab moves the variant a
    /// label key corrects. `true` when a key was used.
    fn curation_keys(&mut self, ctx: &egui::Context) -> bool {
        if take_text(ctx, "]") {
            self.step_unit(true);
            return true;
        }
        if take_text(ctx, "[") {
            self.step_unit(false);
            return true;
        }
        if self.canvas.selection().is_some() || self.selected_span.is_some() {
            return false;
        }
        const DIGITS: [Key; 10] = [
            Key::Num0,
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        for (d, key) in DIGITS.into_iter().enumerate() {
            if take(ctx, key, Modifiers::NONE) {
                let _ = take_text(ctx, &d.to_string());
                self.decide_unit(if d == 0 {
                    crate::model::curation::Decision::RejectAll
                } else {
                    crate::model::curation::Decision::Pick(d - 1)
                });
                return true;
            }
        }
        if take(ctx, Key::Tab, Modifiers::NONE) {
            self.cycle_variant();
            return true;
        }
        false
    }

    /// Label hotkeys, and relation hotkeys while a span is selected.
    fn letter_keys(&mut self, ctx: &egui::Context, span_selected: bool) {
        let schema = self.schema();
        if span_selected {
            for rel in &schema.relation_types {
                if let Some(key) = hotkey(&rel.hotkey) {
                    if take(ctx, key, Modifiers::NONE) {
                        self.start_relation(&rel.name);
                        return;
                    }
                }
            }
        }
        for label in &schema.span_labels {
            if let Some(key) = hotkey(&label.hotkey) {
                if take(ctx, key, Modifiers::NONE) || take(ctx, key, Modifiers::SHIFT) {
                    // The typed letter would otherwise arrive as text too.
                    let lower = label.hotkey.to_lowercase();
                    let _ = take_text(ctx, &lower) || take_text(ctx, &label.hotkey.to_uppercase());
                    let correcting = !span_selected && self.canvas.selection().is_none();
                    if !(correcting && self.correct_unit(&label.name)) {
                        self.apply_label(&label.name);
                    }
                    return;
                }
            }
        }
    }
}

/// The egui key of a schema hotkey (one letter or digit).
pub fn hotkey(s: &str) -> Option<Key> {
    let c = s.chars().next()?;
    if c.is_ascii_digit() {
        Key::from_name(&format!("{c}"))
    } else {
        Key::from_name(&c.to_ascii_uppercase().to_string())
    }
}
