//! Sequence numbers thinned evenly: a map keyed by numbers given as its entries were made (an
//! outbox's message sequence, a ticket counter) that holds a minority of the numbers issued
//! over its entries' span, the oldest numbers as often as the newest. Most of what it was given
//! was removed, so it is no directory of natural ids that only grows; and the entries it kept
//! are as many per hour of its first hours as of its last, so nothing ever removes them (work
//! that finishes late, an insurer's slow acknowledgements, leaves fewer the older it is). Key
//! values are read only to order and count them, never shown.

use super::super::candidate::Candidate;
use super::Reads;
use crate::dom::analysis::Analysis;

/// Rank correlation of key numbers with the entries' creation times from which the keys were
/// numbered as the entries were made.
const NUMBERED: f64 = 0.9;
/// Largest share of the numbers issued over the sampled range the map may hold.
const THINNED: f64 = 0.5;
/// Least share of the sampled entries made in the older half of their span: an even spread
/// gives half, work finishing late leaves the older half a fifth or less.
const EVEN: f64 = 0.35;
/// Sampled entries with a key number and a time needed.
const MIN_PAIRS: usize = 20;

/// What a thinned sequence shows: how many numbers the sampled keys span.
pub(crate) struct Thinned {
    /// Numbers from the lowest to the highest sampled key.
    pub(crate) issued: u64,
}

/// Whether `c`'s keys are a thinned sequence by the creation times `made` ((value node, ms) of
/// sampled entries).
pub(crate) fn check(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    made: &[(u32, u64)],
) -> Option<Thinned> {
    let (ks, ts) =
        super::added_order::keyed_times(&c.pairs, made, |k| super::keys::key_number(a, reads, k));
    if ks.len() < MIN_PAIRS || super::added_order::rank_correlation(&ks, &ts) < NUMBERED {
        return None;
    }
    let issued = ks.iter().max()? - ks.iter().min()? + 1;
    let (lo, hi) = (*ts.iter().min()?, *ts.iter().max()?);
    let older = ts.iter().filter(|&&t| t < lo + (hi - lo) / 2).count();
    let thinned = (c.entries as f64) <= THINNED * issued as f64;
    (thinned && older as f64 >= EVEN * ts.len() as f64).then_some(Thinned { issued })
}
