//! The dominator tree as child lists, and retained bytes per class as MAT computes them: the
//! sum of the retained sizes of the class's instances that are not dominated by another
//! instance of the same class (so a linked list's nodes are not counted once per node above
//! them).

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::graph::ranked::{BitsBuilder, RankedBits};

/// Children of every node in the dominator tree, as CSR over the nodes that have children.
/// The super-root is node `len`. Most nodes are leaves: a bitmap marks the others, and only
/// they have an entry in the offsets (found by the bitmap's rank).
pub struct DomChildren {
    /// Nodes (and the super-root) with at least one child.
    inner: RankedBits,
    /// `kids[start[r]..start[r + 1]]` are the children of the inner node of rank `r`.
    start: Vec<u32>,
    kids: Vec<u32>,
    /// Number of nodes.
    len: u32,
}

impl DomChildren {
    /// Builds the child lists (4 bytes per node and 4 per inner node).
    pub fn build(a: &Analysis) -> DomChildren {
        DomChildren::build_within(a, |_| true)
    }

    /// Builds the child lists of the nodes for which `member` holds (4 bytes per member and 4
    /// per node with a member child); the others are leaves. When every child of a member is
    /// a member (the members are whole subtrees), a member's list is the same as in
    /// [`DomChildren::build`], and so is a walk of its subtree.
    pub fn build_within(a: &Analysis, member: impl Fn(u32) -> bool) -> DomChildren {
        let n = a.graph.len();
        let idom = &a.dom.idom;
        let parent_of = |v: usize| -> Option<u64> {
            match idom[v] {
                NONE => None,
                _ if !member(v as u32) => None,
                SUPER_ROOT => Some(n as u64),
                d => Some(d as u64),
            }
        };
        let mut bits = BitsBuilder::new(n as u64 + 1);
        for v in 0..n {
            if let Some(p) = parent_of(v) {
                bits.set(p);
            }
        }
        let inner = bits.finish();
        let rank = |p: u64| inner.rank_if_set(p).unwrap_or_default() as usize;
        // Counts, then each list's end; filling backwards leaves each entry at its list's
        // start, with the lists in node order (no second offsets array).
        let mut start = vec![0u32; inner.count_ones() as usize + 1];
        for v in 0..n {
            if let Some(p) = parent_of(v) {
                start[rank(p) + 1] += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut kids = vec![0u32; start[start.len() - 1] as usize];
        for v in (0..n).rev() {
            if let Some(p) = parent_of(v) {
                let r = rank(p);
                start[r + 1] -= 1;
                kids[start[r + 1] as usize] = v as u32;
            }
        }
        // start[r + 1] now holds the start of list r; shift back by one.
        start.copy_within(1.., 0);
        let last = start.len() - 1;
        start[last] = kids.len() as u32;
        DomChildren {
            inner,
            start,
            kids,
            len: n as u32,
        }
    }

    /// The virtual super-root's index.
    pub fn super_root(&self) -> u32 {
        self.len
    }

    /// The nodes `v` dominates directly.
    pub fn children(&self, v: u32) -> &[u32] {
        match self.inner.rank_if_set(v as u64) {
            Some(r) => {
                let r = r as usize;
                &self.kids[self.start[r] as usize..self.start[r + 1] as usize]
            }
            None => &[],
        }
    }

    /// Calls `f` for `v` and every node it dominates (iteratively, any depth).
    pub fn for_each_in_subtree(&self, v: u32, mut f: impl FnMut(u32)) {
        let mut stack = vec![v];
        while let Some(x) = stack.pop() {
            if x != self.super_root() {
                f(x);
            }
            stack.extend_from_slice(self.children(x));
        }
    }
}

/// Retained bytes per class index, over the instances not dominated by another instance of
/// the same class, skipping the subtrees rooted at `skip` (sorted node list).
pub fn retained_by_class_outside(a: &Analysis, tree: &DomChildren, skip: &[u32]) -> Vec<u64> {
    let classes = a.heap.classes.len();
    let mut open = vec![0u32; classes];
    let mut total = vec![0u64; classes];
    let root = tree.super_root();
    // Iterative DFS: (node, next child position); entering counts the class as open.
    let mut stack: Vec<(u32, usize)> = vec![(root, 0)];
    while let Some(top) = stack.last_mut() {
        let (v, pos) = *top;
        let kids = tree.children(v);
        if pos < kids.len() {
            top.1 += 1;
            let c = kids[pos];
            if skip.binary_search(&c).is_ok() {
                continue;
            }
            let k = a.graph.class_of(c);
            if k != NONE {
                if open[k as usize] == 0 {
                    total[k as usize] += a.dom.retained.get(c);
                }
                open[k as usize] += 1;
            }
            stack.push((c, 0));
        } else {
            stack.pop();
            if v != root {
                let k = a.graph.class_of(v);
                if k != NONE {
                    open[k as usize] -= 1;
                }
            }
        }
    }
    total
}

/// Retained bytes per class index.
pub fn retained_by_class(a: &Analysis) -> Vec<u64> {
    retained_by_class_outside(a, &DomChildren::build(a), &[])
}
