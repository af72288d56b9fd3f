//! Cohen's kappa for two annotators, as scikit-learn's `cohen_kappa_score` computes it (no
//! weights): `κ = (p_o - p_e) / (1 - p_e)` from the table of the two annotators' categories over
//! the common units. Counted in integers: `κ = (n·agree - Σ_c row_c·col_c) / (n² - Σ_c
//! row_c·col_c)`.

use super::figure::Figure;
use super::interner::FastMap;

/// The table of (category of A, category of B) over common units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohenCounts {
    cells: FastMap<(u32, u32), u64>,
}

impl CohenCounts {
    /// One more unit: A gave `a`, B gave `b`.
    pub fn add(&mut self, a: u32, b: u32) {
        *self.cells.entry((a, b)).or_default() += 1;
    }

    /// `n` more units: A gave `a`, B gave `b`.
    pub fn add_n(&mut self, a: u32, b: u32, n: u64) {
        *self.cells.entry((a, b)).or_default() += n;
    }

    /// Adds `other`'s counts, its categories renamed by `map`.
    pub fn merge_mapped(&mut self, other: &CohenCounts, map: impl Fn(u32) -> u32) {
        for (&(a, b), &n) in &other.cells {
            *self.cells.entry((map(a), map(b))).or_default() += n;
        }
    }

    /// Common units.
    pub fn units(&self) -> u64 {
        self.cells.values().sum()
    }

    pub fn kappa(&self) -> Figure {
        let n: u128 = self.cells.values().map(|&c| c as u128).sum();
        if n == 0 {
            return Figure::undefined("no unit that both annotators annotated");
        }
        let mut rows: FastMap<u32, u128> = FastMap::default();
        let mut cols: FastMap<u32, u128> = FastMap::default();
        let mut agree = 0u128;
        for (&(a, b), &c) in &self.cells {
            *rows.entry(a).or_default() += c as u128;
            *cols.entry(b).or_default() += c as u128;
            if a == b {
                agree += c as u128;
            }
        }
        let chance: u128 = rows
            .iter()
            .map(|(k, &r)| r * cols.get(k).copied().unwrap_or(0))
            .sum();
        let denominator = n * n - chance;
        if denominator == 0 {
            return Figure::undefined(
                "both annotators gave one and the same category to every unit (chance agreement is 1)",
            );
        }
        // Exact integers down to here; one division.
        let numerator = (n * agree) as i128 - chance as i128;
        Figure::of(numerator as f64 / denominator as f64)
    }
}

/// κ of two equally long lists of categories (one per unit).
pub fn cohen_kappa(a: &[u32], b: &[u32]) -> Figure {
    let mut c = CohenCounts::default();
    for (&x, &y) in a.iter().zip(b) {
        c.add(x, y);
    }
    c.kappa()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krippendorff_1995_digitized_examples() {
        // DKPro's Krippendorff1995Test, digitized section A: κ = 0.385.
        let a = [
            0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0,
        ];
        let b = [
            0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0,
        ];
        let k = cohen_kappa(&a, &b).value.unwrap();
        assert!((k - 0.385).abs() < 0.001, "{k}");
    }

    #[test]
    fn undefined_without_units_or_with_one_category() {
        assert!(cohen_kappa(&[], &[]).reason.is_some());
        assert!(cohen_kappa(&[3, 3, 3], &[3, 3, 3]).reason.is_some());
        // One category each, but different ones: p_o = p_e = 0, κ = 0.
        assert_eq!(cohen_kappa(&[1, 1], &[2, 2]).value, Some(0.0));
        assert_eq!(cohen_kappa(&[1, 2], &[1, 2]).value, Some(1.0));
    }
}
