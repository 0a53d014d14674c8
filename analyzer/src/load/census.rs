//! The first pass over the heap: class dumps, GC roots, counts per class and per array type,
//! and samples of the distance between neighbouring objects (to infer the JVM's object
//! layout). Needs no per-object memory.

use hprof_parser::heap::FieldDecl;
use hprof_parser::{
    BasicType, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray, Root, RootKind,
};
use rustc_hash::FxHashMap;

use super::marks::{self, IdMark};
use crate::base::progress::Progress;
use crate::load::class_cache::CountCache;
use crate::load::dump::Dump;
use crate::load::pass::{note_piece_damage, par_walk};
use crate::AnalyzeError;

/// A class dump, copied out of the dump's bytes.
#[derive(Clone, Debug)]
pub struct ClassRecord {
    /// Offset of the CLASS_DUMP sub-record.
    pub offset: u64,
    /// Class object id.
    pub id: u64,
    /// Super class id (0 for none).
    pub super_id: u64,
    /// Class loader id (0 for the boot loader).
    pub loader_id: u64,
    /// Signers id.
    pub signers_id: u64,
    /// Protection domain id.
    pub protection_domain_id: u64,
    /// The instance size the class dump declares: HotSpot writes the bytes of the fields in
    /// the dump, ART and Dalvik the object's size in the heap (see `crate::report::art_sizes`).
    pub instance_size: u32,
    /// This class's own instance fields.
    pub fields: Vec<FieldDecl>,
    /// Static fields: name id, type, raw value (ids and primitives widened to u64).
    pub statics: Vec<(u64, BasicType, u64)>,
    /// Object ids referenced from the constant pool.
    pub constant_refs: Vec<u64>,
}

/// A GC root as found in the dump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RootRecord {
    /// The kind.
    pub kind: RootKind,
    /// The rooted object's id.
    pub id: u64,
    /// Thread serial, where the kind has one.
    pub thread_serial: Option<u32>,
    /// Frame number (or stack trace serial for thread objects).
    pub frame: Option<u32>,
}

/// Sums over arrays that let shallow sizes be computed once the layout is known, without
/// keeping per-array data: `align8(base + len * elem)` for every base the layouts use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArraySums {
    /// Number of arrays.
    pub count: u64,
    /// Total elements.
    pub elements: u64,
    /// Σ align8(len × e) for element size e (the primitive size, or 4 for references).
    pub aligned: u64,
    /// Σ align8(4 + len × e) (for array headers of 12 bytes).
    pub aligned_plus4: u64,
    /// Σ len × 8 (references of 8 bytes; always aligned).
    pub wide: u64,
    /// Largest array, in elements.
    pub max_len: u64,
}

#[inline]
fn align8(x: u64) -> u64 {
    (x + 7) & !7
}

impl ArraySums {
    #[inline]
    fn add(&mut self, len: u64, elem: u64) {
        self.count += 1;
        self.elements += len;
        self.aligned += align8(len * elem);
        self.aligned_plus4 += align8(4 + len * elem);
        self.wide += len * 8;
        self.max_len = self.max_len.max(len);
    }

    /// Takes one array of `len` elements of `elem` bytes back out (a dropped duplicate).
    /// `max_len` stays an upper bound.
    pub(crate) fn remove(&mut self, len: u64, elem: u64) {
        self.count = self.count.saturating_sub(1);
        self.elements = self.elements.saturating_sub(len);
        self.aligned = self.aligned.saturating_sub(align8(len * elem));
        self.aligned_plus4 = self.aligned_plus4.saturating_sub(align8(4 + len * elem));
        self.wide = self.wide.saturating_sub(len * 8);
    }

    fn merge(&mut self, o: &ArraySums) {
        self.count += o.count;
        self.elements += o.elements;
        self.aligned += o.aligned;
        self.aligned_plus4 += o.aligned_plus4;
        self.wide += o.wide;
        self.max_len = self.max_len.max(o.max_len);
    }
}

/// What preceded an object in the dump, for layout inference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neighbour {
    /// An instance of the class with this id.
    Instance(u64),
    /// An object array of this length.
    ObjectArray(u64),
    /// A primitive array of this element type and length.
    PrimitiveArray(BasicType, u64),
}

/// Distance in the address space from an object to the next object in the dump.
pub type GapSample = (Neighbour, u64);

