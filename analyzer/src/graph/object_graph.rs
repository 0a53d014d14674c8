//! The object graph: every object and class object gets a dense `u32` index in id order, and
//! references live in flat CSR arrays. Built in three parallel passes over the heap after the
//! census: ids, out-degrees (with class and size per object), then edges.
//!
//! Edges: instance reference fields (through the class hierarchy), object array elements,
//! and from class objects their super class, loader, signers, protection domain, static
//! reference fields and constant pool references. Every object also references its class
//! object; that edge is implicit (from [`Graph::class_of`]) rather than stored. The
//! `referent` field of `java.lang.ref.Reference` and its subclasses is not a strong edge; those
//! edges are kept apart in [`Graph::weak_edges`].

use hprof_parser::{BasicType, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::base::progress::Progress;
use crate::base::shared::Scatter;
use crate::graph::idindex::IdIndex;
use crate::graph::ids::NONE;
use crate::graph::node_classes::NodeClasses;
use crate::graph::shallow_sizes::ShallowSizes;
use crate::load::classes::{primitive_array_name, ClassIdx};
use crate::load::heap::Heap;
use crate::load::pass::par_walk;
use crate::AnalyzeError;

/// The most nodes a graph may have: node indices are `u32`, and the two largest values stand
/// for "no node" ([`NONE`]) and the dominator tree's super-root.
pub const MAX_NODES: u64 = u32::MAX as u64 - 1;

/// The most stored references a graph may have (CSR offsets are `u32`).
pub const MAX_REFERENCES: u64 = u32::MAX as u64 - 1;

/// Checks that `count` objects (class objects included) fit the graph's `u32` node indices:
/// a larger dump fails with [`AnalyzeError::TooLarge`] naming the count, never wraps.
pub fn check_node_count(count: u64) -> Result<u32, AnalyzeError> {
    check_count("objects", count, MAX_NODES)
}

/// Checks that `count` references fit the graph's `u32` CSR offsets.
pub fn check_reference_count(count: u64) -> Result<u32, AnalyzeError> {
    check_count("references", count, MAX_REFERENCES)
}

fn check_count(what: &'static str, count: u64, limit: u64) -> Result<u32, AnalyzeError> {
    if count > limit {
        return Err(AnalyzeError::TooLarge { what, count, limit });
    }
    Ok(count as u32)
}

/// Per-class reference layout used by the edge passes.
#[derive(Clone, Debug, Default)]
struct RefLayout {
    /// Offsets of strong reference fields in an instance's field data.
    strong: Vec<u32>,
    /// Offset of the `referent` field, for Reference subclasses.
    referent: Option<u32>,
    /// Field bytes an instance must have.
    field_bytes: u32,
}

/// The object graph.
pub struct Graph {
    /// Id ↔ index.
    pub ids: IdIndex,
    /// Class of each node ([`NONE`] if its class is not in the dump). Class objects have
    /// `java.lang.Class`.
    classes: NodeClasses,
    /// Shallow size of each node in units of 8 bytes, stored where it is not its class's.
    sizes: ShallowSizes,
    /// CSR offsets: the strong references of node `v` are `targets[offsets[v]..offsets[v+1]]`.
    offsets: Vec<u32>,
    /// CSR targets.
    targets: Vec<u32>,
    /// Node of each class's class object, by class index.
    pub class_node: Vec<u32>,
    /// Class objects as (node, class) sorted by node.
    class_nodes: Vec<(u32, ClassIdx)>,
    /// GC roots as (node, index into the census's root list), in file order.
    pub roots: Vec<(u32, u32)>,
    /// `Reference.referent` edges (source node, referent node).
    pub weak_edges: Vec<(u32, u32)>,
    /// References to ids that no object in the dump has.
    pub dangling: u64,
    /// Objects whose id an earlier object already had (ignored).
    pub duplicates: u64,
    /// Instances whose field data is shorter than their class layout says.
    pub short_instances: u64,
    /// The dump had no GC roots (cut off before them), so class objects served as roots; such
    /// a root has [`NONE`] as its root-record index.
    pub classes_as_roots: bool,
}

impl Graph {
    /// Number of nodes (objects and class objects).
    #[inline]
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether the graph is empty.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// Class of node `v` ([`NONE`] if its class is not in the dump). Class objects have
    /// `java.lang.Class`.
    #[inline]
    pub fn class_of(&self, v: u32) -> ClassIdx {
        self.classes.get(v)
    }

    /// The class of every node, by node (see [`Graph::class_of`]).
    pub fn classes(&self) -> &NodeClasses {
        &self.classes
    }

    /// Number of stored (strong, explicit) edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Shallow size of node `v` in bytes.
    #[inline]
    pub fn shallow(&self, v: u32) -> u64 {
        (self.sizes.get(v, || self.classes.get(v)) as u64) << 3
    }

    /// The explicit strong references of `v` (without the implicit class edge).
    #[inline]
    pub fn refs(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The node of `v`'s class object, if `v` is not itself a class object and its class is in
    /// the dump: the implicit edge from every object to its class.
    #[inline]
    pub fn class_edge(&self, v: u32) -> Option<u32> {
        let c = self.classes.get(v);
        if c == NONE {
            return None;
        }
        let n = self.class_node[c as usize];
        (n != NONE && n != v).then_some(n)
    }

    /// Calls `f` for every strong successor of `v`: its references, then its class object.
    #[inline]
    pub fn for_each_successor(&self, v: u32, mut f: impl FnMut(u32)) {
        for &t in self.refs(v) {
            f(t);
        }
        if let Some(c) = self.class_edge(v) {
            f(c);
        }
    }

    /// If `v` is a class object, the class it stands for.
    pub fn class_object(&self, v: u32) -> Option<ClassIdx> {
        self.class_nodes
            .binary_search_by_key(&v, |&(n, _)| n)
            .ok()
            .map(|i| self.class_nodes[i].1)
    }

    /// Approximate bytes held by the graph's arrays.
    pub fn memory_bytes(&self) -> usize {
        self.memory_parts().iter().map(|&(_, b)| b).sum()
    }

    /// Bytes held by each of the graph's big arrays, by name (for `--verbose`).
    pub fn memory_parts(&self) -> [(&'static str, usize); 6] {
        [
            ("ids", self.ids.memory_bytes()),
            ("classes", self.classes.memory_bytes()),
            ("sizes", self.sizes.memory_bytes()),
            ("offsets", self.offsets.capacity() * 4),
            ("targets", self.targets.capacity() * 4),
            ("weak", self.weak_edges.capacity() * 8),
        ]
    }
}

/// Writes each piece's ids into its own slice of the id array.
struct IdCollector<'a> {
    out: &'a mut [u64],
    n: usize,
}

impl IdCollector<'_> {
    #[inline]
    fn push(&mut self, id: u64) {
        if let Some(slot) = self.out.get_mut(self.n) {
            *slot = id;
        }
        self.n += 1;
    }
}

impl HeapVisitor for IdCollector<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.push(c.id)
    }
    #[inline]
    fn instance(&mut self, o: &Instance<'_>) {
        self.push(o.id)
    }
    #[inline]
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.push(a.id)
    }
    #[inline]
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.push(a.id)
    }
}

