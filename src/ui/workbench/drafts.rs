//! Text being typed into a span's note or free-text attribute. It lives here, not in the field,
//! so that it is written to the span before anything saves, switches document or selects another
//! span — never lost, never applied to the wrong document.

use std::collections::BTreeMap;

use super::Workbench;

/// Which field a draft belongs to: a span of the open document, and its note or an attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DraftKey {
    span: String,
    /// `None`: the note; `Some(name)`: a free-text attribute.
    attribute: Option<String>,
}

impl DraftKey {
    pub fn note(span: &str) -> Self {
        Self {
            span: span.to_owned(),
            attribute: None,
        }
    }

    pub fn attribute(span: &str, name: &str) -> Self {
        Self {
            span: span.to_owned(),
            attribute: Some(name.to_owned()),
        }
    }
}

pub type Drafts = BTreeMap<DraftKey, String>;

impl Workbench {
    /// Keeps what was typed in a field as a draft while it differs from the span; writes it when
    /// the field loses focus.
    pub(super) fn keep_draft(
        &mut self,
        key: DraftKey,
        text: String,
        saved: &str,
        field: &egui::Response,
    ) {
        if field.lost_focus() {
            self.drafts.insert(key, text);
            self.commit_drafts();
        } else if text != saved {
            self.drafts.insert(key, text);
        } else {
            self.drafts.remove(&key);
        }
    }

    /// Writes the drafts once their span is no longer the selected one (the user clicked away).
    pub(super) fn commit_drafts_of_unselected(&mut self) {
        let selected = self.selected_span.clone();
        if self
            .drafts
            .keys()
            .any(|k| Some(&k.span) != selected.as_ref())
        {
            self.commit_drafts();
        }
    }

    /// Writes every draft to its span (of the open document) and forgets the drafts.
    pub(super) fn commit_drafts(&mut self) {
        for (key, text) in std::mem::take(&mut self.drafts) {
            let value = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            self.edit(|s, schema| {
                let Some(span) = s.editor.annotations().span(&key.span) else {
                    return Ok(());
                };
                match &key.attribute {
                    None if span.note != value => s.editor.set_note(&key.span, value.clone()),
                    Some(name) if span.attributes.get(name) != value.as_ref() => s
                        .editor
                        .set_attribute(schema, &key.span, name, value.as_deref()),
                    _ => Ok(()),
                }
            });
        }
    }
}