/// Android's heap kinds (HEAP_DUMP_INFO heap types): the default heap (before any
/// HEAP_DUMP_INFO, and after each segment start in ART dumps).
pub const HEAP_DEFAULT: u32 = 0;
/// Android: the application heap.
pub const HEAP_APP: u32 = 0x41;
/// Android: the boot image heap (objects mapped from the boot image, shared by every app).
pub const HEAP_IMAGE: u32 = 0x49;
/// Android: the JIT code cache heap.
pub const HEAP_JIT: u32 = 0x4A;
/// Android: the zygote heap (objects preloaded by the zygote, shared by every app).
pub const HEAP_ZYGOTE: u32 = 0x5A;

/// The name Android's tools give a heap kind (`app`, `image`, `zygote`, `jit`, `default`).
pub fn heap_name(kind: u32) -> String {
    match kind {
        HEAP_DEFAULT => "default".into(),
        HEAP_APP => "app".into(),
        HEAP_IMAGE => "image".into(),
        HEAP_JIT => "jit".into(),
        HEAP_ZYGOTE => "zygote".into(),
        k => format!("heap 0x{k:x}"),
    }
}

/// Whether objects of an Android heap kind are counted by default: image and zygote objects
/// are shared by every app on the device, so Android's tools leave them out.
pub fn counted_by_default(kind: u32) -> bool {
    kind != HEAP_IMAGE && kind != HEAP_ZYGOTE
}

/// Objects of the heaps that are not counted (image and zygote, by default), kept apart so
/// that the reports can say what they hold.
#[derive(Default)]
pub struct OtherHeaps {
    /// Instances per class id.
    pub instances: FxHashMap<u64, u64>,
    /// Object arrays per array class id.
    pub object_arrays: FxHashMap<u64, ArraySums>,
    /// Primitive arrays per element type (indexed by type code).
    pub primitive_arrays: [ArraySums; 12],
}

const SAMPLES_PER_PIECE: usize = 256;
const MAX_GAP: u64 = 4096;

/// The census of one piece, merged into the whole heap's.
#[derive(Default)]
pub struct Census {
    /// Class dumps.
    pub classes: Vec<ClassRecord>,
    /// GC roots in file order.
    pub roots: Vec<RootRecord>,
    /// Instances per class id.
    pub instances: FxHashMap<u64, u64>,
    /// Object arrays per array class id.
    pub object_arrays: FxHashMap<u64, ArraySums>,
    /// Primitive arrays per element type (indexed by type code).
    pub primitive_arrays: [ArraySums; 12],
    /// Objects listed as unreachable (Android).
    pub unreachable: u64,
    /// Neighbour distances for layout inference.
    pub gaps: Vec<GapSample>,
    /// Objects (instances and arrays) per Android heap kind, in order of first appearance;
    /// a HotSpot dump has only [`HEAP_DEFAULT`].
    pub heap_objects: Vec<(u32, u64)>,
    /// Objects of the heaps not counted in `instances`, `object_arrays` and
    /// `primitive_arrays` (Android image and zygote heaps, unless all heaps are counted).
    pub other_heaps: OtherHeaps,
    /// The heap kind the next objects belong to.
    heap: u32,
    /// Whether objects of `heap` are counted.
    counted: bool,
    /// Count every heap (`--include-heaps`).
    all_heaps: bool,
    /// Objects and class dumps in each heap piece, in piece order (graph nodes per piece).
    pub piece_nodes: Vec<u64>,
    /// Smallest and largest object id in each heap piece (`(u64::MAX, 0)` for none), so that
    /// an object can be looked for in the few pieces whose range holds its id.
    pub piece_id_ranges: Vec<(u64, u64)>,
    /// The heap pieces' stretches of 1024 objects in file order (see [`IdMark`]),
    /// piece after piece: piece `i`'s are `marks[mark_starts[i]..mark_starts[i + 1]]`
    /// ([`Census::piece_marks`]).
    pub marks: Vec<IdMark>,
    /// Where each piece's marks start in `marks`, and their end (one more than the pieces).
    pub mark_starts: Vec<u32>,
    /// Ids of each piece's objects in file order, when collected for the graph.
    pub piece_ids: Vec<Vec<u64>>,
    /// Later copies of repeated object ids, dropped from the counts (the first copy wins).
    pub duplicates_dropped: u64,
    /// Per heap piece, what proves its objects (class dumps aside) repeat no id without a
    /// second pass: see [`PieceIdOrder`].
    pub piece_id_order: Vec<PieceIdOrder>,
    order: PieceIdOrder,
    /// The LOAD_CLASS class ids, sorted (shared by the pieces).
    load_class_ids: std::sync::Arc<Vec<u64>>,
    class_cursor: usize,
    nodes: u64,
    /// Objects (class dumps aside) in the piece so far.
    objects: u64,
    ids: Vec<u64>,
    collect_ids: bool,
    min_id: u64,
    max_id: u64,
    last: Option<(Neighbour, u64)>,
    /// Neighbour pairs seen and the sampling stride (see [`Census::neighbour`]).
    gap_pairs: u64,
    gap_stride: u64,
    /// Counts of `instances` not added yet (see [`Census::merge`]).
    pending: CountCache,
}

