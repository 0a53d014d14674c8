//! The memory plan of one analysis (`--max-memory`): whether its big per-node and per-edge
//! arrays live in memory or in memory-mapped temporary files, and the allocator of those
//! arrays ([`Store`]s).
//!
//! After the census the graph build knows how many objects and references there are and
//! asks [`Arrays::plan`] with an estimate of the analysis' resident bytes. When that exceeds
//! the limit, every array allocated afterwards lives in an unlinked file in the temp
//! directory, and a watcher thread keeps resident memory under the limit: mapped file pages
//! count in the resident set, so whenever it passes [`release_threshold`] the watcher drops the resident pages of every live mapping (`MADV_DONTNEED`; the data stays in the
//! file and the page cache), the dump's own mapping included (the leak analyses read it at
//! random). Results do not depend on where the arrays live.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use memmap2::{Mmap, MmapRaw, UncheckedAdvice};
use rayon::prelude::*;

use crate::base::store::{release, Pod, Store};
use crate::AnalyzeError;

/// Resident bytes the analysis needs per object, in memory (the graph, the dominator arrays
/// and the transient arrays of the build, at the peak; measured, see BENCHMARKS.md).
pub const BYTES_PER_OBJECT: u64 = 40;
/// Resident bytes the analysis needs per reference (CSR target, and the per-piece lists the
/// graph build fills them from).
pub const BYTES_PER_REFERENCE: u64 = 8;

/// How often the watcher looks at the resident set. A parallel scan over mapped arrays in the
/// page cache maps a few hundred MiB in this time.
const WATCH_EVERY: Duration = Duration::from_millis(5);

/// Mapped pages below this are not worth dropping (the resident set is then mostly the
/// analysis' own memory, which dropping mapped pages does not reduce).
const MIN_MAPPED: u64 = 32 << 20;

/// The resident bytes past which the watcher drops mapped pages: a quarter of the limit, at
/// most 1 GiB, below it, the room a fast scan has between two looks.
pub fn release_threshold(limit: u64) -> u64 {
    limit - (limit / 4).min(1 << 30)
}

/// The estimated resident bytes of analysing `objects` objects with `references` references
/// in memory.
pub fn estimate_bytes(objects: u64, references: u64) -> u64 {
    objects
        .saturating_mul(BYTES_PER_OBJECT)
        .saturating_add(references.saturating_mul(BYTES_PER_REFERENCE))
}

/// The memory plan and array allocator of an analysis; clones share it.
#[derive(Clone, Default)]
pub struct Arrays {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// `--max-memory` (`None`: no limit, everything in memory).
    limit: Option<u64>,
    /// Where the files go (`None`: the system temp directory).
    dir: Option<PathBuf>,
    /// Whether new arrays go to files.
    on_disk: AtomicBool,
    /// The live mappings, for the watcher.
    maps: Mutex<Vec<Weak<dyn Releasable>>>,
    /// The first failure to create a file (see [`Arrays::filled`]).
    error: Mutex<Option<AnalyzeError>>,
    /// Whether the watcher runs.
    watching: AtomicBool,
    /// A per-node array no longer needed, kept for the next [`Arrays::refilled`].
    spare: Mutex<Option<Store<u32>>>,
}

impl std::fmt::Debug for Arrays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arrays")
            .field("limit", &self.inner.limit)
            .field("on_disk", &self.on_disk())
            .finish()
    }
}

impl Arrays {
    /// A plan with resident memory limited to `limit` bytes (`None`: no limit), its files in
    /// `dir` (`None`: the system temp directory).
    pub fn new(limit: Option<u64>, dir: Option<PathBuf>) -> Arrays {
        Arrays {
            inner: Arc::new(Inner {
                limit,
                dir,
                ..Inner::default()
            }),
        }
    }

    /// Everything in memory, no limit.
    pub fn in_memory() -> Arrays {
        Arrays::default()
    }

    /// The limit on resident bytes.
    pub fn limit(&self) -> Option<u64> {
        self.inner.limit
    }

    /// Decides where the arrays go, given the estimated resident bytes of an in-memory run
    /// (see [`estimate_bytes`]): into files when that exceeds the limit. Returns whether they
    /// do.
    pub fn plan(&self, estimate: u64) -> bool {
        let disk = self.inner.limit.is_some_and(|l| estimate > l);
        self.inner.on_disk.store(disk, Ordering::Relaxed);
        if disk {
            self.watch();
        }
        disk
    }

    /// Whether new arrays go to files.
    pub fn on_disk(&self) -> bool {
        self.inner.on_disk.load(Ordering::Relaxed)
    }

