//! GC-root paths of the suspects, typed: one breadth-first search for all of them, long runs of
//! one class cut to their first two and last steps.

use crate::dom::analysis::Analysis;
use crate::report::path::{path_steps_at, root_info, shortest_paths, shown_steps, Shown};

use super::model::RootPathStep;

/// The typed path of each target (empty when unreachable or `None`).
pub(crate) fn root_paths(a: &Analysis, targets: &[Option<u32>]) -> Vec<Vec<RootPathStep>> {
    let nodes: Vec<u32> = targets.iter().flatten().copied().collect();
    let mut paths = shortest_paths(a, &nodes).into_iter();
    targets
        .iter()
        .map(|t| match t {
            Some(_) => typed(a, &paths.next().flatten().unwrap_or_default()),
            None => Vec::new(),
        })
        .collect()
}

fn typed(a: &Analysis, nodes: &[u32]) -> Vec<RootPathStep> {
    if nodes.is_empty() {
        return Vec::new();
    }
    let shown = shown_steps(nodes.len(), |i, j| {
        a.graph.class_of(nodes[i]) == a.graph.class_of(nodes[j])
    });
    let which: Vec<usize> = shown
        .iter()
        .filter_map(|s| match s {
            Shown::Step(i) => Some(*i),
            Shown::Cut(_) => None,
        })
        .collect();
    let mut steps = path_steps_at(a, nodes, &which).into_iter();
    let mut out = vec![RootPathStep::Root(root_info(a, nodes[0]))];
    let mut class = String::new();
    for s in shown {
        match s {
            Shown::Step(_) => {
                let Some(step) = steps.next() else { break };
                class = step.class.clone();
                out.push(RootPathStep::Step(step));
            }
            Shown::Cut(n) => out.push(RootPathStep::Cut {
                left_out: n,
                class: class.clone(),
            }),
        }
    }
    out
}
