//! Completions never taken: an `ExecutorCompletionService` puts every finished task's future in
//! its completion queue, where it waits for `take()` or `poll()`. Code that submits through the
//! service but waits on the futures it kept instead never takes them: the queue keeps every
//! completed future, with its result, for as long as the service lives. What the results say
//! (the dates of the sales they describe) is no sign of why the queue still holds them.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::node_class;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Words of the evidence (the advice matches them).
pub(crate) const UNTAKEN_WORDS: &str = "nothing takes them";
/// The JDK class whose queue holds completed futures.
const SERVICE: &str = "java.util.concurrent.ExecutorCompletionService";
/// Completed futures from which a queue was not merely caught between a finish and a take.
const MANY: u64 = 1000;

/// Adds moderate leak evidence to the completion queue of an `ExecutorCompletionService`
/// holding [`MANY`] futures or more, and drops the evidence of its results' dates.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    let Some(h) = &c.holding else { return };
    let in_service = h.chain.iter().any(|&v| node_class(a, v) == SERVICE);
    if !in_service || c.entries < MANY {
        return;
    }
    c.evidence
        .retain(|e| !(e.name == EvidenceName::EntryAges && e.supports == Supports::MemoryHungry));
    c.add(evidence(
        EvidenceName::Queued,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{} completed futures wait in an ExecutorCompletionService's completion queue: {UNTAKEN_WORDS} (take() or poll()), so each stays with its result for as long as the service lives",
            thousands(c.entries)
        ),
    ));
}
