//! Retained bytes per class, as MAT computes them: the sum of the retained sizes of the
//! class's instances that are not dominated by another instance of the same class (so a
//! linked list's nodes are not counted once per node above them).

use crate::analysis::Analysis;
use crate::dominators::SUPER_ROOT;
use crate::graph::NONE;

/// Retained bytes per class index.
pub fn retained_by_class(a: &Analysis) -> Vec<u64> {
    let n = a.graph.len();
    let idom = &a.dom.idom;
    // Dominator-tree children as CSR; the super-root is index n.
    let parent_of = |v: usize| -> Option<usize> {
        match idom[v] {
            NONE => None,
            SUPER_ROOT => Some(n),
            d => Some(d as usize),
        }
    };
    let mut start = vec![0u32; n + 2];
    for v in 0..n {
        if let Some(p) = parent_of(v) {
            start[p + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut fill = start.clone();
    let mut kids = vec![0u32; start[n + 1] as usize];
    for v in 0..n {
        if let Some(p) = parent_of(v) {
            kids[fill[p] as usize] = v as u32;
            fill[p] += 1;
        }
    }
    drop(fill);
    let classes = a.heap.classes.len();
    let mut open = vec![0u32; classes];
    let mut total = vec![0u64; classes];
    // Iterative DFS: (node, next child position); entering counts the class as open.
    let mut stack: Vec<(u32, u32)> = vec![(n as u32, start[n])];
    while let Some(top) = stack.last_mut() {
        let (v, pos) = *top;
        if pos < start[v as usize + 1] {
            top.1 += 1;
            let c = kids[pos as usize];
            let k = a.graph.class_of[c as usize];
            if k != NONE {
                if open[k as usize] == 0 {
                    total[k as usize] += a.dom.retained[c as usize];
                }
                open[k as usize] += 1;
            }
            stack.push((c, start[c as usize]));
        } else {
            stack.pop();
            if (v as usize) < n {
                let k = a.graph.class_of[v as usize];
                if k != NONE {
                    open[k as usize] -= 1;
                }
            }
        }
    }
    total
}
