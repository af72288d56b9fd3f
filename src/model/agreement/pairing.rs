//! One-to-one pairing of overlapping spans of two layers.
//!
//! The rule (docs/agreement.md, "Pairing"): among the candidate pairs (spans that share at least
//! one char and that `allowed` accepts), the pairs form a **maximum** matching — no other
//! one-to-one pairing has more pairs. Which maximum matching: first the candidates are taken
//! greedily in order of preference (more shared chars first, then a smaller
//! `|Δstart| + |Δend|`, then the A span earlier in text order, then the B span), each when both of
//! its spans are still free; then every A span left free, in text order, is given a partner along
//! an augmenting path if one exists (partners tried in the same order of preference), which
//! re-pairs some spans but never leaves a paired span unpaired. The result does not depend on
//! anything but the spans, so it is the same on every run and machine.

use crate::model::annotation::Span;

/// Chars shared by two spans (their pieces, for discontinuous spans).
pub fn shared_chars(a: &Span, b: &Span) -> usize {
    if a.end <= b.start || b.end <= a.start {
        return 0;
    }
    if !a.is_discontinuous() && !b.is_discontinuous() {
        return a.end.min(b.end) - a.start.max(b.start);
    }
    let (pa, pb) = (a.pieces(), b.pieces());
    pa.iter()
        .flat_map(|x| {
            pb.iter()
                .map(move |y| x.end.min(y.end).saturating_sub(x.start.max(y.start)))
        })
        .sum()
}

/// The pairs `(index in a, index in b)` of a maximum one-to-one matching of spans that overlap
/// and that `allowed` accepts (given their indices), chosen by the rule above; sorted by the A
/// index. `a` and `b` are in text order.
pub fn pair_overlapping(
    a: &[&Span],
    b: &[&Span],
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    // Candidate pairs, by a sweep over starts: (a, b, shared, shift).
    let mut candidates: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut order: Vec<(usize, bool, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start, false, i))
        .chain(b.iter().enumerate().map(|(i, s)| (s.start, true, i)))
        .collect();
    order.sort_unstable();
    let (mut open_a, mut open_b): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    for (start, is_b, i) in order {
        open_a.retain(|&k| a[k].end > start);
        open_b.retain(|&k| b[k].end > start);
        if is_b {
            for &k in &open_a {
                push_candidate(&mut candidates, a, b, k, i, &allowed);
            }
            open_b.push(i);
        } else {
            for &k in &open_b {
                push_candidate(&mut candidates, a, b, i, k, &allowed);
            }
            open_a.push(i);
        }
    }
    // Most preferred first.
    candidates
        .sort_unstable_by_key(|&(i, k, shared, shift)| (std::cmp::Reverse(shared), shift, i, k));
    let mut partner_of_a: Vec<Option<usize>> = vec![None; a.len()];
    let mut partner_of_b: Vec<Option<usize>> = vec![None; b.len()];
    for &(i, k, _, _) in &candidates {
        if partner_of_a[i].is_none() && partner_of_b[k].is_none() {
            partner_of_a[i] = Some(k);
            partner_of_b[k] = Some(i);
        }
    }
    // Augment to a maximum matching (only needed where an A span with candidates is free).
    if candidates
        .iter()
        .all(|&(i, _, _, _)| partner_of_a[i].is_some())
    {
        return pairs_of(&partner_of_a);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); a.len()];
    for &(i, k, _, _) in &candidates {
        neighbours[i].push(k);
    }
    let mut visited = vec![false; b.len()];
    for start in 0..a.len() {
        if partner_of_a[start].is_none() && !neighbours[start].is_empty() {
            visited.iter_mut().for_each(|v| *v = false);
            augment(
                start,
                &neighbours,
                &mut partner_of_a,
                &mut partner_of_b,
                &mut visited,
            );
        }
    }
    pairs_of(&partner_of_a)
}

fn pairs_of(partner_of_a: &[Option<usize>]) -> Vec<(usize, usize)> {
    partner_of_a
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|k| (i, k)))
        .collect()
}

