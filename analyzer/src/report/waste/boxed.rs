//! Boxed primitives (`Integer`, `Long`, `Double`, ...) where a primitive collection would hold
//! the values themselves:
//!
//! - **elements** of object arrays: the backing arrays of `ArrayList`, `Vector` and
//!   `ArrayDeque`, and plain `Integer[]`-style arrays;
//! - **keys** and **values** of map entries: `HashMap`, `LinkedHashMap`, `HashSet` and
//!   `LinkedHashSet` (their `HashMap$Node`s and tree bins), `ConcurrentHashMap`, `TreeMap`,
//!   `Hashtable` and `ConcurrentSkipListMap`. Keys and values are separate lines: the fix
//!   differs (`Long2IntMap` when both are boxed, `Long2ObjectMap` when only keys are), and a
//!   set's entries have boxed keys only.
//!
//! What a primitive collection saves per boxed element, key or value: the box itself when only
//! this array or entry keeps it (cached boxes such as `Integer.valueOf(5)`, shared ones and
//! ones the application also references stay), plus the reference to it, minus the primitive's
//! size that takes the reference's place. For maps this is a lower bound: an open-addressing
//! primitive map also drops the entry objects, which are not counted here.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::attribute::attribute;
use super::scan::Found;
use crate::base::shared::par_scan_nodes;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::holders::Holder;

/// The box classes and their primitive sizes.
const BOXES: [(&str, u64); 8] = [
    ("java.lang.Integer", 4),
    ("java.lang.Long", 8),
    ("java.lang.Double", 8),
    ("java.lang.Float", 4),
    ("java.lang.Short", 2),
    ("java.lang.Byte", 1),
    ("java.lang.Character", 2),
    ("java.lang.Boolean", 1),
];

/// Map entry classes (subclasses match too) with their key and value fields. When the value
/// field is missing, a field named `value` is read instead (JDK 8's `ConcurrentSkipListMap`).
pub(crate) const ENTRIES: [(&str, &str, &str); 5] = [
    ("java.util.HashMap$Node", "key", "value"),
    ("java.util.concurrent.ConcurrentHashMap$Node", "key", "val"),
    ("java.util.TreeMap$Entry", "key", "value"),
    ("java.util.Hashtable$Entry", "key", "value"),
    (
        "java.util.concurrent.ConcurrentSkipListMap$Node",
        "key",
        "val",
    ),
];

/// Dominator levels climbed at most from an entry to its map (tree bins and `TreeMap`s are
/// about twice the logarithm of their size deep).
const MAX_CLIMB: usize = 128;

/// Where boxes are held.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum BoxedRole {
    /// Elements of object arrays.
    Element,
    /// Keys of map entries (and the elements of hash sets).
    Key,
    /// Values of map entries.
    Value,
}

/// Boxed primitives of one class in one role under one field.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BoxedWaste {
    /// The application field that holds the arrays or maps; null when none does.
    pub holder: Option<Holder>,
    /// The box class (`java.lang.Integer`).
    pub class: String,
    /// Array elements, map keys or map values.
    pub role: BoxedRole,
    /// Arrays (elements) or maps and sets (keys and values) holding them.
    pub containers: u64,
    /// References to boxes in those arrays or entries.
    pub elements: u64,
    /// Boxes only these arrays or entries keep.
    pub boxes: u64,
    /// Their shallow bytes.
    pub box_bytes: u64,
    /// Bytes a primitive array or collection would save.
    pub bytes_saved: u64,
}

/// Per class: which box it is (index into the box classes), [`u8::MAX`] if none.
pub(crate) fn box_table(a: &Analysis) -> Vec<u8> {
    a.heap
        .classes
        .iter()
        .map(|c| {
            BOXES
                .iter()
                .position(|b| b.0 == c.name)
                .map_or(u8::MAX, |i| i as u8)
        })
        .collect()
}

/// Per class: whether it is an array of references.
fn obj_array_table(a: &Analysis) -> Vec<bool> {
    a.heap
        .classes
        .iter()
        .map(|c| {
            c.is_array()
                && !matches!(
                    c.name.as_str(),
                    "boolean[]"
                        | "char[]"
                        | "float[]"
                        | "double[]"
                        | "byte[]"
                        | "short[]"
                        | "int[]"
                        | "long[]"
                )
        })
        .collect()
}

/// Boxes of one class in one role in one array or map.
#[derive(Clone, Copy, Debug)]
struct Row {
    /// The array or map.
    node: u32,
    kind: u8,
    role: BoxedRole,
    elements: u64,
    boxes: u64,
    bytes: u64,
}

