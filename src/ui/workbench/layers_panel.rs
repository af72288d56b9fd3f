//! The Layers panel: every sidecar of the open document is a layer — mine (editable) and the
//! others (colleagues, `model`, imported data, `gold`; read-only), each with its span count,
//! status, colour and a visibility toggle. A span of another layer can be taken into mine
//! (Enter), corrected into mine (a label key) or rejected (`-`, recorded in my sidecar so it is not
//! offered again).

use egui::{Color32, RichText};

use crate::model::layers::{self, Layer};
use crate::model::{ReviewState, Span};
use crate::ui::canvas::HighlightStyle;
use crate::ui::shaped_label::ShapedLabel;

use super::annotation_panel::label_tag;
use super::Workbench;

/// Layer colours, in order: distinct from each other, and readable as outlines on both themes.
const LAYER_COLORS: [[u8; 3]; 8] = [
    [0x1f, 0x77, 0xb4],
    [0xd6, 0x27, 0x28],
    [0x2c, 0xa0, 0x2c],
    [0x94, 0x67, 0xbd],
    [0xff, 0x7f, 0x0e],
    [0x17, 0xbe, 0xcf],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
];

/// The colour of the `k`-th other layer.
pub fn layer_color(k: usize) -> Color32 {
    let [r, g, b] = LAYER_COLORS[k % LAYER_COLORS.len()];
    Color32::from_rgb(r, g, b)
}

/// How the `k`-th other layer is drawn: never filled (that is mine), each layer its own line.
pub fn layer_style(k: usize) -> HighlightStyle {
    const STYLES: [HighlightStyle; 4] = [
        HighlightStyle::Outline,
        HighlightStyle::Underline,
        HighlightStyle::Dashed,
        HighlightStyle::Dotted,
    ];
    STYLES[k % STYLES.len()]
}

/// A legend sample of a style in a colour.
fn swatch(ui: &mut egui::Ui, color: Color32, style: HighlightStyle) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 14.0), egui::Sense::hover());
    let p = ui.painter();
    let stroke = egui::Stroke::new(2.0, color);
    let (left, right, y) = (rect.left() + 1.0, rect.right() - 1.0, rect.bottom() - 2.0);
    match style {
        HighlightStyle::Fill => {
            p.rect_filled(rect, 2.0, color.gamma_multiply(0.4));
            p.line_segment([egui::pos2(left, y), egui::pos2(right, y)], stroke);
        }
        HighlightStyle::Outline => {
            p.rect_stroke(rect.shrink(1.0), 2.0, stroke, egui::StrokeKind::Inside);
        }
        HighlightStyle::Underline => {
            p.line_segment([egui::pos2(left, y), egui::pos2(right, y)], stroke);
        }
        HighlightStyle::Dashed | HighlightStyle::Dotted => {
            let (on, gap) = if style == HighlightStyle::Dashed {
                (5.0, 3.0)
            } else {
                (2.0, 2.0)
            };
            let mut x = left;
            while x < right {
                p.line_segment(
                    [egui::pos2(x, y), egui::pos2((x + on).min(right), y)],
                    stroke,
                );
                x += on + gap;
            }
        }
    }
}

