//! Sizes collections record of themselves: their size field, and for a `ConcurrentHashMap`
//! under contention the part of its count kept in `CounterCell`s (`size()` is `baseCount` plus
//! every cell's `value`), the cells of many maps found in one pass over the heap.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::objects::{locate, read_object, ObjectView};

/// The number of entries collection `view` records in its size field `name`, without what a
/// `ConcurrentHashMap` counts in its `CounterCell`s (see [`counted_in_cells`]).
pub(crate) fn recorded_size(view: &ObjectView, name: &str) -> Option<u64> {
    int_field(view, name)
}

/// The `CounterCell` array of a `ConcurrentHashMap` under contention, which counts part of its
/// additions there (`size()` is `baseCount` plus every cell's `value`); None for any other.
pub(crate) fn counter_cells(a: &Analysis, view: &ObjectView) -> Option<u32> {
    view.reference("counterCells")
        .and_then(|id| a.graph.ids.get(id))
}

/// What the cells of each (map, [`counter_cells`] array) pair count, by map: every cell of all
/// of them found in one pass over the heap.
pub(crate) fn counted_in_cells(a: &Analysis, maps: &[(u32, u32)]) -> FxHashMap<u32, u64> {
    let all: Vec<u32> = maps
        .iter()
        .flat_map(|&(_, arr)| a.graph.refs(arr).iter().copied())
        .collect();
    if all.is_empty() {
        return FxHashMap::default();
    }
    let offs = locate(a, &all);
    maps.iter()
        .map(|&(map, arr)| {
            let n = a
                .graph
                .refs(arr)
                .iter()
                .filter_map(|c| offs.get(c).and_then(|&o| read_object(a, o, false)))
                .filter_map(|cell| int_field(&cell, "value"))
                .fold(0u64, u64::saturating_add);
            (map, n)
        })
        .collect()
}

fn int_field(v: &ObjectView, name: &str) -> Option<u64> {
    v.field(name).and_then(|f| match f.ty {
        BasicType::Int => Some((f.raw as u32 as i32).max(0) as u64),
        BasicType::Long => Some((f.raw as i64).max(0) as u64),
        _ => None,
    })
}

/// The whole size of collection `c` (its object `view`, its size field `name`): the field and
/// its counter cells, when it has any (one pass over the heap for them).
pub(crate) fn size_of(a: &Analysis, c: u32, view: &ObjectView, name: &str) -> u64 {
    let cells = counter_cells(a, view).map_or(0, |arr| {
        counted_in_cells(a, &[(c, arr)])
            .get(&c)
            .copied()
            .unwrap_or(0)
    });
    recorded_size(view, name).unwrap_or(0).saturating_add(cells)
}
