//! The nodes of linked and tree collections (`LinkedList`, `TreeMap`, `ConcurrentSkipListMap`,
//! concurrent queues), walked without recursion to count and sample their elements.

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;

use super::collections::SAMPLE;

/// Whether a class is a node of a linked or tree collection.
fn is_node_class(name: &str) -> bool {
    name.ends_with("$Node") || name.ends_with("$Entry") || name.ends_with("$Index")
}

/// Walks the nodes of the linked or tree collection `c` (no recursion; each node once, by a
/// bitset over the graph when walking all of them) and returns how many elements it met. The
/// sample gets up to [`SAMPLE`] elements spread over the whole walk: every element while few,
/// then every second, fourth, ... as the walk goes on. For a map (`map`), the sampled elements
/// are the entry nodes themselves (each leads to a key and a value), counted once each.
pub(super) fn walk_nodes(a: &Analysis, c: u32, all: bool, map: bool, sample: &mut Vec<u32>) -> u64 {
    let mut seen_small = rustc_hash::FxHashSet::default();
    let mut seen_all = Visited::new(if all { a.graph.len() } else { 0 });
    let mut first_visit = |v: u32| -> bool {
        if all {
            seen_all.first_visit(v)
        } else {
            seen_small.insert(v) && seen_small.len() <= 4 * SAMPLE
        }
    };
    let mut count = 0u64;
    let mut stride = 1u64;
    // Breadth first: a tree's first levels spread over all its keys, so a partial walk samples
    // the whole map (depth first would sample one corner of it).
    let mut frontier = std::collections::VecDeque::from([c]);
    while let Some(v) = frontier.pop_front() {
        if !first_visit(v) {
            continue;
        }
        let mut taken = false;
        for &w in a.graph.refs(v) {
            let k = a.graph.class_of(w);
            let node = k != NONE && is_node_class(&a.heap.classes.get(k).name);
            if node {
                frontier.push_back(w);
            } else if v != c && !(map && taken) {
                // A map's node leads to its key and its value: the node is the entry.
                taken = true;
                if all || sample.len() < SAMPLE {
                    if count.is_multiple_of(stride) {
                        sample.push(if map { v } else { w });
                    }
                    count += 1;
                }
                if sample.len() >= 2 * SAMPLE {
                    // Keep every second one: the sample stays spread over the whole walk.
                    let kept: Vec<u32> = sample.iter().copied().step_by(2).collect();
                    *sample = kept;
                    stride *= 2;
                }
            }
        }
    }
    if sample.len() > SAMPLE {
        let kept: Vec<u32> = sample.iter().copied().step_by(2).collect();
        *sample = kept;
    }
    count
}
