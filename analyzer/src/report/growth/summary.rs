//! Per dump: an analysed dump reduced to the `DumpSummary` a growth report needs (holders of
//! collections with their entries and retained bytes, live classes).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::backing::Backing;
use super::model::{
    ClassSample, DumpSummary, HolderSample, HOLDER_LEVELS, MIN_HOLDER_ENTRIES, MIN_HOLDER_SHARE,
};
use crate::base::progress::Progress;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::buffers::{buffer_specs, is_buffer};
use crate::query::collections::{
    class_counts, collection_specs, contents, normalise_class, CollectionSpec, Shape,
};
use crate::query::holders::{find_holders, Holder};
use crate::query::objects::{locate, node_class, node_kind, read_object, NodeKind};
use crate::query::sizes::{counted_in_cells, counter_cells, recorded_size};
use crate::{AnalyzeError, LoadOptions};

/// Loads the dump at `path`, summarises it and drops the heap before returning: the way to
/// build a series without holding more than one heap in memory.
pub fn summarize_file(
    path: &std::path::Path,
    opts: &LoadOptions,
    progress: &dyn Progress,
) -> Result<DumpSummary, AnalyzeError> {
    let a = Analysis::load(path, opts, progress)?;
    Ok(summarize(&a))
}

/// Reduces an analysed dump to what a growth report needs (see the module documentation for
/// which holders are recorded).
pub fn summarize(a: &Analysis) -> DumpSummary {
    let mut holders = holder_samples(a);
    holders.extend(super::threadlocal_samples::samples(a));
    holders.sort_by(|x, y| {
        y.retained_bytes
            .cmp(&x.retained_bytes)
            .then_with(|| key_of(&x.holder).cmp(&key_of(&y.holder)))
    });
    let mut by_name: FxHashMap<String, ClassSample> = FxHashMap::default();
    for (k, (count, bytes)) in live_classes(a).into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        let name = if k == a.heap.classes.len() {
            "<unknown class>".to_string()
        } else {
            normalise_class(&a.heap.classes.get(k as u32).name)
        };
        let e = by_name.entry(name.clone()).or_insert(ClassSample {
            class: name,
            instances: 0,
            shallow_bytes: 0,
        });
        e.instances += count;
        e.shallow_bytes += bytes;
    }
    let mut classes: Vec<ClassSample> = by_name.into_values().collect();
    classes.sort_by(|x, y| x.class.cmp(&y.class));
    DumpSummary {
        meta: a.heap.dump.meta(),
        objects: a.graph.len() as u64,
        reachable_bytes: a.dom.reachable_bytes,
        holders,
        classes,
        warnings: a.warnings(),
    }
}

/// Strongly reachable objects and their shallow bytes per class index (the last slot: objects
/// whose class is not in the dump). Class objects count as `java.lang.Class`.
fn live_classes(a: &Analysis) -> Vec<(u64, u64)> {
    let slots = a.heap.classes.len() + 1;
    (0..a.graph.len() as u32)
        .into_par_iter()
        .with_min_len(1 << 16)
        .fold(
            || vec![(0u64, 0u64); slots],
            |mut acc, v| {
                if a.dom.is_reachable(v) {
                    let k = a.graph.class_of(v);
                    let slot = if k == NONE { slots - 1 } else { k as usize };
                    acc[slot].0 += 1;
                    acc[slot].1 += a.graph.shallow(v);
                }
                acc
            },
        )
        .reduce(
            || vec![(0u64, 0u64); slots],
            |mut x, y| {
                for (a, b) in x.iter_mut().zip(y) {
                    a.0 += b.0;
                    a.1 += b.1;
                }
                x
            },
        )
}

pub(super) type Key = (String, String, bool);

pub(super) fn key_of(h: &Holder) -> Key {
    (h.class.clone(), h.field.clone(), h.is_static)
}

/// Resolves the wrappers whose inner collection's entries are known; the rest wait for the
/// next round, which reads the inner collections returned.
fn resolve_wrappers(out: &mut FxHashMap<u32, u64>, waiting: &mut Vec<(u32, u32)>) -> Vec<u32> {
    let mut next = Vec::new();
    let mut still = Vec::new();
    for _ in 0..4 {
        still.clear();
        for &(outer, inner) in waiting.iter() {
            match out.get(&inner) {
                Some(&n) => {
                    out.insert(outer, n);
                }
                None => still.push((outer, inner)),
            }
        }
        std::mem::swap(waiting, &mut still);
    }
    for &(_, inner) in waiting.iter() {
        if !waiting.iter().any(|&(o, _)| o == inner) {
            next.push(inner);
        }
    }
    next
}

