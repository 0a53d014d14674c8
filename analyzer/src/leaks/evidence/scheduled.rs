//! Scheduled removal: a map whose entries carry no expiry of their own, but whose keys (or
//! values) are each named by an object of another structure that does, with a deadline still
//! ahead (`Expiry { token, deadline }` in a `TreeSet` or a `DelayQueue` that a reaper polls,
//! an index entry holding nothing but the deadline and the key): every entry has its removal
//! scheduled. Entries idle for hours are then within their time to
//! live (sessions expired after a day without a request), and how long they have been idle
//! says nothing of a leak: a store bounded by its time to live, like entries that carry their
//! own expiry ([`super::expiry`]). Deadlines are read only to compute this.
//!
//! Found from the dump's references alone: the sampled keys that something outside the map
//! also keeps (their dominator lies outside it), then, in one scan for all candidates, what
//! references them. String keys none outside keeps are matched by text against the members
//! of the expiry indexes read ([`super::index_members`]): an index entry naming its session
//! by an id parsed from each request holds an equal String, never the map's own key.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::leaks::detect::dominated_by;
use crate::query::find::{referrers, views};
use crate::query::holders::is_application;
use crate::query::objects::node_class;
use crate::query::strings::text_hashes;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{duration, MIN_ENTRIES};
use super::expiry::{expiry_of, SLACK};
use super::index_members::IndexMembers;
use super::Reads;

/// Entries a map needs before its keys are followed.
const MIN_MAP: u64 = 1_000;
/// Share of the sampled keys (or values) that must be named by one class of index entry.
const NAMED: f64 = 0.8;
/// Share of those index entries whose deadline must still be ahead (or only just passed).
const AHEAD: f64 = 0.9;
/// Dominator steps walked up from a key to its map (a tree map's entries are deep).
const CLIMB: usize = 64;

/// What a map's expiry index is: the class of its entries, their deadline field, and how many
/// of the map's sampled entries it names (with a deadline ahead) of how many sampled.
#[derive(Clone, Debug)]
pub(crate) struct Scheduled {
    index_class: String,
    field: String,
    ahead: usize,
    sampled: usize,
}

/// The sampled objects of `c` (its keys, else its values) that something outside `c` keeps
/// too, the targets whose referrers may be an expiry index, with how many were sampled.
fn shared_objects(a: &Analysis, c: &Candidate) -> (Vec<u32>, usize) {
    let Some(node) = c.node else {
        return (Vec::new(), 0);
    };
    if c.entries < MIN_MAP || c.keys.len() < MIN_ENTRIES {
        return (Vec::new(), 0);
    }
    for objects in [&c.keys, &c.values] {
        let shared: Vec<u32> = objects
            .iter()
            .copied()
            .filter(|&k| !dominated_by(a, k, node, CLIMB))
            .collect();
        if shared.len() as f64 >= NAMED * objects.len() as f64 {
            return (shared, objects.len());
        }
    }
    (Vec::new(), 0)
}

/// For every candidate, the expiry index that schedules the removal of its entries, if any:
/// one reference scan for all of them, and one re-read of at most one index entry per sampled
/// key.
pub(crate) fn find(
    a: &Analysis,
    cands: &[Candidate],
    indexes: &[IndexMembers],
    reads: &Reads,
    now: u64,
) -> Vec<Option<Scheduled>> {
    let mut out = vec![None; cands.len()];
    if now == 0 {
        return out;
    }
    let shared: Vec<(Vec<u32>, usize)> = cands.iter().map(|c| shared_objects(a, c)).collect();
    for (i, c) in cands.iter().enumerate() {
        if shared[i].0.is_empty() {
            out[i] = index_by_text(a, c, indexes, reads, now);
        }
    }
    if shared.iter().all(|s| s.0.is_empty()) {
        return out;
    }
    let mut by_target: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (r, w) in referrers(a, shared.iter().flat_map(|s| s.0.iter().copied())) {
        by_target.entry(w).or_default().push(r);
    }
    for (i, (objs, sampled)) in shared.iter().enumerate() {
        if let Some(node) = cands[i].node.filter(|_| !objs.is_empty()) {
            out[i] = index_of(a, node, objs, &by_target, reads, now).map(|s| Scheduled {
                sampled: *sampled,
                ..s
            });
        }
    }
    out
}

