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

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::base::populate::{populate_while, Span};
use crate::base::progress::{Progress, TICK};
use crate::base::shared::{as_atomic, prefetch, Scatter};
use crate::base::store::Store;
use crate::dom::predecessors::{bit, node_bits, par_edges_into, predecessors, Preds};
use crate::dom::retained::{RetainedBuilder, RetainedSizes};
use crate::graph::ids::NONE;
pub use crate::graph::ids::SUPER_ROOT;
use crate::graph::object_graph::Graph;
use crate::AnalyzeError;

/// Dominators and retained sizes of every node.
pub struct Dominators {
    /// Immediate dominator of each node: a node, [`SUPER_ROOT`], or [`NONE`] when the node is
    /// not strongly reachable.
    pub idom: Store<u32>,
    /// Retained bytes of each node (0 when not strongly reachable).
    pub retained: RetainedSizes,
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
    /// Preorder number of each preorder number's DFS-tree parent (one per reached node and
    /// the super-root).
    parent: Store<u32>,
    /// Per preorder number, its predecessors later in preorder (the edges the search met
    /// into a node already numbered, from a later one).
    later: Store<u32>,
    /// Per preorder number, a bit: it has a predecessor earlier in preorder other than its
    /// DFS parent (an edge the search met into a node already numbered below the source).
    early: Store<u64>,
}

/// Iterative depth-first search: the path from the current root is an explicit stack of
/// (node, cursor into its successors: references, then the class edge), and the search climbs
/// back through the parent array. Memory is two u32 per node plus 12 bytes per level of the
/// deepest path (a path through every node costs what the node-order and cursor arrays of a
/// stackless search would). The search meets every edge once, so it also counts what the
/// predecessor lists need ([`Dfs::later`], [`Dfs::early`]): one u32 more per node. Every
/// [`TICK`] nodes reached, `progress` advances.
fn depth_first(g: &Graph, progress: &dyn Progress) -> Dfs {
    let n = g.len();
    // Fresh pages are slow to fault in (about 0.6 s per GiB on our VMs), and inside the
    // sequential search each fault would wait. `pre_of` is read at random: it is filled on
    // all threads first, over the graph build's spare per-node array when there is one (its
    // pages are resident). The per-preorder arrays are filled from the front: a helper thread
    // faults their fresh zero pages in while the search runs on the other core. Under
    // `--max-memory` they are in temp files (`g.arrays`).
    let mut pre_of = g.arrays.refilled(n, NONE);
    let mut parent = g.arrays.zeroed(n + 1);
    let mut later = g.arrays.zeroed(n + 1);
    let mut early = g.arrays.filled((n + 1).div_ceil(64), 0u64);
    let spans = if parent.is_on_disk() {
        Vec::new()
    } else {
        vec![Span::of(&parent), Span::of(&later)]
    };
    let arrays = (
        &mut pre_of[..],
        &mut parent[..],
        &mut later[..],
        &mut early[..],
    );
    let len = populate_while(&spans, || search(g, arrays, progress));
    parent.truncate(len);
    later.truncate(len);
    Dfs {
        pre_of,
        parent,
        later,
        early,
    }
}

