//! Bitmaps with a rank directory: which positions are set, and for a set position how many
//! set positions come before it, in O(1) with one memory read.
//!
//! The bitmap is cut into blocks of one cache line each: seven 64-bit words (448 positions)
//! and the number of bits set in all blocks before ([`RankedBlock`]), so that a lookup
//! touches one cache line and the directory costs 1/7 of the bits (a rank per word would
//! double them, with padding). The id index uses this to map aligned addresses to dense node
//! indices, and the graph to find the explicitly stored shallow size of a node and the CSR
//! offsets of a node with references.
//!
//! Blocks without a set bit are not stored when they are more than a sixteenth of all
//! ([`BlockDir`]): a heap's addresses leave large holes (free regions between the compacted
//! objects and the humongous ones at the top), and the id bitmap then costs only its occupied
//! blocks, plus a directory of one bit per block.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::base::shared::prefetch;

/// Bitmap words per block.
const BLOCK_WORDS: usize = 7;
/// Positions per block.
const BLOCK_BITS: u64 = 64 * BLOCK_WORDS as u64;

/// Seven bitmap words and the rank of their first bit: the number of bits set in all blocks
/// before. One cache line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct RankedBlock {
    /// Bit `i` of word `j` stands for position `448 * block + 64 * j + i`.
    words: [u64; BLOCK_WORDS],
    /// Bits set in all earlier blocks.
    rank: u32,
    /// The block's number among all blocks, stored or not (in the padding of the cache line).
    pos: u32,
}

impl RankedBlock {
    /// Set bits in the block.
    fn count_ones(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }
}

/// The bits `k` of the word of positions `base..base + 64` with `lo <= base + k < hi`.
#[inline]
fn window(base: u64, lo: u64, hi: u64) -> u64 {
    let low = match lo.saturating_sub(base) {
        0 => u64::MAX,
        d if d >= 64 => 0,
        d => u64::MAX << d,
    };
    let high = match hi.saturating_sub(base) {
        d if d >= 64 => u64::MAX,
        d => (1u64 << d) - 1,
    };
    low & high
}

/// Blocks handled by one parallel task when building or gathering over a bitmap.
const PAR_BLOCKS: usize = 1 << 10;

/// A bitmap over positions `0..len` with a rank per block.
#[derive(Clone, Debug, Default)]
pub struct RankedBits {
    /// Every block, or only those with a set bit when `dir` says which.
    blocks: Vec<RankedBlock>,
    /// Which blocks are stored, when the empty ones are not.
    dir: Option<BlockDir>,
    ones: u32,
}

/// Which blocks of a bitmap are stored: a bit per block, and per 64 of them the number of
/// stored blocks before (16 bytes per 64 blocks of 448 positions).
#[derive(Clone, Debug, Default)]
struct BlockDir {
    words: Vec<DirWord>,
}

#[derive(Clone, Copy, Debug, Default)]
struct DirWord {
    bits: u64,
    rank: u32,
}

impl BlockDir {
    /// The slot of block `b` among the stored blocks, if it is stored.
    #[inline]
    fn slot(&self, b: usize) -> Option<usize> {
        let w = self.words.get(b >> 6)?;
        let bit = b & 63;
        if (w.bits >> bit) & 1 == 0 {
            return None;
        }
        Some(w.rank as usize + (w.bits & ((1u64 << bit) - 1)).count_ones() as usize)
    }

    /// Keeps the blocks of `blocks` with a set bit, in order, and returns their directory.
    fn compact(blocks: &mut Vec<RankedBlock>) -> BlockDir {
        let mut words = vec![DirWord::default(); blocks.len().div_ceil(64)];
        let mut kept = 0usize;
        for b in 0..blocks.len() {
            if b & 63 == 0 {
                words[b >> 6].rank = kept as u32;
            }
            if blocks[b].words != [0; BLOCK_WORDS] {
                words[b >> 6].bits |= 1 << (b & 63);
                blocks[kept] = blocks[b];
                kept += 1;
            }
        }
        blocks.truncate(kept);
        blocks.shrink_to_fit();
        BlockDir { words }
    }

