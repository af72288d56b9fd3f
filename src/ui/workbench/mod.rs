//! The annotation workbench: the window a linguist works in all day.
//!
//! Left: the document list. Centre: the document canvas. Right: label palette, the document's
//! annotations, the selected span, the document panel (stance, claims, status). Bottom: the status
//! bar. State lives here; each panel is a `*_ui` function in its own file; every change to
//! annotations goes through [`crate::model::Editor`] (undoable) inside the open
//! [`DocumentSession`].

mod actions;
mod agreement_view;
mod annotation_panel;
mod canvas_area;
mod compare;
mod conflict;
mod crash;
mod curation;
mod curation_panel;
mod dashboard;
mod dialogs;
mod disk_watch;
mod document_list;
mod document_panel;
mod drafts;
mod highlights;
pub mod interchange;
mod keys;
mod layers_panel;
mod menu;
mod navigation;
mod search_panel;
mod span_pieces;
mod status_bar;
mod suggest;
mod tag_all_corpus;
pub mod tasks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::model::document::DocumentError;
use crate::model::search::SearchOptions;
use crate::model::session::DocumentSession;
use crate::model::{Corpus, DocStatus, ReviewState, Source, TextEncoding};
use crate::ui::canvas::{DocumentCanvas, Highlights};

pub use curation::CurateOptions;
pub use dialogs::Dialog;
pub use highlights::SpanRef;
pub use interchange::{InterchangeForm, JobOutcome};

/// How long after the last change the sidecar is saved by itself.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);
/// How often the open sidecar is compared with the file on disk.
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(2);
const PREFS_KEY: &str = "hashiya-prefs";

/// What the app remembers between runs (eframe persistence).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub annotator: Option<String>,
    pub recent: Vec<PathBuf>,
    pub dark: bool,
    pub font_size: Option<f32>,
    pub seen_first_run_hint: bool,
    /// The document last opened in each corpus (root → path relative to it).
    pub last_documents: BTreeMap<String, String>,
    /// Tagging a span does not suggest its other occurrences (View menu).
    pub live_suggestions_off: bool,
    /// The model command Document ▸ Suggest… runs (only ever set by the user, never by a corpus).
    pub model_command: Option<String>,
}

impl Prefs {
    /// The document last opened in the corpus at `root`.
    pub fn last_document_of(&self, root: &Path) -> Option<String> {
        self.last_documents.get(&root_key(root)).cloned()
    }

    pub fn remember_last_document(&mut self, root: &Path, relative: &str) {
        if self.last_documents.len() > 200 && !self.last_documents.contains_key(&root_key(root)) {
            // A long-forgotten corpus makes room (an unbounded list would grow with every folder).
            let first = self.last_documents.keys().next().cloned();
            if let Some(k) = first {
                self.last_documents.remove(&k);
            }
        }
        self.last_documents
            .insert(root_key(root), relative.to_owned());
    }
}

fn root_key(root: &Path) -> String {
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string()
}

/// How the workbench starts.
#[derive(Debug, Clone, Default)]
pub struct WorkbenchOptions {
    /// Corpus folder or article to open.
    pub path: Option<PathBuf>,
    /// Annotator name (otherwise remembered, or asked once).
    pub annotator: Option<String>,
    /// Encoding to read articles with (otherwise detected).
    pub encoding: Option<TextEncoding>,
    pub dark: Option<bool>,
    /// Render the first frame with the document shown to this PNG, then close.
    pub screenshot: Option<PathBuf>,
    /// Start reviewing: list only suggested spans and select the first one.
    pub review: bool,
    /// Start curating (`--curate`).
    pub curate: Option<CurateOptions>,
}

/// Filters of the document list.
#[derive(Debug, Clone, Default)]
pub struct DocFilter {
    pub status: Option<DocStatus>,
    pub name: String,
    /// Only the documents the team's plan assigns to me (see document_list.rs).
    pub assigned_to_me: bool,
}

/// Filters of the annotation list.
#[derive(Debug, Clone, Default)]
pub struct AnnotationFilter {
    pub label: Option<String>,
    pub source: Option<Source>,
    pub review: Option<ReviewState>,
}

/// The search panel's state.
#[derive(Default)]
pub struct SearchState {
    pub open: bool,
    pub query: String,
    pub options: SearchOptions,
    pub whole_corpus: bool,
    pub results: Vec<search_panel::Hit>,
    pub focus_query: bool,
    pub tag_label: Option<String>,
    /// The search running on its thread, if any.
    pub job: Option<search_panel::SearchJob>,
}

