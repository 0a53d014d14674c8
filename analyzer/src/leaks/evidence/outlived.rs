//! Outlived tasks: one-shot tasks of a scheduler (a timeout, an overrun escalation, a
//! reminder) that are still queued long after the work they are about ended. The work records
//! when it ended in a time field (`completedAt`, `closedAt`), its own or that of the object the
//! task holds in a field (an escalation's `job`). A timeout of seconds that nobody cancels
//! fires soon after its work ends and holds it for seconds; a task still queued half an hour
//! after its work ended waits hours to fire, keeping that work alive, because the code that
//! ends the work does not cancel it. Queues where most tasks are about ended work are
//! [`super::finished`]'s; this judges those where the ended work is a part, beside the tasks of
//! work still open: the part that grows. Times are read only to compute this.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Supports};
use super::states::end_time;
use super::Reads;

/// Sampled tasks needed for a judgement.
const MIN_TASKS: usize = 20;
/// How long after its work ended a task must still be queued to count: longer than any
/// timeout that guards work in progress.
const OUTLIVED_MS: u64 = 30 * 60 * 1000;
/// Share of the sampled tasks that must have outlived their work: a part, not stragglers.
const SHARE: f64 = 0.2;
/// Estimated outlived tasks from which the evidence is moderate (fewer: none; strong from
/// [`super::size::MANY_ENTRIES`]).
const SOME: u64 = 100;

/// When the work of task `view` ended, in milliseconds since the epoch, and the field that
/// says so (`completedAt`, or `job.completedAt` for the object in field `job`).
fn ended_at(a: &Analysis, view: &ObjectView, reads: &Reads, now: u64) -> Option<(String, u64)> {
    let time = |name: &str, raw: i64| Some((name.to_string(), super::ages::as_millis(raw, now)?));
    if let Some((name, raw)) = end_time(view, now) {
        return time(name, raw);
    }
    view.fields
        .iter()
        .filter(|f| f.ty == hprof_parser::BasicType::Object && f.raw != 0)
        .find_map(|f| {
            let w = a.graph.ids.get(f.raw)?;
            let (name, raw) = end_time(reads.linked.views.get(&w)?, now)?;
            time(&format!("{}.{name}", f.name), raw)
        })
}

/// Adds the outlived-tasks evidence to a queue of one-shot scheduled tasks.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if c.kind != LeakKind::ScheduledTasks
        || now == 0
        || c.evidence.iter().any(|e| e.name == EvidenceName::Finished)
        || super::captures::mostly_periodic(a, c)
    {
        return;
    }
    let ends: Vec<Option<(String, u64)>> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .map(|view| ended_at(a, view, reads, now))
        .collect();
    let n = ends.len();
    let mut ages: Vec<u64> = ends
        .iter()
        .flatten()
        .map(|(_, t)| now.saturating_sub(*t))
        .filter(|&age| age >= OUTLIVED_MS)
        .collect();
    let k = ages.len();
    let estimate = (k as f64 / n.max(1) as f64 * c.entries as f64) as u64;
    if n < MIN_TASKS || (k as f64) < SHARE * n as f64 || estimate < SOME {
        return;
    }
    ages.sort_unstable();
    let field = most_common_field(&ends);
    let ended = ends.iter().flatten().count() as u64;
    let (left, judged) = super::finished::every_ended(a, c, reads).unwrap_or((ended, n as u64));
    c.left_in_sample = Some((LeftBy::State, left, judged));
    let strength = super::size::strength_of(estimate);
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        strength,
        format!(
            "{k} of {n} sampled one-shot tasks are still queued {} or more after their work ended ({field} set; median {} ago), about {} in all: a task that outlives its work waits for its delay, keeping that work alive (the code that ends the work does not cancel its task)",
            super::ages::duration(OUTLIVED_MS),
            super::ages::duration(ages[k / 2]),
            thousands(estimate)
        ),
    ));
}

/// The end-time field named most often among `ends`.
fn most_common_field(ends: &[Option<(String, u64)>]) -> String {
    let mut names: Vec<&str> = ends.iter().flatten().map(|(f, _)| f.as_str()).collect();
    names.sort_unstable();
    let mut best = ("", 0);
    for run in names.chunk_by(|x, y| x == y) {
        if run.len() > best.1 {
            best = (run[0], run.len());
        }
    }
    best.0.to_string()
}
