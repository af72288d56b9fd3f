//! What the user can do to the open document, as methods the keys, menus and panels share.

use std::ops::Range;

use crate::model::annotation::Target;
use crate::model::{DocStatus, EditError, ReviewState};

use super::{PendingRelation, Workbench};

impl Workbench {
    /// Runs an edit on the open session; refusals become a message, a read-only document refuses.
    pub(super) fn edit<R>(
        &mut self,
        f: impl FnOnce(
            &mut crate::model::session::DocumentSession,
            &crate::model::Schema,
        ) -> Result<R, EditError>,
    ) -> Option<R> {
        let schema = self.schema();
        let session = self.session.as_mut()?;
        if let Some(why) = &session.read_only {
            let msg = format!("read-only: {why}");
            self.tell(msg);
            return None;
        }
        match f(session, &schema) {
            Ok(r) => Some(r),
            Err(e) => {
                self.tell(e.to_string());
                None
            }
        }
    }

    /// Tags the current text selection with `label` (the span becomes selected), or, with no text
    /// selection, gives the selected span that label (a correction, which also accepts it).
    pub fn apply_label(&mut self, label: &str) {
        if let Some(range) = self.canvas.selection() {
            if let Some(id) = self.tag_range(range, label) {
                self.suggest_other_occurrences(&id);
            }
            return;
        }
        if self.selected_other.is_some() {
            // A colleague's span, corrected into mine.
            self.take_selected_other(Some(label));
            return;
        }
        if let Some(id) = self.selected_span.clone() {
            // A correction: the new label, accepted, as one undo step.
            self.edit(|s, schema| {
                s.editor.group(|ed| {
                    ed.relabel_span(schema, &id, label)?;
                    ed.set_review(&id, ReviewState::Accepted)
                })
            });
        } else {
            self.tell(
                "select some text first (drag across it, or Shift+arrows), then press a label key",
            );
        }
    }

    /// Adds a span over `range` with `label`.
    pub fn tag_range(&mut self, range: Range<usize>, label: &str) -> Option<String> {
        // The first span starts the document: both in one undo step.
        let id = self.edit(|s, schema| {
            let doc = s.doc.clone();
            s.editor.group(|ed| {
                let id = ed.add_span(&doc, schema, range, label)?;
                if ed.annotations().status == DocStatus::New {
                    ed.set_status(DocStatus::InProgress)?;
                }
                Ok(id)
            })
        })?;
        self.canvas.set_selection(None);
        self.selected_span = Some(id.clone());
        self.prefs.seen_first_run_hint = true;
        Some(id)
    }

    /// A span the user picked (clicked in the text, a list or a menu): the target of a relation
    /// being drawn, or else the new selection.
    pub fn pick_span(&mut self, id: &str, scroll: bool) {
        self.commit_drafts();
        if let Some(p) = self.pending_relation.take() {
            self.finish_relation(p, id);
            return;
        }
        self.select_span(id, scroll);
    }

    /// Selects a span (and scrolls to it).
    pub fn select_span(&mut self, id: &str, scroll: bool) {
        self.commit_drafts();
        let start = self
            .session
            .as_ref()
            .and_then(|s| s.editor.annotations().span(id))
            .map(|s| s.start);
        if let Some(start) = start {
            self.selected_span = Some(id.to_owned());
            self.selected_other = None;
            self.canvas.set_selection(None);
            if scroll {
                self.canvas.scroll_to_char(start);
            }
        }
    }

    pub fn delete_selected_span(&mut self) {
        if let Some(id) = self.selected_span.take() {
            self.edit(|s, _| s.editor.delete_span(&id));
        }
    }

    /// Accepts or rejects the selected span; when it was a suggestion, moves on to the next one.
    pub fn set_review_of_selected(&mut self, review: ReviewState) {
        let Some(id) = self.selected_span.clone() else {
            return;
        };
        let was_suggested = self
            .session
            .as_ref()
            .and_then(|s| s.editor.annotations().span(&id))
            .is_some_and(|s| s.review == ReviewState::Suggested);
        if self.edit(|s, _| s.editor.set_review(&id, review)).is_some() && was_suggested {
            self.select_next_unreviewed();
        }
    }

    /// Selects the next suggested span after the selected one (wrapping around).
    pub fn select_next_unreviewed(&mut self) {
        match self.next_to_review() {
            Some(super::SpanRef::Mine(id)) => self.select_span(&id, true),
            Some(super::SpanRef::Other(layer, id)) => self.select_other(&layer, &id, true),
            None => {
                self.selected_other = None;
                self.tell("nothing left to review: no suggestions, and every span of the shown layers is decided");
            }
        }
    }