/// The search of [`depth_first`] over its arrays (`pre_of`, `parent`, `later`, `early`, as
/// in [`Dfs`], the last three of the graph's length plus one); returns the count of preorder
/// numbers given (the super-root's included).
fn search(
    g: &Graph,
    (pre_of, parent, later, early): (&mut [u32], &mut [u32], &mut [u32], &mut [u64]),
    progress: &dyn Progress,
) -> usize {
    const PREFETCH: usize = 16;
    // Per level: the node, and its next and end position among the targets; the position
    // one past the end stands for its class edge, done.
    let mut stack: Vec<(u32, u32, u32)> = Vec::new();
    let targets = g.targets();
    let mut len = 1usize;
    for &(r, _) in &g.roots {
        if pre_of[r as usize] != NONE {
            continue;
        }
        let mut cur = len as u32;
        pre_of[r as usize] = cur;
        len += 1;
        let (lo, hi) = g.ref_range(r);
        stack.push((r, lo, hi));
        while let Some(top) = stack.last_mut() {
            let (v, pos, end) = *top;
            let next = if pos < end {
                Some(targets[pos as usize])
            } else if pos == end {
                g.class_edge(v)
            } else {
                // Exhausted: climb back.
                stack.pop();
                cur = parent[cur as usize];
                continue;
            };
            top.1 += 1;
            if let Some(w) = next {
                let q = pre_of[w as usize];
                if q != NONE {
                    if q < cur {
                        later[q as usize] += 1;
                    } else if q > cur && parent[q as usize] != cur {
                        early[q as usize >> 6] |= 1 << (q & 63);
                    }
                } else {
                    let (lo, hi) = g.ref_range(w);
                    // Start loading what the search will test next: whether w's successors
                    // were seen. The loads overlap instead of waiting one after the other.
                    for &t in targets[lo as usize..hi as usize].iter().take(PREFETCH) {
                        prefetch(pre_of.as_ptr().wrapping_add(t as usize));
                        g.prefetch_refs(t);
                    }
                    let k = len as u32;
                    pre_of[w as usize] = k;
                    parent[len] = cur;
                    len += 1;
                    if len & (TICK - 1) == 0 {
                        progress.advance(TICK as u64);
                    }
                    // A node without references whose class was reached is done at once: no
                    // level on the stack, no climb back.
                    if lo == hi && leaf_done(g, w, pre_of, later) {
                        continue;
                    }
                    cur = k;
                    stack.push((w, lo, hi));
                }
            }
        }
    }
    len
}

/// For a node `w` just reached that has no references: its one successor is its class object
/// (if any); when that was reached before, the edge is counted as the search would count it
/// (a predecessor later in preorder than the class) and the node needs no level on the stack.
/// False when the class was not reached yet: the search then enters `w` as any other node.
#[inline]
fn leaf_done(g: &Graph, w: u32, pre_of: &[u32], later: &mut [u32]) -> bool {
    let Some(c) = g.class_edge(w) else {
        return true;
    };
    let q = pre_of[c as usize];
    if q == NONE {
        return false;
    }
    // Numbered before w (w has no descendants yet, and is not its own class): a later
    // predecessor of the class.
    later[q as usize] += 1;
    true
}

/// Semi-NCA over preorder numbers: consumes the DFS parents and a second array of the same
/// length, and returns the immediate dominator of each preorder number with a spare buffer of
/// that length (fresh pages are expensive to fault in).
///
/// Only a node with a predecessor list can have a semi-dominator other than its DFS parent, so
/// only those are stored, one per list. The forest keeps per node, instead of a label node,
/// the smallest semi-dominator on its compressed path (`best`), so `eval` needs no
/// semi-dominator per node either. Nor is a copy of the parents kept: the forest links start
/// as the parents, `eval` notes in a bitmap the nodes whose links it compressed, and only
/// their parents are found again from the graph ([`dfs_parents`]); the forest links become
/// the dominators. So with `pre_of`, three arrays of the DFS's length are alive (and two
/// bitmaps of one bit per node). Every [`TICK`] nodes of each of the two passes, `progress`
/// advances.
fn semi_nca(
    g: &Graph,
    pre_of: &[u32],
    (parent, mut best): (Store<u32>, Store<u32>),
    mut preds: Preds,
    progress: &dyn Progress,
) -> (Store<u32>, Store<u32>) {
    let m = parent.len();
    // The forest links start as the DFS parents and are compressed by `eval`.
    let mut ancestor = parent;
    // An unprocessed node's semi-dominator stands at its own number.
    best.par_iter_mut()
        .enumerate()
        .with_min_len(1 << 16)
        .for_each(|(i, b)| *b = i as u32);
    let mut semi = vec![0u32; preds.nodes.len()];
    // The nodes whose forest link `eval` rewrote: the others' link is still their parent.
    let mut compressed = vec![0u64; m.div_ceil(64)];
    let mut k = preds.nodes.len();
    for w in (1..m).rev() {
        // `eval` only compresses the links of nodes already processed, so w's link is still
        // its DFS parent: the semi-dominator of a node without a list.
        let mut s = ancestor[w];
        if k > 0 && preds.nodes[k - 1] == w as u32 {
            k -= 1;
            let last_linked = w as u32 + 1;
            // The earlier predecessors are not linked yet: each is its own candidate. Once the
            // candidate is the super-root (0), none can be smaller: a class object's millions
            // of instances mostly need no `eval` then.
            s = s.min(preds.first[k]);
            if s > 0 {
                preds.for_each_later(k, |v| {
                    s = s.min(eval(
                        v,
                        last_linked,
                        (&mut ancestor, &mut best),
                        &mut compressed,
                    ));
                    s > 0
                });
            }
            semi[k] = s;
        }
        best[w] = s;
        if w & (TICK - 1) == 0 {
            progress.advance(TICK as u64);
        }
    }
    // Only the list nodes are needed from here on: the lists go before the pass below.
    let nodes = std::mem::take(&mut preds.nodes);
    drop(preds);
    let mut idom = dfs_parents(g, pre_of, ancestor, &compressed, progress);
    // Nearest common ancestors, in preorder (an ancestor's dominator is final first); a node
    // without a list keeps its parent.
    for (&w, &s) in nodes.iter().zip(&semi) {
        let w = w as usize;
        let mut d = idom[w];
        while d > s {
            d = idom[d as usize];
        }
        idom[w] = d;
    }
    (idom, best)
}

