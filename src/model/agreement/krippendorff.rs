//! Krippendorff's alpha for nominal data with missing values, as the PyPI package
//! `krippendorff` computes it (`level_of_measurement="nominal"`): from the coincidence matrix of
//! the pairable units (those with values from at least two annotators),
//! `α = 1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`, with `Σ_{c≠k} o_ck = Σ_u (m_u² - Σ_c n_uc²) /
//! (m_u - 1)` (`m_u` values in unit `u`, `n_uc` of them `c`) and `n_c = Σ_u n_uc`. Counted in
//! integers per `m_u` and divided at the end.

use std::collections::BTreeMap;

use super::figure::Figure;
use super::interner::count_values;
use super::interner::FastMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlphaCounts {
    /// m -> Σ over units with m values of (m² - Σ_c n_uc²).
    disagreeing: BTreeMap<u64, u128>,
    /// n_c over pairable units.
    totals: FastMap<u32, u64>,
    pairable: u64,
}

impl AlphaCounts {
    /// One unit, with the values of the annotators who gave one (missing ones left out).
    pub fn add_unit(&mut self, values: &[u32]) {
        let m = values.len() as u64;
        if m < 2 {
            return;
        }
        let mut squares = 0u128;
        count_values(values, |v, n| {
            squares += (n * n) as u128;
            *self.totals.entry(v).or_default() += n;
        });
        *self.disagreeing.entry(m).or_default() += (m * m) as u128 - squares;
        self.pairable += 1;
    }

    /// `units` units of `m` values each, counted elsewhere: Σ (m² - Σ_c n_uc²) over them and
    /// the totals per value.
    pub fn add_counts(&mut self, m: u64, units: u64, disagreeing: u128, totals: &[(u32, u64)]) {
        if m < 2 || units == 0 {
            return;
        }
        *self.disagreeing.entry(m).or_default() += disagreeing;
        for &(k, n) in totals {
            *self.totals.entry(k).or_default() += n;
        }
        self.pairable += units;
    }

    pub fn merge_mapped(&mut self, other: &AlphaCounts, map: impl Fn(u32) -> u32) {
        for (&m, &d) in &other.disagreeing {
            *self.disagreeing.entry(m).or_default() += d;
        }
        for (&k, &n) in &other.totals {
            *self.totals.entry(map(k)).or_default() += n;
        }
        self.pairable += other.pairable;
    }

    /// Units with values from at least two annotators.
    pub fn pairable_units(&self) -> u64 {
        self.pairable
    }

    pub fn alpha(&self) -> Figure {
        if self.pairable == 0 {
            return Figure::undefined("no unit with values from two annotators");
        }
        let n: u128 = self.totals.values().map(|&t| t as u128).sum();
        let squares: u128 = self
            .totals
            .values()
            .map(|&t| (t as u128) * (t as u128))
            .sum();
        let expected = n * n - squares;
        if expected == 0 {
            return Figure::undefined(
                "every pairable value is one and the same category (no expected disagreement)",
            );
        }
        let observed: f64 = self
            .disagreeing
            .iter()
            .map(|(&m, &d)| d as f64 / (m - 1) as f64)
            .sum();
        Figure::of(1.0 - (n - 1) as f64 * observed / expected as f64)
    }
}

/// α of units given as one row per annotator (`None`: missing).
pub fn krippendorff_alpha(rows: &[Vec<Option<u32>>]) -> Figure {
    let units = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut a = AlphaCounts::default();
    for u in 0..units {
        let values: Vec<u32> = rows
            .iter()
            .filter_map(|r| r.get(u).copied().flatten())
            .collect();
        a.add_unit(&values);
    }
    a.alpha()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krippendorff_2011_nominal_example() {
        // "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 coders, 12 units,
        // missing values; α nominal = 0.743.
        let n = None;
        let s = Some;
        let rows = vec![
            vec![
                s(1),
                s(2),
                s(3),
                s(3),
                s(2),
                s(1),
                s(4),
                s(1),
                s(2),
                n,
                n,
                n,
            ],
            vec![
                s(1),
                s(2),
                s(3),
                s(3),
                s(2),
                s(2),
                s(4),
                s(1),
                s(2),
                s(5),
                n,
                s(3),
            ],
            vec![
                n,
                s(3),
                s(3),
                s(3),
                s(2),
                s(3),
                s(4),
                s(2),
                s(2),
                s(5),
                s(1),
                n,
            ],
            vec![
                s(1),
                s(2),
                s(3),
                s(3),
                s(2),
                s(4),
                s(4),
                s(1),
                s(2),
                s(5),
                s(1),
                n,
            ],
        ];
        let a = krippendorff_alpha(&rows).value.unwrap();
        assert!((a - 0.743).abs() < 0.0005, "{a}");
    }

    #[test]
    fn undefined_cases() {
        assert!(krippendorff_alpha(&[vec![Some(1)], vec![None]])
            .reason
            .is_some());
        assert!(
            krippendorff_alpha(&[vec![Some(1), Some(1)], vec![Some(1), Some(1)]])
                .reason
                .is_some()
        );
    }
}
