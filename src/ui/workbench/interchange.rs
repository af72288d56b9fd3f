//! File ▸ Import and File ▸ Export: the same conversions as `hashiya import` / `hashiya export`,
//! with their options, run on a background thread with a progress bar and a closing summary.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver};
use std::time::Instant;

use egui::RichText;

use crate::formats::driver::{export_corpus, import_into_corpus, Stage};
use crate::formats::report::Report;
use crate::formats::{ExportOptions, Format, ImportOptions, OffsetUnit, TagScheme};
use crate::model::DocStatus;

use super::Workbench;

/// The import or export form being filled in.
#[derive(Debug, Clone)]
pub enum InterchangeForm {
    Import {
        format: Format,
        source: String,
        corpus: String,
        annotator: String,
        utf16: bool,
    },
    Export {
        format: Format,
        out: String,
        annotator: String,
        statuses: [bool; 4],
        scheme: TagScheme,
        utf16: bool,
    },
}

enum JobMessage {
    Progress(Stage, usize, usize),
    Done(Result<Report, String>),
}

/// A conversion running on another thread.
pub struct Job {
    title: String,
    rx: Receiver<JobMessage>,
    progress: (Stage, usize, usize),
    started: Instant,
    /// Corpus folder to (re)open when an import ends.
    reopen: Option<PathBuf>,
}

/// What the last conversion did.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub title: String,
    pub result: Result<Report, String>,
}

fn format_combo(ui: &mut egui::Ui, id: &str, format: &mut Format, exporting: bool) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(format.name())
        .show_ui(ui, |ui| {
            for f in Format::ALL {
                // Classification CSV/JSONL exports datasets; they are not read back as corpora.
                if !exporting && matches!(f, Format::StanceJsonl | Format::ClaimsJsonl) {
                    continue;
                }
                ui.selectable_value(format, f, f.name());
            }
        })
        .response
        .on_hover_text("The format of the other tool's files");
}

/// One row of a form grid: a label and the text field it names.
fn text_row(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str, width: f32) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(l.id);
    ui.end_row();
}

/// The doccano offset-unit row.
fn offsets_row(ui: &mut egui::Ui, utf16: &mut bool) {
    ui.label("Offsets");
    ui.checkbox(
        utf16,
        "UTF-16 units (doccano's own; untick for code points)",
    );
    ui.end_row();
}

fn scheme_name(s: TagScheme) -> &'static str {
    match s {
        TagScheme::Iob1 => "IOB1",
        TagScheme::Iob2 => "IOB2 (BIO)",
        TagScheme::Bioes => "BIOES",
        TagScheme::Bilou => "BILOU",
    }
}

impl Workbench {
    pub fn open_import_form(&mut self) {
        let corpus = self
            .corpus
            .as_ref()
            .map(|c| c.root.display().to_string())
            .unwrap_or_default();
        self.interchange = Some(InterchangeForm::Import {
            format: Format::Brat,
            source: String::new(),
            corpus,
            annotator: "imported".into(),
            utf16: true,
        });
    }

    pub fn open_export_form(&mut self) {
        let out = self
            .corpus
            .as_ref()
            .map(|c| c.root.with_extension("export").display().to_string())
            .unwrap_or_default();
        self.interchange = Some(InterchangeForm::Export {
            format: Format::Conll,
            out,
            annotator: self.prefs.annotator.clone().unwrap_or_default(),
            statuses: [false, false, true, true],
            scheme: TagScheme::Iob2,
            utf16: true,
        });
    }