    fn memory_bytes(&self) -> usize {
        self.words.capacity() * std::mem::size_of::<DirWord>()
    }
}

/// A bitmap being filled one position at a time; [`BitsBuilder::finish`] adds the ranks.
pub struct BitsBuilder {
    blocks: Vec<RankedBlock>,
}

impl BitsBuilder {
    /// An all-clear bitmap over positions `0..len`.
    pub fn new(len: u64) -> BitsBuilder {
        BitsBuilder {
            blocks: vec![RankedBlock::default(); len.div_ceil(BLOCK_BITS) as usize],
        }
    }

    /// Sets position `i` (below the length); returns whether it was set already.
    #[inline]
    pub fn set(&mut self, i: u64) -> bool {
        let b = &mut self.blocks[(i / BLOCK_BITS) as usize];
        let r = i % BLOCK_BITS;
        let w = &mut b.words[(r >> 6) as usize];
        let bit = 1u64 << (r & 63);
        let was = *w & bit != 0;
        *w |= bit;
        was
    }

    /// Sets the positions that `positions(run, set)` passes to `set` for each of `runs` (one
    /// run per task, on all threads); returns per run the positions that were set already
    /// (by an earlier position of any run: one per extra occurrence). The
    /// words are shared as atomics; a run whose positions mostly increase (the ids of a heap
    /// piece) merges those of one word into one atomic `or`.
    pub fn par_set_runs<R, F>(&mut self, runs: Vec<R>, positions: F) -> Vec<Vec<u64>>
    where
        R: Send,
        F: Fn(&R, &mut dyn FnMut(u64)) + Sync,
    {
        const _: () = assert!(std::mem::size_of::<RankedBlock>() == 8 * 8);
        // SAFETY: RankedBlock is repr(C) with seven u64 words, two u32 and no padding (64
        // bytes, checked above), so the blocks are 8 initialised u64 each, aligned for
        // AtomicU64 (align 64); the exclusive borrow of `self` makes the atomic view the only
        // access while it lives.
        let words: &[AtomicU64] = unsafe {
            std::slice::from_raw_parts(
                self.blocks.as_mut_ptr().cast::<AtomicU64>(),
                self.blocks.len() * 8,
            )
        };
        runs.into_par_iter()
            .map(|run| {
                let mut dups = Vec::new();
                let (mut cur, mut mask) = (usize::MAX, 0u64);
                let flush = |cur: usize, mask: u64, dups: &mut Vec<u64>| {
                    if mask == 0 {
                        return;
                    }
                    let mut both = words[cur].fetch_or(mask, Ordering::Relaxed) & mask;
                    while both != 0 {
                        let bit = both.trailing_zeros() as u64;
                        let (block, w) = ((cur / 8) as u64, (cur % 8) as u64);
                        dups.push(block * BLOCK_BITS + w * 64 + bit);
                        both &= both - 1;
                    }
                };
                positions(&run, &mut |pos| {
                    let r = pos % BLOCK_BITS;
                    let w = (pos / BLOCK_BITS) as usize * 8 + (r >> 6) as usize;
                    if w != cur {
                        flush(cur, mask, &mut dups);
                        (cur, mask) = (w, 0);
                    }
                    let bit = 1u64 << (r & 63);
                    if mask & bit != 0 {
                        dups.push(pos);
                    }
                    mask |= bit;
                });
                flush(cur, mask, &mut dups);
                drop(run);
                dups
            })
            .collect()
    }

    /// The bitmap with its ranks.
    ///
    /// # Panics
    /// If more than `u32::MAX` bits are set.
    pub fn finish(self) -> RankedBits {
        RankedBits::from_blocks(self.blocks)
    }
}

