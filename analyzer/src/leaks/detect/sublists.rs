//! Sub-list views kept in fields: `list = list.subList(n - 12, n)` "trims" a history to its
//! last twelve entries, but `List.subList` returns a view, and the view keeps its whole backing
//! list (`ArrayList$SubList.root`). Every entry ever added stays, hidden outside the view where
//! no code reaches it through the field; trimming a view again chains a new view on the old
//! one. A field's views in every object that holds one (a history per tank) add up: one
//! candidate per field, whose entries are the backing lists' and whose hidden entries are the
//! evidence. Sizes are read to count, never shown beyond counts.

use hprof_parser::BasicType;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::find::{instances_of, subclass_table, views};
use crate::query::holders::{Holder, Holding};
use crate::query::objects::{node_class, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::finalizers::class_counts;

/// The JDK's sub-list views that keep their backing list.
const VIEWS: [&str; 2] = [
    "java.util.ArrayList$SubList",
    "java.util.AbstractList$SubList",
];
/// Hidden entries of one field's views that make a candidate.
const MIN_HIDDEN: u64 = 1000;
/// Share of the backing lists' entries that must be hidden.
const MOST: f64 = 0.5;
/// Backing-list entries sampled for the evidence modules.
const SAMPLE: usize = 1024;
/// The words that tell this evidence from other stale slots (the fix differs).
pub(crate) const VIEW_WORDS: &str = "a subList view";

/// One view a field holds: the view, its backing list and the field.
struct Held {
    view: u32,
    root: u32,
    visible: u64,
    key: (u32, String, bool),
}

/// One candidate per field whose sub-list views hide at least [`MIN_HIDDEN`] entries of
/// their backing lists, most of them.
pub(crate) fn detect(a: &Analysis) -> Vec<Candidate> {
    let table = subclass_table(a, &VIEWS);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    let all: Vec<u32> = instances_of(a, &wanted)
        .into_iter()
        .filter(|&v| a.dom.is_reachable(v))
        .collect();
    if all.is_empty() {
        return Vec::new();
    }
    let owners: Vec<u32> = all.iter().map(|&v| a.dom.idom[v as usize]).collect();
    let mut wanted_views: Vec<u32> = all.clone();
    wanted_views.extend(
        owners
            .iter()
            .copied()
            .filter(|&o| o != NONE && o != SUPER_ROOT),
    );
    wanted_views.sort_unstable();
    wanted_views.dedup();
    let read = views(a, &wanted_views);
    let held: Vec<Held> = all
        .iter()
        .zip(&owners)
        .filter_map(|(&v, &o)| held_by(a, &read, v, o))
        .collect();
    let mut roots: Vec<u32> = held.iter().map(|h| h.root).collect();
    roots.sort_unstable();
    roots.dedup();
    let root_views = views(a, &roots);
    let mut by_field: FxHashMap<(u32, String, bool), Vec<&Held>> = FxHashMap::default();
    for h in &held {
        by_field.entry(h.key.clone()).or_default().push(h);
    }
    let mut out: Vec<Candidate> = by_field
        .into_values()
        .filter_map(|hs| candidate(a, &hs, &root_views))
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.retained));
    out
}

/// The view `v` when its immediate dominator `o` holds it in a field of its own (the newest
/// view of a chain; older ones are held by the newer's `parent`).
fn held_by(a: &Analysis, read: &FxHashMap<u32, ObjectView>, v: u32, o: u32) -> Option<Held> {
    if o == NONE || o == SUPER_ROOT || !crate::query::holders::is_application(a, o) {
        return None;
    }
    let id = a.graph.ids.id(v);
    let field = read
        .get(&o)?
        .fields
        .iter()
        .find(|f| f.ty == BasicType::Object && f.raw == id)?;
    let view = read.get(&v)?;
    // `root` since JDK 9; the enclosing `ArrayList` (`this$0`) before.
    let root = view
        .reference("root")
        .or_else(|| view.reference("this$0"))
        .and_then(|id| a.graph.ids.get(id))?;
    let visible = int(view, "size")?;
    let (class, is_static) = match a.graph.class_object(o) {
        Some(ci) => (ci, true),
        None => (a.graph.class_of(o), false),
    };
    Some(Held {
        view: v,
        root,
        visible,
        key: (class, field.name.clone(), is_static),
    })
}

fn int(view: &ObjectView, name: &str) -> Option<u64> {
    view.field(name)
        .map(|f| (f.raw as u32 as i32).max(0) as u64)
}

