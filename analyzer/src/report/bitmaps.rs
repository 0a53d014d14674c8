//! Android `android.graphics.Bitmap` pixel memory, where the dump shows it.
//!
//! - Android 3.0 to 7.1 keep a bitmap's pixels in a `byte[]` in the Java heap, the bitmap's
//!   `mBuffer`: those bytes are in the dump and already part of the heap's shallow bytes; they
//!   are summed here to say how much of the heap is pixels.
//! - Android 8.0 and later (and 2.x) keep the pixels in native memory: the bitmap holds a
//!   native pointer (`mNativePtr`, `mNativeBitmap` before 8.0) and its `mWidth` and `mHeight`.
//!   The pixel format is native too, so the native bytes are estimated as width × height × 4
//!   (`ARGB_8888`, the default format; `RGB_565` takes half of that, `RGBA_F16` twice).
//! - A recycled bitmap (`mRecycled`), or one with neither buffer nor pointer, holds no pixels.
//!
//! Bitmaps are counted in the heaps the totals count (the app heap; every heap with
//! `--include-heaps`); a bitmap id that repeats counts once. The `Bitmap$DumpData` copies
//! that `am dumpheap -b` adds are not read.

use hprof_parser::{BasicType, HeapVisitor, Instance, PrimitiveArray};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::load::census::counted_by_default;
use crate::load::heap::Heap;
use crate::load::pass::par_walk;
use crate::NoProgress;

/// The class whose instances (and its subclasses') are bitmaps.
pub const BITMAP_CLASS: &str = "android.graphics.Bitmap";

/// Bytes per pixel of the native estimate (`ARGB_8888`).
const BYTES_PER_PIXEL: u64 = 4;

/// Bitmaps and their pixel memory.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct BitmapSummary {
    /// Bitmaps (instances of `android.graphics.Bitmap` and its subclasses) counted.
    pub bitmaps: u64,
    /// Bitmaps whose pixels are a `byte[]` in the heap (`mBuffer`).
    pub in_heap: u64,
    /// Bytes of those arrays' data (part of the heap's shallow bytes already).
    pub in_heap_bytes: u64,
    /// Bitmaps whose pixels are native memory (a native pointer, no `mBuffer`).
    pub native: u64,
    /// Their native pixel bytes, estimated as width × height × 4.
    pub native_estimated_bytes: u64,
    /// Recycled bitmaps, or ones with neither buffer nor pointer: no pixels.
    pub without_pixels: u64,
}

/// Where the fields of one bitmap class sit in its instances' field data.
#[derive(Clone, Copy, Debug, Default)]
struct Offsets {
    width: Option<usize>,
    height: Option<usize>,
    buffer: Option<usize>,
    native: Option<usize>,
    recycled: Option<usize>,
}

/// What one bitmap instance holds.
#[derive(Clone, Copy, Debug)]
struct Seen {
    id: u64,
    offset: u64,
    width: i64,
    height: i64,
    buffer: u64,
    native: u64,
    recycled: bool,
}

/// Field offsets of every bitmap class, by class id (a few classes: never keyed per object).
fn bitmap_classes(heap: &Heap) -> FxHashMap<u64, Offsets> {
    let classes = &heap.classes;
    let Some(root) = classes.by_name(BITMAP_CLASS) else {
        return FxHashMap::default();
    };
    let is_bitmap = classes.inherited(|ci| (ci == root).then_some(true));
    let id_size = heap.dump.id_size();
    let mut out = FxHashMap::default();
    for (ci, c) in classes.iter().enumerate() {
        if is_bitmap[ci].is_none() {
            continue;
        }
        let mut o = Offsets::default();
        let mut off = 0usize;
        for f in &c.layout {
            let name = classes.field_name(&heap.dump, f.name_id);
            let slot = match (name.as_str(), f.ty) {
                ("mWidth", BasicType::Int) => &mut o.width,
                ("mHeight", BasicType::Int) => &mut o.height,
                ("mBuffer", BasicType::Object) => &mut o.buffer,
                ("mNativePtr" | "mNativeBitmap", BasicType::Long) => &mut o.native,
                ("mRecycled", BasicType::Boolean) => &mut o.recycled,
                _ => {
                    off += f.ty.size_in_dump(id_size) as usize;
                    continue;
                }
            };
            slot.get_or_insert(off);
            off += f.ty.size_in_dump(id_size) as usize;
        }
        out.insert(c.id, o);
    }
    out
}

/// A big-endian integer of `n` bytes at `off`, if the field data holds it.
fn read(fields: &[u8], off: Option<usize>, n: usize) -> Option<u64> {
    let off = off?;
    let b = fields.get(off..off.checked_add(n)?)?;
    Some(b.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64))
}

