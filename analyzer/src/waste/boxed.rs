//! Boxed primitives (`Integer`, `Long`, `Double`, ...) in object arrays: the backing arrays of
//! `ArrayList`, `Vector` and `ArrayDeque`, and plain `Integer[]`-style arrays.
//!
//! A primitive collection (`int[]`, an `IntArrayList`) would hold each value in its primitive
//! size instead of a reference to a box: it saves the boxes the array alone keeps (those it
//! dominates; cached boxes such as `Integer.valueOf(5)` stay) plus one reference per element,
//! and costs the primitive size per element. Boxes in hash maps are not counted here.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::attribute::attribute;
use crate::analysis::Analysis;
use crate::graph::NONE;
use crate::holders::Holder;
use crate::shared::par_scan_nodes;

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

/// Boxed primitives of one class in the arrays one field holds.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BoxedWaste {
    /// The application field that holds the arrays; null when none does.
    pub holder: Option<Holder>,
    /// The box class (`java.lang.Integer`).
    pub class: String,
    /// Arrays holding them.
    pub arrays: u64,
    /// References to boxes in those arrays.
    pub elements: u64,
    /// Boxes only these arrays keep.
    pub boxes: u64,
    /// Their shallow bytes.
    pub box_bytes: u64,
    /// Bytes a primitive array or collection would save.
    pub bytes_saved: u64,
}

/// Boxed primitives in arrays, by holder and box class, most saved first.
pub(crate) fn boxed_waste(a: &Analysis) -> Vec<BoxedWaste> {
    let classes = &a.heap.classes;
    // Per class: which box it is (index into BOXES), if any.
    let box_of: Vec<u8> = classes
        .iter()
        .map(|c| {
            BOXES
                .iter()
                .position(|b| b.0 == c.name)
                .map_or(u8::MAX, |i| i as u8)
        })
        .collect();
    let is_obj_array: Vec<bool> = classes
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
        .collect();
    let g = &a.graph;
    let idom = &a.dom.idom;
    // (array, box kind, elements, dominated boxes, their bytes)
    let rows: Vec<(u32, u8, u64, u64, u64)> = par_scan_nodes(g.len(), |v, out| {
        let k = g.class_of(v);
        if k == NONE || !is_obj_array[k as usize] || !a.dom.is_reachable(v) {
            return;
        }
        let mut counts = [(0u64, 0u64, 0u64); 8];
        let mut any = false;
        for &w in g.refs(v) {
            let b = match g.class_of(w) {
                NONE => continue,
                c => box_of[c as usize],
            };
            if b == u8::MAX {
                continue;
            }
            any = true;
            let e = &mut counts[b as usize];
            e.0 += 1;
            if idom[w as usize] == v {
                e.1 += 1;
                e.2 += g.shallow(w);
            }
        }
        if any {
            for (b, c) in counts.iter().enumerate() {
                if c.0 > 0 {
                    out.push((v, b as u8, c.0, c.1, c.2));
                }
            }
        }
    });
    let nodes: Vec<u32> = rows.iter().map(|r| r.0).collect();
    let at = attribute(a, &nodes);
    let reference = a.heap.model.reference as u64;
    let mut index: FxHashMap<(u32, u8), usize> = FxHashMap::default();
    let mut out: Vec<BoxedWaste> = Vec::new();
    let mut last_array: Vec<u32> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let gi = *index.entry((at.of[i], r.1)).or_insert_with(|| {
            out.push(BoxedWaste {
                holder: at.holder(i).cloned(),
                class: BOXES[r.1 as usize].0.to_string(),
                arrays: 0,
                elements: 0,
                boxes: 0,
                box_bytes: 0,
                bytes_saved: 0,
            });
            last_array.push(NONE);
            out.len() - 1
        });
        let g = &mut out[gi];
        if last_array[gi] != r.0 {
            last_array[gi] = r.0;
            g.arrays += 1;
        }
        g.elements += r.2;
        g.boxes += r.3;
        g.box_bytes += r.4;
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
    });
    out
}
