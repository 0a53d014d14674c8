//! Evidence: each module measures one kind of evidence on every candidate and adds named
//! pieces for or against a leak. Adding a piece of knowledge is one module here.
//!
//! The objects they read (entries, keys, holders, timestamps) are re-read from the dump once,
//! in a few batched passes ([`Reads`]); values are read only to compute evidence and never
//! leave this module except as counts, sizes and durations.

pub(crate) mod added_order;
pub(crate) mod ages;
pub(crate) mod appended;
pub(crate) mod appended_values;
pub(crate) mod bound;
pub(crate) mod byte_budget;
pub(crate) mod cancelled;
pub(crate) mod captures;
pub(crate) mod cleared_refs;
pub(crate) mod completions;
pub(crate) mod consumer;
pub(crate) mod counters;
mod dangling;
pub(crate) mod dates;
pub(crate) mod dead_tasks;
pub(crate) mod dead_tids;
mod directories;
pub(crate) mod domain;
pub(crate) mod dropped;
pub(crate) mod emptied;
pub(crate) mod ended_threads;
pub(crate) mod every;
pub(crate) mod expiry;
pub(crate) mod finished;
pub(crate) mod held;
pub(crate) mod history;
pub(crate) mod idle_limit;
pub(crate) mod in_flight;
mod index_members;
pub(crate) mod inner_spans;
pub(crate) mod keys;
pub(crate) mod lapsed;
pub(crate) mod list_caps;
pub(crate) mod list_times;
pub(crate) mod live_keys;
pub(crate) mod mbeans;
pub(crate) mod meters;
pub(crate) mod nanos;
pub(crate) mod once;
pub(crate) mod orphaned;
pub(crate) mod outer_caps;
pub(crate) mod outgrown;
pub(crate) mod outlived;
pub(crate) mod overdue;
pub(crate) mod purged;
pub(crate) mod queued;
pub(crate) mod rearmed;
pub(crate) mod retries;
pub(crate) mod scheduled;
mod scope;
pub(crate) mod series;
pub(crate) mod size;
pub(crate) mod slot_times;
pub(crate) mod stale_locks;
pub(crate) mod stale_slots;
pub(crate) mod states;
pub(crate) mod stopped;
pub(crate) mod superseded;
pub(crate) mod system_props;
pub(crate) mod thinned;
pub(crate) mod tombstones;
mod touched;
pub(crate) mod tracked;
pub(crate) mod traps;
pub(crate) mod trimmed;
pub(crate) mod twin_keys;
pub(crate) mod unshared_keys;
pub(crate) mod unused;
pub(crate) mod upcoming;
pub(crate) mod watermark;
pub(crate) mod weak_keys;
pub(crate) mod windowed;
pub(crate) mod wrapped;

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, views_at};
use crate::query::objects::locate;
use crate::query::objects::ObjectView;

use super::candidate::Candidate;

/// Objects re-read from the dump for the evidence modules.
pub(crate) struct Reads {
    /// Entry values, keys, collection objects and the objects owning the holder fields.
    pub views: FxHashMap<u32, ObjectView>,
    /// Objects the entry values reference that evidence reads: time objects
    /// (`java.time.Instant`, `java.util.Date`) and futures.
    pub nested: FxHashMap<u32, ObjectView>,
    /// Decoded text of the String keys (for shape only; never shown).
    pub key_text: FxHashMap<u32, String>,
    /// Decoded text of the keys that wrap one String (an application value class such as
    /// `record MessageId(String uuid)`), by key (for shape only; never shown).
    pub wrapped_key_text: FxHashMap<u32, String>,
    /// Threads the queues' owners keep in their fields (and their field holders).
    pub threads: FxHashMap<u32, ObjectView>,
    /// Objects the entry values reference, and the state constants of both.
    pub linked: states::Linked,
    /// The elements of the lists the entry values hold in their fields.
    pub lists: list_times::ListTimes,
}

