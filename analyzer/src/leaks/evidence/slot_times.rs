//! Times in a `long[]`'s slots: a primitive array held by an application field whose filled
//! slots hold epoch-millisecond times near the dump, in slot order from the first filled slot
//! to the last, spanning hours, the oldest hours before the dump, with empty slots after the
//! last: a table indexed by a sequence (a request or message number) that records when each
//! was seen and keeps every one since the start. A ring of times wraps (one drop of about its
//! whole span) and a table whose times do not follow the slots (a last-seen time per user)
//! has no order: neither is judged here. A table preallocated for a fixed period (a slot per
//! second of the day) looks the same in one dump, hence moderate. The values are read only to
//! compute this.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::{locate, read_object};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::added_order::rank_correlation;
use super::ages::duration;

const HOUR: u64 = 3_600_000;
/// Filled slots needed for a judgement.
const MIN_FILLED: usize = 1000;
/// Filled slots sampled (evenly) for the order.
const SAMPLE: usize = 1024;
/// Share of the sampled slots that must hold a time near the dump.
const TIMED_SHARE: f64 = 0.9;
/// How far before the dump a slot's time may lie.
const MAX_AGE: u64 = 30 * 24 * HOUR;
/// Rank correlation of the times with the slots that counts as in slot order.
const RANKED: f64 = 0.9;
/// The least span of the times, and how long before the dump the oldest must be.
const MIN_SPAN: u64 = 2 * HOUR;
/// A drop between sampled slots larger than this share of the span is a ring's wrap.
const WRAP: f64 = 0.1;

/// Adds moderate leak evidence when a `long[]` candidate's slots hold times in slot order.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, now: u64) {
    if c.kind != LeakKind::PrimitiveArray || c.element_class != "long" {
        return;
    }
    let Some(v) = c.node else { return };
    let Some(&offset) = locate(a, &[v]).get(&v) else {
        return;
    };
    let Some(view) = read_object(a, offset, true) else {
        return;
    };
    let slots: Vec<u64> = view
        .data
        .chunks_exact(8)
        .map(|b| u64::from_be_bytes(b.try_into().unwrap_or([0; 8])))
        .collect();
    let Some(t) = slot_times(&slots, now) else {
        return;
    };
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{} of its {} slots hold times, in slot order over {}, the oldest {} before the dump, and the {} slots after the last are empty: a table indexed by a sequence that keeps every one since the start (nothing windows or wraps it); a table preallocated for a fixed period looks the same",
            thousands(t.filled as u64),
            thousands(slots.len() as u64),
            duration(t.newest - t.oldest),
            duration(now.saturating_sub(t.oldest)),
            thousands(t.empty_after as u64),
        ),
    ));
}

/// What the slots of a table of times show.
#[derive(Debug, PartialEq)]
struct SlotTimes {
    filled: usize,
    oldest: u64,
    newest: u64,
    empty_after: usize,
}

/// The times of `slots` when they follow the slots (see the module doc), else None.
fn slot_times(slots: &[u64], now: u64) -> Option<SlotTimes> {
    let filled: Vec<usize> = (0..slots.len()).filter(|&i| slots[i] != 0).collect();
    if filled.len() < MIN_FILLED {
        return None;
    }
    let step = filled.len().div_ceil(SAMPLE);
    let sample: Vec<usize> = filled.iter().copied().step_by(step).collect();
    let near = |t: u64| t <= now + 60_000 && now.saturating_sub(t) <= MAX_AGE;
    let timed: Vec<(u64, u64)> = sample
        .iter()
        .filter(|&&i| near(slots[i]))
        .map(|&i| (i as u64, slots[i]))
        .collect();
    if (timed.len() as f64) < TIMED_SHARE * sample.len() as f64 {
        return None;
    }
    let (xs, ys): (Vec<u64>, Vec<u64>) = timed.iter().copied().unzip();
    let oldest = *ys.iter().min()?;
    let newest = *ys.iter().max()?;
    let span = newest - oldest;
    let wrapped = ys
        .windows(2)
        .any(|w| w[0] > w[1] && (w[0] - w[1]) as f64 > WRAP * span as f64);
    if span < MIN_SPAN || wrapped || rank_correlation(&xs, &ys) < RANKED {
        return None;
    }
    let last = *filled.last()?;
    Some(SlotTimes {
        filled: filled.len(),
        oldest,
        newest,
        empty_after: slots.len() - last - 1,
    })
}

#[cfg(test)]
mod tests {
    use super::slot_times;

    const NOW: u64 = 1_764_000_000_000;
    const HOUR: u64 = 3_600_000;

    #[test]
    fn a_sequence_table_of_times_is_found() {
        let mut slots = vec![0u64; 8192];
        for (i, s) in slots.iter_mut().take(5000).enumerate() {
            *s = NOW - 8 * HOUR + i as u64 * (8 * HOUR / 5000);
        }
        let t = slot_times(&slots, NOW).expect("found");
        assert_eq!(t.filled, 5000);
        assert_eq!(t.empty_after, 3192);
    }

    #[test]
    fn a_ring_that_wrapped_is_not() {
        let slots: Vec<u64> = (0..4096u64)
            .map(|i| NOW - 8 * HOUR + ((i + 1500) % 4096) * (8 * HOUR / 4096))
            .collect();
        assert!(slot_times(&slots, NOW).is_none());
    }

    #[test]
    fn counters_and_short_spans_are_not() {
        let counts: Vec<u64> = (0..4096u64).map(|i| i * 3 + 1).collect();
        assert!(slot_times(&counts, NOW).is_none());
        let recent: Vec<u64> = (0..4096u64).map(|i| NOW - HOUR + i * 100).collect();
        assert!(slot_times(&recent, NOW).is_none());
    }
}
