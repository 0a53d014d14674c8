//! Tasks that have waited in an executor's work queue for hours: an executor's threads take
//! tasks off its queue within moments; tasks whose newest time (their own, or that of the
//! request or record each captures) lies hours before the dump, and whose times follow the
//! queue's order (each was queued when its time was taken), have not been taken: the threads
//! are stuck (a worker blocked forever inside a task, a pool too small for its input) and every
//! task submitted since stays. A bulk job that queues old records at once has times in no such
//! order. Times are read only to compare them with the dump's and with each other.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::ages::{duration, entry_times, IDLE};
use super::Reads;

/// Sampled tasks with a time needed for a judgement.
const MIN_TASKS: usize = 20;
/// Share of the sampled tasks that must have waited.
const MOST: f64 = 0.8;
/// Queued tasks from which waiting ones are strong evidence (a burst of a few is not).
const MANY_TASKS: u64 = 100;
/// Share of consecutive sampled tasks whose times must not decrease along the queue.
const IN_ORDER: f64 = 0.8;

/// Whether the candidate is the work queue of a thread pool that runs tasks as they come (a
/// scheduled executor's queue holds tasks waiting for their time on purpose).
fn work_queue(c: &Candidate) -> bool {
    c.kind == LeakKind::WorkQueue
}

/// The newest time (ms) a task holds: in its own fields, or in those of an object it
/// references directly.
fn newest_time(a: &Analysis, view: &ObjectView, reads: &Reads, now: u64) -> Option<u64> {
    let own = entry_times(view, reads, a, now).into_iter().map(|t| t.1);
    let linked = view
        .fields
        .iter()
        .filter(|f| f.ty == hprof_parser::BasicType::Object && f.raw != 0)
        .filter_map(|f| reads.linked.views.get(&a.graph.ids.get(f.raw)?))
        .flat_map(|lv| entry_times(lv, reads, a, now).into_iter().map(|t| t.1));
    own.chain(linked).max()
}

/// Whether most consecutive times do not decrease: the tasks were queued as their times
/// were taken.
fn in_queue_order(times: &[u64]) -> bool {
    let pairs = times.len().saturating_sub(1);
    let rising = times.windows(2).filter(|w| w[0] <= w[1]).count();
    pairs > 0 && rising as f64 >= IN_ORDER * pairs as f64
}

/// Adds the queued-tasks evidence: most sampled tasks of a work queue are hours old.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    // The sample must be in the queue's order for the times' order to mean anything.
    if !work_queue(c) || c.entries < MANY_TASKS || c.ordered_runs.len() != 1 {
        return;
    }
    let times: Vec<u64> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .filter_map(|view| newest_time(a, view, reads, now))
        .collect();
    if !in_queue_order(&times) {
        return;
    }
    let waits: Vec<u64> = times.iter().map(|&t| now.saturating_sub(t)).collect();
    let n = waits.len();
    let old: Vec<u64> = waits.iter().copied().filter(|&w| w > IDLE).collect();
    if n < MIN_TASKS || (old.len() as f64) < MOST * n as f64 {
        return;
    }
    let mut sorted = old.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    c.left_in_sample = Some((LeftBy::Idle, old.len() as u64, n as u64));
    c.add(evidence(
        EvidenceName::Queued,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {n} sampled tasks of this executor's work queue ({} queued) have waited more than {} (median {}, by the newest time in each task or what it captures): the executor's threads do not take them (a worker blocked inside a task, or too few threads), so every task submitted since stays",
            old.len(),
            thousands(c.entries),
            duration(IDLE),
            duration(median)
        ),
    ));
}

