//! Live keys: whether the keys some entries are kept under are also keys of another map of the
//! heap, a directory the application still uses (tenants, printers, users). A resource kept
//! per member of a live directory is one per member: the application has not let go of what
//! it serves, and the directory bounds it. Keys are compared by identity, or by value for
//! `String` and boxed integer keys; values are read only to compare, never shown.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::query::find::views;
use crate::query::objects::node_class;
use crate::query::strings::strings_never_shown;
use crate::query::table_keys::table_keys;

use super::super::candidate::Candidate;
use super::domain::Structure;
use super::Reads;

/// Share of the keys that must be keys of the directory.
const MOST: f64 = 0.8;
/// Keys of one directory read at most (what bounds the time and memory of a comparison).
const MAX_KEYS: usize = 1_000_000;

/// A key's value, as compared across maps.
#[derive(Clone, PartialEq, Eq, Hash)]
enum KeyValue {
    /// The text of a `String` key.
    Text(String),
    /// A boxed integer key (`Long`, `Integer`, `Short`).
    Int(u64),
}

/// Boxed integer classes whose `value` field is the key.
pub(crate) const BOXED: [&str; 3] = ["java.lang.Long", "java.lang.Integer", "java.lang.Short"];

/// The keys that sampled entries are kept under, as compared across maps.
pub(crate) struct SampledKeys {
    /// Their class.
    class: u32,
    /// Its name.
    name: String,
    /// The key objects.
    nodes: FxHashSet<u32>,
    /// The values of those that could be read.
    wanted: Vec<KeyValue>,
    /// How many keys were sampled.
    pub count: usize,
}

/// The keys that `c`'s sampled `values` are kept under: None when they are neither all
/// `String`s nor all boxed integers of one class, or under 80% of them could be read.
pub(crate) fn sampled_keys(
    a: &Analysis,
    c: &Candidate,
    values: &[u32],
    reads: &Reads,
) -> Option<SampledKeys> {
    let by_value: FxHashMap<u32, u32> = c.pairs.iter().map(|&(k, v)| (v, k)).collect();
    let keys: Vec<u32> = values
        .iter()
        .filter_map(|v| by_value.get(v).copied())
        .collect();
    let first = *keys.first()?;
    let class = a.graph.class_of(first);
    if keys.iter().any(|&k| a.graph.class_of(k) != class) {
        return None;
    }
    let name = node_class(a, first);
    let wanted: Vec<KeyValue> = keys
        .iter()
        .filter_map(|&k| own_value(k, &name, reads))
        .collect();
    if (wanted.len() as f64) < MOST * keys.len() as f64 || wanted.is_empty() {
        return None;
    }
    Some(SampledKeys {
        class,
        name,
        nodes: keys.iter().copied().collect(),
        wanted,
        count: keys.len(),
    })
}

/// How many of the sampled keys are keys of the map `other` (the same objects, or keys of the
/// same value); None when its keys cannot be read.
pub(crate) fn hits_in(a: &Analysis, keys: &SampledKeys, other: u32) -> Option<usize> {
    let theirs = table_keys(a, other, keys.class, MAX_KEYS)?;
    let shared = theirs.iter().filter(|k| keys.nodes.contains(k)).count();
    if shared as f64 >= MOST * keys.count as f64 {
        return Some(shared);
    }
    let values = key_values(a, &theirs, &keys.name);
    let by_value = keys.wanted.iter().filter(|w| values.contains(w)).count();
    Some(shared.max(by_value))
}

/// The directory (another map of `others`) whose keys hold at least 80% of the keys that
/// `c`'s sampled `values` are kept under, as (holder as displayed, its entries); None when
/// there is none or the keys are neither all `String`s nor all boxed integers of one class.
pub(crate) fn directory_of(
    a: &Analysis,
    c: &Candidate,
    values: &[u32],
    reads: &Reads,
    others: &[Structure],
) -> Option<(String, u64)> {
    let keys = sampled_keys(a, c, values, reads)?;
    let me = c.node?;
    others
        .iter()
        .filter(|(node, entries, _, _)| *node != me && *entries as usize <= MAX_KEYS)
        .find_map(|(node, entries, holder, _)| {
            let hits = hits_in(a, &keys, *node)?;
            (hits as f64 >= MOST * keys.count as f64).then(|| (holder.clone(), *entries))
        })
}

/// The value of a sampled key, from what [`Reads`] read.
fn own_value(k: u32, class: &str, reads: &Reads) -> Option<KeyValue> {
    if class == "java.lang.String" {
        return reads.key_text.get(&k).cloned().map(KeyValue::Text);
    }
    BOXED
        .contains(&class)
        .then(|| {
            reads
                .views
                .get(&k)?
                .field("value")
                .map(|f| KeyValue::Int(f.raw))
        })
        .flatten()
}

/// The values of a directory's keys of class `class`, read from the dump in one pass.
fn key_values(a: &Analysis, keys: &[u32], class: &str) -> FxHashSet<KeyValue> {
    if class == "java.lang.String" {
        return strings_never_shown(a, keys)
            .into_values()
            .map(KeyValue::Text)
            .collect();
    }
    if !BOXED.contains(&class) {
        return FxHashSet::default();
    }
    views(a, keys)
        .into_values()
        .filter_map(|v| v.field("value").map(|f| KeyValue::Int(f.raw)))
        .collect()
}
