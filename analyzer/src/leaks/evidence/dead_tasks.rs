//! A dead periodic task: the holder's owner keeps, in a field, the future of its own periodic
//! task (`scheduleAtFixedRate` / `scheduleWithFixedDelay`, kept to cancel it on close), and
//! that task ended with an exception. A `ScheduledThreadPoolExecutor` never runs a periodic
//! task again once a run throws: the future completes exceptionally and leaves the queue while
//! the executor's thread lives on, idle. Whatever the task removed (a trim, a reaper, an
//! expiry sweep) is never removed again, and the structure it kept in check grows.
//!
//! The task must be tied to the structure. A completed task has dropped its runnable, so the
//! tie is read from its exception, which keeps the classes of the frames it was thrown through:
//! an object in one of the owner's fields whose class ran in those frames and which references
//! the structure (a trimmer given the map) ties the structure (strong); the owner's own class
//! (`this::trim`) ties only the owner (moderate). A structure with moderate evidence of a
//! working set gets none: the task may only read it (the directory a releaser looks members up
//! in) or the owner may hold it beside what the task trims (a capped cache). The task's `state`
//! and `period` are read only to judge; the exception is named by its class.

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::classes::ClassIdx;
use crate::query::find::ref_node;
use crate::query::objects::{node_class, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::duration;
use super::Reads;

/// The JDK's periodic task class.
const SCHEDULED: &str = "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask";
/// `FutureTask.EXCEPTIONAL` (the same since JDK 7): `setException` was called.
const EXCEPTIONAL: i32 = 3;
/// Hops followed from the exception to the class objects of its stack.
const DEPTH: usize = 4;
/// Objects visited at most from one exception.
const MAX_VISITED: usize = 256;

/// A periodic task of the owner that died: the field that keeps it, its period and what threw.
struct DeadTask {
    field: String,
    period_ms: u64,
    thrown: String,
    reaches: Reach,
}

/// What the dead task's exception ties it to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Only the holder's owner (a method reference on it).
    Owner,
    /// The structure itself (a trimmer holding the map).
    Structure,
}

/// Adds the dead-task evidence to a candidate whose holder's owner keeps a dead periodic task
/// that reaches the candidate.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    // A structure the task may read without trimming it (a directory it looks members up in,
    // a capped cache) shows a working set of its own.
    if c.strongest(Supports::MemoryHungry) >= Some(Strength::Moderate) {
        return;
    }
    let Some(owner) = c.holding.as_ref().map(|h| h.owner) else {
        return;
    };
    let Some(view) = reads.views.get(&owner) else {
        return;
    };
    let Some(dead) = dead_tasks(a, c, owner, view, reads)
        .into_iter()
        .max_by_key(|d| d.reaches)
    else {
        return;
    };
    let (strength, what) = match dead.reaches {
        Reach::Structure => (Strength::Strong, "it reaches this structure"),
        Reach::Owner => (Strength::Moderate, "it runs on the structure's owner"),
    };
    let thrown = dead.thrown;
    c.add(evidence(
        EvidenceName::DeadTask,
        Supports::Leak,
        strength,
        format!(
            "the owner's periodic task in {} (every {}) ended with an exception ({thrown}) and never runs again; {what}: what it removed now stays",
            dead.field,
            period_text(dead.period_ms)
        ),
    ));
}

/// The owner's fields that keep a periodic task which ended exceptionally and reaches the
/// candidate's structure or its owner.
fn dead_tasks(
    a: &Analysis,
    c: &Candidate,
    owner: u32,
    view: &ObjectView,
    reads: &Reads,
) -> Vec<DeadTask> {
    let mut out = Vec::new();
    for f in &view.fields {
        let Some(task) = ref_node(a, view, &f.name) else {
            continue;
        };
        let Some(t) = reads.nested.get(&task) else {
            continue;
        };
        if node_class(a, task) != SCHEDULED || t.int("state") != Some(EXCEPTIONAL) {
            continue;
        }
        let period = t.integer("period").unwrap_or(0);
        if period == 0 {
            continue;
        }
        let Some(thrown) = ref_node(a, t, "outcome") else {
            continue;
        };
        let Some(reaches) = reach(a, thrown, c, owner, view) else {
            continue;
        };
        out.push(DeadTask {
            field: f.name.clone(),
            period_ms: period.unsigned_abs() / 1_000_000,
            thrown: node_class(a, thrown),
            reaches,
        });
    }
    out
}

/// Whether the task that threw `thrown` ran code of the candidate's structure or its owner.
/// A completed task drops its runnable (`FutureTask` clears `callable`), so the tie is read
/// from the exception: the classes of the frames it was thrown through (HotSpot keeps their
/// class objects in the `backtrace` arrays). The owner's class (or a super class) on the stack
/// ties the owner; an object in one of the owner's fields whose class is on the stack and
/// which references the structure (a trimmer given the map) ties the structure.
fn reach(a: &Analysis, thrown: u32, c: &Candidate, owner: u32, view: &ObjectView) -> Option<Reach> {
    let on_stack = stack_classes(a, thrown);
    let mut members = c.members.clone();
    members.sort_unstable();
    let is_structure = |v: u32| c.node == Some(v) || members.binary_search(&v).is_ok();
    let ran = |v: u32| {
        let k = a
            .graph
            .class_object(v)
            .unwrap_or_else(|| a.graph.class_of(v));
        ancestry(a, k).any(|k| on_stack.binary_search(&k).is_ok())
    };
    let tied = view
        .fields
        .iter()
        .filter_map(|f| ref_node(a, view, &f.name))
        .any(|t| !is_structure(t) && ran(t) && a.graph.refs(t).iter().any(|&w| is_structure(w)));
    if tied {
        Some(Reach::Structure)
    } else {
        ran(owner).then_some(Reach::Owner)
    }
}

/// The class objects within [`DEPTH`] references of a throwable (its backtrace's mirrors, its
/// cause's), as class indexes.
fn stack_classes(a: &Analysis, thrown: u32) -> Vec<ClassIdx> {
    let mut out = Vec::new();
    let mut seen = vec![thrown];
    let mut frontier = vec![thrown];
    for _ in 0..DEPTH {
        let mut next = Vec::new();
        for &v in &frontier {
            for &w in a.graph.refs(v) {
                if let Some(k) = a.graph.class_object(w) {
                    out.push(k);
                } else if seen.len() < MAX_VISITED && !seen.contains(&w) {
                    seen.push(w);
                    next.push(w);
                }
            }
        }
        frontier = next;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Class `k` and its super classes.
fn ancestry(a: &Analysis, k: ClassIdx) -> impl Iterator<Item = ClassIdx> + '_ {
    std::iter::successors((k != NONE).then_some(k), |&k| {
        a.heap.classes.get(k).super_idx
    })
}

/// A task's period for the evidence: milliseconds under a second.
fn period_text(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else {
        duration(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_in_their_unit() {
        assert_eq!(period_text(1), "1 ms");
        assert_eq!(period_text(30_000), "30 s");
        assert_eq!(period_text(5 * 60_000), "5 min");
    }

    #[test]
    fn structure_outranks_owner() {
        assert!(Reach::Structure > Reach::Owner);
    }
}
