//! When each sampled entry was last touched: the newest of its time fields. Those are the
//! fields that hold a time in most entries, and the fields that hold one in some and are unset
//! (zero or null) in the others: a message's `readAt`, a notice's `viewedAt`, set once it is
//! read. Below the share of a field every entry holds, such a field is no record of when each
//! entry was made, but where it is set it is when that entry was last touched: a notice
//! created three hours ago and viewed ten minutes ago is in use.

use std::borrow::Cow;

use hprof_parser::BasicType;

use crate::query::objects::ObjectView;

use super::ages::{TimeField, FIELD_SHARE, IDLE};

/// Share of the sampled entries that must hold a time in a field unset in the others for it
/// to count as when those entries were last touched.
const SET_SHARE: f64 = 0.1;

/// How long the sampled entries were idle before the dump.
pub(super) struct Idle {
    /// Entries with a time.
    pub(super) m: usize,
    /// The median time since an entry was last touched.
    pub(super) median: u64,
    /// Entries idle at least [`IDLE`].
    pub(super) idle: usize,
    /// When each entry was last touched (its newest time), sorted.
    pub(super) last: Vec<u64>,
}

/// Counts, per long or reference field of `view`, whether it is unset (zero or null): a time
/// not yet recorded (`readAt` of an unread message).
pub(super) fn count_unset(view: &ObjectView, zeros: &mut Vec<(String, usize)>) {
    let unset = view
        .fields
        .iter()
        .filter(|f| f.raw == 0 && matches!(f.ty, BasicType::Long | BasicType::Object));
    for f in unset {
        match zeros.iter_mut().find(|z| z.0 == f.name) {
            Some(z) => z.1 += 1,
            None => zeros.push((f.name.clone(), 1)),
        }
    }
}

/// The time `fields` of `n` sampled entries split into those that hold a time in most
/// ([`FIELD_SHARE`]) of them, and those that hold one in [`SET_SHARE`] or more and are unset
/// (`zeros`, per field) in enough of the others to make most.
pub(super) fn split(
    fields: Vec<TimeField>,
    zeros: &[(String, usize)],
    n: usize,
) -> (Vec<TimeField>, Vec<TimeField>) {
    let most = |k: usize| k as f64 >= FIELD_SHARE * n as f64;
    let (every, partial): (Vec<TimeField>, Vec<TimeField>) =
        fields.into_iter().partition(|f| most(f.1.len()));
    let unset = |name: &str| zeros.iter().find(|z| z.0 == name).map_or(0, |z| z.1);
    let set_in_some = partial
        .into_iter()
        .filter(|f| f.1.len() as f64 >= SET_SHARE * n as f64 && most(f.1.len() + unset(&f.0)))
        .collect();
    (every, set_in_some)
}

/// The fields an entry's last touch is read from: the time `fields` of most entries and those
/// `set_in_some`, unless the times are `System.nanoTime` values (`nanos`), timed from the
/// newest entry and read alone.
pub(super) fn touch_fields<'f>(
    fields: &'f [TimeField],
    set_in_some: &[TimeField],
    nanos: bool,
) -> Cow<'f, [TimeField]> {
    if nanos || set_in_some.is_empty() {
        return Cow::Borrowed(fields);
    }
    Cow::Owned(fields.iter().chain(set_in_some).cloned().collect())
}

/// When each entry was last touched: the newest of its times in `fields`.
fn last_touched(fields: &[TimeField]) -> Vec<u64> {
    let mut last: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
    for (_, vals) in fields {
        for &(v, t) in vals {
            let e = last.entry(v).or_insert(t);
            *e = (*e).max(t);
        }
    }
    last.into_values().collect()
}

/// The idle times of the entries: the last time each was touched is the newest of its time
/// fields.
pub(super) fn idle_times(fields: &[TimeField], now: u64) -> Idle {
    let mut last = last_touched(fields);
    last.sort_unstable();
    let m = last.len();
    let idle = |t: u64| now.saturating_sub(t);
    Idle {
        m,
        median: idle(last[(m - 1) / 2]),
        idle: last.iter().filter(|&&t| idle(t) >= IDLE).count(),
        last,
    }
}

/// The longest one pass over a structure takes to touch its entries (a report or an export
/// reading every entry through a method that refreshes it).
const PASS: u64 = 1_000;
/// Share of the sampled entries that one pass must have touched last.
const PASS_SHARE: f64 = 0.75;
/// How long before the dump the pass must have ended: a cache whose entries idle out within
/// seconds holds only what the last second touched.
const PASS_AGE: u64 = 10_000;

/// Of the sampled times `vals` of a field recording use, those within one [`PASS`] (most of
/// them, [`PASS_SHARE`]) and how long before `now` that pass ended: one pass over the whole
/// structure touched the entries, not use.
pub(super) fn one_pass(vals: &[(u32, u64)], now: u64) -> Option<(usize, u64)> {
    let mut last: Vec<u64> = vals.iter().map(|p| p.1).collect();
    last.sort_unstable();
    let mut best = (0, 0);
    let mut lo = 0;
    for (hi, &t) in last.iter().enumerate() {
        while t - last[lo] > PASS {
            lo += 1;
        }
        if hi + 1 - lo > best.0 {
            best = (hi + 1 - lo, t);
        }
    }
    let (k, end) = best;
    let age = now.saturating_sub(end);
    (k as f64 >= PASS_SHARE * last.len() as f64 && age >= PASS_AGE).then_some((k, age))
}
