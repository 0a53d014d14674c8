//! Heap analysis for hprofscan: from a parsed dump to reports.
//!
//! [`heap::Heap::load`] opens a dump and takes its census (classes, roots, counts per class)
//! in one parallel pass; the reports ([`info::info`], [`histogram::histogram`]) are pure
//! functions from the heap to serde structs that the CLI renders as text or JSON.
#![deny(missing_docs)]

pub mod analysis;
pub mod art_sizes;
pub mod bitmaps;
pub mod census;
pub mod classes;
pub mod classloaders;
pub mod collections;
pub mod dominators;
pub mod domtree;
pub mod dump;
pub mod duplicates;
pub mod error;
pub mod everything;
pub mod finding;
pub mod graph;
pub mod growth;
pub mod heap;
pub mod histogram;
pub mod holders;
pub mod idindex;
pub mod info;
pub mod leaks;
pub mod mapping;
pub mod node_classes;
pub mod objects;
pub mod offheap;
pub mod pass;
pub mod path;
pub mod progress;
pub mod ranked;
pub mod resources;
pub mod retained_classes;
pub mod scan;
pub mod shallow_sizes;
mod shared;
pub mod size;
pub mod text;
pub mod threadlocals;
pub mod waste;

pub use dump::{Dump, DumpMeta, LoadOptions};
pub use error::AnalyzeError;
pub use heap::Heap;
pub use progress::{NoProgress, Progress};
