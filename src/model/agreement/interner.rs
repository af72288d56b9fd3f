//! Small integer ids for strings (labels, values), so that the measures count integers; and the
//! hash map the measures count in.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map with a fast, fixed hash (FxHash, as rustc uses): the keys here are small integers
/// and short labels, never chosen by an adversary, and the order of iteration must not change
/// between runs.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The Fx hash: multiply-rotate over words.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Calls `each(value, count)` for every distinct value of a small list (no allocation for up to
/// 16 values).
pub fn count_values(values: &[u32], mut each: impl FnMut(u32, u64)) {
    let mut small = [0u32; 16];
    let mut large = Vec::new();
    let sorted: &mut [u32] = if values.len() <= small.len() {
        small[..values.len()].copy_from_slice(values);
        &mut small[..values.len()]
    } else {
        large.extend_from_slice(values);
        &mut large
    };
    sorted.sort_unstable();
    for run in sorted.chunk_by(|x, y| x == y) {
        each(run[0], run.len() as u64);
    }
}

#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: FastMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    /// The id of `name`, given on first sight.
    pub fn id(&mut self, name: &str) -> u32 {
        // A document's strings are a handful of labels and names: comparing with each is
        // cheaper than hashing.
        if self.names.len() <= 8 {
            if let Some(k) = self.names.iter().position(|n| n == name) {
                return k as u32;
            }
        } else if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }

    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// For each id of `other`, the id of the same string here (added when new).
    pub fn map_from(&mut self, other: &Interner) -> Vec<u32> {
        other.names.iter().map(|n| self.id(n)).collect()
    }
}
