//! Dominator tree and retained sizes (Semi-NCA), and the reachability classes of objects.
//!
//! A virtual super-root points to every GC root. Node `d` dominates `v` when every path from
//! the super-root to `v` passes through `d`; the retained size of `d` is the total shallow
//! size of the nodes it dominates (itself included). Paths follow strong references only:
//! `Reference.referent` does not keep an object alive, so an object reachable only through
//! referents is retained by nobody and counted as weakly reachable. Objects reachable in no
//! way (dumps taken without a full GC) are counted as unreachable.
//!
//! The algorithm is Semi-NCA (Georgiadis; as in LLVM's dominator tree builder): an iterative
//! depth-first search numbers the nodes, semi-dominators come from a path-compressing `eval`
//! over the predecessors in reverse preorder, and each immediate dominator is the nearest
//! common ancestor of the parent and the semi-dominator. No recursion anywhere, all arrays
//! flat and indexed by `u32`.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::base::arrays::Arrays;
use crate::base::progress::{Progress, TICK};
use crate::base::shared::{as_atomic, prefetch, Scatter};
use crate::base::store::Store;
use crate::graph::ids::NONE;
pub use crate::graph::ids::SUPER_ROOT;
use crate::graph::object_graph::Graph;

/// Dominators and retained sizes of every node.
pub struct Dominators {
    /// Immediate dominator of each node: a node, [`SUPER_ROOT`], or [`NONE`] when the node is
    /// not strongly reachable.
    pub idom: Store<u32>,
    /// Retained bytes of each node (0 when not strongly reachable).
    pub retained: Store<u64>,
    /// Strongly reachable nodes.
    pub reachable: u64,
    /// Their shallow bytes: the retained size of the super-root.
    pub reachable_bytes: u64,
    /// Nodes reachable only through `Reference.referent` (soft, weak, phantom, final).
    pub weakly_reachable: u64,
    /// Their shallow bytes.
    pub weakly_reachable_bytes: u64,
    /// Nodes reachable in no way from a GC root.
    pub unreachable: u64,
    /// Their shallow bytes.
    pub unreachable_bytes: u64,
}

impl Dominators {
    /// Whether `v` is strongly reachable.
    #[inline]
    pub fn is_reachable(&self, v: u32) -> bool {
        self.idom[v as usize] != NONE
    }
}

/// Depth-first search from the super-root: preorder numbers and DFS-tree parents.
struct Dfs {
    /// Preorder number of each node ([`NONE`] if not reached). The super-root is 0.
    pre_of: Store<u32>,
    /// Node at each preorder number (index 0: the super-root, stored as [`SUPER_ROOT`]).
    node_of: Store<u32>,
    /// Preorder number of each preorder number's DFS-tree parent.
    parent: Store<u32>,
    /// One u32 per preorder number, used as the search's cursor and handed on as scratch.
    scratch: Store<u32>,
}

