//! The reference pass (pass 2 of the graph build): per class, where its reference fields are
//! (`RefLayout`); per node, its class, size and strong references (`RefPass`); the
//! `referent` of a `java.lang.ref.Reference` kept apart as a weak edge.

use hprof_parser::{BasicType, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray};
use rustc_hash::FxHashMap;

use crate::base::shared::Scatter;
use crate::graph::idindex::IdIndex;
use crate::graph::ids::NONE;
use crate::graph::shallow_sizes::size8;
use crate::graph::spill::{List, Spill, BLOCK};
use crate::load::class_cache::ClassCache;
use crate::load::classes::{primitive_array_name, ClassIdx};
use crate::load::heap::Heap;

/// Per-class reference layout used by the edge passes.
#[derive(Clone, Debug, Default)]
pub(super) struct RefLayout {
    /// Offsets of strong reference fields in an instance's field data.
    strong: Vec<u32>,
    /// Offset of the `referent` field, for Reference subclasses.
    referent: Option<u32>,
    /// Field bytes an instance must have.
    field_bytes: u32,
}

/// What the degree and fill passes share.
pub(super) struct EdgeContext<'a> {
    pub(super) heap: &'a Heap,
    pub(super) ids: &'a IdIndex,
    pub(super) layouts: &'a [RefLayout],
    /// First offset of every id that occurs more than once.
    pub(super) dup_first: &'a FxHashMap<u64, u64>,
    pub(super) prim_class: [ClassIdx; 12],
    pub(super) class_class: ClassIdx,
    pub(super) id_size: u8,
}

impl EdgeContext<'_> {
    /// The node of an object, unless it is a later duplicate.
    #[inline]
    fn node(&self, id: u64, offset: u64) -> Option<u32> {
        if !self.dup_first.is_empty() {
            if let Some(&first) = self.dup_first.get(&id) {
                if first != offset {
                    return None;
                }
            }
        }
        self.ids.get(id)
    }

    /// Calls `f` with the resolved strong references of a class object, and counts dangling.
    fn class_refs(&self, c: &ClassDump<'_>, dangling: &mut u64, mut f: impl FnMut(u32)) {
        let mut one = |id: u64| {
            if id != 0 {
                match self.ids.get(id) {
                    Some(t) => f(t),
                    None => *dangling += 1,
                }
            }
        };
        one(c.super_id);
        one(c.loader_id);
        one(c.signers_id);
        one(c.protection_domain_id);
        for s in c.statics.statics() {
            if s.ty == BasicType::Object {
                one(hprof_parser::reader::read_id(s.value, self.id_size));
            }
        }
        for k in c.constants.constants() {
            if k.ty == BasicType::Object {
                one(hprof_parser::reader::read_id(k.value, self.id_size));
            }
        }
    }
}

/// The pass over references: class, size and strong references of every node. Each piece
/// keeps its resolved references in file order, with the nodes that have any; they are
/// copied into the CSR arrays once all degrees are known.
pub(super) struct RefPass<'a> {
    pub(super) cx: &'a EdgeContext<'a>,
    pub(super) class_of: &'a Scatter<'a, u32>,
    pub(super) size8: &'a Scatter<'a, u32>,
    pub(super) degree: &'a Scatter<'a, u32>,
    /// Where the lists go as they grow (`--max-memory`), if anywhere.
    pub(super) spill: Option<&'a Spill<'a>>,
    /// Nodes with at least one reference, in file order.
    pub(super) nodes: List,
    /// Their references, concatenated.
    pub(super) targets: List,
    pub(super) weak: Vec<(u32, u32)>,
    pub(super) dangling: u64,
    pub(super) short: u64,
    /// The class index of the class ids met, cached.
    pub(super) classes: ClassCache,
}

impl RefPass<'_> {
    #[inline]
    fn set(&mut self, v: u32, class: u32, bytes: u64, start: usize) {
        let degree = (self.targets.tail.len() - start) as u32;
        if degree > 0 {
            self.nodes.tail.push(v);
        }
        if let Some(spill) = self.spill {
            if self.targets.tail.len() >= BLOCK || self.nodes.tail.len() >= BLOCK {
                self.nodes.flush(&spill.nodes);
                self.targets.flush(&spill.targets);
            }
        }
        // SAFETY: v is the unique node of this object (duplicates were filtered by `node`),
        // and each object is visited by exactly one piece walk.
        unsafe {
            self.class_of.write(v as usize, class);
            self.size8.write(v as usize, size8(bytes));
            self.degree.write(v as usize, degree);
        }
    }

    #[inline]
    fn reference(&mut self, id: u64) {
        if id != 0 {
            match self.cx.ids.get(id) {
                Some(t) => self.targets.tail.push(t),
                None => self.dangling += 1,
            }
        }
    }
}

