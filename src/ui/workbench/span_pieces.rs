//! Discontinuous spans from the mouse and the keyboard: a claim interrupted by its attribution
//! ("الاقتصاد، قال الوزير، سينمو 5%") is one span of two pieces. With a span selected, Ctrl+drag
//! across more text adds it as a piece; or select the text and press `+` to add it to the span
//! selected last. Each piece can be removed; lists show the pieces as one span, joined by " … ".

use std::ops::Range;

use egui::RichText;

use crate::model::{Document, Span};
use crate::ui::shaped_label::ShapedLabel;

use super::Workbench;

/// A span's text as lists show it: its pieces joined by " … " (one piece: its text).
pub fn display_text(doc: &Document, span: &Span) -> String {
    if !span.is_discontinuous() {
        return span.text.clone();
    }
    span.pieces()
        .iter()
        .filter_map(|p| doc.slice(p.clone()))
        .collect::<Vec<_>>()
        .join(" … ")
}

impl Workbench {
    /// Adds `range` as another piece of span `id` (one undoable step) and keeps it selected.
    pub fn add_piece(&mut self, id: &str, range: Range<usize>) {
        let done = self.edit(|s, schema| {
            let doc = s.doc.clone();
            s.editor.add_piece(&doc, schema, id, range)
        });
        if done.is_some() {
            self.canvas.set_selection(None);
            self.select_span(id, false);
            self.tell("piece added: the span is discontinuous now");
        }
    }

    /// `+` after a text selection: the selection becomes a piece of the span selected last.
    pub(super) fn add_selection_as_piece(&mut self) {
        let (Some(range), Some(id)) = (self.canvas.selection(), self.piece_target.clone()) else {
            self.tell("select a span, then select more text (or Ctrl+drag across it) and press +");
            return;
        };
        self.add_piece(&id, range);
    }

    /// The pieces of the selected span, each with a button that removes it.
    pub(super) fn pieces_ui(&mut self, ui: &mut egui::Ui, span: &Span) {
        let Some(doc) = self.session.as_ref().map(|s| s.doc.clone()) else {
            return;
        };
        let pieces = span.pieces();
        if pieces.len() < 2 {
            ui.label(
                RichText::new("Ctrl+drag across more text to add a piece (a discontinuous span).")
                    .small()
                    .weak(),
            );
            return;
        }
        ui.label(format!("{} pieces:", pieces.len()));
        let mut remove = None;
        for (k, p) in pieces.iter().enumerate() {
            ui.horizontal(|ui| {
                if ui
                    .small_button("remove")
                    .on_hover_text(format!("Remove piece {} ({}..{})", k + 1, p.start, p.end))
                    .clicked()
                {
                    remove = Some(k);
                }
                ui.add(ShapedLabel::new(doc.slice(p.clone()).unwrap_or("")).wrap_width(220.0));
            });
        }
        if let Some(k) = remove {
            let id = span.id.clone();
            self.edit(|s, schema| {
                let doc = s.doc.clone();
                s.editor.remove_piece(&doc, schema, &id, k)
            });
        }
    }
}
