//! One leak, one suspect: a single object whose graph holds another suspect (a connection pool
//! whose connections each keep a list of unclosed statements) is the same memory reported
//! twice. The suspect inside names the field that accumulates, and so the code to change; the
//! object only says where it lives, and its GC-root path passes through it anyway.

use crate::dom::analysis::Analysis;

use super::candidate::Candidate;
use super::detect::dominated_by;
use super::model::{Confidence, LeakKind, Verdict};

/// Share of the containing object's bytes the suspect inside must retain to be its memory.
const INSIDE_SHARE: f64 = 0.9;
/// Dominator levels searched from the suspect inside up to the containing object.
const LEVELS: usize = 10_000;

/// A judged candidate.
type Judged = (Candidate, Verdict, Confidence);

/// One suspect per leak: drops the containers ([`drop_containers`]) and the payloads
/// ([`drop_payloads`]) of other suspects.
pub(crate) fn one_per_leak(a: &Analysis, judged: Vec<Judged>) -> Vec<Judged> {
    drop_thread_parts(a, drop_payloads(a, drop_containers(a, judged)))
}

/// Drops every collection suspect held by an instance field of a ThreadLocal suspect's
/// per-thread values (a request context's audit list and its reads map, in the contexts a
/// ThreadLocal keeps on each pool thread): parts of the same leak, whose fix is the
/// ThreadLocal's `remove()`. Told by the ThreadLocal suspect's sampled entries: nine in ten lie
/// inside an object of the holder's class.
fn drop_thread_parts(a: &Analysis, judged: Vec<Judged>) -> Vec<Judged> {
    drop_where(judged, |part, others| {
        let kinds = [
            LeakKind::Threadlocal,
            LeakKind::ClassGroup,
            LeakKind::SingleObject,
        ];
        let Some(h) = part.0.holding.as_ref().filter(|h| !h.holder.is_static) else {
            return false;
        };
        let Some(k) = a.heap.classes.by_name(&h.holder.class) else {
            return false;
        };
        let classes: rustc_hash::FxHashSet<u32> = [k].into_iter().collect();
        !kinds.contains(&part.0.kind)
            && others(&|tl: &Candidate| {
                let inside = tl
                    .values
                    .iter()
                    .filter(|&&v| within(a, v, &classes))
                    .count();
                tl.kind == LeakKind::Threadlocal
                    && !tl.values.is_empty()
                    && inside as f64 >= INSIDE_SHARE * tl.values.len() as f64
            })
    })
}

/// Drops every single-object suspect that contains another suspect of the same verdict or a
/// stronger one (see the module documentation).
fn drop_containers(a: &Analysis, judged: Vec<Judged>) -> Vec<Judged> {
    drop_where(judged, |outer, others| {
        outer.0.kind == LeakKind::SingleObject
            && others(&|inner: &Candidate| contains(a, &outer.0, inner))
    })
}

/// Keeps the suspects and retainers of `judged` but those `dropped` says go. `dropped` is given
/// a suspect and a test of whether any other suspect of the same verdict or a stronger one
/// passes a condition.
fn drop_where(
    judged: Vec<Judged>,
    dropped: impl Fn(&Judged, &dyn Fn(&dyn Fn(&Candidate) -> bool) -> bool) -> bool,
) -> Vec<Judged> {
    let drop: Vec<bool> = judged
        .iter()
        .enumerate()
        .map(|(k, this)| {
            let v = this.1;
            let others = |test: &dyn Fn(&Candidate) -> bool| {
                judged
                    .iter()
                    .enumerate()
                    .any(|(j, (other, w, _))| j != k && w.is_suspect() && *w <= v && test(other))
            };
            v.is_suspect() && dropped(this, &others)
        })
        .collect();
    let mut keep = drop.into_iter().map(|d| !d);
    judged
        .into_iter()
        .filter(|_| keep.next().unwrap_or(true))
        .collect()
}

