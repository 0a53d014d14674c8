//! The shallow-size model: how many bytes an object takes in a HotSpot heap.
//!
//! HPROF records field values, not the JVM's layout: references are written with the
//! identifier size (8 on a 64-bit JVM) even when the JVM stores them in 4 bytes (compressed
//! oops), and object headers are not written at all. The model follows HotSpot:
//!
//! | JVM | object header | reference | array header |
//! |---|---|---|---|
//! | 64-bit, compressed oops and class pointers (heaps under 32 GB, the default) | 12 | 4 | 16 |
//! | 64-bit, compressed class pointers only (`-XX:-UseCompressedOops`, heaps of 32 GB+) | 12 | 8 | 16 |
//! | 64-bit, neither | 16 | 8 | 24 |
//! | 32-bit (identifier size 4) | 8 | 4 | 12 |
//!
//! An instance takes `align8(header + primitive field bytes + references × reference size)`,
//! an array `align8(array header + length × element size)`, and a class object the size of a
//! `java.lang.Class` instance plus its static fields, aligned to 8.
//!
//! Which 64-bit layout a dump comes from is inferred: objects allocated one after another sit
//! next to each other in the heap, so the distance between the addresses (ids) of neighbours
//! in the dump is often exactly the first one's size. Each layout predicts those distances;
//! the one that predicts the most wins (ties go to the default layout).

use serde::Serialize;

use crate::census::{GapSample, Neighbour};
use crate::classes::ClassTable;

/// Object layout parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SizeModel {
    /// Bytes of an object header.
    pub object_header: u32,
    /// Bytes of a reference field or array slot.
    pub reference: u32,
    /// Bytes of an array header (including the length).
    pub array_header: u32,
    /// Whether references are compressed (4 bytes on a 64-bit JVM).
    pub compressed_oops: bool,
    /// Whether class pointers are compressed (12-byte headers on a 64-bit JVM).
    pub compressed_class_pointers: bool,
    /// How many neighbour distances the chosen layout predicted, of how many sampled.
    pub evidence: [u64; 2],
}

#[inline]
fn align8(x: u64) -> u64 {
    (x + 7) & !7
}

impl SizeModel {
    /// 64-bit with compressed oops and class pointers (the default below 32 GB of heap).
    pub const COMPRESSED: SizeModel = SizeModel {
        object_header: 12,
        reference: 4,
        array_header: 16,
        compressed_oops: true,
        compressed_class_pointers: true,
        evidence: [0, 0],
    };
    /// 64-bit with compressed class pointers only.
    pub const WIDE_OOPS: SizeModel = SizeModel {
        object_header: 12,
        reference: 8,
        array_header: 16,
        compressed_oops: false,
        compressed_class_pointers: true,
        evidence: [0, 0],
    };
    /// 64-bit with nothing compressed.
    pub const UNCOMPRESSED: SizeModel = SizeModel {
        object_header: 16,
        reference: 8,
        array_header: 24,
        compressed_oops: false,
        compressed_class_pointers: false,
        evidence: [0, 0],
    };
    /// 32-bit JVM.
    pub const BITS32: SizeModel = SizeModel {
        object_header: 8,
        reference: 4,
        array_header: 12,
        compressed_oops: false,
        compressed_class_pointers: false,
        evidence: [0, 0],
    };

    /// Size of an instance with these primitive field bytes and reference fields.
    #[inline]
    pub fn instance(&self, primitive_bytes: u32, references: u32) -> u64 {
        align8(
            self.object_header as u64
                + primitive_bytes as u64
                + references as u64 * self.reference as u64,
        )
    }

    /// Size of an array of `len` elements of `elem` bytes each (pass 0 for references).
    #[inline]
    pub fn array(&self, len: u64, elem: u64) -> u64 {
        let elem = if elem == 0 {
            self.reference as u64
        } else {
            elem
        };
        align8(self.array_header as u64 + len * elem)
    }

    /// Total size of many arrays from their [`crate::census::ArraySums`].
    pub fn arrays(&self, s: &crate::census::ArraySums, is_reference: bool) -> u64 {
        let h = self.array_header as u64;
        if is_reference && self.reference == 8 {
            return s.count * h + s.wide;
        }
        if h.is_multiple_of(8) {
            s.count * h + s.aligned
        } else {
            // h = 12: align8(12 + x) = 8 + align8(4 + x)
            s.count * (h - 4) + s.aligned_plus4
        }
    }

    /// Infers the layout from neighbour distances.
    pub fn infer(id_size: u8, gaps: &[GapSample], classes: &ClassTable) -> SizeModel {
        if id_size == 4 {
            return SizeModel::BITS32;
        }
        let candidates = [
            SizeModel::COMPRESSED,
            SizeModel::WIDE_OOPS,
            SizeModel::UNCOMPRESSED,
        ];
        let mut hits = [0u64; 3];
        for &(n, gap) in gaps {
            for (m, hit) in candidates.iter().zip(hits.iter_mut()) {
                let predicted = match n {
                    Neighbour::Instance(cid) => match classes.index_of(cid) {
                        Some(ci) => {
                            let c = classes.get(ci);
                            m.instance(c.primitive_bytes, c.reference_fields())
                        }
                        None => continue,
                    },
                    Neighbour::ObjectArray(len) => m.array(len, 0),
                    Neighbour::PrimitiveArray(t, len) => m.array(len, t.size_in_dump(8) as u64),
                };
                if predicted == gap {
                    *hit += 1;
                }
            }
        }
        let mut best = 0;
        for i in 1..3 {
            if hits[i] > hits[best] {
                best = i;
            }
        }
        SizeModel {
            evidence: [hits[best], gaps.len() as u64],
            ..candidates[best]
        }
    }
}
