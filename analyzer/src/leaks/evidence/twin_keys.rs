//! Twin keys: a hash map (or set) holding distinct keys that are equal field for field (among
//! the sampled buckets' first keys and the keys chained after them: keys whose class has a
//! `hashCode` but no `equals` share one bucket, so only the chains show them). A map
//! whose key class compares by value can hold no two such keys, so the key class does not: its
//! `equals` or `hashCode` is missing or broken (an `equals(Key)` overload, a `hashCode` left to
//! `Object`). Every lookup then misses and every put adds an entry: a memo or cache that only
//! grows. Key fields are read only to compare keys with each other; nothing is shown.

use std::hash::{Hash, Hasher};

use hprof_parser::BasicType;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::load::classes::ClassIdx;
use crate::query::collections::{is_jdk_class, Shape};
use crate::query::objects::{locate, node_class, read_object, ObjectView};
use crate::query::strings::strings_never_shown;
use crate::query::table_keys::table_keys;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::Reads;

/// Sampled keys needed for a judgement.
const MIN_KEYS: usize = 20;
/// Sampled keys that equal an earlier sampled key, at least.
const MIN_TWINS: usize = 8;
/// Share of the sampled keys that equal an earlier one, at least.
const TWIN_SHARE: f64 = 0.05;
/// Keys compared one by one at most, for the exact count (what bounds its memory).
const MAX_EXACT: usize = 2_000_000;

/// Adds the twin-key evidence of a hash map or hash set (one collection, not a field's
/// collections in many objects added up).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    // Keys of one field's maps in many objects (a map per worker) may well be equal across
    // maps: the sample does not say which map each came from.
    let Some(facts) = c.collection.as_ref().filter(|_| c.instances <= 1) else {
        return;
    };
    // The sampled buckets' first keys and the keys chained after them (of the same hash).
    let (first, chained) = match facts.spec.shape {
        Shape::HashTable { .. } => (&c.keys, &c.chained_keys),
        Shape::MapBackedSet(_) => (&c.values, &c.chained),
        _ => return,
    };
    let mut seen = FxHashSet::default();
    let keys: Vec<u32> = first
        .iter()
        .copied()
        .chain(chained.iter().flat_map(|p| [p.0, p.1]))
        .filter(|&k| seen.insert(k))
        .collect();
    let keys = keys.as_slice();
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
    let exact = exact_count(a, c, a.graph.class_of(keys[0]));
    let counted = match exact {
        Some((all, distinct)) => format!(
            "; all {} keys hold {} distinct values, so {} entries can never be found again",
            thousands(all),
            thousands(distinct),
            thousands(all - distinct)
        ),
        None => String::new(),
    };
    if let Some((all, distinct)) = exact {
        c.left_in_sample = Some((LeftBy::TwinKeys, all - distinct, all));
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{twins} of {} sampled keys ({short}) equal another sampled key field for field: a map whose key class compares by value holds no two such keys, so its equals or hashCode is missing or broken; lookups miss and every put adds an entry{counted}",
            keys.len(),
        ),
    ));
}

/// Every key of the candidate's one hash table (up to [`MAX_EXACT`]), and how many distinct
/// values they hold; None for a field's many tables, a table too big or keys unread.
fn exact_count(a: &Analysis, c: &Candidate, key_class: ClassIdx) -> Option<(u64, u64)> {
    if c.instances != 1 {
        return None;
    }
    let all = table_keys(a, c.node?, key_class, MAX_EXACT)?;
    let offs = locate(a, &all);
    let views: Vec<ObjectView> = all
        .iter()
        .map(|k| offs.get(k).and_then(|&o| read_object(a, o, false)))
        .collect::<Option<_>>()?;
    let prints = fingerprints(a, &views.iter().collect::<Vec<_>>())?;
    let distinct: FxHashSet<u64> = prints.iter().copied().collect();
    Some((prints.len() as u64, distinct.len() as u64))
}

/// The number of `keys` that equal an earlier key field for field; None when a key cannot be
/// read or carries nothing to compare.
fn twins(a: &Analysis, keys: &[u32], reads: &Reads) -> Option<usize> {
    let views: Vec<&ObjectView> = keys
        .iter()
        .map(|k| reads.views.get(k))
        .collect::<Option<_>>()?;
    let prints = fingerprints(a, &views)?;
    let distinct: FxHashSet<u64> = prints.iter().copied().collect();
    Some(prints.len() - distinct.len())
}

/// The fingerprint of each key; None when a key carries nothing to compare (no field set).
fn fingerprints(a: &Analysis, views: &[&ObjectView]) -> Option<Vec<u64>> {
    let strings: Vec<u32> = views.iter().flat_map(|v| string_fields(a, v)).collect();
    let text = strings_never_shown(a, &strings);
    views
        .iter()
        .map(|v| (!v.fields.iter().all(|f| f.raw == 0)).then(|| fingerprint(a, v, &text)))
        .collect()
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