fn push_candidate(
    out: &mut Vec<(usize, usize, usize, usize)>,
    a: &[&Span],
    b: &[&Span],
    i: usize,
    k: usize,
    allowed: &impl Fn(usize, usize) -> bool,
) {
    let (x, y) = (a[i], b[k]);
    if !allowed(i, k) {
        return;
    }
    let shared = shared_chars(x, y);
    if shared > 0 {
        let shift = x.start.abs_diff(y.start) + x.end.abs_diff(y.end);
        out.push((i, k, shared, shift));
    }
}

/// Looks for an augmenting path from the free A span `start` (depth first, without recursion);
/// applies it if found.
fn augment(
    start: usize,
    neighbours: &[Vec<usize>],
    partner_of_a: &mut [Option<usize>],
    partner_of_b: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    // (A span, next neighbour to try); `through[d]` is the B span that led to stack[d + 1].
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    let mut through: Vec<usize> = Vec::new();
    while let Some(top) = stack.last_mut() {
        let (i, next) = *top;
        let Some(&k) = neighbours[i].get(next) else {
            stack.pop();
            through.pop();
            continue;
        };
        top.1 += 1;
        if visited[k] {
            continue;
        }
        visited[k] = true;
        match partner_of_b[k] {
            Some(other) => {
                through.push(k);
                stack.push((other, 0));
            }
            None => {
                through.push(k);
                for (&(ai, _), &bk) in stack.iter().zip(&through) {
                    partner_of_a[ai] = Some(bk);
                    partner_of_b[bk] = Some(ai);
                }
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spans(ranges: &[(usize, usize)]) -> Vec<Span> {
        ranges
            .iter()
            .enumerate()
            .map(|(i, &(s, e))| Span::new(format!("s{i}"), s..e, "X", ""))
            .collect()
    }

    fn pairs(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let (a, b) = (spans(a), spans(b));
        let (ra, rb): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
        pair_overlapping(&ra, &rb, |_, _| true)
    }

    #[test]
    fn prefers_the_larger_overlap() {
        // A 0..10 shares 9 chars with B 1..10 and 2 with B 0..2.
        assert_eq!(pairs(&[(0, 10)], &[(0, 2), (1, 10)]), vec![(0, 1)]);
    }

    #[test]
    fn re_pairs_to_reach_a_maximum() {
        // Greedy pairs A0 (0..10) with B1 (5..10), their 5 shared chars the most, leaving A1
        // (8..12) and B0 (0..2) alone; the maximum re-pairs A0 with B0 and A1 with B1.
        let got = pairs(&[(0, 10), (8, 12)], &[(0, 2), (5, 10)]);
        assert_eq!(got, vec![(0, 0), (1, 1)]);
    }

    /// The largest matching, by trying every subset of candidate pairs (small cases only).
    fn brute_force_maximum(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
        fn go(i: usize, a: &[(usize, usize)], b: &[(usize, usize)], used: &mut Vec<bool>) -> usize {
            if i == a.len() {
                return 0;
            }
            let mut best = go(i + 1, a, b, used);
            for k in 0..b.len() {
                if !used[k] && a[i].0 < b[k].1 && b[k].0 < a[i].1 {
                    used[k] = true;
                    best = best.max(1 + go(i + 1, a, b, used));
                    used[k] = false;
                }
            }
            best
        }
        go(0, a, b, &mut vec![false; b.len()])
    }

    fn ranges() -> impl Strategy<Value = Vec<(usize, usize)>> {
        prop::collection::vec((0usize..30, 1usize..8), 0..7).prop_map(|v| {
            let mut v: Vec<(usize, usize)> = v.into_iter().map(|(s, l)| (s, s + l)).collect();
            v.sort();
            v
        })
    }

    proptest! {
        #[test]
        fn the_matching_is_maximum_one_to_one_and_overlapping(a in ranges(), b in ranges()) {
            let got = pairs(&a, &b);
            prop_assert_eq!(got.len(), brute_force_maximum(&a, &b));
            let mut seen_b = std::collections::BTreeSet::new();
            for &(i, k) in &got {
                prop_assert!(seen_b.insert(k));
                prop_assert!(a[i].0 < b[k].1 && b[k].0 < a[i].1);
            }
            prop_assert_eq!(&got, &pairs(&a, &b));
        }
    }
}
