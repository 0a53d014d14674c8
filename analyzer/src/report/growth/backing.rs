//! Backing arrays a collection does not dominate: at the time of the dump an iterator on a
//! thread's stack may point at a map's table too, and the map then retains a few dozen bytes
//! while its table, under the super-root, retains every entry. Such a collection is recorded
//! in place of its table, with the table's bytes, as the leak detector does; otherwise its
//! holder would vanish from that one dump and a growing series would read as fluctuating.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::CollectionSpec;
use crate::query::find::referrers;

/// Dominator steps from a backing array up to its collection when the collection does
/// dominate it (the array, or a wrapper between them).
const LEVELS: usize = 4;

/// Per collection, the backing array it does not dominate.
#[derive(Default)]
pub(super) struct Backing(FxHashMap<u32, u32>);

impl Backing {
    /// Finds the arrays among `cands` that a collection references without dominating them,
    /// and replaces each with its collection.
    pub(super) fn take_over(
        a: &Analysis,
        specs: &[Option<&'static CollectionSpec>],
        cands: &mut Vec<u32>,
        is_array: impl Fn(u32) -> bool,
    ) -> Backing {
        let arrays: Vec<u32> = cands.iter().copied().filter(|&v| is_array(v)).collect();
        let mut owner: FxHashMap<u32, u32> = FxHashMap::default();
        for (r, w) in referrers(a, arrays) {
            let k = a.graph.class_of(r);
            if k != NONE && a.graph.class_object(r).is_none() && specs[k as usize].is_some() {
                owner.entry(w).or_insert(r);
            }
        }
        let mut backing = Backing::default();
        for (w, c) in owner {
            if !dominated_by(a, w, c) {
                backing.0.insert(c, w);
            }
        }
        if backing.0.is_empty() {
            return backing;
        }
        let arrays: Vec<u32> = backing.0.values().copied().collect();
        cands.retain(|v| !arrays.contains(v));
        cands.extend(backing.0.keys().copied());
        cands.sort_unstable();
        cands.dedup();
        backing
    }

    /// What `v` retains, with the backing array it does not dominate.
    pub(super) fn retained(&self, a: &Analysis, v: u32) -> u64 {
        a.dom.retained.get(v) + self.0.get(&v).map_or(0, |&w| a.dom.retained.get(w))
    }
}

/// Whether `outer` dominates `inner` within [`LEVELS`] steps.
fn dominated_by(a: &Analysis, inner: u32, outer: u32) -> bool {
    let mut v = inner;
    for _ in 0..LEVELS {
        match a.dom.idom[v as usize] {
            d if d == outer => return true,
            d if d == NONE || (d as usize) >= a.graph.len() => return false,
            d => v = d,
        }
    }
    false
}
