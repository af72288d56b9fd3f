//! Suggestions in the workbench (the rules are `model::suggest`'s):
//!
//! - **live**: right after I tag a span, its other occurrences in the open document (Arabic-aware:
//!   also behind proclitics, never inside a longer word) become suggestions of my layer, as their
//!   own undo step; View ▸ Suggest other occurrences turns this off;
//! - **Document ▸ Suggest…**: this document or the whole corpus, from my finished documents, from
//!   chosen colleagues, from a gazetteer, or from the model command of my settings (never from a
//!   file in the corpus), on a background thread. The open document gets its suggestions as one
//!   undo step; the others are written into my sidecars by `model::suggest::corpus`.
//!
//! Review works as always: `.` walks the suggestions, Enter accepts, `-` rejects.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use crate::model::corpus::Corpus;
use crate::model::search::SearchOptions;
use crate::model::suggest::corpus::{suggest_corpus, SuggestRun, SuggestSummary};
use crate::model::suggest::learn::LearnOptions;
use crate::model::suggest::sources::{build_sources, SourcePlan};
use crate::model::suggest::{suggestion_edit, Matcher, Suggestion};
use crate::model::{DocStatus, Document};

use super::tasks::{Poll, Task};
use super::Workbench;

/// Articles up to this many characters are searched for other occurrences at once (a few
/// milliseconds); longer ones on a thread.
const LIVE_INLINE_CHARS: usize = 200_000;

/// How long the model command may take per document.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The Suggest dialog's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestForm {
    pub whole_corpus: bool,
    /// Learn from my finished (and reviewed) documents.
    pub from_mine: bool,
    /// Colleagues to learn from, each with a tick.
    pub colleagues: Vec<(String, bool)>,
    /// A gazetteer file (`text<TAB>label`), or empty.
    pub gazetteer: String,
    pub use_command: bool,
    /// The model command (kept in my settings).
    pub command: String,
}

/// What a run found.
struct SuggestResult {
    notes: Vec<String>,
    problems: Vec<String>,
    /// Candidates for the document that was open (placed on the UI thread, one undo step).
    open_doc: Option<(PathBuf, Vec<Suggestion>)>,
    corpus: Option<SuggestSummary>,
    error: Option<String>,
}

/// A run on its thread.
pub struct SuggestJob {
    task: Task<SuggestResult>,
    cancel: Arc<AtomicBool>,
}

