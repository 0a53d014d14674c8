//! `hprofscan growth` and `hprofscan diff`: what grows across a series of dumps of one
//! application.
//!
//! # Method
//!
//! Object ids are addresses and change between dumps, so nothing is matched by id. Each dump is
//! reduced to a small [`DumpSummary`] ([`summarize`], or [`summarize_file`], which loads the
//! dump, summarises it and drops the heap before returning): the caller keeps only the
//! summaries, so a series of three 2 GB dumps needs no more memory than one. The report
//! ([`growth_report`], [`diff_report`]) is a pure function of the summaries.
//!
//! A summary holds:
//!
//! - **Holders**: every application field that owns a collection (a static field, or an
//!   instance field of an application object), found as `leaks` finds holders
//!   ([`crate::query::holders`]): the first application field met walking references backwards from
//!   the collection (pseudo-fields such as HotSpot's `<resolved_references>` are not holders).
//!   A collection is recorded when it retains at least [`MIN_HOLDER_SHARE`] (0.1%) of the
//!   reachable heap **or** has at least [`MIN_HOLDER_ENTRIES`] (100) entries. A collection
//!   whose holder is reached through another recorded collection (a set's map, a wrapper's
//!   collection, the lists in a map) is part of that one and not recorded on its own; nor is a
//!   collection of class objects (a class loader's bookkeeping).
//!
//!   Holders are matched across dumps by `(class, field, static)`, class names with
//!   hidden-class suffixes removed ([`crate::query::collections::normalise_class`]). **Several
//!   collections with one key** (one instance field of many instances, or a static field of a
//!   class defined by several loaders) are **aggregated**: `entries` and `retained_bytes` are
//!   summed and `collections` says how many there were; the collection and element class are
//!   those of the largest.
//!
//!   **Nesting.** The fields of long-lived instances are often inside another recorded
//!   collection (the beans of a container's map, the tenants of a static list): such a holder
//!   is recorded `within` the holder of the nearest recorded collection that dominates it (no
//!   class object in between: a static field's collection belongs to its class). Every byte
//!   under a recorded collection belongs to the nearest recorded collection above it: that
//!   is a holder's `own_retained_bytes`, while `retained_bytes` is everything it retains
//!   (a collection inside another one of the same holder, in a recursive structure, is not
//!   counted twice).
//! - **Classes**: instances and shallow bytes of the strongly reachable objects per class name
//!   (a live histogram, with hidden-class suffixes removed so lambdas of one site group
//!   together).
//!
//! # Verdicts
//!
//! Each holder's entries and own retained bytes are classified separately by [`classify`]; a
//! holder is `growing` when either is, otherwise it takes the entries' verdict unless that is
//! `stable`, in which case it takes the bytes' verdict ([`holder_verdict`]). Own bytes, so
//! that the container of a growing nested holder is not growing too. For a holder `within`
//! another one, entries and own bytes are taken **per collection**, so that lists that only
//! multiply with their owners (the attribute lists of the sessions in a growing map) are not a
//! growth of their own, while the lists of a fixed set of tenants that each grow are. A value
//! missing from a dump (the holder was absent there, or under both floors) counts as 0.
//!
//! A step between two consecutive dumps is **noise** (flat) when it changes by less than
//! [`NOISE_SHARE`] (2%) of the larger of the two values, or by at most [`NOISE_ENTRIES`]
//! (10) entries / [`NOISE_BYTES`] (16 KiB). Otherwise it is up or down. Then:
//!
//! | verdict | rule |
//! |---|---|
//! | `growing` | no step down and the last step up (rising at every step, or flat and then rising); or, with steps down too, the last value is the highest and at least 4x the first (doubled and doubled again); or, with 4 or more dumps, every step rises by a little and the whole series rises by more than noise |
//! | `warming` | rose (at least one step up, none down), then flat at the last step |
//! | `stable` | every step is noise |
//! | `shrinking` | at least one step down and none up |
//! | `fluctuating` | steps up and down, and not `growing` by the doubling rule |
//!
//! With two dumps (a diff) any rise beyond noise is `growing`: one interval cannot tell cache
//! warming from a leak.
//!
//! `bytes_per_hour` is the change in `retained_bytes` from the first dump to the last, divided
//! by the time between their header timestamps (null when the timestamps are equal). Holders
//! are ranked `growing` first, then `warming`, `fluctuating`, `shrinking`, `stable`, and within
//! a verdict by bytes added (the same order as `bytes_per_hour`), then by name.
//!
//! The classes are those whose shallow bytes grew most from the first dump to the last, by
//! more than noise (the same rule as a step), at most [`GrowthOptions::top_classes`] (20 by
//! default). Only **strongly reachable** objects are counted (as `jmap -histo:live` would):
//! the filler arrays a GC leaves in retired TLABs come and go between dumps and are not
//! growth. This differs from `hprofscan histogram`, which counts every object in the dump.
//!
//! Dumps are ordered by their header timestamps; a warning says so when that differs from the
//! order they were given in.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use hprof_parser::BasicType;

