//! `hprofscan dominators`: the biggest retainers as a tree.

use crate::base::id::ObjectId;
use rustc_hash::FxHashMap;
use serde::Serialize;

use hprof_parser::RootKind;

use crate::base::shared::{par_scan_nodes, NodeFilter};
use crate::dom::analysis::{Analysis, HeapSummary};
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::load::dump::DumpMeta;
use crate::query::objects::{edge_label, locate, node_class, node_kind, NodeKind};

/// Options of the dominator report.
#[derive(Clone, Debug)]
pub struct DominatorOptions {
    /// Children shown per node.
    pub top: usize,
    /// Levels below the roots shown (1 = only the top retainers).
    pub depth: usize,
    /// Hide nodes retaining less than this share of the reachable heap.
    pub min_share: f64,
}

impl Default for DominatorOptions {
    fn default() -> Self {
        DominatorOptions {
            top: 10,
            depth: 4,
            min_share: 0.01,
        }
    }
}

/// One node of the shown tree.
#[derive(Clone, Debug, Serialize)]
pub struct DomNode {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Class (for a class object: the class it stands for).
    pub class: String,
    /// What the node is.
    pub kind: NodeKind,
    /// How the parent holds it: `.field`, `[index]`, `.FIELD (static)`; for top-level nodes,
    /// the GC root kinds (`gc root: sticky_class`); None when the dominator does not
    /// reference it directly.
    pub via: Option<String>,
    /// Shallow bytes.
    pub shallow_bytes: u64,
    /// Retained bytes.
    pub retained_bytes: u64,
    /// Retained bytes / reachable bytes.
    pub share: f64,
    /// Biggest dominated nodes.
    pub children: Vec<DomNode>,
    /// Dominated nodes not shown (over --top or under --min-share).
    pub children_omitted: u64,
}

/// `hprofscan/dominators/1`.
#[derive(Clone, Debug, Serialize)]
pub struct DominatorReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Heap totals.
    pub heap: HeapSummary,
    /// The biggest retainers (children of the virtual super-root).
    pub tree: Vec<DomNode>,
    /// Top-level retainers not shown.
    pub roots_omitted: u64,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// The dominator-tree children of each of `parents` (nodes, or [`SUPER_ROOT`]), each list in
/// node order, by one parallel scan of `idom`: the reports look at a few levels of the tree,
/// which does not justify child lists for all of it (8 bytes a node).
pub fn children_of(a: &Analysis, parents: &[u32]) -> FxHashMap<u32, Vec<u32>> {
    let wanted = NodeFilter::new(parents.iter().copied());
    let idom = &a.dom.idom;
    let hits = par_scan_nodes(idom.len(), |v, out| {
        let d = idom[v as usize];
        if d != NONE && wanted.contains(d) {
            out.push((d, v));
        }
    });
    let mut out: FxHashMap<u32, Vec<u32>> = parents.iter().map(|&p| (p, Vec::new())).collect();
    for (d, v) in hits {
        if let Some(list) = out.get_mut(&d) {
            list.push(v);
        }
    }
    out
}

/// GC root kinds of node `v`, as `gc root: java_frame, thread_object`.
pub fn root_label(a: &Analysis, v: u32) -> Option<String> {
    if a.graph.classes_as_roots && a.graph.class_object(v).is_some() {
        return Some("class (standing in for the missing GC roots)".into());
    }
    let mut kinds: Vec<RootKind> = a
        .graph
        .roots
        .iter()
        .filter(|&&(n, _)| n == v)
        .filter_map(|&(_, i)| a.heap.census.roots.get(i as usize).map(|r| r.kind))
        .collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return None;
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.key()).collect();
    Some(format!("gc root: {}", names.join(", ")))
}

/// Builds the report.
pub fn dominator_report(a: &Analysis, opts: &DominatorOptions) -> DominatorReport {
    let (nodes, top_idx, roots_omitted) = select(a, opts);
    let labels = labels(a, &nodes);
    DominatorReport {
        schema: "hprofscan/dominators/1",
        dump: a.heap.dump.meta(),
        heap: a.summary(),
        tree: top_idx
            .iter()
            .map(|&i| build(a, &nodes, &labels, i))
            .collect(),
        roots_omitted,
        warnings: a.warnings(),
    }
}

