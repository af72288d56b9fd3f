//! Compare two layers of the open document (Document ▸ Compare layers…): every span of A and B is
//! marked as agreed, only A, only B, label differs, boundary differs — or boundary differs only by
//! a proclitic (و ف ب ل ك ال, e.g. وبواشنطن vs واشنطن), the commonest disagreement in Arabic NER.
//! `]` and `[` walk the differences; a summary line counts each kind. The pairing is
//! `model::agreement::compare`'s, the one the agreement figures count.

use std::ops::Range;

use egui::{Color32, RichText};

use crate::model::agreement::compare::{compare, Kind, Summary};
use crate::model::agreement::SpanFilter;
use crate::model::Annotations;
use crate::ui::canvas::{DifferenceKind, Highlight, HighlightStyle};

use super::highlights::SpanRef;
use super::Workbench;

/// One item of the comparison, owned: its kind and the spans of A and B (span id, pieces).
#[derive(Debug, Clone, PartialEq)]
pub struct CompareItem {
    pub kind: Kind,
    pub a: Option<(String, Vec<Range<usize>>)>,
    pub b: Option<(String, Vec<Range<usize>>)>,
    pub range: Range<usize>,
}

/// The Compare view's state: which layers, the comparison, and the difference in focus.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    pub a: String,
    pub b: String,
    pub items: Vec<CompareItem>,
    pub summary: Summary,
    /// Index (in `items`) of the difference in focus.
    pub current: Option<usize>,
    /// The editor revision and layers it was computed for.
    computed_for: Option<(u64, usize)>,
}

impl CompareState {
    pub fn new(a: &str, b: &str) -> Self {
        Self {
            a: a.to_owned(),
            b: b.to_owned(),
            items: Vec::new(),
            summary: Summary::default(),
            current: None,
            computed_for: None,
        }
    }

    /// Indexes of the items that are disagreements, in text order.
    pub fn differences(&self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&i| self.items[i].kind.is_disagreement())
            .collect()
    }
}

/// The colour each kind is marked with.
pub fn kind_color(kind: Kind) -> Color32 {
    match kind {
        Kind::Agreed => Color32::from_rgb(0x2c, 0xa0, 0x2c),
        Kind::BoundaryOnly => Color32::from_rgb(0xff, 0x7f, 0x0e),
        Kind::CliticOnly => Color32::from_rgb(0x94, 0x67, 0xbd),
        Kind::LabelOnly => Color32::from_rgb(0x1f, 0x77, 0xb4),
        Kind::OnlyA => Color32::from_rgb(0xd6, 0x27, 0x28),
        Kind::OnlyB => Color32::from_rgb(0x17, 0xbe, 0xcf),
    }
}

/// What a kind is called in the view.
pub fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Agreed => "agreed",
        Kind::BoundaryOnly => "boundary differs",
        Kind::CliticOnly => "only a proclitic differs",
        Kind::LabelOnly => "label differs",
        Kind::OnlyA => "only A",
        Kind::OnlyB => "only B",
    }
}

impl Workbench {
    /// Names of the layers of the open document: mine first, then the others.
    pub fn layer_names(&self) -> Vec<String> {
        let Some(s) = self.session.as_ref() else {
            return Vec::new();
        };
        let mut v = Vec::new();
        if !s.is_viewer() {
            v.push(s.annotator.clone());
        }
        v.extend(s.layers.iter().map(|l| l.annotator.clone()));
        v
    }

    /// The annotations of layer `name` (mine, as edited, or another one as read).
    fn layer_annotations(&self, name: &str) -> Option<&Annotations> {
        let s = self.session.as_ref()?;
        if name == s.annotator {
            return Some(s.editor.annotations());
        }
        s.layer(name)?.annotations.as_ref().ok()
    }

    /// Opens the Compare view on layers `a` and `b`, its focus on the first difference.
    pub fn start_compare(&mut self, a: &str, b: &str) {
        self.compare = Some(CompareState::new(a, b));
        self.refresh_compare();
        self.step_difference(true);
    }

    /// Opens document `index` (once the open one is saved) in the Compare view of `a` and `b`.
    pub fn open_compare(&mut self, index: usize, a: &str, b: &str) {
        self.compare_on_open = Some((a.to_owned(), b.to_owned()));
        if self.current == Some(index) && self.session.is_some() {
            self.compare_when_open();
        } else {
            self.open_document(index);
        }
    }

    /// Starts the Compare view asked for by [`Workbench::open_compare`], once its document is
    /// open.
    pub(super) fn compare_when_open(&mut self) {
        if let Some((a, b)) = self.compare_on_open.take() {
            let names = self.layer_names();
            if names.contains(&a) && names.contains(&b) {
                self.start_compare(&a, &b);
            } else {
                self.tell(format!("{a} and {b} have not both annotated this document"));
            }
        }
    }

    pub fn close_compare(&mut self) {
        self.compare = None;
        self.highlights_key = None;
    }

