//! Cutting heap dump bodies into pieces for parallel walking.
//!
//! HotSpot writes segments of about 1 MiB, which are already good units of work. An old-style
//! single HEAP_DUMP record (or any very large segment) is cut at sub-record boundaries found
//! by one sequential walk, which reads only what it must to know each sub-record's length.

use crate::heap::{walk_heap, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray, Root};
use crate::index::{HeapRange, RELEASE_WINDOW};

/// A piece of heap dump bytes that starts and ends on sub-record boundaries (except that the
/// last piece of a damaged range runs to the end of the range, so that walking it meets the
/// damage again and reports it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Absolute offset of the first byte.
    pub start: u64,
    /// Absolute offset just past the last byte.
    pub end: u64,
}

struct Cutter<'r> {
    target: u64,
    next_cut: u64,
    cuts: Vec<u64>,
    released_to: u64,
    release: &'r mut dyn FnMut(u64, u64),
}

impl Cutter<'_> {
    #[inline]
    fn at(&mut self, offset: u64) {
        if offset >= self.next_cut {
            self.cuts.push(offset);
            self.next_cut = offset + self.target;
            if offset - self.released_to >= RELEASE_WINDOW {
                (self.release)(self.released_to, offset);
                self.released_to = offset;
            }
        }
    }
}

impl HeapVisitor for Cutter<'_> {
    fn root(&mut self, root: Root) {
        self.at(root.offset)
    }
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.at(c.offset)
    }
    fn instance(&mut self, o: &Instance<'_>) {
        self.at(o.offset)
    }
    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.at(a.offset)
    }
    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.at(a.offset)
    }
    fn unreachable(&mut self, offset: u64, _id: u64) {
        self.at(offset)
    }
    fn heap_info(&mut self, offset: u64, _t: u32, _n: u64) {
        self.at(offset)
    }
}

/// Cuts `ranges` of `data` into pieces of about `target` bytes (ranges up to twice that size
/// are kept whole).
pub fn split_heap(data: &[u8], ranges: &[HeapRange], id_size: u8, target: u64) -> Vec<Piece> {
    split_heap_releasing(data, ranges, id_size, target, &mut |_, _| {})
}

/// [`split_heap`] that hands the byte ranges its walk has passed to `release(start, end)`, as
/// [`crate::index::DumpIndex::scan_releasing`] does.
pub fn split_heap_releasing(
    data: &[u8],
    ranges: &[HeapRange],
    id_size: u8,
    target: u64,
    release: &mut dyn FnMut(u64, u64),
) -> Vec<Piece> {
    let target = target.max(1);
    let mut pieces = Vec::new();
    for r in ranges {
        let end = r.end.min(data.len() as u64);
        if r.start >= end {
            continue;
        }
        if end - r.start <= target.saturating_mul(2) {
            pieces.push(Piece {
                start: r.start,
                end,
            });
            continue;
        }
        let mut cutter = Cutter {
            target,
            next_cut: r.start + target,
            cuts: Vec::new(),
            released_to: r.start,
            release: &mut *release,
        };
        // A damaged range is still cut up to the damage; the last piece then runs to the end.
        let _ = walk_heap(
            &data[r.start as usize..end as usize],
            r.start,
            id_size,
            &mut cutter,
        );
        let Cutter {
            cuts, released_to, ..
        } = cutter;
        release(released_to, end);
        let mut start = r.start;
        for cut in cuts {
            if cut > start {
                pieces.push(Piece { start, end: cut });
                start = cut;
            }
        }
        pieces.push(Piece { start, end });
    }
    pieces
}
