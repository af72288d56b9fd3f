//! Curation (Document ▸ Curate…, `hashiya PATH --curate --annotators a,b,c [--into gold]`): the
//! gold layer is the editable one, the annotators' layers are shown beside it. On first opening
//! (no gold sidecar yet) what the annotators agree on is merged by the rule of `hashiya merge`, as
//! one undo step; the units still open are listed and walked with `]` and `[`; `1`–`9` pick a
//! variant, `0` rejects them all, a label key corrects the variant in focus (Tab moves the focus),
//! each decision one undo step. The rules are `model::curation`'s; this file holds the state and
//! the actions, `curation_panel.rs` draws them.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::model::curation::progress::{corpus_progress, Progress};
use crate::model::curation::{self, Curation, Decision, Unit, UnitKind, VariantItem};
use crate::model::merge::{merge_edit, Layer, MergeRule};
use crate::model::sidecar::valid_annotator;
use crate::model::Annotations;

use super::tasks::{Poll, Task};
use super::Workbench;

/// What `--curate` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurateOptions {
    /// The layers curated (empty: every layer of the document but the gold one).
    pub annotators: Vec<String>,
    /// The layer the curation is written into.
    pub into: String,
}

impl CurateOptions {
    /// Checks the names: valid annotator names, the gold layer not one of the annotators.
    pub fn check(&self) -> Result<(), String> {
        for n in self.annotators.iter().chain(std::iter::once(&self.into)) {
            if !valid_annotator(n) {
                return Err(format!(
                    "`{n}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)"
                ));
            }
        }
        if self.annotators.contains(&self.into) {
            return Err(format!(
                "`{}` is one of the annotators curated: curate into another layer (theirs is never \
                 written)",
                self.into
            ));
        }
        Ok(())
    }
}

type ProgressList = Vec<(String, Result<Progress, String>)>;

/// The curation under way.
pub struct CurationState {
    pub options: CurateOptions,
    /// The units of the open document (as the gold layer is now).
    pub curation: Curation,
    /// Index of the unit in focus.
    pub current: Option<usize>,
    /// The variant of the unit in focus that a label key corrects.
    pub variant: usize,
    /// Progress of every article (by relative path), for the document list.
    pub progress: BTreeMap<String, Result<Progress, String>>,
    progress_task: Option<Task<ProgressList>>,
    /// The editor revision and layers the units were computed for.
    computed_for: Option<(u64, usize, std::path::PathBuf)>,
}

impl CurationState {
    pub(super) fn new(options: CurateOptions) -> Self {
        Self {
            options,
            curation: Curation::default(),
            current: None,
            variant: 0,
            progress: BTreeMap::new(),
            progress_task: None,
            computed_for: None,
        }
    }

    pub fn unit(&self) -> Option<&Unit> {
        self.current.and_then(|c| self.curation.units.get(c))
    }
}

impl Workbench {
    /// Starts curating into `options.into`: the open document is opened again with the gold layer
    /// as the editable one.
    pub fn start_curation(&mut self, options: CurateOptions) {
        if let Err(e) = options.check() {
            self.report(e);
            return;
        }
        self.close_compare();
        self.curation = Some(CurationState::new(options));
        self.start_curation_progress();
        if let Some(i) = self.current {
            self.when_saved(move |wb| wb.start_opening_document(i));
        }
    }

    /// Curates document `index` of the corpus (Corpus ▸ Agreement's Curate).
    pub fn curate_document(&mut self, index: usize, options: CurateOptions) {
        if let Err(e) = options.check() {
            self.report(e);
            return;
        }
        self.close_compare();
        self.curation = Some(CurationState::new(options));
        self.start_curation_progress();
        self.when_saved(move |wb| wb.start_opening_document(index));
    }

    /// Leaves curation; the open document is opened again as mine.
    pub fn stop_curation(&mut self) {
        if self.curation.is_none() {
            return;
        }
        let current = self.current;
        self.when_saved(move |wb| {
            wb.curation = None;
            wb.highlights_key = None;
            if let Some(i) = current {
                wb.start_opening_document(i);
            }
        });
    }

