//! Registries: collections of few entries whose values are arrays or collections holding
//! many elements (`PropertyChangeSupport` keeps its listeners in one array per property name,
//! a bus its subscribers in one list per topic). The inner elements are the entries judged:
//! counted, sampled and judged like a list's.

use crate::dom::analysis::Analysis;
use crate::leaks::model::LeakKind;
use crate::query::objects::{node_kind, NodeKind};

use super::super::candidate::{Candidate, CollectionFacts};
use super::collections::{kind_of, Raw};

/// Inner collections a map of few keys holds from which, even when some are big enough to be
/// judged on their own, they are judged together as the map's (a registry by topic).
const REGISTRY_KEYS: u64 = 20;

/// A registry found: the inner arrays or collections whose elements are its entries.
pub(super) struct Registry {
    /// Every inner collection, or the sampled values (arrays, or a map's not all found).
    inner: Option<Vec<u32>>,
    /// The inner collections among the collections found big enough to be judged alone.
    covered: Vec<u32>,
}

/// The registry a collection `c` of `entries` (fewer than `min_entries`) with sampled
/// `values` is, when its arrays or inner collections hold `min_entries` or more elements.
pub(super) fn find(
    a: &Analysis,
    (c, entries, values): (u32, u64, &[u32]),
    raws: &[Raw],
    min_entries: u64,
) -> Option<Registry> {
    if arrays_hold(a, values) >= min_entries {
        return Some(Registry {
            inner: None,
            covered: Vec::new(),
        });
    }
    let (held, inner) = collections_hold(a, (c, entries, values), raws)?;
    let covered = inner
        .iter()
        .copied()
        .filter(|&v| raws.iter().any(|r| r.node == v))
        .collect();
    (held >= min_entries).then_some(Registry {
        inner: Some(inner),
        covered,
    })
}

/// Makes candidate `c` (with its collection's `facts`) judge the registry's elements: the
/// listeners one by one. The inner collections it covers, not to be judged again.
pub(super) fn judge(
    a: &Analysis,
    c: &mut Candidate,
    reg: Registry,
    facts: &Option<CollectionFacts>,
) -> Vec<u32> {
    if let Some(all) = reg.inner {
        c.values = all;
    }
    let spec_of = crate::query::elements::spec_lookup(a);
    let inner = c.values.clone();
    super::inner_elements::flatten(a, c, &inner, &spec_of);
    c.entry_collections.clear();
    c.outer_keys.clear();
    // What a registry of lists holds says its kind: the listeners of a bus by topic.
    let kind = c
        .holding
        .as_ref()
        .map(|h| kind_of(facts, &c.element_classes, h));
    if kind == Some(LeakKind::Listeners) {
        c.kind = LeakKind::Listeners;
    }
    reg.covered
}

/// How many elements `values` hold when all are object arrays (a listener registry's arrays
/// by property name), else 0.
fn arrays_hold(a: &Analysis, values: &[u32]) -> u64 {
    let arrays = !values.is_empty()
        && values
            .iter()
            .all(|&v| node_kind(a, v) == NodeKind::ObjectArray);
    if !arrays {
        return 0;
    }
    values.iter().map(|&v| a.graph.refs(v).len() as u64).sum()
}

/// The inner collections of a collection of few entries whose sampled `values` are all
/// collections (a map of a few keys to sets of many subscribers each), and how many elements
/// they hold; None when they are not all collections. A few inner collections that are big
/// enough on their own (three tenants' caches, among `raws`) are candidates of their own,
/// grouped by the field that holds them: then None. Among [`REGISTRY_KEYS`] or more
/// (subscriber lists of 40 symbols, of which the most followed are big) they are the
/// registry's, judged together: every one of a hash map's, when its chains hold `entries` of
/// the sampled values' class.
fn collections_hold(
    a: &Analysis,
    (c, entries, values): (u32, u64, &[u32]),
    raws: &[Raw],
) -> Option<(u64, Vec<u32>)> {
    let spec_of = crate::query::elements::spec_lookup(a);
    let is_raw = |v: u32| raws.iter().any(|r| r.node == v);
    let any_raw = values.iter().any(|&v| is_raw(v));
    let small = !values.is_empty()
        && values.iter().all(|&v| spec_of(v).is_some())
        && (!any_raw || entries >= REGISTRY_KEYS);
    if !small {
        return None;
    }
    let class = a.graph.class_of(values[0]);
    let every = values
        .iter()
        .all(|&v| a.graph.class_of(v) == class)
        .then(|| crate::query::table_keys::table_keys(a, c, class, entries as usize))
        .flatten()
        .filter(|all| all.len() as u64 == entries);
    let inner = every.unwrap_or_else(|| values.to_vec());
    // A set's (or a wrapper's) size is its inner map's; an array-backed list's, its array's.
    let has_size = |w: u32| spec_of(w).is_some_and(|s| s.size_field.is_some());
    let counted: Vec<u32> = inner
        .iter()
        .map(|&v| {
            if has_size(v) {
                return v;
            }
            a.graph
                .refs(v)
                .iter()
                .copied()
                .find(|&w| has_size(w))
                .unwrap_or(v)
        })
        .collect();
    Some((crate::query::elements::count(a, &counted, &spec_of), inner))
}