impl Workbench {
    /// After tagging span `id`: its other occurrences in the open document, as suggestions.
    pub(super) fn suggest_other_occurrences(&mut self, id: &str) {
        if self.prefs.live_suggestions_off || self.is_curating() {
            return;
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(span) = session.editor.annotations().span(id) else {
            return;
        };
        if span.is_discontinuous() {
            return;
        }
        let Some(matcher) = Matcher::for_span(&span.text, &span.label, SearchOptions::default())
        else {
            return;
        };
        if session.doc.len_chars() <= LIVE_INLINE_CHARS {
            let candidates = matcher.find(&session.doc);
            self.place_live(candidates);
            return;
        }
        // A long article is searched on a thread; the window keeps drawing meanwhile.
        let doc = session.doc.clone();
        let path = doc.path().to_path_buf();
        self.live_job = Some(Task::spawn(
            "suggesting other occurrences",
            self.ctx.as_ref(),
            move || (path, matcher.find(&doc)),
        ));
    }

    /// Takes the other occurrences found on a thread (if their document is still open).
    pub(super) fn poll_live_suggestions(&mut self) {
        let Some(task) = self.live_job.as_ref() else {
            return;
        };
        let (path, candidates) = match task.poll() {
            Poll::Pending => return,
            Poll::Done(r) => r,
            Poll::Crashed => {
                self.live_job = None;
                return;
            }
        };
        self.live_job = None;
        if self.session.as_ref().is_some_and(|s| s.doc.path() == path) {
            self.place_live(candidates);
        }
    }

    fn place_live(&mut self, candidates: Vec<Suggestion>) {
        let n = self.place_suggestions(candidates);
        if n > 0 {
            self.tell(format!(
                "{n} other occurrence(s) suggested: . walks them, Enter accepts, - rejects, \
                 Ctrl+Z takes them back"
            ));
        }
    }

    /// Places `candidates` into my layer of the open document as one undo step; how many.
    fn place_suggestions(&mut self, candidates: Vec<Suggestion>) -> usize {
        let Some(session) = self.session.as_mut() else {
            return 0;
        };
        let (edit, placement) =
            suggestion_edit(session.editor.annotations(), &session.doc, candidates);
        let Some(edit) = edit else {
            return 0;
        };
        match session.editor.apply(edit) {
            Ok(()) => {
                self.highlights_key = None;
                placement.added.len()
            }
            Err(e) => {
                self.report(format!("the suggestions could not be added: {e}"));
                0
            }
        }
    }

    /// Document ▸ Suggest…: the form, with my colleagues of the open document listed.
    pub fn open_suggest_dialog(&mut self) {
        let me = self.annotator().unwrap_or_default().to_owned();
        let mut colleagues: Vec<(String, bool)> = self
            .corpus
            .iter()
            .flat_map(|c| c.entries.iter())
            .flat_map(|e| e.sidecars.iter().map(|s| s.annotator.clone()))
            .filter(|a| a != &me)
            .map(|a| (a, false))
            .collect();
        colleagues.sort();
        colleagues.dedup();
        let command = self.prefs.model_command.clone().unwrap_or_default();
        self.dialog = Some(super::Dialog::Suggest(SuggestForm {
            whole_corpus: false,
            from_mine: true,
            colleagues,
            gazetteer: String::new(),
            use_command: false,
            command,
        }));
    }

    pub fn is_suggesting(&self) -> bool {
        self.suggest_job.is_some()
    }

    /// Stops a run after the documents under way (what was written stays).
    pub fn stop_suggesting(&mut self) {
        if let Some(job) = &self.suggest_job {
            job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            self.tell("stopping the suggestions after the documents under way");
        }
    }

    /// Starts a run of `form` (once the open document is saved).
    pub fn run_suggest(&mut self, form: SuggestForm) {
        let (Some(corpus), Some(me)) = (self.corpus.clone(), self.annotator().map(str::to_owned))
        else {
            self.tell("open a corpus and a document first");
            return;
        };
        let Some(session) = self.session.as_ref() else {
            self.tell("open a document first");
            return;
        };
        if form.use_command && !form.command.trim().is_empty() {
            self.prefs.model_command = Some(form.command.trim().to_owned());
        }
        let plan = plan_of(&form, &me);
        if plan.learn.iter().all(|l| l.annotators.is_empty())
            && plan.gazetteers.is_empty()
            && plan.command.is_none()
        {
            self.tell("choose something to suggest from");
            return;
        }
        let doc = session.doc.clone();
        let relative = self
            .current
            .and_then(|i| corpus.entries.get(i))
            .map(|e| e.relative.clone())
            .unwrap_or_default();
        let others = form.whole_corpus.then(|| without(&corpus, &relative));
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let ctx = self.ctx.clone();
        self.when_saved(move |wb| {
            let task = Task::spawn("suggesting", ctx.as_ref(), move || {
                run(
                    &corpus,
                    &plan,
                    &me,
                    (&relative, &doc),
                    others.as_ref(),
                    &flag,
                )
            });
            wb.suggest_job = Some(SuggestJob { task, cancel });
        });
    }

    /// Takes the result of a run.
    pub(super) fn poll_suggest(&mut self) {
        let Some(job) = self.suggest_job.as_ref() else {
            return;
        };
        let result = match job.task.poll() {
            Poll::Pending => return,
            Poll::Done(r) => r,
            Poll::Crashed => {
                self.suggest_job = None;
                self.report("suggesting stopped unexpectedly (a bug: please report it)".into());
                return;
            }
        };
        self.suggest_job = None;
        if let Some(e) = result.error {
            self.report(format!("suggesting: {e}"));
            return;
        }
        let here = self.place_in_open_document(result.open_doc);
        let mut line = format!("{here} suggestion(s) in this document");
        if let Some(s) = &result.corpus {
            line.push_str(&format!(
                ", {} in {} other document(s)",
                s.total_suggested(),
                s.documents_changed
            ));
        }
        if here == 0
            && result
                .corpus
                .as_ref()
                .is_none_or(|s| s.total_suggested() == 0)
        {
            // Say why there is nothing: what was learned, from what.
            line = format!("no new suggestions ({})", result.notes.join("; "));
        } else {
            line.push_str(" — . walks them, Enter accepts, - rejects");
        }
        self.tell(line);
        let problems: Vec<String> = result
            .problems
            .into_iter()
            .chain(result.corpus.iter().flat_map(|s| s.problems.clone()))
            .collect();
        if !problems.is_empty() {
            let shown: Vec<&str> = problems.iter().take(20).map(String::as_str).collect();
            let more = problems.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!("\n… and {more} more")
            } else {
                String::new()
            };
            self.report(format!("suggesting:\n{}{tail}", shown.join("\n")));
        }
        if result.corpus.is_some_and(|s| s.documents_changed > 0) {
            // The document list's counts.
            if let Some(root) = self.corpus.as_ref().map(|c| c.root.clone()) {
                let article = self.session.as_ref().map(|s| s.doc.path().to_path_buf());
                self.reopen_corpus_at(&root, article.as_deref());
            }
        }
    }