use crate::base::progress::Progress;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::load::dump::DumpMeta;
use crate::query::collections::{
    collection_specs, contents, normalise_class, CollectionSpec, Shape,
};
use crate::query::holders::{find_holders, Holder};
use crate::query::objects::{locate, node_class, read_object, ObjectView};
use crate::{AnalyzeError, LoadOptions};

/// Schema name and version of [`GrowthReport`].
pub const SCHEMA: &str = "hprofscan/growth/1";

/// A collection is recorded when it retains at least this share of the reachable heap...
pub const MIN_HOLDER_SHARE: f64 = 0.001;

/// ... or has at least this many entries.
pub const MIN_HOLDER_ENTRIES: u64 = 100;

/// A step that changes a value by less than this share of the larger value is noise.
pub const NOISE_SHARE: f64 = 0.02;

/// A step that changes entries by at most this many is noise ("a few entries").
pub const NOISE_ENTRIES: u64 = 10;

/// A step that changes retained bytes by at most this many is noise.
pub const NOISE_BYTES: u64 = 16 << 10;

/// How far back (in references) the holder of a collection is searched.
const HOLDER_LEVELS: usize = 8;

/// One holder in one dump: the collections an application field owns, summed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct HolderSample {
    /// The application field (class name normalised).
    pub holder: Holder,
    /// Class of the largest collection held by the field.
    pub collection_class: String,
    /// Object id of the largest collection. Valid in this dump only (ids are addresses):
    /// for reports on the same heap, such as `leaks` promoting a growing holder of the last
    /// dump; never used to match dumps.
    pub collection_id: u64,
    /// Dominant element (map value) class of the largest collection; `<empty>` when no
    /// element was sampled.
    pub element_class: String,
    /// How many collections were aggregated under this holder (1 for a static field of a
    /// class defined once).
    pub collections: u64,
    /// Entries, summed over the collections.
    pub entries: u64,
    /// Retained bytes, summed over the collections (a collection inside another one of the
    /// same holder, in a recursive structure, is not counted twice).
    pub retained_bytes: u64,
    /// The part of `retained_bytes` not retained by other recorded holders nested inside
    /// (every byte under a recorded collection belongs to the nearest recorded collection
    /// above it).
    pub own_retained_bytes: u64,
    /// The recorded holder whose collection contains this holder's (largest nested)
    /// collection, with no class object in between: `Tenant.users` within
    /// `Registry.TENANTS (static)`. `None` for a holder that is not inside another one.
    pub within: Option<Holder>,
}

/// One class name in one dump.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassSample {
    /// Class name in Java source form, hidden-class suffixes removed.
    pub class: String,
    /// Strongly reachable objects of the class (for `java.lang.Class`: class objects).
    pub instances: u64,
    /// Their shallow bytes.
    pub shallow_bytes: u64,
}

