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
    let live = others
        .iter()
        .filter(|(node, entries, _, _)| *node != me && *entries > 0 && *entries < c.entries)
        .filter_map(|(node, entries, holder, _)| {
            let hits = hits_in(a, &keys, *node)?;
            let few = hits as f64 <= FEW * keys.count as f64;
            (hits >= SAME_IDS && few).then(|| (hits, holder.clone(), *entries))
        })
        .max_by_key(|(hits, _, _)| *hits);
    let Some((hits, holder, entries)) = live else {
        return;
    };
    let class = simple_name(&c.element_class).to_string();
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
