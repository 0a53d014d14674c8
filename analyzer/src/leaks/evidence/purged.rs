//! Purged when done: a time field named for a finish that only part of the entries have set
//! (`readAt`, `completedAt`, `ackedAt`) marks the finished ones. When every finished entry finished within
//! the last [`RECENT`] though the structure holds entries hours old, finished entries are
//! removed a while after they finish: the old entries still there are unfinished ones waiting
//! for something (unread messages for a rider off shift), not entries left behind, however
//! long they have been idle. An inbox that keeps what was read shows the opposite: finished
//! entries finished hours ago. Times are read only to compute this.

use hprof_parser::BasicType;

use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{as_millis, duration, words, MIN_ENTRIES};
use super::Reads;

const HOUR: u64 = 3_600_000;
/// How recently every finished entry must have finished: an hour's grace and a purge that
/// runs now and then.
const RECENT: u64 = 2 * HOUR;
/// How old the oldest unfinished entry must be for the contrast to mean anything.
const WAITING: u64 = 3 * HOUR;
/// Share of the sampled entries that must be finished, and unfinished, each.
const PART: f64 = 0.1;
/// Share of the finished entries that must have finished within [`RECENT`].
const ALL: f64 = 0.95;
/// Words of a field's name that say it records when an entry was finished with (a last
/// activity, `lastMatchAt`, `updatedAt`, finishes nothing).
const FINISH_WORDS: [&str; 16] = [
    "read",
    "done",
    "completed",
    "finished",
    "acked",
    "acknowledged",
    "closed",
    "resolved",
    "delivered",
    "processed",
    "handled",
    "consumed",
    "answered",
    "dismissed",
    "seen",
    "ended",
];

/// Whether a field's name says it records a finish.
fn is_finish(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| FINISH_WORDS.contains(&w.as_str()))
}

/// Per long field of the sampled entries named for a finish: (name, finish times of the
/// entries that have it set); and the oldest time any of their long fields holds.
fn optional_times(views: &[&ObjectView], now: u64) -> (Vec<(String, Vec<u64>)>, u64) {
    let mut fields: Vec<(String, Vec<u64>)> = Vec::new();
    let mut oldest = now;
    for v in views {
        for f in v.fields.iter().filter(|f| f.ty == BasicType::Long) {
            let Some(t) = as_millis(f.raw as i64, now) else {
                continue;
            };
            oldest = oldest.min(t);
            if !is_finish(&f.name) {
                continue;
            }
            match fields.iter_mut().find(|(n, _)| *n == f.name) {
                Some((_, ts)) => ts.push(t),
                None => fields.push((f.name.clone(), vec![t])),
            }
        }
    }
    (fields, oldest)
}

/// Adds the evidence of finished entries purged while unfinished ones wait, when the sampled
/// entries show it. Whether it was added (entry ages then say nothing of a leak).
pub(crate) fn add(c: &mut Candidate, reads: &Reads, now: u64) -> bool {
    if now == 0 {
        return false;
    }
    let views: Vec<&ObjectView> = c.values.iter().filter_map(|v| reads.views.get(v)).collect();
    let m = views.len();
    if m < MIN_ENTRIES {
        return false;
    }
    let (fields, oldest) = optional_times(&views, now);
    if now.saturating_sub(oldest) < WAITING {
        return false;
    }
    let part = |k: usize| k >= MIN_ENTRIES / 2 && k as f64 >= PART * m as f64;
    let recent = |ts: &[u64]| ts.iter().filter(|&&t| t + RECENT >= now).count();
    let found = fields.iter().find(|(_, ts)| {
        part(ts.len()) && part(m - ts.len()) && recent(ts) as f64 >= ALL * ts.len() as f64
    });
    let Some((name, ts)) = found else {
        return false;
    };
    let recent = recent(ts);
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{} of {m} sampled entries have {name} set, {recent} of them within {} before the dump, while the others wait (the oldest held {} old): finished entries are removed a while after they finish; those still held are waiting, not left behind",
            ts.len(),
            duration(RECENT),
            duration(now.saturating_sub(oldest))
        ),
    ));
    true
}