/// A relation being drawn: source span and type chosen, target awaited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRelation {
    pub from: String,
    pub kind: String,
}

pub struct Workbench {
    pub options: WorkbenchOptions,
    pub prefs: Prefs,
    pub corpus: Option<Corpus>,
    /// Index of the open document in `corpus.entries`.
    pub current: Option<usize>,
    pub session: Option<DocumentSession>,
    pub canvas: DocumentCanvas,
    highlights: Highlights,
    /// What each highlight stands for, by index.
    highlight_ids: Vec<highlights::SpanRef>,
    /// What the highlights were built for (see highlights.rs).
    highlights_key: Option<highlights::HighlightsKey>,
    /// Other layers hidden on the canvas (by annotator).
    pub hidden_layers: std::collections::BTreeSet<String>,
    /// A span of another layer, selected: (annotator, span id).
    pub selected_other: Option<(String, String)>,
    /// The Compare view of two layers, while open.
    pub compare: Option<compare::CompareState>,
    /// Layers to compare once the document being opened is there.
    compare_on_open: Option<(String, String)>,
    /// Wakes the window when the open sidecar changes on disk (the app; tests draw frames
    /// themselves).
    disk_watch: Option<disk_watch::DiskWatch>,
    /// The Overview window (Corpus ▸ Overview), while open.
    pub dashboard: Option<dashboard::Dashboard>,
    /// Counts changes to the corpus listing (a corpus opened, a sidecar saved).
    corpus_revision: u64,
    /// The Agreement window (Corpus ▸ Agreement), while open.
    pub agreement: Option<agreement_view::AgreementView>,
    /// A Document ▸ Suggest… run under way.
    suggest_job: Option<suggest::SuggestJob>,
    /// Other occurrences of a span just tagged, looked for on a thread (long articles).
    live_job: Option<tasks::Task<(PathBuf, Vec<crate::model::suggest::Suggestion>)>>,
    /// The curation under way (the gold layer is then the editable one).
    pub curation: Option<curation::CurationState>,
    /// The span selected before the current text selection: `+` adds the selection to it as a
    /// piece.
    piece_target: Option<String>,
    pub selected_span: Option<String>,
    /// The egui context (from the first frame), so that threads can wake the UI when they finish.
    ctx: Option<egui::Context>,
    /// A corpus being read (File ▸ Open, a drop, the command line).
    opening: Option<tasks::Task<OpenedPath>>,
    /// A document being read with its sidecar.
    doc_opening: Option<navigation::OpeningDocument>,
    /// A save being written.
    saving: Option<navigation::SaveTask>,
    /// What is to happen once the open document is saved (see [`Workbench::when_saved`]).
    after_save: Option<navigation::AfterSave>,
    /// Did the user ask for the running save (then "saved" is shown)?
    save_was_asked: bool,
    /// The window is to close once the document is saved.
    closing: bool,
    /// The user chose "decide later" for a sidecar changed on disk: the hash it had then. Nothing
    /// is written, and the question is not asked again until the file changes again or the user
    /// saves.
    conflict_deferred: Option<Option<String>>,
    /// Set when the UI hit an internal error: what happened, and where the unsaved work went.
    crashed: Option<crash::Crash>,
    /// Recovery files to offer, and the one to restore once its document is open.
    recovery: crash::RecoveryOffers,
    /// `--review`: select the first suggestion once a document is open.
    review_on_open: bool,
    /// Tests set this to check that a panic loses nothing.
    #[doc(hidden)]
    pub panic_next_frame: bool,
    /// Notes and free-text attributes being typed (see drafts.rs).
    drafts: drafts::Drafts,
    /// A text selection to make once the canvas shows the open document (e.g. a search hit).
    pending_selection: Option<std::ops::Range<usize>>,
    /// A corpus-wide "tag all occurrences" under way.
    tag_all_corpus: Option<tag_all_corpus::CorpusTagAll>,
    /// A search hit to show once its document is open.
    pending_hit: Option<(PathBuf, std::ops::Range<usize>)>,
    pub pending_relation: Option<PendingRelation>,
    pub doc_filter: DocFilter,
    pub annotation_filter: AnnotationFilter,
    pub search: SearchState,
    pub dialog: Option<Dialog>,
    /// The import or export form, while open.
    pub interchange: Option<interchange::InterchangeForm>,
    job: Option<interchange::Job>,
    /// Summary of the last import or export, until dismissed.
    pub job_outcome: Option<interchange::JobOutcome>,
    pub show_help: bool,
    /// A message for the status bar, with when it was set.
    pub message: Option<(String, Instant)>,
    /// Errors the user should see until they dismiss them.
    pub errors: Vec<String>,
    last_change_revision: u64,
    last_change_at: Option<Instant>,
    last_disk_check: Instant,
    file_dialog: Option<Receiver<Option<PathBuf>>>,
    file_dialog_started: Option<Instant>,
    frames: u64,
    /// The user chose to close although the last changes could not be saved.
    allow_close: bool,
    /// Set when `new` installed the fallback fonts before the first frame.
    fonts_installed: bool,
    /// Frames since the document to screenshot was shown (the shot waits for it).
    screenshot_frames: u32,
    screenshot_requested: bool,
    /// Result of a `--screenshot` run, read after the window closed.
    pub screenshot_result: Arc<Mutex<Option<anyhow::Result<()>>>>,
}

