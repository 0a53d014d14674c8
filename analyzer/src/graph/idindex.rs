//! Maps object ids (addresses) to dense indices without a hash map.
//!
//! The ids are sorted once; an object's index is its rank among them. Object ids are aligned
//! addresses, mostly packed into a few heap regions, so when the address range is not much
//! larger than the number of objects a bitmap over `(id - min) >> granularity` with a rank
//! per 64-bit word answers in O(1) with two memory reads. Otherwise (very sparse ids) a table
//! of bucket starts narrows a binary search over the sorted ids to a few entries.

use crate::base::progress::{NoProgress, Progress};
use rayon::prelude::*;

use crate::graph::ranked::{BitsBuilder, RankedBits};

/// Id-to-index map over a sorted, duplicate-free id array. In bitmap form the id array itself
/// is dropped: the bitmap encodes it, and [`IdIndex::id`] selects from the bitmap.
pub struct IdIndex {
    /// The sorted ids (empty in bitmap form).
    ids: Vec<u64>,
    len: usize,
    lookup: Lookup,
}

enum Lookup {
    Empty,
    Bitmap {
        min: u64,
        shift: u32,
        /// Bit `(id - min) >> shift` is set for every id; an id's index is its rank.
        bits: RankedBits,
    },
    Buckets {
        min: u64,
        shift: u32,
        starts: Vec<u32>,
    },
}

/// Bitmap bytes allowed per object before the bucket table is used instead.
const BITMAP_BYTES_PER_OBJECT: u64 = 8;

/// Bits a bitmap over the ids `min..=max` at `1 << shift` granularity needs. Saturates: ids 0
/// and 2^64-1 span all of `u64` (plus one), which must read as "far too sparse for a bitmap",
/// never wrap to an empty bitmap.
fn bitmap_span(min: u64, max: u64, shift: u32) -> u64 {
    ((max - min) >> shift).saturating_add(1)
}

impl IdIndex {
    /// Builds the index from ids in any order, and returns the ids that occur more than once
    /// (once per extra occurrence). When the ids are dense enough for the bitmap, no sort is
    /// needed at all: each id sets its bit, and the ranks follow.
    pub fn from_unsorted(ids: Vec<u64>) -> (IdIndex, Vec<u64>) {
        IdIndex::from_pieces(vec![ids], &NoProgress)
    }