impl Reads {
    /// Reads what the candidates need, in a few batched passes.
    pub fn gather(a: &Analysis, cands: &[Candidate]) -> Reads {
        let mut nodes: Vec<u32> = Vec::new();
        for c in cands {
            nodes.extend(&c.values);
            nodes.extend(c.chained.iter().flat_map(|p| [p.0, p.1]));
            nodes.extend(c.chained_keys.iter().flat_map(|p| [p.0, p.1]));
            nodes.extend(&c.entry_collections);
            nodes.extend(&c.keys);
            nodes.extend(&c.outer_keys);
            nodes.extend(c.node);
            if let Some(h) = &c.holding {
                nodes.push(h.owner);
            }
            nodes.extend(consumer::queue_owners(a, c).iter().map(|q| q.1));
        }
        nodes.sort_unstable();
        nodes.dedup();
        let known = locate(a, &prefetch(a, cands, &nodes));
        let views = views_at(a, &nodes, &known);
        let nested = nested_objects(a, cands, &views, &known);
        let string_keys: Vec<u32> = cands
            .iter()
            .flat_map(|c| keys::shaped_keys(c).iter().chain(&c.outer_keys).copied())
            .filter(|&k| crate::query::objects::node_class(a, k) == "java.lang.String")
            .collect();
        let key_text = crate::query::strings::strings_never_shown_at(a, &string_keys, &known);
        let wrapped_key_text = wrapped_keys(a, cands, &views, &known);
        let threads = consumer::owner_threads(a, cands, &views);
        let linked = states::gather(a, cands, &views);
        let lists = list_times::gather(a, cands, &views);
        Reads {
            linked,
            lists,
            views,
            nested,
            key_text,
            wrapped_key_text,
            threads,
        }
    }
}

/// The text of each key that is an application object referencing exactly one object, a
/// String: a value class wrapping an id (`record MessageId(String uuid)`).
fn wrapped_keys(
    a: &Analysis,
    cands: &[Candidate],
    views: &FxHashMap<u32, ObjectView>,
    known: &FxHashMap<u32, u64>,
) -> FxHashMap<u32, String> {
    let mut inner: Vec<(u32, Vec<u32>)> = Vec::new();
    for &k in cands.iter().flat_map(|c| keys::shaped_keys(c).iter()) {
        let Some(view) = views.get(&k) else { continue };
        // A non-zero long beside the String (a window's start time, a tenant's id) makes the
        // key composite: its String's shape is not the key's.
        let composite = view
            .fields
            .iter()
            .any(|f| f.ty == hprof_parser::BasicType::Long && f.raw != 0);
        if composite || !crate::query::holders::is_application(a, k) {
            continue;
        }
        let refs: Vec<u32> = view
            .fields
            .iter()
            .filter(|f| f.ty == hprof_parser::BasicType::Object && f.raw != 0)
            .filter_map(|f| ref_node(a, view, &f.name))
            .collect();
        let strings: Vec<u32> = refs
            .iter()
            .copied()
            .filter(|&w| crate::query::objects::node_class(a, w) == "java.lang.String")
            .collect();
        if (refs.len() == 1 && strings.len() == 1) || (2..=MAX_KEY_PARTS).contains(&strings.len()) {
            inner.push((k, strings));
        }
    }
    let strings: Vec<u32> = inner.iter().flat_map(|(_, w)| w.iter().copied()).collect();
    let text = crate::query::strings::strings_never_shown_at(a, &strings, known);
    inner
        .into_iter()
        .filter_map(|(k, w)| {
            let parts: Option<Vec<&str>> =
                w.iter().map(|s| text.get(s).map(String::as_str)).collect();
            let joined = parts?.join("|");
            // A key of several Strings has a shape only through a per-request part (a
            // metric's tags with the request's trace id): its other parts say nothing alone.
            (w.len() == 1 || keys::shape(&joined) == keys::KeyShape::Token).then_some((k, joined))
        })
        .collect()
}

/// The most String fields a composite key read for its shape may have (a metric series'
/// name, route, status and trace id).
const MAX_KEY_PARTS: usize = 6;

/// `nodes` and what the later reads follow from them, to locate in one pass (what an object
/// references mostly lies next to it in the dump, in pieces walked anyway): the objects the
/// entry values reference that [`nested_objects`] may read, and the keys' arrays.
fn prefetch(a: &Analysis, cands: &[Candidate], nodes: &[u32]) -> Vec<u32> {
    let nested_class: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| is_nested_class(&c.name))
        .collect();
    let is_nested = |w: u32| {
        let k = a.graph.class_of(w);
        k != crate::graph::ids::NONE
            && a.graph.class_object(w).is_none()
            && nested_class[k as usize]
    };
    let mut want = nodes.to_vec();
    for c in cands {
        for v in entry_values(c) {
            want.extend(a.graph.refs(v).iter().filter(|&&w| is_nested(w)));
        }
        for &k in &c.keys {
            want.extend(a.graph.refs(k));
        }
    }
    want.sort_unstable();
    want.dedup();
    want
}

