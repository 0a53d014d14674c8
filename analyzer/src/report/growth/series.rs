//! The report: the summaries ordered by time, holders matched across dumps, and the classes
//! that grew most.

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{
    ClassGrowth, DumpEntry, DumpSummary, GrowthOptions, GrowthReport, HolderGrowth, Verdict,
    NOISE_BYTES, SCHEMA,
};
use super::summary::{key_of, Key};
use super::verdict::{holder_verdict, step, Step};

/// Builds the growth report with default options. `given_order` is the dumps' paths in the
/// order the user gave them (empty: the order of `summaries`); the report orders the dumps by
/// header timestamp and warns when that differs.
pub fn growth_report(summaries: Vec<DumpSummary>, given_order: &[String]) -> GrowthReport {
    growth_report_with(summaries, given_order, &GrowthOptions::default())
}

/// The report of two dumps, `old` and `new` (as given; still ordered by timestamp, with a
/// warning when `new` is the older one). Same document as [`growth_report`].
pub fn diff_report(old: DumpSummary, new: DumpSummary) -> GrowthReport {
    let given = vec![old.meta.path.clone(), new.meta.path.clone()];
    growth_report(vec![old, new], &given)
}

/// Builds the growth report.
pub fn growth_report_with(
    mut summaries: Vec<DumpSummary>,
    given_order: &[String],
    opts: &GrowthOptions,
) -> GrowthReport {
    let mut warnings = order(&mut summaries, given_order);
    let holders = holders(&summaries, &mut warnings);
    let classes = classes(&summaries, opts);
    GrowthReport {
        schema: SCHEMA,
        dumps: summaries
            .iter()
            .map(|s| DumpEntry {
                path: s.meta.path.clone(),
                timestamp_ms: s.meta.timestamp_ms,
                objects: s.objects,
                reachable_bytes: s.reachable_bytes,
                complete: s.meta.complete,
            })
            .collect(),
        holders,
        classes,
        warnings,
    }
}

/// Orders the summaries by header timestamp (dumps with equal timestamps keep the given
/// order), and the warnings about the order, the dumps' completeness and their own warnings.
fn order(summaries: &mut [DumpSummary], given_order: &[String]) -> Vec<String> {
    let mut warnings = Vec::new();
    let given: Vec<String> = if given_order.is_empty() {
        summaries.iter().map(|s| s.meta.path.clone()).collect()
    } else {
        given_order.to_vec()
    };
    // Stable: dumps with equal timestamps keep the given order.
    summaries.sort_by_key(|s| {
        let pos = given
            .iter()
            .position(|p| *p == s.meta.path)
            .unwrap_or(usize::MAX);
        (s.meta.timestamp_ms, pos)
    });
    let sorted: Vec<String> = summaries.iter().map(|s| s.meta.path.clone()).collect();
    if sorted != given {
        warnings.push(format!(
            "the dumps were given in the order {}; their header timestamps order them {}, which this report uses",
            given.join(", "),
            sorted.join(", ")
        ));
    }
    if summaries.len() < 2 {
        warnings.push("a growth report needs at least two dumps".into());
    }
    for w in summaries.windows(2) {
        if w[0].meta.timestamp_ms == w[1].meta.timestamp_ms {
            warnings.push(format!(
                "{} and {} have the same header timestamp; they are kept in the given order",
                w[0].meta.path, w[1].meta.path
            ));
        }
    }
    for s in summaries.iter() {
        if !s.meta.complete {
            warnings.push(format!(
                "{}: the dump is incomplete (analysed with --partial): its entries and retained bytes are lower bounds",
                s.meta.path
            ));
        }
        for w in &s.warnings {
            warnings.push(format!("{}: {}", s.meta.path, w));
        }
    }
    crate::dom::analysis::merge_shared_archive(&mut warnings);
    warnings
}