    /// Places the candidates found for the open document (if it is still open); how many.
    fn place_in_open_document(&mut self, found: Option<(PathBuf, Vec<Suggestion>)>) -> usize {
        let Some((path, candidates)) = found else {
            return 0;
        };
        let Some(session) = self.session.as_mut() else {
            return 0;
        };
        if session.doc.path() != path || session.read_only.is_some() {
            return 0;
        }
        self.place_suggestions(candidates)
    }
}

/// The sources a form asks for: my finished and reviewed documents, the colleagues ticked (all
/// their documents), the gazetteer, the command.
fn plan_of(form: &SuggestForm, me: &str) -> SourcePlan {
    let search = SearchOptions::default();
    let mut learn = Vec::new();
    if form.from_mine {
        learn.push(LearnOptions {
            annotators: vec![me.to_owned()],
            search,
            labels: None,
            statuses: vec![DocStatus::Finished, DocStatus::Reviewed],
        });
    }
    let colleagues: Vec<String> = form
        .colleagues
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n.clone())
        .collect();
    if !colleagues.is_empty() {
        learn.push(LearnOptions {
            annotators: colleagues,
            search,
            labels: None,
            statuses: Vec::new(),
        });
    }
    let gazetteer = form.gazetteer.trim();
    SourcePlan {
        learn,
        gazetteers: if gazetteer.is_empty() {
            Vec::new()
        } else {
            vec![PathBuf::from(gazetteer)]
        },
        command: (form.use_command && !form.command.trim().is_empty())
            .then(|| (form.command.trim().to_owned(), COMMAND_TIMEOUT)),
        search,
        matcher: Default::default(),
    }
}

/// The corpus without the article at `relative` (the open one, placed in the session instead).
fn without(corpus: &Corpus, relative: &str) -> Corpus {
    let mut c = corpus.clone();
    c.entries.retain(|e| e.relative != relative);
    c
}

/// The run itself, on its thread.
fn run(
    corpus: &Corpus,
    plan: &SourcePlan,
    me: &str,
    (relative, doc): (&str, &Document),
    others: Option<&Corpus>,
    cancel: &AtomicBool,
) -> SuggestResult {
    let mut result = SuggestResult {
        notes: Vec::new(),
        problems: Vec::new(),
        open_doc: None,
        corpus: None,
        error: None,
    };
    let built = match build_sources(corpus, plan, &mut |_, _| {}, cancel) {
        Ok(b) => b,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    result.notes = built.notes.clone();
    result.problems = built.problems.clone();
    let mut found = Vec::new();
    for source in built.as_suggesters() {
        let reply = source.suggest(relative, doc);
        found.extend(reply.suggestions);
        result.problems.extend(
            reply
                .problems
                .into_iter()
                .map(|p| format!("{relative}: {p}")),
        );
    }
    result.open_doc = Some((doc.path().to_path_buf(), found));
    if let Some(others) = others {
        let run = SuggestRun {
            into: me.to_owned(),
            in_order: built.in_order(),
        };
        match suggest_corpus(others, &run, &built.as_suggesters(), &mut |_, _| {}, cancel) {
            Ok(s) => result.corpus = Some(s),
            Err(e) => result.problems.push(e.to_string()),
        }
    }
    if let Some(why) = built.finish() {
        result.problems.push(why);
    }
    result
}

impl Workbench {
    /// The Suggest dialog; `false` once it is done.
    pub(super) fn suggest_dialog_ui(&mut self, ui: &mut egui::Ui, form: &mut SuggestForm) -> bool {
        ui.heading("Suggest spans");
        ui.label(
            "Suggestions go into your layer as outlined spans to review (. walks them, Enter \
             accepts, - rejects); they never cover a span you have, and what you rejected is not \
             suggested again.",
        );
        ui.horizontal(|ui| {
            ui.radio_value(&mut form.whole_corpus, false, "This document");
            ui.radio_value(&mut form.whole_corpus, true, "The whole corpus");
        });
        ui.label(egui::RichText::new("From").strong());
        ui.checkbox(&mut form.from_mine, "my finished and reviewed documents");
        for (name, on) in form.colleagues.iter_mut() {
            ui.checkbox(on, format!("{name}'s annotations"));
        }
        ui.horizontal(|ui| {
            let l = ui.label("Gazetteer (text<TAB>label)");
            ui.add(
                egui::TextEdit::singleline(&mut form.gazetteer)
                    .hint_text("/path/to/places.tsv")
                    .desired_width(260.0),
            )
            .labelled_by(l.id);
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut form.use_command, "Model command");
            ui.add_enabled(
                form.use_command,
                egui::TextEdit::singleline(&mut form.command)
                    .hint_text("python3 my_model.py")
                    .desired_width(260.0),
            );
        });
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("Suggest").clicked() {
                self.run_suggest(form.clone());
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}
