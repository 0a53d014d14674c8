//! Cleaning actions that capture the object they clean: `Cleaner.register(obj, action)` keeps
//! `action` in the Cleaner's list until `obj` becomes phantom reachable, and then runs it. When
//! the action (a lambda over `this`, an inner class of the object's class) references `obj`,
//! the Cleaner's own list keeps `obj` strongly reachable: it never becomes phantom reachable,
//! the action never runs, and every object ever registered stays, with the native memory or
//! handle it stands for. The JDK documents this trap on `java.lang.ref.Cleaner`.
//!
//! In the graph a cleanable (`jdk.internal.ref.PhantomCleanable`) reaches its object only
//! through `Reference.referent`, a weak edge; the object is held through the action. An object
//! the dominator tree places under its own cleanable is one nothing else holds: the
//! application dropped it and only its action keeps it. One candidate per Cleaner, held by the
//! application field that keeps the Cleaner.

use crate::graph::ids::NONE;
use rustc_hash::FxHashMap;

use crate::base::text::{bytes as fmt_bytes, thousands};
use crate::dom::analysis::Analysis;
use crate::query::collections::normalise_class;
use crate::query::find::{ref_node, subclass_table, views};
use crate::query::holders::{find_holders, Holder, Holding};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{Evidence, EvidenceName, LeakKind, Strength, Supports};
use super::dominated_by;
use super::finalizers::class_counts;

/// The JDK class of every registration of a `java.lang.ref.Cleaner`.
const CLEANABLE: &str = "jdk.internal.ref.PhantomCleanable";
/// The JDK class behind a `java.lang.ref.Cleaner`, which keeps the list of registrations.
const CLEANER_IMPL: &str = "jdk.internal.ref.CleanerImpl";
/// Dropped registrations of one Cleaner that make a candidate.
const MIN_DROPPED: usize = 100;
/// Dominator steps from an object up to its own cleanable (object, captured holder, action).
const MAX_DEPTH: usize = 8;
/// Referrer levels searched from a Cleaner's list up to the field that keeps the Cleaner.
const HOLDER_LEVELS: usize = 6;
/// Dropped objects kept as the sample for the evidence modules.
const SAMPLE: usize = 256;

/// One registration: its cleanable, the registered object, and the cleanable's child that
/// holds the object (the action).
#[derive(Clone, Copy)]
struct Registration {
    cleanable: u32,
    object: u32,
}

/// One candidate per Cleaner whose list keeps at least [`MIN_DROPPED`] objects that only their
/// own cleaning action holds, retaining at least `floor`.
pub(crate) fn detect(a: &Analysis, floor: u64) -> Vec<Candidate> {
    let table = subclass_table(a, &[CLEANABLE]);
    let is_cleanable = |v: u32| {
        a.graph.class_object(v).is_none()
            && table
                .get(a.graph.class_of(v) as usize)
                .is_some_and(Option::is_some)
    };
    let mut all: Vec<Registration> = Vec::new();
    let mut dropped: Vec<Registration> = Vec::new();
    for &(src, dst) in &a.graph.weak_edges {
        if !is_cleanable(src) {
            continue;
        }
        let r = Registration {
            cleanable: src,
            object: dst,
        };
        all.push(r);
        if a.dom.is_reachable(dst) && dominated_by(a, dst, src, MAX_DEPTH) {
            dropped.push(r);
        }
    }
    if dropped.len() < MIN_DROPPED {
        return Vec::new();
    }
    let lists = list_of(a, &all);
    let mut per_list: FxHashMap<u32, Vec<Registration>> = FxHashMap::default();
    for r in &dropped {
        if let Some(&l) = lists.get(&r.cleanable) {
            per_list.entry(l).or_default().push(*r);
        }
    }
    let mut out: Vec<Candidate> = per_list
        .into_iter()
        .filter(|(_, d)| d.len() >= MIN_DROPPED)
        .filter_map(|(list, d)| {
            let registered = all
                .iter()
                .filter(|r| lists.get(&r.cleanable) == Some(&list))
                .count();
            candidate(a, list, &d, registered, floor)
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.retained));
    out
}

/// Each cleanable's list (its `list` field: the list head, or the list object of newer JDKs),
/// which tells the Cleaners apart.
fn list_of(a: &Analysis, regs: &[Registration]) -> FxHashMap<u32, u32> {
    let nodes: Vec<u32> = regs.iter().map(|r| r.cleanable).collect();
    views(a, &nodes)
        .into_iter()
        .filter_map(|(v, view)| Some((v, ref_node(a, &view, "list")?)))
        .collect()
}

