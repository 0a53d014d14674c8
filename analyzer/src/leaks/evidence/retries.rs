//! Retries: an entry that counts its own attempts (`attempts`, `retryCount`, `redeliveries`)
//! and was first tried more than an hour before the dump, after many attempts, is work that
//! never succeeds and that nothing gives up on: a retry queue without an attempt limit or a
//! dead letter keeps every such entry for ever, however recently it was last retried. A
//! healthy retrier gives up after a few attempts, so its entries are young or were tried a few
//! times. The count may be the entry's own or that of the object one of its fields references
//! (a scheduled retry task holding its delivery). Counts and times are read only to compute this.

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

/// Per sampled entry that has both: its attempt count and the oldest time it holds (its own,
/// or the object's that counts its attempts); with the counter's name (`delivery.attempts`).
fn attempts_and_starts(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> Option<(String, Vec<(i64, u64)>)> {
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
        let start = entry_times(view, reads, a, now).iter().map(|p| p.1).min();
        if let Some(start) = start {
            counter.get_or_insert_with(|| match via {
                Some(f) => format!("{f}.{}", count.name),
                None => count.name.clone(),
            });
            out.push((n, start));
        }
    }
    counter.map(|name| (name, out))
}

/// Adds the retry evidence: most sampled entries first tried more than [`IDLE`] before the
/// dump and tried at least [`MANY`] times. Whether it was added.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) -> bool {
    if now == 0 {
        return false;
    }
    let Some((name, entries)) = attempts_and_starts(a, c, reads, now) else {
        return false;
    };
    let n = entries.len();
    let stuck: Vec<&(i64, u64)> = entries
        .iter()
        .filter(|&&(k, start)| k >= MANY && now.saturating_sub(start) >= IDLE)
        .collect();
    if n < MIN_ENTRIES || stuck.len() * 2 < n {
        return false;
    }
    let mut counts: Vec<i64> = stuck.iter().map(|p| p.0).collect();
    counts.sort_unstable();
    let oldest = stuck.iter().map(|p| p.1).min().unwrap_or(now);
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {n} sampled entries were first tried more than {} before the dump (the oldest {} ago) and have been tried {} times or more (median {}, field {name}): retried without a limit, nothing gives up on them",
            stuck.len(),
            duration(IDLE),
            duration(now.saturating_sub(oldest)),
            MANY,
            counts[counts.len() / 2]
        ),
    ));
    true
}
