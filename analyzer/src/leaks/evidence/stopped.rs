//! Entries that stopped being added long before the dump: a set that filled and then stood
//! still, as a warm working set does (or an episode that is over), not an accumulation that
//! keeps adding until the dump. Part of the entry-age evidence ([`super::ages`]).

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{duration, Idle, IDLE};

/// No entry added for this long before the dump: the set may have stopped growing.
const STOPPED: u64 = 2 * 60 * 60 * 1000;

/// Entries added from `first_added` until `newest_added` and used long after it: no entry was added for
/// [`STOPPED`] or more before the dump, yet a tenth of them or more were touched an hour or
/// more after the last one was added. The set stopped growing while in use (every printer has
/// its channel), as a warm working set does; an accumulation keeps adding until the dump, and
/// entries left behind are not used after the last addition. Adds moderate evidence of a
/// working set.
pub(super) fn stopped_growing(
    c: &mut Candidate,
    how: &dyn Fn(&str) -> String,
    (first_added, newest_added): (u64, u64),
    idle: &Idle,
    now: u64,
) -> bool {
    let quiet = now.saturating_sub(newest_added);
    let later = idle
        .last
        .iter()
        .filter(|&&t| t >= newest_added + IDLE)
        .count();
    if quiet < STOPPED || later * 10 < idle.m {
        return false;
    }
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "{}, the last {} before the dump; {later} of {} sampled were used an hour or more after that: the set stopped growing while in use, as a warm working set does",
            how(&duration(newest_added - first_added)),
            duration(quiet),
            idle.m
        ),
    ));
    true
}

/// Entries added from `first_added` until `newest_added`, and none added for [`STOPPED`] or
/// more before the dump, longer than it took to add them all: the set filled and then stood
/// still. An accumulation under traffic keeps adding until the dump; a memo whose keys ran out
/// (huts x weekdays) stops, and so does a leak of an incident that is over. One dump cannot tell
/// which: weak evidence of a working set, so the entries' ages do not make a leak (the set is
/// undetermined unless other evidence decides). Only for times that record when entries were
/// made: resources opened or lent and never given back stop too once none is left.
pub(super) fn still_since(
    c: &mut Candidate,
    how: &dyn Fn(&str) -> String,
    (first_added, newest_added): (u64, u64),
    now: u64,
) -> bool {
    let quiet = now.saturating_sub(newest_added);
    let span = newest_added - first_added;
    if quiet < STOPPED || quiet < span {
        return false;
    }
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Weak,
        format!(
            "{}, the last {} before the dump, none since: the set stopped growing (a cache whose keys ran out, or what an episode that is over left behind)",
            how(&duration(span)),
            duration(quiet),
        ),
    ));
    true
}