impl Workbench {
    /// A workbench for eframe: restores preferences, then opens `options.path` if given.
    /// `opened` is `options.path` already read (see [`run_workbench`]); `None` reads it here.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        options: WorkbenchOptions,
        opened: Option<OpenedPath>,
    ) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let mut options = options;
        if options.path.is_none() && options.screenshot.is_none() {
            // Where the linguist left off.
            options.path = prefs.recent.first().filter(|p| p.exists()).cloned();
        }
        let ctx = &cc.egui_ctx;
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        // A blinking text cursor redraws the whole window twice a second, forever, while a field
        // has the keyboard (the first-run name field, a note): a steady cursor keeps an idle
        // window idle.
        ctx.all_styles_mut(|s| s.visuals.text_cursor.blink = false);
        install_fallback_fonts(ctx);
        let mut wb = Self::build(prefs, options, opened, Some(ctx.clone()));
        wb.fonts_installed = true;
        let waker = ctx.clone();
        wb.disk_watch = Some(disk_watch::DiskWatch::start(DISK_CHECK_EVERY, move || {
            waker.request_repaint()
        }));
        ctx.set_theme(if wb.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        wb
    }

    /// A workbench with given preferences (tests use this through kittest). The path of `options`
    /// is read on a thread, as the app does.
    pub fn with_prefs(prefs: Prefs, options: WorkbenchOptions) -> Self {
        Self::build(prefs, options, None, None)
    }

    fn build(
        mut prefs: Prefs,
        options: WorkbenchOptions,
        opened: Option<OpenedPath>,
        ctx: Option<egui::Context>,
    ) -> Self {
        if let Some(a) = &options.annotator {
            prefs.annotator = Some(a.clone());
        }
        let mut canvas = DocumentCanvas::new();
        if let Some(size) = prefs.font_size {
            canvas.settings.font_size = size;
        }
        let mut wb = Workbench {
            options: options.clone(),
            prefs,
            corpus: None,
            current: None,
            session: None,
            canvas,
            highlights: Highlights::default(),
            highlight_ids: Vec::new(),
            highlights_key: None,
            hidden_layers: Default::default(),
            selected_other: None,
            piece_target: None,
            compare: None,
            compare_on_open: None,
            curation: None,
            suggest_job: None,
            live_job: None,
            agreement: None,
            dashboard: None,
            disk_watch: None,
            corpus_revision: 0,
            selected_span: None,
            ctx,
            opening: None,
            doc_opening: None,
            saving: None,
            after_save: None,
            save_was_asked: false,
            closing: false,
            conflict_deferred: None,
            crashed: None,
            recovery: crash::RecoveryOffers::default(),
            panic_next_frame: false,
            review_on_open: false,
            pending_selection: None,
            pending_hit: None,
            tag_all_corpus: None,
            drafts: drafts::Drafts::new(),
            pending_relation: None,
            doc_filter: DocFilter::default(),
            annotation_filter: AnnotationFilter::default(),
            search: SearchState::default(),
            dialog: None,
            interchange: None,
            job: None,
            job_outcome: None,
            show_help: false,
            message: None,
            errors: Vec::new(),
            last_change_revision: 0,
            last_change_at: None,
            last_disk_check: Instant::now(),
            file_dialog: None,
            file_dialog_started: None,
            frames: 0,
            allow_close: false,
            fonts_installed: false,
            screenshot_frames: 0,
            screenshot_requested: false,
            screenshot_result: Arc::new(Mutex::new(None)),
        };
        if let Some(dark) = options.dark {
            wb.prefs.dark = dark;
        }
        if wb.prefs.annotator.is_none() && options.screenshot.is_none() {
            // (A screenshot shows the document; it asks nobody anything.)
            wb.dialog = Some(Dialog::annotator_prompt());
        }
        if let Some(c) = options.curate.clone() {
            match c.check() {
                Ok(()) => wb.curation = Some(curation::CurationState::new(c)),
                Err(e) => wb.report(e),
            }
        }
        if options.review {
            wb.annotation_filter.review = Some(ReviewState::Suggested);
            wb.review_on_open = true;
        }
        match (opened, options.path.clone()) {
            (Some(opened), _) => wb.apply_opened(opened),
            (None, Some(path)) => wb.open_path(&path),
            (None, None) => {}
        }
        wb
    }

    /// The layer being edited: mine, or the gold layer while curating.
    pub fn annotator(&self) -> Option<&str> {
        match &self.curation {
            Some(c) => Some(&c.options.into),
            None => self.prefs.annotator.as_deref(),
        }
    }

    pub fn schema(&self) -> crate::model::Schema {
        self.corpus
            .as_ref()
            .map(|c| c.schema.clone())
            .unwrap_or_default()
    }

    /// Shows a message in the status bar.
    pub fn tell(&mut self, message: impl Into<String>) {
        self.message = Some((message.into(), Instant::now()));
    }

    /// Adds a problem for the user to see (once).
    pub fn report(&mut self, problem: String) {
        if !self.errors.contains(&problem) {
            self.errors.push(problem);
        }
    }

    /// Autosave shortly after the last change; notice sidecars changed on disk; keep drawing while
    /// a task runs.
    fn background_work(&mut self, ctx: &egui::Context) {
        let now = Instant::now();
        if let Some(session) = self.session.as_ref() {
            let rev = session.editor.revision();
            if rev != self.last_change_revision {
                self.last_change_revision = rev;
                self.last_change_at = Some(now);
            }
        }
        self.autosave_if_due();
        if let Some(at) = self.last_change_at {
            let left = AUTOSAVE_AFTER.saturating_sub(now.saturating_duration_since(at));
            ctx.request_repaint_after(left.max(Duration::from_millis(50)));
        }
        if self.dialog.is_none() && !self.is_busy() && self.saving.is_none() {
            let due = now.duration_since(self.last_disk_check) >= DISK_CHECK_EVERY;
            let woken = self.disk_watch.as_ref().is_some_and(|w| w.take_changed());
            if due || woken {
                self.last_disk_check = now;
                self.check_disk();
            }
        }
        let watched = self
            .session
            .as_ref()
            .filter(|s| !s.is_viewer())
            .map(|s| s.sidecar_path());
        match &self.disk_watch {
            // An idle window draws nothing: the watcher wakes it when the file changes.
            Some(w) => w.watch(watched),
            None if self.session.is_some() => ctx.request_repaint_after(DISK_CHECK_EVERY),
            None => {}
        }
        if self.is_busy()
            || self.saving.is_some()
            || self.is_searching()
            || self.is_suggesting()
            || self.agreement.as_ref().is_some_and(|v| v.is_computing())
            || self.tag_all_corpus.is_some()
        {
            // Draw the progress, and take the result as soon as it is there.
            ctx.request_repaint();
        }
    }

    /// Runs a `--screenshot`: once the document is shown, grab the frame and close.
    fn screenshot_work(&mut self, ctx: &egui::Context) {
        let Some(out) = self.options.screenshot.clone() else {
            return;
        };
        ctx.request_repaint();
        // The shot shows the document: wait until it is open and has been drawn once (theme and
        // fonts are set before the first frame).
        let waiting = self.is_busy() || (self.session.is_none() && self.options.path.is_some());
        if waiting && self.frames < 600 {
            return;
        }
        self.screenshot_frames += 1;
        if self.screenshot_requested || self.screenshot_frames < 2 {
            return;
        }
        self.screenshot_requested = true;
        let result = Arc::clone(&self.screenshot_result);
        let ctx2 = ctx.clone();
        ctx.request_screenshot(move |image| {
            let r = crate::ui::screenshot::write_png(&out, &image);
            if r.is_ok() {
                // A screenshot run has nothing to save (preferences are left alone): skip the
                // window teardown.
                std::process::exit(0);
            }
            if let Ok(mut slot) = result.lock() {
                *slot = Some(r);
            }
            ctx2.send_viewport_cmd(egui::ViewportCommand::Close);
            ctx2.request_repaint();
        });
    }
}

