//! The collections a ThreadLocal keeps on each thread: its values themselves when they are
//! collections (`ThreadLocal.withInitial(ArrayList::new)`), or the collection each value (a
//! per-thread request context) holds in one field, the same in each; and their sizes, read in
//! one batch where the class keeps a size field.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::collections::{collection_specs, contents, CollectionSpec};
use crate::query::find::views;
use crate::query::sizes::{counted_in_cells, counter_cells, recorded_size};

/// A collection's spec by node, None for other objects.
pub(crate) type SpecOf<'s> = dyn Fn(u32) -> Option<&'static CollectionSpec> + 's;

/// The collection spec of every node's class.
pub(crate) fn spec_lookup(a: &Analysis) -> impl Fn(u32) -> Option<&'static CollectionSpec> + '_ {
    let specs = collection_specs(a);
    move |v: u32| {
        let k = a.graph.class_of(v);
        specs.get(k as usize).copied().flatten()
    }
}

/// The collections kept on the threads whose ThreadLocal values are `values`: the values, when
/// all are collections, else the collection each holds in one field. None when neither.
pub(crate) fn per_thread_collections(
    a: &Analysis,
    values: &[u32],
    spec_of: &SpecOf,
) -> Option<Vec<u32>> {
    if values.is_empty() {
        return None;
    }
    if values.iter().all(|&v| spec_of(v).is_some()) {
        return Some(values.to_vec());
    }
    let inner = held_collections(a, values, spec_of);
    (inner.len() == values.len()).then_some(inner)
}

/// The number of elements of `collections`, summed.
pub(crate) fn count(a: &Analysis, collections: &[u32], spec_of: &SpecOf) -> u64 {
    let sized = size_fields(a, collections, spec_of);
    collections
        .iter()
        .map(|&v| match sized.get(&v) {
            Some(&n) => n,
            None => spec_of(v).map_or(0, |spec| contents(a, v, spec).entries),
        })
        .sum()
}

/// The collections the `values` (application objects, one per thread) hold in one field, the
/// same in each: the field whose collections are the biggest in total. Empty when none.
fn held_collections(a: &Analysis, values: &[u32], spec_of: &SpecOf) -> Vec<u32> {
    let vs = views(a, values);
    let mut by_field: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for v in values {
        let Some(view) = vs.get(v) else { continue };
        for f in view.fields.iter().filter(|f| f.raw != 0) {
            let w = (f.ty == hprof_parser::BasicType::Object)
                .then(|| a.graph.ids.get(f.raw))
                .flatten();
            if let Some(w) = w.filter(|&w| spec_of(w).is_some()) {
                by_field.entry(f.name.as_str()).or_default().push(w);
            }
        }
    }
    by_field
        .into_values()
        .filter(|ws| ws.len() == values.len())
        .max_by_key(|ws| ws.iter().map(|&w| a.dom.retained.get(w)).sum::<u64>())
        .unwrap_or_default()
}

/// The sizes of the collections whose class keeps a size field, read in one batch.
pub(crate) fn size_fields(a: &Analysis, values: &[u32], spec_of: &SpecOf) -> FxHashMap<u32, u64> {
    let with: Vec<u32> = values
        .iter()
        .copied()
        .filter(|&v| spec_of(v).is_some_and(|s| s.size_field.is_some()))
        .collect();
    let mut cells: Vec<(u32, u32)> = Vec::new();
    let mut sizes: FxHashMap<u32, u64> = views(a, &with)
        .into_iter()
        .filter_map(|(v, view)| {
            cells.extend(counter_cells(a, &view).map(|arr| (v, arr)));
            Some((v, recorded_size(&view, spec_of(v)?.size_field?)?))
        })
        .collect();
    for (v, n) in counted_in_cells(a, &cells) {
        if let Some(size) = sizes.get_mut(&v) {
            *size = size.saturating_add(n);
        }
    }
    sizes
}