/// Iterative depth-first search without a stack: each visited node keeps a cursor into its
/// successors (references, then the class edge), and the search climbs back through the
/// parent array. Memory is four u32 per reached node, however deep the graph. Every
/// [`TICK`] nodes reached, `progress` advances.
fn depth_first(g: &Graph, progress: &dyn Progress) -> Dfs {
    const PREFETCH: usize = 16;
    let n = g.len();
    // Every array is filled on all threads first: fresh pages are slow to fault in (about
    // 0.75 s per GB on our VMs), and inside the sequential search each fault would wait.
    let mut pre_of = g.arrays.filled(n, NONE);
    let mut node_of = g.arrays.filled(n + 1, 0);
    let mut parent = g.arrays.filled(n + 1, 0);
    let mut cursor = g.arrays.filled(n + 1, 0);
    node_of[0] = SUPER_ROOT;
    let mut len = 1usize;
    for &(r, _) in &g.roots {
        if pre_of[r as usize] != NONE {
            continue;
        }
        let top = len as u32;
        pre_of[r as usize] = top;
        node_of[len] = r;
        len += 1;
        let mut cur = top;
        loop {
            let v = node_of[cur as usize];
            let pos = cursor[cur as usize] as usize;
            let refs = g.refs(v);
            let next = if pos < refs.len() {
                Some(refs[pos])
            } else if pos == refs.len() {
                g.class_edge(v)
            } else {
                // Exhausted: climb back.
                if cur == top {
                    break;
                }
                cur = parent[cur as usize];
                continue;
            };
            cursor[cur as usize] += 1;
            if let Some(w) = next {
                if pre_of[w as usize] == NONE {
                    // Start loading what the search will test next: whether w's successors
                    // were seen. The loads overlap instead of waiting one after the other.
                    for &t in g.refs(w).iter().take(PREFETCH) {
                        prefetch(pre_of.as_ptr().wrapping_add(t as usize));
                    }
                    let k = len as u32;
                    pre_of[w as usize] = k;
                    node_of[len] = w;
                    parent[len] = cur;
                    len += 1;
                    cur = k;
                    if len & (TICK - 1) == 0 {
                        progress.advance(TICK as u64);
                    }
                }
            }
        }
    }
    node_of.truncate(len);
    parent.truncate(len);
    cursor.truncate(len);
    Dfs {
        pre_of,
        node_of,
        parent,
        scratch: cursor,
    }
}

/// The predecessor lists the semi-dominator step needs, in preorder space.
///
/// Most heap objects have exactly one referrer, their DFS parent, which is then their
/// semi-dominator whatever else happens; a GC root has the super-root as semi-dominator. So
/// only the other nodes (several predecessors, not a root) keep a list, and a root keeps the
/// one-entry list `[0]`. A predecessor that precedes its node in preorder is its own candidate
/// for the semi-dominator (it is not yet linked when the node is processed), so only the
/// smallest of them is kept, first in the list; the rest of the list are the predecessors
/// that come later in preorder. On a 47 M-object dump that is a few thousand lists.
struct Preds {
    /// Preorder numbers of the nodes with a list, increasing.
    nodes: Vec<u32>,
    /// `sources[offsets[k]..offsets[k + 1]]` is the list of `nodes[k]`.
    offsets: Vec<u32>,
    /// Preorder numbers of the predecessors.
    sources: Store<u32>,
}

/// A list index that marks a node whose list is not stored.
const NO_LIST: u32 = u32::MAX;

/// Atomic bits over `len` positions, set from any thread.
fn atomic_bits(len: usize) -> Vec<AtomicU64> {
    (0..len.div_ceil(64)).map(|_| AtomicU64::new(0)).collect()
}

/// Calls `f(p, w)` for every edge of the reached graph, as preorder numbers (source `p`,
/// target `w`), on all threads; `progress` advances by each chunk's nodes.
fn par_edges(g: &Graph, dfs: &Dfs, progress: &dyn Progress, f: impl Fn(u32, usize) + Sync) {
    const CHUNK: usize = 1 << 15;
    let pre_of = &dfs.pre_of;
    dfs.node_of[1..]
        .par_chunks(CHUNK)
        .enumerate()
        .for_each(|(ci, chunk)| {
            for (k, &v) in chunk.iter().enumerate() {
                let p = (1 + ci * CHUNK + k) as u32;
                g.for_each_successor(v, |w| f(p, pre_of[w as usize] as usize));
            }
            progress.advance(chunk.len() as u64);
        });
}

