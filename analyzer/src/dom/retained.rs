//! Retained sizes in four bytes per node, exact at any size.
//!
//! Shallow sizes are multiples of 8 bytes (the graph stores them in units of 8), so retained
//! sizes are too: a `u32` in units of 8 bytes holds up to 32 GiB. The few nodes that retain
//! more (only in dumps bigger than 32 GiB) hold a marker and their exact size sits in a small
//! table sorted by node, found by binary search.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::base::shared::prefetch;

use crate::base::store::Store;

/// The marker of a node whose retained size is in the overflow table.
const OVER: u32 = u32::MAX;

/// Retained size of every node, in bytes through [`RetainedSizes::get`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetainedSizes {
    /// Retained size of each node in units of 8 bytes, or [`OVER`] (in a temp file under
    /// `--max-memory`).
    units: Store<u32>,
    /// Nodes at [`OVER`] with their retained size in units of 8 bytes, sorted by node.
    over: Vec<(u32, u64)>,
}

impl RetainedSizes {
    /// Retained bytes of node `v` (0 when not strongly reachable).
    #[inline]
    pub fn get(&self, v: u32) -> u64 {
        let u = self.units[v as usize];
        if u != OVER {
            return (u as u64) << 3;
        }
        let k = self
            .over
            .binary_search_by_key(&v, |&(w, _)| w)
            .expect("a node at the overflow marker is in the overflow table");
        self.over[k].1 << 3
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Bytes held in memory (4 per node unless in a temp file, 12 per overflowing node).
    pub fn memory_bytes(&self) -> usize {
        self.units.memory_bytes() + self.over.len() * 12
    }
}

/// Accumulates retained sizes in units of 8 bytes: [`RetainedSizes`] under construction.
pub(crate) struct RetainedBuilder {
    units: Store<u32>,
    /// Exact sizes of the nodes at [`OVER`] (none below 32 GiB of heap).
    over: FxHashMap<u32, u64>,
}

impl RetainedBuilder {
    /// Starts from each node's own size in units of 8 bytes, `units` (a size at [`OVER`] is
    /// taken as exactly that many units).
    pub(crate) fn new(units: Store<u32>) -> RetainedBuilder {
        let over = units
            .par_iter()
            .enumerate()
            .with_min_len(1 << 16)
            .filter(|&(_, &u)| u == OVER)
            .map(|(v, &u)| (v as u32, u as u64))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        RetainedBuilder { units, over }
    }

    /// Starts loading the cache line of node `v`'s size (any `v`: a hint only).
    #[inline]
    pub(crate) fn prefetch(&self, v: usize) {
        prefetch(self.units.as_ptr().wrapping_add(v));
    }

    /// The size of node `v` so far, in units of 8 bytes.
    #[inline]
    pub(crate) fn units(&self, v: u32) -> u64 {
        match self.units[v as usize] {
            OVER => self.over[&v],
            u => u as u64,
        }
    }

    /// Adds `units` (8-byte units) to node `d`.
    #[inline]
    pub(crate) fn add(&mut self, d: u32, units: u64) {
        let cur = self.units[d as usize];
        if cur != OVER {
            let sum = cur as u64 + units;
            if sum < OVER as u64 {
                self.units[d as usize] = sum as u32;
                return;
            }
            self.units[d as usize] = OVER;
            self.over.insert(d, sum);
        } else {
            *self
                .over
                .get_mut(&d)
                .expect("an overflowed node has an entry") += units;
        }
    }

    /// The finished sizes: overflow entries whose node no longer holds [`OVER`] are dropped.
    pub(crate) fn finish(self) -> RetainedSizes {
        let units = self.units;
        let mut over: Vec<(u32, u64)> = self
            .over
            .into_iter()
            .filter(|&(v, _)| units[v as usize] == OVER)
            .collect();
        over.sort_unstable();
        RetainedSizes { units, over }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_past_32_gib_are_exact() {
        let mut b = RetainedBuilder::new(Store::from_vec(vec![1 << 31, 1 << 31, 3, OVER]));
        b.add(0, 1 << 31);
        b.add(0, 5);
        b.add(1, 7);
        b.add(3, 2);
        let r = b.finish();
        assert_eq!(r.get(0), ((1u64 << 32) + 5) << 3);
        assert_eq!(r.get(1), ((1u64 << 31) + 7) << 3);
        assert_eq!(r.get(2), 24);
        assert_eq!(r.get(3), (OVER as u64 + 2) << 3);
        assert_eq!(r.len(), 4);
    }
}
