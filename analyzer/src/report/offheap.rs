//! Native memory referenced from the heap: what `java.nio` direct and memory-mapped buffers
//! hold outside the Java heap, grouped by the application field that holds them.
//!
//! - **Direct** buffers (`ByteBuffer.allocateDirect`): a `java.nio.DirectByteBuffer` (or its
//!   read-only `DirectByteBufferR`) with no `fd`; its `capacity` bytes are native memory the
//!   buffer's `Cleaner` frees.
//! - **Mapped** buffers (`FileChannel.map`): the same classes with an `fd`: file-backed pages.
//! - **Views** (`slice()`, `duplicate()`, `asReadOnlyBuffer()`, `asIntBuffer()`...) have an
//!   `att` field naming the buffer whose memory they share: they are counted apart and their
//!   capacity is never added, so each allocation counts once.
//!
//! - A direct buffer with neither a `Cleaner` nor an `fd` wraps memory Java does not own
//!   (JNI `NewDirectByteBuffer`): counted as `foreign`, its capacity not added.
//!
//! Only strongly reachable buffers count: an unreachable one is freed by the next GC.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::query::find::{instances_of, views};
use crate::query::holders::{find_holders, Holder};

/// Levels searched backwards for a buffer's holder.
const HOLDER_LEVELS: usize = 32;

/// What kind of native memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffHeapKind {
    /// `ByteBuffer.allocateDirect`: native memory.
    Direct,
    /// `FileChannel.map`: file-backed memory.
    Mapped,
}

/// Buffers of one kind held by one field.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OffHeapGroup {
    /// The application field that holds them; null when none does.
    pub holder: Option<Holder>,
    /// Direct or mapped.
    pub kind: OffHeapKind,
    /// Buffers (views not counted).
    pub buffers: u64,
    /// Their capacities in bytes.
    pub bytes: u64,
}

/// Heap and native memory: the answer to "heap or non-heap?".
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct OffHeapTotals {
    /// Strongly reachable bytes of the Java heap.
    pub heap_reachable_bytes: u64,
    /// Direct buffers (views not counted).
    pub direct_buffers: u64,
    /// Their native memory in bytes.
    pub direct_bytes: u64,
    /// Memory-mapped buffers (views not counted).
    pub mapped_buffers: u64,
    /// Their file-backed memory in bytes.
    pub mapped_bytes: u64,
    /// Views and slices of other buffers (no memory of their own).
    pub views: u64,
    /// Direct buffers with neither a `Cleaner` nor a file: wrappers of memory Java does not
    /// own (JNI `NewDirectByteBuffer`), not counted.
    pub foreign: u64,
}

/// Native memory referenced from the heap.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct OffHeap {
    /// Totals.
    pub totals: OffHeapTotals,
    /// By holder and kind, most bytes first.
    pub groups: Vec<OffHeapGroup>,
}

/// One buffer that owns its memory.
struct Owner {
    node: u32,
    kind: OffHeapKind,
    capacity: u64,
}

/// The strongly reachable buffers that own their memory, in node order, and the totals.
fn owners(a: &Analysis) -> (Vec<Owner>, OffHeapTotals) {
    let classes = &a.heap.classes;
    let mapped_sub = crate::query::find::subclass_table(a, &["java.nio.MappedByteBuffer"]);
    let wanted: Vec<bool> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // Views such as `DirectIntBufferU` too; not nested helpers (`$Deallocator`).
            mapped_sub[i].is_some()
                || (c.name.starts_with("java.nio.Direct") && !c.name.contains('$'))
        })
        .collect();
    let nodes: Vec<u32> = instances_of(a, &wanted)
        .into_iter()
        .filter(|&v| a.dom.is_reachable(v))
        .collect();
    let vs = views(a, &nodes);
    let mut totals = OffHeapTotals {
        heap_reachable_bytes: a.dom.reachable_bytes,
        ..Default::default()
    };
    let mut owners = Vec::new();
    for &v in &nodes {
        let Some(view) = vs.get(&v) else {
            continue;
        };
        if view.reference("att").is_some() {
            totals.views += 1;
            continue;
        }
        let capacity = view.int("capacity").unwrap_or(0).max(0) as u64;
        let kind = if view.reference("fd").is_some() {
            totals.mapped_buffers += 1;
            totals.mapped_bytes += capacity;
            OffHeapKind::Mapped
        } else if view.reference("cleaner").is_none() {
            totals.foreign += 1;
            continue;
        } else {
            totals.direct_buffers += 1;
            totals.direct_bytes += capacity;
            OffHeapKind::Direct
        };
        owners.push(Owner {
            node: v,
            kind,
            capacity,
        });
    }
    (owners, totals)
}

/// The off-heap memory of an analysed heap.
pub fn off_heap(a: &Analysis) -> OffHeap {
    let (owners, totals) = owners(a);
    let targets: Vec<u32> = owners.iter().map(|o| o.node).collect();
    let holdings = find_holders(a, &targets, HOLDER_LEVELS);
    let mut groups: Vec<OffHeapGroup> = Vec::new();
    for (o, h) in owners.iter().zip(holdings) {
        let holder = h.map(|h| h.holder);
        match groups
            .iter_mut()
            .find(|g| g.kind == o.kind && g.holder == holder)
        {
            Some(g) => {
                g.buffers += 1;
                g.bytes += o.capacity;
            }
            None => groups.push(OffHeapGroup {
                holder,
                kind: o.kind,
                buffers: 1,
                bytes: o.capacity,
            }),
        }
    }
    groups.sort_by(|x, y| y.bytes.cmp(&x.bytes).then(y.buffers.cmp(&x.buffers)));
    OffHeap { totals, groups }
}

/// Native memory each object keeps alive: the capacities of the direct buffers in its
/// dominator subtree (mapped buffers are file-backed and not counted). Only objects that
/// dominate at least one direct buffer are present.
///
/// With them, the totals of [`off_heap`] (one read of the buffers for both).
pub(crate) fn native_retained_and_totals(a: &Analysis) -> (FxHashMap<u32, u64>, OffHeapTotals) {
    let (owners, totals) = owners(a);
    let mut out: FxHashMap<u32, u64> = FxHashMap::default();
    for o in owners.iter().filter(|o| o.kind == OffHeapKind::Direct) {
        let mut v = o.node;
        // The dominator chain is finite; the bound keeps a damaged tree from looping.
        for _ in 0..a.graph.len().min(1 << 16) {
            *out.entry(v).or_insert(0) += o.capacity;
            match a.dom.idom[v as usize] {
                crate::graph::ids::NONE | crate::dom::dominators::SUPER_ROOT => break,
                d => v = d,
            }
        }
    }
    (out, totals)
}
