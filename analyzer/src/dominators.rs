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

use crate::graph::{Graph, NONE};

/// The virtual super-root, as a value of [`Dominators::idom`].
pub const SUPER_ROOT: u32 = u32::MAX - 1;

/// Dominators and retained sizes of every node.
pub struct Dominators {
    /// Immediate dominator of each node: a node, [`SUPER_ROOT`], or [`NONE`] when the node is
    /// not strongly reachable.
    pub idom: Vec<u32>,
    /// Retained bytes of each node (0 when not strongly reachable).
    pub retained: Vec<u64>,
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
    pre_of: Vec<u32>,
    /// Node at each preorder number (index 0: the super-root, stored as [`SUPER_ROOT`]).
    node_of: Vec<u32>,
    /// Preorder number of each preorder number's DFS-tree parent.
    parent: Vec<u32>,
}

fn depth_first(g: &Graph) -> Dfs {
    let n = g.len();
    let mut pre_of = vec![NONE; n];
    let mut node_of = Vec::with_capacity(n / 2 + 1);
    let mut parent = Vec::with_capacity(n / 2 + 1);
    node_of.push(SUPER_ROOT);
    parent.push(0);
    // Stack of (node, next successor position); position refs.len() is the class edge.
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for &(r, _) in &g.roots {
        if pre_of[r as usize] != NONE {
            continue;
        }
        pre_of[r as usize] = node_of.len() as u32;
        node_of.push(r);
        parent.push(0);
        stack.push((r, 0));
        while let Some(top) = stack.last_mut() {
            let (v, pos) = *top;
            let refs = g.refs(v);
            let w = if (pos as usize) < refs.len() {
                top.1 += 1;
                refs[pos as usize]
            } else if pos as usize == refs.len() {
                top.1 += 1;
                match g.class_edge(v) {
                    Some(c) => c,
                    None => continue,
                }
            } else {
                stack.pop();
                continue;
            };
            if pre_of[w as usize] == NONE {
                let p = pre_of[v as usize];
                pre_of[w as usize] = node_of.len() as u32;
                node_of.push(w);
                parent.push(p);
                stack.push((w, 0));
            }
        }
    }
    Dfs {
        pre_of,
        node_of,
        parent,
    }
}