/// The DFS-tree parent of every preorder number, from the forest links `links` after the
/// semi-dominator pass: a link `eval` never rewrote (its bit clear in `compressed`, over
/// preorder numbers) is still the parent; the others are found again from the graph: the
/// parent of `w` is its latest predecessor before it in preorder. (A predecessor `p < w`
/// examined its edge to `w` before the search left it: had `w` been unvisited then, `p` would
/// be its parent; so the parent comes at or after every such `p`.) A root reached from the
/// super-root has no such predecessor and gets 0, the super-root. Only the edges into the
/// rewritten nodes are followed.
fn dfs_parents(
    g: &Graph,
    pre_of: &[u32],
    mut links: Store<u32>,
    compressed: &[u64],
    progress: &dyn Progress,
) -> Store<u32> {
    const CHUNK: usize = 1 << 16;
    links.par_chunks_mut(CHUNK).enumerate().for_each(|(ci, c)| {
        for (i, p) in c.iter_mut().enumerate() {
            if bit(compressed, ci * CHUNK + i) {
                *p = 0;
            }
        }
    });
    let mut into = g.arrays.filled(pre_of.len().div_ceil(64).max(1), 0u64);
    node_bits(pre_of, compressed, &mut into);
    {
        let parent = as_atomic(&mut links);
        par_edges_into(g, pre_of, &into, progress, |p, w| {
            if (p as usize) < w {
                parent[w].fetch_max(p, Ordering::Relaxed);
            }
        });
    }
    links
}

/// The smallest semi-dominator on the forest path above `v` (path-compressing).
///
/// The path is compressed without a stack: the walk up reverses the ancestor links, and the
/// walk back down restores them, each pointing to the forest root, while it carries the
/// smallest semi-dominator down. Every node whose link it rewrites gets its bit set in
/// `compressed`.
#[inline]
fn eval(
    v: u32,
    last_linked: u32,
    (ancestor, best): (&mut [u32], &mut [u32]),
    compressed: &mut [u64],
) -> u32 {
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
                compressed[cur as usize >> 6] |= 1 << (cur & 63);
                cur = down;
            }
            return best[v as usize];
        }
        prev = x;
        x = up;
    }
}