impl RankedBits {
    /// The bitmap of `blocks`, whose ranks are recomputed; the empty blocks are dropped when
    /// they are more than a sixteenth of all.
    fn from_blocks(mut blocks: Vec<RankedBlock>) -> RankedBits {
        let mut acc = 0u32;
        let mut empty = 0usize;
        for (i, b) in blocks.iter_mut().enumerate() {
            b.rank = acc;
            b.pos = u32::try_from(i).expect("more than u32::MAX blocks");
            let ones = b.count_ones();
            empty += (ones == 0) as usize;
            acc = acc.checked_add(ones).expect("more than u32::MAX bits set");
        }
        let dir = (empty > blocks.len() / 16).then(|| BlockDir::compact(&mut blocks));
        RankedBits {
            blocks,
            dir,
            ones: acc,
        }
    }

    /// The bitmap over positions `0..len` where `set(i)` holds, computed in parallel.
    pub fn par_from_fn(len: usize, set: impl Fn(usize) -> bool + Sync) -> RankedBits {
        let mut blocks = vec![RankedBlock::default(); (len as u64).div_ceil(BLOCK_BITS) as usize];
        blocks
            .par_iter_mut()
            .with_min_len(PAR_BLOCKS)
            .enumerate()
            .for_each(|(b, block)| {
                for (j, word) in block.words.iter_mut().enumerate() {
                    let lo = b * BLOCK_BITS as usize + j * 64;
                    let hi = (lo + 64).min(len);
                    let mut bits = 0u64;
                    for i in lo..hi {
                        if set(i) {
                            bits |= 1 << (i - lo);
                        }
                    }
                    *word = bits;
                }
            });
        RankedBits::from_blocks(blocks)
    }

    /// Whether position `i` is set (false beyond the end).
    #[cfg(test)]
    pub fn get(&self, i: u64) -> bool {
        self.rank_if_set(i).is_some()
    }

    /// If position `i` is set, the number of set positions before it (its index among the
    /// set positions); `None` if it is clear or beyond the end.
    #[inline]
    pub fn rank_if_set(&self, i: u64) -> Option<u32> {
        let b = usize::try_from(i / BLOCK_BITS).ok()?;
        let slot = match &self.dir {
            None => b,
            Some(dir) => dir.slot(b)?,
        };
        let b = self.blocks.get(slot)?;
        let r = i % BLOCK_BITS;
        let (w, bit) = ((r >> 6) as usize, r & 63);
        let word = b.words[w];
        if (word >> bit) & 1 == 0 {
            return None;
        }
        // The bits before position i in the block: all of the words before w, the low bits
        // of w. Without branches (a loop up to w mispredicts on every other lookup).
        let low = (1u64 << bit) - 1;
        let mut before = 0u32;
        for (j, &x) in b.words.iter().enumerate() {
            let all = ((j < w) as u64).wrapping_neg();
            let this = ((j == w) as u64).wrapping_neg() & low;
            before += (x & (all | this)).count_ones();
        }
        Some(b.rank + before)
    }

    /// Calls `f(i, rank)` for every set position `i` in `lo..hi`, in order, with its rank: a
    /// sequential walk over the words, with no lookup per position.
    pub fn for_each_one_in(&self, lo: u64, hi: u64, mut f: impl FnMut(u64, u32)) {
        if lo >= hi {
            return;
        }
        let (first, last) = (lo / BLOCK_BITS, (hi - 1) / BLOCK_BITS);
        for b in first..=last {
            let slot = match &self.dir {
                None => Some(b as usize),
                Some(dir) => dir.slot(b as usize),
            };
            let Some(block) = slot.and_then(|s| self.blocks.get(s)) else {
                continue;
            };
            let mut acc = block.rank;
            for (j, &w) in block.words.iter().enumerate() {
                let base = b * BLOCK_BITS + j as u64 * 64;
                let mut bits = w & window(base, lo, hi);
                while bits != 0 {
                    let t = bits.trailing_zeros();
                    f(base + t as u64, acc + (w & ((1u64 << t) - 1)).count_ones());
                    bits &= bits - 1;
                }
                acc += w.count_ones();
            }
        }
    }

