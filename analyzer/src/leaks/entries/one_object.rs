//! One object that makes most of what a candidate retains (a `byte[1000000]` beside a chain of
//! small nodes): the size is that object, not an accumulation.

use crate::base::id::ObjectId;
use crate::dom::analysis::Analysis;
use crate::leaks::model::OneObject;

/// Steps down the dominator tree at most (a linked chain is one step per node).
const MAX_STEPS: usize = 10_000_000;

/// The object under `c` (not `c` itself) whose own size is at least half of `retained`, if
/// there is one. Every dominator of such an object under `c` retains at least half as well and
/// at most one child of a node can, so it lies on the path that follows, from `c`, the child
/// retaining at least half; children are looked for among the node's own references (the
/// objects it dominates directly and refers to).
pub(crate) fn one_object(a: &Analysis, c: u32, retained: u64) -> Option<OneObject> {
    if retained == 0 || !a.dom.is_reachable(c) {
        return None;
    }
    let half = retained.div_ceil(2);
    let mut v = c;
    for _ in 0..MAX_STEPS {
        if v != c && a.graph.shallow(v) >= half {
            let bytes = a.graph.shallow(v);
            let mut class = crate::query::objects::node_class(a, v);
            if class.ends_with("[]") {
                if let Some(&n) = super::arrays::lengths(a, &[v]).get(&v) {
                    class = super::arrays::with_length(&class, n);
                }
            }
            return Some(OneObject {
                id: ObjectId(a.graph.ids.id(v)),
                class,
                bytes,
                share: bytes as f64 / retained as f64,
            });
        }
        let next = a
            .graph
            .refs(v)
            .iter()
            .copied()
            .filter(|&w| a.dom.idom[w as usize] == v)
            .max_by_key(|&w| a.dom.retained.get(w))?;
        if a.dom.retained.get(next) < half {
            return None;
        }
        v = next;
    }
    None
}
