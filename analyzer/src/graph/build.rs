//! Building the object graph from the heap: ids (pass 1, or the census's), then the class,
//! size and references of every node (pass 2, `RefPass`), then the CSR arrays, the class
//! nodes, the GC roots and the compact class and size arrays.

use hprof_parser::{ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::base::arrays::{estimate_bytes, Arrays};
use crate::base::progress::Progress;
use crate::base::shared::Scatter;
use crate::base::store::Store;
use crate::graph::idindex::IdIndex;
use crate::graph::ids::NONE;
use crate::graph::node_classes::NodeClasses;
use crate::graph::object_graph::{check_node_count, check_reference_count, Graph};
use crate::graph::ranked::RankedBits;
use crate::graph::shallow_sizes::{size8, ShallowSizes};
use crate::load::classes::ClassIdx;
use crate::load::heap::Heap;
use crate::load::pass::par_walk;
use crate::AnalyzeError;

use crate::graph::edges::{estimate_references, ref_layouts, EdgeContext, RefPass};
use crate::graph::spill::{List, Side, Spill};

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

impl Graph {
    /// Builds the graph of an analysed heap: ids (pass 1), the class, size and references of
    /// every node (pass 2), the CSR arrays, the class nodes and GC roots, and the compact class
    /// and size arrays.
    pub fn build(heap: &mut Heap, progress: &dyn Progress) -> Result<Graph, AnalyzeError> {
        let total: u64 = heap.census.piece_nodes.iter().sum();
        check_node_count(total)?;
        let layouts = ref_layouts(heap);
        let (arrays, references) = plan_arrays(heap, total, &layouts, progress);
        let ids = collect_ids(heap, total, &arrays, progress)?;
        progress.start_count("id index", total, "objects");
        let (ids, mut dup_ids) = IdIndex::from_pieces(ids, progress);
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

        let heap: &Heap = heap;
        let cx = EdgeContext::new(heap, &ids, &layouts, &dup_first);
        let refs = reference_pass(&cx, n, (&arrays, references), progress)?;
        // Classes and sizes are narrowed (u32 -> u16 and mostly implicit) before the CSR
        // targets are allocated: 7.2 bytes per node fewer at the graph's peak.
        let (classes, sizes, spare) = compact(heap, refs.class_of, refs.size8, &arrays, progress)?;
        let (linked, offsets, targets) = csr(refs.degree, (refs.parts, spare), &arrays, progress)?;
        let (class_node, class_nodes) = class_nodes(heap, &ids);
        let (roots, classes_as_roots) = roots(heap, &ids, &class_nodes);
        arrays.release();
        Ok(Graph {
            arrays,
            ids,
            classes,
            sizes,
            linked,
            offsets,
            targets,
            class_node,
            class_nodes,
            roots,
            weak_edges: refs.weak_edges,
            dangling: refs.dangling,
            duplicates,
            short_instances: refs.short_instances,
            classes_as_roots,
        })
    }
}

/// Decides where the big arrays go: the estimated resident bytes of an in-memory analysis of
/// `objects` objects and the references the census implies, against `--max-memory`. Returns
/// the plan and the references' upper bound.
fn plan_arrays(
    heap: &Heap,
    objects: u64,
    layouts: &[crate::graph::edges::RefLayout],
    progress: &dyn Progress,
) -> (Arrays, u64) {
    let arrays = heap.dump.arrays.clone();
    let references = estimate_references(heap, layouts);
    let estimate = estimate_bytes(objects, references);
    if let Some(limit) = arrays.limit() {
        let disk = arrays.plan(estimate);
        progress.detail(&format!(
            "memory plan: {objects} objects, at most {references} references, about {} MiB in memory; --max-memory {} MiB: {}",
            estimate >> 20,
            limit >> 20,
            if disk {
                "big arrays in memory-mapped temp files"
            } else {
                "in memory"
            }
        ));
    }
    (arrays, references)
}

/// Pass 1: the ids of every piece (kept by the census when asked, else one pass, each piece
/// into its own slice of the array, in a temp file when the arrays are).
fn collect_ids(
    heap: &mut Heap,
    total: u64,
    arrays: &Arrays,
    progress: &dyn Progress,
) -> Result<Vec<Store<u64>>, AnalyzeError> {
    if heap.census.piece_ids.len() == heap.dump.pieces.len() && !heap.dump.pieces.is_empty() {
        // Handed over piece by piece: the id index frees each as it goes.
        let pieces = std::mem::take(&mut heap.census.piece_ids);
        return Ok(pieces.into_iter().map(Store::from_vec).collect());
    }
    let mut all = arrays.try_filled(total as usize, 0u64)?;
    let mut slices: Vec<&mut [u64]> = Vec::with_capacity(heap.census.piece_nodes.len());
    let mut rest = &mut all[..];
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
    Ok(vec![all])
}

/// What pass 2 found: per node its class, size and out-degree, and per piece its nodes with
/// references and their targets.
struct References {
    class_of: Store<u32>,
    size8: Store<u32>,
    degree: Store<u32>,
    parts: Parts,
    weak_edges: Vec<(u32, u32)>,
    dangling: u64,
    short_instances: u64,
}

/// Each piece's lists (nodes with references, their targets), and the two shared arrays in
/// files that hold the blocks the pieces moved there (empty when in memory).
struct Parts {
    lists: Vec<(List, List)>,
    nodes: Store<u32>,
    targets: Store<u32>,
}

/// Pass 2: class, size and references of every node.
fn reference_pass(
    cx: &EdgeContext<'_>,
    n: usize,
    (arrays, references): (&Arrays, u64),
    progress: &dyn Progress,
) -> Result<References, AnalyzeError> {
    let mut class_of = arrays.try_filled(n, NONE)?;
    let mut size8v = arrays.try_filled(n, 0u32)?;
    // One spare slot: the degrees become the CSR offsets, which have up to n + 1 entries.
    let mut degree = arrays.try_with_capacity(n, n + 1, 0u32)?;
    // With the arrays in files, the pieces' lists go there too, as they grow.
    let on_disk = arrays.on_disk();
    let mut parts = Parts {
        lists: Vec::new(),
        nodes: arrays.try_filled(if on_disk { n } else { 0 }, 0u32)?,
        targets: arrays.try_filled(if on_disk { references as usize } else { 0 }, 0u32)?,
    };
    let (weak_edges, dangling, short_instances) = {
        let sc = Scatter::new(&mut class_of);
        let ss = Scatter::new(&mut size8v);
        let sd = Scatter::new(&mut degree);
        let spill = Spill {
            nodes: Side::new(&mut parts.nodes),
            targets: Side::new(&mut parts.targets),
        };
        let walked = par_walk(&cx.heap.dump, "references", progress, |_| RefPass {
            cx,
            class_of: &sc,
            size8: &ss,
            degree: &sd,
            spill: on_disk.then_some(&spill),
            nodes: List::default(),
            targets: List::default(),
            weak: Vec::new(),
            dangling: 0,
            short: 0,
            classes: Default::default(),
        });
        let mut weak = Vec::new();
        let mut lists = Vec::with_capacity(walked.len());
        let (mut dangling, mut short) = (0, 0);
        for (p, _) in walked {
            weak.extend(p.weak);
            dangling += p.dangling;
            short += p.short;
            lists.push((p.nodes, p.targets));
        }
        parts.lists = lists;
        (weak, dangling, short)
    };
    Ok(References {
        class_of,
        size8: size8v,
        degree,
        parts,
        weak_edges,
        dangling,
        short_instances,
    })
}

/// The CSR arrays: dense offsets from the degrees (reusing the degree array), each piece's
/// references copied to their nodes' slots on all threads (the targets reuse `spare`, a
/// per-node array no longer needed, whose pages are resident already: fresh ones are slow to
/// fault in), then the offsets kept only for the nodes with references (found by the rank of
/// the returned bitmap).
fn csr(
    degree: Store<u32>,
    (parts, spare): (Parts, Store<u32>),
    arrays: &Arrays,
    progress: &dyn Progress,
) -> Result<(RankedBits, Store<u32>, Store<u32>), AnalyzeError> {
    check_reference_count(degree.par_iter().map(|&d| d as u64).sum())?;
    let mut offsets = degree;
    let mut acc: u64 = 0;
    for d in offsets.iter_mut() {
        let x = *d as u64;
        *d = acc as u32;
        acc += x;
    }
    offsets
        .push(acc as u32)
        .map_err(|e| temp_error(arrays, e))?;

    progress.start_count("csr", acc, "references");
    // Every slot is written below (the degrees sum to acc), so the spare's old values go.
    let mut targets = spare;
    targets
        .resize_exact(acc as usize, 0)
        .map_err(|e| temp_error(arrays, e))?;
    {
        let st = Scatter::new(&mut targets);
        let offsets = &offsets;
        let Parts {
            lists,
            nodes: shared_nodes,
            targets: shared_targets,
        } = parts;
        let (shared_nodes, shared_targets) = (&shared_nodes[..], &shared_targets[..]);
        // Each piece's lists are freed as soon as they are copied.
        lists.into_par_iter().for_each(|(nodes, local)| {
            let mut done = 0u64;
            let mut local = local.iter(shared_targets);
            for v in nodes.iter(shared_nodes) {
                let (lo, hi) = (
                    offsets[v as usize] as usize,
                    offsets[v as usize + 1] as usize,
                );
                for (slot, t) in (lo..hi).zip(&mut local) {
                    // SAFETY: slots lo..hi belong to node v alone, and v occurs in exactly
                    // one piece's node list, once.
                    unsafe { st.write(slot, t) };
                }
                done += (hi - lo) as u64;
            }
            progress.advance(done);
        });
    }
    let linked = RankedBits::par_from_fn(offsets.len() - 1, |v| offsets[v] < offsets[v + 1]);
    let offsets = linked_offsets(offsets);
    progress.finish();
    Ok((linked, offsets, targets))
}

/// The offsets of the nodes with references (a start below the next node's), in node order,
/// with the end: written over the dense offsets (each lands at or before its node's place),
/// which are then shortened to them.
fn linked_offsets(mut offsets: Store<u32>) -> Store<u32> {
    let n = offsets.len() - 1;
    let mut k = 0usize;
    for v in 0..n {
        let (lo, hi) = (offsets[v], offsets[v + 1]);
        if lo < hi {
            offsets[k] = lo;
            k += 1;
        }
    }
    offsets[k] = offsets[n];
    offsets.truncate(k + 1);
    offsets.shrink_to_fit();
    offsets
}

/// The node of each class's class object (by class index), and the (node, class) pairs in
/// node order.
fn class_nodes(heap: &Heap, ids: &IdIndex) -> (Vec<u32>, Vec<(u32, ClassIdx)>) {
    let mut class_node = vec![NONE; heap.classes.len()];
    let mut class_nodes = Vec::with_capacity(heap.classes.len());
    for (ci, c) in heap.classes.iter().enumerate() {
        if let Some(v) = ids.get(c.id) {
            class_node[ci] = v;
            class_nodes.push((v, ci as ClassIdx));
        }
    }
    class_nodes.sort_unstable();
    (class_node, class_nodes)
}

/// The GC roots as (node, root record), and whether the class objects stand in for them.
fn roots(heap: &Heap, ids: &IdIndex, class_nodes: &[(u32, ClassIdx)]) -> (Vec<(u32, u32)>, bool) {
    let roots: Vec<(u32, u32)> = heap
        .census
        .roots
        .iter()
        .enumerate()
        .filter_map(|(i, r)| ids.get(r.id).map(|v| (v, i as u32)))
        .collect();
    // HotSpot (JDK 17) writes the GC roots after all objects, so a cut-off dump has none.
    // Then every class object stands in for a root (statics keep their contents alive),
    // which salvages what static fields hold; the report says so.
    if roots.is_empty() && !heap.dump.is_complete() && !class_nodes.is_empty() {
        return (class_nodes.iter().map(|&(v, _)| (v, NONE)).collect(), true);
    }
    (roots, false)
}

/// Compact class and size arrays: sizes stored only where they differ from the class's. The
/// per-node size array is handed back as a spare buffer.
fn compact(
    heap: &Heap,
    class_of: Store<u32>,
    size8v: Store<u32>,
    arrays: &Arrays,
    progress: &dyn Progress,
) -> Result<(NodeClasses, ShallowSizes, Store<u32>), AnalyzeError> {
    progress.start_count("sizes", size8v.len() as u64, "objects");
    // The wide class array is kept for the DFS's per-node array (`Arrays::refilled`):
    // rewriting resident pages is much cheaper than faulting in fresh ones.
    let (classes, wide) = NodeClasses::new_keeping(class_of, heap.classes.len(), arrays)?;
    if let Some(wide) = wide {
        arrays.keep_spare(wide);
    }
    let class_defaults: Vec<u32> = (0..heap.classes.len() as ClassIdx)
        .map(|ci| size8(heap.instance_size(ci)))
        .collect();
    let sizes = ShallowSizes::new(
        &size8v,
        |v| classes.get(v),
        class_defaults,
        size8(heap.model.instance(0, 0)),
    );
    progress.finish();
    Ok((classes, sizes, size8v))
}

/// The error of a temp file that could not grow.
fn temp_error(arrays: &Arrays, e: std::io::Error) -> AnalyzeError {
    AnalyzeError::TempFile {
        dir: arrays.dir(),
        source: e,
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
