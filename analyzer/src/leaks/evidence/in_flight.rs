//! Work in flight that never lands: a field named for requests in flight (`inflight`,
//! `pendingRequests`, `outstandingCalls`) holds what the service is working on at one moment:
//! about one entry per thread at work, or per request a client awaits. A JVM with a handful of
//! threads whose in-flight map holds hundreds of entries per thread keeps requests that have
//! finished: the removal on completion is missing. An asynchronous client may keep many more
//! requests in flight than it has threads, so this is moderate evidence (a second dump decides).
//! Only names and counts are read.

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use hprof_parser::RootKind;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Entries per live thread from which a set of requests in flight has outgrown any
/// concurrency the JVM has.
const PER_THREAD: u64 = 100;
/// Entries from which the comparison means anything.
const MIN_ENTRIES: u64 = 1_000;

/// Words of a field holding work in flight in every sense.
const IN_FLIGHT: &[&str] = &["inflight"];
/// Words of a field that holds work in flight when what it holds is a request or a call
/// (`pendingRequests`); alone they may name business state (`pendingOrders`).
const WAITING: &[&str] = &[
    "pending",
    "outstanding",
    "awaiting",
    "unacked",
    "unanswered",
];
/// Words of a request, a call or a message awaiting its reply.
const REQUEST: &[&str] = &[
    "request",
    "call",
    "rpc",
    "invocation",
    "quer",
    "reply",
    "response",
    "ack",
];

/// `name` in lower case without `_` or `-`.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a field of this name holding entries of this class holds requests in flight.
pub(crate) fn names_in_flight(field: &str, element_class: &str) -> bool {
    let field = folded(field);
    let element = folded(simple_name(element_class));
    let has = |s: &str, words: &[&str]| words.iter().any(|w| s.contains(w));
    has(&field, IN_FLIGHT)
        || (has(&field, WAITING) && (has(&field, REQUEST) || has(&element, REQUEST)))
}

/// Live threads: the dump's thread-object roots (one per thread started and not ended).
fn live_threads(a: &Analysis) -> u64 {
    a.heap
        .census
        .roots
        .iter()
        .filter(|r| r.kind == RootKind::ThreadObject)
        .count() as u64
}

/// Adds the in-flight evidence: a field named for requests in flight holds
/// [`PER_THREAD`] or more entries per live thread.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    let Some(h) = &c.holding else { return };
    if c.collection.is_none() || c.entries < MIN_ENTRIES {
        return;
    }
    if !names_in_flight(&h.holder.field, &c.element_class) {
        return;
    }
    let threads = live_threads(a);
    if threads == 0 || c.entries < PER_THREAD * threads {
        return;
    }
    let field = h.holder.field.clone();
    c.add(evidence(
        EvidenceName::InFlight,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "`{field}` is named for requests in flight, yet holds {} entries in a JVM of {} live threads ({} per thread): far more than can be in flight at once, which suggests that finished requests are not removed",
            thousands(c.entries),
            thousands(threads),
            thousands(c.entries / threads)
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::names_in_flight;

    #[test]
    fn request_words_make_pending_in_flight() {
        assert!(names_in_flight("inflight", "x.PendingRequest"));
        assert!(names_in_flight("IN_FLIGHT", "x.Entry"));
        assert!(names_in_flight("pendingCalls", "x.Entry"));
        assert!(names_in_flight("outstanding", "x.RpcCall"));
        assert!(!names_in_flight("pendingOrders", "x.Order"));
        assert!(!names_in_flight("pending", "x.OneTimePassword"));
        assert!(!names_in_flight("open", "x.Claim"));
    }
}
