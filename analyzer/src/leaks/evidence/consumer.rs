//! Consumers: a queue is a working set while a thread takes entries off it. When the component
//! that owns the queue keeps its thread in a field and that thread has ended (started, then
//! terminated: an uncaught exception, a `return` on a flag), nothing drains the queue and every
//! entry added from then on stays: a leak whose entries look young, because a queue's entries
//! are only ever added.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, subclass_table, views};
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// JVMTI's `JVMTI_THREAD_STATE_TERMINATED` bit of `Thread.threadStatus`.
const TERMINATED: u64 = 0x2;

/// Whether the candidate is a queue (its collection class ends in `Queue` or `Deque`).
fn is_queue(c: &Candidate) -> bool {
    c.collection
        .as_ref()
        .is_some_and(|f| f.spec.class.ends_with("Queue") || f.spec.class.ends_with("Deque"))
}

/// The threads the queues' owners keep in their fields, and their `Thread$FieldHolder`s
/// (where JDK 19 and later keep `threadStatus`), read from the dump.
pub(crate) fn owner_threads(
    a: &Analysis,
    cands: &[Candidate],
    views_of: &FxHashMap<u32, ObjectView>,
) -> FxHashMap<u32, ObjectView> {
    let threads = subclass_table(a, &["java.lang.Thread"]);
    let is_thread = |w: u32| {
        let k = a.graph.class_of(w);
        a.graph.class_object(w).is_none() && threads.get(k as usize).is_some_and(|t| t.is_some())
    };
    let mut nodes: Vec<u32> = Vec::new();
    for c in cands.iter().filter(|c| is_queue(c)) {
        for owner in queue_owners(a, c).iter().filter_map(|o| views_of.get(&o.1)) {
            nodes.extend(
                thread_fields(a, owner)
                    .filter(|&(_, w)| is_thread(w))
                    .map(|p| p.1),
            );
        }
    }
    nodes.sort_unstable();
    nodes.dedup();
    let mut out = views(a, &nodes);
    let holders: Vec<u32> = out
        .values()
        .filter(|v| v.field("threadStatus").is_none())
        .filter_map(|v| ref_node(a, v, "holder"))
        .collect();
    out.extend(views(a, &holders));
    out
}

/// Owners of a group's queues read at most, spread over them.
const MAX_OWNERS: usize = 64;

/// The candidate's queues and the objects that own them: the queue and the holder's owner, or
/// for one queue in each of many objects (an outbound queue per connection) a spread of the
/// queues and the objects holding them.
pub(crate) fn queue_owners(a: &Analysis, c: &Candidate) -> Vec<(u32, u32)> {
    if !is_queue(c) {
        return Vec::new();
    }
    if c.members.len() > 1 {
        let step = c.members.len().div_ceil(MAX_OWNERS).max(1);
        return c
            .members
            .iter()
            .step_by(step)
            .map(|&m| (m, a.dom.idom[m as usize]))
            .filter(|&(_, o)| {
                o != crate::graph::ids::NONE && o != crate::dom::dominators::SUPER_ROOT
            })
            .collect();
    }
    match (c.node, &c.holding) {
        (Some(v), Some(h)) => vec![(v, h.owner)],
        _ => Vec::new(),
    }
}

/// The owner's non-null reference fields: (field name, target node).
fn thread_fields<'v>(
    a: &'v Analysis,
    owner: &'v ObjectView,
) -> impl Iterator<Item = (&'v str, u32)> + 'v {
    owner
        .fields
        .iter()
        .filter(|f| f.ty == hprof_parser::BasicType::Object && f.raw != 0)
        .filter_map(move |f| ref_node(a, owner, &f.name).map(|w| (f.name.as_str(), w)))
}

/// Whether a thread has ended: its VM pointer is cleared and its status says terminated.
pub(crate) fn ended(
    a: &Analysis,
    t: &ObjectView,
    threads: &FxHashMap<u32, ObjectView>,
) -> Option<bool> {
    let status = match t.field("threadStatus") {
        Some(s) => s.raw,
        None => {
            threads
                .get(&ref_node(a, t, "holder")?)?
                .field("threadStatus")?
                .raw
        }
    };
    let running = t.field("eetop")?.raw != 0;
    Some(!running && status & TERMINATED != 0)
}

/// Adds the consumer evidence: strong for a leak when every thread the queue's owner keeps in
/// its fields has ended; for a queue in each of many objects, when the queues whose owners'
/// threads have all ended retain half or more of what the sampled queues of owners keeping
/// threads retain.
pub(crate) fn add(
    a: &Analysis,
    c: &mut Candidate,
    views_of: &FxHashMap<u32, ObjectView>,
    threads: &FxHashMap<u32, ObjectView>,
) {
    if !is_queue(c) || c.entries == 0 {
        return;
    }
    // Per queue whose owner keeps threads: its thread fields, whether all ended, its bytes.
    let queues: Vec<(Vec<&str>, bool, u64)> = queue_owners(a, c)
        .iter()
        .filter_map(|&(q, o)| Some((q, views_of.get(&o)?)))
        .map(|(q, owner)| {
            let states: Vec<(&str, bool)> = thread_fields(a, owner)
                .filter_map(|(name, w)| Some((name, ended(a, threads.get(&w)?, threads)?)))
                .collect();
            let all = !states.is_empty() && states.iter().all(|s| s.1);
            let names = states.iter().map(|s| s.0).collect::<Vec<_>>();
            (names, all, a.dom.retained.get(q))
        })
        .filter(|(names, _, _)| !names.is_empty())
        .collect();
    let bytes: u64 = queues.iter().map(|q| q.2).sum();
    let dead: Vec<&(Vec<&str>, bool, u64)> = queues.iter().filter(|q| q.1).collect();
    let dead_bytes: u64 = dead.iter().map(|q| q.2).sum();
    if dead.is_empty() || 2 * dead_bytes < bytes {
        return;
    }
    let names = dead[0].0.join(", ");
    let detail = if queues.len() == 1 && c.members.len() <= 1 {
        format!(
            "the thread its owner keeps in field {names} has ended (started, then terminated): nothing takes entries off this queue, so all {} stay",
            crate::base::text::thousands(c.entries)
        )
    } else {
        format!(
            "in {} of {} sampled owners of these queues, holding {:.0}% of what they retain, the thread kept in field {names} has ended (started, then terminated): nothing takes entries off their queues, so they stay",
            dead.len(),
            queues.len(),
            100.0 * dead_bytes as f64 / bytes.max(1) as f64
        )
    };
    c.add(evidence(
        EvidenceName::Threads,
        Supports::Leak,
        Strength::Strong,
        detail,
    ));
}
