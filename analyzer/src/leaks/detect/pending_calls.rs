//! Pending calls: a map of `CompletableFuture`s that have not completed (a client's in-flight
//! calls keyed by correlation id). The futures carry no time of their own; the call each one
//! stands for does, captured by the dependent stages chained on it (`thenApply`,
//! `whenComplete` lambdas holding the request). When most sampled entries are pending futures
//! whose stages each capture their own application object of one class, those objects become
//! the entries judged: a call issued hours ago whose future never completed will never get its
//! reply, calls issued moments ago are in flight.
//!
//! The futures' stages are walked in the graph (JDK future classes and lambdas only, never an
//! application object's fields); only the futures' `result` is read.

use rustc_hash::FxHashSet;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::find::views;
use crate::query::objects::node_class;

use super::super::candidate::Candidate;

/// The JDK future class.
const FUTURE: &str = "java.util.concurrent.CompletableFuture";
/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of sampled entries that must be pending futures whose stages capture a call.
const MOST: f64 = 0.8;
/// Nodes walked from one future through its stages.
const MAX_WALK: usize = 64;

/// Makes the calls captured by the stages of `c`'s pending futures its entries, when most of
/// its sampled entries are such futures.
pub(crate) fn judge_by_calls(a: &Analysis, c: &mut Candidate) {
    if c.collection.is_none() || c.values.len() < MIN_ENTRIES {
        return;
    }
    let pending = pending_futures(a, &c.values);
    if (pending.len() as f64) < MOST * c.values.len() as f64 {
        return;
    }
    let captured: Vec<Vec<u32>> = pending.iter().map(|&f| captured_by_stages(a, f)).collect();
    let Some(class) = call_class(a, &captured, c.values.len()) else {
        return;
    };
    let calls: Vec<u32> = captured
        .iter()
        .filter_map(|objs| objs.iter().copied().find(|&w| a.graph.class_of(w) == class))
        .collect();
    let name = a.heap.classes.get(class).name.clone();
    c.values = calls;
    c.ordered_runs.clear();
    c.pending_calls = true;
    if c.finding.explanation.is_empty() {
        c.finding.explanation = format!(
            "Each entry is a future that has not completed; the stages chained on it capture the call ({name}) whose times are judged. Complete every future, exceptionally when the reply fails or cannot be decoded, and bound the wait (orTimeout) so that a call without a reply is removed."
        );
    }
}

/// The sampled entries that are futures without a result.
fn pending_futures(a: &Analysis, values: &[u32]) -> Vec<u32> {
    let futures: Vec<u32> = values
        .iter()
        .copied()
        .filter(|&v| node_class(a, v) == FUTURE)
        .collect();
    let read = views(a, &futures);
    futures
        .into_iter()
        .filter(|v| {
            read.get(v)
                .and_then(|view| view.field("result"))
                .is_some_and(|f| f.raw == 0)
        })
        .collect()
}

/// The application objects (not lambdas) that future `f`'s stages reference: the walk goes
/// through the JDK future classes and lambdas only.
fn captured_by_stages(a: &Analysis, f: u32) -> Vec<u32> {
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut stack = vec![f];
    let mut found = Vec::new();
    seen.insert(f);
    while let Some(v) = stack.pop() {
        for &w in a.graph.refs(v) {
            if seen.len() >= MAX_WALK || !seen.insert(w) {
                continue;
            }
            let k = a.graph.class_of(w);
            if k == NONE || a.graph.class_object(w).is_some() {
                continue;
            }
            let name = &a.heap.classes.get(k).name;
            if name.starts_with(FUTURE) || name.contains("$$Lambda") {
                stack.push(w);
            } else if crate::query::holders::is_application(a, w) {
                found.push(w);
            }
        }
    }
    found
}

/// The class whose objects most pending futures' stages capture, each its own: present for
/// at least [`MOST`] of the `n` sampled entries, and distinct objects for most of them (a
/// service every stage captures is not the call).
fn call_class(a: &Analysis, captured: &[Vec<u32>], n: usize) -> Option<u32> {
    let mut classes: Vec<u32> = captured
        .iter()
        .flat_map(|objs| objs.iter().map(|&w| a.graph.class_of(w)))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    classes.into_iter().find(|&k| {
        let objs: Vec<u32> = captured
            .iter()
            .filter_map(|o| o.iter().copied().find(|&w| a.graph.class_of(w) == k))
            .collect();
        let distinct: FxHashSet<u32> = objs.iter().copied().collect();
        objs.len() as f64 >= MOST * n as f64 && distinct.len() as f64 >= MOST * objs.len() as f64
    })
}
