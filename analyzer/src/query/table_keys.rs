//! Every key (or value) of one class in a hash table, not a sample: what an exact count over a
//! map's keys walks (how many distinct keys a map of twin keys holds), or over its values (how
//! many elements the lists of a map of lists hold in all).

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::classes::ClassIdx;

/// Nodes of a hash table's chains and trees (`HashMap$Node`, `HashMap$TreeNode`,
/// `LinkedHashMap$Entry`, `ConcurrentHashMap$Node` and `$TreeBin`, `Hashtable$Entry`).
fn is_chain_class(name: &str) -> bool {
    name.starts_with("java.util.")
        && ["$Node", "$TreeNode", "$TreeBin", "$Entry"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Whether node `v` is a chain node of a hash table.
pub(crate) fn is_chain_node(a: &Analysis, v: u32) -> bool {
    let k = a.graph.class_of(v);
    k != NONE && is_chain_class(&a.heap.classes.get(k).name)
}

/// Whether node `v` is an array of chain nodes (a hash table's `table`).
fn is_table(a: &Analysis, v: u32) -> bool {
    let k = a.graph.class_of(v);
    k != NONE
        && a.heap
            .classes
            .get(k)
            .name
            .strip_suffix("[]")
            .is_some_and(is_chain_class)
}

/// The table of map `c`, or of the map a set `c` is backed by (one field away).
fn table_of(a: &Analysis, c: u32) -> Option<u32> {
    let direct = |m: u32| a.graph.refs(m).iter().copied().find(|&w| is_table(a, w));
    direct(c).or_else(|| a.graph.refs(c).iter().find_map(|&m| direct(m)))
}

/// Every object of class `key_class` that a chain node of the hash table of `c` references
/// (its keys; a value of the key class would count too, so a map's values of one class are
/// walked the same way), walking the chains and trees without
/// recursion, each node once. None when `c` has no table or holds more than `limit` such
/// objects (the caller's memory bound).
pub(crate) fn table_keys(
    a: &Analysis,
    c: u32,
    key_class: ClassIdx,
    limit: usize,
) -> Option<Vec<u32>> {
    let table = table_of(a, c)?;
    let mut seen = Visited::new(a.graph.len());
    let mut keys = Vec::new();
    let mut frontier: Vec<u32> = a.graph.refs(table).to_vec();
    while let Some(v) = frontier.pop() {
        if !seen.first_visit(v) {
            continue;
        }
        for &w in a.graph.refs(v) {
            let k = a.graph.class_of(w);
            if k == key_class {
                keys.push(w);
                if keys.len() > limit {
                    return None;
                }
            } else if k != NONE && is_chain_class(&a.heap.classes.get(k).name) {
                frontier.push(w);
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    Some(keys)
}
