//! Unshared keys: keys that nothing outside their map references, where that means no code can
//! use them again. An identity map (`IdentityHashMap`) finds a key only through the very
//! object, so a key that only the map holds can never be looked up, replaced or removed again:
//! only iterating the map reaches it (a serializer's reused `visited` map never cleared between
//! calls keeps every graph it ever wrote). A map whose keys are its own values (a
//! canonicalizing pool, `putIfAbsent(s, s)`) exists so that many holders share one copy:
//! canonical copies that nothing else references are shared by nobody, and when they are most
//! of a big pool the pool keeps every distinct value it was ever given (unless a bound, an LRU
//! or a cap reached, makes it forget: such a pool is not judged). Keys shared with the rest of
//! the heap (a directory's members, the strings of a log ring) are counted apart. The dominator
//! tree says which keys only the map holds; no value is read beyond the references.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::{locate, node_class, read_object};
use crate::query::table_keys::table_keys;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Keys needed for a judgement.
const MIN_KEYS: u64 = 1_000;
/// Share of the keys only the map holds, at least.
const UNSHARED_SHARE: f64 = 0.5;
/// Sampled pairs needed to call a map a pool of its own keys.
const MIN_PAIRS: usize = 20;
/// Share of sampled pairs whose key is their value, at least, for a pool.
const POOL_SHARE: f64 = 0.9;
/// Words of the identity-map evidence (the advice matches them).
pub(crate) const IDENTITY_WORDS: &str = "held by nothing but this identity map";
/// Words of the pool evidence (the advice matches them).
pub(crate) const POOL_WORDS: &str = "a pool of its own keys";
/// Keys read at most (what bounds the memory of one judgement).
const MAX_KEYS: usize = 4_000_000;

/// Adds the unshared-key evidence of an identity map or of a pool of its own keys.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    if c.instances != 1 || c.collection.is_none() {
        return;
    }
    let Some(map) = c.node else {
        return;
    };
    if let Some(map) = identity_map(a, map) {
        identity(a, c, map);
    } else if is_pool(c) && !bounded(c) {
        pool(a, c, map);
    }
}

/// The `IdentityHashMap` a collection is, or the one a set over it wraps
/// (`Collections.newSetFromMap(new IdentityHashMap<>())`, a serializer's `visited` set).
fn identity_map(a: &Analysis, node: u32) -> Option<u32> {
    const IDENTITY: &str = "java.util.IdentityHashMap";
    match node_class(a, node).as_str() {
        IDENTITY => Some(node),
        "java.util.Collections$SetFromMap" => a
            .graph
            .refs(node)
            .iter()
            .copied()
            .find(|&w| node_class(a, w) == IDENTITY),
        _ => None,
    }
}

/// Whether a bound (a cap reached, an LRU) was found: such a pool forgets what it is not asked
/// for, whoever shares it.
fn bounded(c: &Candidate) -> bool {
    c.evidence
        .iter()
        .any(|e| e.name == EvidenceName::Bound && e.supports == Supports::MemoryHungry)
}

/// Whether most sampled pairs of a hash map have their key as their value.
fn is_pool(c: &Candidate) -> bool {
    let n = c.pairs.len();
    let own = c.pairs.iter().filter(|p| p.0 == p.1).count();
    n >= MIN_PAIRS && own as f64 >= POOL_SHARE * n as f64
}

/// The identity map's keys that only it holds.
fn identity(a: &Analysis, c: &mut Candidate, map: u32) {
    let Some((table, keys)) = identity_keys(a, map) else {
        return;
    };
    let Some((unshared, all)) = judged(a, &keys, &[map, table]) else {
        return;
    };
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of its {} keys are {IDENTITY_WORDS}: an IdentityHashMap finds a key only through the very object, so no lookup can reach these entries again (only iterating the map does)",
            thousands(unshared),
            thousands(all)
        ),
    ));
}

/// The table of an `IdentityHashMap` and its keys (the even slots), read in one pass.
fn identity_keys(a: &Analysis, map: u32) -> Option<(u32, Vec<u32>)> {
    let table = a
        .graph
        .refs(map)
        .iter()
        .copied()
        .find(|&w| node_class(a, w) == "java.lang.Object[]")?;
    let offs = locate(a, &[table]);
    let view = read_object(a, *offs.get(&table)?, false)?;
    let keys: Vec<u32> = view
        .elements
        .iter()
        .step_by(2)
        .filter(|&&id| id != 0)
        .filter_map(|&id| a.graph.ids.get(id))
        .take(MAX_KEYS)
        .collect();
    Some((table, keys))
}

/// The pool's canonical copies that only it holds.
fn pool(a: &Analysis, c: &mut Candidate, map: u32) {
    let Some(&(first, _)) = c.pairs.first() else {
        return;
    };
    let Some(keys) = table_keys(a, map, a.graph.class_of(first), MAX_KEYS) else {
        return;
    };
    let Some((unshared, all)) = judged(a, &keys, &[map]) else {
        return;
    };
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{POOL_WORDS} (each key is its value: a canonicalizing map): nothing else references {} of its {} canonical copies, so a pool kept to share one copy shares these with nobody and keeps every distinct value it was given",
            thousands(unshared),
            thousands(all)
        ),
    ));
}

/// How many of `keys` only `tops` hold, and how many keys there are; None when too few keys
/// or too few of them are held only there.
fn judged(a: &Analysis, keys: &[u32], tops: &[u32]) -> Option<(u64, u64)> {
    let all = keys.len() as u64;
    if all < MIN_KEYS {
        return None;
    }
    let unshared = keys
        .iter()
        .filter(|&&k| super::dropped::dominated_by(a, k, tops))
        .count() as u64;
    (unshared as f64 >= UNSHARED_SHARE * all as f64).then_some((unshared, all))
}
