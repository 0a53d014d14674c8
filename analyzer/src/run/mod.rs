//! Stage 7, whole runs over the stages: `scan` (one leak record per dump of an archive, and the
//! leaks they share) and `everything` (every stage and report over arbitrary bytes, for the
//! fuzzer and the robustness tests). Imports every stage below it.

pub mod everything;
pub mod scan;
