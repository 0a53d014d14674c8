//! Progress reporting from long passes, without tying the analyzer to a terminal library.

/// Receives progress from the passes over the heap. Implementations must be cheap: they are
/// called once per piece of heap (a few MiB).
pub trait Progress: Sync {
    /// A new phase begins that will process `total` bytes.
    fn start(&self, _phase: &str, _total: u64) {}
    /// A new phase begins that works on `count` things (`unit`: "objects", "references");
    /// [`Progress::advance`] then counts those things, not bytes. A count of 0 (or an empty
    /// unit) is a phase that reports only its start and end.
    fn start_count(&self, phase: &str, _count: u64, _unit: &str) {
        self.start(phase, 0)
    }
    /// `n` more units of the phase are done: bytes after [`Progress::start`], the counted
    /// things after [`Progress::start_count`]. Hot loops call it every 2^20 items or so,
    /// from their outer loop, never per item.
    fn advance(&self, _n: u64) {}
    /// The phase is over.
    fn finish(&self) {}
    /// A line of detail for `--verbose` (sizes, counts).
    fn detail(&self, _line: &str) {}
}

/// How many items a hot loop handles between two calls of [`Progress::advance`]: a counter
/// check per item at most, a call (which may take a lock) per million. A power of two, so
/// the check is a mask.
pub const TICK: usize = 1 << 20;

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}
