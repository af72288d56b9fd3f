//! When the UI hits an internal error (a panic), nothing typed is lost: the frame's panic is
//! caught, the open document's unsaved changes go to a recovery file beside its sidecar
//! (`model::recovery`), and the window says so instead of vanishing. The next time the corpus is
//! opened, the workbench offers to restore that work (or to discard it).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::model::recovery::{self, parse_recovery_path};
use crate::model::Corpus;

use super::{Dialog, Workbench};

/// What happened, and where the unsaved work went.
#[derive(Debug, Clone)]
pub struct Crash {
    pub message: String,
    /// The recovery file written, or why none could be (or `None`: nothing was unsaved).
    pub recovery: Option<Result<PathBuf, String>>,
}

/// Recovery files found when a corpus was opened, and the article whose recovery is to be
/// restored once it is open.
#[derive(Debug, Clone, Default)]
pub struct RecoveryOffers {
    /// (article path relative to the corpus, article path) of this annotator's recovery files.
    pub found: Vec<(String, PathBuf)>,
    pub restore_when_open: Option<PathBuf>,
}

/// The message and place of the last panic, kept by the hook for the window that reports it.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs a panic hook that remembers the message and place (and still prints them).
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = LAST_PANIC.lock() {
            *slot = Some(format!("{}{place}", payload_text(info.payload())));
        }
        default(info);
    }));
}

fn payload_text(payload: &dyn std::any::Any) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_owned())
}

impl Workbench {
    /// A frame panicked: keep the unsaved work, stop writing anything else, tell the user.
    pub(super) fn on_panic(&mut self, payload: &(dyn std::any::Any + Send)) {
        let message = LAST_PANIC
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_else(|| payload_text(payload));
        let recovery = self.write_recovery();
        self.saving = None;
        self.after_save = None;
        self.crashed = Some(Crash { message, recovery });
        if let Some(c) = &self.ctx {
            c.request_repaint();
        }
    }

    /// Writes the open document's unsaved changes (and drafts) to its recovery file.
    pub(super) fn write_recovery(&mut self) -> Option<Result<PathBuf, String>> {
        // Drafts are part of the work; committing them may itself fail after a panic.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.commit_drafts()));
        let session = self.session.as_ref()?;
        if !session.is_dirty() || session.is_viewer() {
            return None;
        }
        Some(
            recovery::write_recovery(
                &session.doc,
                &session.annotator,
                session.editor.annotations(),
            )
            .map_err(|e| e.to_string()),
        )
    }

    /// The only thing drawn after a panic: what happened and where the work is.
    pub(super) fn crashed_ui(&mut self, ui: &mut egui::Ui) {
        let Some(crash) = self.crashed.clone() else {
            return;
        };
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Hashiya hit an internal error");
            ui.label(format!("What happened: {}", crash.message));
            match &crash.recovery {
                Some(Ok(p)) => ui.label(format!(
                    "Your unsaved changes were written to {}. Open the corpus again and Hashiya \
                     offers to restore them.",
                    p.display()
                )),
                Some(Err(e)) => ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("Your unsaved changes could not be written: {e}"),
                ),
                None => ui.label("Nothing was unsaved: all your work is in its files."),
            };
            ui.label("Nothing else is written until you restart. Please report the message above.");
            if ui.button("Quit").clicked() {
                self.allow_close = true;
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }

    /// Lists the recovery files of this annotator in a corpus just opened, and asks.
    pub(super) fn offer_recoveries(&mut self, corpus: &Corpus) {
        let Some(annotator) = self.annotator().map(str::to_owned) else {
            return;
        };
        self.recovery.found = corpus
            .recoveries
            .iter()
            .filter_map(|p| parse_recovery_path(p))
            .filter(|(_, a)| *a == annotator)
            .filter_map(|(article, _)| {
                let rel = corpus
                    .entries
                    .iter()
                    .find(|e| e.path == article)?
                    .relative
                    .clone();
                Some((rel, article))
            })
            .collect();
        if !self.recovery.found.is_empty() && self.dialog.is_none() {
            self.dialog = Some(Dialog::Recover);
        }
    }

    /// The recovery dialog's choice for one article: open it and restore, or discard.
    pub(super) fn recover(&mut self, article: &Path, restore: bool) {
        self.recovery.found.retain(|(_, p)| p != article);
        let Some(annotator) = self.annotator().map(str::to_owned) else {
            return;
        };
        if !restore {
            if let Err(e) = recovery::remove_recovery(article, &annotator) {
                self.report(format!("{}: {e}", article.display()));
            }
            return;
        }
        let index = self
            .corpus
            .as_ref()
            .and_then(|c| c.entries.iter().position(|e| e.path == article));
        if let Some(i) = index {
            self.recovery.restore_when_open = Some(article.to_path_buf());
            if self.current == Some(i) && self.session.is_some() {
                self.restore_if_asked(article);
            } else {
                self.open_document(i);
            }
        }
    }

    /// Once the document to restore is open, its recovered annotations replace what it has (one
    /// undoable change, saved like any other; the recovery file goes once that save is done).
    pub(super) fn restore_if_asked(&mut self, opened: &Path) {
        if self.recovery.restore_when_open.as_deref() != Some(opened) {
            return;
        }
        self.recovery.restore_when_open = None;
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match recovery::read_recovery(&session.doc, &session.annotator) {
            Ok(Some(set)) => {
                session.restore(set);
                let (article, annotator) = (opened.to_path_buf(), session.annotator.clone());
                self.tell("your unsaved work was restored; it is saved in a moment");
                self.when_saved(move |wb| {
                    if let Err(e) = recovery::remove_recovery(&article, &annotator) {
                        wb.report(format!("{}: {e}", article.display()));
                    }
                });
            }
            Ok(None) => {}
            Err(e) => self.report(e.to_string()),
        }
    }

    pub(super) fn recover_dialog_ui(&mut self, ui: &mut egui::Ui) -> bool {
        ui.heading("Unsaved work was recovered");
        ui.label(
            "Hashiya stopped on an internal error while these documents had unsaved changes. \
             They were kept; restore them into your annotations, or discard them.",
        );
        let mut choice = None;
        for (rel, path) in &self.recovery.found {
            ui.horizontal(|ui| {
                ui.add(crate::ui::shaped_label::ShapedLabel::new(rel));
                if ui.button("Restore").clicked() {
                    choice = Some((path.clone(), true));
                }
                if ui.button("Discard").clicked() {
                    choice = Some((path.clone(), false));
                }
            });
        }
        let later = ui
            .button("Later")
            .on_hover_text("Keep the files; you are asked again next time")
            .clicked();
        if let Some((path, restore)) = choice {
            self.recover(&path, restore);
            // Restoring opens the document: the rest is asked another time.
            return !restore && !self.recovery.found.is_empty();
        }
        !later && !self.recovery.found.is_empty()
    }
}
