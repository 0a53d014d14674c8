//! A big array that lives either in memory (a `Vec`) or in a memory-mapped temporary file,
//! unlinked at creation (see [`crate::base::arrays::Arrays`], which decides and allocates).
//!
//! Either way it reads as a slice (`Deref<Target = [T]>`), so the algorithms index it as
//! before. Only plain-old-data element types ([`Pod`]) may live in a file: any bit pattern is
//! a value of theirs, so the zeroed pages of a new file and the bytes written back are valid.

use std::fs::File;
use std::io;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use memmap2::{MmapOptions, MmapRaw, UncheckedAdvice};

/// Element types a [`Store`] may keep in a file: every bit pattern of their size is a value,
/// they hold no pointers, and they are `Copy`.
///
/// # Safety
/// The implementing type must be valid for every bit pattern (including all zeros) and have
/// no padding and no drop glue.
pub unsafe trait Pod: Copy + Send + Sync + 'static {}

// SAFETY: fixed-size integers are valid for every bit pattern and have no padding.
unsafe impl Pod for u8 {}
// SAFETY: as above.
unsafe impl Pod for u16 {}
// SAFETY: as above.
unsafe impl Pod for u32 {}
// SAFETY: as above.
unsafe impl Pod for u64 {}
// SAFETY: as above.
unsafe impl Pod for i64 {}

/// A file-backed array: a shared, read-write mapping of an unlinked temporary file.
pub(crate) struct Mapped {
    /// The mapping, shared with the [`crate::base::arrays::Arrays`] registry (which releases
    /// its resident pages), so that it is unmapped only when neither uses it.
    pub(crate) map: Arc<MmapRaw>,
    /// The file (kept open for growing; it has no name).
    file: File,
    /// Elements the mapping holds.
    cap: usize,
}

enum Data<T> {
    Mem(Vec<T>),
    Disk(Mapped, usize, PhantomData<T>),
}

/// An array of `T` in memory or in a mapped temporary file, used as a slice.
pub struct Store<T: Pod> {
    data: Data<T>,
}

impl<T: Pod> Store<T> {
    /// An in-memory store holding `v`.
    pub fn from_vec(v: Vec<T>) -> Store<T> {
        Store { data: Data::Mem(v) }
    }

    /// A store over `cap` zeroed elements of a new unlinked file in `dir`, of length `len`.
    pub(crate) fn in_file(dir: &std::path::Path, len: usize, cap: usize) -> io::Result<Store<T>> {
        let cap = cap.max(len).max(1);
        let bytes = cap
            .checked_mul(size_of::<T>())
            .ok_or_else(|| io::Error::other("array too large"))?;
        let file = tempfile::tempfile_in(dir)?;
        let m = map_file(file, bytes, cap)?;
        Ok(Store {
            data: Data::Disk(m, len, PhantomData),
        })
    }

    /// The mapping, when the store lives in a file.
    pub(crate) fn mapping(&self) -> Option<&Arc<MmapRaw>> {
        match &self.data {
            Data::Mem(_) => None,
            Data::Disk(m, _, _) => Some(&m.map),
        }
    }

    /// Whether the store lives in a file.
    pub fn is_on_disk(&self) -> bool {
        matches!(self.data, Data::Disk(..))
    }

    /// Elements the store holds without growing.
    pub fn capacity(&self) -> usize {
        match &self.data {
            Data::Mem(v) => v.capacity(),
            Data::Disk(m, _, _) => m.cap,
        }
    }

    /// Bytes of memory the store holds: its capacity in memory, 0 in a file (whose pages the
    /// kernel may drop at any time).
    pub fn memory_bytes(&self) -> usize {
        match &self.data {
            Data::Mem(v) => v.capacity() * size_of::<T>(),
            Data::Disk(..) => 0,
        }
    }

