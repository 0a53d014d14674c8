//! Cleared references kept: a map or collection whose entries are weak or soft references
//! (a canonicalising table of `WeakReference<V>` by key), most of them already cleared — or
//! holding an object nothing else keeps, cleared at the next collection. The objects are gone
//! but their entries stay: nothing removes an entry when its reference is cleared (no
//! `ReferenceQueue` is polled, no lookup purges), so the table grows with every key ever
//! seen. A table purged as it goes holds few cleared references; a bounded one (an LRU at its
//! cap) keeps at most its cap, cleared or not. Referents are read only to
//! tell null from not; values are never shown.

use rustc_hash::FxHashMap;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::extends;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Supports};
use super::Reads;

/// Sampled references needed for a judgement.
const MIN_REFS: usize = 20;
/// Share of the sampled entries that must be references.
const REFS: f64 = 0.8;
/// Share of the references that must be cleared.
const CLEARED: f64 = 0.5;
/// Estimated cleared entries from which the evidence is moderate (fewer: none; strong from
/// [`super::size::MANY_ENTRIES`]).
const SOME: u64 = 100;
/// The words of the evidence that name the fix (see `explain.rs`).
pub(crate) const CLEARED_KEPT: &str = "references already cleared";

/// (references, cleared) among `values`, read from `reads`.
fn count(a: &Analysis, values: &[u32], reads: &Reads) -> (usize, usize) {
    let mut is_ref: FxHashMap<u32, bool> = FxHashMap::default();
    let (mut refs, mut cleared) = (0usize, 0usize);
    for &v in values {
        let k = a.graph.class_of(v);
        let reference = *is_ref
            .entry(k)
            .or_insert_with(|| extends(a, k, "java.lang.ref.Reference"));
        let Some(referent) = reads.views.get(&v).and_then(|view| view.field("referent")) else {
            continue;
        };
        if !reference {
            continue;
        }
        refs += 1;
        let gone = referent.raw == 0
            || a.graph
                .ids
                .get(referent.raw)
                .is_none_or(|w| !a.dom.is_reachable(w));
        cleared += usize::from(gone);
    }
    (refs, cleared)
}

/// Adds the cleared-references evidence, unless the structure is bounded (an LRU of soft
/// references at its cap keeps at most its cap, cleared or not). The cleared entries are then
/// counted over every entry when all can be found (`every.rs`), else estimated from the sample.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let bounded = c
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::Bound && e.supports == Supports::MemoryHungry);
    if bounded {
        return;
    }
    let (refs, cleared) = count(a, &c.values, reads);
    let n = c.values.len();
    let estimate = (cleared as f64 / refs.max(1) as f64 * c.entries as f64) as u64;
    if refs < MIN_REFS
        || (refs as f64) < REFS * n as f64
        || (cleared as f64) < CLEARED * refs as f64
        || estimate < SOME
    {
        return;
    }
    let every = super::every::read(a, c, reads)
        .map(|(values, all)| count(a, &values, &all))
        .filter(|&(r, _)| r as u64 == c.entries);
    let (judged, left) = every.unwrap_or((refs, cleared));
    c.left_in_sample = Some((LeftBy::State, left as u64, judged as u64));
    let strength = super::size::strength_of(estimate);
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        strength,
        format!(
            "{cleared} of {refs} sampled entries are {CLEARED_KEPT} (or about to be: nothing else keeps their object), about {} in all: their objects are gone, yet the entries stay (nothing removes an entry when its reference is cleared)",
            thousands(estimate)
        ),
    ));
}
