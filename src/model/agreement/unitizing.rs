//! Krippendorff's unitizing α (α_u), computed exactly as DKPro Agreement's
//! `KrippendorffAlphaUnitizingAgreement` does (Krippendorff 1995, 2004 p. 251-256).
//!
//! A continuum of `L` positions (chars) is unitized by `R` raters: each rater's units of one
//! category, with the gaps between them, tile the continuum. Per category `c`:
//!
//! - observed disagreement `D_O(c) = 2 / (R L²) · Σ_{rater pairs} Σ d(seg_1, seg_2)` over every
//!   pair of segments (units or gaps) of the two raters that lie side by side, with
//!   `d = Δbegin² + Δend²` for two overlapping units, `l²` for a unit of length `l` that lies within
//!   a gap of the other rater, and 0 otherwise;
//! - expected disagreement `D_E(c) = 2/L · Σ_{units u of c} [ (N_c-1) l_u(l_u-1)(2l_u-1)/3 +
//!   l_u² Σ_{gaps g, l_g ≥ l_u} (l_g - l_u + 1) ] / (R L (R L - 1) - Σ_u l_u (l_u - 1))`, where the
//!   units and gaps are those of every rater and `N_c` is the number of units of `c`;
//! - `α_u(c) = 1 - D_O(c) / D_E(c)`, and overall `α_u = 1 - mean_c D_O(c) / mean_c D_E(c)`.
//!
//! The segment walk and the formulas are DKPro's; the sums are kept in exact integers and divided
//! once at the end. Two rules make the input DKPro's: one rater's units of one category never
//! overlap (where they would, the longest is kept, then the earliest: [`disjoint`]), and units
//! have a positive length. α_u is undefined (not DKPro's 0.0 or 1.0) when there is no unit, the
//! continuum is empty, there are fewer than two raters or `D_E` is 0.
//!
//! The corpus is one continuum: documents laid end to end ([`Continuum::add_stretch`]); a gap
//! runs on from one document into the next.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::figure::Figure;
use super::interner::FastMap;

/// A unit as `(start, length)` within its stretch.
pub type Unit = (u64, u64);

/// One rater's units of one category, made apart: units of length 0 are dropped; where units
/// overlap, the longest is kept, then the earliest. Returns them sorted by start.
pub fn disjoint(mut units: Vec<Unit>) -> Vec<Unit> {
    units.retain(|u| u.1 > 0);
    // Most often they are sorted and apart already.
    if units.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0) {
        return units;
    }
    units.sort_by_key(|&(start, len)| (Reverse(len), start));
    // start -> end of the kept units
    let mut kept: BTreeMap<u64, u64> = BTreeMap::new();
    for (start, len) in units {
        let end = start + len;
        let before = kept
            .range(..=start)
            .next_back()
            .is_some_and(|(_, &e)| e > start);
        let after = kept.range(start..end).next().is_some();
        if !before && !after {
            kept.insert(start, end);
        }
    }
    kept.into_iter().map(|(s, e)| (s, e - s)).collect()
}

/// DKPro's distance between two segments of two raters (`unit`: the segment is a unit of the
/// category, not a gap).
fn distance(a: (u64, u64, bool), b: (u64, u64, bool)) -> u128 {
    let (off1, len1, unit1) = (a.0 as i128, a.1 as i128, a.2);
    let (off2, len2, unit2) = (b.0 as i128, b.1 as i128, b.2);
    let begin_diff = off1 - off2;
    let length_diff = len1 - len2;
    let d = if unit1 && unit2 && -len1 < begin_diff && begin_diff < len2 {
        begin_diff * begin_diff + (begin_diff + length_diff) * (begin_diff + length_diff)
    } else if unit1 && !unit2 && -length_diff >= begin_diff && begin_diff >= 0 {
        len1 * len1
    } else if !unit1 && unit2 && -length_diff <= begin_diff && begin_diff <= 0 {
        len2 * len2
    } else {
        0
    };
    d as u128
}

/// The current segment of one rater in the walk.
struct Cursor<'a> {
    units: &'a [Unit],
    next: usize,
    offset: u64,
    length: u64,
    is_unit: bool,
}

impl<'a> Cursor<'a> {
    fn new(units: &'a [Unit]) -> Self {
        Self {
            units,
            next: 0,
            offset: 0,
            length: 0,
            is_unit: false,
        }
    }

    fn has_next(&self) -> bool {
        self.next < self.units.len()
    }