    /// Shortens the store to `len` elements (no effect if it is not longer).
    pub fn truncate(&mut self, len: usize) {
        match &mut self.data {
            Data::Mem(v) => v.truncate(len),
            Data::Disk(_, l, _) => *l = (*l).min(len),
        }
    }

    /// Gives back the memory past the length (in memory; a file keeps its size).
    pub fn shrink_to_fit(&mut self) {
        if let Data::Mem(v) = &mut self.data {
            v.shrink_to_fit();
        }
    }

    /// Sets the length to `len` as [`Store::resize`] does, but in memory with room for exactly
    /// `len` elements (no amortised spare room when it grows, none kept when it shrinks).
    pub fn resize_exact(&mut self, len: usize, x: T) -> io::Result<()> {
        if let Data::Mem(v) = &mut self.data {
            v.reserve_exact(len.saturating_sub(v.len()));
        }
        self.resize(len, x)?;
        self.shrink_to_fit();
        Ok(())
    }

    /// Appends `x`, growing the file if needed.
    pub fn push(&mut self, x: T) -> io::Result<()> {
        let len = self.len();
        self.resize(len + 1, x)
    }

    /// Sets the length to `len`; new elements are `x`. A file grows as needed.
    pub fn resize(&mut self, len: usize, x: T) -> io::Result<()> {
        match &mut self.data {
            Data::Mem(v) => v.resize(len, x),
            Data::Disk(m, l, _) => {
                if len > m.cap {
                    m.grow(len.max(m.cap + m.cap / 2), size_of::<T>())?;
                }
                let old = *l;
                *l = len;
                if len > old {
                    self[old..len].fill(x);
                }
            }
        }
        Ok(())
    }

    /// Drops the resident pages of a file-backed store (its contents stay in the file and the
    /// page cache, and are read back on the next access). No effect in memory.
    pub fn release(&self) {
        if let Some(map) = self.mapping() {
            release(map);
        }
    }
}

/// Drops the resident pages of a shared file mapping.
pub(crate) fn release(map: &MmapRaw) {
    // SAFETY: the mapping is a shared, read-write mapping of our own unlinked file, which no
    // other process can open. MADV_DONTNEED on a shared file mapping only unmaps its pages
    // from this process: dirty pages stay in the page cache and are written to the file, and
    // any later access, including through slices borrowed by other threads, faults the same
    // contents back in. So no value anyone can observe changes. The advice is a hint; an error
    // leaves the mapping as it was and is ignored.
    unsafe {
        let _ = map.unchecked_advise(UncheckedAdvice::DontNeed);
    }
}

/// Sizes `file` to `bytes` (reserving its blocks, so that a full disk is an error here, not
/// a fault on a later write) and maps it shared, read-write.
fn map_file(file: File, bytes: usize, cap: usize) -> io::Result<Mapped> {
    reserve(&file, bytes as u64)?;
    let map = MmapOptions::new().len(bytes).map_raw(&file)?;
    Ok(Mapped {
        map: Arc::new(map),
        file,
        cap,
    })
}

impl Mapped {
    /// Remaps the file at `cap` elements of `size` bytes (the old contents are kept).
    fn grow(&mut self, cap: usize, size: usize) -> io::Result<()> {
        let bytes = cap
            .checked_mul(size)
            .ok_or_else(|| io::Error::other("array too large"))?;
        reserve(&self.file, bytes as u64)?;
        let map = MmapOptions::new().len(bytes).map_raw(&self.file)?;
        self.map = Arc::new(map);
        self.cap = cap;
        Ok(())
    }
}

