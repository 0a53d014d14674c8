//! Tombstones: entries marked removed (`deletedAt`, `withdrawnAt`, `archivedAt` set to a time,
//! or a `deleted` flag) that stay in the structure. A soft delete keeps a record so that a
//! search can skip it and an undo can restore it; in an in-memory index nothing else ever
//! removes it unless a purge does, so every record ever removed stays beside the live ones.
//! Tombstones hours old in a big share of the entries say no purge runs: moderate evidence
//! (one dump cannot tell a purge that runs daily). Flags without a time are weak. Values are
//! read only to count and to measure ages.

use hprof_parser::BasicType;

use crate::base::text::thousands;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::ages::{duration, words};
use super::Reads;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of the sampled entries that must be tombstones.
const SHARE: f64 = 0.2;
/// Tombstones (estimated over all entries) from which they are an accumulation.
const MANY: f64 = 1000.0;
/// How old the median tombstone must be for its age to count (a purge runs at least hourly).
const OLD: u64 = 3_600_000;

/// Words that, as a time field's name with a time suffix (`deletedAt`), or as a flag, mark a
/// record removed.
const REMOVED: &[&str] = &[
    "deleted",
    "removed",
    "withdrawn",
    "archived",
    "retired",
    "deactivated",
    "discarded",
    "superseded",
    "delisted",
    "unpublished",
    "tombstoned",
];
/// Time suffixes of such a field's name.
const SUFFIXES: &[&str] = &["at", "time", "on", "ts", "millis"];

/// How an entry is marked removed: at a time (ms), or by a flag.
enum Mark {
    At(String, u64),
    Flag(String),
}

/// The mark on `view`, if any: a removal time field set to a time before `now`, or a flag set.
fn mark(view: &ObjectView, now: u64) -> Option<Mark> {
    view.fields.iter().find_map(|f| {
        let w = words(&f.name);
        let w: Vec<&str> = w
            .iter()
            .map(String::as_str)
            .filter(|&x| x != "is")
            .collect();
        match (f.ty, w.as_slice()) {
            (BasicType::Long, [word, suffix])
                if REMOVED.contains(word) && SUFFIXES.contains(suffix) && f.raw as i64 > 0 =>
            {
                // Set, but no time near the dump (older than a month): a mark all the same.
                Some(match super::ages::as_millis(f.raw as i64, now) {
                    Some(ms) => Mark::At(f.name.clone(), ms),
                    None => Mark::Flag(f.name.clone()),
                })
            }
            (BasicType::Boolean, [word]) if REMOVED.contains(word) && f.raw != 0 => {
                Some(Mark::Flag(f.name.clone()))
            }
            (BasicType::Boolean, ["tombstone"]) if f.raw != 0 => Some(Mark::Flag(f.name.clone())),
            _ => None,
        }
    })
}

/// Adds the tombstone evidence.
pub(crate) fn add(c: &mut Candidate, reads: &Reads, now: u64) {
    let views: Vec<&ObjectView> = c.values.iter().filter_map(|v| reads.views.get(v)).collect();
    let n = views.len();
    if n < MIN_ENTRIES {
        return;
    }
    let marks: Vec<Mark> = views.iter().filter_map(|v| mark(v, now)).collect();
    let k = marks.len();
    let estimate = c.entries as f64 * k as f64 / n as f64;
    if (k as f64) < SHARE * n as f64 || estimate < MANY {
        return;
    }
    let mut ages: Vec<u64> = marks
        .iter()
        .filter_map(|m| match m {
            Mark::At(_, ms) => Some(now.saturating_sub(*ms)),
            Mark::Flag(_) => None,
        })
        .collect();
    ages.sort_unstable();
    let field = match &marks[0] {
        Mark::At(f, _) | Mark::Flag(f) => f.clone(),
    };
    let median = (ages.len() * 2 >= k).then(|| ages[ages.len() / 2]);
    let (strength, when) = match median {
        Some(m) if m >= OLD => (
            Strength::Moderate,
            format!(", the median {} ago", duration(m)),
        ),
        Some(m) => (Strength::Weak, format!(", the median {} ago", duration(m))),
        None => (Strength::Weak, String::new()),
    };
    // The marks count what was left behind better than idle times do.
    if !matches!(
        c.left_in_sample,
        Some((LeftBy::State | LeftBy::TwinKeys, ..))
    ) {
        c.left_in_sample = Some((LeftBy::State, k as u64, n as u64));
    }
    c.add(evidence(
        EvidenceName::Tombstones,
        Supports::Leak,
        strength,
        format!(
            "{k} of {n} sampled entries are marked removed ({field} set{when}), about {} of {}, yet still held: a soft delete that nothing purges keeps every removed record",
            thousands(estimate.round() as u64),
            thousands(c.entries),
        ),
    ));
}