    /// [`IdIndex::from_unsorted`] over the concatenation of `pieces`, without making it: in
    /// bitmap form each piece is freed as soon as its ids are in the bitmap, so the ids never
    /// exist twice. `progress` advances by each piece's ids once they are in the index.
    pub fn from_pieces<P: AsRef<[u64]> + Send + Sync>(
        pieces: Vec<P>,
        progress: &dyn Progress,
    ) -> (IdIndex, Vec<u64>) {
        let n: u64 = pieces.iter().map(|p| p.as_ref().len() as u64).sum();
        if n == 0 {
            return (IdIndex::new(Vec::new()), Vec::new());
        }
        let all = || {
            pieces
                .par_iter()
                .flat_map_iter(|p| p.as_ref().iter().copied())
        };
        let (min, max) = all()
            .fold(|| (u64::MAX, 0u64), |(lo, hi), id| (lo.min(id), hi.max(id)))
            .reduce(|| (u64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)));
        let or = all().map(|id| id - min).reduce(|| 0, |a, b| a | b);
        let shift = if or == 0 {
            0
        } else {
            or.trailing_zeros().min(6)
        };
        let span = bitmap_span(min, max, shift);
        if span / 8 > n.saturating_mul(BITMAP_BYTES_PER_OBJECT) {
            // Sparse ids: sort, keep one of each.
            let mut ids = Vec::with_capacity(n as usize);
            for p in pieces {
                ids.extend_from_slice(p.as_ref());
                progress.advance(p.as_ref().len() as u64);
            }
            ids.par_sort();
            let mut dups = Vec::new();
            ids.dedup_by(|a, b| {
                let same = a == b;
                if same {
                    dups.push(*a);
                }
                same
            });
            return (IdIndex::new(ids), dups);
        }
        let mut bits = BitsBuilder::new(span);
        // On all threads; each piece is freed once its ids are in the bitmap.
        let dups: Vec<u64> = bits
            .par_set_runs(pieces, |p, set| {
                for &id in p.as_ref() {
                    set((id - min) >> shift);
                }
                progress.advance(p.as_ref().len() as u64);
            })
            .into_iter()
            .flatten()
            .map(|pos| min + (pos << shift))
            .collect();
        let bits = bits.finish();
        let index = IdIndex {
            ids: Vec::new(),
            len: bits.count_ones() as usize,
            lookup: Lookup::Bitmap { min, shift, bits },
        };
        (index, dups)
    }

    /// Builds the index. `ids` must be sorted and free of duplicates.
    pub fn new(ids: Vec<u64>) -> IdIndex {
        debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let len = ids.len();
        let Some((&min, &max)) = ids.first().zip(ids.last()) else {
            return IdIndex {
                ids,
                len,
                lookup: Lookup::Empty,
            };
        };
        // Common alignment of all ids relative to min (8 for HotSpot).
        let or = ids.iter().fold(0u64, |acc, &id| acc | (id - min));
        let shift = if or == 0 {
            0
        } else {
            or.trailing_zeros().min(6)
        };
        let span = bitmap_span(min, max, shift);
        let n = ids.len() as u64;
        let lookup = if span / 8 <= n.saturating_mul(BITMAP_BYTES_PER_OBJECT) {
            let mut bits = BitsBuilder::new(span);
            for &id in &ids {
                bits.set((id - min) >> shift);
            }
            let bits: RankedBits = bits.finish();
            let lookup = Lookup::Bitmap { min, shift, bits };
            return IdIndex {
                ids: Vec::new(),
                len,
                lookup,
            };
        } else {
            let nb = (n / 2).next_power_of_two().max(1);
            let range = max - min;
            let mut bshift = 0u32;
            while bshift < 63 && (range >> bshift) >= nb {
                bshift += 1;
            }
            let buckets = ((range >> bshift) + 2) as usize;
            let mut starts = vec![0u32; buckets + 1];
            for &id in &ids {
                starts[((id - min) >> bshift) as usize + 1] += 1;
            }
            for i in 1..starts.len() {
                starts[i] += starts[i - 1];
            }
            Lookup::Buckets {
                min,
                shift: bshift,
                starts,
            }
        };
        IdIndex { ids, len, lookup }
    }

    /// The index of `id`, if an object has it.
    #[inline]
    pub fn get(&self, id: u64) -> Option<u32> {
        match &self.lookup {
            Lookup::Empty => None,
            Lookup::Bitmap { min, shift, bits } => {
                let d = id.wrapping_sub(*min);
                if d & ((1u64 << shift) - 1) != 0 {
                    return None;
                }
                bits.rank_if_set(d >> shift)
            }
            Lookup::Buckets { min, shift, starts } => {
                if id < *min {
                    return None;
                }
                let b = ((id - min) >> shift) as usize;
                if b + 1 >= starts.len() {
                    return None;
                }
                let (lo, hi) = (starts[b] as usize, starts[b + 1] as usize);
                self.ids[lo..hi]
                    .binary_search(&id)
                    .ok()
                    .map(|i| (lo + i) as u32)
            }
        }
    }

    /// The id of the object at `idx` (which must be below [`IdIndex::len`]).
    pub fn id(&self, idx: u32) -> u64 {
        match &self.lookup {
            Lookup::Bitmap { min, shift, bits } => min + (bits.select(idx) << shift),
            _ => self.ids[idx as usize],
        }
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes used by the index (ids and lookup structure).
    pub fn memory_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + match &self.lookup {
                Lookup::Empty => 0,
                Lookup::Bitmap { bits, .. } => bits.memory_bytes(),
                Lookup::Buckets { starts, .. } => starts.capacity() * 4,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(ids: Vec<u64>) {
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        let idx = IdIndex::new(ids.clone());
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(idx.get(id), Some(i as u32), "id {id:#x}");
            assert_eq!(idx.id(i as u32), id);
        }
        for &id in ids.iter().take(200) {
            for probe in [id.wrapping_add(1), id.wrapping_sub(1), id.wrapping_add(4)] {
                assert_eq!(
                    idx.get(probe),
                    ids.binary_search(&probe).ok().map(|i| i as u32)
                );
            }
        }
        assert_eq!(idx.get(0), ids.binary_search(&0).ok().map(|i| i as u32));
        assert_eq!(
            idx.get(u64::MAX),
            ids.binary_search(&u64::MAX).ok().map(|i| i as u32)
        );
    }

    #[test]
    fn dense_aligned_ids_use_the_bitmap() {
        let ids: Vec<u64> = (0..10_000u64).map(|i| 0x7_0000_0000 + i * 24).collect();
        let idx = IdIndex::new(ids.clone());
        assert!(matches!(idx.lookup, Lookup::Bitmap { .. }));
        check(ids);
    }

    #[test]
    fn sparse_ids_use_buckets() {
        let ids: Vec<u64> = (0..5_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) & !7)
            .collect();
        let mut s = ids.clone();
        s.sort_unstable();
        s.dedup();
        let idx = IdIndex::new(s);
        assert!(matches!(idx.lookup, Lookup::Buckets { .. }));
        check(ids);
    }

    #[test]
    fn empty_and_single() {
        let idx = IdIndex::new(vec![]);
        assert_eq!(idx.get(8), None);
        check(vec![42]);
        check(vec![u64::MAX - 7, 0]);
    }

    #[test]
    fn pieces_set_on_all_threads_report_each_extra_occurrence() {
        let base = 0x7_0000_0000u64;
        // Piece 1 repeats its own id (in the same word) and piece 2 repeats one of piece 0's
        // (three occurrences in all: two extra), in words other pieces also set.
        let pieces = vec![
            (0..3_000u64).map(|i| base + i * 8).collect::<Vec<_>>(),
            vec![base + 3_000 * 8, base + 3_001 * 8, base + 3_000 * 8],
            vec![base + 16, base + 3_002 * 8, base + 16],
        ];
        let (idx, mut dups) = IdIndex::from_pieces(pieces, &NoProgress);
        dups.sort_unstable();
        assert_eq!(dups, vec![base + 16, base + 16, base + 3_000 * 8]);
        assert_eq!(idx.len(), 3_003);
        assert_eq!(idx.get(base + 3_002 * 8), Some(3_002));
    }

    #[test]
    fn unsorted_ids_give_the_same_index_and_report_duplicates() {
        let mut ids: Vec<u64> = (0..5_000u64)
            .map(|i| 0x7_0000_0000 + ((i * 7919) % 5_000) * 16)
            .collect();
        ids.push(0x7_0000_0000 + 160);
        ids.push(0x7_0000_0000 + 320);
        let (idx, dups) = IdIndex::from_unsorted(ids.clone());
        assert_eq!(dups.len(), 2);
        let mut sorted = ids;
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(idx.len(), sorted.len());
        for (i, &id) in sorted.iter().enumerate() {
            assert_eq!(idx.get(id), Some(i as u32));
            assert_eq!(idx.id(i as u32), id);
        }
        // Sparse ids take the sorting path and agree too.
        let sparse: Vec<u64> = vec![u64::MAX - 7, 8, 1 << 40, 8, 1 << 50];
        let (idx, dups) = IdIndex::from_unsorted(sparse);
        assert_eq!(dups, vec![8]);
        assert_eq!(idx.get(1 << 40), Some(1));
        assert_eq!(idx.len(), 4);
    }

    #[test]
    fn extreme_ids_do_not_overflow_the_span() {
        check(vec![0, u64::MAX]);
        check(vec![0, 8, u64::MAX - 7, u64::MAX]);
        let (idx, dups) = IdIndex::from_unsorted(vec![u64::MAX, 0, u64::MAX, 1]);
        assert_eq!(dups, vec![u64::MAX]);
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.get(u64::MAX), Some(2));
        assert_eq!(idx.get(0), Some(0));
    }

    proptest! {
        #[test]
        fn agrees_with_binary_search(ids in proptest::collection::vec(any::<u64>(), 0..300),
                                     dense in proptest::collection::vec(0u64..5000, 0..300)) {
            check(ids);
            check(dense.iter().map(|d| 0x1000 + d * 8).collect());
        }
    }
}
