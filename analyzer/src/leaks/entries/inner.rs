//! What the entries hold when they are collections themselves: a map of 6,000 lists says the
//! lists hold 24,000 `byte[512]` in all. Each sampled inner collection is counted from its own
//! size field (or its array), exact when every entry was sampled, else scaled to all entries;
//! the elements' class comes from a few elements of each. A hash map's inner collections of one
//! sized class (a `HashMap<String, ArrayList<..>>`) are all counted, up to [`EXACT_LIMIT`]: found
//! from the map's chain nodes in the graph, each one's size field read.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::leaks::evidence::Reads;
use crate::leaks::model::InnerEntries;
use crate::query::collections::{class_counts, collection_specs, CollectionSpec, Shape};
use crate::query::find::{ref_node, views};
use crate::query::objects::ObjectView;

/// Elements looked at per inner collection for their class.
const PER_COLLECTION: usize = 4;
/// Wrappers followed at most (`unmodifiableSet(new HashSet())` is two).
const MAX_WRAPPERS: usize = 3;
/// Primitive arrays whose length is read for the element class.
const LENGTH_SAMPLE: usize = 64;
/// Inner collections counted one by one at most (each read once from the dump).
const EXACT_LIMIT: usize = 200_000;

/// An inner collection and its own object.
struct Inner<'v> {
    spec: &'static CollectionSpec,
    view: &'v ObjectView,
    /// Reached through a set over a map: its elements are the map's keys.
    set: bool,
}

/// The entries of the inner collections among the sampled `values` of a candidate with
/// `entries` entries, when at least half of the values are collections; `map` is the
/// candidate's hash map, whose inner collections may all be counted.
pub(crate) fn inner(
    a: &Analysis,
    entries: u64,
    values: &[u32],
    map: Option<u32>,
    reads: &Reads,
) -> Option<InnerEntries> {
    let specs = collection_specs(a);
    let spec_of = |v: u32| {
        let k = a.graph.class_of(v);
        if k == NONE {
            None
        } else {
            specs[k as usize]
        }
    };
    let colls: Vec<u32> = values
        .iter()
        .copied()
        .filter(|&v| spec_of(v).is_some())
        .collect();
    if colls.is_empty() || colls.len() * 2 < values.len() {
        return None;
    }
    let own = unwrap(a, &colls, reads, &spec_of);
    let view_of = |v: u32| reads.views.get(&v).or_else(|| own.get(&v));
    let inners: Vec<Inner> = colls
        .iter()
        .filter_map(|&v| resolve(a, v, &view_of, &spec_of))
        .collect();
    let (mut total, mut counted) = (0u64, 0u64);
    let mut elements: Vec<u32> = Vec::new();
    let mut nodes: Vec<u32> = Vec::new();
    for i in &inners {
        if let Some(n) = count(a, i) {
            total += n;
            counted += 1;
        }
        sample(a, i, &mut elements, &mut nodes);
    }
    if counted == 0 {
        return None;
    }
    elements.extend(hash_values(a, &inners, &nodes));
    let exact = counted == entries && values.len() as u64 == entries;
    let every = map
        .filter(|_| !exact && colls.len() == values.len())
        .and_then(|m| count_every(a, m, entries, &colls, &spec_of));
    let (total, exact, counted) = match every {
        Some(n) => (n, true, entries),
        None if exact => (total, true, counted),
        None => (
            (total as u128 * entries as u128 / counted as u128) as u64,
            false,
            counted,
        ),
    };
    Some(InnerEntries {
        entries: total,
        exact,
        counted,
        element_class: element_class(a, &elements),
    })
}

/// The elements of every inner collection of hash map `map` (with `entries` entries), when the
/// sampled ones (`colls`) are all of one class with a size field and the map's chain nodes
/// reference exactly `entries` objects of it (so no key is of that class too). None beyond
/// [`EXACT_LIMIT`] entries.
fn count_every(
    a: &Analysis,
    map: u32,
    entries: u64,
    colls: &[u32],
    spec_of: &dyn Fn(u32) -> Option<&'static CollectionSpec>,
) -> Option<u64> {
    let class = a.graph.class_of(*colls.first()?);
    let one_class = colls.iter().all(|&v| a.graph.class_of(v) == class);
    let sized = spec_of(colls[0]).is_some_and(|s| s.size_field.is_some());
    if !one_class || !sized || entries > EXACT_LIMIT as u64 {
        return None;
    }
    let all = crate::query::table_keys::table_keys(a, map, class, EXACT_LIMIT)?;
    if all.len() as u64 != entries {
        return None;
    }
    let sizes = crate::query::elements::size_fields(a, &all, spec_of);
    (sizes.len() == all.len()).then(|| sizes.values().sum())
}

