//! Fleiss' kappa for a fixed number of raters per unit, as statsmodels' `fleiss_kappa` (method
//! `fleiss`) computes it from the table of `aggregate_raters`: `P_i = (Σ_j n_ij² - R) / (R )`,
//! `P̄ = mean P_i`, `p_j = Σ_i n_ij / (N R)`, `P̄_e = Σ_j p_j²`, `κ = (P̄ - P̄_e) / (1 - P̄_e)`.
//! Counted in integers and divided once.

use super::figure::Figure;
use super::interner::count_values;
use super::interner::FastMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleissCounts {
    raters: u64,
    items: u64,
    /// Σ_i Σ_j n_ij².
    sum_squares: u128,
    /// Σ_i n_ij per category j.
    totals: FastMap<u32, u64>,
}

impl FleissCounts {
    pub fn new(raters: usize) -> Self {
        Self {
            raters: raters as u64,
            items: 0,
            sum_squares: 0,
            totals: FastMap::default(),
        }
    }

    /// One unit, with the category every rater gave it (`values.len()` must be the number of
    /// raters; other units are not Fleiss' and are left out).
    pub fn add_item(&mut self, values: &[u32]) {
        if values.len() as u64 != self.raters {
            return;
        }
        count_values(values, |v, n| {
            self.sum_squares += (n * n) as u128;
            *self.totals.entry(v).or_default() += n;
        });
        self.items += 1;
    }

    /// `items` units counted elsewhere: their Σ_j n_ij² and the totals per category.
    pub fn add_counts(&mut self, items: u64, sum_squares: u128, totals: &[(u32, u64)]) {
        self.items += items;
        self.sum_squares += sum_squares;
        for &(k, n) in totals {
            *self.totals.entry(k).or_default() += n;
        }
    }

    pub fn merge_mapped(&mut self, other: &FleissCounts, map: impl Fn(u32) -> u32) {
        self.items += other.items;
        self.sum_squares += other.sum_squares;
        for (&k, &n) in &other.totals {
            *self.totals.entry(map(k)).or_default() += n;
        }
    }

    pub fn items(&self) -> u64 {
        self.items
    }

    pub fn kappa(&self) -> Figure {
        let r = self.raters as i128;
        if r < 2 {
            return Figure::undefined("fewer than two annotators");
        }
        if self.items == 0 {
            return Figure::undefined("no unit that all annotators annotated");
        }
        let nr = self.items as i128 * r;
        let squares_of_totals: i128 = self
            .totals
            .values()
            .map(|&t| (t as i128) * (t as i128))
            .sum();
        // κ = ((Q - NR)·NR - ΣT²·(R-1)) / (((NR)² - ΣT²)·(R-1))
        let numerator = (self.sum_squares as i128 - nr) * nr - squares_of_totals * (r - 1);
        let denominator = (nr * nr - squares_of_totals) * (r - 1);
        if denominator == 0 {
            return Figure::undefined(
                "every annotator gave one and the same category to every unit (chance agreement is 1)",
            );
        }
        Figure::of(numerator as f64 / denominator as f64)
    }
}

/// κ of units given as rows of categories, one per rater.
pub fn fleiss_kappa(rows: &[Vec<u32>], raters: usize) -> Figure {
    let mut f = FleissCounts::new(raters);
    for row in rows {
        f.add_item(row);
    }
    f.kappa()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleiss_1971_example() {
        // Wikipedia's worked example (Fleiss 1971 layout): 10 units, 14 raters, 5 categories,
        // κ = 0.210.
        let table: [[u32; 5]; 10] = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        let rows: Vec<Vec<u32>> = table
            .iter()
            .map(|counts| {
                counts
                    .iter()
                    .enumerate()
                    .flat_map(|(j, &n)| std::iter::repeat_n(j as u32, n as usize))
                    .collect()
            })
            .collect();
        let k = fleiss_kappa(&rows, 14).value.unwrap();
        assert!((k - 0.209930).abs() < 1e-6, "{k}");
    }

    #[test]
    fn undefined_cases() {
        assert!(fleiss_kappa(&[], 3).reason.is_some());
        assert!(fleiss_kappa(&[vec![1, 1, 1], vec![1, 1, 1]], 3)
            .reason
            .is_some());
        assert!(fleiss_kappa(&[vec![1]], 1).reason.is_some());
    }
}
