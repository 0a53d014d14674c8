//! Collections inside a collection's entries: a map of live aggregates, sessions or accounts
//! whose values each keep a list in one field (`pendingEvents`, `history`, `attachments`), or
//! a buffer (`DeviceBatch.buffer`, one `ByteArrayOutputStream` per device). The
//! outer map may be a bounded directory of things in use while the memory accumulates in
//! those small lists, none big alone: judged as the map, the entries look legitimate and the
//! growth inside them is never seen. When one field's collections hold most of what the
//! sampled entries retain, that field becomes a candidate of its own: every entry's collection
//! in it, their elements counted, sampled and judged like any collection's entries. It is kept
//! only as a suspect inside a collection that is not one: judged memory-hungry (a directory of
//! live things), or undetermined (one dump shows nothing of the map itself, a fixed set of
//! customers, while the elements of their lists carry their own history). When the outer
//! collection is itself a suspect, it is the structure to judge, and what its entries hold is
//! part of it.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::buffers::buffer_specs;
use crate::query::collections::is_jdk_class;
use crate::query::elements::spec_lookup;
use crate::query::find::{instances_of, ref_node, views};
use crate::query::holders::{Holder, Holding};

use super::super::candidate::{Candidate, CollectionFacts};
use super::super::model::{Confidence, LeakKind, Verdict};
use super::dominated_by;
use super::inner_elements::flatten;

/// Share of what the sampled entries retain that one field's collections must hold.
const FIELD_SHARE: f64 = 0.2;
/// Dominator steps from an entry up to its outer collection (entry, node, table, map).
const ENTRY_DEPTH: usize = 8;
/// Elements per collection, on average, below which a field's collections accumulate nothing
/// of their own.
const MIN_PER_LIST: u64 = 2;
/// Entries of the outer collection read at most for their field.
const MAX_ENTRIES: usize = 1 << 20;

/// One candidate per collection candidate of `cands`, and per collection of few entries
/// (`few`: node and values), whose entries keep, in one field, collections holding most of
/// what they retain, and at least `floor` bytes together. The entries' classes are gathered in
/// one pass over the heap.
pub(crate) fn detect(
    a: &Analysis,
    cands: &[Candidate],
    few: &[(u32, Vec<u32>)],
    floor: u64,
) -> Vec<Candidate> {
    let outers = cands
        .iter()
        .filter(|c| c.collection.is_some() && c.entry_collections.is_empty())
        .filter_map(|c| Some((c.node?, c.values.as_slice())))
        .chain(few.iter().map(|(v, values)| (*v, values.as_slice())));
    let fields: Vec<(u32, &[u32], u32, String)> = outers
        .flat_map(|(outer, values)| {
            main_fields(a, values)
                .into_iter()
                .map(move |(k, f)| (outer, values, k, f))
        })
        .collect();
    if fields.is_empty() {
        return Vec::new();
    }
    let mut wanted = vec![false; a.heap.classes.len()];
    for &(_, _, k, _) in &fields {
        wanted[k as usize] = true;
    }
    let instances = instances_of(a, &wanted);
    let shared = shared_entries(a, &instances, &fields);
    fields
        .into_iter()
        .filter_map(|(outer, values, k, field)| {
            let mut entries: Vec<u32> = instances
                .iter()
                .copied()
                .filter(|&v| a.graph.class_of(v) == k && dominated_by(a, v, outer, ENTRY_DEPTH + 1))
                .take(MAX_ENTRIES)
                .collect();
            // The sampled values (all of them in a map of few entries) and their parts count
            // even when something else references them too (the document being edited), and
            // so do the entries a thread's local also points at.
            entries.extend(values_and_parts(a, values, k));
            entries.extend(shared.iter().filter(|s| s.0 == outer).map(|s| s.1));
            entries.sort_unstable();
            entries.dedup();
            field_candidate(a, outer, k, &field, &entries, floor)
        })
        .collect()
}

/// Dominator steps from an element of an entry's collection up to the outer collection: the
/// element, a tree map's nodes (a red-black tree of a million keys is some 40 levels deep),
/// the map, the entry, and the outer collection's node, table and map.
const DEEPER_DEPTH: usize = 64;

