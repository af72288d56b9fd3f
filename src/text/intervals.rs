//! A static interval index: which ranges overlap a query range. Ranges are filed in fixed-size
//! buckets of the char axis, so a query costs the hits in the buckets it touches, however many
//! ranges the document has and however long some of them are. Built once when the set changes
//! (annotations edited), queried every frame.

use std::ops::Range;

const BUCKET_CHARS: usize = 2048;

/// Char ranges, each tagged with a caller's value (e.g. the index of a highlight).
#[derive(Debug, Clone, Default)]
pub struct IntervalIndex<T> {
    items: Vec<(Range<usize>, T)>,
    buckets: Vec<Vec<u32>>,
}

impl<T> IntervalIndex<T> {
    pub fn new(items: Vec<(Range<usize>, T)>) -> Self {
        let last = items.iter().map(|(r, _)| r.end).max().unwrap_or(0);
        let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); last / BUCKET_CHARS + 1];
        for (i, (r, _)) in items.iter().enumerate() {
            let b0 = r.start / BUCKET_CHARS;
            let b1 = r.end.max(r.start + 1).saturating_sub(1) / BUCKET_CHARS;
            for b in buckets.iter_mut().take(b1 + 1).skip(b0) {
                b.push(i as u32);
            }
        }
        Self { items, buckets }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&(Range<usize>, T)> {
        self.items.get(i)
    }

    /// Indices of the items overlapping `query` (an empty item at a point inside counts), in the
    /// order the items were given.
    pub fn overlapping(&self, query: Range<usize>) -> Vec<usize> {
        let b0 = query.start / BUCKET_CHARS;
        let b1 = query.end.max(query.start + 1).saturating_sub(1) / BUCKET_CHARS;
        let mut out: Vec<usize> = Vec::new();
        for bucket in self.buckets.iter().take(b1 + 1).skip(b0) {
            for &i in bucket {
                let i = i as usize;
                if let Some((r, _)) = self.items.get(i) {
                    let hit = if r.is_empty() {
                        query.contains(&r.start)
                    } else {
                        r.start < query.end && r.end > query.start
                    };
                    if hit {
                        out.push(i);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_and_overlapping() {
        let idx = IntervalIndex::new(vec![
            (0..100_000, 'a'),
            (10..20, 'b'),
            (15..30, 'c'),
            (40..50, 'd'),
            (5000..5001, 'e'),
        ]);
        let hits = |q: Range<usize>| -> Vec<char> {
            idx.overlapping(q)
                .into_iter()
                .filter_map(|i| idx.get(i).map(|x| x.1))
                .collect()
        };
        assert_eq!(hits(18..19), vec!['a', 'b', 'c']);
        assert_eq!(hits(31..39), vec!['a']);
        assert_eq!(hits(4000..6000), vec!['a', 'e']);
    }
}
