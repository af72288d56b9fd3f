//! The menu bar, native file dialogs (run off the UI thread) and files dropped on the window.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::model::DocStatus;

use super::{Dialog, Workbench};

/// A dialog that returns faster than this was not shown at all (no portal, no desktop).
const DIALOG_FAILED_WITHIN: Duration = Duration::from_millis(300);

impl Workbench {
    pub(super) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .button("Open folder…")
                    .on_hover_text("Open a corpus folder")
                    .clicked()
                {
                    self.start_file_dialog(true);
                }
                if ui
                    .button("Open file…")
                    .on_hover_text("Open one article")
                    .clicked()
                {
                    self.start_file_dialog(false);
                }
                if ui
                    .button("Open path…")
                    .on_hover_text("Type the path of a folder or article")
                    .clicked()
                {
                    self.dialog = Some(Dialog::OpenPath {
                        text: String::new(),
                        note: None,
                    });
                }
                ui.menu_button("Recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.label("(none yet)");
                    }
                    for p in self.prefs.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.open_path(&p);
                        }
                    }
                });
                ui.separator();
                if ui
                    .button("Import…")
                    .on_hover_text("Import brat, CoNLL/BIO, doccano, Label Studio, token JSONL or CSV into a corpus")
                    .clicked()
                {
                    self.open_import_form();
                }
                if ui
                    .button("Export…")
                    .on_hover_text("Export this corpus for training or for another tool")
                    .clicked()
                {
                    self.open_export_form();
                }
                ui.separator();
                if ui
                    .button("Save  (Ctrl+S)")
                    .on_hover_text("Save this document's annotations now")
                    .clicked()
                {
                    self.save_now();
                }
                if ui
                    .button("Change annotator…")
                    .on_hover_text("Annotate as someone else")
                    .clicked()
                {
                    self.dialog = Some(Dialog::annotator_prompt());
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.quit();
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui.button("Undo  (Ctrl+Z)").clicked() {
                    self.undo();
                }
                if ui.button("Redo  (Ctrl+Shift+Z)").clicked() {
                    self.redo();
                }
                if ui.button("Find…  (Ctrl+F)").clicked() {
                    self.search.open = true;
                    self.search.focus_query = true;
                }
            });
            ui.menu_button("Document", |ui| {
                for status in DocStatus::ALL {
                    if ui
                        .button(format!("Mark {}", status.name().replace('_', " ")))
                        .clicked()
                    {
                        self.set_doc_status(status);
                    }
                }
                ui.separator();
                if ui.button("Next document  (Ctrl+PageDown)").clicked() {
                    self.step_document(true);
                }
                if ui.button("Previous document  (Ctrl+PageUp)").clicked() {
                    self.step_document(false);
                }
                if ui.button("Next unreviewed span  (.)").clicked() {
                    self.select_next_unreviewed();
                }
                ui.separator();
                let names = self.layer_names();
                if ui
                    .add_enabled(names.len() >= 2, egui::Button::new("Compare layers…"))
                    .on_hover_text("Mark where two layers agree and differ, and walk the differences")
                    .on_disabled_hover_text("This document has only one layer")
                    .clicked()
                {
                    self.start_compare(&names[0], &names[1]);
                }
                if ui
                    .add_enabled(
                        self.session.is_some() && !self.is_suggesting(),
                        egui::Button::new("Suggest…"),
                    )
                    .on_hover_text(
                        "Suggested spans for this document or the whole corpus, learned from \
                         finished work, a gazetteer or your model command",
                    )
                    .clicked()
                {
                    self.open_suggest_dialog();
                }
                if self.is_suggesting() && ui.button("Stop suggesting").clicked() {
                    self.stop_suggesting();
                }
                if self.is_curating() {
                    if ui.button("Stop curating").clicked() {
                        self.stop_curation();
                    }
                } else if ui
                    .add_enabled(self.session.is_some(), egui::Button::new("Curate…"))
                    .on_hover_text(
                        "Build the gold layer from the annotators' layers: agreed units merged, \
                         the disagreements decided one by one",
                    )
                    .clicked()
                {
                    self.open_curate_dialog();
                }
            });
            ui.menu_button("Corpus", |ui| {
                if ui
                    .add_enabled(self.corpus.is_some(), egui::Button::new("Overview…"))
                    .on_hover_text(
                        "Documents by status per annotator, spans per label, span and article \
                         lengths",
                    )
                    .clicked()
                {
                    self.open_dashboard();
                }
                if ui
                    .add_enabled(self.corpus.is_some(), egui::Button::new("Agreement…"))
                    .on_hover_text(
                        "How well the annotators agree: pairs, labels, confusions, and the \
                         documents of lowest agreement",
                    )
                    .clicked()
                {
                    self.open_agreement();
                }
            });
            ui.menu_button("View", |ui| {
                let mut live = !self.prefs.live_suggestions_off;
                if ui
                    .checkbox(&mut live, "Suggest other occurrences as I tag")
                    .changed()
                {
                    self.prefs.live_suggestions_off = !live;
                }
                let mut dark = self.prefs.dark;
                if ui.checkbox(&mut dark, "Dark theme").changed() {
                    self.prefs.dark = dark;
                }
                if ui.button("Larger text").clicked() {
                    self.canvas.settings.font_size =
                        (self.canvas.settings.font_size + 2.0).min(64.0);
                }
                if ui.button("Smaller text").clicked() {
                    self.canvas.settings.font_size =
                        (self.canvas.settings.font_size - 2.0).max(10.0);
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  (F1)").clicked() {
                    self.show_help = true;
                }
            });
        });
    }

    /// Shows a native file dialog on another thread (it blocks while open).
    fn start_file_dialog(&mut self, folder: bool) {
        let (tx, rx) = std::sync::mpsc::channel();
        let start_dir = self.corpus.as_ref().map(|c| c.root.clone());
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                d = d.set_directory(dir);
            }
            let picked = if folder {
                d.pick_folder()
            } else {
                d.add_filter("Articles", &["txt"]).pick_file()
            };
            let _ = tx.send(picked);
        });
        self.file_dialog = Some(rx);
        self.file_dialog_started = Some(Instant::now());
    }

    pub(super) fn poll_file_dialog(&mut self) {
        let Some(rx) = &self.file_dialog else { return };
        match rx.try_recv() {
            Ok(Some(path)) => {
                self.file_dialog = None;
                self.open_path(&path);
            }
            Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.file_dialog = None;
                let quick = self
                    .file_dialog_started
                    .is_some_and(|t| t.elapsed() < DIALOG_FAILED_WITHIN);
                if quick {
                    self.dialog = Some(Dialog::OpenPath {
                        text: String::new(),
                        note: Some(
                            "No native file dialog could be shown here; type the path instead."
                                .into(),
                        ),
                    });
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.open_path(&p);
        }
    }
}