impl eframe::App for Workbench {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.crashed.is_some() {
            self.crashed_ui(ui);
            return;
        }
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.frame_ui(ui, frame);
        }));
        if let Err(payload) = caught {
            self.on_panic(payload.as_ref());
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.options.screenshot.is_some() {
            return; // a screenshot run leaves the user's preferences alone
        }
        self.prefs.font_size = Some(self.canvas.settings.font_size);
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if self.crashed.is_none() {
            self.save_blocking();
        }
    }

    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(30)
    }
}

impl Workbench {
    /// One frame of the workbench.
    fn frame_ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        if std::mem::take(&mut self.panic_next_frame) {
            panic!("a panic asked for by a test");
        }
        if self.frames == 0 && !self.fonts_installed {
            // (Under eframe, `new` has done this already.)
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            // A blinking text cursor redraws the whole window twice a second, forever, while a field
            // has the keyboard (the first-run name field, a note): a steady cursor keeps an idle
            // window idle.
            ctx.all_styles_mut(|s| s.visuals.text_cursor.blink = false);
            install_fallback_fonts(&ctx);
        }
        ctx.set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.frames += 1;
        self.poll_tasks();
        self.poll_search();
        self.poll_tag_all_corpus();
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            self.request_close(&ctx);
        }
        self.poll_file_dialog();
        self.handle_dropped_files(&ctx);
        if self.dialog.is_none() && self.interchange.is_none() && !self.is_busy() {
            self.handle_keys(&ctx);
        }
        self.commit_drafts_of_unselected();
        self.refresh_compare();
        self.poll_curation();
        self.poll_suggest();
        self.poll_live_suggestions();
        self.poll_agreement();
        self.refresh_dashboard();
        self.refresh_curation();
        self.refresh_highlights();

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        if self.search.open {
            egui::Panel::bottom("search")
                .resizable(true)
                .default_size(200.0)
                .show(ui, |ui| self.search_panel_ui(ui));
        }
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                // The open document's layers, under the list of documents.
                egui::Panel::bottom("layers")
                    .resizable(true)
                    .default_size(170.0)
                    .show(ui, |ui| {
                        ui.strong("Layers");
                        egui::ScrollArea::vertical()
                            .id_salt("layers")
                            .auto_shrink(false)
                            .show(ui, |ui| self.layers_panel_ui(ui));
                    });
                self.document_list_ui(ui)
            });
        // While a document opens (or the save a switch waits for is written), its panels wait.
        let busy = self.is_busy();
        egui::Panel::right("annotations")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                if busy {
                    ui.disable();
                }
                self.annotation_panel_ui(ui)
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if busy {
                ui.disable();
            }
            self.canvas_ui(ui)
        });

        self.agreement_window_ui(&ctx);
        self.dashboard_window_ui(&ctx);
        self.dialogs_ui(&ctx);
        self.interchange_ui(&ctx);
        self.background_work(&ctx);
        self.screenshot_work(&ctx);
    }

    /// The window is asked to close: it closes once the document is saved (a save that fails
    /// keeps it open and asks).
    fn request_close(&mut self, ctx: &egui::Context) {
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        if self.closing {
            return;
        }
        self.closing = true;
        self.when_saved(|wb| {
            wb.closing = false;
            wb.allow_close = true;
            if let Some(c) = &wb.ctx {
                c.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }

    /// Quit from the menu.
    pub fn quit(&mut self) {
        if let Some(ctx) = self.ctx.clone() {
            self.request_close(&ctx);
        }
    }
}

impl Drop for Workbench {
    fn drop(&mut self) {
        // Unwinding out of the app (a panic outside a frame): keep the unsaved work.
        if std::thread::panicking() && self.crashed.is_none() {
            self.write_recovery();
        }
    }
}

/// A corpus read from a path, with the article to show first already opened (read, indexed, its
/// sidecar placed on it): the slow part of opening, which needs no window and so runs on another
/// thread.
pub struct OpenedPath {
    path: PathBuf,
    corpus: Result<Corpus, String>,
    first: Option<usize>,
    session: Option<Result<DocumentSession, DocumentError>>,
}

impl OpenedPath {
    /// Reads the corpus at `path` (a folder, or the corpus of an article) and opens its first
    /// document: the article named, else `last` (relative path of the document last opened
    /// there), else the first one. With no annotator yet, the document opens for reading only.
    pub fn read(
        path: &Path,
        encoding: Option<TextEncoding>,
        annotator: Option<&str>,
        last: Option<&str>,
    ) -> Self {
        let (root, file) = if path.is_file() {
            match corpus_root_of(path) {
                Some(root) => (root, Some(path.to_path_buf())),
                None => (path.to_path_buf(), None),
            }
        } else {
            (path.to_path_buf(), None)
        };
        let corpus = Corpus::open(&root).map_err(|e| e.to_string());
        let first = corpus.as_ref().ok().and_then(|c| match &file {
            Some(f) => c.entries.iter().position(|e| same_file(&e.path, f)),
            None => last
                .and_then(|l| c.entries.iter().position(|e| e.relative == l))
                .or((!c.entries.is_empty()).then_some(0)),
        });
        let session = first
            .and_then(|i| corpus.as_ref().ok()?.entries.get(i))
            .map(|e| navigation::open_session(&e.path, annotator, encoding));
        Self {
            path: path.to_path_buf(),
            corpus,
            first,
            session,
        }
    }
}

/// The nearest folder above `file` (up to a few levels) that holds a corpus schema.
fn corpus_root_of(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .take(6)
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .find(|d| d.join(crate::model::schema::SCHEMA_FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Gives egui's own text (text fields, buttons) the bundled fonts as fallbacks, so that Arabic typed
/// into a field shows letters rather than empty boxes. (egui has no bidi: everything shown as
/// Arabic *reading* text goes through the shaped label or the canvas.)
pub fn install_fallback_fonts(ctx: &egui::Context) {
    for (name, bytes) in crate::text::fonts::BUNDLED_FONTS {
        ctx.add_font(egui::epaint::text::FontInsert {
            name: (*name).to_owned(),
            data: egui::FontData::from_static(bytes),
            families: vec![
                egui::epaint::text::InsertFontFamily {
                    family: egui::FontFamily::Proportional,
                    priority: egui::epaint::text::FontPriority::Lowest,
                },
                egui::epaint::text::InsertFontFamily {
                    family: egui::FontFamily::Monospace,
                    priority: egui::epaint::text::FontPriority::Lowest,
                },
            ],
        });
    }
}

/// Opens the workbench window (or, with `options.screenshot`, renders one frame to a PNG).
pub fn run_workbench(options: WorkbenchOptions) -> anyhow::Result<()> {
    crash::install_panic_hook();
    let screenshot = options.screenshot.is_some();
    // Read the corpus and its first article while the window and GL context are being created.
    let loader = options.path.clone().map(|p| {
        let encoding = options.encoding;
        // While curating, the layer edited is the gold one.
        let annotator = match &options.curate {
            Some(c) if c.check().is_ok() => Some(c.into.clone()),
            _ => options.annotator.clone(),
        };
        std::thread::spawn(move || OpenedPath::read(&p, encoding, annotator.as_deref(), None))
    });
    let result = Arc::new(Mutex::new(None));
    let result2 = Arc::clone(&result);
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title("Hashiya")
            .with_drag_and_drop(true),
        renderer: eframe::Renderer::Glow,
        persist_window: !screenshot,
        ..Default::default()
    };
    eframe::run_native(
        "hashiya",
        native,
        Box::new(move |cc| {
            let opened = loader.and_then(|l| l.join().ok());
            let wb = Workbench::new(cc, options, opened);
            if let Ok(mut slot) = result2.lock() {
                *slot = Some(Arc::clone(&wb.screenshot_result));
            }
            Ok(Box::new(wb))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))?;
    if screenshot {
        let slot = result.lock().ok().and_then(|mut s| s.take());
        let r = slot.and_then(|r| r.lock().ok().and_then(|mut s| s.take()));
        return r.unwrap_or_else(|| {
            Err(anyhow::anyhow!(
                "the window closed before the screenshot was taken"
            ))
        });
    }
    Ok(())
}