/// The application objects outside the map (`node`) that reference each of `objs`, grouped
/// by class; the class naming the most of them, with one of its objects per target.
fn index_entries(
    a: &Analysis,
    node: u32,
    objs: &[u32],
    by_target: &FxHashMap<u32, Vec<u32>>,
) -> Option<(u32, Vec<u32>)> {
    let mut by_class: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for w in objs {
        let mut seen: Vec<u32> = Vec::new();
        for &r in by_target.get(w).map(Vec::as_slice).unwrap_or(&[]) {
            let k = a.graph.class_of(r);
            if seen.contains(&k) || !is_application(a, r) || dominated_by(a, r, node, CLIMB) {
                continue;
            }
            seen.push(k);
            by_class.entry(k).or_default().push(r);
        }
    }
    by_class.into_iter().max_by_key(|(k, rs)| (rs.len(), *k))
}

/// The expiry index of the map `node` whose shared sampled objects are `objs`.
fn index_of(
    a: &Analysis,
    node: u32,
    objs: &[u32],
    by_target: &FxHashMap<u32, Vec<u32>>,
    reads: &Reads,
    now: u64,
) -> Option<Scheduled> {
    let (_, entries) = index_entries(a, node, objs, by_target)?;
    if (entries.len() as f64) < NAMED * objs.len() as f64 {
        // Not every shared key is named: several structures share the keys, no index.
        return None;
    }
    deadlines_ahead(a, &entries, reads, now)
}

/// The expiry index, keyed by text, of a map whose sampled keys are Strings none outside the
/// map keeps: an index whose entries name 80% of the keys by value (an id parsed anew from
/// each request), one entry read per key.
fn index_by_text(
    a: &Analysis,
    c: &Candidate,
    indexes: &[IndexMembers],
    reads: &Reads,
    now: u64,
) -> Option<Scheduled> {
    let own = c.values.first().map(|&v| a.graph.class_of(v));
    let by_text: Vec<&IndexMembers> = indexes
        .iter()
        .filter(|x| x.by_text(a) && Some(x.class) != own)
        .collect();
    if by_text.is_empty() || c.node.is_none() || c.entries < MIN_MAP || c.keys.len() < MIN_ENTRIES {
        return None;
    }
    let hashes = text_hashes(a, &c.keys);
    by_text.into_iter().find_map(|x| {
        let entries: Vec<u32> = c
            .keys
            .iter()
            .filter_map(|k| x.entry_of(*hashes.get(k)?))
            .collect();
        if (entries.len() as f64) < NAMED * c.keys.len() as f64 {
            return None;
        }
        let s = deadlines_ahead(a, &entries, reads, now)?;
        Some(Scheduled {
            sampled: c.keys.len(),
            ..s
        })
    })
}

/// The index of `entries` (objects naming a map's sampled keys, one each) when they are index
/// entries (a deadline and one member) 90% of whose deadlines lie ahead.
fn deadlines_ahead(a: &Analysis, entries: &[u32], reads: &Reads, now: u64) -> Option<Scheduled> {
    let read = views(a, entries);
    // Index entries hold a deadline and the one thing it is for, nothing else: an entity that
    // merely refers to the key (a consent naming its bank by code) schedules nothing.
    let deadlines: Vec<(String, u64)> = entries
        .iter()
        .filter_map(|e| {
            let view = read.get(e)?;
            let (field, t) = expiry_of(a, view, reads, now)?;
            super::rearmed::member(a, view, &field).map(|_| (field, t))
        })
        .collect();
    let field = deadlines.first()?.0.clone();
    let ahead = deadlines
        .iter()
        .filter(|(f, t)| *f == field && t + SLACK >= now)
        .count();
    if (ahead as f64) < AHEAD * entries.len() as f64 {
        return None;
    }
    Some(Scheduled {
        index_class: node_class(a, entries[0]),
        field,
        ahead,
        sampled: entries.len(),
    })
}

/// Adds the evidence of a scheduled removal found by [`find`].
pub(crate) fn add(c: &mut Candidate, s: &Scheduled) {
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{} of {} sampled entries are named by a {} whose {} lies ahead (or passed less than {} before the dump): each has its removal scheduled, a store bounded by its time to live, however long its entries have been idle",
            s.ahead,
            s.sampled,
            s.index_class,
            s.field,
            duration(SLACK)
        ),
    ));
}
