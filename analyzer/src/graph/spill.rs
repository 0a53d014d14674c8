//! The reference pass's per-piece lists (nodes with references, and their targets) when the
//! big arrays live in temp files (`--max-memory`): each piece moves its lists, a block at a
//! time, into two shared arrays in files, so that they do not stay in memory until the CSR
//! arrays are filled from them. A piece keeps in memory only the part of its lists it has not
//! moved yet, and all of them when the files are full (the estimate they are sized by is an
//! upper bound, so they are not).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::base::shared::Scatter;

/// Entries a piece collects before it moves them to the file.
pub(super) const BLOCK: usize = 1 << 12;

/// One shared array in a file that pieces append blocks to.
pub(super) struct Side<'a> {
    out: Scatter<'a, u32>,
    next: AtomicUsize,
}

impl<'a> Side<'a> {
    /// Appends to `slice` (which the side borrows for the pass).
    pub(super) fn new(slice: &'a mut [u32]) -> Side<'a> {
        Side {
            out: Scatter::new(slice),
            next: AtomicUsize::new(0),
        }
    }

    /// Copies `data` into the next free block; its start, or `None` when the array is full.
    fn put(&self, data: &[u32]) -> Option<usize> {
        let at = self.next.fetch_add(data.len(), Ordering::Relaxed);
        if at.checked_add(data.len())? > self.out.len() {
            return None;
        }
        // SAFETY: fetch_add hands the range at..at + len to this caller alone, and it is in
        // bounds (checked above).
        unsafe { self.out.write_slice(at, data) };
        Some(at)
    }
}

/// The two shared arrays of the reference pass.
pub(super) struct Spill<'a> {
    /// Nodes with references.
    pub(super) nodes: Side<'a>,
    /// Their targets.
    pub(super) targets: Side<'a>,
}

/// One list of a piece: the blocks it moved to the file, in order, then the rest in memory.
#[derive(Default)]
pub(super) struct List {
    /// `(start, len)` of each block in the shared array.
    blocks: Vec<(usize, usize)>,
    /// Entries not moved (the newest).
    pub(super) tail: Vec<u32>,
    /// The shared array was full: nothing more is moved (keeping the order).
    full: bool,
}

impl List {
    /// Moves the tail to `side` (if it has room).
    pub(super) fn flush(&mut self, side: &Side<'_>) {
        if self.full || self.tail.is_empty() {
            return;
        }
        match side.put(&self.tail) {
            Some(at) => {
                self.blocks.push((at, self.tail.len()));
                self.tail.clear();
            }
            None => self.full = true,
        }
    }

    /// The entries in order, read from `shared` (the side's array after the pass) and the tail.
    pub(super) fn iter<'s>(&'s self, shared: &'s [u32]) -> impl Iterator<Item = u32> + 's {
        self.blocks
            .iter()
            .flat_map(move |&(at, len)| shared.get(at..at + len).unwrap_or(&[]))
            .chain(&self.tail)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_in_order_whether_moved_or_not() {
        let mut shared = vec![0u32; 10];
        let (mut a, mut b) = (List::default(), List::default());
        {
            let side = Side::new(&mut shared);
            a.tail.extend([1, 2, 3]);
            a.flush(&side);
            b.tail.extend([10, 11]);
            b.flush(&side);
            a.tail.extend([4, 5, 6, 7]);
            a.flush(&side);
            // Full: 7 more do not fit in the 1 slot left; they stay, and so does what follows.
            b.tail.extend([12, 13, 14, 15, 16, 17, 18]);
            b.flush(&side);
            b.tail.push(19);
            b.flush(&side);
            a.tail.push(8);
        }
        assert_eq!(
            a.iter(&shared).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            b.iter(&shared).collect::<Vec<_>>(),
            [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
        );
        assert_eq!(a.blocks.len(), 2);
        assert_eq!(b.blocks.len(), 1);
    }
}