impl HeapVisitor for RefPass<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        let Some(v) = self.cx.node(c.id, c.offset) else {
            return;
        };
        let start = self.targets.tail.len();
        let mut dangling = 0;
        let mut found = Vec::new();
        self.cx.class_refs(c, &mut dangling, |t| found.push(t));
        self.targets.tail.extend_from_slice(&found);
        self.dangling += dangling;
        let heap = self.cx.heap;
        let bytes = heap
            .classes
            .index_of(c.id)
            .map_or(0, |ci| heap.mirror_size(ci));
        self.set(v, self.cx.class_class, bytes, start);
    }

    #[inline]
    fn instance(&mut self, o: &Instance<'_>) {
        let cx = self.cx;
        let Some(v) = cx.node(o.id, o.offset) else {
            return;
        };
        let start = self.targets.tail.len();
        let (class, bytes) = match self
            .classes
            .get(o.class_id, |c| cx.heap.classes.index_of(c))
        {
            Some(ci) => (ci, cx.heap.instance_size(ci)),
            None => (NONE, cx.heap.model.instance(0, 0)),
        };
        if class != NONE {
            let l = &cx.layouts[class as usize];
            if (o.fields.len() as u32) < l.field_bytes {
                self.short += 1;
            }
            let ids = cx.id_size as usize;
            for &off in &l.strong {
                if let Some(b) = o.fields.get(off as usize..off as usize + ids) {
                    self.reference(hprof_parser::reader::read_id(b, cx.id_size));
                }
            }
            if let Some(off) = l.referent {
                if let Some(b) = o.fields.get(off as usize..off as usize + ids) {
                    let id = hprof_parser::reader::read_id(b, cx.id_size);
                    if id != 0 {
                        match cx.ids.get(id) {
                            Some(t) => self.weak.push((v, t)),
                            None => self.dangling += 1,
                        }
                    }
                }
            }
        }
        self.set(v, class, bytes, start);
    }

    #[inline]
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        let cx = self.cx;
        let Some(v) = cx.node(a.id, a.offset) else {
            return;
        };
        let start = self.targets.tail.len();
        for id in a.element_ids(cx.id_size) {
            self.reference(id);
        }
        let class = self
            .classes
            .get(a.class_id, |c| cx.heap.classes.index_of(c))
            .unwrap_or(NONE);
        self.set(v, class, cx.heap.model.array(a.len as u64, 0), start);
    }

    #[inline]
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        let cx = self.cx;
        let Some(v) = cx.node(a.id, a.offset) else {
            return;
        };
        let bytes = cx
            .heap
            .model
            .array(a.len as u64, a.elem.size_in_dump(8) as u64);
        let start = self.targets.tail.len();
        self.set(v, cx.prim_class[a.elem.code() as usize], bytes, start);
    }
}

pub(super) fn ref_layouts(heap: &Heap) -> Vec<RefLayout> {
    let dump = &heap.dump;
    let id_size = dump.id_size() as u32;
    let reference = heap.classes.by_name("java.lang.ref.Reference");
    // The offset of Reference.referent in each class's instances, memoised over the
    // hierarchy (supers first): a subclass puts its own fields before its super class's.
    let classes = &heap.classes;
    let mut referent_at: Vec<Option<u32>> = vec![None; classes.len()];
    if let Some(r) = reference {
        for &ci in classes.supers_first() {
            let k = classes.get(ci);
            referent_at[ci as usize] = if ci == r {
                let mut off = 0u32;
                let mut found = None;
                for f in &k.record.fields {
                    if f.ty == BasicType::Object
                        && classes.field_name(dump, f.name_id) == "referent"
                    {
                        found = Some(off);
                    }
                    off = off.saturating_add(f.ty.size_in_dump(id_size as u8) as u32);
                }
                found
            } else {
                k.super_idx.and_then(|s| {
                    let own = k
                        .dump_field_bytes
                        .saturating_sub(classes.get(s).dump_field_bytes);
                    referent_at[s as usize].map(|o| o.saturating_add(own))
                })
            };
        }
    }
    heap.classes
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let referent = referent_at[ci];
            RefLayout {
                strong: c
                    .ref_offsets
                    .iter()
                    .copied()
                    .filter(|&o| Some(o) != referent)
                    .collect(),
                referent,
                field_bytes: c.dump_field_bytes,
            }
        })
        .collect()
}

/// The references the reference pass will find, from the census: each instance's strong
/// reference fields, each object array's elements, each class object's static references.
/// An upper bound (null references are not stored), known before any edge is resolved.
pub(super) fn estimate_references(heap: &Heap, layouts: &[RefLayout]) -> u64 {
    let census = &heap.census;
    let fields: u64 = census
        .instances
        .iter()
        .map(|(&id, &count)| {
            let per = heap
                .classes
                .index_of(id)
                .and_then(|ci| layouts.get(ci as usize))
                .map_or(0, |l| l.strong.len() as u64);
            count.saturating_mul(per)
        })
        .sum();
    let elements: u64 = census.object_arrays.values().map(|a| a.elements).sum();
    let statics: u64 = census
        .classes
        .iter()
        .map(|c| 4 + c.statics.len() as u64 + c.constant_refs.len() as u64)
        .sum();
    fields.saturating_add(elements).saturating_add(statics)
}

impl<'a> EdgeContext<'a> {
    pub(super) fn new(
        heap: &'a Heap,
        ids: &'a IdIndex,
        layouts: &'a [RefLayout],
        dup_first: &'a FxHashMap<u64, u64>,
    ) -> Self {
        let mut prim_class = [NONE; 12];
        for t in BasicType::PRIMITIVES {
            prim_class[t.code() as usize] = heap
                .classes
                .by_name(&primitive_array_name(t))
                .unwrap_or(NONE);
        }
        let class_class = heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
        EdgeContext {
            heap,
            ids,
            layouts,
            dup_first,
            prim_class,
            class_class,
            id_size: heap.dump.id_size(),
        }
    }
}