    /// The directory of the files.
    pub fn dir(&self) -> PathBuf {
        self.inner.dir.clone().unwrap_or_else(std::env::temp_dir)
    }

    /// `len` copies of `x` with room for `cap` elements, in memory or in a file as planned.
    pub fn try_with_capacity<T: Pod>(
        &self,
        len: usize,
        cap: usize,
        x: T,
    ) -> Result<Store<T>, AnalyzeError> {
        if !self.on_disk() {
            let mut v = Vec::with_capacity(cap.max(len));
            (0..len).into_par_iter().map(|_| x).collect_into_vec(&mut v);
            return Ok(Store::from_vec(v));
        }
        let dir = self.dir();
        let mut s = Store::in_file(&dir, len, cap).map_err(|e| temp_error(&dir, e))?;
        if !is_zero(&x) {
            s.par_chunks_mut(1 << 16).for_each(|c| c.fill(x));
            s.release();
        }
        if let Some(map) = s.mapping() {
            let map: Arc<dyn Releasable> = map.clone();
            self.register(&map);
        }
        Ok(s)
    }

    /// Has the watcher release `map` too (the dump's mapping), as long as it lives.
    pub fn watch_dump(&self, map: &Arc<Mmap>) {
        let map: Arc<dyn Releasable> = map.clone();
        self.register(&map);
    }

    fn register(&self, map: &Arc<dyn Releasable>) {
        if let Ok(mut maps) = self.inner.maps.lock() {
            maps.retain(|m| m.strong_count() > 0);
            maps.push(Arc::downgrade(map));
        }
    }

    /// `len` copies of `x`, in memory or in a file as planned.
    pub fn try_filled<T: Pod>(&self, len: usize, x: T) -> Result<Store<T>, AnalyzeError> {
        self.try_with_capacity(len, len, x)
    }

    /// [`Arrays::try_filled`] for the phases that cannot fail: when the file cannot be made,
    /// the array is made in memory and the error is kept for [`Arrays::take_error`].
    pub fn filled<T: Pod>(&self, len: usize, x: T) -> Store<T> {
        match self.try_filled(len, x) {
            Ok(s) => s,
            Err(e) => {
                if let Ok(mut slot) = self.inner.error.lock() {
                    slot.get_or_insert(e);
                }
                Store::from_vec(vec![x; len])
            }
        }
    }

    /// `len` zeros, as [`Arrays::filled`]; in memory their pages come fresh from the kernel
    /// and are not touched here (for a pass that fills the array from the front while
    /// `populate_while` (`base::populate`) faults the pages in on another thread).
    pub fn zeroed(&self, len: usize) -> Store<u32> {
        if self.on_disk() {
            return self.filled(len, 0);
        }
        Store::from_vec(vec![0; len])
    }

    /// Keeps `s`, an array in memory no longer needed, for the next [`Arrays::refilled`]
    /// (replacing any kept before; an array in a file is dropped): its pages are resident,
    /// and fresh ones are slow to fault in (about 0.6 s per GiB on our VMs).
    pub fn keep_spare(&self, s: Store<u32>) {
        if s.is_on_disk() {
            return;
        }
        if let Ok(mut slot) = self.inner.spare.lock() {
            *slot = Some(s);
        }
    }

    /// `len` copies of `x`, written on all threads over the kept spare when it holds at
    /// least `len` elements (it is then taken), else [`Arrays::filled`]. A spare too short
    /// is dropped.
    pub fn refilled(&self, len: usize, x: u32) -> Store<u32> {
        let spare = self.inner.spare.lock().ok().and_then(|mut s| s.take());
        match spare {
            Some(mut s) if s.capacity() >= len && !self.on_disk() => {
                s.truncate(len.min(s.len()));
                if s.resize(len, x).is_err() {
                    return self.filled(len, x);
                }
                s.par_chunks_mut(1 << 16).for_each(|c| c.fill(x));
                s
            }
            _ => self.filled(len, x),
        }
    }

    /// The first error [`Arrays::filled`] met, if any.
    pub fn take_error(&self) -> Option<AnalyzeError> {
        self.inner.error.lock().ok().and_then(|mut e| e.take())
    }

    /// Drops the resident pages of every live file-backed array (their data stays in the
    /// files): at the end of a phase, and by the watcher.
    pub fn release(&self) {
        self.inner.release_all();
    }