/// One level further down: where the elements of a field candidate's collections (an order
/// book's price levels) keep, in one field, collections of their own holding most of what they
/// retain (each level's queue of orders), that field becomes a candidate too, with every such
/// element under the same outer collection: a map of a few books, each of two maps of price
/// levels, each of a queue. Judged and kept as the first level's candidates are.
pub(crate) fn detect_deeper(a: &Analysis, first: &[Candidate], floor: u64) -> Vec<Candidate> {
    let mut fields: Vec<(u32, u32, String)> = first
        .iter()
        .filter_map(|c| Some((c.inside?, c)))
        .flat_map(|(outer, c)| {
            main_fields(a, &c.values)
                .into_iter()
                .map(move |(k, f)| (outer, k, f))
        })
        .collect();
    fields.sort_unstable();
    fields.dedup();
    // The first level's collections under each outer one: an element below one of them is
    // under that outer collection, even where a thread's local also reaches its entry.
    let mut lists: FxHashMap<u32, u32> = FxHashMap::default();
    for c in first {
        if let Some(outer) = c.inside {
            lists.extend(c.members.iter().map(|&m| (m, outer)));
        }
    }
    // Climbs until the root: the dominator of the super-root is no node to look up.
    let under = |v: u32, outer: u32| {
        let mut x = v;
        for _ in 0..DEEPER_DEPTH {
            x = a.dom.idom[x as usize];
            if x == NONE || x == crate::dom::dominators::SUPER_ROOT {
                return false;
            }
            if lists.get(&x) == Some(&outer) {
                return true;
            }
        }
        false
    };
    if fields.is_empty() {
        return Vec::new();
    }
    let mut wanted = vec![false; a.heap.classes.len()];
    for &(_, k, _) in &fields {
        wanted[k as usize] = true;
    }
    let instances = instances_of(a, &wanted);
    fields
        .into_iter()
        .filter_map(|(outer, k, field)| {
            let entries: Vec<u32> = instances
                .iter()
                .copied()
                .filter(|&v| a.graph.class_of(v) == k && under(v, outer))
                .take(MAX_ENTRIES)
                .collect();
            field_candidate(a, outer, k, &field, &entries, floor)
        })
        .collect()
}

/// Entries held by their outer collection and by something else, read at most (the objects a
/// thread's locals pointed at when the dump was taken: one or two per thread).
const MAX_SHARED: usize = 4096;
/// Levels of referrers walked up from such an entry to its collection.
const SHARED_LEVELS: usize = 3;

/// The entries (outer collection, entry) of the `fields`' classes among `instances` that an
/// outer collection holds without dominating them, because something else reaches them too
/// (the entry a method was working on when the dump was taken, held in a thread's local): one
/// of the entry's referrers lies inside the collection. One scan of the references, only when
/// such objects exist.
fn shared_entries(
    a: &Analysis,
    instances: &[u32],
    fields: &[(u32, &[u32], u32, String)],
) -> Vec<(u32, u32)> {
    let mut outers: Vec<(u32, u32)> = fields.iter().map(|f| (f.0, f.2)).collect();
    outers.sort_unstable();
    outers.dedup();
    let shared: Vec<u32> = instances
        .iter()
        .copied()
        .filter(|&v| {
            let k = a.graph.class_of(v);
            let mine = outers.iter().filter(|o| o.1 == k);
            mine.clone().next().is_some()
                && mine
                    .clone()
                    .all(|&(o, _)| !dominated_by(a, v, o, ENTRY_DEPTH + 1))
        })
        .take(MAX_SHARED)
        .collect();
    if shared.is_empty() {
        return Vec::new();
    }
    let mut found = walk_to_outers(a, &outers, &shared);
    found.sort_unstable();
    found.dedup();
    found
}

/// For each of `shared` (entries no outer collection dominates), the outer collection of
/// `outers` (collection, entry class) that one of its referrers lies in, looking up to
/// [`SHARED_LEVELS`] referrers away: (collection, entry) pairs, unsorted.
fn walk_to_outers(a: &Analysis, outers: &[(u32, u32)], shared: &[u32]) -> Vec<(u32, u32)> {
    let inside = |r: u32, k: u32| -> Option<u32> {
        outers
            .iter()
            .find(|&&(o, ko)| ko == k && (r == o || dominated_by(a, r, o, ENTRY_DEPTH)))
            .map(|o| o.0)
    };
    // (object walked from, entry it leads to), one level of referrers further each round:
    // the entry, then the node a thread's iterator also points at, then its chain.
    let mut frontier: Vec<(u32, u32)> = shared.iter().map(|&v| (v, v)).collect();
    let mut found: Vec<(u32, u32)> = Vec::new();
    let mut done: FxHashSet<u32> = FxHashSet::default();
    for _ in 0..SHARED_LEVELS {
        let mut origin: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for &(w, v) in &frontier {
            origin.entry(w).or_default().push(v);
        }
        let mut next = Vec::new();
        for (r, w) in crate::query::find::referrers(a, origin.keys().copied()) {
            for &v in &origin[&w] {
                let k = a.graph.class_of(v);
                match inside(r, k) {
                    Some(o) => {
                        found.push((o, v));
                        done.insert(v);
                    }
                    // Another entry of the same class leads nowhere new.
                    None if a.graph.class_of(r) != k => next.push((r, v)),
                    None => {}
                }
            }
        }
        next.retain(|&(_, v)| !done.contains(&v));
        next.truncate(MAX_SHARED);
        frontier = next;
        if frontier.is_empty() {
            break;
        }
    }
    found
}

