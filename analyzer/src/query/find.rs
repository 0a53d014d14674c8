//! The small batched questions every analysis asks of the heap: the instances of a set of
//! classes, the referrers of a set of nodes, objects re-read from the dump in one pass, and
//! their fields.
//!
//! Every helper works on a few thousand candidate objects at most: one parallel scan of the
//! class array finds them, and each batch of re-reads is one [`crate::query::objects::locate`]
//! pass.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::base::shared::{par_scan_nodes, par_scan_ranges, NodeFilter};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::objects::{locate, read_object, ObjectView};

/// For every class, the index in `names` of the first of them it is or extends (walking the
/// super chain), or `None`.
pub(crate) fn subclass_table(a: &Analysis, names: &[&str]) -> Vec<Option<usize>> {
    let classes = &a.heap.classes;
    let direct: Vec<Option<usize>> = classes
        .iter()
        .map(|c| names.iter().position(|n| *n == c.name))
        .collect();
    // Memoised over the hierarchy: linear in the number of classes, whatever its depth.
    classes.inherited(|ci| direct[ci as usize])
}

/// The instances (class objects excluded) of the classes marked in `wanted`, in node order:
/// one parallel scan of the class array.
pub(crate) fn instances_of(a: &Analysis, wanted: &[bool]) -> Vec<u32> {
    if !wanted.iter().any(|&w| w) {
        return Vec::new();
    }
    let g = &a.graph;
    let class_class = a.heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
    par_scan_nodes(g.len(), |v, out| {
        let k = g.class_of(v);
        if k != NONE && k != class_class && wanted[k as usize] {
            out.push(v);
        }
    })
}

/// The direct strong referrers of `targets` as (referrer, target) pairs, in referrer order: one
/// parallel scan of the references (the implicit edge to a class object is not included).
pub(crate) fn referrers(a: &Analysis, targets: impl IntoIterator<Item = u32>) -> Vec<(u32, u32)> {
    let wanted = NodeFilter::new(targets);
    if wanted.is_empty() {
        return Vec::new();
    }
    par_scan_ranges(a.graph.len(), |lo, hi, out| {
        a.graph.for_each_refs_in(lo, hi, |v, refs| {
            for &w in refs {
                if wanted.contains(w) {
                    out.push((v, w));
                }
            }
        })
    })
}

/// Re-reads `nodes` from the dump in one pass.
pub(crate) fn views(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, ObjectView> {
    let offs = locate(a, nodes);
    offs.into_iter()
        .filter_map(|(v, o)| read_object(a, o, false).map(|view| (v, view)))
        .collect()
}

/// The node a reference field of `view` points to.
pub(crate) fn ref_node(a: &Analysis, view: &ObjectView, field: &str) -> Option<u32> {
    view.reference(field).and_then(|id| a.graph.ids.get(id))
}

/// A boolean field (false when absent).
pub(crate) fn flag(view: &ObjectView, field: &str) -> bool {
    view.field(field)
        .is_some_and(|f| f.ty == BasicType::Boolean && f.raw != 0)
}

/// The object id of node `v`.
pub(crate) fn object_id(a: &Analysis, v: u32) -> crate::base::id::ObjectId {
    crate::base::id::ObjectId(a.graph.ids.id(v))
}
