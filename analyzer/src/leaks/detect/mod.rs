//! Detectors: each finds one kind of candidate (collections, single objects and class groups,
//! thread and executor groups, the findings of the ThreadLocal, class-loader and resource
//! analyses). They only find and describe; the evidence modules judge.

use crate::base::id::ObjectId;
pub(crate) mod arrays;
pub(crate) mod buffers;
mod chain_heads;
mod chains;
pub(crate) mod class_locks;
pub(crate) mod cleaners;
pub(crate) mod collections;
mod cursors;
pub(crate) mod entry_fields;
mod few;
pub(crate) mod finalizers;
pub(crate) mod findings;
pub(crate) mod futures;
pub(crate) mod generations;
mod group_lists;
mod groups;
pub(crate) mod inner_elements;
pub(crate) mod objects;
pub(crate) mod pending_calls;
mod pool_owners;
mod registry;
pub(crate) mod sublists;
mod thread_names;
pub(crate) mod thread_values;
pub(crate) mod threads;

use rustc_hash::FxHashMap;

use crate::base::shared::par_scan_nodes;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::holders::Holder;

use super::candidate::Candidate;
use super::model::{Retainer, Verdict};

/// What the detectors found: candidates to judge, and retainers judged on sight (plain
/// arrays, JDK-held collections, collections of a few big objects).
#[derive(Default)]
pub(crate) struct Found {
    /// Candidates.
    pub candidates: Vec<Candidate>,
    /// Retainers that need no evidence.
    pub retainers: Vec<Retainer>,
    /// Every collection looked at (so that other detectors do not count them again).
    pub judged_nodes: Vec<u32>,
    /// Collections of fewer entries than a candidate needs, each with its values: retainers
    /// ("a few large objects") whose values may still each keep an accumulating collection.
    pub few_entries: Vec<(u32, Vec<u32>)>,
}

/// The nodes retaining at least `floor` heap bytes (at least one), those keeping native
/// memory alive (the keys of `native`) and the linked collections a live iterator points at
/// (whose own bytes miss the nodes it splits off), in node order: the only nodes the collection and
/// single-object detectors look at, found in one parallel pass over the retained sizes.
pub(crate) fn big_nodes(a: &Analysis, floor: u64, native: &FxHashMap<u32, u64>) -> Vec<u32> {
    let floor = floor.max(1);
    let mut big = par_scan_nodes(a.graph.len(), |v, out| {
        if a.dom.retained.get(v) >= floor {
            out.push(v);
        }
    });
    let iterated = cursors::iterated(a);
    if !native.is_empty() || !iterated.is_empty() {
        big.extend(native.keys().copied());
        big.extend(iterated);
        big.sort_unstable();
        big.dedup();
    }
    big
}

/// Whether `inner` is in `outer`'s dominator subtree (walking up at most `limit` steps).
pub(crate) fn dominated_by(a: &Analysis, inner: u32, outer: u32, limit: usize) -> bool {
    let mut v = inner;
    for _ in 0..limit {
        match a.dom.idom[v as usize] {
            NONE | SUPER_ROOT => return false,
            d if d == outer => return true,
            d => v = d,
        }
    }
    false
}

/// A retainer judged without evidence.
pub(crate) fn retainer(
    a: &Analysis,
    v: u32,
    holder: Option<Holder>,
    entries: Option<u64>,
    verdict: Verdict,
    reason: String,
) -> Retainer {
    let r = a.dom.retained.get(v);
    Retainer {
        id: ObjectId(a.graph.ids.id(v)),
        class: crate::query::objects::node_class(a, v),
        holder,
        entries,
        retained_bytes: r,
        native_bytes: None,
        share: a.share(r),
        verdict,
        evidence: Vec::new(),
        reason,
    }
}
