//! A slice that several threads write at disjoint indices.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU32, AtomicU64};

/// Lets parallel passes scatter values into one array when every index is written by at
/// most one thread (each object has exactly one index and is visited once).
pub struct Scatter<'a, T> {
    ptr: *mut T,
    len: usize,
    _slice: PhantomData<&'a mut [T]>,
}

// SAFETY: a Scatter only hands out writes to distinct indices (the caller's contract on
// `write`), so sharing it between threads cannot create two live writes to one element.
unsafe impl<T: Send> Sync for Scatter<'_, T> {}
// SAFETY: as above; the borrowed slice outlives the Scatter.
unsafe impl<T: Send> Send for Scatter<'_, T> {}

impl<'a, T> Scatter<'a, T> {
    /// Wraps `slice` for the duration of a parallel pass.
    pub fn new(slice: &'a mut [T]) -> Self {
        Scatter {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _slice: PhantomData,
        }
    }

    /// Writes `value` at `index` (bounds-checked).
    ///
    /// # Safety
    /// No other thread may read or write `index` during the pass.
    #[inline]
    pub unsafe fn write(&self, index: usize, value: T) {
        assert!(
            index < self.len,
            "scatter index {index} out of {}",
            self.len
        );
        // SAFETY: in bounds (checked above) and, by the caller's contract, exclusive.
        unsafe { self.ptr.add(index).write(value) }
    }

    /// The length of the slice.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Copies `values` to `index..index + values.len()` (bounds-checked).
    ///
    /// # Safety
    /// No other thread may read or write that range during the pass.
    #[inline]
    pub unsafe fn write_slice(&self, index: usize, values: &[T])
    where
        T: Copy,
    {
        assert!(
            index
                .checked_add(values.len())
                .is_some_and(|end| end <= self.len),
            "scatter range {index}+{} out of {}",
            values.len(),
            self.len
        );
        // SAFETY: the range is in bounds (checked above) and, by the caller's contract,
        // exclusive; `values` is a shared borrow of other memory, so the two do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), self.ptr.add(index), values.len()) }
    }
}

