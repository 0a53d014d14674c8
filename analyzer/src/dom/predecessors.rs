//! The predecessor lists of the semi-dominator step ([`super::dominators`]): which nodes
//! need one, and their predecessors as lists of preorder numbers or bitmaps, built in two
//! parallel passes over the edges.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::base::progress::Progress;
use crate::base::shared::{as_atomic, as_atomic_u64, Scatter};
use crate::base::store::Store;
use crate::graph::ids::NONE;
use crate::graph::object_graph::{Graph, MAX_REFERENCES};
use crate::AnalyzeError;

use rayon::prelude::*;

/// The predecessor lists the semi-dominator step needs, in preorder space.
///
/// Most heap objects have exactly one referrer, their DFS parent, which is then their
/// semi-dominator whatever else happens; a GC root has the super-root as semi-dominator. So
/// only the other nodes (several predecessors, not a root) keep a list, and a root keeps an
/// empty one with the super-root (0) as `first`. A predecessor that precedes its node in preorder is its own candidate
/// for the semi-dominator (it is not yet linked when the node is processed), so only the
/// smallest of them is kept (`first`); the rest of the list are the predecessors that come
/// later in preorder. On a 47 M-object dump that is a few thousand lists.
///
/// The later predecessors of a node `w` are a list of preorder numbers, or, when that is
/// smaller (a class object and its millions of instances), a bitmap over the numbers after `w`.
pub(super) struct Preds {
    /// Preorder numbers of the nodes with a list, increasing.
    pub(super) nodes: Vec<u32>,
    /// The smallest predecessor before each node in preorder (its DFS parent if no other; the
    /// super-root, 0, for a root).
    pub(super) first: Vec<u32>,
    /// `sources[offsets[k]..offsets[k + 1]]` are the later predecessors of `nodes[k]` when
    /// listed (else an empty range).
    pub(super) offsets: Vec<u32>,
    /// Preorder numbers of the listed later predecessors (in a temp file under
    /// `--max-memory`).
    pub(super) sources: Store<u32>,
    /// `bits[words[k]..words[k + 1]]` are the later predecessors of `nodes[k]` as a bitmap
    /// (bit `i` for preorder number `nodes[k] + 1 + i`) when not listed (else an empty range).
    pub(super) words: Vec<usize>,
    /// The bitmaps (set from several threads while filled; in a temp file under
    /// `--max-memory`).
    pub(super) bits: Store<u64>,
}

impl Preds {
    /// Bytes held in memory (the sources and bitmaps count 0 in temp files).
    pub(super) fn memory_bytes(&self) -> usize {
        4 * (self.nodes.len() + self.first.len() + self.offsets.len())
            + 8 * self.words.len()
            + self.sources.memory_bytes()
            + self.bits.memory_bytes()
    }

    /// Calls `f` for the later predecessors of the list `k`, in order, while it returns true.
    #[inline]
    pub(super) fn for_each_later(&self, k: usize, mut f: impl FnMut(u32) -> bool) {
        for &v in &self.sources[self.offsets[k] as usize..self.offsets[k + 1] as usize] {
            if !f(v) {
                return;
            }
        }
        let base = self.nodes[k] + 1;
        for (j, word) in self.bits[self.words[k]..self.words[k + 1]]
            .iter()
            .enumerate()
        {
            let mut b = *word;
            while b != 0 {
                if !f(base + (j * 64) as u32 + b.trailing_zeros()) {
                    return;
                }
                b &= b - 1;
            }
        }
    }
}

/// A list index that marks a node whose list is not stored.
const NO_LIST: u32 = u32::MAX;

