//! Corpus ▸ Agreement: the figures of `hashiya agreement` for the open corpus, computed on a
//! thread with a progress bar — the pairwise matrix as a heatmap (exact span F1, one button per
//! pair), per-label bars (exact F1 and α_u, egui_plot), the confusion matrix of the chosen pair,
//! and the documents by lowest agreement, each opening the Compare view of the chosen pair or the
//! curation of that document.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use egui::{Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};

use std::collections::BTreeMap;

use crate::model::agreement::report::{AgreementReport, LabelSpans, PairSpans};
use crate::model::agreement::{corpus_agreement, AgreementOptions, Figure};

use super::curation::CurateOptions;
use super::tasks::{Poll, Task};
use super::Workbench;

/// How many documents of the lowest agreement are listed.
const LOWEST_SHOWN: usize = 50;

/// The Agreement window's state (the window is open while this exists).
pub struct AgreementView {
    job: Option<AgreementJob>,
    pub report: Option<AgreementReport>,
    pub error: Option<String>,
    /// The pair (index in `report.spans.pairs`) whose confusion matrix is shown and whose
    /// Compare view the documents open.
    pub pair: usize,
    /// The documents of lowest agreement as listed, worked out once per report.
    lowest: Vec<LowRow>,
}

/// One row of the documents of lowest agreement.
struct LowRow {
    path: String,
    figures: String,
    /// Its index among the corpus entries (`None`: no longer in the open corpus).
    entry: Option<usize>,
}

