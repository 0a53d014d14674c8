//! Dates of long-lived records: entries that all carry a date from months or years before the
//! dump (a registration, an account's opening, a contract's start) and no time of this
//! process's own describe things that outlive any request, as a directory's records do.
//! Per-request state carries the time of its request instead ([`super::ages`]).

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

const DAY: u64 = 24 * 3_600_000;
/// The most recent a record's date may be: older than the times [`super::ages`] reads as this
/// process's own (thirty days).
const NEWEST: u64 = 30 * DAY;
/// The oldest date read as a date at all (thirty years): older values are other numbers.
const OLDEST: u64 = 30 * 365 * DAY;
/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// How far apart the oldest and newest dates must lie (a week).
const MIN_SPREAD: u64 = 7 * DAY;
/// Share of the sampled entries that must carry such a date in one field.
const FIELD_SHARE: f64 = 0.8;

/// The age in ms of `ms` (epoch milliseconds) if it is a date between [`NEWEST`] and
/// [`OLDEST`] before `now`.
fn record_age(ms: i64, now: u64) -> Option<u64> {
    let ms = u64::try_from(ms).ok().filter(|&r| r > 0 && r <= now)?;
    Some(now - ms).filter(|age| (NEWEST..=OLDEST).contains(age))
}

/// Per field name, the ages of the sampled entries that hold a record date in it (a `long` of
/// epoch milliseconds, an `Instant` or a `Date`), and how many entries hold a time of this
/// process's own (in the last thirty days) in any field.
fn record_fields(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> (usize, usize, Vec<(String, Vec<u64>)>) {
    let mut fields: Vec<(String, Vec<u64>)> = Vec::new();
    let (mut n, mut recent) = (0, 0);
    for view in c.values.iter().filter_map(|v| reads.views.get(v)) {
        n += 1;
        let mut has_recent = false;
        for f in &view.fields {
            let ms = match f.ty {
                BasicType::Long => f.raw as i64,
                BasicType::Object => match super::ages::time_object(a, view, &f.name, reads) {
                    Some(ms) => ms,
                    None => continue,
                },
                _ => continue,
            };
            has_recent |= super::ages::as_millis(ms, now).is_some();
            let Some(age) = record_age(ms, now) else {
                continue;
            };
            match fields.iter_mut().find(|x| x.0 == f.name) {
                Some(x) => x.1.push(age),
                None => fields.push((f.name.clone(), vec![age])),
            }
        }
        recent += usize::from(has_recent);
    }
    (n, recent, fields)
}

/// The field in which most sampled entries carry a record date, with those dates' ages
/// (sorted), the number of sampled entries, and how many hold a time of this process's own.
struct Records {
    name: String,
    ages: Vec<u64>,
    n: usize,
    recent: usize,
}

/// The record dates of the sampled entries, if most carry one in one field, made over a week
/// or more.
fn records(a: &Analysis, c: &Candidate, reads: &Reads, now: u64) -> Option<Records> {
    if now == 0 {
        return None;
    }
    let (n, recent, fields) = record_fields(a, c, reads, now);
    if n < MIN_ENTRIES {
        return None;
    }
    let (name, mut ages) = fields
        .into_iter()
        .filter(|f| f.1.len() as f64 >= FIELD_SHARE * n as f64)
        .max_by_key(|f| f.1.len())?;
    ages.sort_unstable();
    // Records of long-lived things were made over time; one day's times are of something else
    // (a clock of this process with another origin).
    (ages[ages.len() - 1] - ages[0] >= MIN_SPREAD).then_some(Records {
        name,
        ages,
        n,
        recent,
    })
}

fn days(ms: u64) -> String {
    crate::base::text::thousands(ms / DAY)
}

/// Adds the record-date evidence, when no evidence of entry ages was found.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if c.evidence.iter().any(|e| e.name == EvidenceName::EntryAges) {
        return;
    }
    let Some(r) = records(a, c, reads, now) else {
        return;
    };
    // Entries that also hold times of their own are judged on those.
    if r.recent * 5 > r.n {
        return;
    }
    let ages = &r.ages;
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{} of {} sampled entries carry a date in field {} from {} to {} days before the dump (median {} days), and no time of the last 30 days: records of long-lived things (a directory), not state kept per request",
            ages.len(),
            r.n,
            r.name,
            days(ages[0]),
            days(ages[ages.len() - 1]),
            days(ages[ages.len() / 2]),
        ),
    ));
}

/// Evidence that entries whose last use spreads over hours are the members of a directory:
/// most also carry a record date from months or years before the dump (an account opened, a
/// key issued), so they describe long-lived things, and members of a directory are used at
/// their own pace; idleness alone says nothing then.
pub(crate) fn directory_members(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    used: &str,
) -> Option<super::super::model::Evidence> {
    let r = records(a, c, reads, now)?;
    Some(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{} of {} sampled entries carry a date in field {} from {} to {} days before the dump (median {} days): records of long-lived things (a directory), whose members are used at their own pace, so the idle times in field {used} are no evidence of a leak",
            r.ages.len(),
            r.n,
            r.name,
            days(r.ages[0]),
            days(r.ages[r.ages.len() - 1]),
            days(r.ages[r.ages.len() / 2]),
        ),
    ))
}