/// The fields whose collections retain at least [`FIELD_SHARE`] of what the sampled values
/// retain, as the class declaring each and its name: fields of the values' class, or of an
/// application object each value holds in a field of its own (`SubtitleDocument.history` ->
/// `UndoHistory.undo`). None unless the values are of one application class.
fn main_fields(a: &Analysis, values: &[u32]) -> Vec<(u32, String)> {
    let Some(&first) = values.first() else {
        return Vec::new();
    };
    let k = a.graph.class_of(first);
    if k == NONE
        || is_jdk_class(&a.heap.classes.get(k).name)
        || values.iter().any(|&v| a.graph.class_of(v) != k)
    {
        return Vec::new();
    }
    let total: u64 = values.iter().map(|&v| a.dom.retained.get(v)).sum();
    let mut per_field: FxHashMap<(u32, String), u64> = FxHashMap::default();
    let parts = held_parts(a, values, &mut per_field);
    held_parts(a, &parts, &mut per_field);
    let mut fields: Vec<((u32, String), u64)> = per_field
        .into_iter()
        .filter(|&(_, held)| held as f64 >= FIELD_SHARE * total.max(1) as f64)
        .collect();
    fields.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    fields.into_iter().map(|(f, _)| f).collect()
}

/// Credits to `per_field` (by declaring class and field) what each of `owners`' fields'
/// collections and buffers retain, when the owner dominates them; returns the application
/// objects (not collections) the owners dominate through a field: their parts.
fn held_parts(
    a: &Analysis,
    owners: &[u32],
    per_field: &mut FxHashMap<(u32, String), u64>,
) -> Vec<u32> {
    let spec_of = spec_lookup(a);
    let buffers = buffer_specs(a);
    let mut parts = Vec::new();
    for (v, view) in views(a, owners) {
        let k = a.graph.class_of(v);
        for f in view.fields.iter().filter(|f| f.raw != 0) {
            let Some(w) = ref_node(a, &view, &f.name) else {
                continue;
            };
            if a.dom.idom[w as usize] != v {
                continue;
            }
            let buffer = buffers.get(a.graph.class_of(w) as usize).copied().flatten();
            if spec_of(w).is_some() || buffer.is_some() {
                *per_field.entry((k, f.name.clone())).or_default() += a.dom.retained.get(w);
            } else if crate::query::holders::is_application(a, w) {
                parts.push(w);
            }
        }
    }
    parts
}

/// The `values` of class `k`, and the objects of class `k` they reference directly.
fn values_and_parts(a: &Analysis, values: &[u32], k: u32) -> Vec<u32> {
    values
        .iter()
        .flat_map(|&v| std::iter::once(v).chain(a.graph.refs(v).iter().copied()))
        .filter(|&w| a.graph.class_of(w) == k && a.graph.class_object(w).is_none())
        .collect()
}

