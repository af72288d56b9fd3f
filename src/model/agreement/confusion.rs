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
use crate::model::annotation::{id_number, Span};

/// (label of A, label of B) -> count; `None` where a span has no partner.
pub type Confusion<'a> = BTreeMap<(Option<&'a str>, Option<&'a str>), u64>;

/// (label rank of A, label rank of B) -> count, among the comparison's labels
/// ([`Comparison::labels`]); in the order of [`Confusion`].
pub type RankedConfusion = BTreeMap<(Option<u32>, Option<u32>), u64>;

pub fn confusion<'a>(comparison: &Comparison<'a>) -> Confusion<'a> {
    let labels = comparison.labels();
    let name = |rank: Option<u32>| rank.and_then(|r| labels.name(r));
    confusion_ranked(comparison)
        .into_iter()
        .map(|((a, b), n)| ((name(a), name(b)), n))
        .collect()
}

/// [`confusion`] by label rank.
pub fn confusion_ranked(comparison: &Comparison<'_>) -> RankedConfusion {
    let mut out = RankedConfusion::new();
    let mut alone_a: Vec<(&Span, u32)> = Vec::new();
    let mut alone_b: Vec<(&Span, u32)> = Vec::new();
    for (item, ranks) in comparison.ranked_items() {
        match (item.kind, item.a.zip(ranks.0), item.b.zip(ranks.1)) {
            (Kind::OnlyA, Some(a), _) => alone_a.push(a),
            (Kind::OnlyB, _, Some(b)) => alone_b.push(b),
            (_, Some((_, ra)), Some((_, rb))) => *out.entry((Some(ra), Some(rb))).or_default() += 1,
            _ => {}
        }
    }
    // In the order of `Span::order_key`, the rank standing for the label.
    let order = |(s, rank): &(&Span, u32)| (s.start, s.end, *rank, id_number(&s.id));
    alone_a.sort_by(|x, y| order(x).cmp(&order(y)).then_with(|| x.0.id.cmp(&y.0.id)));
    alone_b.sort_by(|x, y| order(x).cmp(&order(y)).then_with(|| x.0.id.cmp(&y.0.id)));
    let spans_a: Vec<&Span> = alone_a.iter().map(|a| a.0).collect();
    let spans_b: Vec<&Span> = alone_b.iter().map(|b| b.0).collect();
    let pairs = pair_overlapping(&spans_a, &spans_b, |_, _| true);
    let mut paired_a = vec![false; alone_a.len()];
    let mut paired_b = vec![false; alone_b.len()];
    for (i, k) in pairs {
        paired_a[i] = true;
        paired_b[k] = true;
        *out.entry((Some(alone_a[i].1), Some(alone_b[k].1)))
            .or_default() += 1;
    }
    for ((_, rank), paired) in alone_a.iter().zip(paired_a) {
        if !paired {
            *out.entry((Some(*rank), None)).or_default() += 1;
        }
    }
    for ((_, rank), paired) in alone_b.iter().zip(paired_b) {
        if !paired {
            *out.entry((None, Some(*rank))).or_default() += 1;
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
