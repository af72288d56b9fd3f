//! Which spans of a layer take part in agreement: counted spans (neither suggested nor rejected),
//! not empty, of the chosen labels.

use std::collections::BTreeSet;

use crate::model::annotation::{Annotations, Span};

/// The labels agreement looks at (all by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanFilter {
    /// `None`: every label.
    labels: Option<BTreeSet<String>>,
}

impl SpanFilter {
    /// Every label.
    pub fn all() -> Self {
        Self::default()
    }

    /// Only these labels.
    pub fn labels<I, S>(labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            labels: Some(labels.into_iter().map(Into::into).collect()),
        }
    }

    /// Does `span` take part: counted, not empty, of a chosen label?
    pub fn keeps(&self, span: &Span) -> bool {
        span.is_counted()
            && span.start < span.end
            && self.labels.as_ref().is_none_or(|l| l.contains(&span.label))
    }

    /// The spans of `layer` that take part, in text order ([`Span::order_key`]).
    pub fn spans<'a>(&self, layer: &'a Annotations) -> Vec<&'a Span> {
        layer.spans().iter().filter(|s| self.keeps(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{DocStatus, ReviewState};

    #[test]
    fn suggested_rejected_empty_and_other_labels_are_left_out() {
        let mut suggested = Span::new("s2", 0..2, "PER", "ab");
        suggested.review = ReviewState::Suggested;
        let mut rejected = Span::new("s3", 0..2, "PER", "ab");
        rejected.review = ReviewState::Rejected;
        let layer = Annotations::from_parts(
            DocStatus::Finished,
            vec![
                Span::new("s1", 0..2, "PER", "ab"),
                suggested,
                rejected,
                Span::new("s4", 3..3, "PER", ""),
                Span::new("s5", 3..5, "ORG", "cd"),
            ],
            vec![],
            vec![],
            vec![],
        );
        let ids = |f: &SpanFilter| -> Vec<String> {
            f.spans(&layer).iter().map(|s| s.id.clone()).collect()
        };
        assert_eq!(ids(&SpanFilter::all()), ["s1", "s5"]);
        assert_eq!(ids(&SpanFilter::labels(["ORG"])), ["s5"]);
    }
}
