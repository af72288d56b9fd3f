//! The document panel: stance toward targets (a span or free text) with evidence, claims with the
//! entity each is attributed to, other document labels (topic), and the document's status.

use egui::RichText;

use crate::model::annotation::Target;
use crate::model::DocStatus;
use crate::ui::shaped_label::ShapedLabel;

use super::Workbench;

/// What the document panel shows, gathered once per frame without copying every span.
struct DocView {
    status: DocStatus,
    doc_labels: Vec<crate::model::DocLabel>,
    /// Texts of the spans that document labels aim at.
    targets: std::collections::HashMap<String, String>,
    claims: Vec<ClaimView>,
}

struct ClaimView {
    id: String,
    text: String,
    sources: Vec<String>,
}

impl DocView {
    fn of(a: &crate::model::Annotations) -> Self {
        let targets = a
            .doc_labels
            .iter()
            .filter_map(|d| match &d.target {
                Some(Target::Span(id)) => a.span(id).map(|s| (id.clone(), s.text.clone())),
                _ => None,
            })
            .collect();
        let claims = a
            .spans()
            .iter()
            .filter(|s| s.label == "CLAIM")
            .map(|c| ClaimView {
                id: c.id.clone(),
                text: c.text.clone(),
                sources: a
                    .relations
                    .iter()
                    .filter(|r| r.from == c.id && r.kind == "attributed_to")
                    .filter_map(|r| a.span(&r.to).map(|s| s.text.clone()))
                    .collect(),
            })
            .collect();
        Self {
            status: a.status,
            doc_labels: a.doc_labels.clone(),
            targets,
            claims,
        }
    }

    fn span_text(&self, id: &str) -> Option<String> {
        self.targets.get(id).cloned()
    }
}

/// The free-text target being typed for a new stance of one document (kept in egui memory
/// between frames).
fn new_target_id(label: &str, doc: &std::path::Path) -> egui::Id {
    egui::Id::unique(("hashiya-new-stance-target", label, doc))
}

