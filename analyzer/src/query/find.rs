//! The small batched questions every analysis asks of the heap: the instances of a set of
//! classes, the referrers of a set of nodes, objects re-read from the dump in one pass, and
//! their fields.
//!
//! Every helper works on a few thousand candidate objects at most: one parallel scan of the
//! class array finds them, and each batch of re-reads is one [`crate::query::objects::locate`]
//! pass.

use hprof_parser::BasicType;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::base::shared::{par_scan_ranges, NodeFilter};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::graph::node_classes::NodeClasses;
use crate::query::objects::{locate, read_object, ObjectView};

/// For every class, the index in `names` of the first of them it is or extends (walking the
/// super chain), or `None`.
pub(crate) fn subclass_table(a: &Analysis, names: &[&str]) -> Vec<Option<usize>> {
    let classes = &a.heap.classes;
    let direct: Vec<Option<usize>> = classes
        .iter()
        .map(|c| names.iter().position(|n| *n == c.name))
        .collect();
    // Memoised over the hierarchy: linear in the number of classes, whatever its depth.
    classes.inherited(|ci| direct[ci as usize])
}

/// The static fields of the class named `class`, when its class object is in the dump.
pub(crate) fn class_statics(a: &Analysis, class: &str) -> Vec<crate::query::objects::FieldValue> {
    let Some(node) = a
        .heap
        .classes
        .by_name(class)
        .and_then(|k| a.graph.ids.get(a.heap.classes.get(k).id))
    else {
        return Vec::new();
    };
    views(a, &[node])
        .remove(&node)
        .map(|v| v.fields)
        .unwrap_or_default()
}

/// Whether class `k` is the class named `name` or one of its subclasses (at most 64 levels
/// up; a crafted cycle ends there).
pub(crate) fn extends(a: &Analysis, mut k: u32, name: &str) -> bool {
    for _ in 0..64 {
        if k == NONE || k as usize >= a.heap.classes.len() {
            return false;
        }
        let info = a.heap.classes.get(k);
        if info.name == name {
            return true;
        }
        match info.super_idx {
            Some(s) => k = s,
            None => return false,
        }
    }
    false
}

/// The instances (class objects excluded) of the classes marked in `wanted`, in node order:
/// one parallel scan of the class array.
pub(crate) fn instances_of(a: &Analysis, wanted: &[bool]) -> Vec<u32> {
    if !wanted.iter().any(|&w| w) {
        return Vec::new();
    }
    let class_class = a.heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
    // One entry per class (and NONE last): no bounds check and no branch in the loop.
    let mut table = vec![false; wanted.len() + 1];
    for (k, &w) in wanted.iter().enumerate() {
        table[k] = w && k as u32 != class_class;
    }
    let last = wanted.len() as u32;
    if let (NodeClasses::Narrow(c), Some(keys)) = (a.graph.classes(), few_keys(&table)) {
        // As few compares per node as the set needs.
        return match keys.len() {
            ..=4 => scan_for_keys(c, padded::<4>(&keys)),
            5..=8 => scan_for_keys(c, padded::<8>(&keys)),
            _ => scan_for_keys(c, padded::<FEW>(&keys)),
        };
    }
    par_scan_classes(a, |v, k, out| {
        if table[k.min(last) as usize] {
            out.push(v);
        }
    })
}

/// Most classes a set may have for [`scan_for_keys`].
const FEW: usize = 16;

/// The marked classes of `table` as narrow class indices, when there are at most `FEW` (and
/// at least one); `None` otherwise.
fn few_keys(table: &[bool]) -> Option<Vec<u16>> {
    let marked: Vec<u16> = (0..table.len())
        .filter(|&k| table[k])
        .map(|k| k as u16)
        .collect();
    if marked.is_empty() || marked.len() > FEW || table.len() > u16::MAX as usize {
        return None;
    }
    Some(marked)
}

/// `keys` (one to `N`) in an array of `N`, the first repeated to fill it.
fn padded<const N: usize>(keys: &[u16]) -> [u16; N] {
    let mut out = [keys[0]; N];
    out[..keys.len()].copy_from_slice(keys);
    out
}

