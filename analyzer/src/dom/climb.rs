//! Questions about dominator subtrees answered from the immediate dominators alone, without
//! child lists: "is some dominator of this node (or the node itself) one of these?", climbing
//! the dominator chain and remembering every answer in two bits per node, so that each node
//! is climbed through once per question whatever the depth. The nodes are answered on all
//! threads: an answer depends only on the tree, so two threads that race on a node write
//! the same bits.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

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

    /// Forgets every answer (for the next question).
    pub fn clear(&mut self) {
        self.words
            .par_iter_mut()
            .with_min_len(1 << 12)
            .for_each(|w| *w.get_mut() = 0);
    }

    /// Whether `v` or one of its dominators is a hit, as far as answered by
    /// [`Memo::answer`] (a node never asked about is not).
    #[inline]
    pub fn yes(&self, v: u32) -> bool {
        self.get(v) == YES
    }

    /// Whether `x` (strongly reachable) or one of its dominators satisfies `hit`, answering
    /// every node on the way up; `path` is scratch.
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
                self.set(y, YES);
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

/// Retained bytes of each class in `classes` (others: 0), as
/// [`crate::dom::retained_classes::retained_by_class_outside`] computes them, without child
/// lists: the instances not dominated by another instance of the same class, outside the
/// subtrees rooted at `skip` (sorted node list). One pass over the nodes per class.
pub fn retained_of_classes_outside(a: &Analysis, classes: &[u32], skip: &[u32]) -> Vec<u64> {
    let mut total = vec![0u64; a.heap.classes.len()];
    if classes.is_empty() {
        return total;
    }
    let n = a.graph.len();
    let skipped = |v: u32| skip.binary_search(&v).is_ok();
    let mut memo = Memo::new(n);
    for &k in classes {
        memo.clear();
        // Counted: an instance of k, not skipped, with no dominator that is skipped or of k.
        let hit = |v: u32| a.graph.class_of(v) == k || skipped(v);
        let memo = &memo;
        total[k as usize] = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|ci| {
                let mut path = Vec::new();
                let mut sum = 0u64;
                for v in ci * CHUNK..((ci + 1) * CHUNK).min(n) {
                    let v = v as u32;
                    if a.graph.class_of(v) != k || skipped(v) {
                        continue;
                    }
                    let counted = match a.dom.idom[v as usize] {
                        NONE => false,
                        SUPER_ROOT => true,
                        d => !memo.answer(a, d, &hit, &mut path),
                    };
                    if counted {
                        sum += a.dom.retained.get(v);
                    }
                }
                sum
            })
            .sum();
    }
    total
}
