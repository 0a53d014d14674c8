//! The retained size of a set of objects: what would be freed if all of them were gone. The
//! dominator tree gives each object's own; what several members share (a batch that two
//! threads' ThreadLocals and a thread factory all reference) is under none of them, yet goes
//! with the set, as Eclipse MAT's retained set of several objects counts it.
//!
//! The region that can go with the set is walked forward from the members, entering only
//! objects whose immediate dominator is a member, an object of the region, or the super root
//! (an object owned elsewhere — a service the factory refers to — stays with its owner). An
//! object of the region stays alive when a path from a GC root reaches it without passing a
//! member: from a referrer outside the region, or a root other than the member threads' own
//! stacks. What is left goes with the set. A Cleaner registration passes life on to its action
//! only when its referent stays alive (`cleanables.rs`): a timer's thread reaper does not keep
//! the queue of a timer that goes with the set.

use hprof_parser::RootKind;
use rustc_hash::FxHashSet;

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::query::cleanables::{cleanable_classes, is_cleanable_node, referents};
use crate::query::find::referrers;

/// Objects in the region at most; beyond it the caller's own estimate stands.
const MAX_REGION: usize = 1 << 20;

/// The bytes that would be freed if every node of `members` were gone (threads among them
/// with their stacks); None when the region is over [`MAX_REGION`] objects.
pub(crate) fn set_retained(a: &Analysis, members: &[u32]) -> Option<u64> {
    let set: FxHashSet<u32> = members.iter().copied().collect();
    let (region, in_region) = region(a, &set)?;
    let alive = alive(a, &set, &region, &in_region);
    let own: u64 = set.iter().map(|&m| a.graph.shallow(m)).sum();
    let freed: u64 = region
        .iter()
        .filter(|&&v| !alive.contains(v))
        .map(|&v| a.graph.shallow(v))
        .sum();
    Some(own + freed)
}

/// The objects of the region that stay alive without the members: reached from the entries,
/// through a Cleaner registration only when its referent stays (alive, or outside the region
/// and the set), repeated until no registration wakes.
fn alive(a: &Analysis, set: &FxHashSet<u32>, region: &[u32], in_region: &Visited) -> Visited {
    let classes = cleanable_classes(a);
    let is_reg = |v: u32| is_cleanable_node(a, &classes, v);
    let mut alive = Visited::new(a.graph.len());
    let (mut stack, mut parked) = entries(a, set, region, in_region, &is_reg);
    stack.retain(|&v| alive.first_visit(v));
    loop {
        while let Some(v) = stack.pop() {
            if is_reg(v) {
                parked.push(v);
                continue;
            }
            stack.extend(
                a.graph
                    .refs(v)
                    .iter()
                    .filter(|&&w| in_region.contains(w) && alive.first_visit(w)),
            );
        }
        let of = referents(a, &parked);
        let stays = |r: &u32| !set.contains(r) && (!in_region.contains(*r) || alive.contains(*r));
        let (wake, keep): (Vec<u32>, Vec<u32>) =
            parked.iter().partition(|v| of.get(v).is_none_or(stays));
        if wake.is_empty() {
            return alive;
        }
        for v in wake {
            stack.extend(
                a.graph
                    .refs(v)
                    .iter()
                    .filter(|&&w| in_region.contains(w) && alive.first_visit(w)),
            );
        }
        parked = keep;
    }
}

/// The objects reachable from the members that may go with them, without the members: as a
/// list and as a bitset over the graph.
fn region(a: &Analysis, set: &FxHashSet<u32>) -> Option<(Vec<u32>, Visited)> {
    let mut seen = Visited::new(a.graph.len());
    let mut region: Vec<u32> = Vec::new();
    let mut stack: Vec<u32> = set.iter().copied().collect();
    while let Some(v) = stack.pop() {
        for &w in a.graph.refs(v) {
            if set.contains(&w) || seen.contains(w) {
                continue;
            }
            let d = a.dom.idom[w as usize];
            if d == SUPER_ROOT || set.contains(&d) || seen.contains(d) {
                seen.first_visit(w);
                region.push(w);
                if region.len() > MAX_REGION {
                    return None;
                }
                stack.push(w);
            }
        }
    }
    Some((region, seen))
}

/// The objects of the region a path from a GC root reaches without passing a member: those
/// with a referrer outside the region and the set, and those that are roots themselves other
/// than by the member threads' stacks and locals; and apart, the Cleaner registrations among
/// those outside referrers (whether they keep their targets depends on their referents).
fn entries(
    a: &Analysis,
    set: &FxHashSet<u32>,
    region: &[u32],
    in_region: &Visited,
    is_reg: &dyn Fn(u32) -> bool,
) -> (Vec<u32>, Vec<u32>) {
    type Edges = Vec<(u32, u32)>;
    let (regs, outside): (Edges, Edges) = referrers(a, region.iter().copied())
        .into_iter()
        .filter(|&(v, _)| !set.contains(&v) && !in_region.contains(v))
        .partition(|&(v, _)| is_reg(v));
    let mut parked: Vec<u32> = regs.into_iter().map(|(v, _)| v).collect();
    parked.sort_unstable();
    parked.dedup();
    let mut out: Vec<u32> = outside.into_iter().map(|(_, w)| w).collect();
    let serials: FxHashSet<u32> = a
        .graph
        .roots
        .iter()
        .filter(|(v, _)| set.contains(v))
        .filter_map(|&(_, ri)| a.heap.census.roots.get(ri as usize))
        .filter(|r| r.kind == RootKind::ThreadObject)
        .filter_map(|r| r.thread_serial)
        .collect();
    for &(v, ri) in &a.graph.roots {
        if !in_region.contains(v) {
            continue;
        }
        let own_stack = a.heap.census.roots.get(ri as usize).is_some_and(|r| {
            matches!(
                r.kind,
                RootKind::JavaFrame
                    | RootKind::JniLocal
                    | RootKind::NativeStack
                    | RootKind::ThreadBlock
            ) && r.thread_serial.is_some_and(|s| serials.contains(&s))
        });
        if !own_stack {
            out.push(v);
        }
    }
    (out, parked)
}