struct AgreementJob {
    task: Task<Result<AgreementReport, String>>,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl AgreementView {
    pub fn is_computing(&self) -> bool {
        self.job.is_some()
    }

    fn chosen_pair(&self) -> Option<&PairSpans> {
        self.report.as_ref()?.spans.pairs.get(self.pair)
    }
}

/// A figure as the view shows it: three decimals, or `-`.
fn shown(f: &Figure) -> String {
    f.value
        .map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

/// Red (0) through yellow to green (1); grey when undefined.
fn heat(value: Option<f64>) -> Color32 {
    let Some(v) = value else {
        return Color32::from_gray(160);
    };
    let v = v.clamp(0.0, 1.0) as f32;
    let (r, g) = if v < 0.5 {
        (1.0, v * 2.0)
    } else {
        (2.0 - v * 2.0, 1.0)
    };
    Color32::from_rgb((r * 220.0) as u8, (g * 190.0) as u8, 70)
}

impl Workbench {
    /// Corpus ▸ Agreement: opens the window and computes the figures on a thread.
    pub fn open_agreement(&mut self) {
        let Some(root) = self.corpus.as_ref().map(|c| c.root.clone()) else {
            self.tell("open a corpus first");
            return;
        };
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (d, t) = (Arc::clone(&done), Arc::clone(&total));
        let encoding = self.options.encoding;
        let task = Task::spawn("computing agreement", self.ctx.as_ref(), move || {
            let options = AgreementOptions {
                encoding,
                ..AgreementOptions::default()
            };
            corpus_agreement(&root, &options, &mut |n, all| {
                d.store(n, Ordering::Relaxed);
                t.store(all, Ordering::Relaxed);
            })
            .map_err(|e| e.to_string())
        });
        let pair = self.agreement.as_ref().map_or(0, |v| v.pair);
        self.agreement = Some(AgreementView {
            job: Some(AgreementJob { task, done, total }),
            report: None,
            error: None,
            pair,
            lowest: Vec::new(),
        });
    }

    /// Takes the figures computed on the thread.
    pub(super) fn poll_agreement(&mut self) {
        let corpus = self.corpus.as_ref();
        let Some(view) = self.agreement.as_mut() else {
            return;
        };
        let Some(job) = view.job.as_ref() else {
            return;
        };
        let result = match job.task.poll() {
            Poll::Pending => return,
            Poll::Done(r) => r,
            Poll::Crashed => Err("the computation stopped unexpectedly (a bug)".to_owned()),
        };
        view.job = None;
        match result {
            Ok(r) => {
                if view.report.is_none() || view.pair >= r.spans.pairs.len() {
                    // At first, the pair that shares the most documents.
                    view.pair = r
                        .spans
                        .pairs
                        .iter()
                        .enumerate()
                        .max_by_key(|(i, p)| (p.documents, std::cmp::Reverse(*i)))
                        .map_or(0, |(i, _)| i);
                }
                view.lowest = lowest_rows(&r, corpus);
                view.report = Some(r);
            }
            Err(e) => view.error = Some(e),
        }
    }

    pub(super) fn agreement_window_ui(&mut self, ctx: &egui::Context) {
        if self.agreement.is_none() {
            return;
        }
        let mut open = true;
        let mut action = None;
        egui::Window::new("Agreement")
            .open(&mut open)
            .default_size([860.0, 780.0])
            .vscroll(true)
            .show(ctx, |ui| action = self.agreement_ui(ui));
        if !open {
            self.agreement = None;
        }
        match action {
            Some(DocumentAction::Compare(i, a, b)) => self.open_compare(i, &a, &b),
            Some(DocumentAction::Curate(i, annotators)) => self.curate_document(
                i,
                CurateOptions {
                    annotators,
                    into: "gold".to_owned(),
                },
            ),
            None => {}
        }
    }

    fn agreement_ui(&mut self, ui: &mut egui::Ui) -> Option<DocumentAction> {
        let view = self.agreement.as_mut()?;
        if let Some(job) = &view.job {
            let (done, total) = (
                job.done.load(Ordering::Relaxed),
                job.total.load(Ordering::Relaxed),
            );
            let frac = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            ui.label(format!("Reading the corpus: {done} of {total} documents"));
            ui.add(egui::ProgressBar::new(frac).show_percentage());
            return None;
        }
        if let Some(e) = &view.error {
            ui.colored_label(ui.visuals().error_fg_color, e.as_str());
            return None;
        }
        let report = view.report.as_ref()?;
        overview_ui(ui, report);
        if ui.button("Compute again").clicked() {
            self.open_agreement();
            return None;
        }
        let view = self.agreement.as_mut()?;
        let report = view.report.as_ref()?;
        if report.spans.pairs.is_empty() {
            ui.label("No two annotators have annotated the same document: nothing to compare.");
            return None;
        }
        ui.separator();
        ui.heading("Pairs: exact span F1");
        if let Some(p) = heatmap_ui(ui, report, view.pair) {
            view.pair = p;
        }
        ui.separator();
        let pair = view.chosen_pair()?;
        let (a, b) = (pair.a.as_str(), pair.b.as_str());
        ui.heading(format!(
            "Documents by lowest agreement (Compare: {a} and {b})"
        ));
        let action = lowest_documents_ui(ui, &view.lowest, (a, b), &report.annotators);
        ui.separator();
        ui.heading("Per label");
        label_bars_ui(ui, &report.spans.per_label);
        ui.separator();
        ui.heading(format!("Confusion: {a} (rows) × {b} (columns)"));
        confusion_ui(ui, pair);
        action
    }
}

/// The rows of the documents of lowest agreement, with their places in the open corpus.
fn lowest_rows(r: &AgreementReport, corpus: Option<&crate::model::Corpus>) -> Vec<LowRow> {
    let entries: std::collections::HashMap<&str, usize> = corpus
        .map(|c| {
            c.entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.relative.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    r.lowest_documents()
        .into_iter()
        .take(LOWEST_SHOWN)
        .map(|d| LowRow {
            path: d.path.clone(),
            figures: format!(
                "{}  {} disagreement(s), {} clitic only",
                shown(&d.figures.exact_f1),
                d.figures.disagreements,
                d.figures.clitic_only
            ),
            entry: entries.get(d.path.as_str()).copied(),
        })
        .collect()
}

fn lowest_documents_ui(
    ui: &mut egui::Ui,
    rows: &[LowRow],
    (a, b): (&str, &str),
    annotators: &[String],
) -> Option<DocumentAction> {
    let mut action = None;
    egui::Grid::new("agreement-lowest")
        .striped(true)
        .show(ui, |ui| {
            for LowRow {
                path,
                figures,
                entry,
            } in rows
            {
                ui.label(RichText::new(figures).monospace());
                ui.add(crate::ui::shaped_label::ShapedLabel::new(path));
                let i = *entry;
                if ui
                    .add_enabled(i.is_some(), egui::Button::new("Compare"))
                    .on_hover_text(format!("Open {path} in the Compare view of {a} and {b}"))
                    .clicked()
                {
                    action = i.map(|i| DocumentAction::Compare(i, a.to_owned(), b.to_owned()));
                }
                if ui
                    .add_enabled(i.is_some(), egui::Button::new("Curate"))
                    .on_hover_text(format!("Curate {path} into gold"))
                    .clicked()
                {
                    action = i.map(|i| DocumentAction::Curate(i, annotators.to_vec()));
                }
                ui.end_row();
            }
        });
    action
}

/// What a click in the documents list asks for: (corpus entry index, ...).
enum DocumentAction {
    Compare(usize, String, String),
    Curate(usize, Vec<String>),
}

fn overview_ui(ui: &mut egui::Ui, r: &AgreementReport) {
    ui.label(format!(
        "{} annotator(s): {} — {} of {} document(s) annotated",
        r.annotators.len(),
        r.annotators.join(", "),
        r.documents_annotated,
        r.documents_listed
    ));
    ui.label(format!(
        "spans: exact F1 {}, overlap F1 {}, Krippendorff's α_u {}; tokens: Fleiss' κ {}, \
         Krippendorff's α {}",
        shown(&r.spans.counts.exact_f1),
        shown(&r.spans.counts.overlap_f1),
        shown(&r.spans.alpha_u),
        shown(&r.tokens.fleiss_kappa),
        shown(&r.tokens.krippendorff_alpha)
    ));
    for (name, d) in &r.document_labels {
        ui.label(format!(
            "document label {name}: Krippendorff's α {} over {} unit(s)",
            shown(&d.krippendorff_alpha),
            d.krippendorff_units
        ));
    }
    if !r.problems.is_empty() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} file(s) left out: {}",
                r.problems.len(),
                r.problems.join("; ")
            ),
        );
    }
}

