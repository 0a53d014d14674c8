//! Twin keys: a hash map (or set) holding distinct keys that are equal field for field. A map
//! whose key class compares by value can hold no two such keys, so the key class does not: its
//! `equals` or `hashCode` is missing or broken (an `equals(Key)` overload, a `hashCode` left to
//! `Object`). Every lookup then misses and every put adds an entry: a memo or cache that only
//! grows. Key fields are read only to compare keys with each other; nothing is shown.

use std::hash::{Hash, Hasher};

use hprof_parser::BasicType;
use rustc_hash::{FxHashMap, FxHasher};

use crate::base::text::simple_name;
use crate::dom::analysis::Analysis;
use crate::query::collections::{is_jdk_class, Shape};
use crate::query::objects::{node_class, ObjectView};
use crate::query::strings::strings_never_shown;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// Sampled keys needed for a judgement.
const MIN_KEYS: usize = 20;
/// Sampled keys that equal an earlier sampled key, at least.
const MIN_TWINS: usize = 8;
/// Share of the sampled keys that equal an earlier one, at least.
const TWIN_SHARE: f64 = 0.05;

/// Adds the twin-key evidence of a hash map or hash set.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(facts) = &c.collection else {
        return;
    };
    let keys: &[u32] = match facts.spec.shape {
        Shape::HashTable { .. } => &c.keys,
        Shape::MapBackedSet(_) => &c.values,
        _ => return,
    };
    if keys.len() < MIN_KEYS {
        return;
    }
    let class = node_class(a, keys[0]);
    if is_jdk_class(&class)
        || keys
            .iter()
            .any(|&k| a.graph.class_of(k) != a.graph.class_of(keys[0]))
    {
        return;
    }
    let Some(twins) = twins(a, keys, reads) else {
        return;
    };
    if twins < MIN_TWINS || (twins as f64) < TWIN_SHARE * keys.len() as f64 {
        return;
    }
    let short = simple_name(&class);
    if c.finding.explanation.is_empty() {
        c.finding.explanation = format!(
            "Give {short} an equals(Object) and a hashCode() over the same fields (an equals({short}) overload is never called by a HashMap)."
        );
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{twins} of {} sampled keys ({}) equal another sampled key field for field: a map whose key class compares by value holds no two such keys, so its equals or hashCode is missing or broken; lookups miss and every put adds an entry",
            keys.len(),
            short
        ),
    ));
}

/// The number of `keys` that equal an earlier key field for field; None when a key cannot be
/// read or carries nothing to compare (no field set).
fn twins(a: &Analysis, keys: &[u32], reads: &Reads) -> Option<usize> {
    let views: Vec<&ObjectView> = keys
        .iter()
        .map(|k| reads.views.get(k))
        .collect::<Option<_>>()?;
    let strings: Vec<u32> = views.iter().flat_map(|v| string_fields(a, v)).collect();
    let text = strings_never_shown(a, &strings);
    let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
    let mut twins = 0;
    for v in views {
        if v.fields.iter().all(|f| f.raw == 0) {
            return None;
        }
        *seen.entry(fingerprint(a, v, &text)).or_default() += 1;
    }
    for &n in seen.values() {
        twins += n as usize - 1;
    }
    Some(twins)
}

/// The `java.lang.String` nodes a key's fields reference.
fn string_fields<'v>(a: &'v Analysis, v: &'v ObjectView) -> impl Iterator<Item = u32> + 'v {
    v.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(move |f| a.graph.ids.get(f.raw))
        .filter(move |&w| node_class(a, w) == "java.lang.String")
}

/// A hash of a key's fields: primitives by value, Strings by their text, other references by
/// identity (two keys referencing equal but distinct objects are not called twins).
fn fingerprint(a: &Analysis, v: &ObjectView, text: &FxHashMap<u32, String>) -> u64 {
    let mut h = FxHasher::default();
    for f in &v.fields {
        let string = (f.ty == BasicType::Object && f.raw != 0)
            .then(|| a.graph.ids.get(f.raw))
            .flatten()
            .and_then(|w| text.get(&w));
        match string {
            Some(s) => s.hash(&mut h),
            None => f.raw.hash(&mut h),
        }
    }
    h.finish()
}