/// Builds the predecessor lists on all threads from what the search counted: `later`, each
/// node's number of later predecessors (it becomes the node's list index), and `early`, the
/// bits of the nodes with an earlier predecessor other than their DFS parent. One pass over
/// the edges fills the lists; the order within one list depends on scheduling, semi-dominators
/// (a minimum over the list) and so the result do not.
pub(super) fn predecessors(
    g: &Graph,
    (pre_of, parent): (&[u32], &[u32]),
    (later, early): (&mut [u32], Store<u64>),
    progress: &dyn Progress,
) -> Result<Preds, AnalyzeError> {
    let m = parent.len();
    let mut root_bits = g.arrays.filled(m.div_ceil(64), 0u64);
    for &(r, _) in &g.roots {
        let w = pre_of[r as usize] as usize;
        root_bits[w >> 6] |= 1 << (w & 63);
    }
    let count = as_atomic(later);
    let mut preds = list_layout(g, &root_bits, &early, count)?;
    drop(early);
    fill_lists(g, (pre_of, parent), &root_bits, count, &mut preds, progress);
    Ok(preds)
}

/// Whether bit `w` of `bits` is set.
#[inline]
pub(super) fn bit(bits: &[u64], w: usize) -> bool {
    bits[w >> 6] >> (w & 63) & 1 == 1
}

/// The kept lists, empty: for each, a range of `sources` (4 bytes per later predecessor) or
/// of `bits` (one bit per later preorder number), whichever is smaller. Each kept node's
/// counter becomes its list index, the others' [`NO_LIST`]. The sources and bitmaps come from
/// `g.arrays`. Fails when the listed entries do not fit the `u32` offsets.
fn list_layout(
    g: &Graph,
    root_bits: &[u64],
    early: &[u64],
    count: &[AtomicU32],
) -> Result<Preds, AnalyzeError> {
    let m = count.len();
    let is_early = |w: usize| bit(early, w);
    let mut p = Preds {
        nodes: Vec::new(),
        first: Vec::new(),
        offsets: vec![0],
        sources: Store::default(),
        words: vec![0],
        bits: Store::default(),
    };
    let (mut listed, mut words) = (0u64, 0usize);
    for (w, c) in count.iter().enumerate().skip(1) {
        let later = c.load(Ordering::Relaxed);
        let root = bit(root_bits, w);
        if !root && later == 0 && !is_early(w) {
            c.store(NO_LIST, Ordering::Relaxed);
            continue;
        }
        c.store(p.nodes.len() as u32, Ordering::Relaxed);
        p.nodes.push(w as u32);
        let later = if root { 0 } else { later as u64 };
        let span = (m - w - 1).div_ceil(64);
        if later > 0 && 8 * span < 4 * later as usize {
            words += span;
        } else {
            listed += later;
        }
        p.offsets.push(listed as u32);
        p.words.push(words);
    }
    if listed > MAX_REFERENCES {
        return Err(AnalyzeError::TooLarge {
            what: "predecessor list entries",
            count: listed,
            limit: MAX_REFERENCES,
        });
    }
    p.sources = g.arrays.filled(listed as usize, 0u32);
    p.bits = g.arrays.filled(words, 0u64);
    Ok(p)
}