    /// At `pos`, the end of the current segment: step to the next unit or gap.
    fn step(&mut self, pos: u64, end: u64) {
        if pos != self.offset + self.length {
            return;
        }
        match self.units.get(self.next) {
            Some(&(start, len)) if start == pos => {
                self.length = len;
                self.is_unit = true;
                self.next += 1;
            }
            next => {
                self.length = next.map_or(end, |u| u.0) - pos;
                self.is_unit = false;
            }
        }
        self.offset = pos;
    }

    fn segment(&self) -> (u64, u64, bool) {
        (self.offset, self.length, self.is_unit)
    }
}

/// Σ d over the segments of two raters side by side, on a stretch `0..len` (DKPro's walk; the
/// units are sorted, apart and inside the stretch).
pub fn observed_pair_sum(units1: &[Unit], units2: &[Unit], len: u64) -> u128 {
    let mut c1 = Cursor::new(units1);
    let mut c2 = Cursor::new(units2);
    let mut pos = 0;
    let mut sum = 0u128;
    while pos < len && (c1.has_next() || c2.has_next()) {
        c1.step(pos, len);
        c2.step(pos, len);
        sum += distance(c1.segment(), c2.segment());
        let next = (c1.offset + c1.length).min(c2.offset + c2.length);
        if next <= pos {
            // Units outside the stretch or overlapping would stall the walk; the callers never
            // pass them, and this stops rather than loop.
            break;
        }
        pos = next;
    }
    sum
}

/// Everything α_u needs about one category so far.
#[derive(Debug, Clone, Default)]
struct CategoryTotals {
    /// Σ d over rater pairs (before the factor 2 / (R L²)).
    observed: u128,
    /// Units of the category (all raters), by length: length -> count.
    unit_lengths: FastMap<u64, u64>,
    /// Gaps (all raters) by length, the open gap at the end of each rater's tiling excepted.
    gaps: FastMap<u64, u64>,
    /// Where each rater's last unit of the category ended (on the whole continuum).
    last_end: Vec<u64>,
}

/// The continuum of a unitizing study, built stretch by stretch (document by document), with
/// categories of type `K`.
#[derive(Debug, Clone)]
pub struct Continuum<K: Ord + Clone> {
    raters: usize,
    length: u64,
    categories: BTreeMap<K, CategoryTotals>,
}

impl<K: Ord + Clone> Continuum<K> {
    pub fn new(raters: usize) -> Self {
        Self {
            raters,
            length: 0,
            categories: BTreeMap::new(),
        }
    }

    pub fn raters(&self) -> usize {
        self.raters
    }

    /// Length of the continuum so far.
    pub fn length(&self) -> u64 {
        self.length
    }

    /// The categories that have units, in order.
    pub fn categories(&self) -> impl Iterator<Item = &K> {
        self.categories.keys()
    }

    /// Appends a stretch of `len` positions. `units` gives, per category, each rater's units
    /// (`units[c].1[r]`, positions within the stretch); they are made apart with [`disjoint`]
    /// and cut to the stretch.
    pub fn add_stretch(&mut self, len: u64, units: Vec<(K, Vec<Vec<Unit>>)>) {
        let base = self.length;
        let raters = self.raters;
        for (category, mut per_rater) in units {
            per_rater.resize_with(raters, Vec::new);
            per_rater.truncate(raters);
            for list in per_rater.iter_mut() {
                list.retain(|&(s, _)| s < len);
                for u in list.iter_mut() {
                    u.1 = u.1.min(len - u.0);
                }
                *list = disjoint(std::mem::take(list));
            }
            if per_rater.iter().all(Vec::is_empty) {
                continue;
            }
            let totals = self
                .categories
                .entry(category)
                .or_insert_with(|| CategoryTotals {
                    last_end: vec![0; raters],
                    ..CategoryTotals::default()
                });
            for r1 in 0..raters {
                for r2 in r1 + 1..raters {
                    totals.observed += observed_pair_sum(&per_rater[r1], &per_rater[r2], len);
                }
            }
            for (r, units) in per_rater.iter().enumerate() {
                for &(start, l) in units {
                    let start = base + start;
                    if start > totals.last_end[r] {
                        *totals.gaps.entry(start - totals.last_end[r]).or_default() += 1;
                    }
                    totals.last_end[r] = start + l;
                    *totals.unit_lengths.entry(l).or_default() += 1;
                }
            }
        }
        self.length += len;
    }

    /// `D_O(c)`, or `None` if undefined (no such category, empty continuum, < 2 raters).
    pub fn observed_disagreement(&self, category: &K) -> Option<f64> {
        let t = self.categories.get(category)?;
        let (r, l) = (self.raters as f64, self.length as f64);
        (self.raters >= 2 && self.length > 0)
            .then(|| 2.0 * t.observed as f64 / (r * (r - 1.0) * l * l))
    }