impl Workbench {
    pub(super) fn document_panel_ui(&mut self, ui: &mut egui::Ui) {
        let schema = self.schema();
        let Some(session) = self.session.as_ref() else {
            ui.label("No document open.");
            return;
        };
        let annotations = DocView::of(session.editor.annotations());
        let doc_path = session.doc.path().to_path_buf();

        // Status.
        ui.horizontal_wrapped(|ui| {
            ui.label("Status");
            for st in DocStatus::ALL {
                if ui
                    .selectable_label(annotations.status == st, st.name().replace('_', " "))
                    .on_hover_text(format!(
                        "Mark this document {}",
                        st.name().replace('_', " ")
                    ))
                    .clicked()
                {
                    self.set_doc_status(st);
                }
            }
        });

        // Stance toward targets.
        for def in schema.document_labels.iter().filter(|d| d.targeted) {
            ui.label(RichText::new(format!("{} toward", def.name)).strong());
            for d in annotations.doc_labels.iter().filter(|d| d.name == def.name) {
                let target = match &d.target {
                    Some(Target::Span(id)) => {
                        annotations.span_text(id).unwrap_or_else(|| id.clone())
                    }
                    Some(Target::Text(t)) => t.clone(),
                    None => "—".into(),
                };
                let mut value = d.value.clone();
                let mut delete = false;
                let mut toggle_evidence = false;
                ui.horizontal_wrapped(|ui| {
                    ui.add(ShapedLabel::new(&target).wrap_width(140.0));
                    egui::ComboBox::from_id_salt(("stance", &d.id))
                        .selected_text(&value)
                        .show_ui(ui, |ui| {
                            for v in &def.values {
                                ui.selectable_value(&mut value, v.clone(), v);
                            }
                        })
                        .response
                        .on_hover_text("The article's stance toward this target");
                    ui.label(format!("{} evidence", d.evidence.len()));
                    if let Some(sel) = &self.selected_span {
                        let has = d.evidence.contains(sel);
                        if ui
                            .small_button(if has { "− evidence" } else { "+ evidence" })
                            .on_hover_text(
                                "Add or remove the selected span as evidence for this stance",
                            )
                            .clicked()
                        {
                            toggle_evidence = true;
                        }
                    }
                    if ui
                        .small_button("×")
                        .on_hover_text("Remove this stance")
                        .clicked()
                    {
                        delete = true;
                    }
                });
                let id = d.id.clone();
                if value != d.value {
                    let (name, target, evidence) =
                        (d.name.clone(), d.target.clone(), d.evidence.clone());
                    self.edit(|s, schema| {
                        s.editor
                            .set_doc_label(schema, &name, &value, target, evidence)
                            .map(|_| ())
                    });
                }
                if toggle_evidence {
                    if let Some(sel) = self.selected_span.clone() {
                        self.edit(|s, _| s.editor.toggle_evidence(&id, &sel));
                    }
                }
                if delete {
                    self.edit(|s, _| s.editor.delete_doc_label(&id));
                }
            }
            // Add a stance: toward the selected span, or toward typed text.
            let mut typed: String = ui.data_mut(|m| {
                m.get_temp(new_target_id(&def.name, &doc_path))
                    .unwrap_or_default()
            });
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("New target");
                ui.add(
                    egui::TextEdit::singleline(&mut typed)
                        .hint_text("free text, or select a span")
                        .desired_width(120.0),
                )
                .labelled_by(l.id);
            });
            ui.data_mut(|m| m.insert_temp(new_target_id(&def.name, &doc_path), typed.clone()));
            let target = if !typed.trim().is_empty() {
                Some(Target::Text(typed.trim().to_owned()))
            } else {
                self.selected_span.clone().map(Target::Span)
            };
            ui.horizontal_wrapped(|ui| {
                for v in &def.values {
                    let b = ui
                        .add_enabled(target.is_some(), egui::Button::new(v.as_str()))
                        .on_hover_text(format!("Add: the article is {v} toward the target (typed text, or the selected span)"))
                        .on_disabled_hover_text("Type a target or select a span first");
                    if b.clicked() {
                        if let Some(t) = target.clone() {
                            self.add_stance(t, v);
                            ui.data_mut(|m| m.insert_temp(new_target_id(&def.name, &doc_path), String::new()));
                        }
                    }
                }
            });
        }

        // Other document labels (topic ...).
        for def in schema.document_labels.iter().filter(|d| !d.targeted) {
            let current = annotations
                .doc_labels
                .iter()
                .find(|d| d.name == def.name)
                .cloned();
            let mut chosen = current.as_ref().map(|d| d.value.clone());
            ui.horizontal(|ui| {
                ui.label(&def.name);
                egui::ComboBox::from_id_salt(("doclabel", &def.name))
                    .selected_text(chosen.clone().unwrap_or_else(|| "—".into()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut chosen, None, "—");
                        for v in &def.values {
                            ui.selectable_value(&mut chosen, Some(v.clone()), v);
                        }
                    })
                    .response
                    .on_hover_text(def.description.clone());
            });
            if chosen != current.as_ref().map(|d| d.value.clone()) {
                let name = def.name.clone();
                match (chosen, current) {
                    (Some(v), _) => {
                        self.edit(|s, schema| {
                            s.editor
                                .set_doc_label(schema, &name, &v, None, Vec::new())
                                .map(|_| ())
                        });
                    }
                    (None, Some(d)) => {
                        self.edit(|s, _| s.editor.delete_doc_label(&d.id));
                    }
                    (None, None) => {}
                }
            }
        }

        // Claims and their sources.
        let claims = &annotations.claims;
        if !claims.is_empty() {
            ui.label(RichText::new("Claims").strong());
        }
        let mut jump = None;
        for c in claims {
            let sources = &c.sources;
            ui.horizontal_wrapped(|ui| {
                if ui
                    .small_button("->")
                    .on_hover_text("Select this claim")
                    .clicked()
                {
                    jump = Some(c.id.clone());
                }
                ui.add(ShapedLabel::new(&c.text).wrap_width(200.0));
            });
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("source:").small());
                if sources.is_empty() {
                    ui.label(
                        RichText::new("none yet (select the claim, press A, click the entity)")
                            .small()
                            .weak(),
                    );
                }
                for s in sources {
                    ui.add(ShapedLabel::new(s));
                }
            });
        }
        if let Some(id) = jump {
            self.select_span(&id, true);
        }
    }
}
