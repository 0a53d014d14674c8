//! Empty and under-filled collections: what a lazily created or right-sized one would save.
//!
//! - **Empty**: a collection with no entries. Creating it only when the first entry comes
//!   would save the collection object, its backing array (when the collection dominates it; the
//!   JDK's shared empty arrays cost nothing) and, for a set, its backing map.
//! - **Under-filled**: a list (`ArrayList`, `Vector`) less than half full, or a hash map or set
//!   (`HashMap`, `LinkedHashMap`, `HashSet`, `LinkedHashSet`, `Hashtable`) whose table is
//!   bigger than the one `new HashMap<>(size)`-style sizing would give (the next power of two of
//!   `size / 0.75`). Right-sizing saves the difference between the two arrays.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::attribute::attribute;
use super::scan::{CollRec, Found};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::holders::Holder;

/// A collection shape the waste report reads.
pub(crate) struct ShapeSpec {
    /// The JDK class (subclasses match too).
    pub class: &'static str,
    /// Its int size field.
    pub size: Option<&'static str>,
    /// Its backing array field.
    pub array: Option<&'static str>,
    /// For sets: the backing map field.
    pub map: Option<&'static str>,
    /// Whether the backing array is a hash table (right-sized by the load factor).
    pub hashed: bool,
}

const fn shape(
    class: &'static str,
    size: Option<&'static str>,
    array: Option<&'static str>,
    map: Option<&'static str>,
    hashed: bool,
) -> ShapeSpec {
    ShapeSpec {
        class,
        size,
        array,
        map,
        hashed,
    }
}

/// The shapes, most specific first.
pub(crate) const SHAPES: &[ShapeSpec] = &[
    shape(
        "java.util.ArrayList",
        Some("size"),
        Some("elementData"),
        None,
        false,
    ),
    shape(
        "java.util.Vector",
        Some("elementCount"),
        Some("elementData"),
        None,
        false,
    ),
    shape("java.util.HashMap", Some("size"), Some("table"), None, true),
    shape(
        "java.util.Hashtable",
        Some("count"),
        Some("table"),
        None,
        true,
    ),
    shape("java.util.HashSet", None, None, Some("map"), true),
];

/// Empty and under-filled collections of one class held by one field.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CollectionWaste {
    /// The application field that holds them; null when none does.
    pub holder: Option<Holder>,
    /// The collection class.
    pub class: String,
    /// Collections of this class under this holder.
    pub collections: u64,
    /// Of those, the empty ones.
    pub empty: u64,
    /// Of those, the non-empty ones less than half full (lists) or with a bigger table than
    /// their size needs (maps and sets).
    pub under_filled: u64,
    /// Entries in all of them.
    pub entries: u64,
    /// Slots of their backing arrays.
    pub capacity: u64,
    /// `entries / capacity` (1 when there is no capacity).
    pub fill_ratio: f64,
    /// Bytes lazily created empty collections would save.
    pub empty_bytes_saved: u64,
    /// Bytes right-sized backing arrays would save.
    pub under_filled_bytes_saved: u64,
}

/// The table length a hash map of `size` entries needs (load factor 0.75).
fn needed_table(size: u64) -> u64 {
    if size == 0 {
        return 0;
    }
    size.saturating_mul(4).div_ceil(3).next_power_of_two()
}

/// Empty and under-filled collections by class and holder, most bytes saved first. Only
/// groups with at least one empty or under-filled collection are listed.
pub(crate) fn collection_waste(a: &Analysis, found: &Found) -> Vec<CollectionWaste> {
    let rows = rows(a, found);
    by_holder(a, &rows)
}

/// One collection: (node, size, capacity, empty saving, under-filled saving, under-filled).
type Row = (u32, u64, u64, u64, u64, bool);