/// The filling pass of [`predecessors`]: the later predecessors of every kept list, and the
/// smallest earlier one.
fn fill_lists(
    g: &Graph,
    (pre_of, parent): (&[u32], &[u32]),
    root_bits: &[u64],
    count: &[AtomicU32],
    preds: &mut Preds,
    progress: &dyn Progress,
) {
    // Per list: the fill cursor of the later predecessors, and the smallest earlier one (the
    // DFS parent to begin with; the super-root for a root).
    let cursor: Vec<AtomicU32> = preds.offsets.iter().map(|&o| AtomicU32::new(o)).collect();
    let first: Vec<AtomicU32> = preds
        .nodes
        .iter()
        .map(|&w| {
            AtomicU32::new(if bit(root_bits, w as usize) {
                0
            } else {
                parent[w as usize]
            })
        })
        .collect();
    // Only the edges into a kept list that is not a root's matter (a few thousand nodes of
    // millions): a bitmap over the nodes says which, so that the pass reads the preorder
    // number of no other target.
    let mut kept = g.arrays.filled(pre_of.len().div_ceil(64).max(1), 0u64);
    {
        let mut listed = vec![0u64; count.len().div_ceil(64)];
        for &w in &preds.nodes {
            let w = w as usize;
            if !bit(root_bits, w) {
                listed[w >> 6] |= 1 << (w & 63);
            }
        }
        node_bits(pre_of, &listed, &mut kept);
    }
    {
        let (offsets, words, nodes) = (&preds.offsets, &preds.words, &preds.nodes);
        let out = Scatter::new(&mut preds.sources);
        let bits = as_atomic_u64(&mut preds.bits);
        par_edges_into(g, pre_of, &kept, progress, |p, w| {
            let k = count[w].load(Ordering::Relaxed) as usize;
            if k == NO_LIST as usize || bit(root_bits, w) {
                return;
            }
            if p as usize <= w {
                first[k].fetch_min(p, Ordering::Relaxed);
            } else if offsets[k] < offsets[k + 1] {
                let slot = cursor[k].fetch_add(1, Ordering::Relaxed);
                // SAFETY: fetch_add hands every slot to exactly one writer, and the counting
                // pass sized each listed range for exactly its later predecessors.
                unsafe { out.write(slot as usize, p) };
            } else {
                let i = (p - nodes[k] - 1) as usize;
                bits[words[k] + (i >> 6)].fetch_or(1 << (i & 63), Ordering::Relaxed);
            }
        });
    }
    preds.first = first.into_iter().map(AtomicU32::into_inner).collect();
}

/// The bits, over nodes, of the reached nodes whose preorder number has its bit set in
/// `pre_bits`, into `out` (one bit per node; every word is written): one parallel pass over
/// `pre_of`.
pub(super) fn node_bits(pre_of: &[u32], pre_bits: &[u64], out: &mut [u64]) {
    const WORDS: usize = 1 << 10;
    out.par_chunks_mut(WORDS)
        .enumerate()
        .for_each(|(ci, words)| {
            for (j, word) in words.iter_mut().enumerate() {
                let lo = (ci * WORDS + j) * 64;
                let hi = (lo + 64).min(pre_of.len());
                let mut x = 0u64;
                for (i, &p) in pre_of[lo.min(hi)..hi].iter().enumerate() {
                    if p != NONE && bit(pre_bits, p as usize) {
                        x |= 1 << i;
                    }
                }
                *word = x;
            }
        });
}

/// Calls `f(p, w)` for every edge of the reached graph into a node whose bit is set in
/// `into` (over nodes, see [`node_bits`]), as preorder numbers (source `p`, target `w`), on
/// all threads, going through the sources in node order (the CSR arrays are then read in
/// order); `progress` advances by each chunk's reached nodes. The preorder number of a target
/// is read only when its bit is set: a bitmap of a few MiB in cache instead of a read at
/// random from an array of 4 bytes per node for every edge.
pub(super) fn par_edges_into(
    g: &Graph,
    pre_of: &[u32],
    into: &[u64],
    progress: &dyn Progress,
    f: impl Fn(u32, usize) + Sync,
) {
    const CHUNK: usize = 1 << 15;
    pre_of
        .par_chunks(CHUNK)
        .enumerate()
        .for_each(|(ci, chunk)| {
            let lo = ci * CHUNK;
            // The references of the chunk's nodes in one walk, then their class edges.
            g.for_each_refs_in(lo as u32, (lo + chunk.len()) as u32, |v, refs| {
                let p = chunk[v as usize - lo];
                if p != NONE {
                    for &w in refs {
                        if bit(into, w as usize) {
                            f(p, pre_of[w as usize] as usize);
                        }
                    }
                }
            });
            let mut reached = 0;
            for (k, &p) in chunk.iter().enumerate() {
                if p == NONE {
                    continue;
                }
                reached += 1;
                if let Some(c) = g.class_edge((lo + k) as u32) {
                    if bit(into, c as usize) {
                        f(p, pre_of[c as usize] as usize);
                    }
                }
            }
            progress.advance(reached);
        });
}