/// What a growth report needs of one dump: small enough to keep one per dump while the heaps
/// themselves are dropped.
#[derive(Clone, Debug, Serialize)]
pub struct DumpSummary {
    /// The dump (path as given, header timestamp, completeness).
    pub meta: DumpMeta,
    /// Objects in the graph (instances, arrays and class objects), as `heap.objects` of the
    /// graph-based reports.
    pub objects: u64,
    /// Shallow bytes of the strongly reachable objects.
    pub reachable_bytes: u64,
    /// Holders recorded, largest retained bytes first.
    pub holders: Vec<HolderSample>,
    /// Every class name with at least one strongly reachable object, by name.
    pub classes: Vec<ClassSample>,
    /// The analysis' warnings for this dump.
    pub warnings: Vec<String>,
}

/// How a series evolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Rising at every step, or doubling and doubling again: a leak.
    Growing,
    /// Grew, then flat: typically a cache warming up.
    Warming,
    /// Every change is noise.
    Stable,
    /// Went down and never up.
    Shrinking,
    /// Up and down.
    Fluctuating,
}

impl Verdict {
    /// The verdict as in JSON (`growing`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Growing => "growing",
            Verdict::Warming => "warming",
            Verdict::Stable => "stable",
            Verdict::Shrinking => "shrinking",
            Verdict::Fluctuating => "fluctuating",
        }
    }

    /// Ranking order: growing first.
    fn order(self) -> u8 {
        match self {
            Verdict::Growing => 0,
            Verdict::Warming => 1,
            Verdict::Fluctuating => 2,
            Verdict::Shrinking => 3,
            Verdict::Stable => 4,
        }
    }
}

/// One dump of the report.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DumpEntry {
    /// The path as given.
    pub path: String,
    /// Header timestamp, milliseconds since the epoch.
    pub timestamp_ms: u64,
    /// Objects in the graph (instances, arrays and class objects).
    pub objects: u64,
    /// Shallow bytes of the strongly reachable objects.
    pub reachable_bytes: u64,
    /// False when the dump was damaged and analysed with `--partial`.
    pub complete: bool,
}

/// One holder across the series.
#[derive(Clone, Debug, Serialize)]
pub struct HolderGrowth {
    /// The application field.
    pub holder: Holder,
    /// Class of its (largest) collection, in the latest dump that has the holder.
    pub collection_class: String,
    /// Dominant element class, in the latest dump that has the holder.
    pub element_class: String,
    /// Entries per dump, in chronological order; `None` where the holder was not recorded.
    pub entries: Vec<Option<u64>>,
    /// Retained bytes per dump; `None` where the holder was not recorded.
    pub retained_bytes: Vec<Option<u64>>,
    /// How many collections the holder aggregates per dump; `None` where not recorded.
    pub collections: Vec<Option<u64>>,
    /// Per dump, the part of `retained_bytes` not retained by other holders nested inside.
    pub own_retained_bytes: Vec<Option<u64>>,
    /// The holder this one is nested in (in the latest dump that has it), if any.
    pub within: Option<Holder>,
    /// The verdict.
    pub verdict: Verdict,
    /// Retained bytes added per hour from the first dump to the last (negative when it
    /// shrank); `None` when the first and last dumps have the same timestamp.
    pub bytes_per_hour: Option<f64>,
}

impl HolderGrowth {
    /// Entries per dump with missing values as 0.
    pub fn entries_or_zero(&self) -> Vec<u64> {
        self.entries.iter().map(|e| e.unwrap_or(0)).collect()
    }

    /// Retained bytes per dump with missing values as 0.
    pub fn retained_or_zero(&self) -> Vec<u64> {
        self.retained_bytes.iter().map(|e| e.unwrap_or(0)).collect()
    }

