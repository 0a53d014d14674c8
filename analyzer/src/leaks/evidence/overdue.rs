//! Overdue: a map ordered by time (a `TreeMap` or `ConcurrentSkipListMap` keyed by due
//! times) is a schedule: whatever fires its entries takes them off as their time comes. One
//! that holds entries still to come beside many whose time passed hours before the dump keeps
//! what its firing skipped (a failed delivery left in place while the cursor moved on). A
//! time series keyed by time holds no future keys, and a schedule that is fired holds few keys
//! of the past. Keys are read only to compute this and are never shown.

use crate::dom::analysis::Analysis;
use crate::query::objects::node_class;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{as_millis_in, duration, IDLE, MIN_ENTRIES};
use super::keys::boxed_number;
use super::Reads;

/// Words of the evidence (the advice matches them).
pub(crate) const OVERDUE_WORDS: &str = "entries stay past their time";
const HOUR: u64 = 3_600_000;
/// How far before the dump a key may lie and still be a time of this process (thirty days).
const PAST: u64 = 30 * 24 * HOUR;
/// How far after the dump a key may lie and still be a time it waits for (two years).
const HORIZON: u64 = 2 * 366 * 24 * HOUR;
/// Share of the sampled keys that must be times.
const TIME_SHARE: f64 = 0.8;
/// Share of the timed keys that must lie [`IDLE`] or more before the dump.
const PAST_SHARE: f64 = 0.25;
/// Share of the timed keys that must lie after the dump (a schedule, not a series).
const FUTURE_SHARE: f64 = 0.1;

/// Adds moderate leak evidence to a time-ordered map whose sampled keys are times, a quarter
/// or more of them an hour or more before the dump and a tenth or more after it.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    let Some(node) = c.node else { return };
    let class = node_class(a, node);
    if now == 0
        || !matches!(
            class.as_str(),
            "java.util.TreeMap" | "java.util.concurrent.ConcurrentSkipListMap"
        )
    {
        return;
    }
    let times: Vec<u64> = c
        .keys
        .iter()
        .filter_map(|&k| boxed_number(a, reads, k))
        .filter_map(|n| {
            as_millis_in(
                (n ^ (1 << 63)) as i64,
                now.saturating_sub(PAST),
                now + HORIZON,
            )
        })
        .collect();
    let n = times.len();
    if n < MIN_ENTRIES || (n as f64) < TIME_SHARE * c.keys.len() as f64 {
        return;
    }
    let past = times.iter().filter(|&&t| t + IDLE <= now).count();
    let future = times.iter().filter(|&&t| t > now).count();
    if (past as f64) < PAST_SHARE * n as f64 || (future as f64) < FUTURE_SHARE * n as f64 {
        return;
    }
    let oldest = times.iter().copied().min().unwrap_or(now);
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{past} of {n} sampled keys of this time-ordered map are times {} or more before the dump (the oldest {} before it) and {future} are still to come: a schedule whose {OVERDUE_WORDS} (skipped, not fired and taken off)",
            duration(IDLE),
            duration(now.saturating_sub(oldest))
        ),
    ));
}
