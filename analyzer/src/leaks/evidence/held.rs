//! How long borrowed pooled connections have been out: the time of the borrow (a timestamp
//! field named like a borrow — `borrowedAt`, `leasedSince`, `checkoutTime` — or else the newest
//! timestamp field of the connection) against the dump's own time. Connections borrowed hours
//! ago and still marked borrowed were lost by the code that borrowed them; connections all
//! borrowed within the last hour are in use by work in progress. Times are read only to compute
//! these durations.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::find::views;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{as_millis, duration, IDLE};

/// Borrowed connections with a borrow time needed for a judgement.
const MIN_CONNECTIONS: usize = 20;
/// Share out longer than [`IDLE`] that says they were lost.
const LOST_SHARE: f64 = 0.8;
/// Share out for less than [`IDLE`] that says they are in use.
const IN_USE_SHARE: f64 = 0.9;
/// Words (lower case) that name the time of a borrow.
const BORROW_WORDS: [&str; 5] = ["borrow", "lease", "checkout", "acquire", "inuse"];

/// The time (ms) each connection was borrowed, when its fields show one.
fn borrow_times(a: &Analysis, members: &[u32], now: u64) -> Vec<u64> {
    let read = views(a, members);
    members
        .iter()
        .filter_map(|v| {
            let view = read.get(v)?;
            let times: Vec<(String, u64)> = view
                .fields
                .iter()
                .filter(|f| f.ty == BasicType::Long)
                .filter_map(|f| Some((f.name.to_ascii_lowercase(), as_millis(f.raw as i64, now)?)))
                .collect();
            let named = times
                .iter()
                .find(|(n, _)| BORROW_WORDS.iter().any(|w| n.contains(w)));
            named
                .map(|t| t.1)
                .or_else(|| times.iter().map(|t| t.1).max())
        })
        .collect()
}

/// Adds the time-out evidence of borrowed pooled connections (`members`).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, members: &[u32], now: u64) {
    if now == 0 {
        return;
    }
    let mut out: Vec<u64> = borrow_times(a, members, now)
        .into_iter()
        .map(|t| now.saturating_sub(t))
        .collect();
    let n = out.len();
    if n < MIN_CONNECTIONS {
        return;
    }
    out.sort_unstable();
    let median = out[n / 2];
    let lost = out.iter().filter(|&&d| d >= IDLE).count();
    if lost as f64 >= LOST_SHARE * n as f64 {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{lost} of {n} sampled borrowed connections were borrowed more than {} before the dump (median {}) and are still marked borrowed: lost by the code that borrowed them",
                duration(IDLE),
                duration(median)
            ),
        ));
    } else if (n - lost) as f64 >= IN_USE_SHARE * n as f64 {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{} of {n} sampled borrowed connections were borrowed in the last {} before the dump (median {} ago): in use by work in progress",
                n - lost,
                duration(IDLE),
                duration(median)
            ),
        ));
    }
}
