//! The difference between two layers (two annotators' spans on one document), item by item: what
//! a Compare view marks on the canvas and walks with keys, and what the span measures count.
//!
//! Pairing, in three rounds over the spans not yet paired (docs/agreement.md, "Comparing two
//! layers"):
//! 1. **agreed**: same start, end (and fragments) and label; spans with equal keys are paired in
//!    text order.
//! 2. **boundary_only**: same label, sharing at least one char, other extent; a maximum
//!    one-to-one matching chosen as [`pairing`](super::pairing) says. Those whose extents differ
//!    only by proclitics ([`clitics`](super::clitics)) are **clitic_only**, a kind of
//!    boundary_only.
//! 3. **label_only**: same extent, other label; paired in text order (label, then id).
//!
//! What is left is **only_a** and **only_b**. Rounds 1 and 2 together are the same-label overlap
//! matching of the overlap F1, so `overlap pairs = agreed + boundary_only`.

use std::collections::BTreeMap;
use std::ops::Range;

use super::clitics::differ_by_proclitics;
use super::counted::SpanFilter;
use super::label_ranks::LabelRanks;
use super::pairing::pair_overlapping;
use crate::model::annotation::{Annotations, Span};

/// What kind of (dis)agreement an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Same extent, same label.
    Agreed,
    /// Same label, overlapping, other extent (not only by proclitics).
    BoundaryOnly,
    /// Same label, the extents differ only by proclitics before the shorter span.
    CliticOnly,
    /// Same extent, other label.
    LabelOnly,
    /// A span of A with no partner in B.
    OnlyA,
    /// A span of B with no partner in A.
    OnlyB,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Agreed => "agreed",
            Kind::BoundaryOnly => "boundary_only",
            Kind::CliticOnly => "clitic_only",
            Kind::LabelOnly => "label_only",
            Kind::OnlyA => "only_a",
            Kind::OnlyB => "only_b",
        }
    }

    /// Is it a disagreement?
    pub fn is_disagreement(self) -> bool {
        self != Kind::Agreed
    }
}

/// One item of the difference: a pair of spans, or a span alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item<'a> {
    pub kind: Kind,
    pub a: Option<&'a Span>,
    pub b: Option<&'a Span>,
}

impl Item<'_> {
    /// The chars the item covers (both spans' extents).
    pub fn range(&self) -> Range<usize> {
        let sides = [self.a, self.b];
        let mut spans = sides.iter().flatten();
        let Some(first) = spans.next() else {
            return 0..0;
        };
        spans.fold(first.range(), |r, s| r.start.min(s.start)..r.end.max(s.end))
    }
}

/// Counts of a comparison (of a pair of layers, over one document or many).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Spans of A (counted, of the chosen labels).
    pub a_spans: u64,
    pub b_spans: u64,
    pub agreed: u64,
    /// Pairs of the same label with other extents; `clitic_only` pairs included.
    pub boundary_only: u64,
    /// The boundary_only pairs whose extents differ only by proclitics.
    pub clitic_only: u64,
    pub label_only: u64,
    pub only_a: u64,
    pub only_b: u64,
}

impl Summary {
    pub fn add(&mut self, other: &Summary) {
        self.a_spans += other.a_spans;
        self.b_spans += other.b_spans;
        self.agreed += other.agreed;
        self.boundary_only += other.boundary_only;
        self.clitic_only += other.clitic_only;
        self.label_only += other.label_only;
        self.only_a += other.only_a;
        self.only_b += other.only_b;
    }

    /// Items that are not agreed: `only_a + only_b + label_only + boundary_only`.
    pub fn disagreements(&self) -> u64 {
        self.only_a + self.only_b + self.label_only + self.boundary_only
    }

