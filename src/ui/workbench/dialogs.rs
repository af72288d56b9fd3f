//! Modal dialogs (annotator name, typed path, a sidecar changed on disk, tag-all confirmation),
//! the shortcut sheet and the error list.

use std::ops::Range;
use std::path::PathBuf;

use egui::RichText;

use crate::model::sidecar::valid_annotator;
use crate::ui::shaped_label::ShapedLabel;

use super::keys::SHORTCUTS;
use super::Workbench;

#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Who is annotating (asked once, remembered).
    Annotator { text: String },
    /// A path typed by hand (when no native dialog can be shown, or by choice).
    OpenPath { text: String, note: Option<String> },
    /// The open document's sidecar changed on disk (or vanished) while we had changes.
    Conflict { path: PathBuf },
    /// Recovery files of unsaved work (after a crash): restore or discard each.
    Recover,
    /// Closing, but the last changes could not be written (see the problems window).
    CloseUnsaved,
    /// Occurrences to tag, each with a check box.
    TagAll {
        label: String,
        items: Vec<(Range<usize>, String, bool)>,
    },
    /// Documents of the corpus to tag the occurrences in, each with a check box.
    TagAllCorpus {
        label: String,
        docs: Vec<super::tag_all_corpus::DocumentOccurrences>,
    },
    /// What to suggest from (Document ▸ Suggest…).
    Suggest(super::suggest::SuggestForm),
    /// Which layers to curate, and into which layer.
    Curate {
        into: String,
        layers: Vec<(String, bool)>,
    },
}

impl Dialog {
    pub fn annotator_prompt() -> Self {
        Dialog::Annotator {
            text: String::new(),
        }
    }
}

impl Workbench {
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        self.help_ui(ctx);
        self.errors_ui(ctx);
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut keep = true;
        egui::Modal::new(egui::Id::unique("hashiya-dialog")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match &mut dialog {
                Dialog::Annotator { text } => {
                    ui.heading("Who is annotating?");
                    ui.label("Your name goes into the file names of your annotations (letters, digits, _ or -). It is asked once and remembered.");
                    let l = ui.label("Annotator");
                    let r = ui.add(egui::TextEdit::singleline(text).hint_text("e.g. layla")).labelled_by(l.id);
                    // The field has the keyboard from the start (asked once: asking every frame
                    // would keep the window busy).
                    if !r.has_focus() && !r.lost_focus() && ui.memory(|m| m.focused().is_none()) {
                        r.request_focus();
                    }
                    let ok = valid_annotator(text.trim());
                    let enter = (r.lost_focus() || r.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if !text.is_empty() && !ok {
                        ui.colored_label(ui.visuals().error_fg_color, "1-64 letters, digits, _ or -");
                    }
                    ui.horizontal(|ui| {
                        if (ui.add_enabled(ok, egui::Button::new("Start")).clicked() || enter) && ok {
                            let name = text.trim().to_owned();
                            self.set_annotator(name);
                            keep = false;
                        }
                        if self.prefs.annotator.is_some()
                            && (ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)))
                        {
                            keep = false;
                        }
                    });
                }
                Dialog::OpenPath { text, note } => {
                    ui.heading("Open a corpus folder or an article");
                    if let Some(n) = note {
                        ui.label(n.as_str());
                    }
                    let l = ui.label("Path");
                    let r = ui.add(egui::TextEdit::singleline(text).hint_text("/path/to/corpus").desired_width(400.0)).labelled_by(l.id);
                    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        if ui.button("Open").clicked() || enter {
                            let p = PathBuf::from(text.trim());
                            self.open_path(&p);
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Conflict { path } if self.session.as_ref().is_none_or(|s| s.sidecar_path() != *path) => {
                    // The document it was about is no longer open.
                    keep = false;
                }
                Dialog::Conflict { path } => {
                    let path = path.clone();
                    keep = self.conflict_dialog_ui(ui, &path);
                }
                Dialog::Recover => {
                    keep = self.recover_dialog_ui(ui);
                }
                Dialog::Suggest(form) => {
                    keep = self.suggest_dialog_ui(ui, form);
                }
                Dialog::Curate { into, layers } => {
                    keep = self.curate_dialog_ui(ui, into, layers);
                }
                Dialog::CloseUnsaved => {
                    ui.heading("Your last changes are not saved");
                    ui.label("They could not be written (the Problems window says why). Free the disk or fix the folder's permissions and try again, or quit without them.");
                    ui.horizontal(|ui| {
                        if ui.button("Try again").clicked() {
                            keep = false;
                            self.quit();
                        }
                        if ui.button("Quit without them").clicked() {
                            keep = false;
                            self.allow_close = true;
                            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::TagAllCorpus { label, docs } => {
                    let label = label.clone();
                    keep = self.tag_all_corpus_dialog_ui(ui, &label, docs);
                }
                Dialog::TagAll { label, items } => {
                    ui.heading(format!("Tag {} occurrence(s) as {label}?", items.iter().filter(|i| i.2).count()));
                    ui.label("Attached clitics (wa, fa, bi, li, ka and the article al) stay outside the spans. Untick any you do not want.");
                    egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                        for (k, (_, line, on)) in items.iter_mut().enumerate() {
                            ui.horizontal(|ui| {
                                ui.checkbox(on, format!("#{}", k + 1));
                                ui.add(ShapedLabel::new(line));
                            });
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.button("Tag them").clicked() {
                            let ranges: Vec<Range<usize>> = items.iter().filter(|i| i.2).map(|i| i.0.clone()).collect();
                            let l = label.clone();
                            self.tag_all(&l, &ranges);
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
            }
        });
        if keep && self.dialog.is_none() {
            self.dialog = Some(dialog);
        } else {
            // The dialog closed: whatever it did may have changed the annotations.
            self.drop_stale_selection();
        }
    }

    /// Remembers the annotator and opens the current document (again) as theirs, once the open
    /// one is saved.
    pub fn set_annotator(&mut self, name: String) {
        self.when_saved(move |wb| {
            wb.prefs.annotator = Some(name);
            if let Some(c) = wb.corpus.clone() {
                // Their recovery files, if a crash left some.
                wb.offer_recoveries(&c);
            }
            match wb.current {
                Some(i) => wb.start_opening_document(i),
                None if wb.opening.is_none()
                    && wb.corpus.as_ref().is_some_and(|c| !c.entries.is_empty()) =>
                {
                    wb.start_opening_document(0);
                }
                // No document, or the corpus is still being read: it opens as theirs once it is
                // there.
                None => {}
            }
        });
    }

    fn help_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(*keys).strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        self.show_help = open;
    }

    fn errors_ui(&mut self, ctx: &egui::Context) {
        if self.errors.is_empty() {
            return;
        }
        let mut clear = false;
        egui::Window::new("Problems")
            .collapsible(true)
            .default_width(520.0)
            .show(ctx, |ui| {
                for e in &self.errors {
                    ui.label(RichText::new(e).color(ui.visuals().warn_fg_color));
                }
                if ui.button("Dismiss").clicked() {
                    clear = true;
                }
            });
        if clear {
            self.errors.clear();
        }
    }
}