    pub fn is_curating(&self) -> bool {
        self.curation.is_some()
    }

    /// Reads every article's curation progress on a thread.
    pub(super) fn start_curation_progress(&mut self) {
        let (Some(corpus), Some(state)) = (self.corpus.as_ref(), self.curation.as_mut()) else {
            return;
        };
        let articles = corpus.article_files();
        let schema = corpus.schema.clone();
        let into = state.options.into.clone();
        let mut annotators = state.options.annotators.clone();
        if annotators.is_empty() {
            annotators = articles
                .iter()
                .flat_map(|a| a.sidecars.iter().map(|(n, _)| n.clone()))
                .filter(|n| n != &into)
                .collect();
            annotators.sort();
            annotators.dedup();
        }
        let cancel = Arc::new(AtomicBool::new(false));
        state.progress_task = Some(Task::spawn(
            "reading curation progress",
            self.ctx.as_ref(),
            move || corpus_progress(&articles, &annotators, &into, &schema, &cancel),
        ));
    }

    /// Takes the progress read on its thread.
    pub(super) fn poll_curation(&mut self) {
        let Some(state) = self.curation.as_mut() else {
            return;
        };
        let Some(task) = state.progress_task.as_ref() else {
            return;
        };
        let list = match task.poll() {
            Poll::Pending => return,
            Poll::Done(list) => list,
            Poll::Crashed => Vec::new(),
        };
        {
            state.progress_task = None;
            let current = self
                .current
                .and_then(|i| self.corpus.as_ref()?.entries.get(i))
                .map(|e| e.relative.clone());
            for (relative, p) in list {
                // The open document's own count is the live one.
                if Some(&relative) != current.as_ref() || !state.progress.contains_key(&relative) {
                    state.progress.insert(relative, p);
                }
            }
        }
    }

    /// The annotators' layers of the open document that are curated.
    fn curated_layers(&self) -> Vec<(String, &Annotations)> {
        let (Some(session), Some(state)) = (self.session.as_ref(), self.curation.as_ref()) else {
            return Vec::new();
        };
        let named = &state.options.annotators;
        session
            .layers
            .iter()
            .filter(|l| l.annotator != state.options.into)
            .filter(|l| named.is_empty() || named.contains(&l.annotator))
            .filter_map(|l| Some((l.annotator.clone(), l.annotations.as_ref().ok()?)))
            .collect()
    }

    /// The curated layers' names, for the panel.
    pub fn curated_layer_names(&self) -> Vec<String> {
        self.curated_layers().into_iter().map(|(n, _)| n).collect()
    }

    /// Called when a document is open: while curating, the first opening merges what agrees
    /// (one undo step) and the focus goes to the first open unit.
    pub(super) fn curation_on_open(&mut self, first_opening: bool) {
        let Some(state) = self.curation.as_ref() else {
            return;
        };
        let into = state.options.into.clone();
        let Some(session) = self.session.as_ref() else {
            return;
        };
        if session.annotator != into {
            return;
        }
        let unreadable: Vec<String> = session
            .layers
            .iter()
            .filter_map(|l| {
                l.annotations
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", l.annotator))
            })
            .collect();
        for e in unreadable {
            self.report(format!("{e} — this layer is left out of the curation"));
        }
        let schema = self.schema();
        if first_opening {
            let named = self.curated_layers();
            let layers: Vec<Layer<'_>> = named
                .iter()
                .map(|(a, l)| Layer {
                    annotator: a,
                    annotations: l,
                })
                .collect();
            let gold = self.session.as_ref().map(|s| s.editor.annotations());
            let (edit, outcome) = match gold {
                Some(g) => merge_edit(g, &layers, &MergeRule::default(), &schema),
                None => (None, Default::default()),
            };
            if let (Some(edit), Some(session)) = (edit, self.session.as_mut()) {
                if let Err(e) = session.editor.apply(edit) {
                    self.report(format!("the agreed annotations could not be merged: {e}"));
                } else {
                    self.tell(format!(
                        "merged {} agreed annotation(s) into {into}",
                        outcome.merged()
                    ));
                }
            }
        }
        self.refresh_curation();
        if let Some(state) = self.curation.as_mut() {
            state.current = None;
        }
        self.step_unit(true);
    }

