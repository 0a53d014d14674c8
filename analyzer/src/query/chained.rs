//! Chains of node objects of one class, each linked to the next by a field and holding one
//! element in another: `SubmissionPublisher` keeps its subscriptions so (`clients`, then each
//! `BufferedSubscription`'s `next`), each with its `subscriber`. The chain is followed in the
//! object graph (every node once, no recursion); the elements of a spread sample of nodes are
//! read from the dump in one batch.

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::objects::{locate, read_object};

use super::collections::SAMPLE;

/// How a chain is laid out.
#[derive(Debug, PartialEq, Eq)]
pub struct ChainSpec {
    /// The class of its nodes.
    pub node: &'static str,
    /// The node's field holding its element.
    pub element: &'static str,
}

/// `SubmissionPublisher`'s subscriptions.
pub static SUBSCRIPTIONS: ChainSpec = ChainSpec {
    node: "java.util.concurrent.SubmissionPublisher$BufferedSubscription",
    element: "subscriber",
};

/// Walks the chain of `chain`'s nodes that collection `c` references (every node it reaches
/// through nodes, each once) and returns their number; `sample` gets the elements of up to
/// [`SAMPLE`] nodes spread over the walk, in the chain's order.
pub(super) fn walk(a: &Analysis, c: u32, chain: &ChainSpec, sample: &mut Vec<u32>) -> u64 {
    let is_node = |v: u32| {
        let k = a.graph.class_of(v);
        k != NONE && a.heap.classes.get(k).name == chain.node
    };
    let mut seen = Visited::new(a.graph.len());
    let mut nodes: Vec<u32> = Vec::new();
    let mut stack: Vec<u32> = a
        .graph
        .refs(c)
        .iter()
        .copied()
        .filter(|&v| is_node(v))
        .collect();
    stack.reverse();
    while let Some(v) = stack.pop() {
        if !seen.first_visit(v) {
            continue;
        }
        nodes.push(v);
        let next = a
            .graph
            .refs(v)
            .iter()
            .rev()
            .copied()
            .filter(|&w| is_node(w));
        stack.extend(next);
    }
    let step = nodes.len().div_ceil(SAMPLE).max(1);
    let picked: Vec<u32> = nodes.iter().copied().step_by(step).collect();
    let offs = locate(a, &picked);
    sample.extend(picked.iter().filter_map(|v| {
        let view = read_object(a, *offs.get(v)?, false)?;
        a.graph.ids.get(view.reference(chain.element)?)
    }));
    nodes.len() as u64
}
