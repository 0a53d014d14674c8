//! `hprofscan leaks`: leak verdicts from evidence, naming the field to fix.
//!
//! A leak is memory that is allocated, never freed and never used again; a warm cache,
//! reference data and a working set are memory-hungry. Size and shape never tell them apart,
//! so every candidate is judged on measured evidence:
//!
//! 1. **Detect** (`detect/`): collections (with their entries, a sample of keys and values,
//!    and the application field that holds them), single objects and class groups, thread and
//!    executor groups, and the findings of the ThreadLocal, class-loader and resource analyses.
//!    Findings about one field merge into one candidate that carries all their evidence and the
//!    field's real retained size.
//! 2. **Evidence** (`evidence/`): each module adds named pieces for or against a leak: size,
//!    growth across a series, entry ages from timestamp fields, key shape, bounds (caps, LRU,
//!    eviction queues, bounded queues, immutability), captured state, stale ThreadLocals,
//!    stale class loaders, open resources, threads.
//! 3. **Verdict** (`verdict.rs`): `leak`, `possible-leak`, `memory-hungry` or `undetermined`,
//!    with a confidence, by the rules documented there.
//! 4. **Report**: `leak` and `possible-leak` are suspects (one per leak: a single object
//!    whose graph holds another suspect is not one, `nested.rs`), ranked by verdict, confidence and
//!    size, each with its GC-root path and an explanation that states only what the evidence
//!    shows (`explain.rs`); every other big structure is a top retainer with its verdict and
//!    evidence; the verdict table lists every candidate.

mod all_instances;
pub(crate) mod candidate;
pub(crate) mod detect;
mod entries;
pub(crate) mod evidence;
mod evidence_name;
pub(crate) mod explain;
mod left_behind;
mod merge;
pub mod model;
mod nested;
mod paths;
pub(crate) mod verdict;

pub use evidence::series::Series;
pub use model::*;

use crate::base::progress::{NoProgress, Progress};
use crate::dom::analysis::Analysis;
use crate::report::runtime::RuntimeReports;

use candidate::Candidate;
use detect::Found;
use evidence::Reads;

/// Builds the leak report of `a`; `series`, when given, holds the earlier dumps' growth.
///
/// Builds the ThreadLocal, class-loader and resource reports it reads; a caller that shows
/// them too builds them once and calls [`leak_report_with`].
pub fn leak_report(a: &Analysis, opts: &LeakOptions, series: Option<&Series>) -> LeakReport {
    leak_report_with(a, opts, series, &RuntimeReports::build(a), &NoProgress)
}

/// [`leak_report`] with the ThreadLocal, class-loader and resource reports of `a` already
/// built (with their default options, as [`RuntimeReports::build`] does), each step a phase on
/// `progress`: "leaks: collections", "leaks: single objects", "leaks: findings", "leaks:
/// threads", "leaks: series", "leaks: evidence", "leaks: paths".
pub fn leak_report_with(
    a: &Analysis,
    opts: &LeakOptions,
    series: Option<&Series>,
    runtime: &RuntimeReports,
    progress: &dyn Progress,
) -> LeakReport {
    let step = |name: &str| progress.start_count(name, 0, "");
    let threshold_bytes = (opts.threshold * a.dom.reachable_bytes.max(1) as f64) as u64;
    let floor = threshold_bytes / 10;
    step("leaks: collections");
    let (native, off_heap) = crate::report::offheap::native_retained_and_totals(a);
    // The single objects' floor is the higher one: their nodes are among these.
    let big = detect::big_nodes(a, floor, &native);
    let Found {
        mut candidates,
        mut retainers,
        judged_nodes,
        few_entries,
    } = detect::collections::detect(a, floor, opts.min_entries, &native, &big);
    let inside = detect::entry_fields::detect(a, &candidates, &few_entries, floor);
    let deeper = detect::entry_fields::detect_deeper(a, &inside, floor);
    candidates.extend(inside);
    candidates.extend(deeper);
    candidates.extend(detect::buffers::detect(a, &big));
    progress.finish();
    step("leaks: single objects");
    let objects =
        detect::objects::detect(a, threshold_bytes, opts.min_entries, &judged_nodes, &big);
    drop(big);
    candidates.extend(objects.candidates);
    retainers.extend(objects.retainers);
    progress.finish();
    step("leaks: findings");
    candidates.extend(detect::findings::detect(a, floor, runtime));
    progress.finish();
    step("leaks: threads");
    candidates.extend(detect::threads::detect(a));
    candidates.extend(detect::finalizers::detect(a, floor));
    candidates.extend(detect::class_locks::detect(a, floor));
    candidates.extend(detect::futures::detect(a, floor));
    candidates.extend(detect::sublists::detect(a));
    let cleaners = detect::cleaners::detect(a, floor);
    detect::cleaners::drop_groups_of(&mut candidates, &cleaners);
    candidates.extend(cleaners);
    progress.finish();
    if let Some(s) = series {
        step("leaks: series");
        let promoted = evidence::series::promote(a, s, &candidates);
        candidates.extend(promoted);
        progress.finish();
    }
    step("leaks: evidence");
    let candidates = merge::by_holder(a, candidates);
    let mut candidates = merge::timer_groups_into_threads(a, candidates);
    for c in candidates.iter_mut() {
        detect::pending_calls::judge_by_calls(a, c);
    }
    let reads = Reads::gather(a, &candidates);
    evidence::gather(a, &mut candidates, &reads, series);
    let candidates = merge::groups_into_entries(a, candidates);
    let mut candidates = detect::sublists::into_leaking_outer(a, candidates);
    for c in candidates.iter_mut() {
        c.per_entry = entries::per_entry(a, c, &reads);
    }
    let judged: Vec<(Candidate, Verdict, Confidence)> = candidates
        .into_iter()
        .map(|c| {
            let (v, conf) = verdict::judge(&c, threshold_bytes);
            (c, v, conf)
        })
        .collect();
    let judged = detect::entry_fields::keep_judged(judged, &few_entries);
    let judged = nested::one_per_leak(a, judged);
    progress.finish();
    step("leaks: paths");
    let report = assemble(a, opts, series, judged, retainers, off_heap);
    progress.finish();
    report
}

