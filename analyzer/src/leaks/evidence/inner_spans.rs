//! Lists inside finished records: the collections of one field of another collection's
//! entries (a trace's child spans, an order's lines) whose elements were each added within a
//! short time of one another. Their ages then say how old the records holding them are (a
//! ring of recent traces covering hours), not that the lists accumulate: each was filled at
//! once, with its owner, and goes with it.

use crate::base::text::thousands;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{Evidence, EvidenceName, Strength, Supports};
use super::ages::{duration, TimeField, IDLE};

/// Sampled lists needed to judge.
const MIN_LISTS: usize = 8;
/// A list's span must be under this share of the span of all sampled elements.
const SHORT_SHARE: u64 = 4;

/// Memory-hungry evidence when `c` is a field's collections inside another collection's
/// entries and the median sampled list spans under an hour and under a quarter of the span
/// of all its sampled elements (by the time field with the most values).
pub(crate) fn check(c: &Candidate, fields: &[TimeField]) -> Option<Evidence> {
    if c.inside.is_none() || c.ordered_runs.len() < MIN_LISTS {
        return None;
    }
    let (_, times) = fields.iter().max_by_key(|f| f.1.len())?;
    let time_of = |v: u32| times.iter().find(|x| x.0 == v).map(|x| x.1);
    let mut spans: Vec<u64> = Vec::new();
    let mut start = 0usize;
    for &len in &c.ordered_runs {
        let end = (start + len as usize).min(c.values.len());
        let ts: Vec<u64> = c.values[start..end]
            .iter()
            .filter_map(|&v| time_of(v))
            .collect();
        if let (Some(lo), Some(hi)) = (ts.iter().min(), ts.iter().max()) {
            if ts.len() >= 2 {
                spans.push(hi - lo);
            }
        }
        start = end;
    }
    if spans.len() < MIN_LISTS {
        return None;
    }
    spans.sort_unstable();
    let median = spans[spans.len() / 2];
    let all: Vec<u64> = times.iter().map(|x| x.1).collect();
    let overall = all.iter().max()? - all.iter().min()?;
    (median < IDLE && median.saturating_mul(SHORT_SHARE) < overall).then(|| {
        evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "each of {} sampled lists was filled within {} (the median), while their elements span {}: the lists are as old as the records holding them, filled at once, not accumulating",
                thousands(spans.len() as u64),
                duration(median),
                duration(overall)
            ),
        )
    })
}