/// Collects the bitmaps of one piece, following the Android heap kind.
struct Finder<'a> {
    classes: &'a FxHashMap<u64, Offsets>,
    id_size: u8,
    counted: bool,
    all_heaps: bool,
    seen: Vec<Seen>,
}

impl HeapVisitor for Finder<'_> {
    fn instance(&mut self, o: &Instance<'_>) {
        let Some(off) = self.classes.get(&o.class_id) else {
            return;
        };
        if !self.counted {
            return;
        }
        let ids = self.id_size as usize;
        let int = |at| read(o.fields, at, 4).map_or(0, |v| v as u32 as i32 as i64);
        self.seen.push(Seen {
            id: o.id,
            offset: o.offset,
            width: int(off.width),
            height: int(off.height),
            buffer: read(o.fields, off.buffer, ids).unwrap_or(0),
            native: read(o.fields, off.native, 8).unwrap_or(0),
            recycled: read(o.fields, off.recycled, 1).is_some_and(|v| v != 0),
        });
    }

    fn heap_info(&mut self, _offset: u64, heap_type: u32, _name_id: u64) {
        self.counted = self.all_heaps || counted_by_default(heap_type);
    }
}

/// Finds the lengths of the `byte[]` whose ids are in `wanted` (sorted).
struct Buffers<'a> {
    wanted: &'a [u64],
    found: Vec<(u64, u64, u64)>,
}

impl HeapVisitor for Buffers<'_> {
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        if a.elem == BasicType::Byte && self.wanted.binary_search(&a.id).is_ok() {
            self.found.push((a.id, a.offset, a.len as u64));
        }
    }
}

/// The bitmaps of the dump and their pixel memory; `None` when it has no
/// `android.graphics.Bitmap` class.
pub fn bitmaps(heap: &Heap) -> Option<BitmapSummary> {
    let classes = bitmap_classes(heap);
    if classes.is_empty() {
        return None;
    }
    let dump = &heap.dump;
    let heaps = &dump.piece_heaps;
    let parts = par_walk(dump, "bitmaps", &NoProgress, |p| {
        let kind = dump
            .pieces
            .binary_search_by_key(&p.start, |q| q.start)
            .ok()
            .and_then(|i| heaps.get(i).copied())
            .unwrap_or(crate::load::census::HEAP_DEFAULT);
        Finder {
            classes: &classes,
            id_size: dump.id_size(),
            counted: dump.all_heaps || counted_by_default(kind),
            all_heaps: dump.all_heaps,
            seen: Vec::new(),
        }
    });
    let mut seen: Vec<Seen> = parts.into_iter().flat_map(|(f, _)| f.seen).collect();
    // The first copy of a repeated id counts, as everywhere.
    seen.sort_by_key(|s| (s.id, s.offset));
    seen.dedup_by_key(|s| s.id);
    let mut wanted: Vec<u64> = seen.iter().map(|s| s.buffer).filter(|&b| b != 0).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut lengths: Vec<(u64, u64, u64)> = Vec::new();
    if !wanted.is_empty() {
        let parts = par_walk(dump, "bitmap buffers", &NoProgress, |_| Buffers {
            wanted: &wanted,
            found: Vec::new(),
        });
        lengths = parts.into_iter().flat_map(|(b, _)| b.found).collect();
        lengths.sort_unstable();
        lengths.dedup_by_key(|l| l.0);
    }
    Some(summarize(&seen, &lengths))
}

/// Sorts the bitmaps into in-heap, native and without pixels. `lengths`: (id, offset, length)
/// of the buffers, sorted by id.
fn summarize(seen: &[Seen], lengths: &[(u64, u64, u64)]) -> BitmapSummary {
    let mut s = BitmapSummary {
        bitmaps: seen.len() as u64,
        ..Default::default()
    };
    for b in seen {
        let buffer = (b.buffer != 0)
            .then(|| lengths.binary_search_by_key(&b.buffer, |l| l.0).ok())
            .flatten()
            .map(|i| lengths[i].2);
        if b.recycled {
            s.without_pixels += 1;
        } else if let Some(len) = buffer {
            s.in_heap += 1;
            s.in_heap_bytes += len;
        } else if b.native != 0 {
            s.native += 1;
            let pixels = (b.width.max(0) as u64).saturating_mul(b.height.max(0) as u64);
            s.native_estimated_bytes = s
                .native_estimated_bytes
                .saturating_add(pixels.saturating_mul(BYTES_PER_PIXEL));
        } else {
            s.without_pixels += 1;
        }
    }
    s
}
