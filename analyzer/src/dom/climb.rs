//! Questions about dominator subtrees answered from the immediate dominators alone, without
//! child lists: "is some dominator of this node (or the node itself) one of these?", climbing
//! the dominator chain and remembering every answer in two bits per node, so that each node
//! is climbed through once per question whatever the depth. The nodes are answered on all
//! threads: an answer depends only on the tree, so two threads that race on a node write
//! the same bits.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::base::shared::par_scan_nodes;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;

/// A node not answered yet.
const UNKNOWN: u64 = 0;
/// The node or one of its dominators is a hit.
const YES: u64 = 1;
/// Neither the node nor any of its dominators is a hit.
const NO: u64 = 2;

/// Nodes handed to one task at a time.
const CHUNK: usize = 1 << 15;

/// The answers so far, two bits per node (32 nodes per word).
pub struct Memo {
    words: Vec<AtomicU64>,
}

impl Memo {
    /// No node answered, for `n` nodes.
    pub fn new(n: usize) -> Memo {
        Memo {
            words: (0..n.div_ceil(32)).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    #[inline]
    fn get(&self, v: u32) -> u64 {
        let v = v as usize;
        self.words[v >> 5].load(Ordering::Relaxed) >> ((v & 31) * 2) & 3
    }

    #[inline]
    fn set(&self, v: u32, answer: u64) {
        let v = v as usize;
        self.words[v >> 5].fetch_or(answer << ((v & 31) * 2), Ordering::Relaxed);
    }

    /// Forgets the answer about `v`.
    #[inline]
    fn reset(&self, v: u32) {
        let v = v as usize;
        self.words[v >> 5].fetch_and(!(3 << ((v & 31) * 2)), Ordering::Relaxed);
    }

    /// Forgets every answer (for the next question).
    pub fn clear(&self) {
        self.words
            .par_iter()
            .with_min_len(1 << 12)
            .for_each(|w| w.store(0, Ordering::Relaxed));
    }

    /// Whether `v` or one of its dominators is a hit, as far as answered by
    /// [`Memo::answer`] (a node never asked about is not).
    #[inline]
    pub fn yes(&self, v: u32) -> bool {
        self.get(v) == YES
    }

    /// Whether `x` (strongly reachable) or one of its dominators satisfies `hit`, answering
    /// every node on the way up; `path` is left holding the nodes this call answered.
    pub fn answer(
        &self,
        a: &Analysis,
        x: u32,
        hit: &impl Fn(u32) -> bool,
        path: &mut Vec<u32>,
    ) -> bool {
        path.clear();
        let mut y = x;
        let found = loop {
            match self.get(y) {
                YES => break true,
                NO => break false,
                _ => {}
            }
            if hit(y) {
                path.push(y);
                break true;
            }
            path.push(y);
            match a.dom.idom[y as usize] {
                SUPER_ROOT | NONE => break false,
                d => y = d,
            }
        };
        let answer = if found { YES } else { NO };
        for &p in path.iter() {
            self.set(p, answer);
        }
        found
    }

    /// Answers every strongly reachable node, on all threads.
    pub fn answer_all(&self, a: &Analysis, hit: &(impl Fn(u32) -> bool + Sync)) {
        let n = a.graph.len();
        (0..n.div_ceil(CHUNK)).into_par_iter().for_each(|ci| {
            let mut path = Vec::new();
            for v in ci * CHUNK..((ci + 1) * CHUNK).min(n) {
                let v = v as u32;
                if a.dom.idom[v as usize] != NONE && self.get(v) == UNKNOWN {
                    self.answer(a, v, hit, &mut path);
                }
            }
        });
    }
}

/// Instances gathered at once by [`retained_of_classes_outside`], at most (a class with more
/// is gathered alone): 4 bytes each, twice while they are sorted by class.
const BATCH: u64 = 1 << 23;

/// Retained bytes of each class in `classes` (others: 0), as
/// [`crate::dom::retained_classes::retained_by_class_outside`] computes them, without child
/// lists: the instances not dominated by another instance of the same class, outside the
/// subtrees rooted at `skip` (sorted node list). The instances of the classes are gathered in
/// batches of at most 8 M (one pass over the nodes per batch), and each class climbs from its
/// own instances, with one memo whose answers are forgotten between classes.
pub fn retained_of_classes_outside(a: &Analysis, classes: &[u32], skip: &[u32]) -> Vec<u64> {
    let mut total = vec![0u64; a.heap.classes.len()];
    if classes.is_empty() {
        return total;
    }
    let n = a.graph.len();
    let skipped = |v: u32| skip.binary_search(&v).is_ok();
    // The position of each class in `classes`, by class index.
    let mut slot = vec![u32::MAX; a.heap.classes.len()];
    for (i, &k) in classes.iter().enumerate() {
        slot[k as usize] = i as u32;
    }
    let slot_of = |v: u32| match a.graph.class_of(v) {
        NONE => u32::MAX,
        k => slot[k as usize],
    };
    let mut counts = vec![0u64; classes.len()];
    for k in a.graph.classes() {
        if k != NONE && slot[k as usize] != u32::MAX {
            counts[slot[k as usize] as usize] += 1;
        }
    }
    let memo = Memo::new(n);
    let mut first = 0;
    while first < classes.len() {
        let (mut last, mut sum) = (first + 1, counts[first]);
        while last < classes.len() && sum + counts[last] <= BATCH {
            sum += counts[last];
            last += 1;
        }
        let batch = first as u32..last as u32;
        let nodes = par_scan_nodes(n, |v, out| {
            if batch.contains(&slot_of(v)) && !skipped(v) {
                out.push(v);
            }
        });
        // The batch's instances grouped by class (counting sort, node order within a class).
        let mut starts = vec![0usize; last - first + 1];
        for &v in &nodes {
            starts[slot_of(v) as usize - first + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut grouped = vec![0u32; nodes.len()];
        let mut fill = starts.clone();
        for &v in &nodes {
            let s = slot_of(v) as usize - first;
            grouped[fill[s]] = v;
            fill[s] += 1;
        }
        drop(nodes);
        for s in first..last {
            let k = classes[s];
            let instances = &grouped[starts[s - first]..starts[s - first + 1]];
            total[k as usize] = class_total(a, &memo, k, instances, &skipped);
        }
        first = last;
    }
    total
}

/// The retained bytes of the `instances` of class `k` (none skipped) that have no dominator
/// of class `k` or skipped; leaves `memo` with no answer.
fn class_total(
    a: &Analysis,
    memo: &Memo,
    k: u32,
    instances: &[u32],
    skipped: &(impl Fn(u32) -> bool + Sync),
) -> u64 {
    let hit = |v: u32| a.graph.class_of(v) == k || skipped(v);
    // The answered nodes, to forget them afterwards; past a bound, the whole memo is cleared.
    let limit = a.graph.len() / 64;
    let noted = AtomicU64::new(0);
    let (sum, touched) = instances
        .par_chunks(CHUNK)
        .map(|chunk| {
            let (mut path, mut touched, mut sum) = (Vec::new(), Vec::new(), 0u64);
            for &v in chunk {
                let counted = match a.dom.idom[v as usize] {
                    NONE => false,
                    SUPER_ROOT => true,
                    d => !memo.answer(a, d, &hit, &mut path),
                };
                if noted.fetch_add(path.len() as u64, Ordering::Relaxed) < limit as u64 {
                    touched.extend_from_slice(&path);
                }
                if counted {
                    sum += a.dom.retained.get(v);
                }
            }
            (sum, touched)
        })
        .reduce(
            || (0, Vec::new()),
            |(s, mut t), (s2, t2)| {
                t.extend(t2);
                (s + s2, t)
            },
        );
    if noted.load(Ordering::Relaxed) < limit as u64 {
        for v in touched {
            memo.reset(v);
        }
    } else {
        memo.clear();
    }
    sum
}
