//! Faulting in fresh pages on a helper thread, ahead of a sequential pass that fills arrays
//! from the front (the DFS's per-preorder arrays).
//!
//! The first touch of a fresh anonymous page is the largest kernel cost on our VMs (about
//! 0.6 s per GiB); inside a sequential pass each fault waits, and filling the arrays on all
//! threads beforehand still costs that time before the pass starts. A helper thread asks the
//! kernel to fault the pages in (`MADV_POPULATE_WRITE`: the pages are made resident and
//! writable, their contents stay zero and nothing is written from user space), while the pass
//! runs on the other core.

use std::sync::atomic::{AtomicBool, Ordering};

/// Bytes faulted in per call: the helper alternates between the arrays in steps of this.
const STEP: usize = 2 << 20;

/// The whole pages of an array, by address only (taken before the pass borrows the array).
#[derive(Clone, Copy, Debug)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The whole pages of `s`.
    pub fn of<T>(s: &[T]) -> Span {
        let page = page_size();
        let start = s.as_ptr() as usize;
        let end = start + std::mem::size_of_val(s);
        Span {
            start: start.div_ceil(page) * page,
            end: end / page * page,
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

/// Runs `pass` while a helper thread faults in the pages of `spans` (of fresh, zeroed arrays
/// that `pass` fills from the front and that outlive this call), front to back, the arrays in
/// turn. The helper stops when it is done, when the kernel refuses (older kernels have no
/// `MADV_POPULATE_WRITE`), or when `pass` returns. Contents never change: populating only
/// makes zero pages resident.
pub fn populate_while<R>(spans: &[Span], pass: impl FnOnce() -> R) -> R {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let stop = &stop;
        let helper = std::thread::Builder::new()
            .name("hprofscan-populate".into())
            .spawn_scoped(scope, move || populate(spans, stop));
        let r = pass();
        stop.store(true, Ordering::Relaxed);
        // A helper that could not start changes nothing: the pass faulted its pages itself.
        if let Ok(h) = helper {
            let _ = h.join();
        }
        r
    })
}

/// Faults in `spans`, STEP bytes of each in turn, until all are done or `stop` is set.
fn populate(spans: &[Span], stop: &AtomicBool) {
    let mut at: Vec<usize> = spans.iter().map(|s| s.start).collect();
    loop {
        let mut any = false;
        for (s, a) in spans.iter().zip(at.iter_mut()) {
            if *a >= s.end {
                continue;
            }
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let len = STEP.min(s.end - *a);
            // SAFETY: [a, a + len) is whole pages inside an array the caller keeps alive and
            // mapped until this thread is joined. MADV_POPULATE_WRITE only faults pages in
            // (as a write would, without writing): no byte of the array changes, so it cannot
            // race with the pass's own reads and writes.
            let r =
                unsafe { libc::madvise(*a as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE) };
            if r != 0 {
                return;
            }
            *a += len;
            any = true;
        }
        if !any {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populating_keeps_the_contents_and_the_pass_result() {
        let mut a = vec![0u32; 3 << 20];
        let b = vec![7u32; 1 << 20];
        let spans = [Span::of(&a), Span::of(&b)];
        let sum = populate_while(&spans, || {
            for (i, x) in a.iter_mut().enumerate() {
                *x = i as u32;
            }
            a.iter().map(|&x| x as u64).sum::<u64>()
        });
        let n = a.len() as u64;
        assert_eq!(sum, n * (n - 1) / 2);
        assert!(b.iter().all(|&x| x == 7));
        assert!(populate_while(&[], || true));
    }
}
