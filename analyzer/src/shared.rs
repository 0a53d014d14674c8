//! A slice that several threads write at disjoint indices.

use std::marker::PhantomData;

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
