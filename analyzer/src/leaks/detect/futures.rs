//! Dependents stacked on a future that never completes: `future.thenRun(...)`,
//! `thenAccept`, `whenComplete` on a `CompletableFuture` that has not completed push a
//! completion on its `stack`, released only when it completes. A long-lived future (a
//! readiness, leader-election or shutdown signal) that never completes, with a dependent
//! attached per request, keeps every request's action and what it captures.
//!
//! The stack is a chain of `CompletableFuture$Completion`s linked by `next`; it is walked in
//! the graph (no field reads but the future's own `result`), at most once per node.

use crate::base::shared::Visited;
use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::find::{instances_of, subclass_table, views};
use crate::query::holders::find_holders;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{Evidence, EvidenceName, LeakKind, Strength, Supports};

/// The JDK future class.
const FUTURE: &str = "java.util.concurrent.CompletableFuture";
/// Prefix of its nested classes (the completions, the alternative result).
const NESTED: &str = "java.util.concurrent.CompletableFuture$";
/// Dependents on one future that make a candidate.
const MIN_DEPENDENTS: u64 = 100;
/// Dependents from which their number alone is strong evidence.
const MANY_DEPENDENTS: u64 = 1000;
/// Dependents' actions kept as the sample for the evidence modules.
const SAMPLE: usize = 256;

/// One candidate per pending future with at least [`MIN_DEPENDENTS`] dependents retaining
/// at least `floor`.
pub(crate) fn detect(a: &Analysis, floor: u64) -> Vec<Candidate> {
    let table = subclass_table(a, &[FUTURE]);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    if !wanted.iter().any(|&w| w) {
        return Vec::new();
    }
    let completion: Vec<bool> = a
        .heap
        .classes
        .iter()
        .enumerate()
        .map(|(k, c)| c.name.starts_with(NESTED) && !wanted[k] && !c.name.ends_with("$AltResult"))
        .collect();
    let is_completion = |w: u32| {
        let k = a.graph.class_of(w);
        k != NONE && a.graph.class_object(w).is_none() && completion[k as usize]
    };
    let mut seen = Visited::new(a.graph.len());
    let stacked: Vec<(u32, Vec<u32>)> = instances_of(a, &wanted)
        .into_iter()
        .filter(|&f| a.dom.is_reachable(f) && a.dom.retained.get(f) >= floor.max(1))
        .filter_map(|f| {
            let chain = stack_of(a, f, &is_completion, &mut seen);
            (chain.len() as u64 >= MIN_DEPENDENTS).then_some((f, chain))
        })
        .collect();
    let pending = pending_futures(a, &stacked);
    stacked
        .into_iter()
        .filter(|(f, _)| pending.contains(f))
        .map(|(f, chain)| candidate(a, f, &chain))
        .collect()
}

/// The completions stacked on future `f`, from its `stack` down the `next` links (each node
/// once over all futures: a shared tail is counted for the first).
fn stack_of(
    a: &Analysis,
    f: u32,
    is_completion: &dyn Fn(u32) -> bool,
    seen: &mut Visited,
) -> Vec<u32> {
    let mut chain = Vec::new();
    let mut next = a.graph.refs(f).iter().copied().find(|&w| is_completion(w));
    while let Some(v) = next {
        if !seen.first_visit(v) {
            break;
        }
        chain.push(v);
        next = a.graph.refs(v).iter().copied().find(|&w| is_completion(w));
    }
    chain
}

/// Of the futures with stacks, those whose `result` is null: not completed.
fn pending_futures(a: &Analysis, stacked: &[(u32, Vec<u32>)]) -> Vec<u32> {
    let nodes: Vec<u32> = stacked.iter().map(|s| s.0).collect();
    views(a, &nodes)
        .into_iter()
        .filter(|(_, view)| view.field("result").is_some_and(|r| r.raw == 0))
        .map(|(f, _)| f)
        .collect()
}

/// The candidate of future `f` with its stacked `chain`: the dependents' actions sampled as
/// its entries.
fn candidate(a: &Analysis, f: u32, chain: &[u32]) -> Candidate {
    let class = crate::query::objects::node_class(a, f);
    let mut c = Candidate::new(LeakKind::Listeners, Some(f), class, a.dom.retained.get(f));
    c.holding = find_holders(a, &[f], 8).pop().flatten();
    c.entries = chain.len() as u64;
    let step = (chain.len() / SAMPLE).max(1);
    c.values = chain
        .iter()
        .step_by(step)
        .take(SAMPLE)
        .map(|&v| action_of(a, v))
        .collect();
    c.element_classes = super::finalizers::class_counts(a, &c.values);
    c.element_class = c.element_classes[0].0.clone();
    c.ordered_runs = vec![c.values.len() as u32];
    c.add(pending_evidence(c.entries));
    c
}

/// A completion's action (`fn`: the first application object it references), else itself.
fn action_of(a: &Analysis, v: u32) -> u32 {
    a.graph
        .refs(v)
        .iter()
        .copied()
        .find(|&w| crate::query::holders::is_application(a, w))
        .unwrap_or(v)
}

/// The evidence of `n` dependents waiting on a future that has not completed.
fn pending_evidence(n: u64) -> Evidence {
    evidence(
        EvidenceName::PendingDependents,
        Supports::Leak,
        if n >= MANY_DEPENDENTS {
            Strength::Strong
        } else {
            Strength::Moderate
        },
        format!(
            "{} dependent actions (thenRun, thenAccept, whenComplete...) wait on a CompletableFuture that has not completed: each call attached one, and all stay until it completes (a future that never completes keeps every one)",
            thousands(n)
        ),
    )
}