    /// The verdict ([`holder_verdict`]) on the entries and the own retained bytes; for a
    /// holder nested in another one, on the entries and own bytes per collection, so that
    /// collections that only multiply with their owners (the lists of the sessions in a
    /// growing map) are not a growth of their own.
    pub fn judge(&self) -> Verdict {
        let zero = |v: &[Option<u64>]| -> Vec<u64> { v.iter().map(|x| x.unwrap_or(0)).collect() };
        let (mut e, mut b) = (zero(&self.entries), zero(&self.own_retained_bytes));
        if self.within.is_some() {
            for (i, c) in self.collections.iter().enumerate() {
                let c = c.unwrap_or(0).max(1);
                e[i] /= c;
                b[i] /= c;
            }
        }
        holder_verdict(&e, &b)
    }

    /// Retained bytes added from the first dump to the last (missing values as 0).
    pub fn bytes_added(&self) -> i64 {
        let r = self.retained_or_zero();
        match (r.first(), r.last()) {
            (Some(&f), Some(&l)) => l as i64 - f as i64,
            _ => 0,
        }
    }
}

/// One class name across the series.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassGrowth {
    /// Class name, hidden-class suffixes removed.
    pub class: String,
    /// Objects per dump (0 where the class had none).
    pub instances: Vec<u64>,
    /// Shallow bytes per dump.
    pub shallow_bytes: Vec<u64>,
    /// The verdict on instances and shallow bytes, by the holders' rules.
    pub verdict: Verdict,
}

/// `hprofscan/growth/1`: what grew across a series of dumps (two dumps: a diff).
#[derive(Clone, Debug, Serialize)]
pub struct GrowthReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dumps, oldest first (by header timestamp).
    pub dumps: Vec<DumpEntry>,
    /// Every holder recorded in any dump, ranked: growing first, by bytes added.
    pub holders: Vec<HolderGrowth>,
    /// The classes whose shallow bytes grew most, most first.
    pub classes: Vec<ClassGrowth>,
    /// Order corrections, incomplete dumps, each dump's own warnings.
    pub warnings: Vec<String>,
}

impl GrowthReport {
    /// The holders whose verdict is `growing`, in rank order.
    pub fn growing(&self) -> impl Iterator<Item = &HolderGrowth> {
        self.holders
            .iter()
            .filter(|h| h.verdict == Verdict::Growing)
    }

    /// The series of one holder, if it was recorded in any dump.
    pub fn holder(&self, class: &str, field: &str, is_static: bool) -> Option<&HolderGrowth> {
        let class = normalise_class(class);
        self.holders.iter().find(|h| {
            h.holder.class == class && h.holder.field == field && h.holder.is_static == is_static
        })
    }

    /// Milliseconds from the first dump to the last.
    pub fn elapsed_ms(&self) -> u64 {
        match (self.dumps.first(), self.dumps.last()) {
            (Some(f), Some(l)) => l.timestamp_ms.saturating_sub(f.timestamp_ms),
            _ => 0,
        }
    }
}

/// Options of the growth report.
#[derive(Clone, Debug)]
pub struct GrowthOptions {
    /// How many of the classes that grew most are listed.
    pub top_classes: usize,
}

impl Default for GrowthOptions {
    fn default() -> Self {
        GrowthOptions { top_classes: 20 }
    }
}

// ---------------------------------------------------------------------------------------------
// Per dump.

/// Loads the dump at `path`, summarises it and drops the heap before returning: the way to
/// build a series without holding more than one heap in memory.
pub fn summarize_file(
    path: &std::path::Path,
    opts: &LoadOptions,
    progress: &dyn Progress,
) -> Result<DumpSummary, AnalyzeError> {
    let a = Analysis::load(path, opts, progress)?;
    Ok(summarize(&a))
}