/// Entries of many collections at once: one pass locates them all (a pass per collection, as
/// [`contents`] does, would rescan the heap thousands of times). Sets and wrappers take the
/// entries of what they wrap; linked collections without a size field fall back to
/// [`contents`] (rare JDK classes).
pub(crate) fn entries_of(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    nodes: &[u32],
) -> FxHashMap<u32, u64> {
    let spec_of = |v: u32| -> Option<&'static CollectionSpec> {
        let k = a.graph.class_of(v);
        if k == NONE {
            None
        } else {
            specs[k as usize]
        }
    };
    let mut out: FxHashMap<u32, u64> = FxHashMap::default();
    // (outer, inner): outer's entries are inner's.
    let mut waiting: Vec<(u32, u32)> = Vec::new();
    let mut pending: Vec<u32> = nodes.to_vec();
    for _round in 0..4 {
        pending.retain(|v| !out.contains_key(v));
        pending.sort_unstable();
        pending.dedup();
        if pending.is_empty() {
            break;
        }
        let offs = locate(a, &pending);
        // Maps whose CounterCells count part of their size: read together after the round.
        let mut cells: Vec<(u32, u32)> = Vec::new();
        for &v in &pending {
            let Some(spec) = spec_of(v) else {
                // An array's entries are its slots.
                let len = offs.get(&v).and_then(|&o| read_object(a, o, false));
                out.insert(v, len.map_or(0, |view| view.len));
                continue;
            };
            let Some(view) = offs.get(&v).and_then(|&o| read_object(a, o, false)) else {
                out.insert(v, 0);
                continue;
            };
            let n = match (spec.size_field, spec.shape) {
                (Some(f), _) => {
                    cells.extend(counter_cells(a, &view).map(|arr| (v, arr)));
                    recorded_size(&view, f).unwrap_or(0)
                }
                (None, Shape::Array(field)) => view
                    .reference(field)
                    .and_then(|id| a.graph.ids.get(id))
                    .map_or(0, |arr| a.graph.refs(arr).len() as u64),
                (None, Shape::MapBackedSet(field) | Shape::Wrapper(field)) => {
                    match view
                        .reference(field)
                        .and_then(|id| a.graph.ids.get(id))
                        .filter(|&w| spec_of(w).is_some())
                    {
                        Some(inner) => {
                            waiting.push((v, inner));
                            continue;
                        }
                        None => 0,
                    }
                }
                (None, _) => contents(a, v, spec).entries,
            };
            out.insert(v, n);
        }
        for (v, n) in counted_in_cells(a, &cells) {
            *out.entry(v).or_default() += n;
        }
        let next = resolve_wrappers(&mut out, &mut waiting);
        pending = next;
    }
    for (outer, _) in waiting {
        out.entry(outer).or_insert(0);
    }
    out
}

/// The nearest strict dominator of `v` that is in `recorded`, not looking past a class object
/// (a static field's collection belongs to its class, the outermost owner there is). `memo`
/// caches the answer for every node walked: it is the same for everything a node dominates up
/// to the next recorded node.
fn nearest_recorded(
    a: &Analysis,
    recorded: &FxHashMap<u32, usize>,
    v: u32,
    memo: &mut FxHashMap<u32, Option<u32>>,
) -> Option<u32> {
    let mut path = Vec::new();
    let mut u = a.dom.idom[v as usize];
    let found = loop {
        if u == NONE || u == SUPER_ROOT {
            break None;
        }
        if let Some(&m) = memo.get(&u) {
            break m;
        }
        if recorded.contains_key(&u) {
            break Some(u);
        }
        if a.graph.class_object(u).is_some() {
            break None;
        }
        path.push(u);
        u = a.dom.idom[u as usize];
    };
    for p in path {
        memo.insert(p, found);
    }
    found
}

/// A holder and the collections recorded for it.
pub(super) struct Group {
    /// The field.
    pub holder: Holder,
    /// Its collections.
    pub members: Vec<u32>,
}