/// Builds the predecessor lists on all threads. `counter` (one u32 per preorder number, any
/// contents) serves as the per-node counter, then as the node's list index. The order within
/// one list depends on scheduling; semi-dominators (a minimum over the list) and so the result
/// do not.
fn predecessors(g: &Graph, dfs: &Dfs, counter: &mut [u32], progress: &dyn Progress) -> Preds {
    let m = dfs.node_of.len();
    let pre_of = &dfs.pre_of;
    let mut root_bits = vec![0u64; m.div_ceil(64)];
    for &(r, _) in &g.roots {
        let w = pre_of[r as usize] as usize;
        root_bits[w >> 6] |= 1 << (w & 63);
    }
    counter.par_iter_mut().for_each(|c| *c = 0);
    let count = as_atomic(counter);
    let early = count_predecessors(g, dfs, &root_bits, count, progress);
    let (nodes, offsets) = list_layout(&root_bits, &early, count);
    drop(early);
    let sources = fill_lists(g, dfs, &root_bits, count, (&nodes, &offsets), progress);
    Preds {
        nodes,
        offsets,
        sources,
    }
}

/// Whether bit `w` of `bits` is set.
#[inline]
fn bit(bits: &[u64], w: usize) -> bool {
    bits[w >> 6] >> (w & 63) & 1 == 1
}

/// The counting pass of [`predecessors`]: each node's number of later predecessors into
/// `count`, and the bits of the nodes with an earlier predecessor other than their DFS parent.
fn count_predecessors(
    g: &Graph,
    dfs: &Dfs,
    root_bits: &[u64],
    count: &[AtomicU32],
    progress: &dyn Progress,
) -> Vec<AtomicU64> {
    let parent = &dfs.parent;
    let early = atomic_bits(dfs.node_of.len());
    par_edges(g, dfs, progress, |p, w| {
        if bit(root_bits, w) {
            // The super-root is a root's semi-dominator: no list needed.
        } else if p as usize > w {
            count[w].fetch_add(1, Ordering::Relaxed);
        } else if (p as usize) < w && p != parent[w] {
            early[w >> 6].fetch_or(1 << (w & 63), Ordering::Relaxed);
        }
    });
    early
}

/// The kept lists (`nodes`, `offsets`): slot 0 for the smallest earlier predecessor, then the
/// later ones. Each kept node's counter becomes its list index, the others' [`NO_LIST`].
fn list_layout(
    root_bits: &[u64],
    early: &[AtomicU64],
    count: &[AtomicU32],
) -> (Vec<u32>, Vec<u32>) {
    let is_early = |w: usize| early[w >> 6].load(Ordering::Relaxed) >> (w & 63) & 1 == 1;
    let mut nodes = Vec::new();
    let mut offsets = Vec::new();
    let mut total = 0u64;
    for (w, c) in count.iter().enumerate().skip(1) {
        let later = c.load(Ordering::Relaxed);
        let root = bit(root_bits, w);
        if !root && later == 0 && !is_early(w) {
            c.store(NO_LIST, Ordering::Relaxed);
            continue;
        }
        c.store(nodes.len() as u32, Ordering::Relaxed);
        nodes.push(w as u32);
        offsets.push(total as u32);
        total += 1 + if root { 0 } else { later as u64 };
    }
    assert!(
        total < u32::MAX as u64,
        "{total} predecessor entries: more than the u32 offsets address"
    );
    offsets.push(total as u32);
    (nodes, offsets)
}