impl Census {
    fn new(collect_ids: bool, heap: u32, all_heaps: bool) -> Census {
        Census {
            collect_ids,
            min_id: u64::MAX,
            gap_stride: 1,
            heap,
            counted: all_heaps || counted_by_default(heap),
            all_heaps,
            ..Census::default()
        }
    }

    /// Counts one object of the current heap kind.
    #[inline]
    fn heap_object(&mut self) {
        match self.heap_objects.last_mut() {
            Some((k, n)) if *k == self.heap => *n += 1,
            _ => match self.heap_objects.iter_mut().find(|(k, _)| *k == self.heap) {
                Some((_, n)) => *n += 1,
                None => self.heap_objects.push((self.heap, 1)),
            },
        }
    }

    #[inline]
    fn node(&mut self, id: u64) {
        self.nodes += 1;
        self.min_id = self.min_id.min(id);
        self.max_id = self.max_id.max(id);
        if self.collect_ids {
            self.ids.push(id);
        }
    }

    /// An instance or array: tracks the order of the piece's object ids.
    #[inline]
    fn object(&mut self, id: u64, offset: u64) {
        marks::note(&mut self.marks, self.objects, id, offset);
        self.objects += 1;
        self.node(id);
        let o = &mut self.order;
        if !o.increasing {
            return;
        }
        if o.min != u64::MAX && id <= o.max {
            o.increasing = false;
            return;
        }
        let ids = &self.load_class_ids;
        if o.min == u64::MAX {
            // The piece's first object: start the cursor there, not at the first class.
            self.class_cursor = ids.partition_point(|&c| c < id);
        }
        o.min = o.min.min(id);
        o.max = id;
        while self.class_cursor < ids.len() && ids[self.class_cursor] < id {
            self.class_cursor += 1;
        }
        if ids.get(self.class_cursor) == Some(&id) {
            o.hits_class_id = true;
        }
    }

    /// Samples the distance to the previous object, spread over the whole piece: every
    /// `gap_stride`-th pair is kept, and when `2 × SAMPLES_PER_PIECE` are kept every other one
    /// is dropped and the stride doubles. Only the first pairs of a piece (JDK start-up objects,
    /// whose sizes most layouts agree on) would leave a small JDK 11 dump's layout a tie.
    #[inline]
    fn neighbour(&mut self, n: Neighbour, id: u64) {
        if let Some((prev, prev_id)) = self.last {
            self.gap_pairs += 1;
            if self.gap_pairs.is_multiple_of(self.gap_stride) {
                let gap = id.wrapping_sub(prev_id);
                if gap > 0 && gap <= MAX_GAP {
                    self.gaps.push((prev, gap));
                    if self.gaps.len() >= 2 * SAMPLES_PER_PIECE {
                        let mut i = 0u32;
                        self.gaps.retain(|_| {
                            i += 1;
                            i.is_multiple_of(2)
                        });
                        self.gap_stride *= 2;
                    }
                }
            }
        }
        self.last = Some((n, id));
    }

    /// Total instances.
    pub fn instance_count(&self) -> u64 {
        self.instances.values().sum()
    }

    /// Total object arrays.
    pub fn object_array_count(&self) -> u64 {
        self.object_arrays.values().map(|s| s.count).sum()
    }

    /// Total primitive arrays.
    pub fn primitive_array_count(&self) -> u64 {
        self.primitive_arrays.iter().map(|s| s.count).sum()
    }