    /// Starts loading the block that [`RankedBits::rank_if_set`] reads for position `i` (a
    /// hint: nothing for a position beyond the end or in a block not stored).
    #[inline]
    pub fn prefetch(&self, i: u64) {
        let Ok(b) = usize::try_from(i / BLOCK_BITS) else {
            return;
        };
        let slot = match &self.dir {
            None => Some(b),
            Some(dir) => dir.slot(b),
        };
        if let Some(block) = slot.and_then(|s| self.blocks.get(s)) {
            prefetch(block);
        }
    }

    /// The position of the set bit of rank `k` (which must be below
    /// [`RankedBits::count_ones`]).
    pub fn select(&self, k: u32) -> u64 {
        debug_assert!(k < self.ones);
        // The last block whose rank is at most k holds the k-th set bit.
        let b = self
            .blocks
            .partition_point(|x| x.rank <= k)
            .saturating_sub(1);
        let block = &self.blocks[b];
        let mut left = k - block.rank;
        for (j, &w) in block.words.iter().enumerate() {
            let ones = w.count_ones();
            if left < ones {
                let mut word = w;
                for _ in 0..left {
                    word &= word - 1;
                }
                return block.pos as u64 * BLOCK_BITS
                    + j as u64 * 64
                    + word.trailing_zeros() as u64;
            }
            left -= ones;
        }
        unreachable!("rank {k} beyond the bitmap")
    }

    /// Number of set positions.
    #[inline]
    pub fn count_ones(&self) -> u32 {
        self.ones
    }

    /// `f(i)` for every set position `i`, in order, computed in parallel: element `k` of the
    /// result belongs to the set position of rank `k`.
    pub fn par_gather<T: Copy + Default + Send>(&self, f: impl Fn(u64) -> T + Sync) -> Vec<T> {
        let mut out = vec![T::default(); self.ones as usize];
        // Cut the output at the ranks of every PAR_BLOCKS-th block, one slice per task.
        let mut slices: Vec<(usize, &mut [T])> =
            Vec::with_capacity(self.blocks.len().div_ceil(PAR_BLOCKS));
        let mut rest = out.as_mut_slice();
        for first in (0..self.blocks.len()).step_by(PAR_BLOCKS) {
            let end = self
                .blocks
                .get(first + PAR_BLOCKS)
                .map_or(self.ones, |b| b.rank);
            let (a, b) = rest.split_at_mut((end - self.blocks[first].rank) as usize);
            slices.push((first, a));
            rest = b;
        }
        slices.into_par_iter().for_each(|(first, slice)| {
            let blocks = &self.blocks[first..(first + PAR_BLOCKS).min(self.blocks.len())];
            let mut k = 0;
            for block in blocks {
                for (j, &w) in block.words.iter().enumerate() {
                    let base = block.pos as u64 * BLOCK_BITS + j as u64 * 64;
                    let mut bits = w;
                    while bits != 0 {
                        slice[k] = f(base + bits.trailing_zeros() as u64);
                        k += 1;
                        bits &= bits - 1;
                    }
                }
            }
        });
        out
    }

