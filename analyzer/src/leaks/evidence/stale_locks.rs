//! Locks that outlived their keys: a map of 1,000 or more per-key locks (`ReentrantLock`,
//! read-write or stamped locks, semaphores, plain `Object` monitors) beside a map of the same
//! keys that holds only a few of them (the open orders beside a lock per order id). Locking
//! by key must drop a key's lock when the key's work is done; a lock map whose keys reach far
//! beyond the live ones (a quarter or fewer of its sampled keys are keys of that map, a few at
//! least, so that both are keyed by the same ids) keeps a lock for every key ever locked. A
//! lock per member of a directory (per account) finds its keys among the directory's and
//! gives no such evidence. Keys are compared by identity or value, never shown.

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::leaks::detect::dominated_by;
use crate::query::find::{ref_node, views};
use crate::query::objects::node_class;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::domain::Structure;
use super::live_keys::{hits_in, sampled_keys};
use super::Reads;

/// Words of the evidence (the advice matches them).
pub(crate) const STALE_LOCK_WORDS: &str = "locks kept for keys";
/// Locks needed for a judgement.
const MANY: u64 = 1000;
/// Sampled keys needed for a judgement.
const MIN_SAMPLED: usize = 50;
/// Share of the sampled keys at most found among the live map's keys.
const FEW: f64 = 0.25;
/// Sampled keys at least found there: the two maps are keyed by the same ids.
const SAME_IDS: usize = 3;
/// Dominator steps climbed from a key to the lock map (a hash bin's tree nodes are deep).
const KEY_CLIMB: usize = 64;
/// Share of the sampled keys that something outside the map may keep too (a ring of recent
/// edits naming the last tickets).
const KEPT_ELSEWHERE: f64 = 0.5;
/// Classes whose instances are locks.
const LOCKS: [&str; 5] = [
    "java.util.concurrent.locks.ReentrantLock",
    "java.util.concurrent.locks.ReentrantReadWriteLock",
    "java.util.concurrent.locks.StampedLock",
    "java.util.concurrent.Semaphore",
    "java.lang.Object",
];

/// Adds moderate leak evidence to a map of per-key locks whose keys are mostly not keys of
/// the map beside it that holds the same kind of key.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, others: &[Structure]) {
    let Some(me) = c.node else { return };
    if c.entries < MANY || c.collection.is_none() || c.values.len() < MIN_SAMPLED {
        return;
    }
    let locks = c
        .values
        .iter()
        .filter(|&&v| LOCKS.contains(&node_class(a, v).as_str()))
        .count();
    if locks * 10 < c.values.len() * 9 {
        return;
    }
    let Some(keys) = sampled_keys(a, c, &c.values, reads) else {
        return;
    };
    let maps: Vec<(usize, &String, u64)> = others
        .iter()
        .filter(|(node, entries, _, _)| *node != me && *entries > 0)
        .filter_map(|(node, entries, holder, _)| {
            Some((hits_in(a, &keys, *node)?, holder, *entries))
        })
        .collect();
    let class = simple_name(&c.element_class).to_string();
    if maps.iter().all(|m| m.0 == 0) {
        // Keys that objects outside the map keep too (an account number a member record
        // holds) are ids something else knows: a lock per member, not per key ever locked.
        // The map or its own table: a frame still holding the table (a resize, a
        // `computeIfAbsent` compiled in) puts the table under the root, not under the map.
        let parts: Vec<u32> = std::iter::once(me)
            .chain(a.graph.refs(me).iter().copied())
            .collect();
        let kept = c
            .keys
            .iter()
            .filter(|&&k| !parts.iter().any(|&p| dominated_by(a, k, p, KEY_CLIMB)))
            .count();
        if kept as f64 > KEPT_ELSEWHERE * c.keys.len() as f64 {
            return;
        }
        if let Some(free) = all_free(a, c, reads) {
            c.add(no_home(c, &class, keys.count, free));
        }
        return;
    }
    let live = maps
        .into_iter()
        .filter(|&(hits, _, entries)| entries < c.entries && hits >= SAME_IDS)
        .filter(|&(hits, _, _)| hits as f64 <= FEW * keys.count as f64)
        .max_by_key(|m| m.0);
    let Some((hits, holder, entries)) = live else {
        return;
    };
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{} per-key {class}s, {STALE_LOCK_WORDS} no longer in use: only {hits} of {} sampled keys ({:.0}%) are keys of {holder} ({} entries), a map of the same ids; a lock is added for every key ever locked and not removed when its work is done",
            thousands(c.entries),
            keys.count,
            100.0 * hits as f64 / keys.count as f64,
            thousands(entries)
        ),
    ));
}

/// Lock classes whose state the dump shows: an `AbstractQueuedSynchronizer` in field `sync`
/// whose `state` is 0 and `exclusiveOwnerThread` null when no thread holds it.
const READABLE: [&str; 2] = [
    "java.util.concurrent.locks.ReentrantLock",
    "java.util.concurrent.locks.ReentrantReadWriteLock",
];

/// How many of the sampled locks of `c` no thread holds, when 90% of them are locks whose
/// state the dump shows and 95% of those are free; None otherwise.
fn all_free(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<usize> {
    let syncs: Vec<u32> = c
        .values
        .iter()
        .filter(|&&v| READABLE.contains(&node_class(a, v).as_str()))
        .filter_map(|v| ref_node(a, reads.views.get(v)?, "sync"))
        .collect();
    if syncs.len() * 10 < c.values.len() * 9 {
        return None;
    }
    let read = views(a, &syncs);
    let free = |v: &u32| {
        read.get(v).is_some_and(|s| {
            s.int("state") == Some(0) && s.reference("exclusiveOwnerThread").is_none()
        })
    };
    let n = syncs.iter().filter(|v| free(v)).count();
    (n as f64 >= ALL_BUT * syncs.len() as f64).then_some(n)
}

/// Share of the sampled locks that must be free (an edit or two in progress holds some).
const ALL_BUT: f64 = 0.95;

/// The evidence of a lock map whose keys no other structure holds (nor, for most, any object
/// outside it) and whose sampled locks are nearly all free: a lock for every key ever locked,
/// hardly any in use.
fn no_home(
    c: &Candidate,
    class: &str,
    sampled: usize,
    free: usize,
) -> super::super::model::Evidence {
    evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{} per-key {class}s, {STALE_LOCK_WORDS} no structure holds: none of {sampled} sampled keys is a key of another map, and {free} sampled locks are free (no owner, no hold count); a lock is added for every key ever locked and not removed when its work is done",
            thousands(c.entries),
        ),
    )
}
