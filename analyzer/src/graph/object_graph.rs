//! The object graph: every object and class object gets a dense `u32` index in id order, and
//! references live in flat CSR arrays. Built in three parallel passes over the heap after the
//! census: ids, out-degrees (with class and size per object), then edges.
//!
//! Edges: instance reference fields (through the class hierarchy), object array elements,
//! and from class objects their super class, loader, signers, protection domain, static
//! reference fields and constant pool references. Every object also references its class
//! object; that edge is implicit (from [`Graph::class_of`]) rather than stored. The
//! `referent` field of `java.lang.ref.Reference` and its subclasses is not a strong edge; those
//! edges are kept apart in [`Graph::weak_edges`].

use rustc_hash::FxHashMap;

use crate::base::arrays::Arrays;
use crate::base::store::Store;
use crate::graph::idindex::IdIndex;
use crate::graph::ids::NONE;
use crate::graph::node_classes::NodeClasses;
use crate::graph::ranked::RankedBits;
use crate::graph::shallow_sizes::{size8, ShallowSizes};
use crate::load::classes::ClassIdx;
use crate::AnalyzeError;

/// The most nodes a graph may have: node indices are `u32`, and the two largest values stand
/// for "no node" ([`NONE`]) and the dominator tree's super-root.
pub const MAX_NODES: u64 = u32::MAX as u64 - 1;

/// The most stored references a graph may have (CSR offsets are `u32`).
pub const MAX_REFERENCES: u64 = u32::MAX as u64 - 1;

/// Checks that `count` objects (class objects included) fit the graph's `u32` node indices:
/// a larger dump fails with [`AnalyzeError::TooLarge`] naming the count, never wraps.
pub fn check_node_count(count: u64) -> Result<u32, AnalyzeError> {
    check_count("objects", count, MAX_NODES)
}

/// Checks that `count` references fit the graph's `u32` CSR offsets.
pub fn check_reference_count(count: u64) -> Result<u32, AnalyzeError> {
    check_count("references", count, MAX_REFERENCES)
}

fn check_count(what: &'static str, count: u64, limit: u64) -> Result<u32, AnalyzeError> {
    if count > limit {
        return Err(AnalyzeError::TooLarge { what, count, limit });
    }
    Ok(count as u32)
}

/// The object graph.
pub struct Graph {
    /// Id ↔ index.
    pub ids: IdIndex,
    /// Class of each node ([`NONE`] if its class is not in the dump). Class objects have
    /// `java.lang.Class`.
    pub(super) classes: NodeClasses,
    /// Shallow size of each node in units of 8 bytes, stored where it is not its class's.
    pub(super) sizes: ShallowSizes,
    /// The nodes with at least one stored reference (about half of a heap's objects have
    /// none: boxes, strings' arrays, primitive arrays); only they have CSR offsets.
    pub(super) linked: RankedBits,
    /// CSR offsets over the linked nodes: the strong references of the linked node of rank
    /// `r` are `targets[offsets[r]..offsets[r + 1]]`.
    pub(super) offsets: Store<u32>,
    /// CSR targets.
    pub(super) targets: Store<u32>,
    /// Where the analysis' big arrays live (`--max-memory`): the dominator phase allocates
    /// its arrays here too.
    pub arrays: Arrays,
    /// Node of each class's class object, by class index.
    pub class_node: Vec<u32>,
    /// Class objects as (node, class) sorted by node.
    pub(super) class_nodes: Vec<(u32, ClassIdx)>,
    /// GC roots as (node, index into the census's root list), in file order.
    pub roots: Vec<(u32, u32)>,
    /// `Reference.referent` edges (source node, referent node).
    pub weak_edges: Vec<(u32, u32)>,
    /// References to ids that no object in the dump has.
    pub dangling: u64,
    /// Objects whose id an earlier object already had (ignored).
    pub duplicates: u64,
    /// Instances whose field data is shorter than their class layout says.
    pub short_instances: u64,
    /// The dump had no GC roots (cut off before them), so class objects served as roots; such
    /// a root has [`NONE`] as its root-record index.
    pub classes_as_roots: bool,
}

impl Graph {
    /// Number of nodes (objects and class objects).
    #[inline]
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether the graph is empty.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// Class of node `v` ([`NONE`] if its class is not in the dump). Class objects have
    /// `java.lang.Class`.
    #[inline]
    pub fn class_of(&self, v: u32) -> ClassIdx {
        self.classes.get(v)
    }

    /// The class of every node, by node (see [`Graph::class_of`]).
    pub fn classes(&self) -> &NodeClasses {
        &self.classes
    }

