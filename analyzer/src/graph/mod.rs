//! Stage 2, heap -> object graph: every object gets a dense `u32` node index in id order
//! (`ids.rs`, `idindex.rs`, `ranked.rs`), references live in flat CSR arrays
//! (`object_graph.rs`), and each node's class and shallow size are stored compactly
//! (`node_classes.rs`, `shallow_sizes.rs`). `build.rs` builds it in passes over the heap, the
//! reference pass in `edges.rs` (its lists moved to temp files under `--max-memory` by
//! `spill.rs`). Imports `base` and `load`.

pub(crate) mod build;
pub(crate) mod edges;
pub(crate) mod idindex;
pub mod ids;
pub(crate) mod node_classes;
pub mod object_graph;
pub(crate) mod ranked;
pub(crate) mod shallow_sizes;
pub(crate) mod spill;
