//! The Curation bar above the canvas: the gold layer and the layers curated, "3 of 41 open", the
//! walk, and the unit in focus with every annotator's variant (who, label, extent as shaped
//! Arabic, attributes), a Pick button per variant and Reject all.

use egui::RichText;

use crate::model::curation::{Decision, Unit, UnitAnchor, UnitKind, Variant, VariantItem};
use crate::model::{ReviewState, Span, Target};
use crate::ui::shaped_label::ShapedLabel;

use super::annotation_panel::label_tag;
use super::Workbench;

impl Workbench {
    pub(super) fn curation_bar_ui(&mut self, ui: &mut egui::Ui) {
        let Some(state) = self.curation.as_ref() else {
            return;
        };
        let into = state.options.into.clone();
        let progress = state.curation.progress();
        let total = state.curation.units.len();
        let at = state.current.map_or(0, |c| c + 1);
        let unit = state.unit().cloned();
        let focus = state.variant;
        let layers = self.curated_layer_names();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Curating into {into}")).strong());
            ui.label(format!("from {}", layers.join(", ")));
            ui.separator();
            ui.label(RichText::new(progress).strong());
            if ui
                .button("< previous")
                .on_hover_text("Previous open unit ([)")
                .clicked()
            {
                self.step_unit(false);
            }
            ui.label(format!("unit {at} of {total}"));
            if ui
                .button("next >")
                .on_hover_text("Next open unit (])")
                .clicked()
            {
                self.step_unit(true);
            }
            if ui
                .button("Stop curating")
                .on_hover_text("Go back to your own layer")
                .clicked()
            {
                self.stop_curation();
            }
        });
        let Some(unit) = unit else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            let state = if unit.open { "open" } else { "decided" };
            ui.label(RichText::new(format!("This {}: {state}", unit.kind.name())).strong());
            if let Some(target) = self.unit_target(&unit) {
                ui.label("toward");
                ui.add(ShapedLabel::new(&target));
            }
            ui.label("— 1-9 pick, 0 rejects all, a label key corrects the marked variant (Tab)");
        });
        let mut decision = None;
        for (k, v) in unit.variants.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                let key = if k < 9 {
                    format!("{}", k + 1)
                } else {
                    String::new()
                };
                let mark = if k == focus { ">" } else { " " };
                ui.label(RichText::new(mark).monospace());
                if ui
                    .add_enabled(k < 9, egui::Button::new(format!("Pick {key}")))
                    .on_hover_text(format!(
                        "Take this variant into {into}; the others are kept as rejected"
                    ))
                    .clicked()
                {
                    decision = Some(Decision::Pick(k));
                }
                self.variant_ui(ui, &unit, v);
            });
        }
        ui.horizontal_wrapped(|ui| {
            if !unit.silent.is_empty() {
                ui.label(RichText::new(format!("nothing here: {}", unit.silent.join(", "))).weak());
            }
            if ui
                .button("Reject all 0")
                .on_hover_text(format!(
                    "None of these: every variant is kept in {into} as rejected"
                ))
                .clicked()
            {
                decision = Some(Decision::RejectAll);
            }
            if let Some(held) = self.gold_holds(&unit) {
                ui.separator();
                ui.label(RichText::new(format!("{into} has: {held}")).weak());
            }
        });
        if let Some(d) = decision {
            self.decide_unit(d);
        }
    }

    /// One variant: its makers, label and extent.
    fn variant_ui(&self, ui: &mut egui::Ui, unit: &Unit, v: &Variant) {
        let schema = self.schema();
        ui.label(RichText::new(v.annotators.join(", ")).strong());
        match &v.item {
            VariantItem::Span(s) => {
                label_tag(ui, &schema, &s.label);
                ui.add(ShapedLabel::new(&self.span_text(s)));
                ui.label(RichText::new(extent(s)).weak());
                attributes_ui(ui, s.attributes.iter());
            }
            VariantItem::Relation { relation, from, to } => {
                ui.label(RichText::new(&relation.kind).strong());
                ui.add(ShapedLabel::new(&self.span_text(from)));
                ui.label("->");
                ui.add(ShapedLabel::new(&self.span_text(to)));
                attributes_ui(ui, relation.attributes.iter());
            }
            VariantItem::DocLabel { label, evidence } => {
                ui.label(format!("{} = {}", label.name, label.value));
                if unit.kind == UnitKind::DocLabel && !evidence.is_empty() {
                    ui.label(RichText::new(format!("{} evidence span(s)", evidence.len())).weak());
                }
            }
        }
    }

    /// What a document label unit is about: its target's text (a span of the gold layer, or a
    /// free-text target); `None` for other units and untargeted labels.
    fn unit_target(&self, unit: &Unit) -> Option<String> {
        let UnitAnchor::Label { target, .. } = &unit.anchor else {
            return None;
        };
        match target.as_ref()? {
            Target::Text(t) => Some(t.clone()),
            Target::Span(id) => {
                let gold = self.session.as_ref()?.editor.annotations();
                gold.span(id).map(|s| self.span_text(s))
            }
        }
    }

    /// The text a span covers in the open document (its pieces joined by " … ").
    fn span_text(&self, s: &Span) -> String {
        let Some(session) = self.session.as_ref() else {
            return s.text.clone();
        };
        let doc = &session.doc;
        s.pieces()
            .into_iter()
            .map(|r| doc.slice(r).unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join(" … ")
    }

    /// What the gold layer holds now on a decided unit ("PER accepted", "2 rejected").
    fn gold_holds(&self, unit: &Unit) -> Option<String> {
        let gold = self.session.as_ref()?.editor.annotations();
        let mut parts = Vec::new();
        for v in &unit.variants {
            if let VariantItem::Span(s) = &v.item {
                for g in gold.spans_overlapping(s.start..s.end) {
                    if g.start == s.start && g.end == s.end {
                        let p = format!("{} {}", g.label, review_name(g.review));
                        if !parts.contains(&p) {
                            parts.push(p);
                        }
                    }
                }
            }
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

fn review_name(r: ReviewState) -> &'static str {
    match r {
        ReviewState::Suggested => "suggested",
        ReviewState::Accepted => "accepted",
        ReviewState::Rejected => "rejected",
    }
}

fn extent(s: &Span) -> String {
    format!("{}–{}", s.start, s.end)
}

fn attributes_ui<'a>(ui: &mut egui::Ui, attrs: impl Iterator<Item = (&'a String, &'a String)>) {
    let text: Vec<String> = attrs.map(|(k, v)| format!("{k}={v}")).collect();
    if !text.is_empty() {
        ui.label(RichText::new(text.join(" ")).italics());
    }
}