/// Adds the waiting-calls evidence of a map of pending futures judged by their calls
/// ([`Candidate::pending_calls`]): most sampled calls, by the newest time each holds, have
/// waited more than [`IDLE`] for a reply that would have completed their future; in any heap
/// order (a map keyed by correlation id keeps none).
pub(crate) fn add_pending_calls(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if !c.pending_calls {
        return;
    }
    let waits: Vec<u64> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .filter_map(|view| newest_time(a, view, reads, now))
        .map(|t| now.saturating_sub(t))
        .collect();
    let n = waits.len();
    let mut old: Vec<u64> = waits.into_iter().filter(|&w| w > IDLE).collect();
    if n < MIN_TASKS || (old.len() as f64) < MOST * n as f64 {
        return;
    }
    old.sort_unstable();
    let median = old[old.len() / 2];
    c.left_in_sample = Some((LeftBy::Idle, old.len() as u64, n as u64));
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {n} sampled calls have waited more than {} for their reply (median {}, by the newest time in each call): their futures were never completed, so nothing will remove them",
            old.len(),
            duration(IDLE),
            duration(median)
        ),
    ));
}

/// The JDK's unbounded FIFO queues: whoever takes from them takes the oldest entry first.
const FIFO_QUEUES: [&str; 5] = [
    "java.util.concurrent.LinkedBlockingQueue",
    "java.util.concurrent.LinkedBlockingDeque",
    "java.util.concurrent.ConcurrentLinkedQueue",
    "java.util.concurrent.ConcurrentLinkedDeque",
    "java.util.concurrent.LinkedTransferQueue",
];
/// How long the oldest entry of a FIFO queue must have waited for a backlog: a consumer that
/// keeps up takes entries within seconds.
const BACKLOG: u64 = 30 * 60 * 1000;
/// Entries of a FIFO queue from which a backlog counts.
const MANY_QUEUED: u64 = super::size::MANY_ENTRIES;

/// Whether the candidate is an unbounded FIFO queue of the JDK other than an executor's work
/// queue: its entries wait to be taken, so recent times say they were queued recently, not
/// that they are in use.
pub(crate) fn fifo_queue(c: &Candidate) -> bool {
    FIFO_QUEUES.contains(&c.class.as_str()) && !work_queue(c)
}

/// Adds the backlog evidence: a FIFO queue of [`MANY_QUEUED`] entries or more whose sampled
/// times follow its order and whose oldest entry has waited [`BACKLOG`] or more. Its consumer
/// is that far behind; if it is slower than the producers, the queue grows as long as they run
/// (moderate: a consumer throttled on purpose looks the same in one dump).
pub(crate) fn add_backlog(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if !fifo_queue(c) || c.entries < MANY_QUEUED || c.ordered_runs.len() != 1 {
        return;
    }
    let times: Vec<u64> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .filter_map(|view| newest_time(a, view, reads, now))
        .collect();
    if times.len() < MIN_TASKS || !in_queue_order(&times) {
        return;
    }
    let oldest = now.saturating_sub(times.iter().copied().min().unwrap_or(now));
    if oldest < BACKLOG {
        return;
    }
    c.add(evidence(
        EvidenceName::Queued,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "its {} entries wait in the order they were queued, the oldest for {}: whatever takes from this queue is that far behind, and every entry queued since waits behind it; a consumer slower than its producers lets the queue grow for as long as they run (a second dump tells)",
            thousands(c.entries),
            duration(oldest)
        ),
    ));
    if c.finding.explanation.is_empty() {
        c.finding.explanation = "Make the consumer keep up (more consumers, less work per entry), or give the queue a capacity and a policy for when it is full (block or slow the producers, shed or drop entries), so that a slow consumer shows as back-pressure, not as a growing heap.".into();
    }
}

#[cfg(test)]
mod tests {
    use super::in_queue_order;

    #[test]
    fn times_in_queue_order_or_not() {
        // Queued as they came: times rise along the queue, a few equal or out of step.
        assert!(in_queue_order(&[10, 20, 20, 30, 25, 40, 50, 60, 70, 80]));
        // A bulk job queueing old records at once: their times in no order.
        assert!(!in_queue_order(&[50, 10, 80, 20, 70, 30, 60, 40, 90, 5]));
        assert!(!in_queue_order(&[42]));
        assert!(!in_queue_order(&[]));
    }
}