/// The collections with what they waste (a set's backing map is part of the set).
fn rows(a: &Analysis, found: &Found) -> Vec<Row> {
    let colls = &found.colls;
    let rec = |v: u32| -> Option<&CollRec> {
        colls
            .binary_search_by_key(&v, |c| c.node)
            .ok()
            .map(|i| &colls[i])
    };
    let len_of = |v: u32| -> u64 {
        found
            .obj_arrays
            .binary_search_by_key(&v, |x| x.0)
            .map(|i| found.obj_arrays[i].1 as u64)
            .unwrap_or(0)
    };
    let dominated = |child: u32, parent: u32| child != NONE && a.dom.idom[child as usize] == parent;
    // A set's backing map is part of the set, not a collection of its own.
    let mut inner: Vec<u32> = colls
        .iter()
        .filter(|c| c.map != NONE && dominated(c.map, c.node))
        .map(|c| c.map)
        .collect();
    inner.sort_unstable();
    let model = &a.heap.model;
    let mut rows: Vec<Row> = Vec::new();
    for c in colls {
        if inner.binary_search(&c.node).is_ok() {
            continue;
        }
        let spec = &SHAPES[c.shape as usize];
        let mut bytes = a.graph.shallow(c.node);
        let (size, table, owner) = if c.map != NONE {
            let Some(m) = rec(c.map) else {
                continue;
            };
            if dominated(c.map, c.node) {
                bytes += a.graph.shallow(c.map);
            }
            (m.size as u64, m.array, m.node)
        } else if spec.map.is_some() {
            continue;
        } else {
            (c.size as u64, c.array, c.node)
        };
        let capacity = if table == NONE { 0 } else { len_of(table) };
        let own_table = dominated(table, owner);
        let table_bytes = if own_table { a.graph.shallow(table) } else { 0 };
        if size == 0 {
            rows.push((c.node, 0, capacity, bytes + table_bytes, 0, false));
            continue;
        }
        let needed = if spec.hashed {
            needed_table(size)
        } else {
            size
        };
        let under = if spec.hashed {
            needed < capacity
        } else {
            size * 2 < capacity
        };
        let saved = if under && own_table {
            table_bytes.saturating_sub(model.array(needed, 0))
        } else {
            0
        };
        rows.push((c.node, size, capacity, 0, saved, under));
    }
    rows
}

/// The collections grouped by holder and class, most bytes saved first.
fn by_holder(a: &Analysis, rows: &[Row]) -> Vec<CollectionWaste> {
    let nodes: Vec<u32> = rows.iter().map(|r| r.0).collect();
    let at = attribute(a, &nodes);
    let mut index: FxHashMap<(u32, u32), usize> = FxHashMap::default();
    let mut out: Vec<CollectionWaste> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let class = a.graph.class_of(r.0);
        let gi = *index.entry((at.of[i], class)).or_insert_with(|| {
            out.push(CollectionWaste {
                holder: at.holder(i).cloned(),
                class: a.heap.classes.get(class).name.clone(),
                collections: 0,
                empty: 0,
                under_filled: 0,
                entries: 0,
                capacity: 0,
                fill_ratio: 1.0,
                empty_bytes_saved: 0,
                under_filled_bytes_saved: 0,
            });
            out.len() - 1
        });
        let g = &mut out[gi];
        g.collections += 1;
        g.entries += r.1;
        g.capacity += r.2;
        if r.1 == 0 {
            g.empty += 1;
            g.empty_bytes_saved += r.3;
        } else if r.5 {
            g.under_filled += 1;
            g.under_filled_bytes_saved += r.4;
        }
    }
    out.retain(|g| g.empty + g.under_filled > 0);
    for g in &mut out {
        g.fill_ratio = if g.capacity == 0 {
            1.0
        } else {
            g.entries as f64 / g.capacity as f64
        };
    }
    out.sort_by(|x, y| {
        (y.empty_bytes_saved + y.under_filled_bytes_saved)
            .cmp(&(x.empty_bytes_saved + x.under_filled_bytes_saved))
            .then(y.collections.cmp(&x.collections))
            .then(x.class.cmp(&y.class))
    });
    out
}