    /// Cycles through the spans that cover the selected span's start (to reach overlapping ones).
    pub fn cycle_overlapping(&mut self) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(sel) = self
            .selected_span
            .as_ref()
            .and_then(|id| session.editor.annotations().span(id))
        else {
            return;
        };
        let here: Vec<String> = session
            .editor
            .annotations()
            .spans_at(sel.start)
            .iter()
            .map(|s| s.id.clone())
            .collect();
        if let Some(i) = here
            .iter()
            .position(|id| Some(id) == self.selected_span.as_ref())
        {
            let next = here[(i + 1) % here.len()].clone();
            self.selected_span = Some(next);
        }
    }

    /// Moves an edge of the selected span by one grapheme (`end`: the logical end, else the start).
    pub fn resize_selected(&mut self, end: bool, grow: bool) {
        let Some(id) = self.selected_span.clone() else {
            return;
        };
        self.edit(|s, schema| {
            let span = s
                .editor
                .annotations()
                .span(&id)
                .cloned()
                .ok_or_else(|| EditError::NoSpan(id.clone()))?;
            let doc = s.doc.clone();
            let step = |pos: usize, forward: bool| {
                use crate::model::segment::Snap;
                if forward {
                    doc.snap_to_grapheme((pos + 1).min(doc.len_chars()), Snap::Forward)
                } else {
                    doc.snap_to_grapheme(pos.saturating_sub(1), Snap::Backward)
                }
            };
            let range = if end {
                span.start..step(span.end, grow)
            } else {
                step(span.start, !grow)..span.end
            };
            s.editor.resize_span(&doc, schema, &id, range)
        });
    }

    /// Starts a relation of `kind` from the selected span; the next span clicked is its target.
    pub fn start_relation(&mut self, kind: &str) {
        match self.selected_span.clone() {
            Some(from) => {
                self.pending_relation = Some(PendingRelation {
                    from,
                    kind: kind.to_owned(),
                });
                self.tell(format!("{kind}: now click the target span (Esc cancels)"));
            }
            None => self.tell("select the source span first, then press the relation key"),
        }
    }

    fn finish_relation(&mut self, p: PendingRelation, to: &str) {
        if self
            .edit(|s, schema| s.editor.add_relation(schema, &p.kind, &p.from, to))
            .is_some()
        {
            self.tell(format!("relation {} added", p.kind));
        }
        self.selected_span = Some(p.from);
    }

    pub fn add_stance(&mut self, target: Target, value: &str) {
        self.edit(|s, schema| {
            s.editor
                .set_doc_label(schema, "stance", value, Some(target), Vec::new())
        });
    }

    pub fn set_doc_status(&mut self, status: DocStatus) {
        if self.edit(|s, _| s.editor.set_status(status)).is_some() {
            self.save_now();
        }
    }

    pub fn undo(&mut self) {
        if let Some(s) = self.session.as_mut() {
            if s.read_only.is_none() && !s.editor.undo() {
                self.tell("nothing to undo");
            }
        }
        self.drop_stale_selection();
    }

    pub fn redo(&mut self) {
        if let Some(s) = self.session.as_mut() {
            if s.read_only.is_none() && !s.editor.redo() {
                self.tell("nothing to redo");
            }
        }
        self.drop_stale_selection();
    }

    /// Forgets a selected span or a relation source that no longer exists (after undo, redo or a
    /// reload).
    pub(super) fn drop_stale_selection(&mut self) {
        let exists = |id: &String| {
            self.session
                .as_ref()
                .is_some_and(|s| s.editor.annotations().span(id).is_some())
        };
        if self.selected_span.as_ref().is_some_and(|id| !exists(id)) {
            self.selected_span = None;
        }
        if self
            .pending_relation
            .as_ref()
            .is_some_and(|p| !exists(&p.from))
        {
            self.pending_relation = None;
        }
        self.highlights_key = None;
    }

    /// Opens the next (or previous) document in the filtered list.
    pub fn step_document(&mut self, forward: bool) {
        let visible = self.visible_documents();
        if visible.is_empty() {
            return;
        }
        let pos = self
            .current
            .and_then(|c| visible.iter().position(|&i| i == c));
        let next = match (pos, forward) {
            (None, _) => visible[0],
            (Some(p), true) => visible[(p + 1).min(visible.len() - 1)],
            (Some(p), false) => visible[p.saturating_sub(1)],
        };
        if Some(next) != self.current {
            self.open_document(next);
        }
    }
}
