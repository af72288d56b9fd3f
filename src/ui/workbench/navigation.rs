//! Opening corpora and documents and saving, all off the UI thread.
//!
//! Anything that leaves the open document (another document, another corpus, another annotator,
//! closing the window) first saves it: [`Workbench::when_saved`] starts the save on a thread and
//! keeps what is to happen next until the save is done. A save that fails (a conflict, a full
//! disk) stops it, and the document stays open. While a save that others wait for, or an opening,
//! is under way, the workbench is busy: the window keeps drawing, editing waits.

use std::path::{Path, PathBuf};

use crate::model::document::DocumentError;
use crate::model::session::{DocumentSession, SaveDone};
use crate::model::sidecar::{SidecarError, SidecarSummary};

use super::tasks::{Poll, Task};
use super::{Dialog, OpenedPath, Workbench};

/// What is to happen once the open document is saved.
pub type AfterSave = Box<dyn FnOnce(&mut Workbench)>;

/// A save under way: its thread, and the summary the document list shows once it is written.
pub struct SaveTask {
    task: Task<SaveDone>,
    summary: SidecarSummary,
    sidecar: PathBuf,
}

/// A document being opened: its index in the corpus, and the session being read.
pub type OpeningDocument = Task<(usize, Result<DocumentSession, DocumentError>)>;

impl Workbench {
    /// Is something under way that editing must wait for (an opening, or a save that a switch
    /// waits for)?
    pub fn is_busy(&self) -> bool {
        self.opening.is_some()
            || self.doc_opening.is_some()
            || (self.saving.is_some() && self.after_save.is_some())
    }

    /// What the busy workbench is doing, for the status bar.
    pub fn busy_with(&self) -> Option<String> {
        if let Some(t) = &self.opening {
            return Some(t.what.clone());
        }
        if let Some(t) = &self.doc_opening {
            return Some(t.what.clone());
        }
        self.saving.as_ref().map(|s| s.task.what.clone())
    }

    /// Opens a corpus folder (and its first or last-opened document), or an article within the
    /// corpus whose schema file is in one of its parent folders, once the open document is saved.
    pub fn open_path(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.when_saved(move |wb| wb.start_opening_path(path, None));
    }

    /// Opens the corpus folder `root` again (after an import changed it) with the article at
    /// `article` (if it is in it) open.
    pub fn reopen_corpus_at(&mut self, root: &Path, article: Option<&Path>) {
        let relative = article.and_then(|a| {
            let rel = a.strip_prefix(root).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        });
        let root = root.to_path_buf();
        self.when_saved(move |wb| wb.start_opening_path(root, relative));
    }

    /// Opens document `index` of the corpus once the open one is saved.
    pub fn open_document(&mut self, index: usize) {
        if self.current == Some(index) && self.session.is_some() && self.doc_opening.is_none() {
            return;
        }
        self.when_saved(move |wb| wb.start_opening_document(index));
    }

    /// Runs `then` once the open document's changes are on disk (at once if there are none). If
    /// the save fails, `then` is dropped and the user told why.
    pub fn when_saved(&mut self, then: impl FnOnce(&mut Workbench) + 'static) {
        // Whatever is being typed belongs in the file too.
        self.commit_drafts();
        let dirty = self.session.as_ref().is_some_and(|s| s.is_dirty());
        if !dirty && self.saving.is_none() {
            then(self);
            return;
        }
        self.after_save = Some(Box::new(then));
        if self.saving.is_none() {
            self.start_save(true);
        }
    }

    /// Ctrl+S, the menu, marking a status: saves now if there are changes. Returns whether there
    /// was nothing left to save.
    pub fn save_now(&mut self) -> bool {
        self.commit_drafts();
        if self.conflict_deferred.is_some() {
            // The user asked to decide later; saving now is deciding.
            if let Some(s) = &self.session {
                self.dialog = Some(Dialog::Conflict {
                    path: s.sidecar_path(),
                });
            }
            return false;
        }
        match &self.session {
            Some(s) if s.is_dirty() => {
                if self.saving.is_none() {
                    self.start_save(true);
                }
                false
            }
            _ => true,
        }
    }

