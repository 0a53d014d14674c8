//! A finalizer backlog: objects of a class with a `finalize()` method each get a
//! `java.lang.ref.Finalizer` when allocated, kept in the static `Finalizer.unfinalized` list until
//! the one finalizer thread has run their `finalize()`. Once the application drops one, it waits
//! (with everything it references) until that thread gets to it; a `finalize()` that blocks or is
//! slow leaves every object dropped since waiting, and the heap fills with garbage no one holds.
//!
//! In the graph those objects are reachable only through `Reference.referent` (a
//! `Finalizer` is a reference), so they are weakly reachable and no dominator holds them: this
//! detector counts them from the `Finalizer`s whose referent is not strongly reachable, and
//! what only they keep alive. An object the finalizer thread's own frames hold is the one whose
//! `finalize()` is running: the thread is busy with one while the rest wait.

use hprof_parser::RootKind;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::base::shared::Visited;
use crate::base::text::{bytes as fmt_bytes, thousands};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::normalise_class;
use crate::query::holders::{Holder, Holding};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// The JDK class whose instances register objects for finalization.
const FINALIZER: &str = "java.lang.ref.Finalizer";
/// The class of the finalizer thread.
const FINALIZER_THREAD: &str = "java.lang.ref.Finalizer$FinalizerThread";
/// Objects waiting for finalization that make a backlog worth judging.
const MIN_WAITING: usize = 100;

/// The objects waiting for finalization, when at least [`MIN_WAITING`] of them keep at least
/// `floor` bytes alive: one candidate held by `Finalizer.unfinalized`.
pub(crate) fn detect(a: &Analysis, floor: u64) -> Option<Candidate> {
    let fin = a.heap.classes.by_name(FINALIZER)?;
    let referents: Vec<u32> = a
        .graph
        .weak_edges
        .iter()
        .filter(|&&(src, _)| a.graph.class_of(src) == fin)
        .map(|&(_, dst)| dst)
        .collect();
    let waiting: Vec<u32> = referents
        .iter()
        .copied()
        .filter(|&v| !a.dom.is_reachable(v))
        .collect();
    if waiting.len() < MIN_WAITING {
        return None;
    }
    let freed = only_held_by(a, &waiting)
        + waiting.len() as u64 * a.graph.shallow(finalizer_instance(a, fin)?);
    if freed < floor.max(1) {
        return None;
    }
    let class_obj = a.graph.ids.get(a.heap.classes.get(fin).id)?;
    let mut c = Candidate::new(
        LeakKind::FinalizerBacklog,
        Some(class_obj),
        FINALIZER.into(),
        freed,
    );
    c.holding = Some(Holding {
        holder: Holder {
            class: FINALIZER.into(),
            field: "unfinalized".into(),
            is_static: true,
        },
        owner: class_obj,
        chain: vec![class_obj],
        via: Vec::new(),
    });
    c.entries = waiting.len() as u64;
    c.element_classes = class_counts(a, &waiting);
    c.element_class = c.element_classes[0].0.clone();
    let running = running_finalize(a, &referents);
    c.add(backlog_evidence(&c, freed, running.as_deref()));
    Some(c)
}

/// One `Finalizer` instance (for its shallow size).
fn finalizer_instance(a: &Analysis, fin: u32) -> Option<u32> {
    a.graph
        .weak_edges
        .iter()
        .map(|&(src, _)| src)
        .find(|&src| a.graph.class_of(src) == fin)
}

/// Shallow bytes of the objects reachable from `from` through objects that are not strongly
/// reachable (what finalizing them would free), `from` included; one bit per node.
fn only_held_by(a: &Analysis, from: &[u32]) -> u64 {
    let mut seen = Visited::new(a.graph.len());
    let mut stack: Vec<u32> = from
        .iter()
        .copied()
        .filter(|&v| seen.first_visit(v))
        .collect();
    let mut bytes = 0u64;
    while let Some(v) = stack.pop() {
        bytes += a.graph.shallow(v);
        for &w in a.graph.refs(v) {
            if !a.dom.is_reachable(w) && seen.first_visit(w) {
                stack.push(w);
            }
        }
    }
    bytes
}

/// The classes of `nodes` (hidden-class suffixes removed), most frequent first.
pub(super) fn class_counts(a: &Analysis, nodes: &[u32]) -> Vec<(String, u64)> {
    let mut by: FxHashMap<u32, u64> = FxHashMap::default();
    for &v in nodes {
        *by.entry(a.graph.class_of(v)).or_default() += 1;
    }
    let mut out: Vec<(String, u64)> = by
        .into_iter()
        .filter(|&(k, _)| k != NONE)
        .map(|(k, n)| (normalise_class(&a.heap.classes.get(k).name), n))
        .collect();
    out.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    if out.is_empty() {
        out.push(("java.lang.Object".into(), nodes.len() as u64));
    }
    out
}

/// The class of the object whose `finalize()` the finalizer thread is running: one of
/// `referents` that the thread's own stack frames hold.
fn running_finalize(a: &Analysis, referents: &[u32]) -> Option<String> {
    let thread_class = a.heap.classes.by_name(FINALIZER_THREAD)?;
    let roots = &a.heap.census.roots;
    let serial = roots.iter().find_map(|r| {
        let v = a.graph.ids.get(r.id)?;
        (r.kind == RootKind::ThreadObject && a.graph.class_of(v) == thread_class)
            .then_some(r.thread_serial)?
    })?;
    let held: FxHashSet<u32> = roots
        .iter()
        .filter(|r| r.kind == RootKind::JavaFrame && r.thread_serial == Some(serial))
        .filter_map(|r| a.graph.ids.get(r.id))
        .collect();
    let v = referents.iter().find(|v| held.contains(v))?;
    Some(crate::query::objects::node_class(a, *v))
}

/// The evidence of a backlog of `c.entries` objects keeping `freed` bytes alive; strong when
/// the finalizer thread is inside one's `finalize()` (`running`, its class) while the rest wait.
fn backlog_evidence(
    c: &Candidate,
    freed: u64,
    running: Option<&str>,
) -> super::super::model::Evidence {
    let classes: Vec<String> = c
        .element_classes
        .iter()
        .take(3)
        .map(|(k, n)| format!("{} {k}", thousands(*n)))
        .collect();
    let waiting = format!(
        "{} objects the application dropped wait for finalization ({}), keeping {} alive that nothing else holds",
        thousands(c.entries),
        classes.join(", "),
        fmt_bytes(freed)
    );
    match running {
        Some(k) => evidence(
            EvidenceName::Finalization,
            Supports::Leak,
            Strength::Strong,
            format!("{waiting}, while the finalizer thread is inside the finalize() of a {k}: finalization does not keep up (a finalize() that blocks or is slow), so everything dropped since stays in the heap"),
        ),
        None => evidence(
            EvidenceName::Finalization,
            Supports::Leak,
            Strength::Moderate,
            format!("{waiting}: the one finalizer thread runs them one by one; if it cannot keep up, the heap fills with them"),
        ),
    }
}