impl Workbench {
    pub(super) fn layers_panel_ui(&mut self, ui: &mut egui::Ui) {
        let Some(session) = self.session.as_ref() else {
            ui.label("No document open.");
            return;
        };
        let mine = session.editor.annotations();
        ui.horizontal(|ui| {
            swatch(ui, ui.visuals().text_color(), HighlightStyle::Fill);
            let who = if session.is_viewer() {
                "(nobody yet)".to_owned()
            } else {
                format!("{} (mine)", session.annotator)
            };
            ui.label(RichText::new(who).strong());
            ui.label(format!(
                "{} spans · {}",
                mine.spans().len(),
                mine.status.name().replace('_', " ")
            ));
        });
        if session.layers.is_empty() {
            ui.label(RichText::new("No other layer: nobody else annotated this article.").weak());
            return;
        }
        let mut toggled = None;
        for (k, layer) in session.layers.iter().enumerate() {
            ui.horizontal(|ui| {
                let mut visible = !self.hidden_layers.contains(&layer.annotator);
                if ui
                    .checkbox(&mut visible, "")
                    .on_hover_text(format!("Show {}'s spans on the text", layer.annotator))
                    .changed()
                {
                    toggled = Some(layer.annotator.clone());
                }
                swatch(ui, layer_color(k), layer_style(k));
                ui.label(&layer.annotator);
                match &layer.annotations {
                    Ok(a) => {
                        let open = layers::to_review(mine, &[(k, layer)]).len();
                        ui.label(format!(
                            "{} spans · {} · {open} to review",
                            a.spans().len(),
                            a.status.name().replace('_', " ")
                        ));
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().warn_fg_color, "cannot be read")
                            .on_hover_text(e);
                    }
                }
            });
        }
        ui.label(
            RichText::new(
                "Filled: your spans. Framed or underlined in a layer's colour: theirs (read-only). \
                 Click one to see it; Enter takes it into yours, a label key takes it corrected, \
                 - rejects it.",
            )
            .small()
            .weak(),
        );
        if let Some(a) = toggled {
            if !self.hidden_layers.remove(&a) {
                self.hidden_layers.insert(a);
            }
        }
    }

    /// The selected span of another layer, if any: (its layer, the span).
    pub(super) fn selected_other_span(&self) -> Option<(&Layer, &Span)> {
        let (annotator, id) = self.selected_other.as_ref()?;
        let layer = self.session.as_ref()?.layer(annotator)?;
        let span = layer.annotations.as_ref().ok()?.span(id)?;
        Some((layer, span))
    }

    /// Details of the selected span of another layer: who made it, label, attributes, note, and
    /// what to do with it.
    pub(super) fn other_span_details_ui(&mut self, ui: &mut egui::Ui) {
        let schema = self.schema();
        let Some((layer, span)) = self.selected_other_span() else {
            return;
        };
        let (layer_name, span) = (layer.annotator.clone(), span.clone());
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{layer_name}'s")).strong());
            label_tag(ui, &schema, &span.label);
            ui.label(format!("{}..{}", span.start, span.end));
        });
        ui.add(ShapedLabel::new(&span.text));
        other_span_facts_ui(ui, &span);
        let decided = self
            .session
            .as_ref()
            .is_some_and(|s| layers::decided(s.editor.annotations(), &span));
        if decided {
            ui.label(RichText::new("Already decided in your layer.").weak());
        }
        let read_only = self.session.as_ref().is_some_and(|s| s.read_only.is_some());
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!read_only, egui::Button::new("Take into mine (Enter)"))
                .clicked()
            {
                self.take_selected_other(None);
            }
            if ui
                .add_enabled(!read_only, egui::Button::new("Reject (-)"))
                .clicked()
            {
                self.reject_selected_other();
            }
        });
    }

    /// Takes the selected span of another layer into mine (with `label`, a correction, or its
    /// own), selects the new span's successor in the review, and says so.
    pub fn take_selected_other(&mut self, label: Option<&str>) {
        let Some((layer, span)) = self
            .selected_other_span()
            .map(|(l, s)| (l.clone(), s.clone()))
        else {
            return;
        };
        let label = label.unwrap_or(&span.label).to_owned();
        let taken = self.edit(|s, schema| {
            let doc = s.doc.clone();
            layers::take_span(&mut s.editor, &doc, schema, &layer, &span, &label)
        });
        if taken.is_some() {
            self.tell(format!("taken from {} as {label}", layer.annotator));
            self.select_next_unreviewed();
        }
    }

    /// Rejects the selected span of another layer (recorded in my sidecar).
    pub fn reject_selected_other(&mut self) {
        let Some((layer, span)) = self
            .selected_other_span()
            .map(|(l, s)| (l.clone(), s.clone()))
        else {
            return;
        };
        if self
            .edit(|s, _| layers::reject_span(&mut s.editor, &layer, &span))
            .is_some()
        {
            self.tell(format!("{}'s {} rejected", layer.annotator, span.label));
            self.select_next_unreviewed();
        }
    }

    /// Hovering a span of another layer: who made it, its label, attributes and note.
    pub(super) fn other_span_tooltip(&self, response: &egui::Response, annotator: &str, id: &str) {
        let Some(span) = self
            .session
            .as_ref()
            .and_then(|s| s.layer(annotator))
            .and_then(|l| l.annotations.as_ref().ok()?.span(id))
        else {
            return;
        };
        let schema = self.schema();
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(annotator).strong());
                label_tag(ui, &schema, &span.label);
            });
            ui.add(ShapedLabel::new(&span.text));
            other_span_facts_ui(ui, span);
        });
    }

    /// Selects a span of another layer (and scrolls to it).
    pub fn select_other(&mut self, annotator: &str, id: &str, scroll: bool) {
        self.commit_drafts();
        let start = self
            .session
            .as_ref()
            .and_then(|s| s.layer(annotator))
            .and_then(|l| l.annotations.as_ref().ok()?.span(id).map(|s| s.start));
        if let Some(start) = start {
            self.selected_span = None;
            self.selected_other = Some((annotator.to_owned(), id.to_owned()));
            self.canvas.set_selection(None);
            if scroll {
                self.canvas.scroll_to_char(start);
            }
        }
    }

    /// What is left to review after `from` (a char offset): my own suggestions and the undecided
    /// spans of the visible other layers, in text order, wrapping around.
    pub(super) fn next_to_review(&self) -> Option<super::SpanRef> {
        let session = self.session.as_ref()?;
        let mine = session.editor.annotations();
        let visible: Vec<(usize, &Layer)> = session
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| !self.hidden_layers.contains(&l.annotator))
            .collect();
        let mut queue: Vec<(usize, usize, super::SpanRef)> = mine
            .spans()
            .iter()
            .filter(|s| s.review == ReviewState::Suggested)
            .map(|s| (s.start, s.end, super::SpanRef::Mine(s.id.clone())))
            .collect();
        queue.extend(
            layers::to_review(mine, &visible)
                .into_iter()
                .filter_map(|(k, s)| {
                    let l = session.layers.get(k)?;
                    Some((
                        s.start,
                        s.end,
                        super::SpanRef::Other(l.annotator.clone(), s.id.clone()),
                    ))
                }),
        );
        queue.sort_by_key(|q| (q.0, q.1));
        let here = match (&self.selected_span, &self.selected_other) {
            (Some(id), _) => mine.span(id).map(|s| (s.start, s.end)),
            (None, Some((a, id))) => session
                .layer(a)
                .and_then(|l| l.annotations.as_ref().ok()?.span(id))
                .map(|s| (s.start, s.end)),
            _ => None,
        };
        let current = match (&self.selected_span, &self.selected_other) {
            (Some(id), _) => Some(super::SpanRef::Mine(id.clone())),
            (None, Some((a, id))) => Some(super::SpanRef::Other(a.clone(), id.clone())),
            _ => None,
        };
        if queue.is_empty() {
            return None;
        }
        // After the current one if it is in the queue, else after where the selection is.
        let next = match current
            .as_ref()
            .and_then(|c| queue.iter().position(|q| &q.2 == c))
        {
            Some(i) => (i + 1) % queue.len(),
            None => here.map_or(0, |h| queue.partition_point(|q| (q.0, q.1) <= h)) % queue.len(),
        };
        queue
            .get(next)
            .filter(|q| Some(&q.2) != current.as_ref())
            .map(|q| q.2.clone())
    }
}

/// Who made a span of another layer, and its attributes and note.
fn other_span_facts_ui(ui: &mut egui::Ui, span: &Span) {
    let made = match (span.source, span.review) {
        (_, ReviewState::Suggested) => "suggested (not yet reviewed in that layer)",
        (crate::model::Source::Model, _) => "made by a model",
        (crate::model::Source::Imported, _) => "imported",
        _ => "made by hand",
    };
    ui.label(RichText::new(made).small());
    if let Some(score) = span.score {
        ui.label(RichText::new(format!("score {score:.2}")).small());
    }
    for (k, v) in &span.attributes {
        ui.label(format!("{k}: {v}"));
    }
    if let Some(n) = &span.note {
        ui.horizontal(|ui| {
            ui.label("note:");
            ui.add(ShapedLabel::new(n));
        });
    }
}