/// Computes dominators, retained sizes and reachability of `g`; its big arrays come from
/// `g.arrays` (in temp files under `--max-memory`). Fails when the predecessor lists have
/// more entries than their `u32` offsets address ([`AnalyzeError::TooLarge`]).
pub fn dominators(g: &Graph, progress: &dyn Progress) -> Result<Dominators, AnalyzeError> {
    let n = g.len();
    progress.start_count("dfs", n as u64, "objects");
    let dfs = depth_first(g, progress);
    progress.finish();
    let mib = |words: usize| (words * 4) >> 20;
    progress.detail(&format!(
        "dfs: {} reached; pre_of {} MiB, parent and later {} MiB each",
        dfs.parent.len() - 1,
        mib(dfs.pre_of.len()),
        mib(dfs.parent.len())
    ));
    let reached = (dfs.parent.len() - 1) as u64;
    // One pass over the edges of every reached object.
    progress.start_count("predecessors", reached, "objects");
    let Dfs {
        pre_of,
        parent,
        mut later,
        early,
    } = dfs;
    let preds = predecessors(g, (&pre_of, &parent), (&mut later, early), progress)?;
    let counter = later;
    progress.finish();
    progress.detail(&format!(
        "predecessors: {} lists ({} as bitmaps of {} MiB), {} listed entries, {} MiB in all; counter {} MiB",
        preds.nodes.len(),
        preds.words.windows(2).filter(|r| r[0] < r[1]).count(),
        (preds.bits.len() * 8) >> 20,
        preds.sources.len(),
        preds.memory_bytes() >> 20,
        mib(counter.len())
    ));
    // The semi-dominator pass, then one more over the edges for the DFS parents.
    progress.start_count("semi-nca", 2 * reached, "visits (2 per object)");
    let (idom_pre, spare) = semi_nca(g, &pre_of, (parent, counter), preds, progress);
    g.arrays.release();
    progress.finish();
    progress.start_count("retained", reached, "objects");
    let (idom, node_of, units) = idom_in_node_order(pre_of, idom_pre, spare);
    let (retained, all_bytes, reachable_bytes) =
        retained_sizes(g, (node_of, units), &idom, progress);
    let (weakly_reachable, weakly_reachable_bytes) = weak_reach(g, &idom);
    progress.finish();
    let unreachable = n as u64 - reached - weakly_reachable;
    let unreachable_bytes = all_bytes - reachable_bytes - weakly_reachable_bytes;
    Ok(Dominators {
        idom,
        retained,
        reachable: reached,
        reachable_bytes,
        weakly_reachable,
        weakly_reachable_bytes,
        unreachable,
        unreachable_bytes,
    })
}

/// Immediate dominators in node order, written over `pre_of`, and the node of each preorder
/// number, in the spare buffer; the preorder dominators' buffer is handed back for the
/// retained sizes (its pages are resident already: fresh ones are slow to fault in).
fn idom_in_node_order(
    mut pre_of: Store<u32>,
    idom_pre: Store<u32>,
    spare: Store<u32>,
) -> (Store<u32>, Store<u32>, Store<u32>) {
    let mut node_of = spare;
    node_of[0] = SUPER_ROOT;
    {
        let out = Scatter::new(&mut node_of);
        pre_of
            .par_iter()
            .enumerate()
            .with_min_len(1 << 16)
            .for_each(|(v, &p)| {
                if p != NONE {
                    // SAFETY: pre_of is one-to-one on the reached nodes: each index once.
                    unsafe { out.write(p as usize, v as u32) };
                }
            });
    }
    // The dominators as nodes, in preorder (a dominator is an ancestor in the DFS tree, most
    // often near in preorder: the reads of node_of are mostly cached), then scattered into
    // node order over pre_of (the nodes not reached keep NONE there).
    let mut idom_pre = idom_pre;
    idom_pre[0] = NONE;
    idom_pre[1..]
        .par_iter_mut()
        .with_min_len(1 << 16)
        .for_each(|d| {
            *d = match *d {
                0 => SUPER_ROOT,
                d => node_of[d as usize],
            };
        });
    {
        let out = Scatter::new(&mut pre_of);
        node_of[1..]
            .par_iter()
            .zip(idom_pre[1..].par_iter())
            .with_min_len(1 << 16)
            .for_each(|(&v, &d)| {
                // SAFETY: node_of is one-to-one: each node once.
                unsafe { out.write(v as usize, d) };
            });
    }
    (pre_of, node_of, idom_pre)
}

/// Retained sizes in node order (0 for the nodes not strongly reachable), with the shallow
/// bytes of all nodes and of the strongly reachable ones. Consumes the preorder and a buffer
/// of any contents for the sizes; `progress` advances every [`TICK`] nodes of the bottom-up
/// pass.
fn retained_sizes(
    g: &Graph,
    (node_of, mut units): (Store<u32>, Store<u32>),
    idom: &[u32],
    progress: &dyn Progress,
) -> (RetainedSizes, u64, u64) {
    let n = idom.len();
    // Shallow sizes in node order (in units of 8 bytes, as the graph stores them), on all
    // threads; nodes not strongly reachable start (and stay) at 0.
    units.truncate(n);
    if units.resize(n, 0).is_err() {
        units = g.arrays.filled(n, 0u32);
    }
    const CHUNK: usize = 1 << 16;
    let all_units: u64 = units
        .par_chunks_mut(CHUNK)
        .zip(idom.par_chunks(CHUNK))
        .enumerate()
        .map(|(ci, (chunk, doms))| {
            g.shallow_units_in((ci * CHUNK) as u32, chunk);
            let mut sum = 0;
            for (r, &d) in chunk.iter_mut().zip(doms) {
                sum += *r as u64;
                if d == NONE {
                    *r = 0;
                }
            }
            sum
        })
        .sum();
    let mut retained = RetainedBuilder::new(units);
    let reachable_units = accumulate(&node_of[1..], idom, &mut retained, progress);
    drop(node_of);
    (retained.finish(), all_units << 3, reachable_units << 3)
}

