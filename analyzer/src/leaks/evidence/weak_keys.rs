//! Weak keys held strongly: a `WeakHashMap` whose values reference their own keys (directly or
//! through one object) never loses an entry, since the value keeps the weak key reachable. The
//! map is an ordinary unbounded map in disguise.

use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Pairs needed for a judgement.
const MIN_PAIRS: usize = 20;
/// Share of pairs whose value reaches its key.
const HOLDING: f64 = 0.8;

/// Whether `value` references `key` directly or through one object.
fn reaches(a: &Analysis, value: u32, key: u32) -> bool {
    a.graph
        .refs(value)
        .iter()
        .any(|&w| w == key || a.graph.refs(w).contains(&key))
}

/// Adds the weak-key evidence of a `WeakHashMap`.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    let weak = c
        .collection
        .as_ref()
        .is_some_and(|f| f.spec.class == "java.util.WeakHashMap");
    if !weak || c.pairs.len() < MIN_PAIRS {
        return;
    }
    let n = c.pairs.len();
    let held = c.pairs.iter().filter(|&&(k, v)| reaches(a, v, k)).count();
    if held as f64 >= HOLDING * n as f64 {
        c.add(evidence(
            EvidenceName::Captures,
            Supports::Leak,
            Strength::Strong,
            format!(
                "a WeakHashMap whose values reference their own keys ({held} of {n} sampled): the values keep the weak keys reachable, so no entry is ever removed"
            ),
        ));
    } else if held == 0 {
        held_elsewhere(a, c);
    }
}

/// Share of the sampled keys that something outside the map must hold.
const ELSEWHERE: f64 = 0.9;
/// Dominator steps from a key up to its map (map, table, entry, value and a few objects on).
const KEY_DEPTH: usize = 64;

/// A `WeakHashMap` whose values do not reference their keys, and whose keys something outside
/// the map holds strongly (the live quiz nights of a scoreboard side table): each entry goes
/// when its key is dropped, so the map follows the live keys. Strong evidence of a bound.
fn held_elsewhere(a: &Analysis, c: &mut Candidate) {
    let Some(map) = c.node else { return };
    let n = c.pairs.len();
    let elsewhere = c
        .pairs
        .iter()
        .filter(|&&(k, _)| {
            a.dom.is_reachable(k) && !crate::leaks::detect::dominated_by(a, k, map, KEY_DEPTH)
        })
        .count();
    if (elsewhere as f64) < ELSEWHERE * n as f64 {
        return;
    }
    c.add(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Strong,
        format!(
            "a WeakHashMap whose keys other structures hold ({elsewhere} of {n} sampled) and whose values do not reference them: each entry goes when its key is dropped, so the map follows the live keys"
        ),
    ));
}