/// The sampled entry values of `c` and the chained pairs' values (a tree bin's first entry is
/// not among the sampled ones).
fn entry_values(c: &Candidate) -> impl Iterator<Item = u32> + '_ {
    let chained = c.chained.iter().flat_map(|p| [p.0, p.1]);
    c.values.iter().copied().chain(chained)
}

/// The classes [`nested_objects`] reads.
fn is_nested_class(class: &str) -> bool {
    class == "java.time.Instant"
        || class == "java.util.Date"
        || class == windowed::DURATION
        || finished::is_future(class)
        || cancelled::is_task(class)
}

/// Instants, Dates, Durations, futures and scheduled tasks referenced by the fields of the
/// entry values and of the holders' owners (a `Duration retention`).
fn nested_objects(
    a: &Analysis,
    cands: &[Candidate],
    views_of: &FxHashMap<u32, ObjectView>,
    known: &FxHashMap<u32, u64>,
) -> FxHashMap<u32, ObjectView> {
    let mut nodes = Vec::new();
    for c in cands {
        let owner = c.holding.as_ref().map(|h| h.owner);
        for v in entry_values(c).chain(owner) {
            let Some(view) = views_of.get(&v) else {
                continue;
            };
            for f in &view.fields {
                if f.ty != hprof_parser::BasicType::Object || f.raw == 0 {
                    continue;
                }
                if let Some(w) = ref_node(a, view, &f.name) {
                    if is_nested_class(&crate::query::objects::node_class(a, w)) {
                        nodes.push(w);
                    }
                }
            }
        }
    }
    nodes.sort_unstable();
    nodes.dedup();
    views_at(a, &nodes, known)
}

/// Runs every evidence module on every candidate.
pub(crate) fn gather(
    a: &Analysis,
    cands: &mut [Candidate],
    reads: &Reads,
    series: Option<&series::Series>,
) {
    let now_ms = a.heap.dump.meta().timestamp_ms;
    let structures = domain::structures(cands);
    let indexes = index_members::find(a, cands, reads, now_ms);
    let scheduled = scheduled::find(a, cands, &indexes, reads, now_ms);
    for (c, scheduled) in cands.iter_mut().zip(&scheduled) {
        domain::add(a, c, reads, &structures);
        traps::widen_unit(a, c);
        size::add(a, c);
        bound::add(a, c, reads);
        list_caps::add(a, c, reads);
        list_caps::add_escaped(a, c, reads);
        keys::add(a, c, reads, now_ms);
        twin_keys::add(a, c, reads);
        in_flight::add(a, c);
        meters::add(a, c, reads);
        unshared_keys::add(a, c);
        if let Some(s) = scheduled {
            scheduled::add(c, s);
        } else if !retries::add(a, c, reads, now_ms)
            && !idle_limit::add(a, c, reads, now_ms)
            && expiry::add(a, c, reads, now_ms) == expiry::Expiry::None
            && !upcoming::add(a, c, reads, now_ms)
            && !purged::add(c, reads, now_ms)
        {
            ages::add(a, c, reads, now_ms);
            unused::add(a, c, reads, now_ms);
        }
        dates::add(a, c, reads, now_ms);
        captures::add(a, c, reads);
        lapsed::add(a, c, reads);
        finished::add(a, c, reads);
        cancelled::add(a, c, reads);
        outlived::add(a, c, reads, now_ms);
        cleared_refs::add(a, c, reads);
        orphaned::add(a, c, reads);
        dead_tasks::add(a, c, reads);
        dangling::add(a, c);
        ended_threads::add(a, c, reads);
        dead_tids::add(a, c, reads);
        dropped::add(a, c, reads, now_ms, &structures);
        consumer::add(a, c, &reads.views, &reads.threads);
        queued::add(a, c, reads, now_ms);
        queued::add_backlog(a, c, reads, now_ms);
        queued::add_pending_calls(a, c, reads, now_ms);
        appended::add(a, c, now_ms);
        appended_values::add(a, c, reads, now_ms);
        slot_times::add(a, c, now_ms);
        tombstones::add(c, reads, now_ms);
        stale_slots::add(a, c, reads);
        history::add(a, c, reads);
        superseded::add(c, reads);
        rearmed::add(a, c, &indexes);
        counters::add(c, reads);
        tracked::add(a, c, reads);
        traps::add(a, c);
        system_props::add(c, reads);
        mbeans::add(a, c, reads);
        overdue::add(a, c, reads, now_ms);
        emptied::add(c);
        completions::add(a, c);
        outgrown::add(a, c, reads);
        stale_locks::add(a, c, reads, &structures);
        weak_keys::add(a, c);
        if let Some(s) = series {
            series::add(a, c, s);
        }
    }
}
