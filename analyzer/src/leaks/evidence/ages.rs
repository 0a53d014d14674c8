//! Entry ages: timestamp-like fields of the entries (epoch milli-, micro-, nanoseconds or
//! seconds near the dump's own timestamp, directly or through an `Instant` or `Date`) tell when
//! each entry was created and last touched. Entries created over a long time and idle long
//! before the dump are a leak; entries created together are data loaded once; entries touched
//! recently are a working set. Values are read only to compute these durations.

use hprof_parser::BasicType;

use crate::finding::ref_node;
use crate::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
/// Entries idle at least this long count as idle.
pub(crate) const IDLE: u64 = HOUR;
/// Timestamped entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of entries a field must hold a plausible time in to be a timestamp field.
const FIELD_SHARE: f64 = 0.8;
/// How far before the dump a timestamp may lie (ten years).
const PAST: u64 = 10 * 365 * 24 * HOUR;
/// How far after the dump a timestamp may lie (expiry times: one day).
const FUTURE: u64 = 24 * HOUR;

/// A value in milliseconds since the epoch if it is a plausible time near `now`, trying
/// milliseconds, seconds, microseconds and nanoseconds.
fn as_millis(raw: i64, now: u64) -> Option<u64> {
    if raw <= 0 {
        return None;
    }
    let raw = raw as u64;
    let lo = now.saturating_sub(PAST);
    let hi = now + FUTURE;
    [
        Some(raw),
        raw.checked_mul(1000),
        Some(raw / 1000),
        Some(raw / 1_000_000),
    ]
    .into_iter()
    .flatten()
    .find(|&ms| ms >= lo && ms <= hi)
}

/// The times (ms) an entry's fields hold, by field name.
fn entry_times(view: &ObjectView, reads: &Reads, a: &crate::analysis::Analysis, now: u64) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for f in &view.fields {
        let raw = match f.ty {
            BasicType::Long => f.raw as i64,
            BasicType::Int => f.raw as u32 as i32 as i64,
            BasicType::Object if f.raw != 0 => {
                let Some(t) = ref_node(a, view, &f.name).and_then(|w| reads.times.get(&w)) else {
                    continue;
                };
                match (t.field("seconds"), t.field("fastTime")) {
                    (Some(s), _) => (s.raw as i64).saturating_mul(1000),
                    (None, Some(ms)) => ms.raw as i64,
                    _ => continue,
                }
            }
            _ => continue,
        };
        // Int fields only as epoch seconds (a count or an id is no time).
        let ms = if f.ty == BasicType::Int {
            (raw as u64).checked_mul(1000).filter(|&m| as_millis(m as i64, now) == Some(m))
        } else {
            as_millis(raw, now)
        };
        if let Some(ms) = ms {
            out.push((f.name.clone(), ms));
        }
    }
    out
}

/// Per entry, (created, last touched) from the fields that hold a time in most entries.
fn entry_spans(a: &crate::analysis::Analysis, c: &Candidate, reads: &Reads, now: u64) -> Vec<(u64, u64)> {
    let per_entry: Vec<Vec<(String, u64)>> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .map(|view| entry_times(view, reads, a, now))
        .collect();
    if per_entry.is_empty() {
        return Vec::new();
    }
    let mut fields: Vec<(&str, usize)> = Vec::new();
    for e in &per_entry {
        for (name, _) in e {
            match fields.iter_mut().find(|f| f.0 == name) {
                Some(f) => f.1 += 1,
                None => fields.push((name, 1)),
            }
        }
    }
    let n = per_entry.len();
    let good: Vec<&str> = fields
        .iter()
        .filter(|f| f.1 as f64 >= FIELD_SHARE * n as f64)
        .map(|f| f.0)
        .collect();
    per_entry
        .iter()
        .filter_map(|e| {
            let ts: Vec<u64> = e
                .iter()
                .filter(|(name, _)| good.contains(&name.as_str()))
                .map(|(_, t)| *t)
                .collect();
            Some((*ts.iter().min()?, *ts.iter().max()?))
        })
        .collect()
}

/// A duration as text: `45 s`, `12 min`, `3.5 h`, `2.0 days`.
pub(crate) fn duration(ms: u64) -> String {
    if ms < MINUTE {
        format!("{} s", ms / 1000)
    } else if ms < HOUR {
        format!("{} min", ms / MINUTE)
    } else if ms < 48 * HOUR {
        format!("{:.1} h", ms as f64 / HOUR as f64)
    } else {
        format!("{:.1} days", ms as f64 / (24 * HOUR) as f64)
    }
}

/// Adds the entry-age evidence.
pub(crate) fn add(a: &crate::analysis::Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if now == 0 {
        return;
    }
    let spans = entry_spans(a, c, reads, now);
    if spans.len() < MIN_ENTRIES {
        return;
    }
    let n = spans.len();
    let first = spans.iter().map(|s| s.0).min().unwrap_or(now);
    let last_created = spans.iter().map(|s| s.0).max().unwrap_or(now);
    let span = last_created - first;
    let mut idle: Vec<u64> = spans.iter().map(|s| now.saturating_sub(s.1)).collect();
    idle.sort_unstable();
    let median_idle = idle[n / 2];
    let idle_count = idle.iter().filter(|&&d| d >= IDLE).count();
    let recent = idle.iter().filter(|&&d| d < IDLE).count();
    let age = now.saturating_sub(first);
    if idle_count * 2 >= n && span >= IDLE {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::Leak,
            Strength::Strong,
            format!(
                "entries were created over {}; {idle_count} of {n} sampled were last touched more than {} before the dump (median idle {}): added and never used again",
                duration(span),
                duration(IDLE),
                duration(median_idle)
            ),
        ));
    } else if span <= (age / 100).max(MINUTE).min(5 * MINUTE) && age >= 10 * MINUTE {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "all {n} sampled entries were created within {} of each other, {} before the dump: loaded once",
                duration(span),
                duration(age)
            ),
        ));
    } else if recent as f64 >= 0.9 * n as f64 {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{recent} of {n} sampled entries were touched in the last {} before the dump (median {} ago): in active use, a working set",
                duration(IDLE),
                duration(median_idle)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_times() {
        let now = 1_780_000_000_000u64;
        assert_eq!(as_millis(now as i64 - 5000, now), Some(now - 5000));
        assert_eq!(as_millis((now / 1000) as i64, now), Some(now / 1000 * 1000));
        assert_eq!(as_millis((now * 1000) as i64, now), Some(now));
        assert_eq!(as_millis((now * 1_000_000) as i64, now), Some(now));
        assert_eq!(as_millis(42, now), None);
        assert_eq!(as_millis(-1, now), None);
        assert_eq!(duration(90 * MINUTE), "1.5 h");
    }
}
