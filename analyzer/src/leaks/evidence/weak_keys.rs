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
    }
}