    /// The form, the progress of a running job, and the summary of the last one.
    pub(super) fn interchange_ui(&mut self, ctx: &egui::Context) {
        self.poll_job(ctx);
        if let Some(job) = &self.job {
            egui::Window::new("Converting")
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.label(&job.title);
                    let (stage, done, total) = job.progress;
                    ui.label(match stage {
                        Stage::Reading => "reading the other tool's files",
                        Stage::Writing => "writing articles and sidecars",
                        Stage::Exporting => "exporting documents",
                    });
                    let frac = if total == 0 {
                        0.0
                    } else {
                        done as f32 / total as f32
                    };
                    ui.add(
                        egui::ProgressBar::new(frac)
                            .show_percentage()
                            .text(format!("{done} / {total}")),
                    );
                    ui.label(
                        RichText::new(format!("{:.0} s", job.started.elapsed().as_secs_f32()))
                            .small()
                            .weak(),
                    );
                });
        }
        if let Some(outcome) = self.job_outcome.clone() {
            let mut open = true;
            egui::Window::new(outcome.title.as_str())
                .open(&mut open)
                .default_width(560.0)
                .show(ctx, |ui| match &outcome.result {
                    Ok(report) => {
                        ui.label(report.summary());
                        egui::ScrollArea::vertical()
                            .max_height(260.0)
                            .show(ui, |ui| {
                                for issue in &report.issues {
                                    ui.label(RichText::new(issue.to_string()).small());
                                }
                            });
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                });
            if !open {
                self.job_outcome = None;
            }
        }
        let Some(mut form) = self.interchange.take() else {
            return;
        };
        // Who already has sidecars in the open corpus (to warn before an import replaces them).
        let (open_root, existing_annotators) = self
            .corpus
            .as_ref()
            .map(|c| (c.root.display().to_string(), c.annotators()))
            .unwrap_or_default();
        let mut keep = true;
        let mut start = false;
        egui::Modal::new(egui::Id::unique("hashiya-interchange")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            match &mut form {
                InterchangeForm::Import {
                    format,
                    source,
                    corpus,
                    annotator,
                    utf16,
                } => {
                    ui.heading("Import annotations from another tool");
                    egui::Grid::new("import-grid")
                        .num_columns(2)
                        .show(ui, |ui| {
                            ui.label("Format");
                            format_combo(ui, "import-format", format, false);
                            ui.end_row();
                            text_row(
                                ui,
                                "From",
                                source,
                                "a file or folder of the other tool",
                                360.0,
                            );
                            text_row(
                                ui,
                                "Into corpus",
                                corpus,
                                "corpus folder (created if needed)",
                                360.0,
                            );
                            text_row(ui, "As annotator", annotator, "", 160.0);
                            if corpus.trim() == open_root && existing_annotators.iter().any(|a| a == annotator.trim()) {
                                ui.label("");
                                ui.colored_label(
                                    ui.visuals().warn_fg_color,
                                    "this annotator already has sidecars here: imported documents replace theirs",
                                );
                                ui.end_row();
                            }
                            if *format == Format::Doccano {
                                offsets_row(ui, utf16);
                            }
                        });
                }
                InterchangeForm::Export {
                    format,
                    out,
                    annotator,
                    statuses,
                    scheme,
                    utf16,
                } => {
                    ui.heading("Export the corpus");
                    egui::Grid::new("export-grid")
                        .num_columns(2)
                        .show(ui, |ui| {
                            ui.label("Format");
                            format_combo(ui, "export-format", format, true);
                            ui.end_row();
                            let hint = if format.exports_folder() {
                                "a folder"
                            } else {
                                "a file"
                            };
                            text_row(ui, "To", out, hint, 360.0);
                            text_row(
                                ui,
                                "Annotator",
                                annotator,
                                "empty: each document's first",
                                160.0,
                            );
                            ui.label("Documents");
                            ui.horizontal(|ui| {
                                for (k, st) in DocStatus::ALL.iter().enumerate() {
                                    ui.checkbox(&mut statuses[k], st.name().replace('_', " "));
                                }
                            });
                            ui.end_row();
                            if matches!(format, Format::Conll | Format::TokenJsonl) {
                                ui.label("Tag scheme");
                                egui::ComboBox::from_id_salt("export-scheme")
                                    .selected_text(scheme_name(*scheme))
                                    .show_ui(ui, |ui| {
                                        for s in [
                                            TagScheme::Iob1,
                                            TagScheme::Iob2,
                                            TagScheme::Bioes,
                                            TagScheme::Bilou,
                                        ] {
                                            ui.selectable_value(scheme, s, scheme_name(s));
                                        }
                                    })
                                    .response
                                    .on_hover_text("How entity tokens are tagged");
                                ui.end_row();
                            }
                            if *format == Format::Doccano {
                                offsets_row(ui, utf16);
                            }
                        });
                }
            }
            ui.horizontal(|ui| {
                if ui
                    .button("Start")
                    .on_hover_text("Run the conversion in the background")
                    .clicked()
                {
                    start = true;
                    keep = false;
                }
                if ui.button("Cancel").clicked() {
                    keep = false;
                }
            });
        });
        if start {
            self.start_job(form.clone());
        }
        if keep {
            self.interchange = Some(form);
        }
    }

    /// Starts the conversion once the open document is saved (it reads the files on disk).
    fn start_job(&mut self, form: InterchangeForm) {
        if self.job.is_some() {
            self.tell("a conversion is already running");
            return;
        }
        self.when_saved(move |wb| wb.start_job_now(form));
    }

    fn start_job_now(&mut self, form: InterchangeForm) {
        let corpus_root = self.corpus.as_ref().map(|c| c.root.clone());
        let (tx, rx) = channel();
        let (title, reopen) = match &form {
            InterchangeForm::Import {
                format,
                source,
                corpus,
                ..
            } => (
                format!("Import {} from {source}", format.name()),
                Some(PathBuf::from(corpus.trim())),
            ),
            InterchangeForm::Export { format, out, .. } => {
                (format!("Export {} to {out}", format.name()), None)
            }
        };
        std::thread::spawn(move || {
            let mut progress = |stage: Stage, done: usize, total: usize| {
                let _ = tx.send(JobMessage::Progress(stage, done, total));
            };
            let result = match form {
                InterchangeForm::Import {
                    format,
                    source,
                    corpus,
                    annotator,
                    utf16,
                } => {
                    let opts = ImportOptions {
                        annotator: annotator.trim().to_owned(),
                        offset_unit: if utf16 {
                            OffsetUnit::Utf16
                        } else {
                            OffsetUnit::Char
                        },
                        ..ImportOptions::default()
                    };
                    import_into_corpus(
                        format,
                        PathBuf::from(source.trim()).as_path(),
                        PathBuf::from(corpus.trim()).as_path(),
                        &opts,
                        &mut progress,
                    )
                }
                InterchangeForm::Export {
                    format,
                    out,
                    annotator,
                    statuses,
                    scheme,
                    utf16,
                } => {
                    let opts = ExportOptions {
                        annotator: Some(annotator.trim().to_owned()).filter(|a| !a.is_empty()),
                        statuses: DocStatus::ALL
                            .iter()
                            .zip(statuses)
                            .filter(|(_, on)| *on)
                            .map(|(s, _)| *s)
                            .collect(),
                        scheme,
                        offset_unit: if utf16 {
                            OffsetUnit::Utf16
                        } else {
                            OffsetUnit::Char
                        },
                        ..ExportOptions::default()
                    };
                    match &corpus_root {
                        Some(root) => export_corpus(
                            format,
                            root,
                            PathBuf::from(out.trim()).as_path(),
                            &opts,
                            &mut progress,
                        ),
                        None => Err(crate::formats::FormatError::Usage(
                            "open a corpus first".into(),
                        )),
                    }
                }
            };
            let _ = tx.send(JobMessage::Done(result.map_err(|e| e.to_string())));
        });
        self.job = Some(Job {
            title,
            rx,
            progress: (Stage::Reading, 0, 0),
            started: Instant::now(),
            reopen,
        });
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = self.job.as_mut() else { return };
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        let mut done = None;
        loop {
            match job.rx.try_recv() {
                Ok(JobMessage::Progress(stage, d, t)) => job.progress = (stage, d, t),
                Ok(JobMessage::Done(r)) => done = Some(r),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    // The worker ended without a result: it crashed.
                    done = done.or(Some(Err(
                        "the conversion stopped unexpectedly (a bug: please report the input)"
                            .into(),
                    )));
                    break;
                }
            }
        }
        if let Some(result) = done {
            let job = self.job.take();
            let title = job.as_ref().map(|j| j.title.clone()).unwrap_or_default();
            if let (Ok(_), Some(root)) = (&result, job.and_then(|j| j.reopen)) {
                let same = self.corpus.as_ref().is_some_and(|c| c.root == root);
                if same || self.corpus.is_none() {
                    // New articles change the list's order: the open one is found again by path.
                    let open_article = self.session.as_ref().map(|s| s.doc.path().to_path_buf());
                    self.reopen_corpus_at(&root, open_article.as_deref());
                }
            }
            self.job_outcome = Some(JobOutcome { title, result });
        }
    }
}
