//! Stage 0, what every stage uses: the error type, the big arrays in memory or in mapped
//! temporary files (`store.rs`, `arrays.rs`), object ids (`id.rs`), progress reporting, number formatting for
//! warnings, and the parallel helpers of the graph passes. Imports no other stage.

pub mod arrays;
pub(crate) mod error;
pub mod id;
pub(crate) mod populate;
pub(crate) mod progress;
pub(crate) mod shared;
pub mod store;
pub mod text;
