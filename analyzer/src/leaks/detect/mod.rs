//! Detectors: each finds one kind of candidate (collections, single objects and class groups,
//! thread and executor groups, the findings of the ThreadLocal, class-loader and resource
//! analyses). They only find and describe; the evidence modules judge.

use crate::base::id::ObjectId;
pub(crate) mod collections;
pub(crate) mod findings;
mod groups;
pub(crate) mod objects;
pub(crate) mod threads;

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