/// Reduces an analysed dump to what a growth report needs (see the module documentation for
/// which holders are recorded).
pub fn summarize(a: &Analysis) -> DumpSummary {
    let mut holders = holder_samples(a);
    holders.sort_by(|x, y| {
        y.retained_bytes
            .cmp(&x.retained_bytes)
            .then_with(|| key_of(&x.holder).cmp(&key_of(&y.holder)))
    });
    let mut by_name: FxHashMap<String, ClassSample> = FxHashMap::default();
    for (k, (count, bytes)) in live_classes(a).into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        let name = if k == a.heap.classes.len() {
            "<unknown class>".to_string()
        } else {
            normalise_class(&a.heap.classes.get(k as u32).name)
        };
        let e = by_name.entry(name.clone()).or_insert(ClassSample {
            class: name,
            instances: 0,
            shallow_bytes: 0,
        });
        e.instances += count;
        e.shallow_bytes += bytes;
    }
    let mut classes: Vec<ClassSample> = by_name.into_values().collect();
    classes.sort_by(|x, y| x.class.cmp(&y.class));
    DumpSummary {
        meta: a.heap.dump.meta(),
        objects: a.graph.len() as u64,
        reachable_bytes: a.dom.reachable_bytes,
        holders,
        classes,
        warnings: a.warnings(),
    }
}

/// Strongly reachable objects and their shallow bytes per class index (the last slot: objects
/// whose class is not in the dump). Class objects count as `java.lang.Class`.
fn live_classes(a: &Analysis) -> Vec<(u64, u64)> {
    let slots = a.heap.classes.len() + 1;
    (0..a.graph.len() as u32)
        .into_par_iter()
        .with_min_len(1 << 16)
        .fold(
            || vec![(0u64, 0u64); slots],
            |mut acc, v| {
                if a.dom.is_reachable(v) {
                    let k = a.graph.class_of(v);
                    let slot = if k == NONE { slots - 1 } else { k as usize };
                    acc[slot].0 += 1;
                    acc[slot].1 += a.graph.shallow(v);
                }
                acc
            },
        )
        .reduce(
            || vec![(0u64, 0u64); slots],
            |mut x, y| {
                for (a, b) in x.iter_mut().zip(y) {
                    a.0 += b.0;
                    a.1 += b.1;
                }
                x
            },
        )
}

type Key = (String, String, bool);

fn key_of(h: &Holder) -> Key {
    (h.class.clone(), h.field.clone(), h.is_static)
}

fn int_field(v: &ObjectView, name: &str) -> Option<u64> {
    v.field(name).and_then(|f| match f.ty {
        BasicType::Int => Some((f.raw as u32 as i32).max(0) as u64),
        BasicType::Long => Some((f.raw as i64).max(0) as u64),
        _ => None,
    })
}

/// Entries of many collections at once: one pass locates them all (a pass per collection, as
/// [`contents`] does, would rescan the heap thousands of times). Sets and wrappers take the
/// entries of what they wrap; linked collections without a size field fall back to
/// [`contents`] (rare JDK classes).
fn entries_of(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    nodes: &[u32],
) -> FxHashMap<u32, u64> {
    let spec_of = |v: u32| -> Option<&'static CollectionSpec> {
        let k = a.graph.class_of(v);
        if k == NONE {
            None
        } else {
            specs[k as usize]
        }
    };
    let mut out: FxHashMap<u32, u64> = FxHashMap::default();
    // (outer, inner): outer's entries are inner's.
    let mut waiting: Vec<(u32, u32)> = Vec::new();
    let mut pending: Vec<u32> = nodes.to_vec();
    for _round in 0..4 {
        pending.retain(|v| !out.contains_key(v));
        pending.sort_unstable();
        pending.dedup();
        if pending.is_empty() {
            break;
        }
        let offs = locate(a, &pending);
        for &v in &pending {
            let Some(spec) = spec_of(v) else {
                out.insert(v, 0);
                continue;
            };
            let Some(view) = offs.get(&v).and_then(|&o| read_object(a, o, false)) else {
                out.insert(v, 0);
                continue;
            };
            let n = match (spec.size_field, spec.shape) {
                (Some(f), _) => int_field(&view, f).unwrap_or(0),
                (None, Shape::Array(field)) => view
                    .reference(field)
                    .and_then(|id| a.graph.ids.get(id))
                    .map_or(0, |arr| a.graph.refs(arr).len() as u64),
                (None, Shape::MapBackedSet(field) | Shape::Wrapper(field)) => {
                    match view
                        .reference(field)
                        .and_then(|id| a.graph.ids.get(id))
                        .filter(|&w| spec_of(w).is_some())
                    {
                        Some(inner) => {
                            waiting.push((v, inner));
                            continue;
                        }
                        None => 0,
                    }
                }
                (None, _) => contents(a, v, spec).entries,
            };
            out.insert(v, n);
        }
        // Resolve wrappers whose inner collection is known; the rest wait for the next round.
        let mut next = Vec::new();
        let mut still = Vec::new();
        for _ in 0..4 {
            still.clear();
            for &(outer, inner) in &waiting {
                match out.get(&inner) {
                    Some(&n) => {
                        out.insert(outer, n);
                    }
                    None => still.push((outer, inner)),
                }
            }
            std::mem::swap(&mut waiting, &mut still);
        }
        for &(_, inner) in &waiting {
            if !waiting.iter().any(|&(o, _)| o == inner) {
                next.push(inner);
            }
        }
        pending = next;
    }
    for (outer, _) in waiting {
        out.entry(outer).or_insert(0);
    }
    out
}