    /// Recomputes the units when the gold layer or the layers changed.
    pub(super) fn refresh_curation(&mut self) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(state) = self.curation.as_ref() else {
            return;
        };
        if session.annotator != state.options.into {
            return;
        }
        let (revision, layer_count) = (session.editor.revision(), session.layers.len());
        // Called on every frame: compared in place, nothing is built unless it changed.
        if state.computed_for.as_ref().is_some_and(|(r, n, p)| {
            *r == revision && *n == layer_count && p.as_path() == session.doc.path()
        }) {
            return;
        }
        let key = (revision, layer_count, session.doc.path().to_path_buf());
        let schema = self.schema();
        let named = self.curated_layers();
        let layers: Vec<Layer<'_>> = named
            .iter()
            .map(|(a, l)| Layer {
                annotator: a,
                annotations: l,
            })
            .collect();
        let units = curation::units(
            session.editor.annotations(),
            &layers,
            &MergeRule::default(),
            &schema,
        );
        let relative = self
            .current
            .and_then(|i| self.corpus.as_ref()?.entries.get(i))
            .map(|e| e.relative.clone());
        if let Some(state) = self.curation.as_mut() {
            if let Some(r) = relative {
                state.progress.insert(
                    r,
                    Ok(Progress {
                        open: units.open(),
                        units: units.units.len(),
                    }),
                );
            }
            if state.current.is_some_and(|c| c >= units.units.len()) {
                state.current = None;
            }
            state.curation = units;
            state.computed_for = Some(key);
        }
        self.highlights_key = None;
    }

    /// Moves the focus to the next (or previous) open unit, or to any unit when none is open.
    pub fn step_unit(&mut self, forward: bool) {
        let Some(state) = self.curation.as_ref() else {
            return;
        };
        let units = &state.curation.units;
        if units.is_empty() {
            self.tell("nothing to curate here: the layers agree");
            return;
        }
        let open: Vec<usize> = (0..units.len()).filter(|&i| units[i].open).collect();
        let walk = if open.is_empty() {
            (0..units.len()).collect()
        } else {
            open
        };
        let next = match state.current.and_then(|c| {
            if forward {
                walk.iter().position(|&u| u > c)
            } else {
                walk.iter().rposition(|&u| u < c)
            }
        }) {
            Some(p) => walk[p],
            None if forward => walk[0],
            None => walk[walk.len() - 1],
        };
        self.focus_unit(next);
    }

    /// Puts the focus on unit `k`: scrolls to it and frames the variant most annotators made.
    pub fn focus_unit(&mut self, k: usize) {
        let Some(state) = self.curation.as_mut() else {
            return;
        };
        let Some(unit) = state.curation.units.get(k) else {
            return;
        };
        state.current = Some(k);
        state.variant = unit
            .variants
            .iter()
            .enumerate()
            .max_by_key(|(i, v)| (v.annotators.len(), std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i);
        let range = unit.range.clone();
        let framed = frame_of(unit, state.variant);
        self.selected_span = None;
        self.canvas.set_selection(None);
        if let Some(r) = range {
            self.canvas.scroll_to_char(r.start);
        }
        self.selected_other = framed;
        self.highlights_key = None;
    }

    /// Tab: the next variant of the unit in focus.
    pub fn cycle_variant(&mut self) {
        let Some(state) = self.curation.as_mut() else {
            return;
        };
        let Some(unit) = state.unit() else {
            return;
        };
        let n = unit.variants.len().max(1);
        let v = (state.variant + 1) % n;
        let framed = frame_of(unit, v);
        state.variant = v;
        self.selected_other = framed;
        self.highlights_key = None;
    }

    /// Records a decision on the unit in focus (one undo step) and moves to the next open unit.
    pub fn decide_unit(&mut self, decision: Decision) {
        let schema = self.schema();
        let (Some(state), Some(session)) = (self.curation.as_ref(), self.session.as_mut()) else {
            return;
        };
        let Some(unit) = state.unit() else {
            self.tell("no unit in focus: ] goes to the next open one");
            return;
        };
        if session.read_only.is_some() {
            self.tell("this document is open read-only");
            return;
        }
        let what = describe(unit, &decision);
        match curation::decide(session.editor.annotations(), unit, &decision, &schema) {
            Ok(Some(edit)) => match session.editor.apply(edit) {
                Ok(()) => {
                    self.refresh_curation();
                    let left = self.curation.as_ref().map_or(0, |s| s.curation.open());
                    self.tell(format!("{what}; {left} open"));
                    if left > 0 {
                        self.step_unit(true);
                    }
                }
                Err(e) => self.report(format!("the decision could not be made: {e}")),
            },
            Ok(None) => self.tell(format!("{what}: the gold layer already says so")),
            Err(e) => self.tell(e.to_string()),
        }
    }

    /// A label key while a unit is in focus: the variant in focus, with this label.
    pub(super) fn correct_unit(&mut self, label: &str) -> bool {
        let Some(state) = self.curation.as_ref() else {
            return false;
        };
        let Some(unit) = state.unit() else {
            return false;
        };
        if unit.kind != UnitKind::Span {
            return false;
        }
        let variant = state.variant;
        self.decide_unit(Decision::Correct {
            variant,
            label: label.to_owned(),
        });
        true
    }
}