/// Whether `inner`'s objects all lie inside `outer`'s node and keep most of its bytes, or
/// hold the very entries `outer` was judged on (its class and nine in ten of its count: a
/// service whose sampled entries are the events of its boards' score lists; or nine in ten of
/// `outer`'s sampled entries inside `inner`'s node: a map of per-learner lists holding the
/// activity items of a service that also keeps big directories).
fn contains(a: &Analysis, outer: &Candidate, inner: &Candidate) -> bool {
    let Some(o) = outer.node else { return false };
    let nodes: Vec<u32> = if inner.members.is_empty() {
        inner.node.into_iter().collect()
    } else {
        inner.members.clone()
    };
    let same_entries = !outer.element_class.is_empty()
        && inner.element_class == outer.element_class
        && inner.entries as f64 >= INSIDE_SHARE * outer.entries as f64;
    // The climbs from every sampled entry come last, only for a suspect inside.
    !nodes.is_empty()
        && nodes
            .iter()
            .all(|&n| n != o && dominated_by(a, n, o, LEVELS))
        && (same_entries
            || inner.retained as f64 >= INSIDE_SHARE * outer.retained as f64
            || holds_sampled(a, outer, inner))
}

/// Whether nine in ten of `outer`'s sampled entries lie inside `inner`'s node.
fn holds_sampled(a: &Analysis, outer: &Candidate, inner: &Candidate) -> bool {
    let Some(i) = inner.node else { return false };
    let inside = outer
        .values
        .iter()
        .filter(|&&v| v != i && dominated_by(a, v, i, LEVELS))
        .count();
    !outer.values.is_empty() && inside as f64 >= INSIDE_SHARE * outer.values.len() as f64
}

/// Dominator steps climbed from a class group's instance to an entry of another suspect.
const PAYLOAD_STEPS: usize = 64;

/// Drops every class-group suspect whose instances are the entries of another suspect (not a
/// group or a single object) of the same verdict or a stronger one, or lie, nine in ten of
/// those sampled, inside its entries: the records each leaked context keeps in its lists are
/// that leak's payload, the same memory under a second name. The entries are told by their
/// application classes.
fn drop_payloads(a: &Analysis, judged: Vec<Judged>) -> Vec<Judged> {
    drop_where(judged, |group, others| {
        group.0.kind == LeakKind::ClassGroup
            && others(&|other: &Candidate| {
                !matches!(other.kind, LeakKind::ClassGroup | LeakKind::SingleObject)
                    && carried_by(a, &group.0, other)
            })
    })
}

/// Whether `other` was judged on `group`'s very instances (its entries of their class, nine in
/// ten of their count: a ThreadLocal's per-thread lists of them), or nine in ten of `group`'s
/// sampled instances have, within [`PAYLOAD_STEPS`] dominators, an object of an application
/// class of `other`'s sampled entries.
fn carried_by(a: &Analysis, group: &Candidate, other: &Candidate) -> bool {
    if !group.element_class.is_empty()
        && other.element_class == group.element_class
        && other.entries as f64 >= INSIDE_SHARE * group.entries as f64
    {
        return true;
    }
    let classes: rustc_hash::FxHashSet<u32> = other
        .values
        .iter()
        .map(|&v| a.graph.class_of(v))
        .filter(|&k| {
            k != crate::graph::ids::NONE
                && !crate::query::collections::is_jdk_class(&a.heap.classes.get(k).name)
        })
        .collect();
    if classes.is_empty() || group.values.is_empty() {
        return false;
    }
    let inside = group
        .values
        .iter()
        .filter(|&&v| within(a, v, &classes))
        .count();
    inside as f64 >= INSIDE_SHARE * group.values.len() as f64
}

/// Whether a dominator of `v`, within [`PAYLOAD_STEPS`], is of one of `classes`.
fn within(a: &Analysis, v: u32, classes: &rustc_hash::FxHashSet<u32>) -> bool {
    let mut u = v;
    for _ in 0..PAYLOAD_STEPS {
        u = a.dom.idom[u as usize];
        if u == crate::graph::ids::NONE || u == crate::dom::dominators::SUPER_ROOT {
            return false;
        }
        if classes.contains(&a.graph.class_of(u)) {
            return true;
        }
    }
    false
}