/// The nearest strict dominator of `v` that is in `recorded`, not looking past a class object
/// (a static field's collection belongs to its class, the outermost owner there is). `memo`
/// caches the answer for every node walked: it is the same for everything a node dominates up
/// to the next recorded node.
fn nearest_recorded(
    a: &Analysis,
    recorded: &FxHashMap<u32, usize>,
    v: u32,
    memo: &mut FxHashMap<u32, Option<u32>>,
) -> Option<u32> {
    let mut path = Vec::new();
    let mut u = a.dom.idom[v as usize];
    let found = loop {
        if u == NONE || u == SUPER_ROOT {
            break None;
        }
        if let Some(&m) = memo.get(&u) {
            break m;
        }
        if recorded.contains_key(&u) {
            break Some(u);
        }
        if a.graph.class_object(u).is_some() {
            break None;
        }
        path.push(u);
        u = a.dom.idom[u as usize];
    };
    for p in path {
        memo.insert(p, found);
    }
    found
}

struct Group {
    holder: Holder,
    members: Vec<u32>,
}

fn holder_samples(a: &Analysis) -> Vec<HolderSample> {
    let reachable = a.dom.reachable_bytes;
    let floor = ((MIN_HOLDER_SHARE * reachable as f64) as u64).max(1);
    // A collection of MIN_HOLDER_ENTRIES entries retains at least that many references (its
    // table, array or nodes): a cheap lower bound that spares reading small collections.
    let pre_floor = floor.min(MIN_HOLDER_ENTRIES * a.heap.model.reference as u64);
    let specs = collection_specs(a);
    let retained = |v: u32| a.dom.retained[v as usize];

    // 1. Collections big enough to look at.
    let cands: Vec<u32> = (0..a.graph.len() as u32)
        .into_par_iter()
        .with_min_len(1 << 14)
        .filter(|&v| {
            let k = a.graph.class_of(v);
            k != NONE
                && specs[k as usize].is_some()
                && a.dom.retained[v as usize] >= pre_floor
                && a.graph.class_object(v).is_none()
        })
        .collect();

    // 2. Entries; keep those over either floor.
    let entries = entries_of(a, &specs, &cands);
    let entries_at = |v: u32| entries.get(&v).copied().unwrap_or(0);
    let kept: Vec<u32> = cands
        .into_iter()
        .filter(|&v| retained(v) >= floor || entries_at(v) >= MIN_HOLDER_ENTRIES)
        .collect();

    // 3. Holders. A collection whose holder was reached through another held collection (a
    //    set's map, a wrapper's collection, the lists in a map) is part of that one.
    let holdings = find_holders(a, &kept, HOLDER_LEVELS);
    let held: Vec<(u32, crate::query::holders::Holding)> = kept
        .iter()
        .copied()
        .zip(holdings)
        .filter_map(|(v, h)| h.map(|h| (v, h)))
        .collect();
    let set: FxHashSet<u32> = held.iter().map(|(v, _)| *v).collect();
    let mut groups: FxHashMap<Key, Group> = FxHashMap::default();
    for (v, h) in held {
        let through_collection = h
            .chain
            .iter()
            .take(h.chain.len().saturating_sub(1))
            .any(|w| set.contains(w));
        // `<resolved_references>` and other pseudo-fields: no field anyone could edit.
        if through_collection || h.holder.field.starts_with('<') {
            continue;
        }
        let holder = Holder {
            class: normalise_class(&h.holder.class),
            ..h.holder
        };
        groups
            .entry(key_of(&holder))
            .or_insert(Group {
                holder,
                members: Vec::new(),
            })
            .members
            .push(v);
    }

    // 4. What the largest collection of each holder holds; a class loader's list of its
    //    classes is bookkeeping, not a holder.
    let mut out: Vec<(HolderSample, Vec<u32>)> = Vec::new();
    for mut g in groups.into_values() {
        g.members
            .sort_by(|&x, &y| retained(y).cmp(&retained(x)).then(x.cmp(&y)));
        let largest = g.members[0];
        let k = a.graph.class_of(largest);
        let Some(spec) = specs[k as usize] else {
            continue;
        };
        let c = contents(a, largest, spec);
        let element = c
            .element_classes
            .first()
            .map(|e| e.0.clone())
            .unwrap_or_else(|| "<empty>".into());
        if element == "java.lang.Class" {
            continue;
        }
        out.push((
            HolderSample {
                holder: g.holder,
                collection_class: normalise_class(&node_class(a, largest)),
                collection_id: a.graph.ids.id(largest),
                element_class: element,
                collections: g.members.len() as u64,
                entries: g.members.iter().map(|&v| entries_at(v)).sum(),
                retained_bytes: 0,
                own_retained_bytes: 0,
                within: None,
            },
            g.members,
        ));
    }

    // 5. Nesting: each recorded collection's nearest recorded dominator. Every byte under a
    //    recorded collection is its own unless a recorded collection nearer to it holds it.
    let mut recorded: FxHashMap<u32, usize> = FxHashMap::default();
    for (i, (_, members)) in out.iter().enumerate() {
        for &v in members {
            recorded.insert(v, i);
        }
    }
    let mut memo = FxHashMap::default();
    let mut parent: FxHashMap<u32, u32> = FxHashMap::default();
    for &v in recorded.keys() {
        if let Some(p) = nearest_recorded(a, &recorded, v, &mut memo) {
            parent.insert(v, p);
        }
    }
    let mut own: Vec<i128> = vec![0; out.len()];
    for (&v, &i) in &recorded {
        own[i] += retained(v) as i128;
        if let Some(&p) = parent.get(&v) {
            own[recorded[&p]] -= retained(v) as i128;
        }
    }
    let mut within: Vec<Option<usize>> = vec![None; out.len()];
    for (i, (sample, members)) in out.iter_mut().enumerate() {
        sample.own_retained_bytes = own[i].max(0) as u64;
        // Members are largest first: `within` is the holder around the largest nested one.
        for &v in members.iter() {
            if within[i].is_none() {
                within[i] = parent.get(&v).map(|p| recorded[p]).filter(|&j| j != i);
            }
            // Retained bytes count the collections not inside another collection of this
            // holder (a recursive structure), so nothing is counted twice.
            let mut u = v;
            let mut inside_own = false;
            while let Some(p) = parent.get(&u) {
                if recorded[p] == i {
                    inside_own = true;
                    break;
                }
                u = *p;
            }
            if !inside_own {
                sample.retained_bytes += retained(v);
            }
        }
    }
    let holders: Vec<Holder> = out.iter().map(|(s, _)| s.holder.clone()).collect();
    for (i, (sample, _)) in out.iter_mut().enumerate() {
        sample.within = within[i].map(|j| holders[j].clone());
    }
    out.into_iter().map(|(s, _)| s).collect()
}

