//! Stage 5, the reports: each a function from the loaded or analysed heap to a serde struct
//! that the CLI renders as text, JSON or HTML. Reports import the stages below them and each
//! other's results, never `leaks`.
//!
//! Census-based (no graph): `info`, `histogram`, `bitmaps`, `art_sizes`. Graph-based:
//! `domtree` (dominators), `path`, `threadlocals`, `classloaders`, `resources` (their shared
//! finding in `finding.rs`; built once per run as `runtime::RuntimeReports`), `offheap`, `waste/`, `growth`.

pub mod art_sizes;
pub mod bitmaps;
pub mod classloaders;
pub mod domtree;
pub mod finding;
pub mod growth;
pub mod histogram;
pub mod info;
pub mod offheap;
pub mod path;
pub mod resources;
pub mod runtime;
pub mod threadlocals;
pub mod waste;
