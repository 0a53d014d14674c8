//! Progress reporting from long passes, without tying the analyzer to a terminal library.

/// Receives progress from the passes over the heap. Implementations must be cheap: they are
/// called once per piece of heap (a few MiB).
pub trait Progress: Sync {
    /// A new phase begins that will process `total` bytes.
    fn start(&self, _phase: &str, _total: u64) {}
    /// A new phase begins that works on `count` things (`unit`: "objects", "references")
    /// and reports no bytes as it goes.
    fn start_count(&self, phase: &str, _count: u64, _unit: &str) {
        self.start(phase, 0)
    }
    /// `bytes` more bytes are done.
    fn advance(&self, _bytes: u64) {}
    /// The phase is over.
    fn finish(&self) {}
    /// A line of detail for `--verbose` (sizes, counts).
    fn detail(&self, _line: &str) {}
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}