    /// Starts writing the open document's changes on a thread.
    fn start_save(&mut self, asked: bool) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(pending) = session.begin_save() else {
            return;
        };
        let name = session
            .doc
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let summary = pending.summary();
        let sidecar = session.sidecar_path();
        self.last_change_at = None;
        self.save_was_asked = asked;
        self.saving = Some(SaveTask {
            task: Task::spawn(format!("saving {name}"), self.ctx.as_ref(), move || {
                pending.run()
            }),
            summary,
            sidecar,
        });
    }

    /// Starts the autosave when it is due.
    pub(super) fn autosave_if_due(&mut self) {
        let due = self
            .last_change_at
            .is_some_and(|at| at.elapsed() >= super::AUTOSAVE_AFTER);
        if due && self.saving.is_none() && self.dialog.is_none() && self.conflict_deferred.is_none()
        {
            self.start_save(false);
        }
    }

    /// Takes the results of the tasks that finished.
    pub(super) fn poll_tasks(&mut self) {
        self.poll_save();
        if let Some(t) = &self.opening {
            match t.poll() {
                Poll::Pending => {}
                Poll::Done(opened) => {
                    self.opening = None;
                    self.apply_opened(opened);
                }
                Poll::Crashed => {
                    self.opening = None;
                    self.report("opening stopped unexpectedly (a bug: please report it)".into());
                }
            }
        }
        if let Some(t) = &self.doc_opening {
            match t.poll() {
                Poll::Pending => {}
                Poll::Done((index, result)) => {
                    self.doc_opening = None;
                    self.install_session(index, result);
                }
                Poll::Crashed => {
                    self.doc_opening = None;
                    self.report(
                        "opening the document stopped unexpectedly (a bug: please report it)"
                            .into(),
                    );
                }
            }
        }
    }

    fn poll_save(&mut self) {
        let Some(save) = &self.saving else {
            return;
        };
        let done = match save.task.poll() {
            Poll::Pending => return,
            Poll::Done(done) => Ok(done),
            Poll::Crashed => Err("saving stopped unexpectedly (a bug: please report it)"),
        };
        let Some(save) = self.saving.take() else {
            return;
        };
        let result = match done {
            Ok(done) => match self.session.as_mut() {
                // The document is still the one saved (nothing else can open while a save that
                // others wait for runs; an autosave's document is this one too).
                Some(s) if s.sidecar_path() == save.sidecar => s.finish_save(done),
                _ => done.result.map(|_| ()),
            },
            Err(why) => Err(SidecarError::Write {
                path: save.sidecar.clone(),
                message: why.into(),
            }),
        };
        match result {
            Ok(()) => {
                self.update_entry_summary(&save.sidecar, save.summary);
                if self.save_was_asked {
                    self.tell("saved");
                }
                // Edits made while it was written are saved next.
                let dirty = self.session.as_ref().is_some_and(|s| s.is_dirty());
                if let Some(then) = self.after_save.take() {
                    if dirty {
                        self.after_save = Some(then);
                        self.start_save(true);
                    } else {
                        then(self);
                    }
                }
            }
            Err(e) => {
                let waiting = self.after_save.take().is_some();
                match e {
                    SidecarError::ChangedOnDisk { path } => {
                        self.dialog = Some(Dialog::Conflict { path });
                    }
                    e => {
                        self.report(e.to_string());
                        // Try again later (after the user freed the disk or fixed the folder).
                        self.last_change_at =
                            Some(std::time::Instant::now() + std::time::Duration::from_secs(10));
                    }
                }
                if waiting {
                    self.tell("the open document could not be saved; resolve that first");
                    if self.closing {
                        self.closing = false;
                        if self.dialog.is_none() {
                            self.dialog = Some(Dialog::CloseUnsaved);
                        }
                    }
                }
            }
        }
    }

    /// Writes a save that is still under way to the end, then anything unsaved, on this thread (at
    /// exit, when there is no later).
    pub(super) fn save_blocking(&mut self) -> bool {
        if let Some(save) = self.saving.take() {
            let start = std::time::Instant::now();
            loop {
                match save.task.poll() {
                    Poll::Pending if start.elapsed() < std::time::Duration::from_secs(30) => {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Poll::Done(done) => {
                        if let Some(s) = self.session.as_mut() {
                            if s.sidecar_path() == save.sidecar {
                                let _ = s.finish_save(done);
                            }
                        }
                        break;
                    }
                    _ => break,
                }
            }
        }
        self.commit_drafts();
        match self.session.as_mut().map(|s| s.save()) {
            None | Some(Ok(_)) => true,
            Some(Err(e)) => {
                eprintln!("hashiya: {e}");
                false
            }
        }
    }

    /// Reads `path` (corpus, first document: `first`, else the last opened there) on a thread.
    fn start_opening_path(&mut self, path: PathBuf, first: Option<String>) {
        let encoding = self.options.encoding;
        let annotator = self.annotator().map(str::to_owned);
        let last = first.or_else(|| self.prefs.last_document_of(&path));
        let name = path.display().to_string();
        self.opening = Some(Task::spawn(
            format!("opening {name}"),
            self.ctx.as_ref(),
            move || OpenedPath::read(&path, encoding, annotator.as_deref(), last.as_deref()),
        ));
    }

    /// Reads document `index` with its sidecar (and re-anchors it) on a thread.
    pub(super) fn start_opening_document(&mut self, index: usize) {
        let Some(entry) = self.corpus.as_ref().and_then(|c| c.entries.get(index)) else {
            return;
        };
        let path = entry.path.clone();
        let encoding = self.options.encoding;
        let annotator = self.annotator().map(str::to_owned);
        self.doc_opening = Some(Task::spawn(
            format!("opening {}", entry.relative),
            self.ctx.as_ref(),
            move || (index, open_session(&path, annotator.as_deref(), encoding)),
        ));
    }

    /// Takes a corpus (and its first article) read by [`OpenedPath::read`].
    pub(super) fn apply_opened(&mut self, opened: OpenedPath) {
        match opened.corpus {
            Ok(corpus) => {
                if let Some(e) = &corpus.schema_error {
                    self.report(format!("{e} — using the built-in schema"));
                }
                let path = opened.path;
                self.prefs.recent.retain(|p| *p != path);
                self.prefs.recent.insert(0, path);
                self.prefs.recent.truncate(10);
                self.offer_recoveries(&corpus);
                self.corpus = Some(corpus);
                self.corpus_revision += 1;
                if self.dashboard.is_some() {
                    // Another corpus: its own overview.
                    self.open_dashboard();
                }
                self.start_curation_progress();
                self.session = None;
                self.current = None;
                self.search.results.clear();
                self.search.job = None;
                if let (Some(i), Some(session)) = (opened.first, opened.session) {
                    self.install_session(i, session);
                }
            }
            Err(e) => self.report(e),
        }
    }

    /// Makes a session read on a thread the open document.
    fn install_session(&mut self, index: usize, opened: Result<DocumentSession, DocumentError>) {
        let session = match opened {
            Ok(s) => s,
            Err(e) => {
                self.report(e.to_string());
                return;
            }
        };
        let path = session.doc.path().to_path_buf();
        let first_opening = !session.is_viewer() && !session.sidecar_path().exists();
        if self.annotator().is_some() {
            if let Some(why) = &session.read_only {
                self.report(format!("opened read-only: {why}"));
            }
        }
        self.report_load_issues(&session);
        if let Some(c) = &self.corpus {
            if let Some(e) = c.entries.get(index) {
                self.prefs.remember_last_document(&c.root, &e.relative);
            }
        }
        self.last_change_revision = session.editor.revision();
        self.last_change_at = None;
        self.conflict_deferred = None;
        self.session = Some(session);
        self.current = Some(index);
        self.selected_span = None;
        self.pending_relation = None;
        self.canvas.set_selection(None);
        self.canvas.scroll_to_char(0);
        self.highlights_key = None;
        // A Compare view belongs to its document.
        self.compare = None;
        self.last_disk_check = std::time::Instant::now();
        let viewer = self.session.as_ref().is_some_and(|s| s.is_viewer());
        if viewer && self.annotator().is_some() {
            // Read before the name was known: shown meanwhile, opened again as theirs.
            self.start_opening_document(index);
            return;
        }
        if !viewer && std::mem::take(&mut self.review_on_open) {
            self.select_next_unreviewed();
        }
        self.compare_when_open();
        self.curation_on_open(first_opening);
        if let Some((hit_path, range)) = self.pending_hit.take() {
            if hit_path == path {
                self.show_hit(range);
            }
        }
        self.restore_if_asked(&path);
    }

    fn report_load_issues(&mut self, session: &DocumentSession) {
        if session.load_issues.is_empty() {
            return;
        }
        let lost = session
            .load_issues
            .iter()
            .filter(|i| i.new.is_none())
            .count();
        self.report(format!(
            "{}: {} span(s) moved, {} could not be placed (kept, listed under \"Unplaced\"):",
            session.doc.path().display(),
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

    /// Shows the saved state of the open document's sidecar in the document list (from memory:
    /// no re-reading).
    fn update_entry_summary(&mut self, sidecar: &Path, summary: SidecarSummary) {
        let Some(annotator) = self.session.as_ref().map(|s| s.annotator.clone()) else {
            return;
        };
        let index = self.corpus.as_ref().and_then(|c| {
            c.entries
                .iter()
                .position(|e| crate::model::sidecar::sidecar_path(&e.path, &annotator) == sidecar)
        });
        if let Some(i) = index {
            self.set_entry_summary(i, sidecar, summary);
        }
    }

    /// Shows a sidecar of this annotator, just written, in the document list.
    pub(super) fn set_entry_summary(
        &mut self,
        index: usize,
        sidecar: &Path,
        summary: SidecarSummary,
    ) {
        let Some(annotator) = self.annotator().map(str::to_owned) else {
            return;
        };
        let Some(entry) = self.corpus.as_mut().and_then(|c| c.entries.get_mut(index)) else {
            return;
        };
        self.corpus_revision += 1;
        match entry.sidecars.iter_mut().find(|s| s.annotator == annotator) {
            Some(info) => info.summary = Ok(summary),
            None => entry.sidecars.push(crate::model::corpus::SidecarInfo {
                annotator,
                path: sidecar.to_path_buf(),
                summary: Ok(summary),
            }),
        }
    }
}

/// Opens an article as `annotator`'s, or, with no annotator yet (the first run), for reading only.
/// Temporary files crashed saves left in its folder are removed first.
pub fn open_session(
    path: &Path,
    annotator: Option<&str>,
    encoding: Option<crate::model::TextEncoding>,
) -> Result<DocumentSession, DocumentError> {
    if let Some(folder) = path.parent() {
        crate::model::atomic_write::remove_stale_temps(folder, std::time::Duration::from_secs(60));
    }
    match annotator {
        Some(a) => DocumentSession::open(path, a, encoding),
        None => {
            let doc = crate::model::Document::load(path, encoding)?;
            Ok(DocumentSession::viewer(
                doc,
                "who is annotating? Enter your name to start",
            ))
        }
    }
}
