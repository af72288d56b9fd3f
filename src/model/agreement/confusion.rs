//! Which labels two annotators gave to overlapping spans: the label confusion matrix of a pair.
//!
//! Its entries come from the comparison ([`super::compare`]): every pair of it (agreed,
//! boundary_only, label_only) gives (label of A, label of B); then the spans left alone that
//! overlap a span of the other layer with another label and another extent are paired too
//! (a maximum one-to-one matching by overlap, [`super::pairing`]); the spans still alone give
//! (label, none) or (none, label).

use std::collections::BTreeMap;

use super::compare::{Comparison, Kind};
use super::pairing::pair_overlapping;
use crate::model::annotation::Span;

/// (label of A, label of B) -> count; `None` where a span has no partner.
pub type Confusion<'a> = BTreeMap<(Option<&'a str>, Option<&'a str>), u64>;

pub fn confusion<'a>(comparison: &Comparison<'a>) -> Confusion<'a> {
    let mut out: Confusion<'a> = BTreeMap::new();
    let mut alone_a: Vec<&'a Span> = Vec::new();
    let mut alone_b: Vec<&'a Span> = Vec::new();
    for item in &comparison.items {
        match (item.kind, item.a, item.b) {
            (Kind::OnlyA, Some(a), _) => alone_a.push(a),
            (Kind::OnlyB, _, Some(b)) => alone_b.push(b),
            (_, Some(a), Some(b)) => {
                *out.entry((Some(a.label.as_str()), Some(b.label.as_str())))
                    .or_default() += 1;
            }
            _ => {}
        }
    }
    alone_a.sort_by(|x, y| x.order_key().cmp(&y.order_key()));
    alone_b.sort_by(|x, y| x.order_key().cmp(&y.order_key()));
    let pairs = pair_overlapping(&alone_a, &alone_b, |_, _| true);
    let mut paired_a = vec![false; alone_a.len()];
    let mut paired_b = vec![false; alone_b.len()];
    for (i, k) in pairs {
        paired_a[i] = true;
        paired_b[k] = true;
        *out.entry((
            Some(alone_a[i].label.as_str()),
            Some(alone_b[k].label.as_str()),
        ))
        .or_default() += 1;
    }
    for (s, paired) in alone_a.iter().zip(paired_a) {
        if !paired {
            *out.entry((Some(s.label.as_str()), None)).or_default() += 1;
        }
    }
    for (s, paired) in alone_b.iter().zip(paired_b) {
        if !paired {
            *out.entry((None, Some(s.label.as_str()))).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::compare::compare_spans;

    #[test]
    fn pairs_overlapping_spans_of_any_label() {
        let a = [
            Span::new("a1", 0..5, "PER", "محمد "),
            Span::new("a2", 10..20, "ORG", ""),
            Span::new("a3", 30..34, "LOC", ""),
            Span::new("a4", 40..44, "GPE", ""),
        ];
        let b = [
            Span::new("b1", 0..5, "PER", "محمد "),
            Span::new("b2", 12..18, "GPE", ""),
            Span::new("b3", 30..34, "GPE", ""),
            Span::new("b4", 50..54, "PER", ""),
        ];
        let (ra, rb): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
        let c = confusion(&compare_spans(&ra, &rb));
        let want: Confusion = [
            ((Some("PER"), Some("PER")), 1),
            ((Some("ORG"), Some("GPE")), 1),
            ((Some("LOC"), Some("GPE")), 1),
            ((Some("GPE"), None), 1),
            ((None, Some("PER")), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(c, want);
    }
}
