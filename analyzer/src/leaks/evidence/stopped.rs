//! Entries that stopped being added long before the dump: a set that filled and then stood
//! still, as a warm working set does (or an episode that is over), not an accumulation that
//! keeps adding until the dump. Part of the entry-age evidence ([`super::ages`]).

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{duration, IDLE};
use super::touched::Idle;

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

/// Timed entries needed to read the rate at which entries were added.
const MIN_RATE_ENTRIES: usize = 50;
/// The rate over the last half of the span, as a share of the rate over its first quarter,
/// under which new entries ran out.
const SLOWED_RATE: f64 = 0.2;

/// Entries made at times `vals` (ms) most of which came early: over the last half of their
/// span entries were added at under a fifth of the rate of its first quarter. A memo over a
/// bounded set of keys (excursion fares per port, category and page) fills fast and then
/// ever more slowly, as its keys run out; an accumulation under steady traffic adds at an even
/// rate (or a rising one, as traffic grows). A day's traffic falls by less than that from
/// morning to night, but an episode that is over slows too: weak evidence of a working set, so
/// the entries' ages do not make a leak in one dump. Only for times that record when entries
/// were made.
pub(super) fn slowed_down(
    c: &mut Candidate,
    how: &dyn Fn(&str) -> String,
    vals: &[(u32, u64)],
) -> bool {
    let (Some(lo), Some(hi)) = (
        vals.iter().map(|p| p.1).min(),
        vals.iter().map(|p| p.1).max(),
    ) else {
        return false;
    };
    let span = hi - lo;
    if vals.len() < MIN_RATE_ENTRIES || span == 0 {
        return false;
    }
    let first = vals.iter().filter(|p| p.1 < lo + span / 4).count();
    let last = vals.iter().filter(|p| p.1 >= lo + span / 2).count();
    // Per hour: last / (span / 2) < SLOWED_RATE * first / (span / 4).
    if (last as f64) >= 2.0 * SLOWED_RATE * first as f64 {
        return false;
    }
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::MemoryHungry,
        Strength::Weak,
        format!(
            "{}, {first} of {} sampled in its first quarter and {last} in its second half: new entries ran out, as a memo over a bounded set of keys fills (or what an episode that is over left behind); a second dump decides",
            how(&duration(span)),
            vals.len()
        ),
    ));
    true
}

#[cfg(test)]
mod tests {
    use super::super::super::candidate::Candidate;
    use super::super::super::model::{LeakKind, Supports};
    use super::slowed_down;

    const HOUR: u64 = 3_600_000;

    fn judged(times: &[u64]) -> bool {
        let mut c = Candidate::new(LeakKind::UnboundedMap, None, "java.util.HashMap".into(), 1);
        let vals: Vec<(u32, u64)> = times
            .iter()
            .enumerate()
            .map(|(i, &t)| (i as u32, t))
            .collect();
        let how = |span: &str| format!("entries were added over {span}");
        let added = slowed_down(&mut c, &how, &vals);
        assert_eq!(added, c.strongest(Supports::MemoryHungry).is_some());
        added
    }

    #[test]
    fn a_memo_whose_keys_run_out_is_told_from_steady_accumulation() {
        // Filling a bounded set of keys: each hour adds 40% of what the one before added.
        let mut filling = Vec::new();
        let mut per_hour = 200.0f64;
        for h in 0..8u64 {
            for i in 0..per_hour as u64 {
                filling.push(h * HOUR + i * HOUR / per_hour as u64);
            }
            per_hour *= 0.4;
        }
        assert!(judged(&filling));
        // Steady traffic, and traffic that grows.
        let steady: Vec<u64> = (0..400).map(|i| i * 8 * HOUR / 400).collect();
        assert!(!judged(&steady));
        let rising: Vec<u64> = (0..400u64)
            .map(|i| 8 * HOUR * i * i / (400 * 400))
            .collect();
        assert!(!judged(&rising));
        // A day that quietens towards night: half the rate, not a fifth.
        let day: Vec<u64> = (0..300)
            .map(|i| i * 6 * HOUR / 300)
            .chain((0..150).map(|i| 6 * HOUR + i * 6 * HOUR / 150))
            .collect();
        assert!(!judged(&day));
        // Too few entries to read a rate from.
        assert!(!judged(&filling[..40]));
    }
}
