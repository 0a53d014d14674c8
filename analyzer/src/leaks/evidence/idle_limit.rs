//! Idle limits: entries that carry their own inactivity limit (`maxInactiveInterval`,
//! `idleTimeout`, `maxIdleMillis`) beside when they were last used (`lastAccessedTime`), as a
//! servlet container's sessions do. A third of them or more idle past their own limit, by more
//! than a purge's slack, are entries nothing expires: the sweeper tests another field (an
//! absolute lifetime no entry reaches), or died. A leak whatever their other times say. Times
//! and limits are read only to compute this.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::ages::{as_millis_in, duration, time_object, words, MIN_ENTRIES};
use super::expiry::SLACK;
use super::Reads;

/// Words of a field's name that say it holds an inactivity limit.
const LIMIT_WORDS: [&str; 2] = ["inactive", "idle"];
/// Words of a field's name that say it holds when the entry was last used.
const USED_WORDS: [&str; 5] = ["accessed", "access", "touched", "used", "active"];
/// Share of the sampled entries that must hold both for a judgement.
const WITH_LIMIT: f64 = 0.8;
/// Share of those idle past their limit (by more than [`SLACK`]) for a leak: a working sweep
/// leaves next to none, and a store that began leaking an hour ago holds a third of its
/// entries past their limit soon after.
const PAST_LIMIT: f64 = 0.3;
/// Shortest and longest inactivity limit believed (a minute; thirty days).
const LIMITS: (u64, u64) = (60_000, 30 * 24 * 3_600_000);

/// The inactivity limit (ms) in `view`'s first field named for one, with the field's name: in
/// the unit its name says, else seconds for an `int` (`maxInactiveInterval`) and milliseconds
/// for a `long`; or a `java.time.Duration` (`idleTimeout`).
fn limit_of(a: &Analysis, view: &ObjectView, reads: &Reads) -> Option<(String, u64)> {
    // A time named for idleness (`idleSince`, an Instant) is no limit: the first that is.
    let (f, ms) = view.fields.iter().find_map(|f| {
        let named = words(&f.name)
            .iter()
            .any(|w| LIMIT_WORDS.contains(&w.as_str()));
        let ms = named.then(|| super::windowed::field_ms(a, view, f, reads))??;
        Some((f, ms))
    })?;
    (LIMITS.0..=LIMITS.1)
        .contains(&ms)
        .then(|| (f.name.clone(), ms))
}

/// When `view`'s entry was last used (ms): the newest time among its fields named for use.
fn used_of(a: &Analysis, view: &ObjectView, reads: &Reads, now: u64) -> Option<u64> {
    let lo = now.saturating_sub(LIMITS.1);
    view.fields
        .iter()
        .filter(|f| {
            let ws = words(&f.name);
            ws.iter().any(|w| USED_WORDS.contains(&w.as_str()))
                && !ws.iter().any(|w| LIMIT_WORDS.contains(&w.as_str()))
        })
        .filter_map(|f| {
            let raw = match f.ty {
                BasicType::Long => f.raw as i64,
                BasicType::Object if f.raw != 0 => time_object(a, view, &f.name, reads)?,
                _ => return None,
            };
            as_millis_in(raw, lo, now + SLACK)
        })
        .max()
}

/// Adds the idle-limit evidence when a third of the sampled entries or more were idle past
/// their own limit; whether it did.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) -> bool {
    if now == 0 {
        return false;
    }
    let mut n = 0;
    let mut field = None;
    let mut idle_past = Vec::new();
    for view in c.values.iter().filter_map(|v| reads.views.get(v)) {
        n += 1;
        let (Some((name, limit)), Some(used)) =
            (limit_of(a, view, reads), used_of(a, view, reads, now))
        else {
            continue;
        };
        idle_past.push(used + limit + SLACK <= now);
        field.get_or_insert((name, limit));
    }
    let m = idle_past.len();
    let past = idle_past.iter().filter(|&&p| p).count();
    let Some((name, limit)) = field else {
        return false;
    };
    if m < MIN_ENTRIES
        || (m as f64) < WITH_LIMIT * n as f64
        || (past as f64) < PAST_LIMIT * m as f64
    {
        return false;
    }
    c.left_in_sample = Some((LeftBy::State, past as u64, m as u64));
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        if c.keyed_naturally() { Strength::Weak } else { Strength::Strong },
        format!(
            "{past} of {m} sampled entries were idle longer than their own inactivity limit (field {name}: {}) by more than {} and are still held: nothing expires idle entries",
            duration(limit),
            duration(SLACK)
        ),
    ));
    true
}
