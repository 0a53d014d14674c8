//! Threads whose work the application still tracks: a thread started per connection or per
//! job captures its own object (a connection, a job), and when the application also holds
//! that object elsewhere (a map of connected clients, a registry of running jobs), the thread
//! serves something alive. A thread started per request and forgotten keeps its request alone.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, referrers};
use crate::query::holders::is_application;
use crate::query::objects::{node_class, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::Reads;

/// Threads sampled.
const SAMPLE: usize = 64;
/// Sampled threads needed for a judgement.
const MIN_SAMPLE: usize = 10;
/// Share of sampled threads whose work is held elsewhere for the evidence.
const TRACKED_SHARE: f64 = 0.9;

/// Fields of `java.lang.Thread` itself: what they hold is the thread's plumbing, not its work.
const THREAD_FIELDS: [&str; 12] = [
    "name",
    "group",
    "contextClassLoader",
    "target",
    "threadLocals",
    "inheritableThreadLocals",
    "parkBlocker",
    "blocker",
    "uncaughtExceptionHandler",
    "inheritedAccessControlContext",
    "holder",
    "scopedValueBindings",
];

/// Adds the evidence to a thread group whose threads each serve an object the application
/// also holds elsewhere.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.kind != LeakKind::Threads {
        return;
    }
    let step = (c.values.len() / SAMPLE).max(1);
    let sample: Vec<u32> = c
        .values
        .iter()
        .step_by(step)
        .take(SAMPLE)
        .copied()
        .collect();
    let work: Vec<(u32, Option<u32>, Vec<u32>)> = sample
        .iter()
        .filter_map(|&t| {
            let view = reads.views.get(&t)?;
            let target = ref_node(a, view, "target");
            Some((t, target, own_objects(a, view, target, reads)))
        })
        .collect();
    if work.len() < MIN_SAMPLE {
        return;
    }
    let mut seen: FxHashMap<u32, u32> = FxHashMap::default();
    for w in work.iter().flat_map(|w| w.2.iter()) {
        *seen.entry(*w).or_default() += 1;
    }
    // An object every thread captures (the service itself) says nothing of one thread's work.
    let unique: Vec<u32> = seen.iter().filter(|e| *e.1 == 1).map(|e| *e.0).collect();
    let mut outside: FxHashMap<u32, u32> = FxHashMap::default();
    let owner: FxHashMap<u32, (u32, Option<u32>)> = work
        .iter()
        .flat_map(|(t, target, ws)| ws.iter().map(move |&w| (w, (*t, *target))))
        .collect();
    for (r, w) in referrers(a, unique) {
        let Some(&(t, target)) = owner.get(&w) else {
            continue;
        };
        if r != t && Some(r) != target && owner.get(&r).is_none_or(|o| o.0 != t) {
            outside.insert(w, r);
        }
    }
    let tracked: Vec<(u32, u32)> = work
        .iter()
        .filter_map(|(_, _, ws)| ws.iter().find_map(|w| outside.get(w).map(|&r| (*w, r))))
        .collect();
    if (tracked.len() as f64) < TRACKED_SHARE * work.len() as f64 {
        return;
    }
    let (w, r) = tracked[0];
    c.add(evidence(
        EvidenceName::Threads,
        Supports::MemoryHungry,
        Strength::Strong,
        format!(
            "{} of {} sampled threads each work for their own {} that the application also holds elsewhere (referenced by {}): threads serving connections or jobs it still tracks, not abandoned",
            tracked.len(),
            work.len(),
            node_class(a, w),
            node_class(a, r)
        ),
    ));
}

/// The application objects a thread works for: what its task's fields reference (a lambda's
/// captured values), or a `Thread` subclass's own fields.
fn own_objects(a: &Analysis, thread: &ObjectView, target: Option<u32>, reads: &Reads) -> Vec<u32> {
    let task = target.and_then(|t| reads.linked.views.get(&t).filter(|_| is_application(a, t)));
    let fields = match task {
        Some(view) => view.fields.iter().collect::<Vec<_>>(),
        None => thread
            .fields
            .iter()
            .filter(|f| !THREAD_FIELDS.contains(&f.name.as_str()))
            .collect(),
    };
    fields
        .into_iter()
        .filter(|f| f.ty == hprof_parser::BasicType::Object && f.raw != 0)
        .filter_map(|f| a.graph.ids.get(f.raw))
        .filter(|&w| is_application(a, w) && a.graph.class_object(w).is_none())
        .collect()
}
