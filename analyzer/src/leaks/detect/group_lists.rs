//! The collections a class group is held through, one per owner object: an inbox's deque of
//! notifications per officer, a mailbox per courier. None of them is big alone, so their
//! elements are found as a class group (when no map or array field dominates the owners: a
//! thread's frame holds them too), yet how the group is kept is in those collections' sizes:
//! each trimmed to one cap ([`super::super::evidence::list_caps`]), or some of them past it.
//! The sizes of the holder field's collections in every owner of its class (a spread
//! [`MAX_OWNERS`] of them at most) become the group's [`Candidate::inner_sizes`]. Only
//! references and sizes are read.

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::collection_specs;
use crate::query::elements::spec_lookup;
use crate::query::find::{instances_of, views};

use super::super::candidate::Candidate;

/// Owner objects read at most.
const MAX_OWNERS: usize = 1 << 14;
/// Collections the sample is taken from, spread over all of them.
const READ_LISTS: usize = 32;

/// Gives class group `c` the sizes of its holder field's collections when that field is an
/// instance field holding a collection.
pub(super) fn add_sizes(a: &Analysis, c: &mut Candidate) {
    let Some(h) = &c.holding else { return };
    let specs = collection_specs(a);
    let is_collection = |v: u32| {
        let k = a.graph.class_of(v);
        k != NONE && specs[k as usize].is_some()
    };
    if h.holder.is_static || !h.chain.first().is_some_and(|&v| is_collection(v)) {
        return;
    }
    let k = a.graph.class_of(h.owner);
    if k == NONE {
        return;
    }
    let mut wanted = vec![false; a.heap.classes.len()];
    wanted[k as usize] = true;
    let all = instances_of(a, &wanted);
    let step = all.len().div_ceil(MAX_OWNERS).max(1);
    let owners: Vec<u32> = all.into_iter().step_by(step).collect();
    let field = &h.holder.field;
    let lists: Vec<u32> = views(a, &owners)
        .values()
        .filter_map(|view| view.reference(field))
        .filter_map(|id| a.graph.ids.get(id))
        .filter(|&w| is_collection(w) && a.dom.is_reachable(w))
        .collect();
    let entries = crate::report::growth::entries_of(a, &specs, &lists);
    c.inner_sizes = lists
        .iter()
        .map(|w| entries.get(w).copied().unwrap_or(0))
        .collect();
    in_list_order(a, c, &lists);
}

/// Replaces the group's sample (instances spread over the heap, in the order a collector left
/// them) with one taken from the owners' collections, each collection's elements in its own
/// order as one run ([`Candidate::ordered_runs`]): the order they were added in, which a
/// copying collector scrambles in the heap and no collector changes in a list. Kept only when
/// the elements sampled are the group's class; the group's entries stay its instances.
fn in_list_order(a: &Analysis, c: &mut Candidate, lists: &[u32]) {
    let mut trial = c.clone();
    let class = c.node.map(|v| a.graph.class_of(v));
    // A spread few, read in full: collections without a size field are all read otherwise.
    let step = lists.len().div_ceil(READ_LISTS).max(1);
    let read: Vec<u32> = lists.iter().copied().step_by(step).collect();
    super::inner_elements::sample_elements(a, &mut trial, &read, &spec_lookup(a));
    let same = trial
        .values
        .iter()
        .filter(|&&v| Some(a.graph.class_of(v)) == class)
        .count();
    if trial.ordered_runs.is_empty() || same * 10 < trial.values.len() * 9 {
        return;
    }
    c.values = trial.values;
    c.ordered_runs = trial.ordered_runs;
}

/// Steps climbed from an element up its dominators to the collection holding it (element,
/// backing array, collection).
const LIST_STEPS: usize = 3;
/// Distinct collections among the sampled elements needed to call them spread.
const MIN_LISTS: usize = 20;

/// Whether the sampled elements of a single object's accumulated class lie in many small
/// collections, nearly one each (a deque per owner), rather than in the object itself: 80% of
/// them directly inside a collection, half as many distinct collections as such elements and
/// [`MIN_LISTS`] at least. Those are a class group held through the owners' field, judged by
/// the collections' sizes and order, not one accumulation of the object.
pub(super) fn spread_over_lists(a: &Analysis, sample: &[u32]) -> bool {
    let specs = collection_specs(a);
    let list_of = |v: u32| {
        let mut u = v;
        for _ in 0..LIST_STEPS {
            u = a.dom.idom[u as usize];
            if u == NONE || u == crate::dom::dominators::SUPER_ROOT {
                return None;
            }
            let k = a.graph.class_of(u);
            if k != NONE && specs[k as usize].is_some() {
                return Some(u);
            }
        }
        None
    };
    let mut lists: Vec<u32> = sample.iter().filter_map(|&v| list_of(v)).collect();
    let inside = lists.len();
    lists.sort_unstable();
    lists.dedup();
    inside * 5 >= sample.len() * 4 && lists.len() >= MIN_LISTS && lists.len() * 2 >= inside
}