/// The span of another layer that stands for variant `v` on the canvas: (its first maker, the
/// span's id).
fn frame_of(unit: &Unit, v: usize) -> Option<(String, String)> {
    let variant = unit.variants.get(v)?;
    let who = variant.annotators.first()?.clone();
    let id = match &variant.item {
        VariantItem::Span(s) => s.id.clone(),
        VariantItem::Relation { from, .. } => from.id.clone(),
        VariantItem::DocLabel { .. } => return None,
    };
    Some((who, id))
}

/// "picked PER of layla, omar", for the status bar.
fn describe(unit: &Unit, decision: &Decision) -> String {
    let of = |k: usize| {
        unit.variants.get(k).map_or_else(String::new, |v| {
            format!("{} of {}", v.item.label(), v.annotators.join(", "))
        })
    };
    match decision {
        Decision::Pick(k) => format!("picked {}", of(*k)),
        Decision::RejectAll => format!("rejected every variant of this {}", unit.kind.name()),
        Decision::Correct { variant, label } => format!("corrected {} to {label}", of(*variant)),
    }
}

impl Workbench {
    /// Document ▸ Curate…: asks which layers to curate and into which layer.
    pub fn open_curate_dialog(&mut self) {
        let into = "gold".to_owned();
        let layers = self
            .layer_names()
            .into_iter()
            .filter(|n| n != &into)
            .map(|n| (n, true))
            .collect();
        self.dialog = Some(super::Dialog::Curate { into, layers });
    }

    /// The Curate dialog; `false` once it is done.
    pub(super) fn curate_dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        into: &mut String,
        layers: &mut [(String, bool)],
    ) -> bool {
        ui.heading("Curate this document");
        ui.label(
            "What the layers you tick agree on goes into the gold layer at once; the disagreements \
             are then shown one by one for you to decide. Their own sidecars are never written.",
        );
        for (name, on) in layers.iter_mut() {
            if name != into {
                ui.checkbox(on, name.as_str());
            }
        }
        let l = ui.label("Into the layer");
        ui.add(egui::TextEdit::singleline(into).desired_width(120.0))
            .labelled_by(l.id);
        let options = CurateOptions {
            annotators: layers
                .iter()
                .filter(|(n, on)| *on && n != into)
                .map(|(n, _)| n.clone())
                .collect(),
            into: into.trim().to_owned(),
        };
        let problem = match options.check() {
            Err(e) => Some(e),
            Ok(()) if options.annotators.is_empty() => Some("tick at least one layer".to_owned()),
            Ok(()) => None,
        };
        if let Some(p) = &problem {
            ui.colored_label(ui.visuals().error_fg_color, p);
        }
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(problem.is_none(), egui::Button::new("Curate"))
                .clicked()
            {
                self.start_curation(options.clone());
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}
