//! Cursors into linked collections: a thread's frame that holds an iterator over a
//! `LinkedHashMap`, a `LinkedList` or a linked queue (or one of its entries) at the time of the
//! dump reaches every node after it through the links (every node, for doubly linked ones). The
//! collection then dominates none of those nodes, and its retained bytes miss its entries. The
//! detectors count them back: what the collection would retain without the cursor.

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, is_jdk_class, CollectionSpec, Shape};
use crate::query::find::instances_of;

use super::dominated_by;

/// Whether collections of `spec` keep their entries in linked nodes.
fn linked(spec: &CollectionSpec) -> bool {
    matches!(spec.shape, Shape::Linked) || spec.class == "java.util.LinkedHashMap"
}

/// The first of `nodes` that is a linked JDK node of collection `c` (of `spec`) which `c` does
/// not dominate: something outside the collection reaches its nodes.
pub(super) fn split_node(
    a: &Analysis,
    spec: &CollectionSpec,
    c: u32,
    mut nodes: impl Iterator<Item = u32>,
) -> Option<u32> {
    if !linked(spec) {
        return None;
    }
    nodes.find(|&x| {
        let k = a.graph.class_of(x);
        k != NONE
            && is_jdk_class(&a.heap.classes.get(k).name)
            && a.graph.refs(x).iter().any(|&y| a.graph.class_of(y) == k)
            && !dominated_by(a, x, c, 4)
    })
}

/// Retained bytes of the nodes linked to `node` (through nodes of its class) that collection
/// `c` does not dominate: with `c`'s own, what `c` would retain without the cursor.
pub(super) fn split_retained(a: &Analysis, c: u32, node: u32) -> u64 {
    let k = a.graph.class_of(node);
    let mut seen = Visited::new(a.graph.len());
    seen.first_visit(node);
    let mut stack = vec![node];
    let mut bytes = 0;
    while let Some(x) = stack.pop() {
        if !dominated_by(a, x, c, 4) {
            bytes += a.dom.retained.get(x);
        }
        for &y in a.graph.refs(x) {
            if a.graph.class_of(y) == k && seen.first_visit(y) {
                stack.push(y);
            }
        }
    }
    bytes
}

/// The bytes collection `c` (of `spec`) retains, counting the nodes a cursor split off.
pub(super) fn retained_with_split(a: &Analysis, spec: &CollectionSpec, c: u32) -> u64 {
    let own = a.dom.retained.get(c);
    match split_node(a, spec, c, a.graph.refs(c).iter().copied()) {
        Some(x) => own + split_retained(a, c, x),
        None => own,
    }
}

/// Whether JDK class `name` is an iterator (`LinkedHashMap$LinkedValueIterator`,
/// `LinkedList$ListItr`, `ConcurrentLinkedQueue$Itr`).
fn is_iterator(name: &str) -> bool {
    name.starts_with("java.util.")
        && (name.ends_with("Iterator") || name.ends_with("Itr") || name.ends_with("Spliterator"))
}

/// The linked collections a live iterator points at (its outer `this`), in node order: their
/// own retained bytes may be only a table's, below any floor, while their nodes are split off.
pub(super) fn iterated(a: &Analysis) -> Vec<u32> {
    let specs = collection_specs(a);
    let wanted: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| is_iterator(&c.name))
        .collect();
    let mut out: Vec<u32> = instances_of(a, &wanted)
        .into_iter()
        .flat_map(|it| a.graph.refs(it).iter().copied())
        .filter(|&c| {
            let k = a.graph.class_of(c);
            k != NONE && specs[k as usize].is_some_and(linked)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
