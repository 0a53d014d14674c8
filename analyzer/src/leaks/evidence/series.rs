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
/// Growth from the first to the last dump under which steady growth is weak evidence: a
/// directory of a population that grows a little between dumps.
const SMALL_GROWTH: f64 = 1.5;
/// How many times more than their number the bytes of a holder's inner collections must have
/// grown for its growth to be measured in bytes.
const INNER_GROWTH: f64 = 1.5;

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

/// The growth recorded for the candidate's holder, or for a tree under the field holding each
/// node's children.
fn growth_of<'s>(c: &Candidate, s: &'s Series) -> Option<&'s HolderGrowth> {
    let h = &c.holding.as_ref()?.holder;
    let tree = || {
        s.growth
            .holder(&c.element_class, c.tree_link.as_ref()?, false)
    };
    s.growth
        .holder(&h.class, &h.field, h.is_static)
        .or_else(tree)
}

/// Adds the growth evidence of the candidate's holder.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, s: &Series) {
    let Some(holding) = &c.holding else { return };
    let h = &holding.holder;
    let Some(g) = growth_of(c, s) else {
        return;
    };
    // The collection the series counted under this holder in the last dump (this very dump).
    let counted = s
        .last
        .holders
        .iter()
        .find(|x| x.holder == *h)
        .and_then(|x| a.graph.ids.get(x.collection_id));
    c.growth_elsewhere = counted.is_some_and(|n| Some(n) != c.node && !c.members.contains(&n));
    c.growth = Some(of(g));
    let dumps = s.growth.dumps.len();
    let entries = series_text(&g.entries);
    // Dumps before the holder was first recorded say nothing of its size there (under the
    // floors, or recorded under another holder): growth is measured from its first value.
    let skip = unrecorded_lead(&g.entries);
    let e = g.entries_or_zero()[skip..].to_vec();
    let (first, last) = (
        e.first().copied().unwrap_or(0),
        e.last().copied().unwrap_or(0),
    );
    let (in_bytes, ratio) = measure(c, g, skip, (first, last));
    let entries = growth_text(c, g, in_bytes, (last, &entries));
    // Doubling and doubling again: up at every step, not empty twice and then some entries.
    let steps: Vec<u64> = if in_bytes {
        g.retained_or_zero()[skip..].to_vec()
    } else {
        e.clone()
    };
    let every_step = steps.windows(2).all(|w| w[1] > w[0]);
    let times: Vec<u64> = s
        .growth
        .dumps
        .iter()
        .skip(skip)
        .map(|d| d.timestamp_ms)
        .collect();
    let slows = every_step && ratio < STRONG_GROWTH && slowing(&steps, &times);
    let (supports, strength, detail) = if slows && nearly_flat(&steps) {
        (
            Supports::MemoryHungry,
            Strength::Moderate,
            format!("grew at every step across {dumps} dumps, ever more slowly, the last step by under {}%: {entries}; warming up to its size", (FLAT_STEP * 100.0) as u32),
        )
    } else if slows {
        (
            Supports::Leak,
            Strength::Weak,
            format!("grew at every step across {dumps} dumps, but each step added less than half the one before: {entries}; warming up to its size, or a further dump decides"),
        )
    } else if every_step && ratio < SMALL_GROWTH && g.verdict == Growth::Growing {
        (
            Supports::Leak,
            Strength::Weak,
            format!("grew at every step across {dumps} dumps, but by {:.0}% in all: {entries}; a population that grows (new customers signing up) looks the same, a further dump decides", (ratio - 1.0) * 100.0),
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

/// Whether growth is measured in bytes, and the growth from the first recorded dump (from
/// `skip`) to the last. A holder whose entries stay while what they hold grows (per-key lists
/// that lengthen) grew in bytes: measure and say that, not "2,000 -> 2,000 -> 2,000 entries".
/// So did one whose entries are collections that grew far more than their number did
/// (followers' sets lengthening while the members gaining a first one run out).
fn measure(c: &Candidate, g: &HolderGrowth, skip: usize, (first, last): (u64, u64)) -> (bool, f64) {
    let bytes_ratio = {
        let b: Vec<u64> = g.retained_bytes[skip..].iter().flatten().copied().collect();
        b.last().copied().unwrap_or(0) as f64 / b.first().copied().unwrap_or(0).max(1) as f64
    };
    let entries_ratio = last as f64 / first.max(1) as f64;
    let inner_grew = !c.entry_collections.is_empty() && bytes_ratio >= INNER_GROWTH * entries_ratio;
    let in_bytes = g.verdict == Growth::Growing && (first == last || inner_grew);
    (in_bytes, if in_bytes { bytes_ratio } else { entries_ratio })
}

/// The growth as text: the entries (or a buffer's chars or bytes, an array's slots) at each
/// dump, or, when only the bytes they hold grew, the entries and the bytes at each dump.
fn growth_text(
    c: &Candidate,
    g: &HolderGrowth,
    in_bytes: bool,
    (last, entries): (u64, &str),
) -> String {
    // A buffer's entries are its chars or bytes.
    let unit = if c.kind == LeakKind::Buffer {
        format!("{}s", c.element_class)
    } else if c.kind == LeakKind::PrimitiveArray {
        format!("{} slots", c.element_class)
    } else {
        "entries".to_string()
    };
    if in_bytes && c.growth_elsewhere {
        format!(
            "what the field holds, {} bytes ({} entries of its outer collection)",
            series_text(&g.retained_bytes),
            thousands(last)
        )
    } else if in_bytes {
        format!(
            "{} {unit} holding {} bytes",
            thousands(last),
            series_text(&g.retained_bytes)
        )
    } else {
        format!("{entries} {unit}")
    }
}

/// The dumps at the start of a series in which the holder was not recorded, when it was in
/// at least two later ones: its growth is measured from there ("- -> 4,500 -> 7,500" grew
/// 1.7x, not 7,500x). A holder recorded in one dump only keeps them (counted as 0).
fn unrecorded_lead(entries: &[Option<u64>]) -> usize {
    let lead = entries.iter().take_while(|x| x.is_none()).count();
    if entries.len() - lead >= 2 {
        lead
    } else {
        0
    }
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

/// The last step's growth, as a share of the size before it, under which growth that slows
/// has all but stopped.
const FLAT_STEP: f64 = 0.1;

/// Whether the last step added under [`FLAT_STEP`] of what was there before it: a memo whose
/// keys run out (412 -> 693 -> 720 fares), not a leak that keeps adding under traffic.
fn nearly_flat(steps: &[u64]) -> bool {
    let n = steps.len();
    n >= 2 && (steps[n - 1].saturating_sub(steps[n - 2]) as f64) < FLAT_STEP * steps[n - 2] as f64
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
/// evidence enough to look at them. Not a field whose collections only multiplied (the line
/// list of each of ever more quotes, the quotes of each of ever more searches), nor a field
/// of a class group's own class: it grows with its owners, which are judged.
pub(crate) fn promote(a: &Analysis, s: &Series, cands: &[Candidate]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for g in s.growth.growing().filter(|g| !multiplied_only(g)) {
        let known = |c: &Candidate| {
            c.holding.as_ref().is_some_and(|h| h.holder == g.holder)
                || (c.kind == LeakKind::ClassGroup
                    && !g.holder.is_static
                    && c.element_class == g.holder.class)
        };
        if cands.iter().any(known) {
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

/// Growth per collection below which a field whose collections multiplied grew only with its
/// owners.
const OWN_GROWTH: f64 = 1.5;

/// Whether one field's collections multiplied (two or more at first, more at last) while each
/// held about as many entries as before: the owners grew, not what each holds.
fn multiplied_only(g: &HolderGrowth) -> bool {
    let pairs: Vec<(u64, u64)> = g
        .collections
        .iter()
        .zip(&g.entries)
        .filter_map(|(c, e)| Some(((*c)?, (*e)?)))
        .collect();
    let (Some(&(c0, e0)), Some(&(c1, e1))) = (pairs.first(), pairs.last()) else {
        return false;
    };
    let per = |e: u64, c: u64| e as f64 / c.max(1) as f64;
    c0 >= 2 && c1 > c0 && per(e1, c1) < OWN_GROWTH * per(e0, c0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn growth_is_measured_from_the_first_recorded_dump() {
        assert_eq!(super::unrecorded_lead(&[None, Some(4_500), Some(7_500)]), 1);
        assert_eq!(super::unrecorded_lead(&[None, None, Some(7_500)]), 0);
        assert_eq!(super::unrecorded_lead(&[Some(3_000), None, Some(7_500)]), 0);
    }

    use super::{multiplied_only, slowing};
    use crate::query::holders::Holder;
    use crate::report::growth::{HolderGrowth, Verdict as Growth};

    fn holder(collections: &[u64], entries: &[u64]) -> HolderGrowth {
        HolderGrowth {
            holder: Holder {
                class: "Search".into(),
                field: "quotes".into(),
                is_static: false,
            },
            collection_class: "java.util.ArrayList".into(),
            element_class: "Quote".into(),
            entries: entries.iter().map(|&e| Some(e)).collect(),
            retained_bytes: vec![Some(0); entries.len()],
            collections: collections.iter().map(|&c| Some(c)).collect(),
            own_retained_bytes: vec![Some(0); entries.len()],
            within: None,
            verdict: Growth::Growing,
            bytes_per_hour: None,
        }
    }

    #[test]
    fn collections_that_only_multiplied_are_told_from_collections_that_grew() {
        // Ever more searches, 80 quotes each: the owners grew.
        assert!(multiplied_only(&holder(
            &[150, 300, 600],
            &[12_000, 24_000, 48_000]
        )));
        // The same 240 products, each set longer: the field grew.
        assert!(!multiplied_only(&holder(
            &[240, 240, 240],
            &[4_777, 8_141, 14_815]
        )));
        // More owners and each longer too.
        assert!(!multiplied_only(&holder(&[3, 6, 12], &[60, 240, 960])));
        // One collection: not one field in many objects.
        assert!(!multiplied_only(&holder(&[1, 1, 1], &[10, 20, 40])));
    }

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

    #[test]
    fn growth_that_all_but_stopped_is_warming() {
        assert!(super::nearly_flat(&[412, 693, 720]));
        assert!(super::nearly_flat(&[488, 566, 597]));
        // Slowing, but still adding a fifth.
        assert!(!super::nearly_flat(&[300, 500, 600]));
        assert!(!super::nearly_flat(&[0, 0]));
    }
}
