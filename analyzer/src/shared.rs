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