/// The annotators × annotators matrix; a click picks the pair. Returns the pair picked.
fn heatmap_ui(ui: &mut egui::Ui, r: &AgreementReport, chosen: usize) -> Option<usize> {
    let mut picked = None;
    let pair_of = |a: &str, b: &str| {
        r.spans
            .pairs
            .iter()
            .position(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
    };
    egui::Grid::new("agreement-heatmap").show(ui, |ui| {
        ui.label("");
        for b in &r.annotators {
            ui.label(RichText::new(b).strong());
        }
        ui.end_row();
        for a in &r.annotators {
            ui.label(RichText::new(a).strong());
            for b in &r.annotators {
                if a == b {
                    ui.label("—");
                    continue;
                }
                let Some(k) = pair_of(a, b) else {
                    ui.label("");
                    continue;
                };
                let f = &r.spans.pairs[k].counts.exact_f1;
                let text = RichText::new(shown(f)).color(Color32::BLACK);
                let button = egui::Button::new(text)
                    .fill(heat(f.value))
                    .min_size(egui::vec2(64.0, 28.0))
                    .selected(k == chosen);
                let r = ui.add(button).on_hover_text(format!(
                    "{a} × {b}: exact span F1 — click to pick this pair"
                ));
                if r.clicked() {
                    picked = Some(k);
                }
            }
            ui.end_row();
        }
    });
    picked
}

/// Exact F1 and α_u per label, as bars.
fn label_bars_ui(ui: &mut egui::Ui, per_label: &BTreeMap<String, LabelSpans>) {
    let labels: Vec<&String> = per_label.keys().collect();
    let bars = |f: &dyn Fn(&LabelSpans) -> &Figure, offset: f64| {
        labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let v = f(per_label.get(*l)?).value?;
                Some(Bar::new(i as f64 + offset, v).width(0.35).name(l.as_str()))
            })
            .collect::<Vec<_>>()
    };
    let f1 = BarChart::new("exact F1", bars(&|l| &l.counts.exact_f1, -0.18));
    let alpha = BarChart::new("α_u", bars(&|l| &l.alpha_u, 0.18));
    let names: Vec<String> = labels.iter().map(|l| (*l).clone()).collect();
    Plot::new("agreement-labels")
        .height(220.0)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _range| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(f1);
            plot.bar_chart(alpha);
        });
}

/// The chosen pair's confusion matrix (overlapping spans; "none": no span there).
fn confusion_ui(ui: &mut egui::Ui, pair: &PairSpans) {
    let name = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".to_owned());
    let mut rows: Vec<String> = pair.confusion.iter().map(|c| name(&c.a)).collect();
    let mut cols: Vec<String> = pair.confusion.iter().map(|c| name(&c.b)).collect();
    rows.sort();
    rows.dedup();
    cols.sort();
    cols.dedup();
    let count = |a: &str, b: &str| {
        pair.confusion
            .iter()
            .filter(|c| name(&c.a) == a && name(&c.b) == b)
            .map(|c| c.count)
            .sum::<u64>()
    };
    egui::Grid::new("agreement-confusion")
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for c in &cols {
                ui.label(RichText::new(c).strong());
            }
            ui.end_row();
            for r in &rows {
                ui.label(RichText::new(r).strong());
                for c in &cols {
                    let n = count(r, c);
                    let text = if n == 0 { String::new() } else { n.to_string() };
                    let t = RichText::new(text).monospace();
                    ui.label(if r == c { t.strong() } else { t });
                }
                ui.end_row();
            }
        });
}