    fn count(&mut self, kind: Kind) {
        match kind {
            Kind::Agreed => self.agreed += 1,
            Kind::BoundaryOnly => self.boundary_only += 1,
            Kind::CliticOnly => {
                self.boundary_only += 1;
                self.clitic_only += 1;
            }
            Kind::LabelOnly => self.label_only += 1,
            Kind::OnlyA => self.only_a += 1,
            Kind::OnlyB => self.only_b += 1,
        }
    }
}

/// The difference of two layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    /// In text order of [`Item::range`]: by start, the longer first (outer before inner), then
    /// A's and B's text order.
    pub items: Vec<Item<'a>>,
    pub summary: Summary,
    /// The label ranks (among `labels`) of each item's A and B span.
    ranks: Vec<(Option<u32>, Option<u32>)>,
    labels: LabelRanks<'a>,
}

impl<'a> Comparison<'a> {
    /// The items that are disagreements, in text order (what a Compare view walks).
    pub fn disagreements(&self) -> impl Iterator<Item = &Item<'a>> {
        self.items.iter().filter(|i| i.kind.is_disagreement())
    }

    /// Counts per label. A label_only pair counts under both of its labels; every other item
    /// under its one label.
    pub fn per_label(&self) -> BTreeMap<&'a str, Summary> {
        self.per_label_ranked()
            .into_iter()
            .filter_map(|(rank, s)| Some((self.labels.name(rank)?, s)))
            .collect()
    }

    /// [`Comparison::per_label`] by label rank, in the order of the labels.
    pub fn per_label_ranked(&self) -> Vec<(u32, Summary)> {
        let mut labels: Vec<Option<Summary>> = vec![None; self.labels.len()];
        for (item, &(ra, rb)) in self.items.iter().zip(&self.ranks) {
            if let Some(s) = ra.and_then(|r| label_entry(&mut labels, r)) {
                s.a_spans += 1;
            }
            if let Some(s) = rb.and_then(|r| label_entry(&mut labels, r)) {
                s.b_spans += 1;
            }
            for rank in [ra, rb].into_iter().flatten() {
                if item.kind == Kind::LabelOnly || Some(rank) == ra.or(rb) {
                    if let Some(s) = label_entry(&mut labels, rank) {
                        s.count(item.kind);
                    }
                }
                if ra == rb {
                    break;
                }
            }
        }
        (0u32..)
            .zip(labels)
            .filter_map(|(rank, s)| Some((rank, s?)))
            .collect()
    }

    /// The items with the label ranks of their A and B spans.
    pub fn ranked_items(&self) -> impl Iterator<Item = (&Item<'a>, (Option<u32>, Option<u32>))> {
        self.items.iter().zip(self.ranks.iter().copied())
    }

    /// The labels the ranks are of.
    pub fn labels(&self) -> &LabelRanks<'a> {
        &self.labels
    }
}

/// The counts of label `rank`, started when first asked for.
fn label_entry(labels: &mut [Option<Summary>], rank: u32) -> Option<&mut Summary> {
    labels
        .get_mut(rank as usize)
        .map(|s| s.get_or_insert_with(Summary::default))
}

/// Compares the spans of two layers that `filter` keeps.
pub fn compare<'a>(a: &'a Annotations, b: &'a Annotations, filter: &SpanFilter) -> Comparison<'a> {
    compare_spans(&filter.spans(a), &filter.spans(b))
}