/// The node under `cleanable` in the dominator tree that holds `object` (its action).
fn action_of(a: &Analysis, r: Registration) -> u32 {
    let mut v = r.object;
    for _ in 0..MAX_DEPTH {
        let d = a.dom.idom[v as usize];
        // The root is no node: an object the cleanable does not dominate stops the climb.
        if d == r.cleanable || d == NONE || d == crate::dom::dominators::SUPER_ROOT {
            break;
        }
        v = d;
    }
    v
}

/// The candidate of the Cleaner whose list is `list`: `dropped` of its `registered`
/// registrations keep objects the application let go.
fn candidate(
    a: &Analysis,
    list: u32,
    dropped: &[Registration],
    registered: usize,
    floor: u64,
) -> Option<Candidate> {
    let bytes: u64 = dropped
        .iter()
        .map(|&r| a.dom.retained.get(action_of(a, r)) + a.graph.shallow(r.cleanable))
        .sum();
    if bytes < floor.max(1) {
        return None;
    }
    let objects: Vec<u32> = dropped.iter().map(|r| r.object).collect();
    let mut c = Candidate::new(
        LeakKind::CleanerCaptures,
        objects.first().copied(),
        "java.lang.ref.Cleaner".into(),
        bytes,
    );
    c.holding = Some(holding(a, list));
    c.entries = dropped.len() as u64;
    c.element_classes = class_counts(a, &objects);
    c.element_class = c.element_classes[0].0.clone();
    let step = (objects.len() / SAMPLE).max(1);
    c.values = objects.iter().copied().step_by(step).take(SAMPLE).collect();
    let action = crate::query::objects::node_class(a, action_of(a, dropped[0]));
    c.add(captured_evidence(&c, registered, &action));
    Some(c)
}

/// The application field that keeps the Cleaner whose list is `list`; the list itself when
/// none does (the JDK's common Cleaner). Searched from the `java.lang.ref.Cleaner` above the
/// list's `CleanerImpl`: from the list itself, the search would meet the registered objects
/// first (each references its own cleanable, which references the list).
fn holding(a: &Analysis, list: u32) -> Holding {
    let fallback = || Holding {
        holder: Holder {
            class: CLEANER_IMPL.into(),
            field: "phantomCleanableList".into(),
            is_static: false,
        },
        owner: list,
        chain: vec![list],
        via: Vec::new(),
    };
    let Some(cleaner) = referrer_of_class(a, list, CLEANER_IMPL)
        .and_then(|imp| referrer_of_class(a, imp, "java.lang.ref.Cleaner"))
    else {
        return fallback();
    };
    find_holders(a, &[cleaner], HOLDER_LEVELS)
        .pop()
        .flatten()
        .unwrap_or_else(fallback)
}

/// The first object of class `class` that references `v`.
fn referrer_of_class(a: &Analysis, v: u32, class: &str) -> Option<u32> {
    let k = a.heap.classes.by_name(class)?;
    crate::query::find::referrers(a, [v])
        .into_iter()
        .map(|(from, _)| from)
        .filter(|&from| a.graph.class_of(from) == k && a.graph.class_object(from).is_none())
        .min()
}

/// The evidence: `c.entries` of `registered` registrations hold objects only their own
/// action (of class `action`) keeps.
fn captured_evidence(c: &Candidate, registered: usize, action: &str) -> Evidence {
    evidence(
        EvidenceName::CleaningAction,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of the Cleaner's {} registrations hold an object ({}) that nothing but its own cleaning action ({}) keeps alive: an action that references its object keeps it from ever becoming phantom reachable, so the action never runs and every object registered stays ({} in all)",
            thousands(c.entries),
            thousands(registered as u64),
            c.element_class,
            normalise_class(action),
            fmt_bytes(c.retained)
        ),
    )
}

/// Drops the class groups of the classes whose objects `cleaners` found kept by their own
/// cleaning actions: those instances are the cleaners' entries, and a group would name a
/// field on the way to them (the object's own `cleanable`) as their holder.
pub(crate) fn drop_groups_of(cands: &mut Vec<Candidate>, cleaners: &[Candidate]) {
    cands.retain(|c| {
        c.kind != LeakKind::ClassGroup
            || !cleaners.iter().any(|k| {
                k.element_classes
                    .iter()
                    .any(|(e, _)| normalise_class(e) == c.element_class)
            })
    });
}