/// The filling pass of [`predecessors`]: the sources of every kept list.
fn fill_lists(
    g: &Graph,
    dfs: &Dfs,
    root_bits: &[u64],
    count: &[AtomicU32],
    (nodes, offsets): (&[u32], &[u32]),
    progress: &dyn Progress,
) -> Store<u32> {
    let parent = &dfs.parent;
    // Per list: the fill cursor of the later predecessors, and the smallest earlier one (the
    // DFS parent to begin with; the super-root for a root).
    let cursor: Vec<AtomicU32> = offsets.iter().map(|&o| AtomicU32::new(o + 1)).collect();
    let first: Vec<AtomicU32> = nodes
        .iter()
        .map(|&w| {
            AtomicU32::new(if bit(root_bits, w as usize) {
                0
            } else {
                parent[w as usize]
            })
        })
        .collect();
    let mut sources = g
        .arrays
        .filled(*offsets.last().unwrap_or(&0) as usize, 0u32);
    {
        let out = Scatter::new(&mut sources);
        par_edges(g, dfs, progress, |p, w| {
            let k = count[w].load(Ordering::Relaxed);
            if k == NO_LIST || bit(root_bits, w) {
                return;
            }
            if p as usize > w {
                let slot = cursor[k as usize].fetch_add(1, Ordering::Relaxed);
                // SAFETY: fetch_add hands every slot to exactly one writer, and the counting
                // pass sized each kept list for exactly its later predecessors after slot 0.
                unsafe { out.write(slot as usize, p) };
            } else {
                first[k as usize].fetch_min(p, Ordering::Relaxed);
            }
        });
    }
    for (k, f) in first.iter().enumerate() {
        sources[offsets[k] as usize] = f.load(Ordering::Relaxed);
    }
    sources
}

/// Semi-NCA over preorder numbers: consumes the DFS parents (and a scratch array of the same
/// length) and returns the immediate dominator of each preorder number, with the parents'
/// buffer for reuse (fresh pages are expensive to fault in).
///
/// Only a node with a predecessor list can have a semi-dominator other than its DFS parent, so
/// only those are stored, one per list. The forest keeps per node, instead of a label node,
/// the smallest semi-dominator on its compressed path (`best`), so `eval` needs no
/// semi-dominator per node either: with `node_of`, four arrays of the DFS's length are alive.
/// Every [`TICK`] nodes, `progress` advances.
fn semi_nca(
    parent: Store<u32>,
    mut best: Store<u32>,
    preds: &Preds,
    arrays: &Arrays,
    progress: &dyn Progress,
) -> (Store<u32>, Store<u32>) {
    let m = parent.len();
    let mut idom = arrays.filled(m, 0u32);
    idom.par_chunks_mut(1 << 16)
        .zip(parent.par_chunks(1 << 16))
        .for_each(|(d, p)| d.copy_from_slice(p));
    // The forest links start as the DFS parents and are compressed by `eval`.
    let mut ancestor = parent;
    // An unprocessed node's semi-dominator stands at its own number.
    best.par_iter_mut()
        .enumerate()
        .with_min_len(1 << 16)
        .for_each(|(i, b)| *b = i as u32);
    let mut semi = vec![0u32; preds.nodes.len()];
    let mut k = preds.nodes.len();
    for w in (1..m).rev() {
        // idom still holds the DFS parent here: the semi-dominator of a node without a list.
        let mut s = idom[w];
        if k > 0 && preds.nodes[k - 1] == w as u32 {
            k -= 1;
            let last_linked = w as u32 + 1;
            let list = &preds.sources[preds.offsets[k] as usize..preds.offsets[k + 1] as usize];
            for &v in list {
                s = s.min(eval(v, last_linked, &mut ancestor, &mut best));
            }
            semi[k] = s;
        }
        best[w] = s;
        if w & (TICK - 1) == 0 {
            progress.advance(TICK as u64);
        }
    }
    drop(best);
    // Nearest common ancestors; a node without a list keeps its parent.
    for (&w, &s) in preds.nodes.iter().zip(&semi) {
        let w = w as usize;
        let mut d = idom[w];
        while d > s {
            d = idom[d as usize];
        }
        idom[w] = d;
    }
    (idom, ancestor)
}

