//! Reading a sample of a map's entries where they are stored: the buckets of a hash table and
//! the entries chained after them, the nodes of a tree or linked map, and an identity map's
//! table of keys and values side by side. Each sampled entry's value goes into the sample, its
//! key and (key, value) pair into the [`Contents`].

use crate::dom::analysis::Analysis;
use crate::query::chains;
use crate::query::objects::{locate, read_object};

use super::collections::{array_len, node, spread, Contents, SAMPLE};

/// The values of the sampled entry nodes of a tree or linked map (`TreeMap$Entry`,
/// `ConcurrentSkipListMap$Node`), read from the dump; their keys and (key, value) pairs into
/// `out`.
pub(super) fn map_nodes(a: &Analysis, nodes: &[u32], out: &mut Contents) -> Vec<u32> {
    let offs = locate(a, nodes);
    let mut values = Vec::new();
    for n in nodes {
        let Some(view) = offs.get(n).and_then(|&o| read_object(a, o, false)) else {
            continue;
        };
        let field = if view.field("val").is_some() {
            "val"
        } else {
            "value"
        };
        take_entry(chains::entry(a, &view, field).0, out, &mut values);
    }
    values
}

/// The JDK's map that keeps keys and values side by side in one array.
pub(super) const IDENTITY_MAP: &str = "java.util.IdentityHashMap";

/// An `IdentityHashMap`'s table `t`: each key in an even slot, its value in the slot after it.
/// A sample of the pairs, spread over the table, gives the values into `sample`, the keys and
/// (key, value) pairs into `out`. The table is hashed: its slots keep no order of addition.
pub(super) fn identity_table(a: &Analysis, t: u32, out: &mut Contents, sample: &mut Vec<u32>) {
    out.capacity = array_len(a, t).map(|n| n / 2);
    let offs = locate(a, &[t]);
    let Some(view) = offs.get(&t).and_then(|&o| read_object(a, o, false)) else {
        return;
    };
    let used: Vec<&[u64]> = view
        .elements
        .chunks_exact(2)
        .filter(|p| p[0] != 0)
        .collect();
    let n = used.len().min(SAMPLE);
    for p in (0..n).map(|i| used[i * used.len() / n]) {
        let e = chains::Entry {
            key: a.graph.ids.get(p[0]),
            value: a.graph.ids.get(p[1]),
        };
        take_entry(e, out, sample);
    }
}

/// The buckets of a hash table `t` (a sample, spread over the table): values into `sample`,
/// keys and (key, value) pairs into `out`.
pub(super) fn hash_table(
    a: &Analysis,
    t: u32,
    value: &str,
    out: &mut Contents,
    sample: &mut Vec<u32>,
) {
    let buckets = spread(a.graph.refs(t));
    out.capacity = array_len(a, t);
    let offs = locate(a, &buckets);
    let (mut heads, mut bins) = (Vec::new(), Vec::new());
    for b in buckets {
        let Some(v) = offs.get(&b).and_then(|&o| read_object(a, o, false)) else {
            continue;
        };
        let (e, next) = chains::entry(a, &v, value);
        if e.value.is_none() && e.key.is_none() {
            // A ConcurrentHashMap tree bin: its chain starts at `first`.
            bins.extend(v.reference("first").and_then(|id| node(a, id)));
            continue;
        }
        take_entry(e, out, sample);
        heads.extend(next.map(|n| (e, n)));
    }
    let (pairs, bin_firsts) = chains::chained(a, heads, &bins, value);
    for e in bin_firsts {
        take_entry(e, out, sample);
    }
    for (x, y) in pairs {
        if let (Some(v), Some(w)) = (x.value, y.value) {
            out.chained.push((v, w));
        }
        if let (Some(k), Some(l)) = (x.key, y.key) {
            out.chained_keys.push((k, l));
        }
    }
}

/// A sampled entry's value into `sample`, its key and (key, value) into `out`.
fn take_entry(e: chains::Entry, out: &mut Contents, sample: &mut Vec<u32>) {
    sample.extend(e.value);
    out.keys.extend(e.key);
    if let (Some(k), Some(x)) = (e.key, e.value) {
        out.pairs.push((k, x));
    }
}