/// The nodes whose narrow class is one of `keys`, in node order, on all threads: each run of
/// 64 classes is first compared with every key at once (the compiler makes it vector
/// compares), and only a run with a hit is looked at node by node. A fraction of the table
/// lookup per node of [`par_scan_classes`], for the usual few classes asked for.
fn scan_for_keys<const N: usize>(c: &[u16], keys: [u16; N]) -> Vec<u32> {
    const RUN: usize = 64;
    let hit = |k: u16| keys.iter().fold(false, |m, &w| m | (k == w));
    par_scan_ranges(c.len(), |lo, hi, out| {
        let part = &c[lo as usize..hi as usize];
        let mut runs = part.chunks_exact(RUN);
        let mut at = lo;
        for run in &mut runs {
            let mut any = 0u16;
            for &k in run {
                for &w in &keys {
                    any |= (k == w) as u16;
                }
            }
            if any != 0 {
                for (i, &k) in run.iter().enumerate() {
                    if hit(k) {
                        out.push(at + i as u32);
                    }
                }
            }
            at += RUN as u32;
        }
        for (i, &k) in runs.remainder().iter().enumerate() {
            if hit(k) {
                out.push(at + i as u32);
            }
        }
    })
}

/// Calls `f(v, class_of(v), &mut out)` for every node `v`, on all threads, and returns what
/// the calls pushed, in node order: a plain loop over the class array, without the per-node
/// lookup of [`crate::graph::object_graph::Graph::class_of`].
pub(crate) fn par_scan_classes<T: Send>(
    a: &Analysis,
    f: impl Fn(u32, u32, &mut Vec<T>) + Sync,
) -> Vec<T> {
    match a.graph.classes() {
        NodeClasses::Narrow(c) => par_scan_ranges(c.len(), |lo, hi, out| {
            for (i, &k) in c[lo as usize..hi as usize].iter().enumerate() {
                let k = if k == u16::MAX { NONE } else { k as u32 };
                f(lo + i as u32, k, out);
            }
        }),
        NodeClasses::Wide(c) => par_scan_ranges(c.len(), |lo, hi, out| {
            for (i, &k) in c[lo as usize..hi as usize].iter().enumerate() {
                f(lo + i as u32, k, out);
            }
        }),
    }
}

/// The number of nodes of each class (class objects counted under `java.lang.Class`), by
/// class index: one parallel pass over the class array.
pub(crate) fn node_counts(a: &Analysis) -> Vec<u64> {
    use rayon::prelude::*;
    let n = a.heap.classes.len();
    let total = a.graph.len();
    const CHUNK: usize = 1 << 20;
    (0..total.div_ceil(CHUNK))
        .into_par_iter()
        .fold(
            || vec![0u64; n + 1],
            |mut acc, ci| {
                let (lo, hi) = (ci * CHUNK, ((ci + 1) * CHUNK).min(total));
                let mut count = |k: u32| acc[(k as usize).min(n)] += 1;
                match a.graph.classes() {
                    NodeClasses::Narrow(c) => c[lo..hi]
                        .iter()
                        .for_each(|&k| count(if k == u16::MAX { NONE } else { k as u32 })),
                    NodeClasses::Wide(c) => c[lo..hi].iter().for_each(|&k| count(k)),
                }
                acc
            },
        )
        .reduce(
            || vec![0u64; n + 1],
            |mut x, y| {
                x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
                x
            },
        )
        .into_iter()
        .take(n)
        .collect()
}

/// The direct strong referrers of `targets` as (referrer, target) pairs, in referrer order: one
/// parallel scan of the references (the implicit edge to a class object is not included).
pub(crate) fn referrers(a: &Analysis, targets: impl IntoIterator<Item = u32>) -> Vec<(u32, u32)> {
    let wanted = NodeFilter::new(targets);
    if wanted.is_empty() {
        return Vec::new();
    }
    let g = &a.graph;
    let targets = g.targets();
    par_scan_ranges(g.len(), |lo, hi, out| {
        // The chunk's references are one run of the targets: test them in a plain loop, and
        // only a chunk with a hit is walked node by node to name the referrers.
        let Some(first) = (lo..hi).map(|v| g.ref_range(v)).find(|r| r.1 > r.0) else {
            return;
        };
        let last = (lo..hi).rev().map(|v| g.ref_range(v)).find(|r| r.1 > r.0);
        let end = last.map_or(first.1, |r| r.1);
        let run = &targets[first.0 as usize..end as usize];
        if !run.iter().any(|&w| wanted.contains(w)) {
            return;
        }
        g.for_each_refs_in(lo, hi, |v, refs| {
            for &w in refs {
                if wanted.contains(w) {
                    out.push((v, w));
                }
            }
        })
    })
}

