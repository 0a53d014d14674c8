//! What one entry retains: the average over the sampled entries, and the field and class that
//! make most of it ("each entry retains ~4.2 KiB, mostly byte[] via .body"), so that a map of
//! 6,000 lists says what the lists hold. Beside it: what inner collections hold in all
//! (`inner.rs`), the outer object of inner-class entries (`outer.rs`) and one object that makes
//! most of the retained bytes (`one_object.rs`).

mod arrays;
mod inner;
mod one_object;
mod outer;

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;

use super::candidate::Candidate;
use super::evidence::Reads;
use super::model::PerEntry;

/// A part must make at least this share of an entry to be named.
const MOSTLY: f64 = 0.5;

/// The per-entry composition of a candidate's sampled values: what each retains on average,
/// and which field of the entry (and which class behind it) retains most of that.
pub(crate) fn per_entry(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<PerEntry> {
    // A buffer's entries are chars or bytes in one array: nothing per entry to say.
    if c.entries == 0
        || c.entries_unsampled()
        || matches!(
            c.kind,
            super::model::LeakKind::Buffer | super::model::LeakKind::PrimitiveArray
        )
    {
        return None;
    }
    // What an entry is: the collections themselves when their elements were sampled.
    let sampled = if c.entry_collections.is_empty() {
        &c.values
    } else {
        &c.entry_collections
    };
    let values: Vec<u32> = sampled
        .iter()
        .copied()
        .filter(|&v| a.dom.is_reachable(v))
        .collect();
    let mostly = mostly(a, &values, reads);
    Some(PerEntry {
        average_bytes: c.retained / c.entries,
        mostly_class: mostly.as_ref().map(|m| m.1.clone()),
        via: mostly.as_ref().map(|m| format!(".{}", m.0)),
        share: mostly.as_ref().map(|m| m.2),
        inner: inner::inner(a, c.entries, &values, hash_map(c), reads),
        outer: outer::outer(a, &values, reads),
        one_object: c
            .node
            .and_then(|n| one_object::one_object(a, n, c.retained)),
    })
}

/// The node of candidate `c` when it is a hash map (its inner collections can all be found).
fn hash_map(c: &Candidate) -> Option<u32> {
    let spec = c.collection.as_ref()?.spec;
    matches!(
        spec.shape,
        crate::query::collections::Shape::HashTable { .. }
    )
    .then_some(c.node)
    .flatten()
}

/// The field of the entries, and the class behind it, that retains at least [`MOSTLY`] of
/// what the sampled entries retain, with that share. A field leading to the entry's own class
/// (the next node of a chain) is the structure, not what an entry holds, and is not named.
fn mostly(a: &Analysis, values: &[u32], reads: &Reads) -> Option<(String, String, f64)> {
    let total: u64 = values.iter().map(|&v| a.dom.retained.get(v)).sum();
    let mut parts: FxHashMap<(String, String), u64> = FxHashMap::default();
    for &v in values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        for f in &view.fields {
            let Some(w) = ref_node(a, view, &f.name) else {
                continue;
            };
            if a.dom.idom[w as usize] == v && a.graph.class_of(w) != a.graph.class_of(v) {
                let class = crate::query::collections::normalise_class(
                    &crate::query::objects::node_class(a, w),
                );
                *parts.entry((f.name.clone(), class)).or_default() += a.dom.retained.get(w);
            }
        }
    }
    parts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .filter(|(_, bytes)| total > 0 && *bytes as f64 >= MOSTLY * total as f64)
        .map(|((field, class), bytes)| (field, class, bytes as f64 / total as f64))
}