    /// Starts the watcher thread, once. It stops when the plan is dropped.
    fn watch(&self) {
        let Some(limit) = self.inner.limit else {
            return;
        };
        if self.inner.watching.swap(true, Ordering::Relaxed) {
            return;
        }
        let weak = Arc::downgrade(&self.inner);
        let threshold = release_threshold(limit);
        let spawned = std::thread::Builder::new()
            .name("hprofscan-rss".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                let Some(inner) = weak.upgrade() else { return };
                if resident().is_some_and(|(all, mapped)| all > threshold && mapped > MIN_MAPPED) {
                    inner.release_all();
                }
            });
        if spawned.is_err() {
            // No watcher: the phases still release their arrays when they end.
            self.inner.watching.store(false, Ordering::Relaxed);
        }
    }
}

/// A mapping whose resident pages can be dropped without changing what it reads as.
trait Releasable: Send + Sync {
    /// Drops the resident pages.
    fn release(&self);
}

impl Releasable for MmapRaw {
    fn release(&self) {
        release(self);
    }
}

impl Releasable for Mmap {
    fn release(&self) {
        // SAFETY: a read-only shared file mapping (the dump, or its decompressed unlinked
        // copy, which nothing writes any more): MADV_DONTNEED only drops resident pages, and
        // any later access, including through slices other threads hold, reads the same file
        // contents back. The advice is a hint; an error changes nothing and is ignored.
        unsafe {
            let _ = self.unchecked_advise(UncheckedAdvice::DontNeed);
        }
    }
}

impl Inner {
    fn release_all(&self) {
        let live: Vec<Arc<dyn Releasable>> = match self.maps.lock() {
            Ok(mut maps) => {
                maps.retain(|m| m.strong_count() > 0);
                maps.iter().filter_map(Weak::upgrade).collect()
            }
            Err(_) => return,
        };
        for m in &live {
            m.release();
        }
    }
}

/// Whether `x` is all zero bytes (as a new file's pages are).
fn is_zero<T: Pod>(x: &T) -> bool {
    // SAFETY: T is Pod: it has no padding, so all its size_of bytes are initialised, and
    // they are read through a shared borrow that lives as long as this view.
    let bytes = unsafe { std::slice::from_raw_parts((x as *const T).cast::<u8>(), size_of::<T>()) };
    bytes.iter().all(|&b| b == 0)
}

/// The resident set size of this process (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    resident().map(|(all, _)| all)
}

/// The resident bytes of this process, and how many of them are mapped file pages.
fn resident() -> Option<(u64, u64)> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let mut fields = statm.split_whitespace().skip(1);
    let all: u64 = fields.next()?.parse().ok()?;
    let shared: u64 = fields.next()?.parse().ok()?;
    Some((all * 4096, shared * 4096))
}

/// The error of a temp file that could not be made.
fn temp_error(dir: &Path, source: io::Error) -> AnalyzeError {
    AnalyzeError::TempFile {
        dir: dir.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_go_to_files_only_when_the_estimate_passes_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let a = Arrays::new(Some(1000), Some(dir.path().to_path_buf()));
        assert!(!a.on_disk());
        assert!(!a.try_filled(10, 7u32).unwrap().is_on_disk());
        assert!(!a.plan(1000));
        assert!(a.plan(estimate_bytes(100, 0)));
        let s = a.try_filled(10_000, u32::MAX).unwrap();
        assert!(s.is_on_disk());
        assert!(s.iter().all(|&x| x == u32::MAX));
        let z = a.filled(5, 0u64);
        assert!(z.is_on_disk() && z.iter().all(|&x| x == 0));
        a.release();
        assert_eq!(s[9_999], u32::MAX);
        assert!(a.take_error().is_none());
        // No limit: never on disk.
        assert!(!Arrays::in_memory().plan(u64::MAX));
    }

    #[test]
    fn an_unusable_directory_is_an_error_or_a_memory_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let a = Arrays::new(Some(1), Some(missing.clone()));
        a.plan(100);
        let e = a.try_filled(10, 1u32).unwrap_err();
        assert!(
            e.to_string().contains(&missing.display().to_string()),
            "{e}"
        );
        let s = a.filled(10, 1u32);
        assert!(!s.is_on_disk() && s.iter().all(|&x| x == 1));
        assert!(matches!(
            a.take_error(),
            Some(AnalyzeError::TempFile { .. })
        ));
        assert!(a.take_error().is_none());
    }

    #[test]
    fn the_watcher_leaves_room_for_a_fast_scan() {
        assert_eq!(release_threshold(1 << 30), 768 << 20);
        assert_eq!(release_threshold(8 << 30), 7 << 30);
        assert_eq!(release_threshold(0), 0);
    }

    #[test]
    fn the_resident_set_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(resident_bytes().unwrap() > 0);
        }
    }
}