/// Boxes in object arrays, one row per array and box class.
fn element_rows(a: &Analysis, box_of: &[u8], is_obj_array: &[bool]) -> Vec<Row> {
    let g = &a.graph;
    let idom = &a.dom.idom;
    par_scan_nodes(g.len(), |v, out| {
        let k = g.class_of(v);
        if k == NONE || !is_obj_array[k as usize] || !a.dom.is_reachable(v) {
            return;
        }
        let mut counts = [(0u64, 0u64, 0u64); 8];
        for &w in g.refs(v) {
            let b = match g.class_of(w) {
                NONE => continue,
                c => box_of[c as usize],
            };
            if b == u8::MAX {
                continue;
            }
            let e = &mut counts[b as usize];
            e.0 += 1;
            if idom[w as usize] == v {
                e.1 += 1;
                e.2 += g.shallow(w);
            }
        }
        for (kind, c) in counts.iter().enumerate().filter(|(_, c)| c.0 > 0) {
            out.push(Row {
                node: v,
                kind: kind as u8,
                role: BoxedRole::Element,
                elements: c.0,
                boxes: c.1,
                bytes: c.2,
            });
        }
    })
}

/// The map (or set's map) an entry belongs to: the first node above it on the dominator tree
/// that is neither an entry nor an array (the table); the last node climbed if none is.
fn map_of(a: &Analysis, entry: u32, is_entry: &[bool], is_obj_array: &[bool]) -> u32 {
    let mut y = entry;
    for _ in 0..MAX_CLIMB {
        let p = a.dom.idom[y as usize];
        if p == SUPER_ROOT || p == NONE {
            break;
        }
        let k = a.graph.class_of(p);
        if k == NONE || !(is_entry[k as usize] || is_obj_array[k as usize]) {
            return p;
        }
        y = p;
    }
    y
}

/// Boxes as map keys and values, one row per map, box class and role.
fn entry_rows(a: &Analysis, found: &Found, box_of: &[u8], is_obj_array: &[bool]) -> Vec<Row> {
    let names: Vec<&str> = ENTRIES.iter().map(|e| e.0).collect();
    let is_entry: Vec<bool> = crate::query::find::subclass_table(a, &names)
        .iter()
        .map(Option::is_some)
        .collect();
    let g = &a.graph;
    // (map, box class, role, whether the entry alone keeps the box, its shallow bytes): 12
    // bytes per boxed key or value, merged below into one row per map.
    let mut parts: Vec<(u32, u8, BoxedRole, bool, u32)> = found
        .entries
        .par_iter()
        .flat_map_iter(|e| {
            let map = map_of(a, e.node, &is_entry, is_obj_array);
            [(BoxedRole::Key, e.key), (BoxedRole::Value, e.value)]
                .into_iter()
                .filter(|x| x.1 != NONE)
                .map(move |(role, b)| {
                    let own = a.dom.idom[b as usize] == e.node;
                    let bytes = if own { g.shallow(b) } else { 0 };
                    let kind = box_of[g.class_of(b) as usize];
                    (
                        map,
                        kind,
                        role,
                        own,
                        u32::try_from(bytes).unwrap_or(u32::MAX),
                    )
                })
        })
        .collect();
    parts.par_sort_unstable_by_key(|p| (p.0, p.1, p.2));
    let mut rows: Vec<Row> = Vec::new();
    for (node, kind, role, own, bytes) in parts {
        match rows.last_mut() {
            Some(r) if (r.node, r.kind, r.role) == (node, kind, role) => {
                r.elements += 1;
                r.boxes += own as u64;
                r.bytes += bytes as u64;
            }
            _ => rows.push(Row {
                node,
                kind,
                role,
                elements: 1,
                boxes: own as u64,
                bytes: bytes as u64,
            }),
        }
    }
    rows
}

/// Boxed primitives in arrays and maps, by holder, box class and role, most saved first.
pub(crate) fn boxed_waste(a: &Analysis, found: &Found) -> Vec<BoxedWaste> {
    let box_of = box_table(a);
    let is_obj_array = obj_array_table(a);
    let mut rows = element_rows(a, &box_of, &is_obj_array);
    rows.extend(entry_rows(a, found, &box_of, &is_obj_array));
    let nodes: Vec<u32> = rows.iter().map(|r| r.node).collect();
    let at = attribute(a, &nodes);
    let reference = a.heap.model.reference as u64;
    let mut index: FxHashMap<(u32, u8, BoxedRole), usize> = FxHashMap::default();
    let mut out: Vec<BoxedWaste> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let gi = *index.entry((at.of[i], r.kind, r.role)).or_insert_with(|| {
            out.push(BoxedWaste {
                holder: at.holder(i).cloned(),
                class: BOXES[r.kind as usize].0.to_string(),
                role: r.role,
                containers: 0,
                elements: 0,
                boxes: 0,
                box_bytes: 0,
                bytes_saved: 0,
            });
            out.len() - 1
        });
        let g = &mut out[gi];
        g.containers += 1;
        g.elements += r.elements;
        g.boxes += r.boxes;
        g.box_bytes += r.bytes;
    }
    for g in &mut out {
        let prim = BOXES.iter().find(|b| b.0 == g.class).map_or(0, |b| b.1);
        g.bytes_saved = (g.box_bytes + g.elements * reference).saturating_sub(g.elements * prim);
    }
    out.retain(|g| g.bytes_saved > 0);
    out.sort_by(|x, y| {
        y.bytes_saved
            .cmp(&x.bytes_saved)
            .then(y.elements.cmp(&x.elements))
            .then(x.role.cmp(&y.role))
    });
    out
}