/// Asks the CPU to start loading the cache line holding `*p`: a hint for loops that are about
/// to read scattered addresses one after the other. It never faults and changes no result.
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    #[allow(unused_unsafe)]
    // SAFETY: a prefetch instruction reads nothing architecturally and cannot fault, whatever
    // the address; SSE is part of the x86_64 baseline.
    unsafe {
        core::arch::x86_64::_mm_prefetch(p.cast::<i8>(), core::arch::x86_64::_MM_HINT_T0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Views a slice of integers as atomics, for counters shared between threads.
pub fn as_atomic(v: &mut [u32]) -> &[AtomicU32] {
    // SAFETY: AtomicU32 has the same size, alignment and bit validity as u32, and the
    // exclusive borrow guarantees that no plain access overlaps the atomic one.
    unsafe { std::slice::from_raw_parts(v.as_mut_ptr().cast::<AtomicU32>(), v.len()) }
}

/// Views a slice of 64-bit words as atomics, for bits set from several threads.
pub fn as_atomic_u64(v: &mut [u64]) -> &[AtomicU64] {
    // SAFETY: AtomicU64 has the same size and bit validity as u64, and on the 64-bit targets
    // this program builds for the same alignment (checked at compile time below); the
    // exclusive borrow guarantees that no plain access overlaps the atomic one.
    const _: () = assert!(std::mem::align_of::<AtomicU64>() == std::mem::align_of::<u64>());
    unsafe { std::slice::from_raw_parts(v.as_mut_ptr().cast::<AtomicU64>(), v.len()) }
}

/// Calls `f(v, &mut out)` for every node `v` in `0..n`, on all threads, and returns what the
/// calls pushed, in node order. Each task runs a plain loop over a chunk of nodes: rayon's
/// per-item adaptors (`enumerate`, `filter`, `flat_map_iter`) compiled to a loop that stores
/// its state on every item, several times slower on scans of 10^7 nodes.
pub fn par_scan_nodes<T: Send>(n: usize, f: impl Fn(u32, &mut Vec<T>) + Sync) -> Vec<T> {
    par_scan_ranges(n, |lo, hi, out| {
        for v in lo..hi {
            f(v, out);
        }
    })
}

/// Calls `f(lo, hi, &mut out)` for consecutive ranges of nodes `lo..hi` covering `0..n`, on
/// all threads, and returns what the calls pushed, in node order (for scans that walk a range
/// at once, such as [`crate::graph::object_graph::Graph::for_each_refs_in`]).
pub fn par_scan_ranges<T: Send>(n: usize, f: impl Fn(u32, u32, &mut Vec<T>) + Sync) -> Vec<T> {
    use rayon::prelude::*;
    const CHUNK: usize = 1 << 15;
    let parts: Vec<Vec<T>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|ci| {
            let mut out = Vec::new();
            f(
                (ci * CHUNK) as u32,
                ((ci + 1) * CHUNK).min(n) as u32,
                &mut out,
            );
            out
        })
        .collect();
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for p in parts {
        all.extend(p);
    }
    all
}

/// One bit per node of a graph, for walks that visit each node once (no set keyed by node:
/// a walk may meet millions).
pub struct Visited {
    bits: Vec<u64>,
}

impl Visited {
    /// No node visited yet, for a graph of `nodes` nodes.
    pub fn new(nodes: usize) -> Visited {
        Visited {
            bits: vec![0u64; nodes.div_ceil(64)],
        }
    }

    /// Marks `v` visited; whether it was not before.
    #[inline]
    pub fn first_visit(&mut self, v: u32) -> bool {
        let (w, b) = (v as usize / 64, 1u64 << (v % 64));
        let new = self.bits[w] & b == 0;
        self.bits[w] |= b;
        new
    }

    /// Whether `v` was visited.
    #[inline]
    pub fn contains(&self, v: u32) -> bool {
        self.bits[v as usize / 64] & (1u64 << (v % 64)) != 0
    }
}

/// A set of nodes small next to the graph, for scans over every node or reference that ask
/// "is this one of them?": a hash filter that stays in cache, in front of a sorted list. A
/// bitmap over all nodes would miss the cache on nearly every test.
pub struct NodeFilter {
    bits: Vec<u64>,
    shift: u32,
    sorted: Vec<u32>,
}

impl NodeFilter {
    /// The set of `nodes` (duplicates allowed).
    pub fn new(nodes: impl IntoIterator<Item = u32>) -> NodeFilter {
        let mut sorted: Vec<u32> = nodes.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        // About 128 bits per member (a false hit, which costs a binary search, on under 1 %
        // of the tests: with 16 bits, 6 % of a scan's tests went on to search the list, and
        // nearly every chunk of `query::find::referrers` had a hit to walk again), at least
        // 2^16 bits (8 KiB), at most 2^26 (8 MiB).
        let log = (sorted.len().max(1) * 128)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(16, 26);
        let mut f = NodeFilter {
            bits: vec![0u64; (1usize << log) / 64],
            shift: 64 - log,
            sorted,
        };
        for i in 0..f.sorted.len() {
            let h = f.slot(f.sorted[i]);
            f.bits[h >> 6] |= 1 << (h & 63);
        }
        f
    }

    #[inline]
    fn slot(&self, v: u32) -> usize {
        ((v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Whether `v` is in the set.
    #[inline]
    pub fn contains(&self, v: u32) -> bool {
        let h = self.slot(v);
        self.bits[h >> 6] >> (h & 63) & 1 == 1 && self.sorted.binary_search(&v).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::NodeFilter;

    #[test]
    fn node_filter_agrees_with_the_list() {
        for size in [0usize, 1, 7, 5000, 300_000] {
            let members: Vec<u32> = (0..size as u32)
                .map(|i| i.wrapping_mul(2_654_435_761) % 50_000_000)
                .collect();
            let f = NodeFilter::new(members.iter().copied());
            for &m in &members {
                assert!(f.contains(m));
            }
            let mut sorted = members.clone();
            sorted.sort_unstable();
            sorted.dedup();
            for v in (0..2_000_000u32).step_by(7) {
                assert_eq!(
                    f.contains(v),
                    sorted.binary_search(&v).is_ok(),
                    "{v} in set of {size}"
                );
            }
            assert!(!f.contains(u32::MAX) || sorted.contains(&u32::MAX));
        }
    }
}
