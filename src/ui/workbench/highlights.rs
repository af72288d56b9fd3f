//! What the canvas highlights: my layer's spans (filled in their label's colour, suggestions
//! outlined) and the spans of the other visible layers (outlined in their layer's colour), rebuilt
//! only when something they show changed.

use egui::Color32;

use crate::model::ReviewState;
use crate::ui::canvas::{Highlight, Highlights};

use super::layers_panel::{layer_color, layer_style};
use super::Workbench;

/// What a highlight stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanRef {
    /// A span of the layer being edited.
    Mine(String),
    /// A span of another layer: (annotator, span id).
    Other(String, String),
}

/// What the highlights were built from: the editor's revision, the selection, the document, the
/// hidden layers and the layers read.
#[derive(Debug, Clone, PartialEq)]
pub struct HighlightsKey {
    revision: u64,
    selected: Option<String>,
    selected_other: Option<(String, String)>,
    document: usize,
    hidden: Vec<String>,
    layers: Vec<(String, usize)>,
}

impl Workbench {
    /// Highlights for the open document, rebuilt only when what they show changed.
    pub(super) fn refresh_highlights(&mut self) {
        let Some(session) = self.session.as_ref() else {
            self.highlights = Highlights::default();
            self.highlight_ids.clear();
            return;
        };
        let key = HighlightsKey {
            revision: session.editor.revision(),
            selected: self.selected_span.clone(),
            selected_other: self.selected_other.clone(),
            document: self.current.unwrap_or(usize::MAX),
            hidden: self.hidden_layers.iter().cloned().collect(),
            layers: session
                .layers
                .iter()
                .map(|l| (l.annotator.clone(), l.spans().len()))
                .collect(),
        };
        if self.highlights_key.as_ref() == Some(&key) {
            return;
        }
        if let Some((items, ids)) = self.compare_highlights() {
            self.highlights = Highlights::new(items);
            self.highlight_ids = ids;
            self.highlights_key = Some(key);
            return;
        }
        let schema = self.schema();
        let mut ids = Vec::new();
        let mut items = Vec::new();
        for s in session.editor.annotations().spans() {
            let selected = self.selected_span.as_deref() == Some(&s.id);
            if s.review == ReviewState::Rejected && !selected {
                continue;
            }
            ids.push(SpanRef::Mine(s.id.clone()));
            let [r, g, b] = schema.color_of(&s.label);
            items.push(Highlight {
                pieces: s.pieces().into_vec(),
                color: Color32::from_rgb(r, g, b),
                tag: s.label.clone(),
                suggested: s.review == ReviewState::Suggested,
                selected,
                ..Highlight::default()
            });
        }
        for (k, layer) in session.layers.iter().enumerate() {
            if self.hidden_layers.contains(&layer.annotator) {
                continue;
            }
            let (color, style) = (layer_color(k), layer_style(k));
            for s in layer.spans() {
                let selected =
                    self.selected_other.as_ref() == Some(&(layer.annotator.clone(), s.id.clone()));
                if s.review == ReviewState::Rejected && !selected {
                    continue;
                }
                ids.push(SpanRef::Other(layer.annotator.clone(), s.id.clone()));
                items.push(Highlight {
                    pieces: s.pieces().into_vec(),
                    color,
                    tag: String::new(),
                    // Outlined or underlined: another layer is read beside mine, never over
                    // the text.
                    style,
                    suggested: false,
                    selected,
                    difference: None,
                });
            }
        }
        self.highlights = Highlights::new(items);
        self.highlight_ids = ids;
        self.highlights_key = Some(key);
    }

    /// The highlights on the canvas.
    pub fn highlights(&self) -> &Highlights {
        &self.highlights
    }

    /// What each highlight on the canvas stands for, in drawing order.
    pub fn highlight_refs(&self) -> &[SpanRef] {
        &self.highlight_ids
    }

    /// The span under the pointer on the canvas, if any.
    pub(super) fn span_under(&self, pos_in_ui: egui::Pos2) -> Option<SpanRef> {
        let c = self.canvas.char_at_pos(pos_in_ui)?;
        let k = self.highlights.innermost_at(c)?;
        self.highlight_ids.get(k).cloned()
    }
}