/// Adds each node's retained size to its immediate dominator's, bottom-up in reverse preorder
/// (`order`: the node of each preorder number; a dominator precedes what it dominates), and
/// returns the super-root's. The reads of a node's dominator and size are started `AHEAD`
/// nodes early, and of its dominator's size half as early: each is a random access, and the
/// loads overlap instead of waiting one after the other.
fn accumulate(
    order: &[u32],
    idom: &[u32],
    retained: &mut RetainedBuilder,
    progress: &dyn Progress,
) -> u64 {
    const AHEAD: usize = 16;
    let mut reachable_units = 0u64;
    let mut done = 0u64;
    for i in (0..order.len()).rev() {
        if i >= AHEAD {
            let u = order[i - AHEAD] as usize;
            prefetch(idom.as_ptr().wrapping_add(u));
            retained.prefetch(u);
            let d = idom[order[i - AHEAD / 2] as usize];
            retained.prefetch(d as usize);
        }
        let v = order[i];
        let r = retained.units(v);
        match idom[v as usize] {
            SUPER_ROOT => reachable_units += r,
            d => retained.add(d, r),
        }
        done += 1;
        if i & (TICK - 1) == 0 {
            progress.advance(done);
            done = 0;
        }
    }
    reachable_units
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
        let d = dominators(&g, &NoProgress).unwrap();
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
                assert_eq!(d.retained.get(v as u32), 0);
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
            assert_eq!(d.retained.get(v as u32), total, "retained of {v}");
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
        let d = dominators(&g, &NoProgress).unwrap();
        assert_eq!(d.retained.get(0), 16 * n as u64);
        assert_eq!(d.idom[(n - 1) as usize], n - 2);
        assert_eq!(d.retained.get(n - 1), 16);
    }

    #[test]
    fn retained_sizes_past_32_gib_are_exact() {
        // Three 16 GiB arrays in a chain: the head retains 48 GiB, past the 4-byte units.
        let big = 16u64 << 30;
        let g = Graph::from_edges(&[big, big, big, 8], &[(0, 1), (1, 2), (2, 3)], &[0]);
        let d = dominators(&g, &NoProgress).unwrap();
        assert_eq!(d.retained.get(0), 3 * big + 8);
        assert_eq!(d.retained.get(1), 2 * big + 8);
        assert_eq!(d.retained.get(2), big + 8);
        assert_eq!(d.retained.get(3), 8);
        assert_eq!(d.reachable_bytes, 3 * big + 8);
    }

    #[test]
    fn arrays_in_temp_files_give_the_same_dominators() {
        // A chain with every node also pointing back at node 1 (its predecessors become a
        // bitmap) and at its half (listed predecessors).
        let n = 20_000u32;
        let mut edges: Vec<(u32, u32)> = (0..n - 1).map(|v| (v, v + 1)).collect();
        edges.extend((2..n).map(|v| (v, 1)));
        edges.extend((4..n).step_by(3).map(|v| (v, v / 2)));
        let sizes: Vec<u64> = (0..n as u64).map(|v| 8 * (1 + v % 5)).collect();
        let mut g = Graph::from_edges(&sizes, &edges, &[0]);
        let mem = dominators(&g, &NoProgress).unwrap();
        assert!(!mem.idom.is_on_disk());
        let dir = tempfile::tempdir().unwrap();
        g.arrays = crate::base::arrays::Arrays::new(Some(0), Some(dir.path().to_path_buf()));
        assert!(g.arrays.plan(1));
        let disk = dominators(&g, &NoProgress).unwrap();
        assert!(disk.idom.is_on_disk());
        assert!(disk.idom == mem.idom);
        assert!(disk.retained == mem.retained);
        assert_eq!(disk.reachable_bytes, mem.reachable_bytes);
        assert!(g.arrays.take_error().is_none());
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
