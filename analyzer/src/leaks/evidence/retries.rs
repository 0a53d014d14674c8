//! Retries: an entry that counts its own attempts (`attempts`, `retryCount`, `redeliveries`)
//! and was first tried more than an hour before the dump, after many attempts, is work that
//! never succeeds and that nothing gives up on: a retry queue without an attempt limit or a
//! dead letter keeps every such entry for ever, however recently it was last retried. A
//! healthy retrier gives up after a few attempts, so its entries are young or were tried a few
//! times. The count may be the entry's own or that of the object one of its fields references
//! (a scheduled retry task holding its delivery). A time-ordered retry queue whose old entries
//! are all due again within minutes yet count few attempts retries them on a path that does not
//! count (a timeout re-queued before the attempt is counted): its give-up rule never sees them.
//! Counts and times are read only to compute this.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::{FieldValue, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{as_millis, duration, entry_times, words, IDLE, MIN_ENTRIES};
use super::Reads;

/// Words of a field's name that say it counts attempts.
const COUNT_WORDS: [&str; 8] = [
    "attempt",
    "attempts",
    "retry",
    "retries",
    "tries",
    "redelivery",
    "redeliveries",
    "redelivered",
];
/// Attempts from which an entry has been retried beyond any usual policy (policies give up
/// after 3 to 10).
const MANY: i64 = 10;
/// How close to the dump an old entry's next (or last) attempt lies when it is retried at a
/// short interval rather than backed off.
const SOON: u64 = 10 * 60 * 1000;
/// The end of both sentences, which the advice looks for.
pub(crate) const NEVER_GIVEN_UP: &str = "nothing gives up on them";
/// Collections that order their elements by a key (a retry queue ordered by next attempt).
const TIME_ORDERED: [&str; 8] = [
    "java.util.PriorityQueue",
    "java.util.concurrent.PriorityBlockingQueue",
    "java.util.concurrent.DelayQueue",
    "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue",
    "java.util.TreeMap",
    "java.util.TreeSet",
    "java.util.concurrent.ConcurrentSkipListMap",
    "java.util.concurrent.ConcurrentSkipListSet",
];

/// One sampled entry's attempt count, its oldest time and its latest time.
#[derive(Clone, Copy)]
struct Tried {
    count: i64,
    start: u64,
    latest: u64,
}

/// The attempt-count field of `view`, if it has one: not a time (`lastAttemptAt`).
fn count_field(view: &ObjectView, now: u64) -> Option<&FieldValue> {
    view.fields.iter().find(|f| {
        matches!(f.ty, BasicType::Int | BasicType::Long | BasicType::Short)
            && as_millis(f.raw as i64, now).is_none()
            && words(&f.name)
                .iter()
                .any(|w| COUNT_WORDS.contains(&w.as_str()))
    })
}

/// The object that counts the attempts of entry `view`: the entry itself, or the object one of
/// its fields references that holds a time too (a retry task holding its delivery, not the
/// dispatcher's totals), with that field's name.
fn counting<'v>(
    a: &Analysis,
    view: &'v ObjectView,
    reads: &'v Reads,
    now: u64,
) -> Option<(Option<&'v str>, &'v ObjectView)> {
    if count_field(view, now).is_some() {
        return Some((None, view));
    }
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object)
        .find_map(|f| {
            let w = reads.linked.views.get(&ref_node(a, view, &f.name)?)?;
            let timed = || !entry_times(w, reads, a, now).is_empty();
            (count_field(w, now).is_some() && timed()).then_some((Some(f.name.as_str()), w))
        })
}

