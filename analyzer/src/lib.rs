//! Heap analysis for hprofscan: from a parsed dump to reports.
//!
//! The crate is a pipeline, one stage per folder; each stage imports only the stages above it
//! in this list, so the tree shows how a dump becomes a report:
//!
//! | stage | folder | what it makes |
//! |---|---|---|
//! | 0 | [`base`] | errors, progress, number formatting, parallel helpers |
//! | 1 | [`load`] | dump -> census -> [`Heap`] (classes, roots, counts, size model) |
//! | 2 | [`graph`] | heap -> object graph (node ids, CSR edges, node classes, shallow sizes) |
//! | 3 | [`dom`] | graph -> dominator tree and retained sizes: the [`dom::analysis::Analysis`] |
//! | 4 | [`query`] | what analyses ask of the heap: objects, fields, strings, collections, holders |
//! | 5 | [`report`] | each report a function from the heap or the analysis to a serde struct |
//! | 6 | [`leaks`] | leak verdicts from evidence, built on the reports' findings |
//! | 7 | [`run`] | whole runs: a scan of many dumps, every stage at once for the fuzzer |
//!
//! The census-based reports ([`report::info::info_of_heap`], [`report::histogram::histogram`])
//! need only a [`Heap`]; everything else reads an [`dom::analysis::Analysis`]. The CLI
//! (`hprofscan`) renders the structs as text, JSON or HTML.
//!
//! # Example
//!
//! A dump with one class and one instance, written with the parser's test builder, through
//! every stage:
//!
//! ```
//! use std::path::Path;
//!
//! use analyzer::dom::analysis::Analysis;
//! use analyzer::report::histogram::{histogram, HistogramOptions};
//! use analyzer::{Dump, Heap, LoadOptions, NoProgress};
//! use hprof_parser::writer::{ClassDef, HprofWriter};
//! use hprof_parser::{DumpSource, RootKind};
//!
//! // A dump: java.lang.Object, com.example.Cache, and one Cache held by a GC root.
//! let mut w = HprofWriter::new(8);
//! w.utf8(1, "java.lang.Object").utf8(2, "com.example.Cache");
//! w.load_class(1, 0x100, 1).load_class(2, 0x200, 2);
//! w.begin_segment();
//! w.class_dump(&ClassDef::new(0x100, 0));
//! w.class_dump(&ClassDef::new(0x200, 0x100));
//! w.instance(0x1000, 0x200, &[]);
//! w.root(RootKind::StickyClass, 0x200);
//! w.root(RootKind::JniGlobal, 0x1000);
//! w.end_segment().heap_dump_end();
//! let bytes = w.finish();
//!
//! // Stage 1: dump -> census -> heap.
//! let source = DumpSource::from_vec(Path::new("example.hprof"), bytes);
//! let dump = Dump::from_source(source, &LoadOptions::default())?;
//! let heap = Heap::from_dump_for(dump, true, &NoProgress)?;
//! let rows = histogram(&heap, &HistogramOptions::default());
//! assert!(rows.classes.iter().any(|c| c.class == "com.example.Cache" && c.instances == 1));
//!
//! // Stages 2 and 3: graph and dominators.
//! let a = Analysis::build(heap, &NoProgress)?;
//! assert_eq!(a.summary().reachable_objects, 3); // the instance and the two class objects
//!
//! // Stages 5 and 6: reports and leaks read the analysis.
//! let leaks = analyzer::leaks::leak_report(&a, &Default::default(), None);
//! assert!(leaks.suspects.is_empty());
//! # Ok::<(), analyzer::AnalyzeError>(())
//! ```
#![deny(missing_docs)]

pub mod base;
pub mod dom;
pub mod graph;
pub mod leaks;
pub mod load;
pub mod query;
pub mod report;
pub mod run;

pub use base::error::AnalyzeError;
pub use base::id::ObjectId;
pub use base::progress::{NoProgress, Progress};
pub use load::dump::{Dump, DumpMeta, LoadOptions};
pub use load::heap::Heap;
