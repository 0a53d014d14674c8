//! A field's collections in every object of its class: when the collections of one instance
//! field in two or more objects were found big enough to add up (a feed per tenant), the ones
//! of the same field under the floor count too, so that the entries are the field's in all
//! objects, not only in those found alone.

use rustc_hash::FxHashSet;

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::collections::collection_specs;
use crate::query::find::{instances_of, views};

use super::candidate::Candidate;

/// Objects of the owner class read at most.
const MAX_OWNERS: usize = 1 << 16;

/// Adds to `c` (a collection found in two or more objects of one field) the collections of
/// the same field in the other objects of the owner's class: their entries, retained bytes
/// and count. Collections `taken` (sorted: other candidates' members) and collections inside
/// or around another one counted (the child lists of a tree's nodes) are left out.
pub(crate) fn complete(a: &Analysis, c: &mut Candidate, taken: &[u32]) {
    let Some(h) = &c.holding else { return };
    // A field candidate ([`Candidate::inside`]) counts every collection of its field already.
    let known = c.members.len() as u64 == c.instances && c.inside.is_none();
    if c.instances < 2 || !known || c.collection.is_none() || h.holder.is_static {
        return;
    }
    let k = a.graph.class_of(h.owner);
    if k == NONE {
        return;
    }
    let mut wanted = vec![false; a.heap.classes.len()];
    wanted[k as usize] = true;
    let mut owners = instances_of(a, &wanted);
    owners.truncate(MAX_OWNERS);
    let specs = collection_specs(a);
    let read = views(a, &owners);
    let mut others: Vec<u32> = owners
        .iter()
        .filter_map(|o| read.get(o)?.reference(&h.holder.field))
        .filter_map(|id| a.graph.ids.get(id))
        .filter(|&w| {
            let kw = a.graph.class_of(w);
            kw != NONE && specs[kw as usize].is_some() && a.dom.is_reachable(w)
        })
        .filter(|w| !c.members.contains(w) && taken.binary_search(w).is_err())
        .collect();
    others.sort_unstable();
    others.dedup();
    let nested = nested_in(a, &c.members, &others);
    others.retain(|w| !nested.contains(w));
    if others.is_empty() {
        return;
    }
    let entries = crate::report::growth::entries_of(a, &specs, &others);
    for w in others {
        let n = entries.get(&w).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        c.entries += n;
        c.retained += a.dom.retained.get(w);
        c.instances += 1;
        c.members.push(w);
    }
}

/// Dominator steps walked up from a collection looking for another one counted.
const NEST_STEPS: usize = 64;

/// The `others` that dominate a member or another of `others`, or are dominated by one
/// (within [`NEST_STEPS`]): one structure inside another, not one per object.
fn nested_in(a: &Analysis, members: &[u32], others: &[u32]) -> FxHashSet<u32> {
    let counted: FxHashSet<u32> = members.iter().chain(others).copied().collect();
    let mut nested = FxHashSet::default();
    for &v in members.iter().chain(others) {
        let mut u = v;
        for _ in 0..NEST_STEPS {
            u = a.dom.idom[u as usize];
            if u == NONE || u == SUPER_ROOT {
                break;
            }
            if counted.contains(&u) {
                // Both ends are one structure: the inner one is not another object's.
                nested.insert(u);
                nested.insert(v);
            }
        }
    }
    nested
}
