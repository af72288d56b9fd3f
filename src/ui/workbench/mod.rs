//! The annotation workbench: the window a linguist works in all day.
//!
//! Left: the document list. Centre: the document canvas. Right: label palette, the document's
//! annotations, the selected span, the document panel (stance, claims, status). Bottom: the status
//! bar. State lives here; each panel is a `*_ui` function in its own file; every change to
//! annotations goes through [`crate::model::Editor`] (undoable) inside the open
//! [`DocumentSession`].

mod actions;
mod annotation_panel;
mod canvas_area;
mod dialogs;
mod document_list;
mod document_panel;
mod drafts;
pub mod interchange;
mod keys;
mod menu;
mod search_panel;
mod status_bar;

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::Color32;
use serde::{Deserialize, Serialize};

use crate::model::document::DocumentError;
use crate::model::search::SearchOptions;
use crate::model::session::{DiskState, DocumentSession};
use crate::model::{Corpus, DocStatus, Document, ReviewState, Source, TextEncoding};
use crate::ui::canvas::{DocumentCanvas, Highlight, Highlights};

pub use dialogs::Dialog;
pub use interchange::{InterchangeForm, JobOutcome};

/// How long after the last change the sidecar is saved by itself.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);
/// How often the open sidecar is compared with the file on disk.
const DISK_CHECK_EVERY: Duration = Duration::from_secs(2);
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
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub open: bool,
    pub query: String,
    pub options: SearchOptions,
    pub whole_corpus: bool,
    pub results: Vec<search_panel::Hit>,
    pub focus_query: bool,
    pub tag_label: Option<String>,
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
    /// Span id of each highlight, by index.
    highlight_ids: Vec<String>,
    /// (editor revision, selected span) the highlights were built for.
    highlights_key: Option<(u64, Option<String>, usize)>,
    pub selected_span: Option<String>,
    /// The first article of a corpus, read together with it (see [`OpenedPath`]).
    preloaded: Option<(usize, Result<Document, DocumentError>)>,
    /// Notes and free-text attributes being typed (see drafts.rs).
    drafts: drafts::Drafts,
    /// A text selection to make once the canvas shows the open document (e.g. a search hit).
    pending_selection: Option<std::ops::Range<usize>>,
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
        install_fallback_fonts(ctx);
        let opened = opened.or_else(|| {
            options
                .path
                .as_ref()
                .map(|p| OpenedPath::read(p, options.encoding))
        });
        let wb = Self::build(prefs, options, opened);
        ctx.set_theme(if wb.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        wb
    }

    /// A workbench with given preferences (tests use this through kittest).
    pub fn with_prefs(prefs: Prefs, options: WorkbenchOptions) -> Self {
        let opened = options
            .path
            .as_ref()
            .map(|p| OpenedPath::read(p, options.encoding));
        Self::build(prefs, options, opened)
    }

    fn build(mut prefs: Prefs, options: WorkbenchOptions, opened: Option<OpenedPath>) -> Self {
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
            selected_span: None,
            preloaded: None,
            pending_selection: None,
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
            screenshot_requested: false,
            screenshot_result: Arc::new(Mutex::new(None)),
        };
        if let Some(dark) = options.dark {
            wb.prefs.dark = dark;
        }
        if wb.prefs.annotator.is_none() {
            wb.dialog = Some(Dialog::annotator_prompt());
        }
        if let Some(opened) = opened {
            wb.apply_opened(opened);
        }
        if options.review {
            wb.annotation_filter.review = Some(ReviewState::Suggested);
            wb.select_next_unreviewed();
        }
        wb
    }

    pub fn annotator(&self) -> Option<&str> {
        self.prefs.annotator.as_deref()
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

    /// Opens a corpus folder (and its first document), or an article: within the corpus whose
    /// schema file is in one of its parent folders, if any, otherwise on its own.
    pub fn open_path(&mut self, path: &Path) {
        if !self.save_now() {
            self.tell("the open document could not be saved; resolve that first");
            return;
        }
        let loaded = OpenedPath::read(path, self.options.encoding);
        self.apply_opened(loaded);
    }

    /// Takes a corpus (and its first article) read by [`OpenedPath::read`], maybe on another
    /// thread while the window was being created.
    fn apply_opened(&mut self, opened: OpenedPath) {
        self.preloaded = None;
        match opened.corpus {
            Ok(corpus) => {
                if let Some(e) = &corpus.schema_error {
                    self.report(format!("{e} — using the built-in schema"));
                }
                let path = opened.path;
                self.prefs.recent.retain(|p| *p != path);
                self.prefs.recent.insert(0, path);
                self.prefs.recent.truncate(10);
                self.corpus = Some(corpus);
                self.session = None;
                self.current = None;
                self.search.results.clear();
                if let Some(i) = opened.first {
                    self.preloaded = opened.document.map(|d| (i, d));
                    self.open_document(i);
                }
            }
            Err(e) => self.report(e),
        }
    }

    /// Opens document `index` of the corpus (saving the current one first).
    pub fn open_document(&mut self, index: usize) {
        let Some(annotator) = self.prefs.annotator.clone() else {
            self.dialog = Some(Dialog::annotator_prompt());
            return;
        };
        let Some(entry) = self.corpus.as_ref().and_then(|c| c.entries.get(index)) else {
            return;
        };
        let path = entry.path.clone();
        if self.current == Some(index) && self.session.is_some() {
            return;
        }
        if !self.save_now() {
            self.tell("the open document could not be saved; resolve that first");
            return;
        }
        let opened = match self.preloaded.take() {
            Some((i, Ok(doc))) if i == index && doc.path() == path => {
                Ok(DocumentSession::with_document(doc, &annotator))
            }
            Some((i, Err(e))) if i == index => Err(e),
            _ => DocumentSession::open(&path, &annotator, self.options.encoding),
        };
        match opened {
            Ok(session) => {
                if let Some(why) = &session.read_only {
                    self.report(format!("opened read-only: {why}"));
                }
                if !session.load_issues.is_empty() {
                    let lost = session
                        .load_issues
                        .iter()
                        .filter(|i| i.new.is_none())
                        .count();
                    self.report(format!(
                        "{}: {} span(s) moved, {} could not be placed (kept, listed under \"Unplaced\"):",
                        path.display(),
                        session.load_issues.len() - lost,
                        lost
                    ));
                    const LISTED: usize = 40;
                    for issue in session.load_issues.iter().take(LISTED) {
                        self.report(format!("  {issue}"));
                    }
                    if session.load_issues.len() > LISTED {
                        self.report(format!(
                            "  … and {} more (hashiya validate lists them all)",
                            session.load_issues.len() - LISTED
                        ));
                    }
                }
                self.last_change_revision = session.editor.revision();
                self.session = Some(session);
                self.current = Some(index);
                self.selected_span = None;
                self.pending_relation = None;
                self.canvas.set_selection(None);
                self.canvas.scroll_to_char(0);
                self.highlights_key = None;
                self.last_disk_check = Instant::now();
            }
            Err(e) => self.report(e.to_string()),
        }
    }

    /// Saves the open document now if it has changes. Returns whether everything is saved: on
    /// `false` (a conflict, which opens the conflict dialog, or a write error, which is shown)
    /// callers must not drop the session.
    pub fn save_now(&mut self) -> bool {
        // Whatever is being typed belongs in the file too.
        self.commit_drafts();
        let Some(session) = self.session.as_mut() else {
            return true;
        };
        match session.save() {
            Ok(true) => {
                self.last_change_at = None;
                self.refresh_entry_summary();
                self.tell("saved");
                true
            }
            Ok(false) => {
                self.last_change_at = None;
                true
            }
            Err(crate::model::sidecar::SidecarError::ChangedOnDisk { path }) => {
                self.dialog = Some(Dialog::Conflict { path });
                false
            }
            Err(e) => {
                self.report(e.to_string());
                false
            }
        }
    }

    /// Adds a problem for the user to see (once).
    pub fn report(&mut self, problem: String) {
        if !self.errors.contains(&problem) {
            self.errors.push(problem);
        }
    }

    /// Re-reads the open document's sidecar summary for the document list.
    fn refresh_entry_summary(&mut self) {
        let (Some(corpus), Some(i), Some(session)) =
            (self.corpus.as_mut(), self.current, self.session.as_ref())
        else {
            return;
        };
        let Some(entry) = corpus.entries.get_mut(i) else {
            return;
        };
        let path = session.sidecar_path();
        let summary = crate::model::sidecar::read_summary(&path).map_err(|e| e.to_string());
        match entry
            .sidecars
            .iter_mut()
            .find(|s| s.annotator == session.annotator)
        {
            Some(info) => info.summary = summary,
            None => entry.sidecars.push(crate::model::corpus::SidecarInfo {
                annotator: session.annotator.clone(),
                path,
                summary,
            }),
        }
    }

    /// Highlights for the open document, rebuilt only when annotations or the selection changed.
    fn refresh_highlights(&mut self) {
        let Some(session) = self.session.as_ref() else {
            self.highlights = Highlights::default();
            self.highlight_ids.clear();
            return;
        };
        let key = (
            session.editor.revision(),
            self.selected_span.clone(),
            self.current.unwrap_or(usize::MAX),
        );
        if self.highlights_key.as_ref() == Some(&key) {
            return;
        }
        let schema = self.schema();
        let mut ids = Vec::new();
        let items = session
            .editor
            .annotations()
            .spans()
            .iter()
            .filter(|s| {
                s.review != ReviewState::Rejected || self.selected_span.as_deref() == Some(&s.id)
            })
            .map(|s| {
                ids.push(s.id.clone());
                let [r, g, b] = schema.color_of(&s.label);
                Highlight {
                    pieces: s.pieces(),
                    color: Color32::from_rgb(r, g, b),
                    tag: s.label.clone(),
                    suggested: s.review == ReviewState::Suggested,
                    selected: self.selected_span.as_deref() == Some(&s.id),
                }
            })
            .collect();
        self.highlights = Highlights::new(items);
        self.highlight_ids = ids;
        self.highlights_key = Some(key);
    }

    /// Autosave shortly after the last change; notice sidecars changed on disk.
    fn background_work(&mut self, ctx: &egui::Context) {
        let now = Instant::now();
        if let Some(session) = self.session.as_ref() {
            let rev = session.editor.revision();
            if rev != self.last_change_revision {
                self.last_change_revision = rev;
                self.last_change_at = Some(now);
            }
        }
        if let Some(at) = self.last_change_at {
            if now.duration_since(at) >= AUTOSAVE_AFTER && self.dialog.is_none() {
                // Show the saved state (status bar, document list) at once.
                ctx.request_repaint();
                if !self.save_now() {
                    // Try again later (after the user resolved the conflict or the disk).
                    self.last_change_at = Some(now + Duration::from_secs(10));
                }
            } else {
                ctx.request_repaint_after(AUTOSAVE_AFTER);
            }
        }
        if now.duration_since(self.last_disk_check) >= DISK_CHECK_EVERY && self.dialog.is_none() {
            self.last_disk_check = now;
            self.check_disk();
        }
        if self.session.is_some() {
            ctx.request_repaint_after(DISK_CHECK_EVERY);
        }
    }

    /// Compares the open sidecar with the file on disk: unchanged work is reloaded quietly; with
    /// unsaved changes, the user is asked.
    pub fn check_disk(&mut self) {
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
                let path = session.sidecar_path();
                self.dialog = Some(Dialog::Conflict { path });
            }
        }
    }

    /// Runs a `--screenshot`: once the document is shown, grab the frame and close.
    fn screenshot_work(&mut self, ctx: &egui::Context) {
        let Some(out) = self.options.screenshot.clone() else {
            return;
        };
        ctx.request_repaint();
        // Theme and fonts are set before the first frame, so the first frame is the shot.
        if self.screenshot_requested {
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
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.frames == 0 && !self.fonts_installed {
            // (Under eframe, `new` has done this already.)
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            install_fallback_fonts(&ctx);
        }
        ctx.set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.frames += 1;
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && !self.save_now() {
            // Unsaved work that cannot be written: stay open and let the user decide.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.dialog.is_none() {
                self.dialog = Some(Dialog::CloseUnsaved);
            }
        }
        self.poll_file_dialog();
        self.handle_dropped_files(&ctx);
        if self.dialog.is_none() && self.interchange.is_none() {
            self.handle_keys(&ctx);
        }
        self.commit_drafts_of_unselected();
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
            .show(ui, |ui| self.document_list_ui(ui));
        egui::Panel::right("annotations")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| self.annotation_panel_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.canvas_ui(ui));

        self.dialogs_ui(&ctx);
        self.interchange_ui(&ctx);
        self.background_work(&ctx);
        self.screenshot_work(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.options.screenshot.is_some() {
            return; // a screenshot run leaves the user's preferences alone
        }
        self.prefs.font_size = Some(self.canvas.settings.font_size);
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_now();
    }

    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(30)
    }
}

/// A corpus read from a path, with the article to show first already read and indexed: the
/// slow part of opening, which needs no window and so can run on another thread.
pub struct OpenedPath {
    path: PathBuf,
    corpus: Result<Corpus, String>,
    first: Option<usize>,
    document: Option<Result<Document, DocumentError>>,
}

impl OpenedPath {
    pub fn read(path: &Path, encoding: Option<TextEncoding>) -> Self {
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
            None => (!c.entries.is_empty()).then_some(0),
        });
        let document = first
            .and_then(|i| corpus.as_ref().ok()?.entries.get(i))
            .map(|e| Document::load(&e.path, encoding));
        Self {
            path: path.to_path_buf(),
            corpus,
            first,
            document,
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
    let screenshot = options.screenshot.is_some();
    // Read the corpus and its first article while the window and GL context are being created.
    let loader = options.path.clone().map(|p| {
        let encoding = options.encoding;
        std::thread::spawn(move || OpenedPath::read(&p, encoding))
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
            let mut wb = Workbench::new(cc, options, opened);
            wb.fonts_installed = true;
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
