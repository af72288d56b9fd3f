//! The labels of a document's spans as small numbers in the order of their text, so that the
//! comparisons sort and match spans by label with integer comparisons and still in the order,
//! and with the outcome, that comparing the label strings gives.

use crate::model::annotation::Span;

/// The distinct labels of some spans, sorted: a label's rank is its place in this list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelRanks<'a> {
    names: Vec<&'a str>,
}

impl<'a> LabelRanks<'a> {
    /// The labels of every span in `lists`.
    pub fn of<'l>(lists: impl IntoIterator<Item = &'l [&'a Span]>) -> Self
    where
        'a: 'l,
    {
        let mut names: Vec<&'a str> = Vec::new();
        for list in lists {
            // Spans of one label often follow each other: the last one found is tried first.
            let mut last: Option<&'a str> = None;
            for span in list {
                let label = span.label.as_str();
                if last == Some(label) {
                    continue;
                }
                last = Some(label);
                if let Err(at) = names.binary_search(&label) {
                    names.insert(at, label);
                }
            }
        }
        Self { names }
    }

    /// The rank of each span's label (spans whose label is not among these get one past the
    /// last rank, as if their label sorted after all others).
    pub fn ranks(&self, spans: &[&Span]) -> Vec<u32> {
        let mut last: Option<(&str, u32)> = None;
        spans
            .iter()
            .map(|span| {
                let label = span.label.as_str();
                match last {
                    Some((l, r)) if l == label => r,
                    _ => {
                        let r = self.rank(label);
                        last = Some((label, r));
                        r
                    }
                }
            })
            .collect()
    }

    fn rank(&self, label: &str) -> u32 {
        let at = self.names.binary_search(&label).unwrap_or(self.names.len());
        u32::try_from(at).unwrap_or(u32::MAX)
    }

    /// The label of `rank`.
    pub fn name(&self, rank: u32) -> Option<&'a str> {
        self.names.get(rank as usize).copied()
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_order_of_the_labels_text() {
        let spans = [
            Span::new("s1", 0..1, "PER", "a"),
            Span::new("s2", 1..2, "GPE", "b"),
            Span::new("s3", 2..3, "PER", "c"),
            Span::new("s4", 3..4, "ORG", "d"),
            Span::new("s5", 4..5, "ORG", "e"),
        ];
        let a: Vec<&Span> = spans[..3].iter().collect();
        let b: Vec<&Span> = spans[3..].iter().collect();
        let labels = LabelRanks::of([a.as_slice(), b.as_slice()]);
        assert_eq!(labels.len(), 3);
        assert_eq!(labels.ranks(&a), vec![2, 0, 2]);
        assert_eq!(labels.ranks(&b), vec![1, 1]);
        assert_eq!(labels.name(1), Some("ORG"));
        assert_eq!(labels.name(3), None);
        let other = Span::new("s6", 0..1, "ZZZ", "a");
        assert_eq!(LabelRanks::of([a.as_slice()]).ranks(&[&other]), vec![2]);
    }
}