/// Suspects, retainers and the verdict table from the judged candidates.
fn assemble(
    a: &Analysis,
    opts: &LeakOptions,
    series: Option<&Series>,
    mut judged: Vec<(Candidate, Verdict, Confidence)>,
    mut retainers: Vec<Retainer>,
    off_heap: crate::report::offheap::OffHeapTotals,
) -> LeakReport {
    judged.sort_by(|x, y| {
        (x.1, std::cmp::Reverse(x.2), std::cmp::Reverse(x.0.weight())).cmp(&(
            y.1,
            std::cmp::Reverse(y.2),
            std::cmp::Reverse(y.0.weight()),
        ))
    });
    let verdicts: Vec<Judged> = judged
        .iter()
        .map(|(c, v, conf)| row(c, *v, *conf))
        .collect();
    let mut suspects: Vec<Suspect> = Vec::new();
    let mut suspect_nodes: Vec<u32> = Vec::new();
    let mut any_undetermined = false;
    for (c, v, conf) in judged {
        if v.is_suspect() {
            suspect_nodes.extend(c.node);
            suspects.push(suspect(a, c, v, conf, series.is_none()));
        } else {
            any_undetermined |= v == Verdict::Undetermined;
            retainers.push(retainer(a, c, v));
        }
    }
    let targets: Vec<Option<u32>> = suspects
        .iter()
        .map(|s| node_of(a, s.collection.id))
        .collect();
    for (s, p) in suspects.iter_mut().zip(paths::root_paths(a, &targets)) {
        s.gc_root_path = p;
    }
    for (i, s) in suspects.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    retainers.retain(|t| !explained_by(a, t, &suspect_nodes));
    drop_nested(a, &mut retainers);
    let weight = |t: &Retainer| t.retained_bytes + t.native_bytes.unwrap_or(0);
    retainers.sort_by(|x, y| weight(y).cmp(&weight(x)).then(x.id.text_cmp(&y.id)));
    retainers.truncate(opts.top_retainers);
    let outcome = if suspects.iter().any(|s| s.verdict == Verdict::Leak) {
        Outcome::Leak
    } else if suspects.is_empty() {
        Outcome::NoLeak
    } else {
        Outcome::PossibleLeak
    };
    let undecided = any_undetermined || outcome == Outcome::PossibleLeak;
    LeakReport {
        schema: SCHEMA,
        dump: a.heap.dump.meta(),
        series: series
            .map(|s| {
                let mut d: Vec<String> = s.growth.dumps.iter().map(|d| d.path.clone()).collect();
                d.pop();
                d
            })
            .unwrap_or_default(),
        heap: a.summary(),
        off_heap,
        threshold: opts.threshold,
        outcome,
        suspects,
        top_retainers: retainers,
        verdicts,
        advice: (undecided && series.is_none()).then(|| {
            format!(
                "One dump cannot decide every structure: {}.",
                explain::SECOND_DUMP
            )
        }),
        warnings: a.warnings(),
    }
}

fn node_of(a: &Analysis, id: crate::base::id::ObjectId) -> Option<u32> {
    let id = id.0;
    if id == 0 {
        return None;
    }
    a.graph.ids.get(id)
}

/// A retainer inside a suspect, or containing one, is explained by that suspect.
fn explained_by(a: &Analysis, t: &Retainer, suspects: &[u32]) -> bool {
    let Some(v) = node_of(a, t.id) else {
        return false;
    };
    suspects.iter().any(|&f| {
        f == v || detect::dominated_by(a, v, f, 10_000) || detect::dominated_by(a, f, v, 10_000)
    })
}

