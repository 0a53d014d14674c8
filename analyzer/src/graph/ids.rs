//! What a node of the graph is called: its dense `u32` index, and the value that stands for
//! "no node" / "no class".

/// "No node" / "no class".
pub const NONE: u32 = u32::MAX;

/// The dominator tree's virtual super-root, as a value of an immediate dominator
/// (`dom::dominators::Dominators::idom`); never a node of the graph.
pub const SUPER_ROOT: u32 = u32::MAX - 1;
