//! Hash-bucket chains: a bucket keeps its entries in a chain in the order they were added
//! (HashMap and ConcurrentHashMap append, Hashtable and WeakHashMap prepend), whatever order
//! the collector left them in the heap, and entries with equal hashes share one chain. The
//! entry chained after each sampled bucket's first says both: which entry came later, and
//! whether two keys of one hash are equal field for field (a key class without `equals`).
//! A ConcurrentHashMap bucket of eight or more entries is a tree bin whose `first` node starts
//! the same chain.

use crate::dom::analysis::Analysis;
use crate::query::objects::{locate, read_object, ObjectView};

/// An entry of a hash table: its value and its key.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The value (of a set's backing map: the marker; the key is the element), when set.
    pub value: Option<u32>,
    /// The key (a WeakHashMap's weak referent), when set.
    pub key: Option<u32>,
}

/// The entry in `view` (its value in field `value`) and the node chained after it.
pub(crate) fn entry(a: &Analysis, view: &ObjectView, value: &str) -> (Entry, Option<u32>) {
    let node = |name: &str| view.reference(name).and_then(|id| a.graph.ids.get(id));
    let value = node(value);
    // WeakHashMap entries keep their key as the weak referent.
    let key = node("key").or_else(|| node("referent"));
    (Entry { value, key }, node("next"))
}

/// (entry, the entry chained after it) for `heads` (an entry and the node after it) and for
/// the tree bins whose `first` nodes are `bins`; and the tree bins' first entries.
pub(crate) fn chained(
    a: &Analysis,
    heads: Vec<(Entry, u32)>,
    bins: &[u32],
    value: &str,
) -> (Vec<(Entry, Entry)>, Vec<Entry>) {
    let read = |offs: &rustc_hash::FxHashMap<u32, u64>, v: u32| {
        offs.get(&v)
            .and_then(|&o| read_object(a, o, false))
            .map(|view| entry(a, &view, value))
    };
    let wanted: Vec<u32> = heads
        .iter()
        .map(|h| h.1)
        .chain(bins.iter().copied())
        .collect();
    let offs = locate(a, &wanted);
    let mut out: Vec<(Entry, Entry)> = heads
        .iter()
        .filter_map(|&(e, n)| Some((e, read(&offs, n)?.0)))
        .collect();
    let firsts: Vec<(Entry, Option<u32>)> = bins.iter().filter_map(|&f| read(&offs, f)).collect();
    let entries: Vec<Entry> = firsts.iter().map(|f| f.0).collect();
    let firsts: Vec<(Entry, u32)> = firsts
        .into_iter()
        .filter_map(|(e, n)| Some((e, n?)))
        .collect();
    let wanted: Vec<u32> = firsts.iter().map(|h| h.1).collect();
    let offs = locate(a, &wanted);
    out.extend(
        firsts
            .iter()
            .filter_map(|&(e, n)| Some((e, read(&offs, n)?.0))),
    );
    (out, entries)
}
