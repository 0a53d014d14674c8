//! Every entry of a candidate's one collection, not a sample: what an evidence module that
//! judged the sampled entries one by one re-counts over all of them, so that the entries it
//! says were left behind are a count, not an estimate. Found without reading the collection
//! again: a hash map's values of the sampled values' class through its chain nodes in the
//! graph, an array-backed list's elements from its array (a scheduled task unwrapped to what it
//! runs, as the sample was; a registered MBean's wrapper stands for the MBean). Every sampled
//! entry must be among them, and as many as the candidate's entries. Up to [`LIMIT`] entries.

use crate::dom::analysis::Analysis;
use crate::query::collections::Shape;
use crate::query::find::ref_node;

use super::super::candidate::Candidate;
use super::Reads;

/// Every entry value of `c` ([`values`]) and the objects they are read into: what an evidence
/// module re-judges them on.
pub(crate) fn read(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<(Vec<u32>, Reads)> {
    let mut probe = Candidate::new(c.kind, None, String::new(), 0);
    probe.values = values(a, c, reads)?;
    let all = Reads::gather(a, std::slice::from_ref(&probe));
    Some((probe.values, all))
}

/// Entries re-counted one by one at most (each read once from the dump).
pub(crate) const LIMIT: usize = 200_000;

/// Every entry value of `c`, when `c` is one collection (not a field group, not the elements of
/// inner collections) with more entries than were sampled, at most [`LIMIT`], and every one
/// was found; None otherwise.
pub(crate) fn values(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Vec<u32>> {
    let spec = c.collection.as_ref()?.spec;
    let node = c.node?;
    let whole = c.instances == 1 && c.entry_collections.is_empty() && c.inside.is_none();
    if !whole || c.pending_calls || c.linked || c.values.len() as u64 >= c.entries {
        return None;
    }
    if c.entries > LIMIT as u64 {
        return None;
    }
    let all = match spec.shape {
        Shape::HashTable { .. } => {
            let class = a.graph.class_of(*c.values.first()?);
            if !c.values.iter().all(|&v| a.graph.class_of(v) == class) {
                return None;
            }
            let direct = crate::query::table_keys::table_keys(a, node, class, LIMIT)?;
            if direct.len() as u64 == c.entries {
                direct
            } else {
                wrapped(a, node, c.values[0])?
            }
        }
        Shape::Array(field) => {
            let arr = ref_node(a, reads.views.get(&node)?, field)?;
            let refs = a.graph.refs(arr).iter();
            // As the sample was taken: a scheduled task stands for what it runs.
            refs.map(|&v| crate::query::wrappers::unwrap_task(a, v))
                .collect()
        }
        _ => return None,
    };
    let mut sorted = all.clone();
    sorted.sort_unstable();
    let found = |v: &u32| sorted.binary_search(v).is_ok();
    (all.len() as u64 == c.entries && c.values.iter().all(found)).then_some(all)
}

/// Dominator steps climbed from a sampled value to the chain node above it, at most.
const WRAPPERS: usize = 4;

/// Every value of hash map `map` when its sampled values are what JDK wrappers lead to (a
/// registered MBean's `NamedObject`): the class of the object a chain node references on the
/// way to `sample`, each of its objects in the map unwrapped as the sample was.
fn wrapped(a: &Analysis, map: u32, sample: u32) -> Option<Vec<u32>> {
    let mut x = sample;
    for _ in 0..WRAPPERS {
        let d = a.dom.idom[x as usize];
        if d == crate::graph::ids::NONE || d == crate::dom::dominators::SUPER_ROOT {
            return None;
        }
        if crate::query::table_keys::is_chain_node(a, d) {
            let outer = crate::query::table_keys::table_keys(a, map, a.graph.class_of(x), LIMIT)?;
            let unwrap = |v: u32| crate::query::wrappers::unwrap_task(a, v);
            return (x != sample).then(|| outer.into_iter().map(unwrap).collect());
        }
        x = d;
    }
    None
}