/// Holders matched across the dumps by (class, field, static), with their verdicts, in report
/// order.
fn holders(summaries: &[DumpSummary], warnings: &mut Vec<String>) -> Vec<HolderGrowth> {
    let n = summaries.len();
    let elapsed_ms = match (summaries.first(), summaries.last()) {
        (Some(f), Some(l)) => l.meta.timestamp_ms.saturating_sub(f.meta.timestamp_ms),
        _ => 0,
    };
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    let mut holders: Vec<HolderGrowth> = Vec::new();
    for (i, s) in summaries.iter().enumerate() {
        for h in &s.holders {
            let at = *index.entry(key_of(&h.holder)).or_insert_with(|| {
                holders.push(HolderGrowth {
                    holder: h.holder.clone(),
                    collection_class: String::new(),
                    element_class: String::new(),
                    entries: vec![None; n],
                    retained_bytes: vec![None; n],
                    collections: vec![None; n],
                    own_retained_bytes: vec![None; n],
                    within: None,
                    verdict: Verdict::Stable,
                    bytes_per_hour: None,
                });
                holders.len() - 1
            });
            let g = &mut holders[at];
            // Summaries have one sample per key; sum in case a caller merged some.
            g.entries[i] = Some(g.entries[i].unwrap_or(0) + h.entries);
            g.retained_bytes[i] = Some(g.retained_bytes[i].unwrap_or(0) + h.retained_bytes);
            g.collections[i] = Some(g.collections[i].unwrap_or(0) + h.collections);
            g.own_retained_bytes[i] =
                Some(g.own_retained_bytes[i].unwrap_or(0) + h.own_retained_bytes);
            g.within = h.within.clone();
            g.collection_class = h.collection_class.clone();
            g.element_class = h.element_class.clone();
        }
    }
    if n >= 2 {
        let keys = |s: &DumpSummary| -> FxHashSet<Key> {
            s.holders.iter().map(|h| key_of(&h.holder)).collect()
        };
        let (first, last) = (keys(&summaries[0]), keys(&summaries[n - 1]));
        if !first.is_empty() && !last.is_empty() && first.is_disjoint(&last) {
            warnings.push(
                "the first and last dumps share no holder: are they dumps of one application?"
                    .into(),
            );
        }
    }
    let verdicts: Vec<Verdict> = holders
        .iter()
        .map(|h| {
            let outer = h
                .within
                .as_ref()
                .and_then(|w| holders.iter().find(|o| key_of(&o.holder) == key_of(w)));
            h.judge(outer)
        })
        .collect();
    for (h, v) in holders.iter_mut().zip(verdicts) {
        h.verdict = v;
        h.bytes_per_hour =
            (elapsed_ms > 0).then(|| h.bytes_added() as f64 * 3_600_000.0 / elapsed_ms as f64);
    }
    holders.sort_by(|x, y| {
        x.verdict
            .order()
            .cmp(&y.verdict.order())
            .then(y.bytes_added().cmp(&x.bytes_added()))
            .then_with(|| x.holder.display().cmp(&y.holder.display()))
    });
    holders
}

/// The classes whose shallow bytes grew most, by more than noise.
fn classes(summaries: &[DumpSummary], opts: &GrowthOptions) -> Vec<ClassGrowth> {
    let n = summaries.len();
    let mut by_class: FxHashMap<&str, ClassGrowth> = FxHashMap::default();
    for (i, s) in summaries.iter().enumerate() {
        for c in &s.classes {
            let g = by_class
                .entry(c.class.as_str())
                .or_insert_with(|| ClassGrowth {
                    class: c.class.clone(),
                    instances: vec![0; n],
                    shallow_bytes: vec![0; n],
                    verdict: Verdict::Stable,
                });
            g.instances[i] += c.instances;
            g.shallow_bytes[i] += c.shallow_bytes;
        }
    }
    let delta = |c: &ClassGrowth| -> i64 {
        match (c.shallow_bytes.first(), c.shallow_bytes.last()) {
            (Some(&f), Some(&l)) => l as i64 - f as i64,
            _ => 0,
        }
    };
    let mut classes: Vec<ClassGrowth> = by_class
        .into_values()
        .filter(|c| {
            let (f, l) = (c.shallow_bytes[0], c.shallow_bytes[n - 1]);
            step(f, l, NOISE_BYTES) == Step::Up
        })
        .map(|mut c| {
            c.verdict = holder_verdict(&c.instances, &c.shallow_bytes);
            c
        })
        .collect();
    classes.sort_by(|x, y| delta(y).cmp(&delta(x)).then_with(|| x.class.cmp(&y.class)));
    classes.truncate(opts.top_classes);
    classes
}