/// Gives `file` a length of `bytes` with its blocks allocated.
#[cfg(target_os = "linux")]
fn reserve(file: &File, bytes: u64) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let len = libc::off_t::try_from(bytes).map_err(io::Error::other)?;
    // SAFETY: posix_fallocate reads nothing from memory; the descriptor is open and ours.
    let r = unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len) };
    match r {
        0 => Ok(()),
        // A file system without fallocate: a sparse file still works until it is full.
        libc::EOPNOTSUPP | libc::EINVAL => file.set_len(bytes),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

/// Gives `file` a length of `bytes`.
#[cfg(not(target_os = "linux"))]
fn reserve(file: &File, bytes: u64) -> io::Result<()> {
    file.set_len(bytes)
}

impl<T: Pod> Deref for Store<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match &self.data {
            Data::Mem(v) => v,
            // SAFETY: the mapping holds `cap >= len` elements of T, is page-aligned (so
            // aligned for T), lives as long as `self`, and T is Pod, so any bytes in it are
            // valid values. Writes only go through `&mut self` (DerefMut), so this shared
            // borrow sees no writes while it lives.
            Data::Disk(m, len, _) => unsafe {
                std::slice::from_raw_parts(m.map.as_ptr().cast::<T>(), *len)
            },
        }
    }
}

impl<T: Pod> DerefMut for Store<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.data {
            Data::Mem(v) => v,
            // SAFETY: as in `deref`; the exclusive borrow of `self` makes this the only access
            // to the mapping in this process (the registry's copy of the Arc only advises it,
            // which changes no contents), and no other process can open the unlinked file.
            Data::Disk(m, len, _) => unsafe {
                std::slice::from_raw_parts_mut(m.map.as_mut_ptr().cast::<T>(), *len)
            },
        }
    }
}

impl<T: Pod> Default for Store<T> {
    fn default() -> Self {
        Store::from_vec(Vec::new())
    }
}

impl<T: Pod> Clone for Store<T> {
    /// An in-memory copy (of a store in memory or in a file).
    fn clone(&self) -> Self {
        Store::from_vec(self.to_vec())
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("len", &self.len())
            .field("on_disk", &self.is_on_disk())
            .finish()
    }
}

impl<T: Pod> AsRef<[T]> for Store<T> {
    fn as_ref(&self) -> &[T] {
        self
    }
}

impl<T: Pod + PartialEq> PartialEq for Store<T> {
    /// Equal elements, wherever they live.
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl<T: Pod + Eq> Eq for Store<T> {}

impl<T: Pod> From<Vec<T>> for Store<T> {
    fn from(v: Vec<T>) -> Self {
        Store::from_vec(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_store_reads_back_what_was_written_and_grows() {
        let dir = tempfile::tempdir().unwrap();
        let mut s: Store<u32> = Store::in_file(dir.path(), 1000, 1001).unwrap();
        assert!(s.is_on_disk());
        assert_eq!(s.memory_bytes(), 0);
        assert!(s.iter().all(|&x| x == 0));
        for (i, x) in s.iter_mut().enumerate() {
            *x = i as u32 * 3;
        }
        s.release();
        assert_eq!(s[999], 2997);
        s.push(7).unwrap();
        assert_eq!(s.capacity(), 1001);
        s.push(8).unwrap();
        assert!(s.capacity() > 1001);
        assert_eq!(s.len(), 1002);
        assert_eq!(&s[998..], &[2994, 2997, 7, 8]);
        s.truncate(3);
        assert_eq!(&s[..], &[0, 3, 6]);
        s.resize(5, u32::MAX).unwrap();
        assert_eq!(&s[..], &[0, 3, 6, u32::MAX, u32::MAX]);
        assert_eq!(s.clone().to_vec(), s.to_vec());
        assert!(!s.clone().is_on_disk());
        // The file is unlinked: nothing is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_memory_store_is_its_vector() {
        let mut s = Store::from_vec(vec![1u64, 2, 3]);
        assert!(!s.is_on_disk());
        s.push(4).unwrap();
        s.release();
        assert_eq!(&s[..], &[1, 2, 3, 4]);
        assert_eq!(s.memory_bytes(), s.capacity() * 8);
        let e: Store<u16> = Store::default();
        assert!(e.is_empty());
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let r = Store::<u8>::in_file(&dir.path().join("missing"), 10, 10);
        assert!(r.is_err());
    }
}