// ---------------------------------------------------------------------------------------------
// Verdicts.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Up,
    Down,
    Flat,
}

fn step(a: u64, b: u64, abs_noise: u64) -> Step {
    let d = b as i128 - a as i128;
    let big = a.max(b) as f64;
    if d.unsigned_abs() <= abs_noise as u128 || (d.unsigned_abs() as f64) < NOISE_SHARE * big {
        Step::Flat
    } else if d > 0 {
        Step::Up
    } else {
        Step::Down
    }
}

/// The verdict on one series (oldest first) whose steps of at most `abs_noise` (or under
/// [`NOISE_SHARE`] of the larger value) are noise; the rules are in the module documentation.
/// Fewer than two values are `stable`.
pub fn classify(series: &[u64], abs_noise: u64) -> Verdict {
    if series.len() < 2 {
        return Verdict::Stable;
    }
    let steps: Vec<Step> = series
        .windows(2)
        .map(|w| step(w[0], w[1], abs_noise))
        .collect();
    let ups = steps.iter().filter(|&&s| s == Step::Up).count();
    let downs = steps.iter().filter(|&&s| s == Step::Down).count();
    let first = series[0];
    let last = *series.last().unwrap();
    match (ups, downs) {
        (0, 0) => {
            // A slow creep: every step up by less than noise, the whole series by more.
            let creeping = steps.len() >= 3
                && series.windows(2).all(|w| w[1] > w[0])
                && step(first, last, abs_noise) == Step::Up;
            if creeping {
                Verdict::Growing
            } else {
                Verdict::Stable
            }
        }
        (_, 0) => {
            if *steps.last().unwrap() == Step::Up {
                Verdict::Growing
            } else {
                Verdict::Warming
            }
        }
        (0, _) => Verdict::Shrinking,
        _ => {
            let max = *series.iter().max().unwrap();
            if last == max && last >= 4 * first.max(1) {
                Verdict::Growing
            } else {
                Verdict::Fluctuating
            }
        }
    }
}