/// Views of the collections that wrappers and sets lead to, read in one pass per level.
fn unwrap(
    a: &Analysis,
    colls: &[u32],
    reads: &Reads,
    spec_of: &dyn Fn(u32) -> Option<&'static CollectionSpec>,
) -> FxHashMap<u32, ObjectView> {
    let mut own: FxHashMap<u32, ObjectView> = FxHashMap::default();
    let mut level: Vec<u32> = colls.to_vec();
    for _ in 0..MAX_WRAPPERS {
        let next: Vec<u32> = level
            .iter()
            .filter_map(|&v| {
                let (Shape::Wrapper(f) | Shape::MapBackedSet(f)) = spec_of(v)?.shape else {
                    return None;
                };
                let view = reads.views.get(&v).or_else(|| own.get(&v))?;
                ref_node(a, view, f).filter(|&w| spec_of(w).is_some())
            })
            .collect();
        if next.is_empty() {
            break;
        }
        own.extend(views(a, &next));
        level = next;
    }
    own
}

/// The collection that holds `v`'s elements, through wrappers.
fn resolve<'v>(
    a: &Analysis,
    mut v: u32,
    view_of: &dyn Fn(u32) -> Option<&'v ObjectView>,
    spec_of: &dyn Fn(u32) -> Option<&'static CollectionSpec>,
) -> Option<Inner<'v>> {
    let mut set = false;
    for _ in 0..=MAX_WRAPPERS {
        let spec = spec_of(v)?;
        let view = view_of(v)?;
        match spec.shape {
            Shape::Wrapper(f) => v = ref_node(a, view, f)?,
            Shape::MapBackedSet(f) => {
                set = true;
                v = ref_node(a, view, f)?;
            }
            _ => return Some(Inner { spec, view, set }),
        }
    }
    None
}

/// Entries of one inner collection: its size field, or the references of its array.
fn count(a: &Analysis, i: &Inner) -> Option<u64> {
    if let Some(name) = i.spec.size_field {
        let f = i.view.field(name)?;
        return match f.ty {
            BasicType::Int => Some((f.raw as u32 as i32).max(0) as u64),
            BasicType::Long => Some((f.raw as i64).max(0) as u64),
            _ => None,
        };
    }
    match i.spec.shape {
        Shape::Array(field) => ref_node(a, i.view, field).map(|arr| a.graph.refs(arr).len() as u64),
        _ => None,
    }
}

/// A few elements of an array-backed collection, or a few hash nodes to read values from.
fn sample(a: &Analysis, i: &Inner, elements: &mut Vec<u32>, nodes: &mut Vec<u32>) {
    match i.spec.shape {
        Shape::Array(field) => {
            if let Some(arr) = ref_node(a, i.view, field) {
                elements.extend(a.graph.refs(arr).iter().take(PER_COLLECTION));
            }
        }
        Shape::HashTable { table, .. } => {
            if let Some(t) = ref_node(a, i.view, table) {
                nodes.extend(a.graph.refs(t).iter().take(PER_COLLECTION));
            }
        }
        _ => {}
    }
}

/// The values of sampled hash nodes, or their keys for sets (one pass over the dump, only
/// when there are some).
fn hash_values(a: &Analysis, inners: &[Inner], nodes: &[u32]) -> Vec<u32> {
    let Some(field) = inners.iter().find_map(|i| match i.spec.shape {
        Shape::HashTable { .. } if i.set => Some("key"),
        Shape::HashTable { value, .. } => Some(value),
        _ => None,
    }) else {
        return Vec::new();
    };
    if nodes.is_empty() {
        return Vec::new();
    }
    let read = views(a, nodes);
    nodes
        .iter()
        .filter_map(|n| read.get(n).and_then(|v| ref_node(a, v, field)))
        .collect()
}

/// The most frequent element class, with the length when its primitive arrays have one.
fn element_class(a: &Analysis, elements: &[u32]) -> Option<String> {
    let (class, _) = class_counts(a, elements).into_iter().next()?;
    if !super::arrays::is_primitive_array(&class) {
        return Some(class);
    }
    let arrays: Vec<u32> = elements
        .iter()
        .copied()
        .filter(|&e| crate::query::objects::node_class(a, e) == class)
        .take(LENGTH_SAMPLE)
        .collect();
    let lengths = super::arrays::lengths(a, &arrays);
    let mut seen = lengths.values().copied();
    let first = seen.next();
    Some(match first {
        Some(n) if seen.all(|m| m == n) && lengths.len() == arrays.len() => {
            super::arrays::with_length(&class, n)
        }
        _ => class,
    })
}