    /// Number of stored (strong, explicit) edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Shallow size of node `v` in bytes.
    #[inline]
    pub fn shallow(&self, v: u32) -> u64 {
        (self.sizes.get(v, || self.classes.get(v)) as u64) << 3
    }

    /// The shallow sizes of nodes `lo..lo + out.len()`, in units of 8 bytes, into `out`: a
    /// sequential walk, with no rank lookup per node.
    pub fn shallow_units_in(&self, lo: u32, out: &mut [u32]) {
        self.sizes.fill_in(lo, out, |v| self.classes.get(v));
    }

    /// The explicit strong references of `v` (without the implicit class edge).
    #[inline]
    pub fn refs(&self, v: u32) -> &[u32] {
        match self.linked.rank_if_set(v as u64) {
            None => &[],
            Some(r) => {
                let r = r as usize;
                &self.targets[self.offsets[r] as usize..self.offsets[r + 1] as usize]
            }
        }
    }

    /// Where `v`'s references are among all targets: `refs(v)` is
    /// `targets()[lo as usize..hi as usize]` for `(lo, hi) = ref_range(v)`.
    #[inline]
    pub fn ref_range(&self, v: u32) -> (u32, u32) {
        match self.linked.rank_if_set(v as u64) {
            None => (0, 0),
            Some(r) => (self.offsets[r as usize], self.offsets[r as usize + 1]),
        }
    }

    /// Calls `f(v, refs(v))` for every node `v` in `lo..hi` with references, in order: a
    /// sequential walk with no rank lookup per node.
    #[inline]
    pub fn for_each_refs_in(&self, lo: u32, hi: u32, mut f: impl FnMut(u32, &[u32])) {
        self.linked.for_each_one_in(lo as u64, hi as u64, |v, r| {
            let r = r as usize;
            f(
                v as u32,
                &self.targets[self.offsets[r] as usize..self.offsets[r + 1] as usize],
            )
        });
    }

    /// Starts loading the cache line [`Graph::refs`] reads first for `v` (a hint).
    #[inline]
    pub fn prefetch_refs(&self, v: u32) {
        self.linked.prefetch(v as u64);
    }

    /// The targets of all nodes' references, node after node (see [`Graph::ref_range`]).
    #[inline]
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// The node of `v`'s class object, if `v` is not itself a class object and its class is in
    /// the dump: the implicit edge from every object to its class.
    #[inline]
    pub fn class_edge(&self, v: u32) -> Option<u32> {
        let c = self.classes.get(v);
        if c == NONE {
            return None;
        }
        let n = self.class_node[c as usize];
        (n != NONE && n != v).then_some(n)
    }

    /// Calls `f` for every strong successor of `v`: its references, then its class object.
    #[inline]
    pub fn for_each_successor(&self, v: u32, mut f: impl FnMut(u32)) {
        for &t in self.refs(v) {
            f(t);
        }
        if let Some(c) = self.class_edge(v) {
            f(c);
        }
    }

    /// If `v` is a class object, the class it stands for.
    pub fn class_object(&self, v: u32) -> Option<ClassIdx> {
        self.class_nodes
            .binary_search_by_key(&v, |&(n, _)| n)
            .ok()
            .map(|i| self.class_nodes[i].1)
    }

    /// Approximate bytes held by the graph's arrays.
    pub fn memory_bytes(&self) -> usize {
        self.memory_parts().iter().map(|&(_, b)| b).sum()
    }

