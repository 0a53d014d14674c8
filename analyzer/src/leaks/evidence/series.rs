//! Growth across a series of dumps of one application ([`crate::report::growth`]): a holder that kept
//! growing (doubling, then doubling again) is a leak; one that grew and then stayed flat is
//! warming up; one that stayed the same size is a working set. Across a series this evidence
//! decides.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::holders::Holding;
use crate::report::growth::{DumpSummary, GrowthReport, HolderGrowth, Verdict as Growth};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports, SuspectGrowth};

/// Growth from the first to the last dump from which steady growth is strong evidence.
pub(crate) const STRONG_GROWTH: f64 = 3.0;

/// The series a report is judged against: the growth of every holder, and the last dump's
/// summary (the dump being analysed).
pub struct Series {
    /// Growth of every holder across the dumps.
    pub growth: GrowthReport,
    /// The last dump's summary.
    pub last: DumpSummary,
}

fn of(h: &HolderGrowth) -> SuspectGrowth {
    SuspectGrowth {
        verdict: h.verdict,
        entries: h.entries.clone(),
        retained_bytes: h.retained_bytes.clone(),
        bytes_per_hour: h.bytes_per_hour,
    }
}

fn series_text(v: &[Option<u64>]) -> String {
    v.iter()
        .map(|x| x.map_or("-".to_string(), thousands))
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// Adds the growth evidence of the candidate's holder.
pub(crate) fn add(c: &mut Candidate, s: &Series) {
    let Some(holding) = &c.holding else { return };
    let h = &holding.holder;
    let Some(g) = s.growth.holder(&h.class, &h.field, h.is_static) else {
        return;
    };
    c.growth = Some(of(g));
    let dumps = s.growth.dumps.len();
    let entries = series_text(&g.entries);
    let e = g.entries_or_zero();
    let (first, last) = (
        e.first().copied().unwrap_or(0),
        e.last().copied().unwrap_or(0),
    );
    // A holder whose entries stay while what they hold grows (per-key lists that lengthen)
    // grew in bytes: measure and say that, not "2,000 -> 2,000 -> 2,000 entries".
    let in_bytes = g.verdict == Growth::Growing && first == last;
    let ratio = if in_bytes {
        let b: Vec<u64> = g.retained_bytes.iter().flatten().copied().collect();
        b.last().copied().unwrap_or(0) as f64 / b.first().copied().unwrap_or(0).max(1) as f64
    } else {
        last as f64 / first.max(1) as f64
    };
    // A buffer's entries are its chars or bytes.
    let unit = if c.kind == LeakKind::Buffer {
        format!("{}s", c.element_class)
    } else if c.kind == LeakKind::PrimitiveArray {
        format!("{} slots", c.element_class)
    } else {
        "entries".to_string()
    };
    let entries = if in_bytes {
        format!(
            "{} {unit} holding {} bytes",
            thousands(last),
            series_text(&g.retained_bytes)
        )
    } else {
        format!("{entries} {unit}")
    };
    // Doubling and doubling again: up at every step, not empty twice and then some entries.
    let steps: Vec<u64> = if in_bytes {
        g.retained_or_zero()
    } else {
        e.clone()
    };
    let every_step = steps.windows(2).all(|w| w[1] > w[0]);
    let times: Vec<u64> = s.growth.dumps.iter().map(|d| d.timestamp_ms).collect();
    let (supports, strength, detail) = if every_step
        && ratio < STRONG_GROWTH
        && slowing(&steps, &times)
    {
        (
            Supports::Leak,
            Strength::Weak,
            format!("grew at every step across {dumps} dumps, but each step added less than half the one before: {entries}; warming up to its size, or a further dump decides"),
        )
    } else {
        judged(g.verdict, dumps, &entries, ratio, every_step)
    };
    if c.fixed_slots && supports == Supports::Leak && strength == Strength::Strong {
        // The field was given ever bigger arrays: its array's slot count bounds nothing.
        c.evidence
            .retain(|e| !(e.name == EvidenceName::Bound && e.supports == Supports::MemoryHungry));
    }
    c.add(evidence(EvidenceName::Growth, supports, strength, detail));
}

/// Whether growth slows down: the last step added less than half what the step before did,
/// and so did it per hour between the dumps' timestamps (when they differ): a directory
/// filling up to its size (488 -> 566 -> 597), not a leak that doubles, nor one that grows at
/// a steady rate between dumps taken at uneven intervals.
fn slowing(steps: &[u64], times: &[u64]) -> bool {
    let n = steps.len();
    if n < 3 || times.len() != n {
        return false;
    }
    let (a, b) = (
        steps[n - 2].saturating_sub(steps[n - 3]),
        steps[n - 1].saturating_sub(steps[n - 2]),
    );
    let (t1, t2) = (
        times[n - 2].saturating_sub(times[n - 3]),
        times[n - 1].saturating_sub(times[n - 2]),
    );
    // Per unit of time: b / t2 < (a / t1) / 2, as b * t1 * 2 < a * t2 (no division by zero).
    let per_time = t1 == 0 || t2 == 0 || (b as u128 * t1 as u128 * 2) < a as u128 * t2 as u128;
    2 * b < a && per_time
}

/// The growth evidence of a holder with growth verdict `verdict` across `dumps` dumps, whose
/// `entries` (as text) rose `ratio` times, at every step or not.
fn judged(
    verdict: Growth,
    dumps: usize,
    entries: &str,
    ratio: f64,
    every_step: bool,
) -> (Supports, Strength, String) {
    match verdict {
        Growth::Growing if ratio >= STRONG_GROWTH && every_step => (
            Supports::Leak,
            Strength::Strong,
            format!("grew across {dumps} dumps: {entries} ({ratio:.1}x)"),
        ),
        Growth::Growing if every_step => (
            Supports::Leak,
            Strength::Moderate,
            format!("grew at every step across {dumps} dumps: {entries}"),
        ),
        // Flat (or under the candidate floor) and then up: a leak that began, or a registry
        // that filled after startup. Weak: it does not outweigh the entries' own evidence.
        Growth::Growing => (
            Supports::Leak,
            Strength::Weak,
            format!("grew, but not at every step across {dumps} dumps: {entries}; a further dump decides"),
        ),
        Growth::Warming => (
            Supports::MemoryHungry,
            Strength::Strong,
            format!("grew, then stayed flat across {dumps} dumps ({entries}): warming up to its working size"),
        ),
        Growth::Stable => (
            Supports::MemoryHungry,
            Strength::Strong,
            format!("stayed the same size across {dumps} dumps ({entries}): a working set"),
        ),
        Growth::Shrinking => (
            Supports::MemoryHungry,
            Strength::Strong,
            format!("shrank across {dumps} dumps ({entries})"),
        ),
        Growth::Fluctuating => (
            Supports::MemoryHungry,
            Strength::Moderate,
            format!("went up and down across {dumps} dumps ({entries}): entries are removed"),
        ),
    }
}

/// Candidates for growing holders that no detector found (under the floor): growth is
/// evidence enough to look at them.
pub(crate) fn promote(a: &Analysis, s: &Series, cands: &[Candidate]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for g in s.growth.growing() {
        if cands
            .iter()
            .any(|c| c.holding.as_ref().is_some_and(|h| h.holder == g.holder))
        {
            continue;
        }
        let Some(sample) = s.last.holders.iter().find(|x| x.holder == g.holder) else {
            continue;
        };
        let Some(node) = a.graph.ids.get(sample.collection_id) else {
            continue;
        };
        let kind = if g.holder.is_static {
            LeakKind::StaticCollection
        } else if sample.collection_class.contains("Map") {
            LeakKind::UnboundedMap
        } else {
            LeakKind::Collection
        };
        let mut c = Candidate::new(
            kind,
            Some(node),
            sample.collection_class.clone(),
            a.dom.retained.get(node),
        );
        c.holding = Some(Holding {
            holder: g.holder.clone(),
            owner: node,
            chain: vec![node],
            via: Vec::new(),
        });
        c.element_class = sample.element_class.clone();
        c.element_classes = vec![(sample.element_class.clone(), sample.entries)];
        c.entries = sample.entries;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slowing;

    #[test]
    fn growth_that_slows_is_told_from_steady_growth() {
        // A directory filling up, dumps a minute apart: slowing.
        assert!(slowing(&[488, 566, 597], &[0, 60_000, 120_000]));
        // Steady or faster growth is not.
        assert!(!slowing(&[2_000, 3_500, 5_000], &[0, 60_000, 120_000]));
        assert!(!slowing(&[3_000, 4_500, 7_500], &[0, 60_000, 120_000]));
        // The same rate between dumps taken at uneven intervals is not.
        assert!(!slowing(&[1_000, 7_000, 8_000], &[0, 6_000, 7_000]));
        // Two dumps say nothing of it; no timestamps: by the steps alone.
        assert!(!slowing(&[10, 100], &[0, 1]));
        assert!(slowing(&[488, 566, 597], &[5, 5, 5]));
    }
}
