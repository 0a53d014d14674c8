//! Entries kept per thread after the thread ended: a map keyed by `Thread` (or holding the
//! `Thread` as its value), filled by threads that each add their own entry, where nothing
//! removes an entry when its thread ends. A thread that has ended never runs again, so its
//! entry is never looked up or removed: the map grows with every thread a cached pool or a
//! per-job `new Thread` ever started. The `Thread` objects are read only for their status.

use rustc_hash::FxHashMap;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, subclass_table, views};
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::consumer::ended;
use super::Reads;

/// Sampled threads needed for a judgement.
const MIN_SAMPLED: usize = 20;
/// Share of the sampled threads that must have ended.
pub(super) const MOST: f64 = 0.8;
/// Entries of ended threads from which the evidence is strong: a pool's few retired workers
/// are a smell, hundreds are every thread ever started.
const MANY_ENDED: u64 = 100;

/// The sampled keys of `c` when they are threads, else its sampled values when they are.
fn sampled_threads(a: &Analysis, c: &Candidate) -> Vec<u32> {
    let table = subclass_table(a, &["java.lang.Thread"]);
    let is_thread = |v: u32| {
        a.graph.class_object(v).is_none()
            && table
                .get(a.graph.class_of(v) as usize)
                .is_some_and(Option::is_some)
    };
    let keys: Vec<u32> = c.keys.iter().copied().filter(|&k| is_thread(k)).collect();
    if keys.len() >= MIN_SAMPLED {
        return keys;
    }
    c.values.iter().copied().filter(|&v| is_thread(v)).collect()
}

/// The `Thread$FieldHolder`s of threads that keep their status there (JDK 19 and later).
fn holders(a: &Analysis, threads: &[u32], reads: &Reads) -> FxHashMap<u32, ObjectView> {
    let nodes: Vec<u32> = threads
        .iter()
        .filter_map(|t| reads.views.get(t))
        .filter(|v| v.field("threadStatus").is_none())
        .filter_map(|v| ref_node(a, v, "holder"))
        .collect();
    views(a, &nodes)
}

/// Adds the ended-threads evidence: most sampled entries belong to threads that have ended.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.evidence.iter().any(|e| e.name == EvidenceName::Finished) {
        return;
    }
    let threads = sampled_threads(a, c);
    let held = holders(a, &threads, reads);
    let states: Vec<bool> = threads
        .iter()
        .filter_map(|t| ended(a, reads.views.get(t)?, &held))
        .collect();
    let n = states.len();
    let gone = states.iter().filter(|&&e| e).count();
    if n < MIN_SAMPLED || (gone as f64) < MOST * n as f64 {
        return;
    }
    let entries = c.entries;
    add_ended(c, gone, n, |estimate| {
        format!(
            "{gone} of {n} sampled entries belong to a thread that has ended (about {} of {}): an ended thread never runs again, so nothing looks its entry up or removes it (remove the entry when the thread's work ends)",
            thousands(estimate),
            thousands(entries)
        )
    });
}

/// Adds the evidence that `gone` of `n` sampled entries belong to threads that have ended:
/// strong from an estimated [`MANY_ENDED`] such entries, else moderate; `detail` is given the
/// estimate.
pub(super) fn add_ended(
    c: &mut Candidate,
    gone: usize,
    n: usize,
    detail: impl FnOnce(u64) -> String,
) {
    let estimate = (c.entries as u128 * gone as u128 / n as u128) as u64;
    let strength = if estimate >= MANY_ENDED {
        Strength::Strong
    } else {
        Strength::Moderate
    };
    c.left_in_sample = Some((LeftBy::State, gone as u64, n as u64));
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        strength,
        detail(estimate),
    ));
}
