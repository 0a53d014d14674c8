//! An order list that outgrew its map: a list or queue in one field of an object beside a map
//! in another, holding elements of the map's key class, orders that map's keys (a hand-written
//! LRU's recency list, a FIFO cache's eviction queue) and holds each key once. Ten times as many
//! elements as the map has keys, nearly all of the sampled ones among those keys (the same
//! object, or for Strings the same text), are positions added (on every hit) and never removed:
//! the map stays at its cap while the list grows. A list of other values of the key class (a
//! dictionary of words beside a map of font names) is no order of the map. Texts are compared,
//! never shown.

use hprof_parser::BasicType;
use rustc_hash::FxHashSet;

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::query::collections::{contents, Shape};
use crate::query::elements::spec_lookup;
use crate::query::find::ref_node;
use crate::query::objects::node_class;
use crate::query::strings::strings_never_shown;
use crate::query::table_keys::table_keys;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// Words of the evidence (the advice matches them).
pub(crate) const OUTGROWN_WORDS: &str = "positions are added";
/// Elements per key of the map from which the list outgrew it.
const OUTGROWN: u64 = 10;
/// Elements needed for a judgement.
const MANY: u64 = 1000;
/// Sampled elements needed for a judgement.
const MIN_SAMPLED: usize = 20;
/// Share of the sampled elements that must be keys of the map.
const KEY_SHARE: f64 = 0.8;

/// Adds moderate leak evidence to a list holding [`OUTGROWN`] times as many elements, of the
/// key class, as a map beside it has keys.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let (Some(node), Some(h)) = (c.node, c.holding.as_ref()) else {
        return;
    };
    let spec_of = spec_lookup(a);
    let is_map = |w: u32| spec_of(w).is_some_and(|s| matches!(s.shape, Shape::HashTable { .. }));
    if c.entries < MANY || is_map(node) || c.element_class.is_empty() {
        return;
    }
    let Some(owner) = reads.views.get(&h.owner) else {
        return;
    };
    let beside = owner
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.name != h.holder.field);
    for f in beside {
        let Some(w) = ref_node(a, owner, &f.name).filter(|&w| w != node && is_map(w)) else {
            continue;
        };
        // The occupied buckets of its table bound its keys from below, in the graph alone: a
        // map too big for the list is passed over without reading it (a pass over the dump).
        let buckets = super::dropped::own_arrays(a, w)
            .iter()
            .map(|&t| a.graph.refs(t).len() as u64)
            .max()
            .unwrap_or(0);
        let Some(spec) = spec_of(w).filter(|_| buckets > 0 && c.entries >= OUTGROWN * buckets)
        else {
            continue;
        };
        let map = contents(a, w, spec);
        let key_class = map.keys.first().map(|&k| node_class(a, k));
        if map.entries == 0
            || c.entries < OUTGROWN * map.entries
            || key_class.as_deref() != Some(c.element_class.as_str())
            || !orders_keys(a, c, w, map.keys[0])
        {
            continue;
        }
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::Leak,
            Strength::Moderate,
            format!(
                "it holds {} {} beside the {} keys of the {} in field {}: a list ordering the map's keys holds each once, so {OUTGROWN_WORDS} (on every use) and never removed",
                thousands(c.entries),
                simple_name(&c.element_class),
                thousands(map.entries),
                simple_name(&node_class(a, w)),
                f.name
            ),
        ));
        return;
    }
}

/// Whether [`KEY_SHARE`] of the sampled elements of `c` are keys of `map` (whose key `first`
/// gives the class): the same objects, or Strings of the same text.
fn orders_keys(a: &Analysis, c: &Candidate, map: u32, first: u32) -> bool {
    let n = c.values.len();
    let limit = usize::try_from(c.entries / OUTGROWN).unwrap_or(usize::MAX);
    let Some(keys) = table_keys(a, map, a.graph.class_of(first), limit) else {
        return false;
    };
    if n < MIN_SAMPLED {
        return false;
    }
    let among = if c.element_class == "java.lang.String" {
        let texts = strings_never_shown(a, &keys);
        let known: FxHashSet<&String> = texts.values().collect();
        let sampled = strings_never_shown(a, &c.values);
        c.values
            .iter()
            .filter(|v| sampled.get(v).is_some_and(|t| known.contains(t)))
            .count()
    } else {
        let known: FxHashSet<u32> = keys.into_iter().collect();
        c.values.iter().filter(|v| known.contains(v)).count()
    };
    among as f64 >= KEY_SHARE * n as f64
}