/// The smallest semi-dominator on the forest path above `v` (path-compressing).
///
/// The path is compressed without a stack: the walk up reverses the ancestor links, and the
/// walk back down restores them, each pointing to the forest root, while it carries the
/// smallest semi-dominator down.
#[inline]
fn eval(v: u32, last_linked: u32, ancestor: &mut [u32], best: &mut [u32]) -> u32 {
    if ancestor[v as usize] < last_linked {
        return best[v as usize];
    }
    let mut prev = NONE;
    let mut x = v;
    loop {
        let up = ancestor[x as usize];
        ancestor[x as usize] = prev;
        if ancestor[up as usize] < last_linked {
            // `up` is the topmost linked node; descend from just below it.
            let root_link = ancestor[up as usize];
            let mut p_best = best[up as usize];
            let mut cur = x;
            while cur != NONE {
                let down = ancestor[cur as usize];
                let c_best = best[cur as usize];
                if p_best < c_best {
                    best[cur as usize] = p_best;
                } else {
                    p_best = c_best;
                }
                ancestor[cur as usize] = root_link;
                cur = down;
            }
            return best[v as usize];
        }
        prev = x;
        x = up;
    }
}

/// Computes dominators, retained sizes and reachability of `g`.
pub fn dominators(g: &Graph, progress: &dyn Progress) -> Dominators {
    let n = g.len();
    progress.start_count("dfs", n as u64, "objects");
    let mut dfs = depth_first(g, progress);
    progress.finish();
    let mib = |words: usize| (words * 4) >> 20;
    progress.detail(&format!(
        "dfs: {} reached; pre_of {} MiB, node_of, parent, cursor {} MiB each",
        dfs.node_of.len() - 1,
        mib(dfs.pre_of.len()),
        mib(dfs.node_of.len())
    ));
    let reached = (dfs.node_of.len() - 1) as u64;
    // Two passes over the edges of every reached object.
    progress.start_count("predecessors", 2 * reached, "visits (2 per object)");
    let mut scratch = std::mem::take(&mut dfs.scratch);
    let preds = predecessors(g, &dfs, &mut scratch, progress);
    let Dfs {
        pre_of,
        node_of,
        parent,
        ..
    } = dfs;
    drop(pre_of);
    progress.finish();
    progress.detail(&format!(
        "predecessors: {} lists, {} entries, {} MiB; pre_of dropped",
        preds.nodes.len(),
        preds.sources.len(),
        mib(preds.nodes.len() + preds.offsets.len() + preds.sources.len())
    ));
    progress.start_count("semi-nca", reached, "objects");
    let (idom_pre, spare) = semi_nca(parent, scratch, &preds, &g.arrays, progress);
    g.arrays.release();
    drop(preds);
    progress.finish();
    progress.start_count("retained", reached, "objects");
    let idom = idom_in_node_order(n, &node_of, idom_pre, spare);
    let (retained, all_bytes, reachable_bytes) = retained_sizes(g, node_of, &idom, progress);
    let (weakly_reachable, weakly_reachable_bytes) = weak_reach(g, &idom);
    progress.finish();
    let unreachable = n as u64 - reached - weakly_reachable;
    let unreachable_bytes = all_bytes - reachable_bytes - weakly_reachable_bytes;
    Dominators {
        idom,
        retained,
        reachable: reached,
        reachable_bytes,
        weakly_reachable,
        weakly_reachable_bytes,
        unreachable,
        unreachable_bytes,
    }
}

/// Immediate dominators in node order, in the buffer the forest links used (`spare`); the
/// preorder ones are dropped before the retained sizes are allocated.
fn idom_in_node_order(
    n: usize,
    node_of: &[u32],
    idom_pre: Store<u32>,
    spare: Store<u32>,
) -> Store<u32> {
    let mut idom = spare;
    idom.truncate(0);
    if idom.resize(n, NONE).is_err() {
        // The spare file could not grow (it has room for n + 1 nodes, so it does not).
        idom = Store::from_vec(vec![NONE; n]);
    }
    {
        let out = Scatter::new(&mut idom);
        (1..node_of.len())
            .into_par_iter()
            .with_min_len(1 << 16)
            .for_each(|w| {
                let d = idom_pre[w];
                let dom = if d == 0 {
                    SUPER_ROOT
                } else {
                    node_of[d as usize]
                };
                // SAFETY: node_of is a permutation of the reached nodes: each index once.
                unsafe { out.write(node_of[w] as usize, dom) };
            });
    }
    idom
}

