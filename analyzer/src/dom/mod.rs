//! Stage 3, graph -> dominator tree: immediate dominators and retained sizes of every node
//! (`dominators.rs`; retained sizes stored in four bytes per node, `retained.rs`), the
//! [`analysis::Analysis`] that bundles heap, graph and dominators for everything above, and
//! retained bytes per class (`retained_classes.rs`). Imports `base`, `load` and `graph`.

pub mod analysis;
pub mod climb;
pub mod dominators;
mod predecessors;
pub mod retained;
pub mod retained_classes;
