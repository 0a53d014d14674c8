//! `hprofscan info`: what the file is and what it holds.

use std::collections::BTreeMap;

use hprof_parser::{RecordTag, RootKind};
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::load::dump::DumpMeta;
use crate::load::heap::Heap;
use crate::load::producer::{producer, Producer};
use crate::load::size::SizeModel;
use crate::report::histogram::{class_rows, Totals};
use crate::report::offheap::OffHeapTotals;

/// One heap snapshot of the file.
#[derive(Clone, Debug, Serialize)]
pub struct SnapshotInfo {
    /// 1-based number (`--snapshot N`, `FILE#N`).
    pub number: usize,
    /// Absolute offset of its first heap dump record.
    pub offset: u64,
    /// Bytes from there to the end of its last heap dump record.
    pub bytes: u64,
    /// Heap dump records (HEAP_DUMP or HEAP_DUMP_SEGMENT) in it.
    pub segments: u64,
    /// Objects in it (instances, arrays and class dumps).
    pub objects: u64,
    /// Whether this is the snapshot the report analysed.
    pub analysed: bool,
}

/// Objects of one Android heap kind.
#[derive(Clone, Debug, Serialize)]
pub struct HeapKindInfo {
    /// `app`, `image`, `zygote`, `jit`, or `default` (objects before any HEAP_DUMP_INFO).
    pub heap: String,
    /// Instances and arrays in it.
    pub objects: u64,
    /// Whether they are counted in the totals and the histogram.
    pub counted: bool,
}

/// `hprofscan/info/3` (3 adds `mapping`, `art_sizes`, `bitmaps` and `off_heap`).
#[derive(Clone, Debug, Serialize)]
pub struct Info {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Number of top-level records by kind (kinds that occur).
    pub records: BTreeMap<String, u64>,
    /// HEAP_DUMP and HEAP_DUMP_SEGMENT records.
    pub heap_dump_segments: u64,
    /// Bytes inside them.
    pub heap_dump_bytes: u64,
    /// Whether HEAP_DUMP_END closed the segments.
    pub heap_dump_end: bool,
    /// Object, class and root totals.
    pub totals: Totals,
    /// GC root records by kind (kinds that occur).
    pub gc_roots_by_kind: BTreeMap<String, u64>,
    /// Objects the dump lists as unreachable (Android).
    pub unreachable_listed: u64,
    /// The layout used for shallow sizes.
    pub size_model: SizeModel,
    /// How the layout was chosen, with the evidence of every candidate.
    pub layout: crate::load::size::LayoutEvidence,
    /// What wrote the dump and the id and pointer sizes assumed.
    pub producer: Producer,
    /// The heap snapshots of the file (usually one); counts above are of the analysed one.
    pub snapshots: Vec<SnapshotInfo>,
    /// Objects per Android heap kind (one `default` entry for other dumps).
    pub heaps: Vec<HeapKindInfo>,
    /// What the `--mapping` file renamed; null without one.
    pub mapping: Option<crate::load::mapping::MappingApplied>,
    /// Android: the instance sizes computed from ART's layout against the ones the dump
    /// declares; null for other dumps.
    pub art_sizes: Option<crate::report::art_sizes::ArtSizeCheck>,
    /// `android.graphics.Bitmap` pixel memory; null when the dump has no Bitmap class.
    pub bitmaps: Option<crate::report::bitmaps::BitmapSummary>,
    /// Heap reachable vs native memory referenced from the heap (direct and mapped buffers):
    /// "heap or non-heap?" answered from the dump.
    pub off_heap: OffHeapTotals,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// Builds the info report of an analysed heap: what the file holds, with the reachable heap
/// and the native memory its buffers reference ([`crate::report::offheap`]).
pub fn info(a: &Analysis) -> Info {
    let mut r = info_of_heap(&a.heap);
    r.off_heap = crate::report::offheap::off_heap(a).totals;
    r.warnings = a.warnings();
    r
}

/// The info report from the census alone: `off_heap` stays zero (no object graph).
pub fn info_of_heap(heap: &Heap) -> Info {
    let idx = &heap.dump.index;
    let records = RecordTag::ALL
        .iter()
        .filter(|t| idx.record_counts[t.0 as usize] > 0)
        .map(|t| (t.to_string(), idx.record_counts[t.0 as usize]))
        .collect();
    let mut by_kind = [0u64; RootKind::ALL.len()];
    for r in &heap.census.roots {
        let i = RootKind::ALL.iter().position(|&k| k == r.kind).unwrap_or(0);
        by_kind[i] += 1;
    }
    let gc_roots_by_kind = RootKind::ALL
        .iter()
        .zip(by_kind)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.key().to_string(), n))
        .collect();
    let (_, totals) = class_rows(heap);
    let heaps = heap
        .census
        .heap_objects
        .iter()
        .map(|&(k, n)| HeapKindInfo {
            heap: crate::load::census::heap_name(k),
            objects: n,
            counted: heap.dump.all_heaps || crate::load::census::counted_by_default(k),
        })
        .collect();
    Info {
        schema: "hprofscan/info/3",
        dump: heap.dump.meta(),
        records,
        heap_dump_segments: idx.record_counts[RecordTag::HEAP_DUMP_SEGMENT.0 as usize]
            + idx.record_counts[RecordTag::HEAP_DUMP.0 as usize],
        heap_dump_bytes: idx.heap_bytes(),
        heap_dump_end: idx.heap_dump_end,
        totals,
        gc_roots_by_kind,
        unreachable_listed: heap.census.unreachable,
        size_model: heap.model,
        layout: heap.layout.clone(),
        producer: producer(heap),
        snapshots: snapshots(heap),
        heaps,
        mapping: heap.classes.mapping().cloned(),
        art_sizes: crate::report::art_sizes::check(heap),
        bitmaps: crate::report::bitmaps::bitmaps(heap),
        off_heap: OffHeapTotals::default(),
        warnings: heap.warnings(),
    }
}

/// Objects per snapshot: the analysed one from the census, the others counted by a walk of
/// their records (only when the file has several).
fn snapshots(heap: &Heap) -> Vec<SnapshotInfo> {
    /// Counts object sub-records.
    #[derive(Default)]
    struct Count(u64);
    impl hprof_parser::HeapVisitor for Count {
        fn class_dump(&mut self, _c: &hprof_parser::ClassDump<'_>) {
            self.0 += 1;
        }
        fn instance(&mut self, _o: &hprof_parser::Instance<'_>) {
            self.0 += 1;
        }
        fn object_array(&mut self, _a: &hprof_parser::ObjectArray<'_>) {
            self.0 += 1;
        }
        fn primitive_array(&mut self, _a: &hprof_parser::PrimitiveArray<'_>) {
            self.0 += 1;
        }
    }
    let dump = &heap.dump;
    let idx = &dump.index;
    let data = dump.data();
    let id_size = dump.id_size();
    idx.snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let objects = if i == dump.snapshot {
                heap.census.piece_nodes.iter().sum()
            } else {
                let mut c = Count::default();
                for r in idx.snapshot_ranges(i) {
                    let bytes = &data[r.start as usize..r.end as usize];
                    // Damage there is not this snapshot's concern: count what precedes it.
                    let _ = hprof_parser::walk_heap(bytes, r.start, id_size, &mut c);
                }
                c.0
            };
            SnapshotInfo {
                number: i + 1,
                offset: s.start,
                bytes: s.end - s.start,
                segments: s.ranges as u64,
                objects,
                analysed: i == dump.snapshot,
            }
        })
        .collect()
}
