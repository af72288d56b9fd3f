//! Histograms of lengths (spans, documents) with bins that double: 1, 2–3, 4–7, 8–15, …, so that
//! a one-letter clitic and a 5,000-character article fit on one chart. Used by `hashiya stats
//! --json` and the app's corpus overview.

use serde::Serialize;

/// Counts of values per bin; bin `k` holds the values `from[k] ..= to[k]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub from: Vec<u64>,
    pub to: Vec<u64>,
    pub counts: Vec<u64>,
    /// How many values in all, the smallest, the largest and the median (0 when empty).
    pub values: u64,
    pub min: u64,
    pub max: u64,
    pub median: u64,
}

impl Histogram {
    /// The histogram of `values` (0 counts in the first bin, with 1).
    pub fn of(values: impl IntoIterator<Item = u64>) -> Self {
        let mut v: Vec<u64> = values.into_iter().collect();
        v.sort_unstable();
        let mut h = Histogram {
            values: v.len() as u64,
            min: v.first().copied().unwrap_or(0),
            max: v.last().copied().unwrap_or(0),
            median: v.get(v.len() / 2).copied().unwrap_or(0),
            ..Histogram::default()
        };
        if v.is_empty() {
            return h;
        }
        let bins = bin_of(h.max) + 1;
        h.counts = vec![0; bins];
        for k in 0..bins {
            let (lo, hi) = bounds(k);
            h.from.push(lo);
            h.to.push(hi);
        }
        for x in v {
            if let Some(c) = h.counts.get_mut(bin_of(x)) {
                *c += 1;
            }
        }
        h
    }

    /// "4–7" (or "1" for a one-value bin).
    pub fn bin_name(&self, k: usize) -> String {
        match (self.from.get(k), self.to.get(k)) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => String::new(),
        }
    }
}

/// The bin of a value: 0 for 0 and 1, then ⌊log2 x⌋.
fn bin_of(x: u64) -> usize {
    if x <= 1 {
        0
    } else {
        (63 - x.leading_zeros()) as usize
    }
}

fn bounds(k: usize) -> (u64, u64) {
    if k == 0 {
        (1, 1)
    } else {
        let lo = 1u64 << k;
        (lo, lo.saturating_mul(2).saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_double_and_count_every_value() {
        let h = Histogram::of([1, 1, 2, 3, 4, 7, 8, 100]);
        assert_eq!(h.from, [1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(h.to, [1, 3, 7, 15, 31, 63, 127]);
        assert_eq!(h.counts, [2, 2, 2, 1, 0, 0, 1]);
        assert_eq!((h.values, h.min, h.max, h.median), (8, 1, 100, 4));
        assert_eq!(h.bin_name(1), "2–3");
        assert_eq!(h.bin_name(0), "1");
        assert_eq!(h.counts.iter().sum::<u64>(), h.values);
    }

    #[test]
    fn an_empty_histogram_has_no_bins() {
        let h = Histogram::of([]);
        assert!(h.counts.is_empty());
        assert_eq!(h.values, 0);
    }
}