    /// Bytes held by the bitmap.
    pub fn memory_bytes(&self) -> usize {
        self.blocks.capacity() * std::mem::size_of::<RankedBlock>()
            + self.dir.as_ref().map_or(0, BlockDir::memory_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_select_and_gather_agree_with_a_plain_scan() {
        let len = 3 * PAR_BLOCKS * BLOCK_BITS as usize + 77;
        let set = |i: usize| i.is_multiple_of(7) || (i / 64) % 5 == 3 || i == len - 1;
        let bits = RankedBits::par_from_fn(len, set);
        let positions: Vec<usize> = (0..len).filter(|&i| set(i)).collect();
        assert_eq!(bits.count_ones() as usize, positions.len());
        let mut k = 0u32;
        for i in 0..len {
            if set(i) {
                assert_eq!(bits.rank_if_set(i as u64), Some(k));
                assert_eq!(bits.select(k), i as u64);
                k += 1;
            } else {
                assert_eq!(bits.rank_if_set(i as u64), None);
                assert!(!bits.get(i as u64));
            }
        }
        assert_eq!(bits.rank_if_set(len.next_multiple_of(64) as u64), None);
        let gathered = bits.par_gather(|i| i as u32);
        assert_eq!(
            gathered,
            positions.iter().map(|&i| i as u32).collect::<Vec<_>>()
        );
    }

    #[test]
    fn empty_blocks_are_not_stored_and_every_answer_stays() {
        // Three occupied stretches with holes of many blocks between them.
        let len = 200 * BLOCK_BITS as usize;
        let set = |i: usize| {
            let b = i / BLOCK_BITS as usize;
            (b < 3 && i.is_multiple_of(5))
                || (b == 70 && i % 448 == 447)
                || (b >= 150 && i % 3 == 1)
        };
        let positions: Vec<usize> = (0..len).filter(|&i| set(i)).collect();
        let mut builder = BitsBuilder::new(len as u64);
        for &i in &positions {
            builder.set(i as u64);
        }
        for bits in [RankedBits::par_from_fn(len, set), builder.finish()] {
            assert!(bits.dir.is_some());
            assert_eq!(bits.blocks.len(), 3 + 1 + 50);
            assert_eq!(bits.count_ones() as usize, positions.len());
            let mut k = 0u32;
            for i in 0..len + 1000 {
                if i < len && set(i) {
                    assert_eq!(bits.rank_if_set(i as u64), Some(k));
                    assert_eq!(bits.select(k), i as u64);
                    k += 1;
                } else {
                    assert_eq!(bits.rank_if_set(i as u64), None, "{i}");
                }
            }
            let gathered = bits.par_gather(|i| i as u32);
            assert_eq!(
                gathered,
                positions.iter().map(|&i| i as u32).collect::<Vec<_>>()
            );
            assert!(bits.memory_bytes() < 60 * 64);
            for (lo, hi) in [(0, len), (5, 3 * 448 + 1), (447, 448), (449, 160 * 448 + 3)] {
                let mut seen = Vec::new();
                bits.for_each_one_in(lo as u64, hi as u64, |i, r| seen.push((i as usize, r)));
                let want: Vec<(usize, u32)> = (0u32..)
                    .zip(&positions)
                    .filter(|&(_, &i)| lo <= i && i < hi)
                    .map(|(r, &i)| (i, r))
                    .collect();
                assert_eq!(seen, want, "{lo}..{hi}");
            }
        }
    }

    #[test]
    fn empty_and_all_clear() {
        let empty = RankedBits::par_from_fn(0, |_| true);
        assert_eq!(empty.count_ones(), 0);
        assert_eq!(empty.rank_if_set(0), None);
        assert!(empty.par_gather(|i| i).is_empty());
        let clear = RankedBits::par_from_fn(1000, |_| false);
        assert_eq!(clear.count_ones(), 0);
        assert!(clear.par_gather(|i| i).is_empty());
        assert!(!clear.get(999));
    }

    #[test]
    fn builder_sets_bits_reports_repeats_and_ranks() {
        let mut b = BitsBuilder::new(1000);
        for i in [3, 0, 1, 447, 448, 999] {
            assert!(!b.set(i));
        }
        assert!(b.set(448));
        let bits = b.finish();
        assert_eq!(bits.count_ones(), 6);
        assert_eq!(bits.rank_if_set(3), Some(2));
        assert_eq!(bits.rank_if_set(2), None);
        assert_eq!(bits.rank_if_set(448), Some(4));
        assert_eq!(bits.rank_if_set(999), Some(5));
        assert_eq!(bits.rank_if_set(1000), None);
        assert_eq!(bits.select(5), 999);
        assert_eq!(bits.select(3), 447);
        assert_eq!(bits.select(0), 0);
        assert_eq!(std::mem::size_of::<RankedBlock>(), 64);
    }
}
