//! The open sidecar changed on disk (another program, a git pull): unchanged work is reloaded
//! quietly; with unsaved work the user chooses — keep mine, take theirs, save mine as a copy, or
//! decide later (nothing is written, and the question does not come back until the file changes
//! again or the user saves).

use std::path::Path;

use crate::model::session::DiskState;

use super::Workbench;

impl Workbench {
    /// Compares the open sidecar with the file on disk.
    pub fn check_disk(&mut self) {
        // A draft being typed is unsaved work: it is written to its span first, so that a reload
        // can never put it on another span that happens to have the same id.
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.read_only.is_none() && s.disk_state() != DiskState::Unchanged)
        {
            self.commit_drafts();
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        if session.read_only.is_some() {
            return;
        }
        match session.disk_state() {
            DiskState::Unchanged => {}
            DiskState::Changed if !session.is_dirty() => {
                session.reload_from_disk();
                let why = session.read_only.clone();
                self.conflict_deferred = None;
                self.drop_stale_selection();
                self.last_change_revision =
                    self.session.as_ref().map_or(0, |s| s.editor.revision());
                match why {
                    Some(w) => self.report(format!(
                        "the sidecar changed on disk and cannot be read: {w}"
                    )),
                    None => self.tell("the sidecar changed on disk; reloaded"),
                }
                self.refresh_entry_summary();
            }
            DiskState::Deleted if !session.is_dirty() => {
                let path = session.sidecar_path();
                session.forget_disk_file();
                self.tell(format!(
                    "{} was deleted on disk; your annotations are still here and are written again on the next change",
                    path.display()
                ));
            }
            DiskState::Changed | DiskState::Deleted => {
                let now = session.current_disk_hash();
                // Asked already and told "later": ask again only if the file changed since.
                if self.conflict_deferred.as_ref() == Some(&now) {
                    return;
                }
                self.conflict_deferred = None;
                let path = session.sidecar_path();
                self.dialog = Some(super::Dialog::Conflict { path });
            }
        }
    }

    /// The conflict dialog's body; returns whether it stays open.
    pub(super) fn conflict_dialog_ui(&mut self, ui: &mut egui::Ui, path: &Path) -> bool {
        ui.heading("The annotations changed on disk");
        ui.label(format!(
            "{} was changed by another program (or a git pull) since you opened it. Nothing has been overwritten. What should happen to your unsaved changes?",
            path.display()
        ));
        let mut keep = true;
        ui.horizontal_wrapped(|ui| {
            if ui.button("Keep mine (overwrite the file)").clicked() {
                self.keep_mine();
                keep = false;
            }
            if ui.button("Take theirs (drop my changes)").clicked() {
                self.take_theirs();
                keep = false;
            }
            if ui
                .button("Decide later")
                .on_hover_text(
                    "Keep working; nothing is written until you decide (Ctrl+S asks again)",
                )
                .clicked()
            {
                self.decide_later();
                keep = false;
            }
            if ui.button("Save mine as a copy, take theirs").clicked() {
                if let Some(s) = self.session.as_mut() {
                    match s.save_copy() {
                        Ok(p) => {
                            s.reload_from_disk();
                            self.tell(format!("your version is in {}", p.display()));
                        }
                        Err(e) => self.report(e.to_string()),
                    }
                }
                self.after_conflict();
                keep = false;
            }
        });
        keep
    }

    fn keep_mine(&mut self) {
        self.conflict_deferred = None;
        let Some(s) = self.session.as_mut() else {
            return;
        };
        match s.take_over_disk() {
            // Written like any save, on its thread.
            Ok(()) => {
                self.save_now();
            }
            Err(e) => self.report(e.to_string()),
        }
    }

    fn take_theirs(&mut self) {
        if let Some(s) = self.session.as_mut() {
            s.reload_from_disk();
        }
        self.after_conflict();
    }

    fn decide_later(&mut self) {
        self.conflict_deferred = self.session.as_ref().map(|s| s.current_disk_hash());
        self.tell("nothing is written until you decide: Ctrl+S asks again");
    }

    fn after_conflict(&mut self) {
        self.conflict_deferred = None;
        self.drafts.clear();
        self.selected_span = None;
        self.drop_stale_selection();
        self.last_change_revision = self.session.as_ref().map_or(0, |s| s.editor.revision());
        self.last_change_at = None;
        self.refresh_entry_summary();
    }

    /// Re-reads the open document's sidecar summary for the document list (after a reload or an
    /// overwrite, which are rare; saves update it from memory).
    pub(super) fn refresh_entry_summary(&mut self) {
        let (Some(corpus), Some(i), Some(session)) =
            (self.corpus.as_mut(), self.current, self.session.as_ref())
        else {
            return;
        };
        let Some(entry) = corpus.entries.get_mut(i) else {
            return;
        };
        let summary = crate::model::sidecar::SidecarSummary::of(session.editor.annotations());
        match entry
            .sidecars
            .iter_mut()
            .find(|s| s.annotator == session.annotator)
        {
            Some(info) => info.summary = Ok(summary),
            None => entry.sidecars.push(crate::model::corpus::SidecarInfo {
                annotator: session.annotator.clone(),
                path: session.sidecar_path(),
                summary: Ok(summary),
            }),
        }
    }
}
