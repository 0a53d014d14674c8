//! Entries kept under the id of a thread that has ended: a map keyed by
//! `Thread.currentThread().getId()` (a boxed `Long`) holding a per-thread context, where each
//! job's thread puts its own entry and nothing removes it when the thread ends. Unlike a map
//! keyed by the `Thread` ([`super::ended_threads`]), nothing of the thread is left to read:
//! an ended thread's object is collected. What the dump still shows is that the keys are
//! thread ids (a thread word in the holder field's name or in the entries' fields, and every
//! sampled key between 1 and the last id the JVM handed out, `Thread.threadSeqNumber`) and
//! that no live thread has them. Key values are read only to compare, never shown. Dumps
//! without `threadSeqNumber` (JDK 19 and later keep the counter elsewhere) get no such
//! evidence.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::{instances_of, ref_node, subclass_table, views};

use super::super::candidate::Candidate;
use super::super::model::EvidenceName;
use super::consumer::ended;
use super::Reads;

/// Sampled keys needed for a judgement.
const MIN_SAMPLED: usize = 20;

/// Adds the ended-thread-ids evidence: most sampled keys are ids of threads no longer alive.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.evidence.iter().any(|e| e.name == EvidenceName::Finished) || !thread_words(c, reads) {
        return;
    }
    let Some(ids) = key_ids(a, c, reads) else {
        return;
    };
    let Some(last) = last_thread_id(a) else {
        return;
    };
    if ids.iter().any(|&k| k < 1 || k > last) {
        return;
    }
    let alive = live_thread_ids(a);
    let n = ids.len();
    let gone = ids.iter().filter(|k| !alive.contains(k)).count();
    if (gone as f64) < super::ended_threads::MOST * n as f64 {
        return;
    }
    super::ended_threads::add_ended(c, gone, n, |estimate| {
        format!(
            "{gone} of {n} sampled keys are thread ids (all within the {} ids the JVM has handed out) that no live thread has: each entry was put under its thread's id and stayed after the thread ended, about {} entries",
            thousands(last as u64),
            thousands(estimate)
        )
    });
}

/// Whether the holder field or the entries' own fields name a thread (`CONTEXT_BY_THREAD`,
/// a context's `threadName`): keys that are merely small numbers are not taken for thread ids.
fn thread_words(c: &Candidate, reads: &Reads) -> bool {
    let named = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("thread") || super::ages::words(&s).iter().any(|w| w == "tid")
    };
    if c.holding.as_ref().is_some_and(|h| named(&h.holder.field)) {
        return true;
    }
    let views: Vec<_> = c.values.iter().filter_map(|v| reads.views.get(v)).collect();
    let with = views
        .iter()
        .filter(|v| v.fields.iter().any(|f| named(&f.name)))
        .count();
    !views.is_empty() && with * 2 >= views.len()
}

/// The values of the sampled keys, when there are enough and all are boxed `Long`s or
/// `Integer`s.
fn key_ids(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Vec<i64>> {
    if c.keys.len() < MIN_SAMPLED {
        return None;
    }
    let boxes = ["java.lang.Long", "java.lang.Integer"].map(|n| a.heap.classes.by_name(n));
    c.keys
        .iter()
        .map(|&k| {
            let numeric =
                a.graph.class_object(k).is_none() && boxes.contains(&Some(a.graph.class_of(k)));
            reads.views.get(&k).filter(|_| numeric)?.integer("value")
        })
        .collect()
}

/// The last thread id the JVM handed out (`Thread.threadSeqNumber`, JDK 18 and earlier).
fn last_thread_id(a: &Analysis) -> Option<i64> {
    let k = a.heap.classes.by_name("java.lang.Thread")?;
    let node = a.graph.ids.get(a.heap.classes.get(k).id)?;
    let statics = views(a, &[node]);
    statics.get(&node)?.integer("threadSeqNumber")
}

/// The ids of the threads in the dump that have not ended.
fn live_thread_ids(a: &Analysis) -> FxHashSet<i64> {
    let table = subclass_table(a, &["java.lang.Thread"]);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    let threads: Vec<u32> = instances_of(a, &wanted)
        .into_iter()
        .filter(|&t| a.dom.is_reachable(t))
        .collect();
    let read = views(a, &threads);
    let holder_nodes: Vec<u32> = read
        .values()
        .filter(|v| v.field("threadStatus").is_none())
        .filter_map(|v| ref_node(a, v, "holder"))
        .collect();
    let holders = views(a, &holder_nodes);
    read.values()
        .filter(|v| ended(a, v, &holders) == Some(false))
        .filter_map(|v| v.integer("tid"))
        .collect()
}
