//! Times one list away: an entry that keeps its history in a list of its own
//! (`UndoStack { edits }`, `HostPool { idle }`) holds no time of its own, but the elements of
//! that list do (`edits[].at`, `idle[].lastUsedAt`). The oldest of them dates when the entry
//! began, the newest when it was last touched, as its own fields would. Read only when the
//! entries hold no time of their own nor one reference away ([`super::wrapped`]); only for
//! array-backed lists (`ArrayList`, `ArrayDeque`), of whose elements the first and last few in
//! the list's order (a deque's from its head) are read; not for a class group. Values are read
//! only to compute durations.

use hprof_parser::BasicType;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::query::collections::{deque_first, Shape};
use crate::query::elements::{spec_lookup, SpecOf};
use crate::query::find::{ref_node, views};
use crate::query::objects::{node_kind, NodeKind, ObjectView};

use super::super::candidate::Candidate;
use super::super::model::LeakKind;
use super::ages::{add_time, entry_times, TimeField, FIELD_SHARE};
use super::Reads;

/// Elements read at each end of one list's array.
const PER_END: usize = 8;
/// Elements read at most over all candidates.
const MAX_ELEMENTS: usize = 1 << 15;

/// The lists of the sampled entries and their elements' views.
#[derive(Default)]
pub(crate) struct ListTimes {
    /// Per entry: (field, the elements read from the list in that field).
    by_entry: FxHashMap<u32, Vec<(String, Vec<u32>)>>,
    /// The elements read.
    views: FxHashMap<u32, ObjectView>,
}

/// Reads the elements of the array-backed lists the sampled entries of `cands` hold in their
/// own fields (`views`: the entries' views).
pub(crate) fn gather(
    a: &Analysis,
    cands: &[Candidate],
    entry_views: &FxHashMap<u32, ObjectView>,
) -> ListTimes {
    let spec_of = spec_lookup(a);
    let mut out = ListTimes::default();
    let lists = entry_lists(a, cands, entry_views, &spec_of);
    // A deque's elements start at its head: its view says where (one pass for all of them).
    let deques: Vec<u32> = lists
        .iter()
        .flat_map(|(_, ls)| ls.iter().map(|l| l.1))
        .filter(|&w| spec_of(w).is_some_and(|s| s.class == "java.util.ArrayDeque"))
        .collect();
    let deque_views = views(a, &deques);
    let mut nodes: Vec<u32> = Vec::new();
    for (v, ls) in lists {
        let mut read = Vec::new();
        for (field, w) in ls {
            let first = match (deque_views.get(&w), spec_of(w)) {
                (Some(view), Some(spec)) => deque_first(view, spec),
                _ => 0,
            };
            let ends = ends(a, w, first);
            if !ends.is_empty() {
                nodes.extend(&ends);
                read.push((field, ends));
            }
        }
        if !read.is_empty() {
            out.by_entry.insert(v, read);
        }
    }
    nodes.sort_unstable();
    nodes.dedup();
    out.views = views(a, &nodes);
    out
}

/// The array-backed lists (field, list) each sampled entry of `cands` holds in its own fields,
/// for at most about [`MAX_ELEMENTS`] elements read.
fn entry_lists(
    a: &Analysis,
    cands: &[Candidate],
    entry_views: &FxHashMap<u32, ObjectView>,
    spec_of: &SpecOf,
) -> Vec<(u32, Vec<(String, u32)>)> {
    let judged = cands
        .iter()
        .filter(|c| c.kind != LeakKind::ClassGroup && c.collection.is_some());
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut out = Vec::new();
    let mut count = 0;
    for v in judged.flat_map(|c| c.values.iter().copied()) {
        if count * 2 * PER_END >= MAX_ELEMENTS || !seen.insert(v) {
            continue;
        }
        let Some(view) = entry_views.get(&v) else {
            continue;
        };
        let lists: Vec<(String, u32)> = view
            .fields
            .iter()
            .filter(|f| f.ty == BasicType::Object && f.raw != 0)
            .filter_map(|f| Some((f.name.clone(), ref_node(a, view, &f.name)?)))
            .filter(|&(_, w)| matches!(spec_of(w).map(|s| s.shape), Some(Shape::Array(_))))
            .collect();
        if !lists.is_empty() {
            count += lists.len();
            out.push((v, lists));
        }
    }
    out
}

/// The first and last [`PER_END`] elements of list `w`, in its order: its array's non-null
/// slots from the one at `first` (a wrapped deque's head) round to the one before it.
fn ends(a: &Analysis, w: u32, first: usize) -> Vec<u32> {
    let Some(&array) = a
        .graph
        .refs(w)
        .iter()
        .find(|&&r| node_kind(a, r) == NodeKind::ObjectArray)
    else {
        return Vec::new();
    };
    let elements = a.graph.refs(array);
    let first = if first < elements.len() { first } else { 0 };
    let ordered = || elements[first..].iter().chain(&elements[..first]).copied();
    if elements.len() <= 2 * PER_END {
        return ordered().collect();
    }
    let tail = ordered().skip(elements.len() - PER_END);
    ordered().take(PER_END).chain(tail).collect()
}

/// Per path (`edits[first].at`, `edits[last].at`), (entry, time) of every sampled entry whose
/// list in that field has elements with a time in that field: the oldest as `first`, the
/// newest as `last`; paths present in fewer than most of the `n` sampled entries are dropped.
pub(super) fn list_times(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    n: usize,
) -> Vec<TimeField> {
    let mut fields: Vec<TimeField> = Vec::new();
    if c.kind == LeakKind::ClassGroup {
        return fields;
    }
    for &v in &c.values {
        let Some(lists) = reads.lists.by_entry.get(&v) else {
            continue;
        };
        for (field, elements) in lists {
            for (name, (first, last)) in spans(a, elements, reads, now) {
                for (end, t) in [("first", first), ("last", last)] {
                    let path = format!("{field}[{end}].{name}");
                    add_time(&mut fields, path, v, t);
                }
            }
        }
    }
    fields.retain(|f| f.1.len() as f64 >= FIELD_SHARE * n as f64);
    fields
}

/// Per time field of the `elements`, the oldest and newest time in it.
fn spans(a: &Analysis, elements: &[u32], reads: &Reads, now: u64) -> Vec<(String, (u64, u64))> {
    let mut out: Vec<(String, (u64, u64))> = Vec::new();
    for view in elements.iter().filter_map(|e| reads.lists.views.get(e)) {
        for (name, t) in entry_times(view, reads, a, now) {
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some((_, span)) => *span = (span.0.min(t), span.1.max(t)),
                None => out.push((name, (t, t))),
            }
        }
    }
    out
}
