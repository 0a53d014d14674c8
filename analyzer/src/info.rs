//! `hprofscan info`: what the file is and what it holds.

use std::collections::BTreeMap;

use hprof_parser::{RecordTag, RootKind};
use serde::Serialize;

use crate::dump::DumpMeta;
use crate::heap::Heap;
use crate::histogram::{class_rows, Totals};
use crate::size::SizeModel;

/// `hprofscan/info/1`.
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
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// Builds the info report.
pub fn info(heap: &Heap) -> Info {
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
    Info {
        schema: "hprofscan/info/1",
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
        warnings: heap.warnings(),
    }
}