/// The holders of a dump's collections, with what they hold (see the module documentation).
fn holder_samples(a: &Analysis) -> Vec<HolderSample> {
    let reachable = a.dom.reachable_bytes;
    let floor = ((MIN_HOLDER_SHARE * reachable as f64) as u64).max(1);
    // A collection of MIN_HOLDER_ENTRIES entries retains at least that many references (its
    // table, array or nodes): a cheap lower bound that spares reading small collections.
    let pre_floor = floor.min(MIN_HOLDER_ENTRIES * a.heap.model.reference as u64);
    let specs = with_buffers(a);
    let mut cands = big_collections(a, &specs, pre_floor);
    let backing = Backing::take_over(a, &specs, &mut cands, |v| is_array(a, v));

    // 2. Entries; keep those over either floor (buffers: their chars are not entries, only
    // the bytes floor counts).
    let entries = entries_of(a, &specs, &cands);
    let entries_at = |v: u32| entries.get(&v).copied().unwrap_or(0);
    let by_bytes_only = |v: u32| specs[a.graph.class_of(v) as usize].is_none_or(is_buffer);
    let (mut kept, small): (Vec<u32>, Vec<u32>) = cands.into_iter().partition(|&v| {
        backing.retained(a, v) >= floor
            || (!by_bytes_only(v) && entries_at(v) >= MIN_HOLDER_ENTRIES)
    });
    kept.extend(super::one_field::buffers_of_one_field(
        a, &specs, &small, floor,
    ));
    kept.sort_unstable();
    let mut groups = by_holder(a, &specs, &kept);
    let (fields, field_entries) = super::one_field::collections_of_one_field(a, &specs, &kept);
    for g in fields {
        groups
            .entry(key_of(&g.holder))
            .or_insert(Group {
                holder: g.holder,
                members: Vec::new(),
            })
            .members
            .extend(g.members);
    }
    let mut entries = entries;
    entries.extend(field_entries);
    let mut out = samples(a, &specs, groups, (&entries, &backing));
    nest(a, &mut out, &backing);
    out.into_iter().map(|(s, _)| s).collect()
}

/// The collection spec of every class, and for the classes that are no collection the buffer
/// spec ([`crate::query::buffers`]): a buffer's holder is recorded like a collection's, its
/// entries the chars or bytes it holds.
fn with_buffers(a: &Analysis) -> Vec<Option<&'static CollectionSpec>> {
    collection_specs(a)
        .into_iter()
        .zip(buffer_specs(a))
        .map(|(c, b)| c.or(b))
        .collect()
}

/// A primitive or object array: recorded when a holder field references it directly.
fn is_array(a: &Analysis, v: u32) -> bool {
    matches!(
        node_kind(a, v),
        NodeKind::PrimitiveArray | NodeKind::ObjectArray
    )
}

/// Step 1: the collections (and arrays) big enough to look at.
fn big_collections(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    pre_floor: u64,
) -> Vec<u32> {
    (0..a.graph.len() as u32)
        .into_par_iter()
        .with_min_len(1 << 14)
        .filter(|&v| {
            let k = a.graph.class_of(v);
            k != NONE
                && a.dom.retained.get(v) >= pre_floor
                && (specs[k as usize].is_some() || is_array(a, v))
                && a.graph.class_object(v).is_none()
        })
        .collect()
}

/// Step 3, holders: a collection whose holder was reached through another held collection (a set's
/// map, a wrapper's collection, the lists in a map) is part of that one.
fn by_holder(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    kept: &[u32],
) -> FxHashMap<Key, Group> {
    let holdings = find_holders(a, kept, HOLDER_LEVELS);
    let held: Vec<(u32, crate::query::holders::Holding)> = kept
        .iter()
        .copied()
        .zip(holdings)
        .filter_map(|(v, h)| h.map(|h| (v, h)))
        .collect();
    let set: FxHashSet<u32> = held.iter().map(|(v, _)| *v).collect();
    let mut groups: FxHashMap<Key, Group> = FxHashMap::default();
    for (v, h) in held {
        let through_collection = h
            .chain
            .iter()
            .take(h.chain.len().saturating_sub(1))
            .any(|w| set.contains(w));
        // An array is recorded only when its holder field references it directly (not the
        // array of a String or of a JDK object), and the holder is no collection (the table
        // of an application subclass of HashMap is part of the map).
        let indirect_array = is_array(a, v)
            && (h.chain != [v] || {
                let k = a.graph.class_of(h.owner);
                k != NONE && specs[k as usize].is_some()
            });
        // `<resolved_references>` and other pseudo-fields: no field anyone could edit.
        if through_collection || indirect_array || h.holder.field.starts_with('<') {
            continue;
        }
        let holder = Holder {
            class: normalise_class(&h.holder.class),
            ..h.holder
        };
        groups
            .entry(key_of(&holder))
            .or_insert(Group {
                holder,
                members: Vec::new(),
            })
            .members
            .push(v);
    }
    groups
}