/// Dominator levels between two retainers that count as one structure's layers.
const NESTED_LEVELS: usize = 4;
/// Share of the outer retainer's bytes the inner must keep to be the same memory.
const NESTED_SHARE: f64 = 0.9;

/// Keeps one retainer of each structure listed in layers (an object, the buffer in its field,
/// the buffer's array: the same bytes three times): of a retainer and one it dominates within
/// [`NESTED_LEVELS`] keeping [`NESTED_SHARE`] of its bytes, the one with more evidence, the
/// outer on a tie.
fn drop_nested(a: &Analysis, retainers: &mut Vec<Retainer>) {
    let nodes: Vec<Option<u32>> = retainers.iter().map(|t| node_of(a, t.id)).collect();
    let mut dropped = vec![false; retainers.len()];
    for (i, outer) in retainers.iter().enumerate() {
        for (j, inner) in retainers.iter().enumerate() {
            let (Some(o), Some(n)) = (nodes[i], nodes[j]) else {
                continue;
            };
            if i == j
                || dropped[i]
                || dropped[j]
                || (inner.retained_bytes as f64) < NESTED_SHARE * outer.retained_bytes as f64
                || !detect::dominated_by(a, n, o, NESTED_LEVELS)
            {
                continue;
            }
            if inner.evidence.len() > outer.evidence.len() {
                dropped[i] = true;
            } else {
                dropped[j] = true;
            }
        }
    }
    let mut keep = dropped.iter().map(|d| !d);
    retainers.retain(|_| keep.next().unwrap_or(true));
}

fn row(c: &Candidate, v: Verdict, conf: Confidence) -> Judged {
    Judged {
        holder: c.holder_display(),
        kind: c.kind,
        verdict: v,
        confidence: conf,
        retained_bytes: c.retained,
        entries: c.entries,
        growth: c.growth.as_ref().map(|g| g.verdict),
    }
}

fn sorted_evidence(c: &Candidate) -> Vec<Evidence> {
    let mut ev = c.evidence.clone();
    ev.sort_by_key(|e| std::cmp::Reverse(e.strength));
    ev
}

fn suspect(a: &Analysis, c: Candidate, v: Verdict, conf: Confidence, single: bool) -> Suspect {
    let share = a.share(c.retained);
    let explanation = explain::suspect(&c, v, share);
    let holding = c.holding.clone().expect("suspects have a holder");
    let collection = c.object_ref(a);
    let accumulation_point = match c.node {
        Some(n) => candidate::object_ref(a, merge::accumulation_point(a, n)),
        None => collection.clone(),
    };
    Suspect {
        rank: 0,
        verdict: v,
        confidence: conf,
        kind: c.kind,
        fingerprint: format!(
            "{}:{}.{}",
            c.kind.as_str(),
            holding.holder.class,
            holding.holder.field
        ),
        holder: holding.holder,
        holder_via: holding.via,
        collection,
        accumulation_point,
        collection_class: c.class.clone(),
        element_class: c.element_class.clone(),
        element_classes: c
            .element_classes
            .iter()
            .take(5)
            .map(|(n, k)| ClassCount {
                class: n.clone(),
                count: *k,
            })
            .collect(),
        entries: c.entries,
        retained_bytes: c.retained,
        native_bytes: (c.native > 0).then_some(c.native),
        share,
        // Of the collections' elements, not of the collections, when their elements were judged.
        left_behind: c
            .left_in_sample
            .filter(|_| c.entry_collections.is_empty() && !c.entries_unsampled())
            .and_then(|(by, k, m)| model::LeftBehind::of(by, c.entries, k, m)),
        per_entry: c.per_entry.clone(),
        evidence: sorted_evidence(&c),
        gc_root_path: Vec::new(),
        explanation,
        advice: (v == Verdict::PossibleLeak && single)
            .then(|| format!("One dump cannot confirm it: {}.", explain::SECOND_DUMP)),
        threads: c.finding.threads.clone(),
        stale_entries: c.finding.stale_entries,
        value_class: c.finding.value_class.clone(),
        growth: c.growth.clone(),
    }
}

fn retainer(a: &Analysis, c: Candidate, v: Verdict) -> Retainer {
    let r = c.object_ref(a);
    Retainer {
        id: r.id,
        class: r.class,
        holder: c.holding.as_ref().map(|h| h.holder.clone()),
        entries: Some(c.entries),
        retained_bytes: c.retained,
        native_bytes: (c.native > 0).then_some(c.native),
        share: a.share(c.retained),
        verdict: v,
        evidence: sorted_evidence(&c),
        reason: explain::retainer(&c, v),
    }
}
