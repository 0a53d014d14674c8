//! Used once: entries with a time field that records use (`lastUsedAt`, `lastAccess`...) and
//! another time field, all holding the same time, an hour or more before the dump, made over
//! half an hour or more. A record whose `updatedAt` equals its `createdAt` was only never edited; an entry
//! whose last use is its making was never used again. Each was made for one use and never
//! used again, yet nothing removed it: entries for one-off keys (a callback URL, a request's
//! route) kept in a map that only grows. Newer entries of the same kind may be many (a recent
//! burst), so this needs only a fifth of the sample; one dump cannot confirm it (a directory
//! whose members come back rarely looks the same), hence moderate.

use rustc_hash::FxHashMap;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{duration, words, TimeField, IDLE, MIN_ENTRIES, USE_WORDS};

/// Times within this of each other are the same moment (one request).
const SAME: u64 = 1_000;
/// Share of the sampled entries that must be old one-off entries.
const SHARE: f64 = 0.2;
/// Time over which the old one-off entries must have been made: no load in one burst. Half of
/// [`IDLE`], not all of it: a map that began growing two hours before the dump holds one-off
/// entries idle an hour or more made over just under an hour, and its verdict must not turn on
/// the seconds between the last request and the dump (val117 postcodelookup-1 at a minute's
/// first second, as CI regenerated it in session 47).
const SPREAD: u64 = IDLE / 2;

/// Whether a field's name says it records use.
fn records_use(name: &str) -> bool {
    words(name).iter().any(|w| USE_WORDS.contains(&w.as_str()))
}

/// Per entry with at least two time fields: its oldest and newest time.
fn spans(fields: &[TimeField]) -> FxHashMap<u32, (u64, u64, u32)> {
    let mut per: FxHashMap<u32, (u64, u64, u32)> = FxHashMap::default();
    for (_, vals) in fields {
        for &(v, t) in vals {
            let e = per.entry(v).or_insert((t, t, 0));
            e.0 = e.0.min(t);
            e.1 = e.1.max(t);
            e.2 += 1;
        }
    }
    per.retain(|_, e| e.2 >= 2);
    per
}

/// Adds the used-once evidence for the sampled entries of `c` (`m` of them with a time).
/// Whether it was added.
pub(crate) fn add(c: &mut Candidate, fields: &[TimeField], m: usize, now: u64) -> bool {
    if fields.len() < 2 || !fields.iter().any(|f| records_use(&f.0)) {
        return false;
    }
    let once: Vec<u64> = spans(fields)
        .values()
        .filter(|e| e.1 - e.0 <= SAME && now.saturating_sub(e.1) >= IDLE)
        .map(|e| e.0)
        .collect();
    let lo = once.iter().copied().min().unwrap_or(now);
    let hi = once.iter().copied().max().unwrap_or(now);
    if once.len() < MIN_ENTRIES || (once.len() as f64) < SHARE * m as f64 || hi - lo < SPREAD {
        return false;
    }
    // Keyed by natural ids, the rare members of a directory look the same.
    c.left_in_sample.get_or_insert((
        super::super::model::LeftBy::Idle,
        once.len() as u64,
        m as u64,
    ));
    let natural = c.keyed_naturally();
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        if natural { Strength::Weak } else { Strength::Moderate },
        format!(
            "{} of {m} sampled entries were last used when they were made (every time field the same, a field of use among them) and not since, made over {} up to {} before the dump: kept after their one use",
            once.len(),
            duration(hi - lo),
            duration(now.saturating_sub(hi)),
        ),
    ));
    true
}