/// A recorded holder's sample, with its collections largest first.
type Sample = (HolderSample, Vec<u32>);

/// Step 4: what the largest collection of each holder holds; a class loader's list of its classes
/// is bookkeeping, not a holder.
fn samples(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    groups: FxHashMap<Key, Group>,
    (entries, backing): (&FxHashMap<u32, u64>, &Backing),
) -> Vec<Sample> {
    let retained = |v: u32| backing.retained(a, v);
    let entries_at = |v: u32| entries.get(&v).copied().unwrap_or(0);
    let mut out: Vec<Sample> = Vec::new();
    for mut g in groups.into_values() {
        g.members
            .sort_by(|&x, &y| retained(y).cmp(&retained(x)).then(x.cmp(&y)));
        let largest = g.members[0];
        let k = a.graph.class_of(largest);
        let element = match specs[k as usize] {
            None if node_kind(a, largest) == NodeKind::PrimitiveArray => {
                // A primitive array's entries are its slots, of its element type.
                node_class(a, largest).trim_end_matches("[]").to_string()
            }
            None if node_kind(a, largest) == NodeKind::ObjectArray => {
                // An object array's entries are its slots, of its elements' class.
                class_counts(a, a.graph.refs(largest))
                    .first()
                    .map_or_else(|| "<empty>".into(), |e| e.0.clone())
            }
            None => continue,
            Some(spec) if is_buffer(spec) => {
                // The unit a buffer's entries count.
                if spec.class.ends_with("OutputStream") {
                    "byte"
                } else {
                    "char"
                }
                .to_string()
            }
            Some(spec) => contents(a, largest, spec)
                .element_classes
                .first()
                .map(|e| e.0.clone())
                .unwrap_or_else(|| "<empty>".into()),
        };
        if element == "java.lang.Class" {
            continue;
        }
        out.push((
            HolderSample {
                holder: g.holder,
                collection_class: normalise_class(&node_class(a, largest)),
                collection_id: a.graph.ids.id(largest),
                element_class: element,
                collections: g.members.len() as u64,
                entries: g.members.iter().map(|&v| entries_at(v)).sum(),
                retained_bytes: 0,
                own_retained_bytes: 0,
                within: None,
            },
            g.members,
        ));
    }
    out
}

/// Step 5, nesting: each recorded collection's nearest recorded dominator. Every byte under a
/// recorded collection is its own unless a recorded collection nearer to it holds it.
fn nest(a: &Analysis, out: &mut [Sample], backing: &Backing) {
    let retained = |v: u32| backing.retained(a, v);
    let mut recorded: FxHashMap<u32, usize> = FxHashMap::default();
    for (i, (_, members)) in out.iter().enumerate() {
        for &v in members {
            recorded.insert(v, i);
        }
    }
    let mut memo = FxHashMap::default();
    let mut parent: FxHashMap<u32, u32> = FxHashMap::default();
    for &v in recorded.keys() {
        if let Some(p) = nearest_recorded(a, &recorded, v, &mut memo) {
            parent.insert(v, p);
        }
    }
    let mut own: Vec<i128> = vec![0; out.len()];
    for (&v, &i) in &recorded {
        own[i] += retained(v) as i128;
        if let Some(&p) = parent.get(&v) {
            own[recorded[&p]] -= retained(v) as i128;
        }
    }
    let mut within: Vec<Option<usize>> = vec![None; out.len()];
    for (i, (sample, members)) in out.iter_mut().enumerate() {
        sample.own_retained_bytes = own[i].max(0) as u64;
        // Members are largest first: `within` is the holder around the largest nested one.
        for &v in members.iter() {
            if within[i].is_none() {
                within[i] = parent.get(&v).map(|p| recorded[p]).filter(|&j| j != i);
            }
            // Retained bytes count the collections not inside another collection of this
            // holder (a recursive structure), so nothing is counted twice.
            let mut u = v;
            let mut inside_own = false;
            while let Some(p) = parent.get(&u) {
                if recorded[p] == i {
                    inside_own = true;
                    break;
                }
                u = *p;
            }
            if !inside_own {
                sample.retained_bytes += retained(v);
            }
        }
    }
    let holders: Vec<Holder> = out.iter().map(|(s, _)| s.holder.clone()).collect();
    for (i, (sample, _)) in out.iter_mut().enumerate() {
        sample.within = within[i].map(|j| holders[j].clone());
    }
}
