//! Expiry: entries that carry their own expiry time (`expiresAt`, `expiry`, `validUntil`,
//! `deadline`). Most of them expired an hour or more before the dump and still held: nothing
//! removes expired entries (a purge task that died, or none), a leak whatever their other times
//! say. Most of them not yet expired (or only just): expired entries are removed, or their
//! time to live has not run out, so how old they are says nothing of a leak. Times are read only to compute this.

use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use hprof_parser::BasicType;

use crate::query::objects::ObjectView;

use super::ages::{as_millis_in, duration, time_object, words, IDLE, MIN_ENTRIES};
use super::Reads;

/// Words of a field's name that say it holds the entry's expiry time.
pub(crate) const EXPIRY_WORDS: [&str; 6] = [
    "expires",
    "expiry",
    "expiration",
    "expire",
    "deadline",
    "until",
];
/// Share of the sampled entries that must hold an expiry for a judgement.
const WITH_EXPIRY: f64 = 0.8;
/// Share of them expired an hour or more before the dump for a leak.
const EXPIRED: f64 = 0.8;
/// Share of them not expired, or expired within [`SLACK`], for a store bounded by its TTL.
const LIVE: f64 = 0.9;
/// How long an expired entry may wait for a purge that runs now and then (five minutes).
pub(crate) const SLACK: u64 = 5 * 60_000;

/// How far after the dump an expiry may lie (a certificate's `notAfter`: ten years).
const FUTURE: u64 = 10 * 366 * 24 * 3_600_000;
/// How far before the dump an expiry may lie (thirty days).
const PAST: u64 = 30 * 24 * 3_600_000;

/// The expiry (ms) in `view`'s first field named for expiry, with the field's name.
pub(crate) fn expiry_of(
    a: &Analysis,
    view: &ObjectView,
    reads: &Reads,
    now: u64,
) -> Option<(String, u64)> {
    let f = view.fields.iter().find(|f| {
        matches!(f.ty, BasicType::Long | BasicType::Object)
            && words(&f.name)
                .iter()
                .any(|w| EXPIRY_WORDS.contains(&w.as_str()))
    })?;
    let raw = match f.ty {
        BasicType::Long => f.raw as i64,
        _ if f.raw == 0 => return None,
        _ => time_object(a, view, &f.name, reads)?,
    };
    let ms = as_millis_in(raw, now.saturating_sub(PAST), now + FUTURE)?;
    Some((f.name.clone(), ms))
}

/// The expiry field's name and the expiry of every sampled entry that has one, with the
/// number of sampled entries.
fn expiries(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> (usize, Option<(String, Vec<u64>)>) {
    let mut n = 0;
    let mut found: Option<(String, Vec<u64>)> = None;
    for v in &c.values {
        let Some(view) = reads.views.get(v) else {
            continue;
        };
        n += 1;
        if let Some((name, t)) = expiry_of(a, view, reads, now) {
            found.get_or_insert_with(|| (name, Vec::new())).1.push(t);
        }
    }
    (n, found)
}

/// Rank correlation of the sampled keys' numbers with their entries' expiries from which the
/// keys count events (a hold, a grant, a job numbered as it is made), not members.
const SEQUENCE: f64 = 0.8;

/// Whether the sampled keys' numbers rise with their entries' expiries: a counter numbered
/// each entry as it was made, so the keys name events, not the members of a directory that
/// keeps each member's last entry (whose ids have nothing to do with when that entry expires).
fn numbered_by_event(a: &Analysis, c: &Candidate, reads: &Reads, now: u64) -> bool {
    let (mut ks, mut ts) = (Vec::new(), Vec::new());
    for &(k, v) in &c.pairs {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        if let (Some(n), Some((_, t))) = (
            super::keys::key_number(a, reads, k),
            expiry_of(a, view, reads, now),
        ) {
            ks.push(n);
            ts.push(t);
        }
    }
    ks.len() >= MIN_ENTRIES && super::added_order::rank_correlation(&ks, &ts) >= SEQUENCE
}

/// What the expiry evidence found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// Nothing to say.
    None,
    /// Most entries expired long ago and are still held.
    Expired,
    /// Most entries have not expired: their ages are within their time to live, and say
    /// nothing about a leak.
    Live,
}

/// Adds the expiry evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) -> Expiry {
    if now == 0 {
        return Expiry::None;
    }
    let (n, Some((name, times))) = expiries(a, c, reads, now) else {
        return Expiry::None;
    };
    let m = times.len();
    if n < MIN_ENTRIES || (m as f64) < WITH_EXPIRY * n as f64 {
        return Expiry::None;
    }
    let expired = times.iter().filter(|&&t| t + IDLE <= now).count();
    let live = times.iter().filter(|&&t| t + SLACK >= now).count();
    if expired as f64 >= EXPIRED * m as f64 {
        c.left_in_sample = Some((super::super::model::LeftBy::State, expired as u64, m as u64));
        // Keyed by natural ids, a directory that keeps each member's last expiry (a quote per
        // product, bounded by the products) looks the same.
        // Unless a cap bounds them already (a size-capped cache of stale quotes is bounded).
        let bounded = c
            .evidence
            .iter()
            .any(|e| e.name == EvidenceName::Bound && e.supports == Supports::MemoryHungry);
        let numbered = !bounded && numbered_by_event(a, c, reads, now);
        let natural = c.keyed_naturally() && !numbered;
        let oldest = times.iter().copied().min().unwrap_or(now);
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::Leak,
            if natural { Strength::Weak } else { Strength::Strong },
            format!(
                "{expired} of {m} sampled entries expired more than {} before the dump (field {name}; the oldest {} before it) and are still held: nothing removes expired entries{}",
                duration(IDLE),
                duration(now.saturating_sub(oldest)),
                if natural {
                    "; but a directory of natural keys that keeps each member's last one looks the same"
                } else if numbered {
                    " (their keys are numbered in the order the entries expire: one per event, not a member's last)"
                } else {
                    ""
                }
            ),
        ));
        return Expiry::Expired;
    }
    if live as f64 >= LIVE * m as f64 {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{live} of {m} sampled entries have not expired, or expired less than {} before the dump (field {name}): expired entries are removed, a store bounded by its time to live",
                duration(SLACK)
            ),
        ));
        return Expiry::Live;
    }
    Expiry::None
}