/// Predecessors in preorder space, as CSR (offsets, sources).
fn predecessors(g: &Graph, dfs: &Dfs) -> (Vec<u32>, Vec<u32>) {
    let m = dfs.node_of.len();
    let mut count = vec![0u32; m + 1];
    for &(r, _) in &g.roots {
        count[dfs.pre_of[r as usize] as usize + 1] += 1;
    }
    for &v in &dfs.node_of[1..] {
        g.for_each_successor(v, |w| count[dfs.pre_of[w as usize] as usize + 1] += 1);
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    let total = count[m] as usize;
    let mut fill = count.clone();
    let mut src = vec![0u32; total];
    for &(r, _) in &g.roots {
        let w = dfs.pre_of[r as usize] as usize;
        src[fill[w] as usize] = 0;
        fill[w] += 1;
    }
    for (p, &v) in dfs.node_of.iter().enumerate().skip(1) {
        g.for_each_successor(v, |w| {
            let w = dfs.pre_of[w as usize] as usize;
            src[fill[w] as usize] = p as u32;
            fill[w] += 1;
        });
    }
    (count, src)
}

/// Semi-NCA over preorder numbers. Returns the immediate dominator of each preorder number.
fn semi_nca(dfs: &Dfs, pred_off: &[u32], preds: &[u32]) -> Vec<u32> {
    let m = dfs.node_of.len();
    let mut ancestor = dfs.parent.clone();
    let mut idom = dfs.parent.clone();
    let mut semi: Vec<u32> = (0..m as u32).collect();
    let mut label: Vec<u32> = (0..m as u32).collect();
    let mut stack: Vec<u32> = Vec::new();
    for w in (1..m).rev() {
        let mut s = dfs.parent[w];
        let last_linked = w as u32 + 1;
        for &v in &preds[pred_off[w] as usize..pred_off[w + 1] as usize] {
            let l = eval(v, last_linked, &mut ancestor, &mut label, &semi, &mut stack);
            s = s.min(semi[l as usize]);
        }
        semi[w] = s;
    }
    for w in 1..m {
        let mut d = idom[w];
        while d > semi[w] {
            d = idom[d as usize];
        }
        idom[w] = d;
    }
    idom
}

/// The node with the smallest semi-dominator on the forest path above `v` (path-compressing).
#[inline]
fn eval(
    v: u32,
    last_linked: u32,
    ancestor: &mut [u32],
    label: &mut [u32],
    semi: &[u32],
    stack: &mut Vec<u32>,
) -> u32 {
    if ancestor[v as usize] < last_linked {
        return label[v as usize];
    }
    stack.clear();
    let mut u = v;
    loop {
        stack.push(u);
        u = ancestor[u as usize];
        if ancestor[u as usize] < last_linked {
            break;
        }
    }
    // u is the last linked ancestor; compress the path from the top down.
    let mut p = u;
    let mut p_label = label[p as usize];
    while let Some(x) = stack.pop() {
        let x_label = label[x as usize];
        if semi[p_label as usize] < semi[x_label as usize] {
            label[x as usize] = p_label;
        } else {
            p_label = x_label;
        }
        ancestor[x as usize] = ancestor[p as usize];
        p = x;
    }
    label[v as usize]
}

/// Computes dominators, retained sizes and reachability of `g`.
pub fn dominators(g: &Graph) -> Dominators {
    let n = g.len();
    let dfs = depth_first(g);
    let (pred_off, preds) = predecessors(g, &dfs);
    let idom_pre = semi_nca(&dfs, &pred_off, &preds);
    drop(preds);
    drop(pred_off);
    let m = dfs.node_of.len();

    // Retained sizes bottom-up in reverse preorder (a dominator precedes what it dominates).
    let mut ret_pre: Vec<u64> = Vec::with_capacity(m);
    ret_pre.push(0);
    ret_pre.extend(dfs.node_of[1..].iter().map(|&v| g.shallow(v)));
    for w in (1..m).rev() {
        let d = idom_pre[w] as usize;
        ret_pre[d] += ret_pre[w];
    }
    let mut idom = vec![NONE; n];
    let mut retained = vec![0u64; n];
    for w in 1..m {
        let v = dfs.node_of[w] as usize;
        let d = idom_pre[w];
        idom[v] = if d == 0 {
            SUPER_ROOT
        } else {
            dfs.node_of[d as usize]
        };
        retained[v] = ret_pre[w];
    }
    let reachable = (m - 1) as u64;
    let reachable_bytes = ret_pre[0];
    drop(ret_pre);
    drop(idom_pre);

    let (weakly_reachable, weakly_reachable_bytes) = weak_reach(g, &dfs.pre_of);
    let all_bytes: u64 = (0..n as u32).map(|v| g.shallow(v)).sum();
    let unreachable = n as u64 - reachable - weakly_reachable;
    let unreachable_bytes = all_bytes - reachable_bytes - weakly_reachable_bytes;
    Dominators {
        idom,
        retained,
        reachable,
        reachable_bytes,
        weakly_reachable,
        weakly_reachable_bytes,
        unreachable,
        unreachable_bytes,
    }
}

/// Nodes not strongly reachable but reachable once referents count: (count, bytes).
fn weak_reach(g: &Graph, pre_of: &[u32]) -> (u64, u64) {
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
        if pre_of[w as usize] == NONE && !seen[w as usize] {
            seen[w as usize] = true;
            queue.push(w);
        }
    };
    for &(s, t) in &weak {
        if pre_of[s as usize] != NONE {
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
        let d = dominators(&g);
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
        let d = dominators(&g);
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