/// Per sampled entry that has both: its attempt count and the oldest and latest times it holds
/// (its own, or the object's that counts its attempts); with the counter's name
/// (`delivery.attempts`).
fn attempts_and_starts(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> Option<(String, Vec<Tried>)> {
    let mut counter: Option<String> = None;
    let mut out = Vec::new();
    for v in &c.values {
        let Some((via, view)) = reads.views.get(v).and_then(|e| counting(a, e, reads, now)) else {
            continue;
        };
        let Some(count) = count_field(view, now) else {
            continue;
        };
        let n = match count.ty {
            BasicType::Long => count.raw as i64,
            BasicType::Int => count.raw as u32 as i32 as i64,
            _ => count.raw as u16 as i16 as i64,
        };
        let times = entry_times(view, reads, a, now);
        let start = times.iter().map(|p| p.1).min();
        let latest = times.iter().map(|p| p.1).max();
        if let (Some(start), Some(latest)) = (start, latest) {
            counter.get_or_insert_with(|| match via {
                Some(f) => format!("{f}.{}", count.name),
                None => count.name.clone(),
            });
            out.push(Tried {
                count: n,
                start,
                latest,
            });
        }
    }
    counter.map(|name| (name, out))
}

/// Adds the retry evidence: most sampled entries first tried more than [`IDLE`] before the
/// dump and tried at least [`MANY`] times, or (in a time-ordered queue) all due again within
/// [`SOON`] while counting fewer. Whether it was added.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) -> bool {
    if now == 0 {
        return false;
    }
    let Some((name, entries)) = attempts_and_starts(a, c, reads, now) else {
        return false;
    };
    if entries.len() < MIN_ENTRIES {
        return false;
    }
    // The JDK class the collection is read as, so that subclasses count (a `PriorityQueue`
    // subclass of the application's own).
    let class = c
        .collection
        .as_ref()
        .map_or(c.class.as_str(), |f| f.spec.class);
    let text = many_attempts(&entries, &name, now).or_else(|| {
        TIME_ORDERED
            .contains(&class)
            .then(|| uncounted(&entries, &name, now))
            .flatten()
    });
    let Some(text) = text else {
        return false;
    };
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        Strength::Strong,
        text,
    ));
    true
}

/// Most entries first tried more than [`IDLE`] ago and tried [`MANY`] times or more.
fn many_attempts(entries: &[Tried], name: &str, now: u64) -> Option<String> {
    let n = entries.len();
    let stuck: Vec<&Tried> = entries
        .iter()
        .filter(|t| t.count >= MANY && now.saturating_sub(t.start) >= IDLE)
        .collect();
    if stuck.len() * 2 < n {
        return None;
    }
    let mut counts: Vec<i64> = stuck.iter().map(|t| t.count).collect();
    counts.sort_unstable();
    let oldest = stuck.iter().map(|t| t.start).min().unwrap_or(now);
    Some(format!(
        "{} of {n} sampled entries were first tried more than {} before the dump (the oldest {} ago) and have been tried {} times or more (median {}, field {name}): retried without a limit, {NEVER_GIVEN_UP}",
        stuck.len(),
        duration(IDLE),
        duration(now.saturating_sub(oldest)),
        MANY,
        counts[counts.len() / 2]
    ))
}

/// Most entries first tried more than [`IDLE`] ago, over more than [`IDLE`] (added as traffic
/// came, not a fixed set made at startup), rescheduled to within [`SOON`] of the dump, yet
/// counting fewer than [`MANY`] attempts: the retries they go through are not counted.
fn uncounted(entries: &[Tried], name: &str, now: u64) -> Option<String> {
    let n = entries.len();
    let stuck: Vec<&Tried> = entries
        .iter()
        .filter(|t| {
            t.count < MANY
                && t.latest > t.start
                && now.saturating_sub(t.start) >= IDLE
                && now.abs_diff(t.latest) <= SOON
        })
        .collect();
    let oldest = stuck.iter().map(|t| t.start).min()?;
    let newest = stuck.iter().map(|t| t.start).max()?;
    if stuck.len() * 2 < n || newest - oldest < IDLE {
        return None;
    }
    let counted = match stuck.iter().map(|t| t.count).max().unwrap_or(0) {
        0 => "no attempt".to_string(),
        most => format!("at most {most} attempts"),
    };
    Some(format!(
        "{} of {n} sampled entries were first tried more than {} before the dump (the oldest {} ago) and are due again within {}, yet count {counted} (field {name}): retried on a path that does not count the attempt, {NEVER_GIVEN_UP}",
        stuck.len(),
        duration(IDLE),
        duration(now.saturating_sub(oldest)),
        duration(SOON),
    ))
}