    fn merge(&mut self, mut o: Census) {
        o.pending.flush(&mut o.instances);
        self.classes.append(&mut o.classes);
        self.roots.append(&mut o.roots);
        for (k, v) in o.instances {
            *self.instances.entry(k).or_default() += v;
        }
        for (k, v) in o.object_arrays {
            self.object_arrays.entry(k).or_default().merge(&v);
        }
        for (a, b) in self
            .primitive_arrays
            .iter_mut()
            .zip(o.primitive_arrays.iter())
        {
            a.merge(b);
        }
        self.unreachable += o.unreachable;
        self.gaps.append(&mut o.gaps);
        for (k, n) in o.heap_objects {
            match self.heap_objects.iter_mut().find(|(h, _)| *h == k) {
                Some((_, m)) => *m += n,
                None => self.heap_objects.push((k, n)),
            }
        }
        for (k, v) in o.other_heaps.instances {
            *self.other_heaps.instances.entry(k).or_default() += v;
        }
        for (k, v) in o.other_heaps.object_arrays {
            self.other_heaps
                .object_arrays
                .entry(k)
                .or_default()
                .merge(&v);
        }
        for (a, b) in self
            .other_heaps
            .primitive_arrays
            .iter_mut()
            .zip(o.other_heaps.primitive_arrays.iter())
        {
            a.merge(b);
        }
    }
}

/// How the object ids of one heap piece (instances and arrays; class dumps are checked apart)
/// are ordered. HotSpot writes a heap region in address order, so a piece's ids usually
/// increase; then the piece repeats none, pieces with disjoint ranges share none, and an
/// object whose id is a class's is found by one cursor over the sorted LOAD_CLASS ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PieceIdOrder {
    /// Smallest object id (`u64::MAX` for none).
    pub min: u64,
    /// Largest object id.
    pub max: u64,
    /// Whether the ids strictly increase in file order.
    pub increasing: bool,
    /// Whether an object has the id of a LOAD_CLASS class.
    pub hits_class_id: bool,
}

impl Default for PieceIdOrder {
    fn default() -> Self {
        PieceIdOrder {
            min: u64::MAX,
            max: 0,
            increasing: true,
            hits_class_id: false,
        }
    }
}

/// A big-endian value of 1 to 8 bytes, widened to u64.
fn widen(v: &[u8]) -> u64 {
    v.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64)
}

impl HeapVisitor for Census {
    fn root(&mut self, r: Root) {
        self.roots.push(RootRecord {
            kind: r.kind,
            id: r.id,
            thread_serial: r.thread_serial,
            frame: r.frame,
        });
    }

    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.node(c.id);
        self.classes.push(ClassRecord {
            offset: c.offset,
            id: c.id,
            super_id: c.super_id,
            loader_id: c.loader_id,
            signers_id: c.signers_id,
            protection_domain_id: c.protection_domain_id,
            instance_size: c.instance_size,
            fields: c.fields.fields().collect(),
            statics: c
                .statics
                .statics()
                .map(|s| (s.name_id, s.ty, widen(s.value)))
                .collect(),
            constant_refs: c
                .constants
                .constants()
                .filter(|k| k.ty == BasicType::Object)
                .map(|k| widen(k.value))
                .filter(|&id| id != 0)
                .collect(),
        });
    }

    #[inline]
    fn instance(&mut self, o: &Instance<'_>) {
        self.object(o.id, o.offset);
        self.heap_object();
        if self.counted {
            self.pending.add(o.class_id, &mut self.instances);
        } else {
            *self.other_heaps.instances.entry(o.class_id).or_default() += 1;
        }
        self.neighbour(Neighbour::Instance(o.class_id), o.id);
    }

    #[inline]
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.object(a.id, a.offset);
        self.heap_object();
        let map = if self.counted {
            &mut self.object_arrays
        } else {
            &mut self.other_heaps.object_arrays
        };
        map.entry(a.class_id).or_default().add(a.len as u64, 4);
        self.neighbour(Neighbour::ObjectArray(a.len as u64), a.id);
    }

    #[inline]
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.object(a.id, a.offset);
        self.heap_object();
        let e = a.elem.size_in_dump(8) as u64;
        let sums = if self.counted {
            &mut self.primitive_arrays
        } else {
            &mut self.other_heaps.primitive_arrays
        };
        sums[a.elem.code() as usize].add(a.len as u64, e);
        self.neighbour(Neighbour::PrimitiveArray(a.elem, a.len as u64), a.id);
    }

    fn unreachable(&mut self, _offset: u64, _id: u64) {
        self.unreachable += 1;
    }

    fn heap_info(&mut self, _offset: u64, heap_type: u32, _name_id: u64) {
        self.heap = heap_type;
        self.counted = self.all_heaps || counted_by_default(heap_type);
    }
}