/// What the degree and fill passes share.
struct EdgeContext<'a> {
    heap: &'a Heap,
    ids: &'a IdIndex,
    layouts: &'a [RefLayout],
    /// First offset of every id that occurs more than once.
    dup_first: &'a FxHashMap<u64, u64>,
    prim_class: [ClassIdx; 12],
    class_class: ClassIdx,
    id_size: u8,
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
struct RefPass<'a> {
    cx: &'a EdgeContext<'a>,
    class_of: &'a Scatter<'a, u32>,
    size8: &'a Scatter<'a, u32>,
    degree: &'a Scatter<'a, u32>,
    /// Nodes with at least one reference, in file order.
    nodes: Vec<u32>,
    /// Their references, concatenated.
    targets: Vec<u32>,
    weak: Vec<(u32, u32)>,
    dangling: u64,
    short: u64,
}

#[inline]
fn size8(bytes: u64) -> u32 {
    (bytes >> 3).min(u32::MAX as u64) as u32
}

impl RefPass<'_> {
    #[inline]
    fn set(&mut self, v: u32, class: u32, bytes: u64, start: usize) {
        let degree = (self.targets.len() - start) as u32;
        if degree > 0 {
            self.nodes.push(v);
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
                Some(t) => self.targets.push(t),
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
        let start = self.targets.len();
        let mut dangling = 0;
        let mut found = Vec::new();
        self.cx.class_refs(c, &mut dangling, |t| found.push(t));
        self.targets.extend_from_slice(&found);
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
        let start = self.targets.len();
        let (class, bytes) = match cx.heap.classes.index_of(o.class_id) {
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
        let start = self.targets.len();
        for id in a.element_ids(cx.id_size) {
            self.reference(id);
        }
        let class = cx.heap.classes.index_of(a.class_id).unwrap_or(NONE);
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
        let start = self.targets.len();
        self.set(v, cx.prim_class[a.elem.code() as usize], bytes, start);
    }
}

fn ref_layouts(heap: &Heap) -> Vec<RefLayout> {
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

impl Graph {
    /// A graph from an edge list, without classes: node `v` has id `8 * (v + 1)`, shallow
    /// size `sizes[v]` (a multiple of 8), and the given GC roots. For tests and tools.
    pub fn from_edges(sizes: &[u64], edges: &[(u32, u32)], roots: &[u32]) -> Graph {
        let n = sizes.len();
        let mut offsets = vec![0u32; n + 1];
        for &(s, _) in edges {
            offsets[s as usize + 1] += 1;
        }
        for i in 1..=n {
            offsets[i] += offsets[i - 1];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; edges.len()];
        for &(s, t) in edges {
            targets[fill[s as usize] as usize] = t;
            fill[s as usize] += 1;
        }
        let size8v: Vec<u32> = sizes.iter().map(|&b| size8(b)).collect();
        // No classes: the most common size is the default, the others are stored.
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for &s in &size8v {
            *counts.entry(s).or_default() += 1;
        }
        let common = counts
            .into_iter()
            .max_by_key(|&(s, c)| (c, std::cmp::Reverse(s)))
            .map_or(0, |(s, _)| s);
        Graph {
            ids: IdIndex::new((0..n as u64).map(|v| 8 * (v + 1)).collect()),
            classes: NodeClasses::new(vec![NONE; n], 0),
            sizes: ShallowSizes::new(&size8v, |_| NONE, Vec::new(), common),
            offsets,
            targets,
            class_node: Vec::new(),
            class_nodes: Vec::new(),
            roots: roots
                .iter()
                .enumerate()
                .map(|(i, &r)| (r, i as u32))
                .collect(),
            weak_edges: Vec::new(),
            dangling: 0,
            duplicates: 0,
            short_instances: 0,
            classes_as_roots: false,
        }
    }

    /// Builds the graph of an analysed heap.
    pub fn build(heap: &mut Heap, progress: &dyn Progress) -> Result<Graph, AnalyzeError> {
        let total: u64 = heap.census.piece_nodes.iter().sum();
        check_node_count(total)?;
        // Pass 1: ids (kept by the census when asked, else one pass, each piece into its own
        // slice of the array).
        let ids: Vec<Vec<u64>>;
        if heap.census.piece_ids.len() == heap.dump.pieces.len() && !heap.dump.pieces.is_empty() {
            // Handed over piece by piece: the id index frees each as it goes.
            ids = std::mem::take(&mut heap.census.piece_ids);
        } else {
            let mut all = vec![0u64; total as usize];
            let mut slices: Vec<&mut [u64]> = Vec::with_capacity(heap.census.piece_nodes.len());
            let mut rest = all.as_mut_slice();
            for &n in &heap.census.piece_nodes {
                let (a, b) = rest.split_at_mut(n as usize);
                slices.push(a);
                rest = b;
            }
            let slots: Vec<std::sync::Mutex<Option<&mut [u64]>>> = slices
                .into_iter()
                .map(|s| std::sync::Mutex::new(Some(s)))
                .collect();
            let pieces = &heap.dump.pieces;
            // Damage was already recorded by the census; walks stop at the same place.
            let _ = par_walk(&heap.dump, "ids", progress, |p| {
                let i = pieces.partition_point(|q| q.start < p.start);
                let out = slots[i]
                    .lock()
                    .ok()
                    .and_then(|mut s| s.take())
                    .unwrap_or_default();
                IdCollector { out, n: 0 }
            });
            ids = vec![all];
        }
        progress.start_count("id index", total, "objects");
        let (ids, mut dup_ids) = IdIndex::from_pieces(ids);
        dup_ids.sort_unstable();
        let duplicates = dup_ids.len() as u64;
        dup_ids.dedup();
        let dup_first = if dup_ids.is_empty() {
            FxHashMap::default()
        } else {
            first_offsets(heap, &dup_ids, progress)?
        };
        let n = ids.len();
        progress.finish();

        let layouts = ref_layouts(heap);
        let mut prim_class = [NONE; 12];
        for t in BasicType::PRIMITIVES {
            prim_class[t.code() as usize] = heap
                .classes
                .by_name(&primitive_array_name(t))
                .unwrap_or(NONE);
        }
        let class_class = heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
        let cx = EdgeContext {
            heap,
            ids: &ids,
            layouts: &layouts,
            dup_first: &dup_first,
            prim_class,
            class_class,
            id_size: heap.dump.id_size(),
        };

        // Pass 2: class, size and references of every node.
        let mut class_of = vec![NONE; n];
        let mut size8v = vec![0u32; n];
        // One spare slot: the degrees become the CSR offsets, which have n + 1 entries.
        let mut degree = Vec::with_capacity(n + 1);
        degree.resize(n, 0u32);
        let mut parts: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        let (weak_edges, dangling, short_instances) = {
            let sc = Scatter::new(&mut class_of);
            let ss = Scatter::new(&mut size8v);
            let sd = Scatter::new(&mut degree);
            let walked = par_walk(&heap.dump, "references", progress, |_| RefPass {
                cx: &cx,
                class_of: &sc,
                size8: &ss,
                degree: &sd,
                nodes: Vec::new(),
                targets: Vec::new(),
                weak: Vec::new(),
                dangling: 0,
                short: 0,
            });
            let mut weak = Vec::new();
            let (mut dangling, mut short) = (0, 0);
            for (p, _) in walked {
                weak.extend(p.weak);
                dangling += p.dangling;
                short += p.short;
                parts.push((p.nodes, p.targets));
            }
            (weak, dangling, short)
        };

        // CSR offsets from the degrees (reusing the degree array).
        check_reference_count(degree.par_iter().map(|&d| d as u64).sum())?;
        let mut offsets = degree;
        let mut acc: u64 = 0;
        for d in offsets.iter_mut() {
            let x = *d as u64;
            *d = acc as u32;
            acc += x;
        }
        offsets.push(acc as u32);

        // Copy each piece's references to their nodes' slots, on all threads.
        progress.start_count("csr", acc, "references");
        let mut targets = vec![0u32; acc as usize];
        {
            let st = Scatter::new(&mut targets);
            let offsets = &offsets;
            parts.into_par_iter().for_each(|(nodes, local)| {
                let mut k = 0usize;
                for v in nodes {
                    let (lo, hi) = (
                        offsets[v as usize] as usize,
                        offsets[v as usize + 1] as usize,
                    );
                    for (slot, &t) in (lo..hi).zip(&local[k..k + (hi - lo)]) {
                        // SAFETY: slots lo..hi belong to node v alone, and v occurs in exactly
                        // one piece's node list, once.
                        unsafe { st.write(slot, t) };
                    }
                    k += hi - lo;
                }
            });
        }
        progress.finish();

        let mut class_node = vec![NONE; heap.classes.len()];
        let mut class_nodes = Vec::with_capacity(heap.classes.len());
        for (ci, c) in heap.classes.iter().enumerate() {
            if let Some(v) = ids.get(c.id) {
                class_node[ci] = v;
                class_nodes.push((v, ci as ClassIdx));
            }
        }
        class_nodes.sort_unstable();
        let mut roots: Vec<(u32, u32)> = heap
            .census
            .roots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| ids.get(r.id).map(|v| (v, i as u32)))
            .collect();
        // HotSpot (JDK 17) writes the GC roots after all objects, so a cut-off dump has none.
        // Then every class object stands in for a root (statics keep their contents alive),
        // which salvages what static fields hold; the report says so.
        let mut classes_as_roots = false;
        if roots.is_empty() && !heap.dump.is_complete() && !class_nodes.is_empty() {
            roots = class_nodes.iter().map(|&(v, _)| (v, NONE)).collect();
            classes_as_roots = true;
        }
        // Compact class and size arrays: sizes stored only where they differ from the class's.
        progress.start_count("sizes", n as u64, "objects");
        let classes = NodeClasses::new(class_of, heap.classes.len());
        let class_defaults: Vec<u32> = (0..heap.classes.len() as ClassIdx)
            .map(|ci| size8(heap.instance_size(ci)))
            .collect();
        let sizes = ShallowSizes::new(
            &size8v,
            |v| classes.get(v),
            class_defaults,
            size8(heap.model.instance(0, 0)),
        );
        drop(size8v);
        progress.finish();
        Ok(Graph {
            ids,
            classes,
            sizes,
            offsets,
            targets,
            class_node,
            class_nodes,
            roots,
            weak_edges,
            dangling,
            duplicates,
            short_instances,
            classes_as_roots,
        })
    }
}

/// For ids that occur more than once, the offset of their first occurrence.
fn first_offsets(
    heap: &mut Heap,
    dup_ids: &[u64],
    progress: &dyn Progress,
) -> Result<FxHashMap<u64, u64>, AnalyzeError> {
    struct Finder<'a> {
        dups: &'a [u64],
        found: Vec<(u64, u64)>,
    }
    impl Finder<'_> {
        fn see(&mut self, id: u64, offset: u64) {
            if self.dups.binary_search(&id).is_ok() {
                self.found.push((id, offset));
            }
        }
    }
    impl HeapVisitor for Finder<'_> {
        fn class_dump(&mut self, c: &ClassDump<'_>) {
            self.see(c.id, c.offset)
        }
        fn instance(&mut self, o: &Instance<'_>) {
            self.see(o.id, o.offset)
        }
        fn object_array(&mut self, a: &ObjectArray<'_>) {
            self.see(a.id, a.offset)
        }
        fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
            self.see(a.id, a.offset)
        }
    }
    let parts = par_walk(&heap.dump, "duplicates", progress, |_| Finder {
        dups: dup_ids,
        found: Vec::new(),
    });
    let mut first: FxHashMap<u64, u64> = FxHashMap::default();
    for (f, _) in parts {
        for (id, off) in f.found {
            let e = first.entry(id).or_insert(off);
            *e = (*e).min(off);
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_nodes_or_references_than_u32_indices_fail_naming_the_count() {
        assert_eq!(check_node_count(0).unwrap(), 0);
        assert_eq!(check_node_count(47_331_814).unwrap(), 47_331_814);
        // 2^32 - 2 nodes: indices 0..=2^32-3, below SUPER_ROOT and NONE.
        assert_eq!(check_node_count(MAX_NODES).unwrap(), u32::MAX - 1);
        assert!(MAX_NODES - 1 < crate::graph::ids::SUPER_ROOT as u64);
        for count in [MAX_NODES + 1, 1 << 32, 5_000_000_000, u64::MAX] {
            let e = check_node_count(count).unwrap_err();
            assert!(
                matches!(e, AnalyzeError::TooLarge { what: "objects", count: c, limit } if c == count && limit == MAX_NODES),
                "{e:?}"
            );
            let msg = e.to_string();
            assert!(msg.contains(&count.to_string()), "{msg}");
            assert!(msg.contains("4294967294 hprofscan can index"), "{msg}");
        }
        assert!(check_reference_count(MAX_REFERENCES).is_ok());
        let e = check_reference_count(6_000_000_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the dump holds 6000000000 references, more than the 4294967294 hprofscan can index (its indices are 32-bit)"
        );
    }

    #[test]
    fn from_edges_keeps_every_size_and_has_no_classes() {
        let sizes = [16, 24, 16, 0, 16, 8 * u32::MAX as u64, 4096, 16];
        let g = Graph::from_edges(&sizes, &[(0, 1), (1, 2), (0, 7)], &[0]);
        assert_eq!(g.len(), sizes.len());
        for (v, &s) in sizes.iter().enumerate() {
            assert_eq!(g.shallow(v as u32), s);
            assert_eq!(g.class_of(v as u32), NONE);
            assert_eq!(g.class_edge(v as u32), None);
        }
        assert!(g.classes().iter().all(|c| c == NONE));
        assert_eq!(g.refs(0), [1, 7]);
        assert!(Graph::from_edges(&[], &[], &[]).is_empty());
    }
}
