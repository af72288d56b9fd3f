//! Corpus ▸ Overview: the figures of `hashiya stats --json` as charts (egui_plot) — documents by
//! status per annotator (stacked bars), spans per label, span lengths and article lengths
//! (histograms with doubling bins). The counts follow every save; the article lengths are read on
//! a thread once per corpus. Save as PNG writes what the window shows.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use egui::Color32;
use egui_plot::{Bar, BarChart, GridInput, GridMark, Legend, Plot};

use crate::model::histogram::Histogram;
use crate::model::stats::{corpus_stats, document_lengths, CorpusStats};
use crate::model::DocStatus;

use super::tasks::{Poll, Task};
use super::Workbench;

/// The Overview window's state (the window is open while this exists).
pub struct Dashboard {
    pub stats: CorpusStats,
    /// The corpus revision the counts were taken at.
    computed_for: u64,
    lengths_task: Option<Task<(Histogram, Vec<String>)>>,
    /// Where Save as PNG writes.
    pub png_path: String,
    /// The window's place on screen in the last frame (what Save as PNG crops to).
    window_rect: Option<egui::Rect>,
    /// The outcome of the last Save as PNG, once written.
    pub png_result: Arc<Mutex<Option<Result<PathBuf, String>>>>,
}

/// The colour of a status, as in the document list.
fn status_color(s: DocStatus) -> Color32 {
    match s {
        DocStatus::New => Color32::from_gray(170),
        DocStatus::InProgress => Color32::from_rgb(0xff, 0x9f, 0x1c),
        DocStatus::Finished => Color32::from_rgb(0x2c, 0xa0, 0x2c),
        DocStatus::Reviewed => Color32::from_rgb(0x1f, 0x77, 0xb4),
    }
}

impl Workbench {
    /// Corpus ▸ Overview.
    pub fn open_dashboard(&mut self) {
        let Some(corpus) = self.corpus.clone() else {
            self.tell("open a corpus first");
            return;
        };
        let stats = corpus_stats(&corpus, None);
        let task = Task::spawn("reading article lengths", self.ctx.as_ref(), move || {
            document_lengths(&corpus, &AtomicBool::new(false))
        });
        let png_path = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir)
            .join("hashiya-overview.png")
            .display()
            .to_string();
        self.dashboard = Some(Dashboard {
            stats,
            computed_for: self.corpus_revision,
            lengths_task: Some(task),
            png_path,
            window_rect: None,
            png_result: Arc::new(Mutex::new(None)),
        });
    }

    /// Counts again after a save changed the corpus; takes the article lengths.
    pub(super) fn refresh_dashboard(&mut self) {
        let revision = self.corpus_revision;
        let (Some(d), Some(corpus)) = (self.dashboard.as_mut(), self.corpus.as_ref()) else {
            return;
        };
        if d.computed_for != revision {
            let lengths = d.stats.document_lengths.take();
            d.stats = corpus_stats(corpus, None);
            d.stats.document_lengths = lengths;
            d.computed_for = revision;
        }
        let Some(task) = d.lengths_task.as_ref() else {
            return;
        };
        match task.poll() {
            Poll::Pending => {}
            Poll::Done((h, problems)) => {
                d.lengths_task = None;
                d.stats.document_lengths = Some(h);
                for p in problems {
                    self.report(p);
                }
            }
            Poll::Crashed => d.lengths_task = None,
        }
    }

    pub(super) fn dashboard_window_ui(&mut self, ctx: &egui::Context) {
        let Some(d) = self.dashboard.as_mut() else {
            return;
        };
        let mut open = true;
        let mut save = false;
        let shown = egui::Window::new("Corpus overview")
            .open(&mut open)
            .default_size([900.0, 640.0])
            .show(ctx, |ui| save = dashboard_ui(ui, d));
        d.window_rect = shown.map(|r| r.response.rect);
        if save {
            save_png(ctx, d);
        }
        if !open {
            self.dashboard = None;
        }
    }
}

/// The window's contents; `true` when Save as PNG was clicked.
fn dashboard_ui(ui: &mut egui::Ui, d: &mut Dashboard) -> bool {
    let s = &d.stats;
    ui.label(format!(
        "{} document(s), {} sidecar(s) of {} annotator(s), {} span(s) ({} suggested)",
        s.documents,
        s.sidecars,
        s.annotators.len(),
        s.spans,
        s.suggested_spans
    ));
    egui::Grid::new("overview-charts")
        .num_columns(2)
        .spacing([16.0, 12.0])
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.strong("Documents by status, per annotator");
                status_chart(ui, s);
            });
            ui.vertical(|ui| {
                ui.strong("Spans per label");
                let names: Vec<String> = s.spans_by_label.keys().cloned().collect();
                let values: Vec<f64> = s.spans_by_label.values().map(|&n| n as f64).collect();
                bars(ui, "overview-labels", &names, &values, true);
            });
            ui.end_row();
            ui.vertical(|ui| {
                ui.strong(format!(
                    "Span lengths (chars): median {}, max {}",
                    s.span_lengths.median, s.span_lengths.max
                ));
                histogram(ui, "overview-span-lengths", &s.span_lengths);
            });
            ui.vertical(|ui| match &s.document_lengths {
                Some(h) => {
                    ui.strong(format!(
                        "Article lengths (chars): median {}, max {}",
                        h.median, h.max
                    ));
                    histogram(ui, "overview-doc-lengths", h);
                }
                None => {
                    ui.strong("Article lengths (chars)");
                    ui.add(egui::Spinner::new());
                }
            });
            ui.end_row();
        });
    ui.separator();
    let mut save = false;
    ui.horizontal(|ui| {
        let l = ui.label("PNG file");
        ui.add(egui::TextEdit::singleline(&mut d.png_path).desired_width(360.0))
            .labelled_by(l.id);
        save = ui.button("Save as PNG").clicked();
        if let Ok(slot) = d.png_result.lock() {
            match &*slot {
                Some(Ok(p)) => {
                    ui.label(format!("saved {}", p.display()));
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                }
                None => {}
            }
        }
    });
    save
}