/// Retained sizes in node order (0 for the nodes not strongly reachable), with the shallow
/// bytes of all nodes and of the strongly reachable ones. Consumes the preorder; `progress`
/// advances every [`TICK`] nodes of the bottom-up pass.
fn retained_sizes(
    g: &Graph,
    node_of: Store<u32>,
    idom: &[u32],
    progress: &dyn Progress,
) -> (Store<u64>, u64, u64) {
    let n = idom.len();
    // Shallow sizes in node order, on all threads; nodes not strongly reachable are zeroed
    // once the dominators are known.
    let mut retained = g.arrays.filled(n, 0u64);
    const CHUNK: usize = 1 << 16;
    let all_bytes: u64 = retained
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map(|(ci, chunk)| {
            let mut sum = 0;
            for (k, r) in chunk.iter_mut().enumerate() {
                *r = g.shallow((ci * CHUNK + k) as u32);
                sum += *r;
            }
            sum
        })
        .sum();
    // Retained sizes bottom-up in reverse preorder (a dominator precedes what it dominates),
    // accumulated directly in node order.
    let mut reachable_bytes = 0u64;
    for block in node_of[1..].rchunks(TICK) {
        for &v in block.iter().rev() {
            let r = retained[v as usize];
            match idom[v as usize] {
                SUPER_ROOT => reachable_bytes += r,
                d => retained[d as usize] += r,
            }
        }
        progress.advance(block.len() as u64);
    }
    drop(node_of);
    retained
        .par_iter_mut()
        .zip(idom.par_iter())
        .with_min_len(1 << 16)
        .for_each(|(r, &d)| {
            if d == NONE {
                *r = 0;
            }
        });
    (retained, all_bytes, reachable_bytes)
}