/// A holder's verdict from its entries and retained bytes: `growing` if either grows;
/// otherwise the entries' verdict, or the bytes' when the entries are `stable`.
pub fn holder_verdict(entries: &[u64], retained_bytes: &[u64]) -> Verdict {
    let e = classify(entries, NOISE_ENTRIES);
    let b = classify(retained_bytes, NOISE_BYTES);
    if e == Verdict::Growing || b == Verdict::Growing {
        Verdict::Growing
    } else if e == Verdict::Stable {
        b
    } else {
        e
    }
}

// ---------------------------------------------------------------------------------------------
// The report.

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
    for s in &summaries {
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
    let n = summaries.len();
    let elapsed_ms = match (summaries.first(), summaries.last()) {
        (Some(f), Some(l)) => l.meta.timestamp_ms.saturating_sub(f.meta.timestamp_ms),
        _ => 0,
    };

    // Holders, matched by (class, field, static).
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
    for h in &mut holders {
        h.verdict = h.judge();
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

    // Classes: those whose shallow bytes grew most.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_relative_or_a_few() {
        assert!(step(10_000, 10_150, NOISE_ENTRIES) == Step::Flat); // 1.5%
        assert!(step(10_000, 10_300, NOISE_ENTRIES) == Step::Up); // 3%
        assert!(step(100, 110, NOISE_ENTRIES) == Step::Flat); // 10 entries
        assert!(step(100, 111, NOISE_ENTRIES) == Step::Up);
        assert!(step(0, 0, NOISE_ENTRIES) == Step::Flat);
        assert!(step(5, 0, 0) == Step::Down);
    }
}