/// The candidate of `field` of the `entries` (of class `k`) of the collection `outer`.
fn field_candidate(
    a: &Analysis,
    outer: u32,
    k: u32,
    field: &str,
    entries: &[u32],
    floor: u64,
) -> Option<Candidate> {
    let mut inner: Vec<(u32, u32)> = views(a, entries)
        .into_iter()
        .filter_map(|(v, view)| Some((v, ref_node(a, &view, field)?)))
        .filter(|&(v, w)| a.dom.idom[w as usize] == v)
        .collect();
    inner.sort_unstable();
    let retained: u64 = inner.iter().map(|&(_, w)| a.dom.retained.get(w)).sum();
    let &(owner, first) = inner.first()?;
    if retained < floor.max(1) {
        return None;
    }
    let lists: Vec<u32> = inner.iter().map(|&(_, w)| w).collect();
    let class = crate::query::objects::node_class(a, first);
    let mut n = Candidate::new(LeakKind::Collection, Some(first), class, retained);
    n.members.clone_from(&lists);
    n.holding = Some(Holding {
        holder: Holder {
            class: a.heap.classes.get(k).name.clone(),
            field: field.to_string(),
            is_static: false,
        },
        owner,
        chain: vec![first],
        via: Vec::new(),
    });
    n.instances = lists.len() as u64;
    n.inside = Some(outer);
    let buffers = buffer_specs(a);
    if buffers
        .get(a.graph.class_of(first) as usize)
        .copied()
        .flatten()
        .is_some()
    {
        return super::buffers::field_of_buffers(a, n, &lists);
    }
    n.values = lists.clone();
    let spec_of = spec_lookup(a);
    flatten(a, &mut n, &lists, &spec_of);
    // Lists of a handful of elements each (a span's children) grow only with their owners,
    // which the outer collection's verdict judges: nothing accumulates inside the entries.
    if n.entries < MIN_PER_LIST * n.instances {
        return None;
    }
    // The entries judged and described are the elements, one by one: their number, what each
    // retains, how many were left behind.
    n.entry_collections.clear();
    n.outer_keys.clear();
    n.collection = Some(CollectionFacts {
        spec: spec_of(first)?,
        access_order: false,
        app_subclass: false,
        immutable: false,
        backing: None,
    });
    if let Some(h) = n.holding.as_ref() {
        n.kind = super::collections::kind_of(&n.collection, &n.element_classes, h);
    }
    Some(n)
}

/// The judged candidates without the field candidates ([`Candidate::inside`]) that are not
/// suspects inside a collection judged memory-hungry or undetermined, or inside a suspect whose
/// entries did not grow across the series while its bytes did: then the growth is inside the
/// entries, in the field, which replaces the collection. Not when the series counted another collection under
/// the suspect's holder ([`Candidate::growth_elsewhere`]).
pub(crate) fn keep_judged(
    judged: Vec<(Candidate, Verdict, Confidence)>,
    few: &[(u32, Vec<u32>)],
) -> Vec<(Candidate, Verdict, Confidence)> {
    let outer_of = |c: &Candidate, v: Verdict| -> Option<(u32, bool)> {
        let node = c.node.filter(|_| c.inside.is_none())?;
        let grew_inside =
            v.is_suspect() && !c.growth_elsewhere && c.growth.as_ref().is_some_and(same_entries);
        let not_suspect = matches!(v, Verdict::MemoryHungry | Verdict::Undetermined);
        (not_suspect || grew_inside).then_some((node, grew_inside))
    };
    // A collection of few entries is a retainer, memory-hungry by its count alone.
    let outers: Vec<(u32, bool)> = judged
        .iter()
        .filter_map(|(c, v, _)| outer_of(c, *v))
        .chain(few.iter().map(|&(v, _)| (v, false)))
        .collect();
    let kept: Vec<u32> = judged
        .iter()
        .filter(|(_, v, _)| v.is_suspect())
        .filter_map(|(c, _, _)| c.inside)
        .filter(|o| outers.iter().any(|x| x.0 == *o))
        .collect();
    // A field whose elements' own field is a suspect under the same outer collection (an
    // order book's price levels, whose queues keep the orders) is that suspect's container.
    let deeper: Vec<(u32, String)> = judged
        .iter()
        .filter(|(_, v, _)| v.is_suspect())
        .filter_map(|(c, _, _)| Some((c.inside?, c.holding.as_ref()?.holder.class.clone())))
        .collect();
    let contains_deeper = |c: &Candidate| {
        c.inside
            .is_some_and(|o| deeper.contains(&(o, c.element_class.clone())))
    };
    judged
        .into_iter()
        .filter(|(c, v, _)| match c.inside {
            Some(_) if contains_deeper(c) => false,
            Some(o) => v.is_suspect() && kept.contains(&o),
            // A grown collection whose field was kept is that field's suspect.
            None => !c
                .node
                .is_some_and(|n| kept.contains(&n) && outers.contains(&(n, true))),
        })
        .collect()
}

/// Whether a series saw the same number of entries in every dump.
fn same_entries(g: &super::super::model::SuspectGrowth) -> bool {
    let seen: Vec<u64> = g.entries.iter().flatten().copied().collect();
    seen.len() >= 2 && seen.iter().all(|&n| n == seen[0])
}
