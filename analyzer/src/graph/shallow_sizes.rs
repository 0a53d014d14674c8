//! Shallow sizes of the graph nodes, stored only where they differ from their class's
//! default.
//!
//! An instance's size follows from its class, so most nodes need no size of their own: a
//! node's size is its class's default unless the node is marked "explicit" in a bitmap, in
//! which case it is the next entry of a dense array of explicit sizes (in node order, found by
//! the bitmap's rank). Class objects and arrays are explicit; so are nodes whose class is not
//! in the dump, unless they have that case's default.
//!
//! Sizes are in units of 8 bytes, as the graph keeps them.

use crate::graph::ranked::RankedBits;
use crate::load::classes::ClassIdx;

/// A shallow size in bytes as the stored unit of 8 bytes (saturating).
#[inline]
pub(crate) fn size8(bytes: u64) -> u32 {
    (bytes >> 3).min(u32::MAX as u64) as u32
}

/// The shallow size (in units of 8 bytes) of every node.
#[derive(Clone, Debug)]
pub struct ShallowSizes {
    /// Default size of each class's nodes, by class index, then one more for every other
    /// class ([`crate::graph::ids::NONE`]).
    defaults: Vec<u32>,
    /// Nodes whose size is not their class's default.
    explicit: RankedBits,
    /// Sizes of the explicit nodes, in node order.
    values: Vec<u32>,
    /// Number of nodes (checked by the tests).
    #[cfg(test)]
    len: usize,
}

impl ShallowSizes {
    /// The compact form of `size8` (size of each node, by node), where the default for class
    /// `c` is `class_defaults[c]`, and `none_default` for [`crate::graph::ids::NONE`] and any
    /// other class index beyond `class_defaults`. `class_of` gives the class of a node. Built
    /// in parallel.
    pub fn new(
        size8: &[u32],
        class_of: impl Fn(u32) -> ClassIdx + Sync,
        class_defaults: Vec<u32>,
        none_default: u32,
    ) -> ShallowSizes {
        let mut defaults = class_defaults;
        defaults.push(none_default);
        defaults.shrink_to_fit();
        let default_of = |c: ClassIdx| defaults[(c as usize).min(defaults.len() - 1)];
        let explicit =
            RankedBits::par_from_fn(size8.len(), |v| size8[v] != default_of(class_of(v as u32)));
        let values = explicit.par_gather(|v| size8[v as usize]);
        ShallowSizes {
            defaults,
            explicit,
            values,
            #[cfg(test)]
            len: size8.len(),
        }
    }

    /// The size of node `v`, whose class `class_of()` gives (called only when `v` has its
    /// class's default size).
    #[inline]
    pub fn get(&self, v: u32, class_of: impl FnOnce() -> ClassIdx) -> u32 {
        match self.explicit.rank_if_set(v as u64) {
            Some(k) => self.values[k as usize],
            None => self.default_of(class_of()),
        }
    }

    /// The sizes of nodes `lo..lo + out.len()` into `out`, `class_of` giving each node's class:
    /// the class defaults, then the explicit sizes over them, in one sequential walk (no rank
    /// lookup per node).
    pub fn fill_in(&self, lo: u32, out: &mut [u32], class_of: impl Fn(u32) -> ClassIdx) {
        for (k, o) in out.iter_mut().enumerate() {
            *o = self.default_of(class_of(lo + k as u32));
        }
        let hi = lo as u64 + out.len() as u64;
        self.explicit.for_each_one_in(lo as u64, hi, |v, r| {
            out[(v - lo as u64) as usize] = self.values[r as usize];
        });
    }

    /// The default size of class `c`'s nodes.
    #[inline]
    pub fn default_of(&self, c: ClassIdx) -> u32 {
        self.defaults[(c as usize).min(self.defaults.len() - 1)]
    }

    /// Number of nodes.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no nodes.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of nodes whose size is stored explicitly.
    #[cfg(test)]
    pub fn explicit_count(&self) -> usize {
        self.values.len()
    }

    /// Bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.defaults.capacity() * 4 + self.explicit.memory_bytes() + self.values.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ids::NONE;

    fn check(size8: &[u32], classes: &[ClassIdx], defaults: &[u32], none: u32, explicit: usize) {
        let s = ShallowSizes::new(size8, |v| classes[v as usize], defaults.to_vec(), none);
        assert_eq!(s.len(), size8.len());
        assert_eq!(s.is_empty(), size8.is_empty());
        assert_eq!(s.explicit_count(), explicit);
        for (v, &x) in size8.iter().enumerate() {
            assert_eq!(s.get(v as u32, || classes[v]), x, "node {v}");
        }
    }

    #[test]
    fn sizes_equal_to_the_default_are_not_stored() {
        // Classes 0 and 1 default to 2 and 3 units; class-less nodes to 2.
        let classes = [0, 1, 0, NONE, 1, 0, NONE, 7];
        let size8 = [2, 3, 2, 2, 3, 2, 2, 2];
        check(&size8, &classes, &[2, 3], 2, 0);
    }

    #[test]
    fn sizes_different_from_the_default_are_stored_and_found() {
        let classes = [0, 1, 0, NONE, 1, 0, NONE, 1];
        let size8 = [2, 9, 0, 2, 3, u32::MAX, 5, 3];
        check(&size8, &classes, &[2, 3], 2, 4);
        // An index beyond the defaults falls back to the NONE default.
        check(&[4, 6], &[5, NONE], &[1], 4, 1);
    }

    #[test]
    fn many_nodes_across_words_and_tasks() {
        let n = 1_000_003u32;
        let classes: Vec<ClassIdx> = (0..n)
            .map(|v| if v % 13 == 0 { NONE } else { v % 100 })
            .collect();
        let defaults: Vec<u32> = (0..100).map(|c| 2 + c % 5).collect();
        let size8: Vec<u32> = (0..n)
            .map(|v| {
                let c = classes[v as usize];
                let d = if c == NONE { 2 } else { defaults[c as usize] };
                if v % 17 == 0 || v % 1000 < 3 {
                    d + 1 + v % 4
                } else {
                    d
                }
            })
            .collect();
        let explicit = (0..n).filter(|&v| v % 17 == 0 || v % 1000 < 3).count();
        check(&size8, &classes, &defaults, 2, explicit);
    }

    #[test]
    fn empty() {
        check(&[], &[], &[], 2, 0);
        check(&[], &[], &[1, 2, 3], 0, 0);
    }
}