/// Finds the Android heap kind in force at the start of each piece: [`HEAP_DEFAULT`] at the
/// start of each heap dump record (ART and Dalvik start every segment in the default heap),
/// else the last HEAP_DUMP_INFO of the pieces before it. One extra pass, run only for
/// Android (`JAVA PROFILE 1.0.3`) dumps.
pub fn piece_heaps(dump: &Dump, progress: &dyn Progress) -> Vec<u32> {
    /// The last heap kind announced in a piece.
    #[derive(Default)]
    struct LastHeap(Option<u32>);
    impl HeapVisitor for LastHeap {
        fn heap_info(&mut self, _offset: u64, heap_type: u32, _name_id: u64) {
            self.0 = Some(heap_type);
        }
    }
    let parts = par_walk(dump, "heap kinds", progress, |_| LastHeap::default());
    let starts: Vec<u64> = dump.index.heap_ranges.iter().map(|r| r.start).collect();
    let mut out = Vec::with_capacity(parts.len());
    let mut cur = HEAP_DEFAULT;
    for (p, (last, _)) in dump.pieces.iter().zip(parts) {
        if starts.binary_search(&p.start).is_ok() {
            cur = HEAP_DEFAULT;
        }
        out.push(cur);
        if let Some(k) = last.0 {
            cur = k;
        }
    }
    out
}

/// The most objects the object graph indexes (its `u32` node indices less two markers; the
/// graph's `MAX_NODES`).
pub(crate) const GRAPH_MAX_NODES: u64 = u32::MAX as u64 - 1;

/// The most objects `heap_bytes` of heap records can hold: the smallest record is an empty
/// primitive array (tag, id, serial, length, element type).
pub fn max_objects(heap_bytes: u64, id_size: u8) -> u64 {
    heap_bytes / (10 + id_size as u64)
}

/// Runs the census over the whole heap; with `collect_ids` it also keeps every object's id
/// (per piece), which the object graph needs, except when the heap passes `--max-memory` (the
/// graph build then collects them into a temp file) or may hold more objects than the graph
/// can index (the graph build then fails on the count the census finds, before allocating
/// anything per object, and the census does not grow 8 bytes per object first).
pub fn take_census(
    dump: &mut Dump,
    collect_ids: bool,
    progress: &dyn Progress,
) -> Result<Census, AnalyzeError> {
    let heap_bytes: u64 = dump.pieces.iter().map(|p| p.end - p.start).sum();
    // Under a --max-memory that the heap passes (an in-memory analysis needs about as many
    // bytes as the heap records hold), the graph build collects the ids itself, into a temp
    // file, rather than the census into memory (8 bytes per object).
    let spill = dump.arrays.limit().is_some_and(|l| heap_bytes > l);
    let collect_ids =
        collect_ids && !spill && max_objects(heap_bytes, dump.id_size()) <= GRAPH_MAX_NODES;
    if dump.index.header.version == hprof_parser::Version::V1_0_3 && dump.piece_heaps.is_empty() {
        dump.piece_heaps = piece_heaps(dump, &crate::NoProgress);
    }
    let mut load_class_ids: Vec<u64> = dump.index.load_classes.iter().map(|l| l.class_id).collect();
    load_class_ids.sort_unstable();
    load_class_ids.dedup();
    let load_class_ids = std::sync::Arc::new(load_class_ids);
    let all_heaps = dump.all_heaps;
    let heaps = &dump.piece_heaps;
    let pieces = &dump.pieces;
    let mut parts = par_walk(dump, "census", progress, |p| {
        let heap = pieces
            .binary_search_by_key(&p.start, |q| q.start)
            .ok()
            .and_then(|i| heaps.get(i).copied())
            .unwrap_or(HEAP_DEFAULT);
        Census {
            load_class_ids: load_class_ids.clone(),
            ..Census::new(collect_ids, heap, all_heaps)
        }
    });
    note_piece_damage(dump, &mut parts)?;
    let mut all = Census::default();
    let mut piece_marks: Vec<Vec<IdMark>> = Vec::with_capacity(parts.len());
    for (mut c, _) in parts {
        all.piece_nodes.push(c.nodes);
        all.piece_id_ranges.push((c.min_id, c.max_id));
        let usable = c.order.increasing && c.classes.is_empty();
        piece_marks.push(marks::kept(std::mem::take(&mut c.marks), usable));
        all.piece_id_order.push(c.order);
        all.piece_ids.push(std::mem::take(&mut c.ids));
        all.merge(c);
    }
    if !collect_ids {
        all.piece_ids.clear();
    }
    (all.marks, all.mark_starts) = marks::flatten(piece_marks);
    all.last = None;
    Ok(all)
}