/// The candidate of one field's views `hs`, when they hide enough of their backing lists.
fn candidate(
    a: &Analysis,
    hs: &[&Held],
    root_views: &FxHashMap<u32, ObjectView>,
) -> Option<Candidate> {
    let mut seen = FxHashSet::default();
    let (mut visible, mut total) = (0u64, 0u64);
    for h in hs {
        visible += h.visible;
        // Two views over one list count its entries once.
        if seen.insert(h.root) {
            total += root_views.get(&h.root).and_then(|r| int(r, "size"))?;
        }
    }
    let hidden = total.saturating_sub(visible);
    if hidden < MIN_HIDDEN || (hidden as f64) < MOST * total as f64 {
        return None;
    }
    let biggest = hs.iter().max_by_key(|h| a.dom.retained.get(h.view))?;
    let retained = hs.iter().map(|h| a.dom.retained.get(h.view)).sum();
    let mut c = Candidate::new(
        LeakKind::Collection,
        Some(biggest.view),
        node_class(a, biggest.view),
        retained,
    );
    let (k, field, is_static) = biggest.key.clone();
    let owner = a.dom.idom[biggest.view as usize];
    c.holding = Some(Holding {
        holder: Holder {
            class: a.heap.classes.get(k).name.clone(),
            field,
            is_static,
        },
        owner,
        chain: vec![biggest.view],
        via: Vec::new(),
    });
    c.entries = total;
    c.instances = hs.len() as u64;
    c.members = hs.iter().map(|h| h.view).collect();
    c.values = sample(a, hs);
    c.element_classes = class_counts(a, &c.values);
    c.element_class = c.element_classes[0].0.clone();
    c.left_in_sample = Some((LeftBy::State, hidden, total));
    c.add(evidence(
        EvidenceName::StaleSlots,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} holds {VIEW_WORDS} in each of {} objects, {} entries in all, over backing lists of {}: the {} entries outside the views stay in the lists behind them, where no code reaches them through the field",
            c.holding.as_ref().map_or(String::new(), |h| h.holder.display()),
            thousands(hs.len() as u64),
            thousands(visible),
            thousands(total),
            thousands(hidden),
        ),
    ));
    Some(c)
}

/// Entries of the backing lists, spread over the views: each list's elements through its
/// array.
fn sample(a: &Analysis, hs: &[&Held]) -> Vec<u32> {
    let per = (SAMPLE / hs.len()).max(1);
    let mut out = Vec::new();
    for h in hs {
        let array = a
            .graph
            .refs(h.root)
            .iter()
            .copied()
            .find(|&w| a.graph.class_object(w).is_none() && node_class(a, w).ends_with("[]"));
        if let Some(arr) = array {
            let elements = a.graph.refs(arr).iter().copied();
            out.extend(
                elements
                    .filter(|&w| a.graph.class_object(w).is_none())
                    .take(per),
            );
        }
        if out.len() >= SAMPLE {
            break;
        }
    }
    out.truncate(SAMPLE);
    out
}

/// Whether `c` is a field's sub-list views.
fn is_views(c: &Candidate) -> bool {
    c.kind == LeakKind::Collection
        && c.evidence
            .iter()
            .any(|e| e.name == EvidenceName::StaleSlots && e.detail.contains(VIEW_WORDS))
}

/// Whether collection `o` has evidence of a leak of its own, moderate or stronger.
fn leaks_itself(o: &Candidate) -> bool {
    o.collection.is_some()
        && o.evidence.iter().any(|e| {
            e.supports == Supports::Leak
                && e.strength >= Strength::Moderate
                && e.name != EvidenceName::Size
        })
}

/// Dominator steps from a view up to the collection whose entries hold it.
const OUTER_DEPTH: usize = 64;

/// A field's views inside the entries of a collection that leaks by evidence of its own (a
/// log of records that each keep a `subList` of their run's samples): one suspect, the
/// collection's, which takes the views' evidence and with it the advice to keep a copy.
/// Views inside a collection judged on its own otherwise (a directory of tanks) stay their
/// field's candidate.
pub(crate) fn into_leaking_outer(a: &Analysis, cands: Vec<Candidate>) -> Vec<Candidate> {
    let (views, mut out): (Vec<Candidate>, Vec<Candidate>) = cands.into_iter().partition(is_views);
    for v in views {
        let outer = out.iter().position(|o| {
            leaks_itself(o)
                && o.node.is_some_and(|n| {
                    let inside = v
                        .members
                        .iter()
                        .filter(|&&m| super::dominated_by(a, m, n, OUTER_DEPTH))
                        .count();
                    2 * inside >= v.members.len()
                })
        });
        match outer {
            Some(i) => out[i].evidence.extend(
                v.evidence
                    .into_iter()
                    .filter(|e| e.name == EvidenceName::StaleSlots),
            ),
            None => out.push(v),
        }
    }
    out
}