    /// `D_E(c)`, or `None` if undefined.
    pub fn expected_disagreement(&self, category: &K) -> Option<f64> {
        let t = self.categories.get(category)?;
        if self.raters < 2 || self.length == 0 {
            return None;
        }
        let big_l = self.length as u128;
        let mut gaps: BTreeMap<u64, u64> = t.gaps.iter().map(|(&g, &n)| (g, n)).collect();
        for &end in &t.last_end {
            if self.length > end {
                *gaps.entry(self.length - end).or_default() += 1;
            }
        }
        let unit_lengths: BTreeMap<u64, u64> =
            t.unit_lengths.iter().map(|(&l, &n)| (l, n)).collect();
        // Σ_{g ≥ l} count and Σ_{g ≥ l} g·count, from the longest gap down.
        let mut suffix: Vec<(u64, u128, u128)> = Vec::with_capacity(gaps.len());
        let (mut count, mut total) = (0u128, 0u128);
        for (&g, &n) in gaps.iter().rev() {
            count += n as u128;
            total += g as u128 * n as u128;
            suffix.push((g, count, total));
        }
        suffix.reverse(); // ascending by gap length
        let n_c: u128 = unit_lengths.values().map(|&n| n as u128).sum();
        let mut numerator = 0u128;
        let mut squared_lengths = 0u128;
        for (&l, &n) in &unit_lengths {
            let (l, n) = (l as u128, n as u128);
            squared_lengths += n * l * (l - 1);
            let within = (n_c - 1) * l * (l - 1) * (2 * l - 1) / 3;
            let first = suffix.partition_point(|&(g, _, _)| (g as u128) < l);
            let gap_sum = suffix
                .get(first)
                .map_or(0, |&(_, count, total)| total - (l - 1) * count);
            numerator += n * (within + l * l * gap_sum);
        }
        let rl = self.raters as u128 * big_l;
        let denominator = rl * (rl - 1) - squared_lengths;
        (denominator > 0).then(|| 2.0 * numerator as f64 / (big_l as f64 * denominator as f64))
    }

    /// `α_u(c) = 1 - D_O(c) / D_E(c)`.
    pub fn category_alpha(&self, category: &K) -> Figure {
        if let Some(undefined) = self.undefined() {
            return undefined;
        }
        match (
            self.observed_disagreement(category),
            self.expected_disagreement(category),
        ) {
            (Some(d_o), Some(d_e)) if d_e > 0.0 => Figure::of(1.0 - d_o / d_e),
            (Some(_), Some(_)) => Figure::undefined(
                "no expected disagreement (every rater's tiling leaves nothing to disagree on)",
            ),
            _ => Figure::undefined("no span of this label in the continuum"),
        }
    }

    /// `α_u = 1 - Σ_c D_O(c) / Σ_c D_E(c)` (DKPro's mean over categories, whose counts cancel).
    pub fn alpha(&self) -> Figure {
        if let Some(undefined) = self.undefined() {
            return undefined;
        }
        if self.categories.is_empty() {
            return Figure::undefined("no span in the documents all annotators annotated");
        }
        let (mut d_o, mut d_e) = (0.0, 0.0);
        for c in self.categories.keys() {
            d_o += self.observed_disagreement(c).unwrap_or(0.0);
            d_e += self.expected_disagreement(c).unwrap_or(0.0);
        }
        if d_e > 0.0 {
            Figure::of(1.0 - d_o / d_e)
        } else {
            Figure::undefined("no expected disagreement")
        }
    }

    fn undefined(&self) -> Option<Figure> {
        if self.raters < 2 {
            Some(Figure::undefined("fewer than two annotators"))
        } else if self.length == 0 {
            Some(Figure::undefined(
                "no document that all annotators annotated (the continuum is empty)",
            ))
        } else {
            None
        }
    }
}

/// A unitizing study in DKPro's terms: raters, a continuum `begin..begin+length` and units
/// `(offset, length, rater, category)`. For checking the published examples and for small
/// studies; the corpus uses [`Continuum`] directly.
#[derive(Debug, Clone)]
pub struct Study {
    raters: usize,
    begin: u64,
    length: u64,
    units: BTreeMap<String, Vec<Vec<Unit>>>,
}

impl Study {
    pub fn new(raters: usize, begin: u64, length: u64) -> Self {
        Self {
            raters,
            begin,
            length,
            units: BTreeMap::new(),
        }
    }