/// A node picked for the tree, before it is labelled.
struct Pending {
    node: u32,
    parent: u32,
    children: Vec<usize>,
    omitted: u64,
}

/// Picks the tree level by level: at each level the biggest children over the size floor;
/// returns the nodes, the indices of the top level, and how many top-level nodes were left out.
fn select(a: &Analysis, opts: &DominatorOptions) -> (Vec<Pending>, Vec<usize>, u64) {
    let min_bytes = (opts.min_share * a.dom.reachable_bytes as f64).ceil() as u64;
    let mut nodes: Vec<Pending> = Vec::new();
    let mut level: Vec<u32> = vec![SUPER_ROOT];
    let mut level_idx: Vec<Option<usize>> = vec![None];
    let mut top_idx: Vec<usize> = Vec::new();
    let mut roots_omitted = 0;
    let by_retained = |x: &u32, y: &u32| {
        a.dom
            .retained
            .get(*y)
            .cmp(&a.dom.retained.get(*x))
            .then(x.cmp(y))
    };
    for _ in 0..opts.depth.max(1) {
        let mut next = Vec::new();
        let mut next_idx = Vec::new();
        let lists = children_of(a, &level);
        for (p, pi) in level.iter().zip(level_idx.iter()) {
            let all = &lists[p];
            let mut shown: Vec<u32> = all
                .iter()
                .copied()
                .filter(|&c| a.dom.retained.get(c) >= min_bytes)
                .collect();
            // Only the biggest few are shown: select them before sorting.
            if shown.len() > opts.top {
                shown.select_nth_unstable_by(opts.top - 1, by_retained);
                shown.truncate(opts.top);
            }
            shown.sort_unstable_by(by_retained);
            let omitted = (all.len() - shown.len()) as u64;
            for c in shown {
                let i = nodes.len();
                nodes.push(Pending {
                    node: c,
                    parent: *p,
                    children: Vec::new(),
                    omitted: 0,
                });
                match pi {
                    Some(pi) => nodes[*pi].children.push(i),
                    None => top_idx.push(i),
                }
                next.push(c);
                next_idx.push(Some(i));
            }
            match pi {
                Some(pi) => nodes[*pi].omitted = omitted,
                None => roots_omitted = omitted,
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
        level_idx = next_idx;
    }
    // Nodes at the depth limit: say how many nodes they dominate directly, though none shown.
    let lists = children_of(a, &level);
    for (p, pi) in level.iter().zip(level_idx.iter()) {
        if let Some(pi) = pi {
            if nodes[*pi].children.is_empty() {
                nodes[*pi].omitted = lists[p].len() as u64;
            }
        }
    }
    (nodes, top_idx, roots_omitted)
}

/// The label of each node: its GC root kinds, or the field of its parent that references it
/// (all parents read in one locate pass).
fn labels(a: &Analysis, nodes: &[Pending]) -> Vec<Option<String>> {
    let parents: Vec<u32> = nodes
        .iter()
        .map(|n| n.parent)
        .filter(|&p| p != SUPER_ROOT)
        .collect();
    let offsets = locate(a, &parents);
    nodes
        .iter()
        .map(|n| {
            if n.parent == SUPER_ROOT {
                root_label(a, n.node)
            } else {
                edge_label(a, n.parent, n.node, &offsets)
            }
        })
        .collect()
}

fn build(a: &Analysis, nodes: &[Pending], labels: &[Option<String>], i: usize) -> DomNode {
    // Depth is bounded by --depth, so this recursion is shallow.
    let n = &nodes[i];
    let retained = a.dom.retained.get(n.node);
    DomNode {
        id: ObjectId(a.graph.ids.id(n.node)),
        class: node_class(a, n.node),
        kind: node_kind(a, n.node),
        via: labels[i].clone(),
        shallow_bytes: a.graph.shallow(n.node),
        retained_bytes: retained,
        share: a.share(retained),
        children: n
            .children
            .iter()
            .map(|&c| build(a, nodes, labels, c))
            .collect(),
        children_omitted: n.omitted,
    }
}