    /// Bytes held by each of the graph's big arrays, by name (for `--verbose`).
    pub fn memory_parts(&self) -> [(&'static str, usize); 6] {
        [
            ("ids", self.ids.memory_bytes()),
            ("classes", self.classes.memory_bytes()),
            ("sizes", self.sizes.memory_bytes()),
            (
                "offsets",
                self.offsets.memory_bytes() + self.linked.memory_bytes(),
            ),
            ("targets", self.targets.memory_bytes()),
            ("weak", self.weak_edges.capacity() * 8),
        ]
    }
}

impl Graph {
    /// A graph from an edge list, without classes: node `v` has id `8 * (v + 1)`, shallow
    /// size `sizes[v]` (a multiple of 8), and the given GC roots. For tests and tools.
    pub fn from_edges(sizes: &[u64], edges: &[(u32, u32)], roots: &[u32]) -> Graph {
        let n = sizes.len();
        let mut degree = vec![0u32; n];
        for &(s, _) in edges {
            degree[s as usize] += 1;
        }
        let linked = RankedBits::par_from_fn(n, |v| degree[v] > 0);
        let mut offsets: Vec<u32> = vec![0];
        for &d in degree.iter().filter(|&&d| d > 0) {
            offsets.push(offsets[offsets.len() - 1] + d);
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; edges.len()];
        for &(s, t) in edges {
            let r = linked.rank_if_set(s as u64).unwrap_or_default() as usize;
            targets[fill[r] as usize] = t;
            fill[r] += 1;
        }
        let size8v: Vec<u32> = sizes.iter().map(|&b| size8(b)).collect();
        // No classes: the most common size is the default, the others are stored.
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for &s in &size8v {
            *counts.entry(s).or_default() += 1;
        }
        let common = counts
            .into_iter()
            .max_by_key(|&(s, c)| (c, std::cmp::Reverse(s)))
            .map_or(0, |(s, _)| s);
        Graph {
            ids: IdIndex::new((0..n as u64).map(|v| 8 * (v + 1)).collect()),
            classes: NodeClasses::Wide(Store::from_vec(vec![NONE; n])),
            sizes: ShallowSizes::new(&size8v, |_| NONE, Vec::new(), common),
            linked,
            offsets: Store::from_vec(offsets),
            targets: Store::from_vec(targets),
            arrays: Arrays::in_memory(),
            class_node: Vec::new(),
            class_nodes: Vec::new(),
            roots: roots
                .iter()
                .enumerate()
                .map(|(i, &r)| (r, i as u32))
                .collect(),
            weak_edges: Vec::new(),
            dangling: 0,
            duplicates: 0,
            short_instances: 0,
            classes_as_roots: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_nodes_or_references_than_u32_indices_fail_naming_the_count() {
        assert_eq!(check_node_count(0).unwrap(), 0);
        assert_eq!(check_node_count(47_331_814).unwrap(), 47_331_814);
        // 2^32 - 2 nodes: indices 0..=2^32-3, below SUPER_ROOT and NONE.
        assert_eq!(check_node_count(MAX_NODES).unwrap(), u32::MAX - 1);
        assert!(MAX_NODES - 1 < crate::graph::ids::SUPER_ROOT as u64);
        for count in [MAX_NODES + 1, 1 << 32, 5_000_000_000, u64::MAX] {
            let e = check_node_count(count).unwrap_err();
            assert!(
                matches!(e, AnalyzeError::TooLarge { what: "objects", count: c, limit } if c == count && limit == MAX_NODES),
                "{e:?}"
            );
            let msg = e.to_string();
            assert!(msg.contains(&count.to_string()), "{msg}");
            assert!(msg.contains("4294967294 hprofscan can index"), "{msg}");
        }
        assert!(check_reference_count(MAX_REFERENCES).is_ok());
        let e = check_reference_count(6_000_000_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the dump holds 6000000000 references, more than the 4294967294 hprofscan can index (its indices are 32-bit)"
        );
    }

    #[test]
    fn the_census_keeps_no_ids_of_a_heap_that_may_pass_the_node_limit() {
        use crate::load::census::{max_objects, GRAPH_MAX_NODES};
        // The census's own copy of the limit is the graph's.
        assert_eq!(GRAPH_MAX_NODES, MAX_NODES);
        assert_eq!(max_objects(18 * MAX_NODES, 8), MAX_NODES);
        assert!(max_objects(18 * MAX_NODES + 18, 8) > MAX_NODES);
        // A 2 GB dump (id size 8) cannot hold more than 2^32 - 2 objects; 100 GB can.
        assert!(max_objects(2 << 30, 8) <= MAX_NODES);
        assert!(max_objects(100 << 30, 8) > MAX_NODES);
        assert_eq!(max_objects(14 * 10, 4), 10);
    }

    #[test]
    fn from_edges_keeps_every_size_and_has_no_classes() {
        let sizes = [16, 24, 16, 0, 16, 8 * u32::MAX as u64, 4096, 16];
        let g = Graph::from_edges(&sizes, &[(0, 1), (1, 2), (0, 7)], &[0]);
        assert_eq!(g.len(), sizes.len());
        for (v, &s) in sizes.iter().enumerate() {
            assert_eq!(g.shallow(v as u32), s);
            assert_eq!(g.class_of(v as u32), NONE);
            assert_eq!(g.class_edge(v as u32), None);
        }
        assert!(g.classes().iter().all(|c| c == NONE));
        assert_eq!(g.refs(0), [1, 7]);
        assert!(Graph::from_edges(&[], &[], &[]).is_empty());
    }
}