    /// Adds a unit at absolute `offset` (DKPro's `addUnit`). Units outside the continuum are cut
    /// to it.
    pub fn add_unit(&mut self, offset: u64, length: u64, rater: usize, category: &str) {
        if rater >= self.raters || offset < self.begin {
            return;
        }
        let per_rater = self
            .units
            .entry(category.to_owned())
            .or_insert_with(|| vec![Vec::new(); self.raters]);
        per_rater[rater].push((offset - self.begin, length));
    }

    pub fn continuum(&self) -> Continuum<String> {
        let mut c = Continuum::new(self.raters);
        c.add_stretch(
            self.length,
            self.units
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2004, p. 254), as DKPro's `Krippendorff2004Test` builds it.
    fn krippendorff_2004() -> Study {
        let mut s = Study::new(2, 150, 300);
        s.add_unit(225, 70, 0, "c");
        s.add_unit(370, 30, 0, "c");
        s.add_unit(220, 80, 1, "c");
        s.add_unit(355, 20, 1, "c");
        s.add_unit(400, 20, 1, "c");
        s.add_unit(180, 60, 0, "k");
        s.add_unit(300, 50, 0, "k");
        s.add_unit(180, 60, 1, "k");
        s.add_unit(300, 50, 1, "k");
        s
    }

    fn close(got: Option<f64>, want: f64, tol: f64) {
        let got = got.expect("a value");
        assert!((got - want).abs() <= tol, "got {got}, want {want} ± {tol}");
    }

    #[test]
    fn distances_of_dkpro_tests() {
        let d = |a: (u64, u64, bool), b: (u64, u64, bool)| distance(a, b);
        assert_eq!(
            d((2, 3, false), (2, 2, true)) + d((5, 6, true), (4, 7, false)),
            40
        );
        assert_eq!(d((5, 6, true), (4, 2, true)), 26);
        assert_eq!(d((5, 6, true), (5, 2, true)), 16);
        assert_eq!(d((5, 6, true), (6, 2, true)), 10);
        assert_eq!(d((5, 6, true), (7, 2, true)), 8);
        assert_eq!(d((5, 6, true), (6, 4, true)), 2);
        assert_eq!(d((5, 6, true), (5, 6, true)), 0);
        assert_eq!(d((225, 70, true), (220, 80, true)), 50);
        assert_eq!(d((370, 30, true), (355, 20, true)), 850);
        assert_eq!(d((400, 50, false), (400, 20, true)), 400);
    }

    #[test]
    fn krippendorff_2004_published_figures() {
        let c = krippendorff_2004().continuum();
        let (cc, k) = (&"c".to_owned(), &"k".to_owned());
        close(c.observed_disagreement(cc), 0.0144, 1e-4);
        close(c.expected_disagreement(cc), 0.0532, 1e-4);
        close(c.category_alpha(cc).value, 0.7286, 1e-4);
        close(c.observed_disagreement(k), 0.0, 1e-4);
        close(c.expected_disagreement(k), 0.0490, 1e-4);
        close(c.category_alpha(k).value, 1.0, 1e-4);
        // DKPro 2.3.1's `calculateAgreement()` on this study, run here: 0.8586654051841702.
        close(c.alpha().value, 0.8586654051841702, 1e-12);
        // The book's 0.8591 is 1 - D_O/D_E from its own rounded D_O(c), D_E(c), D_E(k); DKPro's
        // test accepts it to 0.0005. From those printed figures the formula gives it to 1e-4.
        close(c.alpha().value, 0.8591, 5e-4);
        close(Some(1.0 - (0.0144 + 0.0) / (0.0532 + 0.0490)), 0.8591, 1e-4);
    }

    /// Krippendorff (1995, p. 57), as DKPro's `Krippendorff1995Test` builds it, stretched.
    fn krippendorff_1995(stretch: f64) -> Study {
        let x = |v: f64| (v * stretch) as u64;
        let mut s = Study::new(2, 0, x(24.0));
        let units: &[(f64, f64, usize, &str)] = &[
            (2., 8., 0, "A"),
            (14., 6., 0, "A"),
            (4., 4., 1, "A"),
            (15., 2., 1, "A"),
            (0., 18., 0, "B"),
            (0., 2., 1, "B"),
            (2., 1., 1, "B"),
            (3., 1., 1, "B"),
            (4., 1., 1, "B"),
            (5., 1., 1, "B"),
            (6., 3., 1, "B"),
            (9., 1., 1, "B"),
            (2., 6., 0, "C"),
            (10., 2., 0, "C"),
            (14., 4., 0, "C"),
            (20., 2., 0, "C"),
            (0., 2., 1, "C"),
            (4., 4., 1, "C"),
            (10., 4., 1, "C"),
            (16., 2., 1, "C"),
            (20., 2., 1, "C"),
            (0., 2., 0, "D"),
            (2., 8., 0, "D"),
            (10., 4., 0, "D"),
            (14., 6., 0, "D"),
            (20., 4., 0, "D"),
            (0., 4., 1, "D"),
            (4., 4., 1, "D"),
            (8., 7., 1, "D"),
            (15., 2., 1, "D"),
            (17., 7., 1, "D"),
        ];
        for &(o, l, r, c) in units {
            s.add_unit(x(o), x(l), r, c);
        }
        s
    }

    #[test]
    fn krippendorff_1995_published_figures() {
        // Observed disagreement, exact in the paper (DKPro checks it to 1e-5).
        let c = krippendorff_1995(1.0).continuum();
        for (cat, d_o) in [
            ("A", 0.03125),
            ("B", 2.26736),
            ("C", 0.02777),
            ("D", 0.38715),
        ] {
            close(c.observed_disagreement(&cat.to_owned()), d_o, 1e-5);
        }
        // Expected disagreement and α per category: the paper's figures are for a continuum
        // stretched towards the continuous case and carry a small error (DKPro's comment), so
        // DKPro checks them to 0.005 and 0.02.
        let c = krippendorff_1995(1_200_000.0 / 24.0).continuum();
        for (cat, d_e, alpha) in [
            ("A", 0.06990, 0.553),
            ("B", 1.17731, -0.926),
            ("C", 0.08642, 0.679),
            ("D", 0.41445, 0.066),
        ] {
            let cat = cat.to_owned();
            close(c.expected_disagreement(&cat), d_e, 0.005);
            close(c.category_alpha(&cat).value, alpha, 0.02);
        }
        let c = krippendorff_1995(0.5).continuum();
        close(c.expected_disagreement(&"C".to_owned()), 0.05494, 1e-5);
        close(c.observed_disagreement(&"C".to_owned()), 0.02777, 1e-5);
    }

    #[test]
    fn documents_end_to_end_equal_one_study() {
        // Two stretches appended give what one study over their concatenation gives.
        let mut whole = Study::new(2, 0, 30);
        let mut parts = Continuum::new(2);
        let first: Vec<(String, Vec<Vec<Unit>>)> = vec![
            ("X".into(), vec![vec![(2, 3), (8, 2)], vec![(2, 4)]]),
            ("Y".into(), vec![vec![], vec![(0, 1)]]),
        ];
        let second: Vec<(String, Vec<Vec<Unit>>)> =
            vec![("X".into(), vec![vec![(5, 5)], vec![(1, 1), (6, 3)]])];
        for (k, per) in &first {
            for (r, us) in per.iter().enumerate() {
                for &(s, l) in us {
                    whole.add_unit(s, l, r, k);
                }
            }
        }
        for (k, per) in &second {
            for (r, us) in per.iter().enumerate() {
                for &(s, l) in us {
                    whole.add_unit(s + 12, l, r, k);
                }
            }
        }
        parts.add_stretch(12, first);
        parts.add_stretch(18, second);
        let whole = whole.continuum();
        for k in ["X", "Y"] {
            let k = k.to_owned();
            assert_eq!(
                parts.observed_disagreement(&k),
                whole.observed_disagreement(&k)
            );
            assert_eq!(
                parts.expected_disagreement(&k),
                whole.expected_disagreement(&k)
            );
        }
        assert_eq!(parts.alpha(), whole.alpha());
    }

    #[test]
    fn overlapping_units_of_one_rater_keep_the_longest_then_the_earliest() {
        assert_eq!(
            disjoint(vec![(0, 3), (2, 5), (6, 5), (20, 2), (21, 2), (30, 0)]),
            vec![(2, 5), (20, 2)]
        );
        assert_eq!(disjoint(vec![(5, 2), (5, 2)]), vec![(5, 2)]);
    }

    #[test]
    fn undefined_cases_have_reasons() {
        assert!(Study::new(1, 0, 10).continuum().alpha().reason.is_some());
        assert!(Study::new(2, 0, 0).continuum().alpha().reason.is_some());
        assert!(Study::new(2, 0, 10).continuum().alpha().reason.is_some());
        // One char, both raters mark it: D_O = D_E = 0.
        let mut s = Study::new(2, 0, 1);
        s.add_unit(0, 1, 0, "X");
        s.add_unit(0, 1, 1, "X");
        let c = s.continuum();
        assert!(c.alpha().reason.is_some());
        assert!(c.category_alpha(&"X".to_owned()).reason.is_some());
    }
}
