//! Bitmaps with a rank directory: which positions are set, and for a set position how many
//! set positions come before it, in O(1) with one memory read.
//!
//! Each 64-bit word of the bitmap sits next to the number of bits set in all words before it
//! ([`RankedWord`]), so that a lookup touches one cache line. The id index uses this to map
//! aligned addresses to dense node indices, and the graph to find the explicitly stored shallow
//! size of a node.

use rayon::prelude::*;

/// A bitmap word and the rank of its first bit: the number of bits set in all words before
/// it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RankedWord {
    /// The 64 bits of this word; bit `i` stands for position `64 * word + i`.
    pub bits: u64,
    /// Bits set in all earlier words.
    pub rank: u32,
}

/// Words handled by one parallel task when building or gathering over a bitmap.
const PAR_WORDS: usize = 1 << 12;

/// A bitmap over positions `0..64 * words` with a rank per word.
#[derive(Clone, Debug, Default)]
pub struct RankedBits {
    words: Vec<RankedWord>,
    ones: u32,
}

impl RankedBits {
    /// The bitmap whose words have the given bits (their `rank` fields are ignored and
    /// recomputed).
    ///
    /// # Panics
    /// If more than `u32::MAX` bits are set.
    pub fn from_words(mut words: Vec<RankedWord>) -> RankedBits {
        let mut acc = 0u32;
        for w in words.iter_mut() {
            w.rank = acc;
            acc = acc
                .checked_add(w.bits.count_ones())
                .expect("more than u32::MAX bits set");
        }
        RankedBits { words, ones: acc }
    }

    /// The bitmap over positions `0..len` where `set(i)` holds, computed in parallel.
    pub fn par_from_fn(len: usize, set: impl Fn(usize) -> bool + Sync) -> RankedBits {
        let mut words = vec![RankedWord::default(); len.div_ceil(64)];
        words
            .par_iter_mut()
            .with_min_len(PAR_WORDS)
            .enumerate()
            .for_each(|(w, word)| {
                let lo = w * 64;
                let hi = (lo + 64).min(len);
                let mut bits = 0u64;
                for i in lo..hi {
                    if set(i) {
                        bits |= 1 << (i - lo);
                    }
                }
                word.bits = bits;
            });
        RankedBits::from_words(words)
    }

    /// Whether position `i` is set (false beyond the end).
    #[inline]
    pub fn get(&self, i: u64) -> bool {
        self.rank_if_set(i).is_some()
    }

    /// If position `i` is set, the number of set positions before it (its index among the
    /// set positions); `None` if it is clear or beyond the end.
    #[inline]
    pub fn rank_if_set(&self, i: u64) -> Option<u32> {
        let w = self.words.get((i >> 6) as usize)?;
        let bit = i & 63;
        if (w.bits >> bit) & 1 == 0 {
            return None;
        }
        Some(w.rank + (w.bits & ((1u64 << bit) - 1)).count_ones())
    }

    /// The position of the set bit of rank `k` (which must be below
    /// [`RankedBits::count_ones`]).
    pub fn select(&self, k: u32) -> u64 {
        debug_assert!(k < self.ones);
        // The last word whose rank is at most k holds the k-th set bit.
        let w = self
            .words
            .partition_point(|x| x.rank <= k)
            .saturating_sub(1);
        let mut word = self.words[w].bits;
        for _ in 0..k - self.words[w].rank {
            word &= word - 1;
        }
        (w as u64) * 64 + word.trailing_zeros() as u64
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
        // Cut the output at the ranks of every PAR_WORDS-th word, one slice per task.
        let mut slices: Vec<(usize, &mut [T])> =
            Vec::with_capacity(self.words.len().div_ceil(PAR_WORDS));
        let mut rest = out.as_mut_slice();
        for first in (0..self.words.len()).step_by(PAR_WORDS) {
            let end = self
                .words
                .get(first + PAR_WORDS)
                .map_or(self.ones, |w| w.rank);
            let (a, b) = rest.split_at_mut((end - self.words[first].rank) as usize);
            slices.push((first, a));
            rest = b;
        }
        slices.into_par_iter().for_each(|(first, slice)| {
            let words = &self.words[first..(first + PAR_WORDS).min(self.words.len())];
            let mut k = 0;
            for (w, word) in (first..).zip(words) {
                let mut bits = word.bits;
                while bits != 0 {
                    slice[k] = f((w as u64) * 64 + bits.trailing_zeros() as u64);
                    k += 1;
                    bits &= bits - 1;
                }
            }
        });
        out
    }

    /// Bytes held by the bitmap.
    pub fn memory_bytes(&self) -> usize {
        self.words.capacity() * std::mem::size_of::<RankedWord>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_select_and_gather_agree_with_a_plain_scan() {
        let len = 3 * PAR_WORDS * 64 + 77;
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
    fn from_words_recomputes_ranks() {
        let words = vec![
            RankedWord {
                bits: 0b1011,
                rank: 99,
            },
            RankedWord { bits: 0, rank: 7 },
            RankedWord {
                bits: 1 << 63,
                rank: 0,
            },
        ];
        let bits = RankedBits::from_words(words);
        assert_eq!(bits.count_ones(), 4);
        assert_eq!(bits.rank_if_set(3), Some(2));
        assert_eq!(bits.rank_if_set(191), Some(3));
        assert_eq!(bits.select(3), 191);
        assert_eq!(bits.select(0), 0);
    }
}
