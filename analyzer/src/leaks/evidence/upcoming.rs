//! Upcoming: entries that hold a time days after the dump in a field not named for expiry (an
//! appointment's `startsAt`, a flight's `departsAt`, an invoice's `dueAt`). Such entries wait
//! for that time: a booking made weeks ago and untouched since is due, not left over, so how
//! old the entries are says nothing of a leak, whatever order the collector left them in. One
//! dump cannot say they are removed once their time has passed, hence moderate. Expiry times
//! are [`super::expiry`]'s. Times are read only to compute this.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{as_millis_in, duration, time_object, words, MIN_ENTRIES};
use super::expiry::EXPIRY_WORDS;
use super::Reads;

const HOUR: u64 = 3_600_000;
/// How far after the dump the median upcoming time must lie (a day).
const LEAD: u64 = 24 * HOUR;
/// How far after the dump a time may lie and still be one this process waits for (two years).
const HORIZON: u64 = 2 * 366 * 24 * HOUR;
/// Share of the sampled entries that must hold an upcoming time in the field.
const SHARE: f64 = 0.8;

/// The fields of `view` (not named for expiry) that hold a time after `now`, with the time.
fn upcoming_times(a: &Analysis, view: &ObjectView, reads: &Reads, now: u64) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for f in &view.fields {
        let expiry = words(&f.name)
            .iter()
            .any(|w| EXPIRY_WORDS.contains(&w.as_str()));
        let raw = match f.ty {
            // A TimerTask's own run time is its scheduler's, not a booking's.
            _ if expiry || f.name == "nextExecutionTime" => continue,
            BasicType::Long => f.raw as i64,
            BasicType::Object if f.raw != 0 => match time_object(a, view, &f.name, reads) {
                Some(ms) => ms,
                None => continue,
            },
            _ => continue,
        };
        if let Some(ms) = as_millis_in(raw, now + 1, now + HORIZON) {
            out.push((f.name.clone(), ms));
        }
    }
    out
}

/// Adds the upcoming-time evidence when most sampled entries of `c` hold a time in one field
/// whose median lies at least [`LEAD`] after the dump; never for a unit of work's identity map
/// ([`super::traps::is_unit_of_work`]). Whether it was added.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) -> bool {
    // A unit of work keeps its entities whatever they wait for: their times say nothing of why
    // its identity map still holds them.
    if now == 0 || super::traps::is_unit_of_work(c) {
        return false;
    }
    let mut n = 0;
    let mut fields: Vec<(String, Vec<u64>)> = Vec::new();
    for v in &c.values {
        let Some(view) = reads.views.get(v) else {
            continue;
        };
        n += 1;
        for (name, t) in upcoming_times(a, view, reads, now) {
            match fields.iter_mut().find(|f| f.0 == name) {
                Some(f) => f.1.push(t),
                None => fields.push((name, vec![t])),
            }
        }
    }
    let Some((name, mut times)) = fields.into_iter().max_by_key(|f| f.1.len()) else {
        return false;
    };
    if n < MIN_ENTRIES || (times.len() as f64) < SHARE * n as f64 {
        return false;
    }
    times.sort_unstable();
    let median = times[times.len() / 2] - now;
    if median < LEAD {
        return false;
    }
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{} of {n} sampled entries hold a time after the dump in field {name} (median {} ahead, the latest {} ahead): they wait for it (bookings, schedules), so how long ago they were made says nothing of a leak",
            times.len(),
            duration(median),
            duration(times[times.len() - 1] - now),
        ),
    ));
    true
}