/// Compares two lists of spans, each in text order.
pub fn compare_spans<'a>(a: &[&'a Span], b: &[&'a Span]) -> Comparison<'a> {
    let labels = LabelRanks::of([a, b]);
    compare_ranked(a, &labels.ranks(a), b, &labels.ranks(b), &labels)
}

/// [`compare_spans`], with the spans' label ranks among `labels` given (`ra[i]` is the rank of
/// `a[i]`'s label): a document's spans are ranked once for all its pairs of annotators.
pub fn compare_ranked<'a>(
    a: &[&'a Span],
    ra: &[u32],
    b: &[&'a Span],
    rb: &[u32],
    labels: &LabelRanks<'a>,
) -> Comparison<'a> {
    let rank_a = |i: usize| ra.get(i).copied().unwrap_or(u32::MAX);
    let rank_b = |k: usize| rb.get(k).copied().unwrap_or(u32::MAX);
    let mut partner_a: Vec<Option<(usize, Kind)>> = vec![None; a.len()];
    let mut taken_b = vec![false; b.len()];

    // 1. Same extent and label: runs of equal (start, end, label), matched in text order.
    let by_key = |spans: &[&Span], rank: &dyn Fn(usize) -> u32| -> Vec<usize> {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_unstable_by_key(|&x| (spans[x].start, spans[x].end, rank(x), x));
        order
    };
    let (order_a, order_b) = (by_key(a, &rank_a), by_key(b, &rank_b));
    let key_a = |i: usize| (a[i].start, a[i].end, rank_a(i));
    let key_b = |k: usize| (b[k].start, b[k].end, rank_b(k));
    let (mut x, mut y) = (0, 0);
    while x < order_a.len() && y < order_b.len() {
        let (ka, kb) = (key_a(order_a[x]), key_b(order_b[y]));
        if ka < kb {
            x += 1;
        } else if kb < ka {
            y += 1;
        } else {
            let run_a = order_a[x..].iter().take_while(|&&i| key_a(i) == ka).count();
            let run_b = order_b[y..].iter().take_while(|&&k| key_b(k) == kb).count();
            for &i in &order_a[x..x + run_a] {
                let partner = order_b[y..y + run_b]
                    .iter()
                    .copied()
                    .find(|&k| !taken_b[k] && b[k].fragments == a[i].fragments);
                if let Some(k) = partner {
                    partner_a[i] = Some((k, Kind::Agreed));
                    taken_b[k] = true;
                }
            }
            x += run_a;
            y += run_b;
        }
    }

    // 2. Same label, overlapping.
    let free_a: Vec<usize> = (0..a.len()).filter(|&i| partner_a[i].is_none()).collect();
    let free_b: Vec<usize> = (0..b.len()).filter(|&k| !taken_b[k]).collect();
    let spans_a: Vec<&Span> = free_a.iter().map(|&i| a[i]).collect();
    let spans_b: Vec<&Span> = free_b.iter().map(|&k| b[k]).collect();
    let same_label = |x: usize, y: usize| rank_a(free_a[x]) == rank_b(free_b[y]);
    for (x, y) in pair_overlapping(&spans_a, &spans_b, same_label) {
        let (i, k) = (free_a[x], free_b[y]);
        let kind = if differ_by_proclitics(a[i], b[k]) {
            Kind::CliticOnly
        } else {
            Kind::BoundaryOnly
        };
        partner_a[i] = Some((k, kind));
        taken_b[k] = true;
    }

    // 3. Same extent, other label: runs of equal extent, matched by label, then text order.
    let extent_order = |spans: &[&Span], rank: &dyn Fn(usize) -> u32, free: Vec<usize>| {
        let mut free = free;
        free.sort_by(|&x, &y| {
            cmp_extent(spans[x], spans[y]).then_with(|| (rank(x), x).cmp(&(rank(y), y)))
        });
        free
    };
    let free_a = extent_order(
        a,
        &rank_a,
        (0..a.len()).filter(|&i| partner_a[i].is_none()).collect(),
    );
    let free_b = extent_order(b, &rank_b, (0..b.len()).filter(|&k| !taken_b[k]).collect());
    let (mut x, mut y) = (0, 0);
    while x < free_a.len() && y < free_b.len() {
        let (i, k) = (free_a[x], free_b[y]);
        match cmp_extent(a[i], b[k]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                partner_a[i] = Some((k, Kind::LabelOnly));
                taken_b[k] = true;
                x += 1;
                y += 1;
            }
        }
    }

    // Items, with their order in A and B for sorting.
    let mut items: Vec<(usize, usize, Item<'a>)> = Vec::with_capacity(a.len() + b.len());
    for (i, p) in partner_a.iter().enumerate() {
        let item = match *p {
            Some((k, kind)) => (
                i,
                k,
                Item {
                    kind,
                    a: Some(a[i]),
                    b: Some(b[k]),
                },
            ),
            None => (
                i,
                usize::MAX,
                Item {
                    kind: Kind::OnlyA,
                    a: Some(a[i]),
                    b: None,
                },
            ),
        };
        items.push(item);
    }
    for (k, taken) in taken_b.iter().enumerate() {
        if !taken {
            items.push((
                usize::MAX,
                k,
                Item {
                    kind: Kind::OnlyB,
                    a: None,
                    b: Some(b[k]),
                },
            ));
        }
    }
    items.sort_unstable_by_key(|(i, k, item)| {
        let r = item.range();
        (r.start, std::cmp::Reverse(r.end), *i, *k)
    });
    let mut summary = Summary {
        a_spans: a.len() as u64,
        b_spans: b.len() as u64,
        ..Summary::default()
    };
    for (_, _, item) in &items {
        summary.count(item.kind);
    }
    let ranks = items
        .iter()
        .map(|&(i, k, _)| {
            let side = |index: usize, rank: &dyn Fn(usize) -> u32| {
                (index != usize::MAX).then(|| rank(index))
            };
            (side(i, &rank_a), side(k, &rank_b))
        })
        .collect();
    Comparison {
        items: items.into_iter().map(|(_, _, item)| item).collect(),
        summary,
        ranks,
        labels: labels.clone(),
    }
}

/// Orders spans by extent: start, end, then fragments.
fn cmp_extent(p: &Span, q: &Span) -> std::cmp::Ordering {
    let pieces = |s: &Span| {
        s.fragments
            .iter()
            .map(|r| (r.start, r.end))
            .collect::<Vec<_>>()
    };
    (p.start, p.end).cmp(&(q.start, q.end)).then_with(|| {
        if p.fragments.is_empty() && q.fragments.is_empty() {
            std::cmp::Ordering::Equal
        } else {
            pieces(p).cmp(&pieces(q))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{DocStatus, ReviewState};

    /// A layer from marked-up text: `[LABEL text]`, nested freely; `[?LABEL ...]` is a
    /// suggested span. Returns the plain text and the layer.
    fn layer(marked: &str) -> (String, Annotations) {
        let mut text = String::new();
        let mut n = 0usize;
        let mut open: Vec<(usize, String, bool)> = Vec::new();
        let mut spans = Vec::new();
        let mut chars = marked.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '[' => {
                    let mut label = String::new();
                    while let Some(&d) = chars.peek() {
                        chars.next();
                        if d == ' ' {
                            break;
                        }
                        label.push(d);
                    }
                    let suggested = label.starts_with('?');
                    open.push((n, label.trim_start_matches('?').to_owned(), suggested));
                }
                ']' => {
                    let (start, label, suggested) = open.pop().expect("balanced");
                    let cover: String = text.chars().skip(start).collect();
                    let mut s = Span::new(format!("s{}", spans.len() + 1), start..n, label, cover);
                    if suggested {
                        s.review = ReviewState::Suggested;
                    }
                    spans.push(s);
                }
                c => {
                    text.push(c);
                    n += 1;
                }
            }
        }
        (
            text,
            Annotations::from_parts(DocStatus::Finished, spans, vec![], vec![], vec![]),
        )
    }

    /// The items as `kind a-text/b-text` lines.
    fn diff(a: &str, b: &str) -> (Vec<String>, Summary) {
        let ((ta, la), (tb, lb)) = (layer(a), layer(b));
        assert_eq!(ta, tb, "both markups are of one text");
        let c = compare(&la, &lb, &SpanFilter::all());
        let show =
            |s: Option<&Span>| s.map_or("-".to_owned(), |s| format!("{}:{}", s.label, s.text));
        let lines = c
            .items
            .iter()
            .map(|i| format!("{} {} {}", i.kind.name(), show(i.a), show(i.b)))
            .collect();
        (lines, c.summary)
    }

    #[test]
    fn kinds_of_items() {
        let (items, sum) = diff(
            "زار [PER محمد] [GPE وبواشنطن] ثم [ORG وزارة الخارجية] و[LOC النيل] [PER أحمد]",
            "زار [PER محمد] وب[GPE واشنطن] ثم [ORG وزارة] [ORG الخارجية] و[GPE النيل] أحمد",
        );
        assert_eq!(
            items,
            [
                "agreed PER:محمد PER:محمد",
                "clitic_only GPE:وبواشنطن GPE:واشنطن",
                "boundary_only ORG:وزارة الخارجية ORG:الخارجية",
                "only_b - ORG:وزارة",
                "label_only LOC:النيل GPE:النيل",
                "only_a PER:أحمد -",
            ]
        );
        assert_eq!(
            sum,
            Summary {
                a_spans: 5,
                b_spans: 5,
                agreed: 1,
                boundary_only: 2,
                clitic_only: 1,
                label_only: 1,
                only_a: 1,
                only_b: 1,
            }
        );
        assert_eq!(sum.disagreements(), 5);
    }

    #[test]
    fn nested_spans_pair_with_their_own_level_and_suggestions_do_not_count() {
        let (items, sum) = diff(
            "[ORG جامعة [GPE القاهرة]] [?PER علي]",
            "[ORG جامعة [GPE القاهرة]] علي",
        );
        assert_eq!(
            items,
            [
                "agreed ORG:جامعة القاهرة ORG:جامعة القاهرة",
                "agreed GPE:القاهرة GPE:القاهرة"
            ]
        );
        assert_eq!(sum.only_a, 0);
    }

    #[test]
    fn same_label_overlap_comes_before_same_extent() {
        // A's PER could be B's ORG (same extent) or B's PER (overlapping): the same-label pair
        // wins, so that overlap F1 = agreed + boundary_only.
        let (items, _) = diff("[PER محمد] علي", "[PER [ORG محمد] علي]");
        assert_eq!(
            items,
            ["boundary_only PER:محمد PER:محمد علي", "only_b - ORG:محمد"]
        );
    }

    #[test]
    fn duplicates_pair_one_to_one() {
        let (items, sum) = diff("[PER [PER محمد]]", "[PER محمد]");
        assert_eq!(items, ["agreed PER:محمد PER:محمد", "only_a PER:محمد -"]);
        assert_eq!((sum.a_spans, sum.b_spans, sum.agreed), (2, 1, 1));
    }

    #[test]
    fn per_label_counts() {
        let ((_, la), (_, lb)) = (
            layer("[LOC النيل] [PER علي] [PER وعمر]"),
            layer("[GPE النيل] [PER علي] و[PER عمر]"),
        );
        let c = compare(&la, &lb, &SpanFilter::all());
        let per = c.per_label();
        assert_eq!(per["LOC"].label_only, 1);
        assert_eq!(per["GPE"].label_only, 1);
        assert_eq!(per["PER"].agreed, 1);
        assert_eq!(per["PER"].clitic_only, 1);
        assert_eq!((per["PER"].a_spans, per["PER"].b_spans), (2, 2));
        let only_per = compare(&la, &lb, &SpanFilter::labels(["PER"]));
        assert_eq!(only_per.summary.label_only, 0);
        assert_eq!(only_per.items.len(), 2);
        // Ids of both sides are kept, for a Compare view.
        let clitic = c.items.iter().find(|i| i.kind == Kind::CliticOnly).unwrap();
        assert_eq!(
            (clitic.a.unwrap().id.as_str(), clitic.b.unwrap().id.as_str()),
            ("s3", "s3")
        );
        assert_eq!(c.disagreements().count(), 2);
    }
}
