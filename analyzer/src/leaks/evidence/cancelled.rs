//! Cancelled tasks still queued: a `java.util.Timer` keeps a cancelled `TimerTask` in its
//! queue until the task's run time unless `Timer.purge()` is called, and a
//! `ScheduledThreadPoolExecutor` keeps a cancelled `ScheduledFutureTask` until its delay has
//! passed unless `setRemoveOnCancelPolicy(true)` was set. Tasks scheduled far ahead and
//! cancelled early (a hold released at pick-up, a timeout that did not fire) pile up with
//! everything they capture. A scheduler has no reason to keep a cancelled task, so half of the
//! sampled tasks cancelled is enough (finished entries elsewhere need most). Each task's
//! `state` is read only to count.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::find::{ref_node, subclass_table};
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::Reads;

/// `TimerTask.CANCELLED` (`VIRGIN` 0, `SCHEDULED` 1, `EXECUTED` 2, `CANCELLED` 3; the same
/// in every JDK since 1.3).
const TIMER_CANCELLED: u64 = 3;
/// `FutureTask`'s `CANCELLED`, `INTERRUPTING` and `INTERRUPTED` (the same since JDK 7).
const FUTURE_CANCELLED: [u64; 3] = [4, 5, 6];
/// The words of the evidence that tell it from other finished entries (the fix differs).
pub(crate) const CANCELLED_QUEUED: &str = "cancelled and still queued";
/// Sampled tasks needed for a judgement.
const MIN_TASKS: u64 = 20;
/// Share of the sampled tasks that must be cancelled.
const HALF: f64 = 0.5;
/// Entries from which cancelled ones are an accumulation (strong); fewer are moderate.
const MANY: u64 = super::size::MANY_ENTRIES;

/// Sampled tasks (entries that are timer tasks or futures with a `state`), how many of them
/// are cancelled, and how many of those are `TimerTask`s.
fn count(a: &Analysis, c: &Candidate, reads: &Reads) -> (u64, u64, u64) {
    let kinds = subclass_table(
        a,
        &["java.util.TimerTask", "java.util.concurrent.FutureTask"],
    );
    let (mut tasks, mut cancelled, mut timers) = (0, 0, 0);
    let kind_of = |v: u32| {
        let k = a.graph.class_of(v);
        (k != NONE).then(|| kinds[k as usize]).flatten()
    };
    for &v in &c.values {
        let Some((kind, view)) = task_of(a, v, reads, &kind_of) else {
            continue;
        };
        let Some(state) = view.field("state") else {
            continue;
        };
        let s = state.raw as u32 as u64;
        tasks += 1;
        let is_cancelled = match kind {
            0 => s == TIMER_CANCELLED,
            _ => FUTURE_CANCELLED.contains(&s),
        };
        cancelled += u64::from(is_cancelled);
        timers += u64::from(is_cancelled && kind == 0);
    }
    (tasks, cancelled, timers)
}

/// The JDK scheduled tasks an entry may delegate to (read as nested objects).
pub(crate) fn is_task(class: &str) -> bool {
    class == "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask"
        || class == "java.util.concurrent.FutureTask"
}

/// The task entry `v` is (its kind and fields), or the JDK task it wraps in one of its fields:
/// a `decorateTask` wrapper of a `ScheduledThreadPoolExecutor` keeps the executor's own task
/// and forwards `cancel` to it.
fn task_of<'r>(
    a: &Analysis,
    v: u32,
    reads: &'r Reads,
    kind_of: &dyn Fn(u32) -> Option<usize>,
) -> Option<(usize, &'r ObjectView)> {
    let view = reads.views.get(&v)?;
    if let Some(kind) = kind_of(v) {
        return Some((kind, view));
    }
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .find_map(|f| {
            let w = ref_node(a, view, &f.name)?;
            Some((kind_of(w)?, reads.nested.get(&w)?))
        })
}

/// Adds the cancelled-tasks evidence (named [`EvidenceName::Finished`]: a cancelled task's work
/// is over).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.evidence.iter().any(|e| e.name == EvidenceName::Finished) {
        return;
    }
    let (tasks, cancelled, timers) = count(a, c, reads);
    if tasks < MIN_TASKS || (cancelled as f64) < HALF * tasks as f64 {
        return;
    }
    c.left_in_sample = Some((LeftBy::State, cancelled, tasks));
    let strength = if c.entries >= MANY {
        Strength::Strong
    } else {
        Strength::Moderate
    };
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        strength,
        format!(
            "{cancelled} of {tasks} sampled tasks are {CANCELLED_QUEUED}: {}",
            keeper(timers * 2 > cancelled)
        ),
    ));
}

/// Why the scheduler keeps cancelled tasks, for timer tasks or for executor futures.
fn keeper(timers: bool) -> &'static str {
    if timers {
        "a java.util.Timer keeps a cancelled task until its run time unless Timer.purge() is called"
    } else {
        "a ScheduledThreadPoolExecutor keeps a cancelled task until its delay has passed unless setRemoveOnCancelPolicy(true) was set"
    }
}