/// Re-reads `nodes` from the dump in one pass.
pub(crate) fn views(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, ObjectView> {
    views_at(a, nodes, &FxHashMap::default())
}

/// [`views`], with the offsets in `known` (from an earlier [`locate`] of more nodes) not
/// searched again: the result is the same.
pub(crate) fn views_at(
    a: &Analysis,
    nodes: &[u32],
    known: &FxHashMap<u32, u64>,
) -> FxHashMap<u32, ObjectView> {
    map_at(a, nodes, known, Some)
}

/// Re-reads `nodes` from the dump in one pass, as [`views`] does, keeping only what `f` makes
/// of each object (a time, a count) where a view would keep every field: for many objects.
pub(crate) fn read_each<T: Send>(
    a: &Analysis,
    nodes: &[u32],
    f: impl Fn(ObjectView) -> Option<T> + Sync,
) -> FxHashMap<u32, T> {
    map_at(a, nodes, &FxHashMap::default(), f)
}

/// [`read_each`] of arrays, each view with its elements' bytes (`ObjectView::data`).
pub(crate) fn read_each_with_data<T: Send>(
    a: &Analysis,
    nodes: &[u32],
    f: impl Fn(ObjectView) -> Option<T> + Sync,
) -> FxHashMap<u32, T> {
    read_located(a, nodes, &FxHashMap::default(), true, f)
}

/// [`read_each`] with the offsets in `known` not searched again.
fn map_at<T: Send>(
    a: &Analysis,
    nodes: &[u32],
    known: &FxHashMap<u32, u64>,
    f: impl Fn(ObjectView) -> Option<T> + Sync,
) -> FxHashMap<u32, T> {
    read_located(a, nodes, known, false, f)
}

/// Reads `nodes` (their offsets in `known` not searched again), with array data when `data`,
/// keeping what `f` makes of each.
fn read_located<T: Send>(
    a: &Analysis,
    nodes: &[u32],
    known: &FxHashMap<u32, u64>,
    data: bool,
    f: impl Fn(ObjectView) -> Option<T> + Sync,
) -> FxHashMap<u32, T> {
    let mut at: Vec<(u32, u64)> = located(a, nodes, known).into_iter().collect();
    // In dump order: neighbours share the folio a read maps.
    at.sort_unstable_by_key(|&(_, o)| o);
    let read = |&(v, o): &(u32, u64)| read_object(a, o, data).and_then(|view| Some((v, f(view)?)));
    // Reads of many objects on all threads (each parses its record into an owned view).
    if at.len() < PAR_READS {
        at.iter().filter_map(read).collect()
    } else {
        at.par_iter()
            .with_min_len(PAR_READS / 4)
            .filter_map(read)
            .collect()
    }
}

/// Objects read below which [`views_at`] reads them on one thread.
const PAR_READS: usize = 4096;

/// [`locate`] of `nodes`, taking the offsets found already from `known` and searching only
/// the others. A node's offset is the same either way: every piece that can hold its id is
/// walked whatever else is searched, and the first record in dump order wins.
pub(crate) fn located(
    a: &Analysis,
    nodes: &[u32],
    known: &FxHashMap<u32, u64>,
) -> FxHashMap<u32, u64> {
    let missing: Vec<u32> = nodes
        .iter()
        .copied()
        .filter(|v| !known.contains_key(v))
        .collect();
    let mut offs = locate(a, &missing);
    for &v in nodes {
        if let Some(&o) = known.get(&v) {
            offs.insert(v, o);
        }
    }
    offs
}

/// The node a reference field of `view` points to.
pub(crate) fn ref_node(a: &Analysis, view: &ObjectView, field: &str) -> Option<u32> {
    view.reference(field).and_then(|id| a.graph.ids.get(id))
}

/// A boolean field (false when absent).
pub(crate) fn flag(view: &ObjectView, field: &str) -> bool {
    view.field(field)
        .is_some_and(|f| f.ty == BasicType::Boolean && f.raw != 0)
}

/// The object id of node `v`.
pub(crate) fn object_id(a: &Analysis, v: u32) -> crate::base::id::ObjectId {
    crate::base::id::ObjectId(a.graph.ids.id(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_scan_finds_what_the_table_scan_finds() {
        let n = 200_003usize;
        let classes: Vec<u16> = (0..n)
            .map(|i| match i % 1009 {
                0 => u16::MAX,
                r if r % 97 == 0 => 5,
                r => (r % 300) as u16 + 6,
            })
            .collect();
        for marked in [vec![5u16], vec![5, 7, 299], (6..22).collect::<Vec<u16>>()] {
            let mut table = vec![false; 400];
            for &k in &marked {
                table[k as usize] = true;
            }
            let keys = few_keys(&table).unwrap();
            let want: Vec<u32> = (0..n as u32)
                .filter(|&v| table.get(classes[v as usize] as usize) == Some(&true))
                .collect();
            if keys.len() <= 4 {
                assert_eq!(scan_for_keys(&classes, padded::<4>(&keys)), want);
            }
            assert_eq!(scan_for_keys(&classes, padded::<FEW>(&keys)), want);
        }
        assert!(few_keys(&[false; 10]).is_none());
        assert!(few_keys(&[true; FEW + 1]).is_none());
    }
}
