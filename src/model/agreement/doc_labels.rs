//! Document labels as units: one unit per document and label name (`topic`), or per document,
//! name and target for labels with a target (`stance` toward a span or a free text). A span
//! target is taken by its covered text, a text target by its text (both trimmed), so two
//! annotators' stances toward the same words are one unit although their span ids differ.
//!
//! An annotator's value of a unit is the value of their counted label (neither suggested nor
//! rejected); several values for one unit are one value, the distinct values sorted and joined
//! by `|`. An annotator who gave no value (or has no sidecar) is missing for that unit.

use std::collections::BTreeMap;

use crate::model::annotation::{Annotations, ReviewState, Target};

/// What a unit is, within its document: the label name and the target's text (`None`: a label
/// without target).
pub type UnitKey = (String, Option<String>);

/// One annotator's value of every document-label unit of one document.
pub fn label_values(layer: &Annotations) -> BTreeMap<UnitKey, String> {
    let mut values: BTreeMap<UnitKey, Vec<&str>> = BTreeMap::new();
    for d in &layer.doc_labels {
        if matches!(d.review, ReviewState::Suggested | ReviewState::Rejected) {
            continue;
        }
        let target = match &d.target {
            None => None,
            Some(Target::Text(t)) => Some(t.trim().to_owned()),
            // A target that names no span of this layer has no text to be compared by.
            Some(Target::Span(id)) => match layer.span(id) {
                Some(s) => Some(s.text.trim().to_owned()),
                None => continue,
            },
        };
        values
            .entry((d.name.clone(), target))
            .or_default()
            .push(d.value.as_str());
    }
    values
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_unstable();
            v.dedup();
            (k, v.join("|"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{DocLabel, DocStatus, Span};

    #[test]
    fn units_by_name_and_target_text() {
        let label = |id: &str, name: &str, value: &str, target: Option<Target>| DocLabel {
            id: id.into(),
            name: name.into(),
            value: value.into(),
            target,
            ..Default::default()
        };
        let mut suggested = label("d5", "topic", "sports", None);
        suggested.review = ReviewState::Suggested;
        let layer = Annotations::from_parts(
            DocStatus::Finished,
            vec![Span::new("s7", 0..6, "GPE", "واشنطن")],
            vec![],
            vec![
                label("d1", "topic", "politics", None),
                label("d2", "topic", "economy", None),
                label("d3", "stance", "against", Some(Target::Span("s7".into()))),
                label(
                    "d4",
                    "stance",
                    "favor",
                    Some(Target::Text(" الاتفاق ".into())),
                ),
                suggested,
                label("d6", "stance", "favor", Some(Target::Span("s99".into()))),
            ],
            vec![],
        );
        let v = label_values(&layer);
        let get = |n: &str, t: Option<&str>| v.get(&(n.to_owned(), t.map(str::to_owned))).cloned();
        assert_eq!(get("topic", None).as_deref(), Some("economy|politics"));
        assert_eq!(get("stance", Some("واشنطن")).as_deref(), Some("against"));
        assert_eq!(get("stance", Some("الاتفاق")).as_deref(), Some("favor"));
        assert_eq!(v.len(), 3);
    }
}