    /// Recomputes the comparison when my layer or the layers changed.
    pub(super) fn refresh_compare(&mut self) {
        let Some(state) = self.compare.as_ref() else {
            return;
        };
        let Some(session) = self.session.as_ref() else {
            self.compare = None;
            return;
        };
        let key = (session.editor.revision(), session.layers.len());
        if state.computed_for == Some(key) {
            return;
        }
        let (a, b) = (state.a.clone(), state.b.clone());
        let (Some(la), Some(lb)) = (self.layer_annotations(&a), self.layer_annotations(&b)) else {
            self.compare = None;
            self.tell("that layer is not there any more; comparison closed");
            return;
        };
        let cmp = compare(la, lb, &SpanFilter::all());
        let side =
            |s: Option<&crate::model::Span>| s.map(|s| (s.id.clone(), s.pieces().into_vec()));
        let items: Vec<CompareItem> = cmp
            .items
            .iter()
            .map(|i| CompareItem {
                kind: i.kind,
                a: side(i.a),
                b: side(i.b),
                range: i.range(),
            })
            .collect();
        let summary = cmp.summary;
        if let Some(state) = self.compare.as_mut() {
            if state.current.is_some_and(|c| c >= items.len()) {
                state.current = None;
            }
            state.items = items;
            state.summary = summary;
            state.computed_for = Some(key);
        }
        self.highlights_key = None;
    }

    /// Moves the focus to the next (or previous) difference, and scrolls to it.
    pub fn step_difference(&mut self, forward: bool) {
        let Some(state) = self.compare.as_mut() else {
            return;
        };
        let diffs = state.differences();
        if diffs.is_empty() {
            state.current = None;
            self.tell("no differences: the two layers agree on every span");
            return;
        }
        let next = match state
            .current
            .and_then(|c| diffs.iter().position(|&d| d == c))
        {
            Some(p) if forward => diffs[(p + 1) % diffs.len()],
            Some(p) => diffs[(p + diffs.len() - 1) % diffs.len()],
            None if forward => diffs[0],
            None => diffs[diffs.len() - 1],
        };
        state.current = Some(next);
        let start = state.items[next].range.start;
        self.canvas.scroll_to_char(start);
        self.highlights_key = None;
    }

    /// The highlights of the Compare view: A's spans filled, B's outlined, both in the colour of
    /// their item's kind; the difference in focus framed.
    pub(super) fn compare_highlights(&self) -> Option<(Vec<Highlight>, Vec<SpanRef>)> {
        let state = self.compare.as_ref()?;
        let mut items = Vec::new();
        let mut refs = Vec::new();
        for (k, item) in state.items.iter().enumerate() {
            let color = kind_color(item.kind);
            let selected = state.current == Some(k);
            let difference = match item.kind {
                Kind::Agreed => None,
                Kind::OnlyA | Kind::OnlyB => Some(DifferenceKind::Unmatched),
                Kind::LabelOnly => Some(DifferenceKind::Label),
                Kind::BoundaryOnly => Some(DifferenceKind::Boundary),
                Kind::CliticOnly => Some(DifferenceKind::CliticBoundary),
            };
            for (who, side, style) in [
                (&state.a, &item.a, HighlightStyle::Fill),
                (&state.b, &item.b, HighlightStyle::Outline),
            ] {
                let Some((id, pieces)) = side else { continue };
                items.push(Highlight {
                    pieces: pieces.clone(),
                    color,
                    tag: if selected {
                        kind_title(item.kind).to_owned()
                    } else {
                        String::new()
                    },
                    style,
                    suggested: false,
                    selected,
                    difference,
                });
                refs.push(
                    if self.session.as_ref().is_some_and(|s| &s.annotator == who) {
                        SpanRef::Mine(id.clone())
                    } else {
                        SpanRef::Other(who.clone(), id.clone())
                    },
                );
            }
        }
        Some((items, refs))
    }

    /// The Compare bar above the canvas: the two layers, the counts, the walk.
    pub(super) fn compare_bar_ui(&mut self, ui: &mut egui::Ui) {
        let names = self.layer_names();
        let Some(state) = self.compare.clone() else {
            return;
        };
        let (mut a, mut b) = (state.a.clone(), state.b.clone());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Compare").strong());
            layer_combo(ui, "compare-a", "A (filled)", &mut a, &names);
            layer_combo(ui, "compare-b", "B (outlined)", &mut b, &names);
            let diffs = state.differences();
            let at = state
                .current
                .and_then(|c| diffs.iter().position(|&d| d == c))
                .map_or(0, |p| p + 1);
            if ui
                .button("< previous")
                .on_hover_text("Previous difference ([)")
                .clicked()
            {
                self.step_difference(false);
            }
            ui.label(format!("difference {at} of {}", diffs.len()));
            if ui
                .button("next >")
                .on_hover_text("Next difference (])")
                .clicked()
            {
                self.step_difference(true);
            }
            if ui
                .button("Close")
                .on_hover_text("Leave the Compare view")
                .clicked()
            {
                self.close_compare();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let s = &state.summary;
            let counts = [
                (Kind::Agreed, s.agreed),
                (Kind::BoundaryOnly, s.boundary_only - s.clitic_only),
                (Kind::CliticOnly, s.clitic_only),
                (Kind::LabelOnly, s.label_only),
                (Kind::OnlyA, s.only_a),
                (Kind::OnlyB, s.only_b),
            ];
            for (kind, n) in counts {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                ui.painter().rect_filled(rect, 2.0, kind_color(kind));
                ui.label(format!("{n} {}", kind_title(kind)));
            }
            if let Some(item) = state.current.and_then(|c| state.items.get(c)) {
                ui.separator();
                ui.label(RichText::new(format!("here: {}", kind_title(item.kind))).strong());
            }
        });
        if a != state.a || b != state.b {
            self.start_compare(&a, &b);
        }
    }
}

fn layer_combo(ui: &mut egui::Ui, id: &str, title: &str, value: &mut String, names: &[String]) {
    let l = ui.label(title);
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.clone())
        .show_ui(ui, |ui| {
            for n in names {
                ui.selectable_value(value, n.clone(), n);
            }
        })
        .response
        .labelled_by(l.id);
}
