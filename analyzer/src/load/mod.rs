//! Stage 1, dump -> census -> heap: opens a dump (memory-mapped or decompressed), indexes its
//! records, takes the census in one parallel pass (classes, GC roots, counts and sizes per
//! class), and works out the JVM's object layout. Imports only `base`.
//!
//! - `dump.rs`: the opened file and the options it was opened with ([`crate::LoadOptions`]);
//! - `pass.rs`: the parallel walk over heap-dump pieces every later pass uses;
//! - `census.rs`, `duplicates.rs`: the census, and repeated object ids dropped;
//! - `marks.rs`: where each stretch of a piece starts and its id range, to find objects again;
//! - `classes.rs`, `mapping.rs`: the class table, with ProGuard/R8 names restored;
//! - `size.rs`: the size model (object header, field layout, alignment);
//! - `heap.rs`, `producer.rs`: the loaded [`crate::Heap`], and what wrote the dump.

pub mod census;
pub(crate) mod class_cache;
pub mod classes;
pub mod dump;
pub(crate) mod duplicates;
pub(crate) mod heap;
pub mod layout;
pub mod mapping;
pub mod marks;
pub(crate) mod pass;
pub mod producer;
pub mod size;