/// Nodes not strongly reachable but reachable once referents count: (count, bytes).
fn weak_reach(g: &Graph, idom: &[u32]) -> (u64, u64) {
    if g.weak_edges.is_empty() {
        return (0, 0);
    }
    let mut weak = g.weak_edges.clone();
    weak.sort_unstable();
    let mut seen = vec![false; g.len()];
    let mut queue: Vec<u32> = Vec::new();
    let mut count = 0u64;
    let mut bytes = 0u64;
    let push = |w: u32, seen: &mut Vec<bool>, queue: &mut Vec<u32>| {
        if idom[w as usize] == NONE && !seen[w as usize] {
            seen[w as usize] = true;
            queue.push(w);
        }
    };
    for &(s, t) in &weak {
        if idom[s as usize] != NONE {
            push(t, &mut seen, &mut queue);
        }
    }
    while let Some(v) = queue.pop() {
        count += 1;
        bytes += g.shallow(v);
        g.for_each_successor(v, |w| push(w, &mut seen, &mut queue));
        let lo = weak.partition_point(|&(s, _)| s < v);
        let hi = weak.partition_point(|&(s, _)| s <= v);
        for &(_, t) in &weak[lo..hi] {
            push(t, &mut seen, &mut queue);
        }
    }
    (count, bytes)
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;
    use crate::base::progress::NoProgress;
    use proptest::prelude::*;

    /// Reference: d dominates v iff v is reachable and removing d makes v unreachable.
    fn naive(n: usize, edges: &[(u32, u32)], roots: &[u32]) -> Vec<Option<Option<u32>>> {
        let reach = |skip: Option<u32>| {
            let mut seen = vec![false; n];
            let mut stack: Vec<u32> = roots.iter().copied().filter(|&r| Some(r) != skip).collect();
            for &r in &stack {
                seen[r as usize] = true;
            }
            while let Some(v) = stack.pop() {
                for &(s, t) in edges {
                    if s == v && Some(t) != skip && !seen[t as usize] {
                        seen[t as usize] = true;
                        stack.push(t);
                    }
                }
            }
            seen
        };
        let all = reach(None);
        // doms[v] = strict dominators of v.
        let mut doms: Vec<Vec<u32>> = vec![Vec::new(); n];
        for d in 0..n as u32 {
            if !all[d as usize] {
                continue;
            }
            let without = reach(Some(d));
            for v in 0..n {
                if all[v] && !without[v] && v as u32 != d {
                    doms[v].push(d);
                }
            }
        }
        (0..n)
            .map(|v| {
                if !all[v] {
                    return None;
                }
                // The immediate dominator is the strict dominator with the most dominators.
                Some(
                    doms[v]
                        .iter()
                        .copied()
                        .max_by_key(|&d| doms[d as usize].len()),
                )
            })
            .collect()
    }

    fn check(n: usize, edges: Vec<(u32, u32)>, roots: Vec<u32>, sizes: Vec<u64>) {
        let g = Graph::from_edges(&sizes, &edges, &roots);
        let d = dominators(&g, &NoProgress);
        let want = naive(n, &edges, &roots);
        for v in 0..n {
            let got = match d.idom[v] {
                NONE => None,
                SUPER_ROOT => Some(None),
                x => Some(Some(x)),
            };
            assert_eq!(got, want[v], "idom of {v}; edges {edges:?} roots {roots:?}");
        }
        // Retained = shallow sizes of everything dominated (itself included).
        for v in 0..n {
            if want[v].is_none() {
                assert_eq!(d.retained[v], 0);
                continue;
            }
            let mut total = 0;
            for u in 0..n {
                let mut x = u as u32;
                if want[u].is_none() {
                    continue;
                }
                loop {
                    if x == v as u32 {
                        total += sizes[u];
                        break;
                    }
                    match want[x as usize] {
                        Some(Some(p)) => x = p,
                        _ => break,
                    }
                }
            }
            assert_eq!(d.retained[v], total, "retained of {v}");
        }
        let reachable: u64 = (0..n)
            .filter(|&v| want[v].is_some())
            .map(|v| sizes[v])
            .sum();
        assert_eq!(d.reachable_bytes, reachable);
    }

    #[test]
    fn diamond_chain_and_cycle() {
        // 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, 3 -> 4, 4 -> 3 (cycle), 5 unreachable.
        check(
            6,
            vec![(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (4, 3)],
            vec![0],
            vec![8, 16, 24, 32, 40, 48],
        );
        // Two roots sharing a node: it is dominated by the super-root.
        check(3, vec![(0, 2), (1, 2)], vec![0, 1], vec![8, 8, 8]);
    }

    #[test]
    fn million_deep_chain_needs_no_recursion() {
        let n = 1_000_000u32;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|v| (v, v + 1)).collect();
        let g = Graph::from_edges(&vec![16; n as usize], &edges, &[0]);
        let d = dominators(&g, &NoProgress);
        assert_eq!(d.retained[0], 16 * n as u64);
        assert_eq!(d.idom[(n - 1) as usize], n - 2);
        assert_eq!(d.retained[(n - 1) as usize], 16);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn matches_naive_dominators(
            n in 1usize..14,
            raw_edges in proptest::collection::vec((0u32..14, 0u32..14), 0..40),
            raw_roots in proptest::collection::vec(0u32..14, 1..4),
            size_seed in 1u64..5,
        ) {
            let n32 = n as u32;
            let edges: Vec<(u32, u32)> = raw_edges.into_iter().map(|(a, b)| (a % n32, b % n32)).collect();
            let roots: Vec<u32> = raw_roots.into_iter().map(|r| r % n32).collect();
            let sizes: Vec<u64> = (0..n as u64).map(|v| 8 * (1 + (v * size_seed) % 7)).collect();
            check(n, edges, roots, sizes);
        }
    }
}
