//! One field's small collections in many objects: buffers (a `ByteArrayOutputStream` per
//! device) and collections (a set of quote lines per product) under the recording floors,
//! grouped by the class and field of the object that holds each directly, so that a series
//! sees a field that grows in every object though in none much.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use hprof_parser::BasicType;

use super::model::MIN_HOLDER_ENTRIES;
use super::summary::{entries_of, Group};
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::buffers::is_buffer;
use crate::query::collections::{normalise_class, CollectionSpec};
use crate::query::holders::{is_application, Holder};

/// Small buffers read at most for the field that holds them.
const MAX_SMALL_BUFFERS: usize = 1 << 16;

/// Of the `small` collections (under the floor): the buffers that, grouped by the class and
/// field of the object that holds each directly (one `ByteArrayOutputStream` per device in
/// `DeviceBatch.buffer`), retain at least `floor` together, two or more: recorded like big
/// ones, so that a series sees every buffer of the field, not only those over the floor.
pub(super) fn buffers_of_one_field(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    small: &[u32],
    floor: u64,
) -> Vec<u32> {
    let buffers: Vec<(u32, u32)> = small
        .iter()
        .copied()
        .filter(|&v| specs[a.graph.class_of(v) as usize].is_some_and(is_buffer))
        .map(|v| (v, a.dom.idom[v as usize]))
        .filter(|&(_, o)| o != NONE && o != SUPER_ROOT)
        .take(MAX_SMALL_BUFFERS)
        .collect();
    let groups = by_owner_field(a, &buffers);
    groups
        .into_values()
        .filter(|members| {
            let bytes: u64 = members.iter().map(|&v| a.dom.retained.get(v)).sum();
            bytes >= floor && members.len() >= 2
        })
        .flatten()
        .collect()
}

/// Collections under the floors read at most for the fields that hold them.
const MAX_SMALL_COLLECTIONS: usize = 1 << 18;

/// Collections not `kept` (under both floors, sorted), grouped by the class and field of the
/// application object that holds each directly (a `HashSet` of quote lines in each of 240
/// products), two or more whose entries add up to [`MIN_HOLDER_ENTRIES`]: one holder, with
/// the entries of its collections, so that a series sees a field that grows in every object
/// though in none much.
pub(super) fn collections_of_one_field(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    kept: &[u32],
) -> (Vec<Group>, FxHashMap<u32, u64>) {
    let small: Vec<(u32, u32)> = (0..a.graph.len() as u32)
        .into_par_iter()
        .with_min_len(1 << 14)
        .filter_map(|v| {
            let k = a.graph.class_of(v);
            let collection = k != NONE
                && specs[k as usize].is_some_and(|s| !is_buffer(s))
                && a.graph.class_object(v).is_none();
            let o = a.dom.idom[v as usize];
            (collection
                && o != NONE
                && o != SUPER_ROOT
                && a.graph.class_object(o).is_none()
                && is_application(a, o)
                && kept.binary_search(&v).is_err())
            .then_some((v, o))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .take(MAX_SMALL_COLLECTIONS)
        .collect();
    let mut by_field = by_owner_field(a, &small);
    by_field.retain(|_, members| members.len() >= 2);
    let all: Vec<u32> = by_field.values().flatten().copied().collect();
    let entries = entries_of(a, specs, &all);
    let groups = by_field
        .into_iter()
        .filter(|(_, members)| {
            members
                .iter()
                .map(|v| entries.get(v).copied().unwrap_or(0))
                .sum::<u64>()
                >= MIN_HOLDER_ENTRIES
        })
        .map(|((k, field), members)| Group {
            holder: Holder {
                class: normalise_class(&a.heap.classes.get(k).name),
                field,
                is_static: false,
            },
            members,
        })
        .collect();
    (groups, entries)
}

/// `(collection, owner)` pairs grouped by the owner's class and the field of the owner that
/// references the collection directly (a pair whose owner holds it otherwise is left out).
fn by_owner_field(a: &Analysis, pairs: &[(u32, u32)]) -> FxHashMap<(u32, String), Vec<u32>> {
    let mut owners: Vec<u32> = pairs.iter().map(|&(_, o)| o).collect();
    owners.sort_unstable();
    owners.dedup();
    let read = crate::query::find::views(a, &owners);
    let mut groups: FxHashMap<(u32, String), Vec<u32>> = FxHashMap::default();
    for &(v, o) in pairs {
        let id = a.graph.ids.id(v);
        let field = read.get(&o).and_then(|view| {
            view.fields
                .iter()
                .find(|f| f.ty == BasicType::Object && f.raw == id)
        });
        if let Some(f) = field {
            groups
                .entry((a.graph.class_of(o), f.name.clone()))
                .or_default()
                .push(v);
        }
    }
    groups
}