/// Asks for a screenshot and writes the window's part of it to the PNG path.
fn save_png(ctx: &egui::Context, d: &Dashboard) {
    let path = PathBuf::from(d.png_path.trim());
    let Some(rect) = d.window_rect else {
        return;
    };
    let ppp = ctx.pixels_per_point();
    let slot = Arc::clone(&d.png_result);
    let repaint = ctx.clone();
    ctx.request_screenshot(move |image| {
        let result = match crate::ui::screenshot::crop(&image, rect, ppp) {
            Some(part) => crate::ui::screenshot::write_png(&path, &part)
                .map(|()| path.clone())
                .map_err(|e| format!("{e:#}")),
            None => Err("the window is not on screen".to_owned()),
        };
        if let Ok(mut s) = slot.lock() {
            *s = Some(result);
        }
        repaint.request_repaint();
    });
}

/// A plot whose category axis (x, or y for `horizontal`) has one mark per bar, named.
fn plot(id: &str, names: Vec<String>, horizontal: bool) -> Plot<'static> {
    let count = names.len();
    let name_of = move |mark: GridMark, _range: &std::ops::RangeInclusive<f64>| {
        let i = mark.value.round();
        if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let every_bar = |input: GridInput| -> Vec<GridMark> {
        let (lo, hi) = input.bounds;
        let (lo, hi) = (lo.ceil().max(0.0) as i64, hi.floor() as i64);
        (lo..=hi)
            // A mark's step size decides how strongly its line and label are drawn: each bar's
            // name is to be read, so every mark counts as a major one.
            .map(|v| GridMark {
                value: v as f64,
                step_size: 100.0,
            })
            .collect()
    };
    let p = Plot::new(id.to_owned())
        .width(400.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false);
    if horizontal {
        p.height((18.0 * count as f32).clamp(200.0, 420.0))
            .include_x(0.0)
            .y_axis_min_width(80.0)
            .y_grid_spacer(every_bar)
            .y_axis_formatter(name_of)
    } else {
        p.height(200.0)
            .include_y(0.0)
            .x_grid_spacer(every_bar)
            .x_axis_formatter(name_of)
    }
}

fn bars(ui: &mut egui::Ui, id: &str, names: &[String], values: &[f64], horizontal: bool) {
    let color = if horizontal {
        Color32::from_rgb(0x1f, 0x77, 0xb4)
    } else {
        Color32::from_rgb(0x94, 0x67, 0xbd)
    };
    let mut chart = BarChart::new(
        "count",
        values
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (v, n))| Bar::new(i as f64, *v).width(0.7).name(n))
            .collect(),
    )
    .color(color);
    if horizontal {
        chart = chart.horizontal();
    }
    plot(id, names.to_vec(), horizontal).show(ui, |p| p.bar_chart(chart));
}

/// A histogram from its first to its last non-empty bin, bins named short ("1k–2k").
fn histogram(ui: &mut egui::Ui, id: &str, h: &Histogram) {
    let first = h.counts.iter().position(|&n| n > 0).unwrap_or(0);
    let last = h.counts.iter().rposition(|&n| n > 0).unwrap_or(0);
    let bins = first..last + 1;
    let names: Vec<String> = bins
        .clone()
        .map(|k| match (h.from.get(k), h.to.get(k)) {
            (Some(a), Some(b)) if a == b => short(*a),
            // Many bins: each named by where it starts (its range would not fit).
            (Some(a), Some(_)) if last - first >= 6 => short(*a),
            (Some(a), Some(b)) => format!("{}–{}", short(*a), short(b + 1)),
            _ => String::new(),
        })
        .collect();
    let values: Vec<f64> = bins
        .map(|k| h.counts.get(k).copied().unwrap_or(0) as f64)
        .collect();
    bars(ui, id, &names, &values, false);
}

/// 1024 → "1k", 1048576 → "1M".
fn short(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{}M", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{}k", n >> 10),
        n => n.to_string(),
    }
}

/// One stacked bar per annotator: new, in progress, finished, reviewed.
fn status_chart(ui: &mut egui::Ui, s: &CorpusStats) {
    let annotators: Vec<String> = s.documents_by_annotator.keys().cloned().collect();
    let mut charts: Vec<BarChart> = Vec::new();
    for status in DocStatus::ALL {
        let bars: Vec<Bar> = annotators
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let n = s
                    .documents_by_annotator
                    .get(a)
                    .and_then(|m| m.get(status.name()))
                    .copied()
                    .unwrap_or(0);
                Bar::new(i as f64, n as f64).width(0.6).name(a)
            })
            .collect();
        let below: Vec<&BarChart> = charts.iter().collect();
        let chart = BarChart::new(status.name().replace('_', " "), bars)
            .color(status_color(status))
            .stack_on(&below);
        charts.push(chart);
    }
    // Room above the bars for the legend.
    let most = s.documents as f64;
    plot("overview-status", annotators, false)
        .include_y(most * 1.7)
        .legend(Legend::default())
        .show(ui, |p| {
            for c in charts {
                p.bar_chart(c);
            }
        });
}
