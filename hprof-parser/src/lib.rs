//! Zero-copy parser for Java HPROF heap dumps.
//!
//! An HPROF file is a header (`JAVA PROFILE 1.0.2\0`, the identifier size, a millisecond
//! timestamp) followed by top-level records, each a tag byte, a time offset and a
//! length-prefixed body. The heap itself sits in HEAP_DUMP or, since 1.0.2, in
//! HEAP_DUMP_SEGMENT records (HotSpot cuts them at about 1 MiB) closed by HEAP_DUMP_END; their
//! bodies are sequences of sub-records: GC roots, class dumps, instances, object arrays and
//! primitive arrays. Identifiers (object ids, string ids) are 4 or 8 bytes, big-endian.
//!
//! This crate only knows bytes:
//! - [`source::DumpSource`] maps a dump, decompressing gzip first;
//! - [`index::DumpIndex`] scans the top-level records once (strings, classes, heap ranges);
//! - [`heap::walk_heap`] walks heap sub-records and hands views to a [`heap::HeapVisitor`];
//! - [`split::split_heap`] cuts heap ranges into pieces that can be walked in parallel;
//! - [`stacks`] decodes stack frames and traces (the method whose local holds a root);
//! - [`redact::redact`] writes a copy of a dump with primitive array contents replaced, and
//!   with [`pseudonym::Pseudonyms`] application class, field and method names too.
//!
//! Every length is checked against the bytes that remain before it is used, and every error
//! ([`ParseError`]) names the structure and its absolute byte offset. Nothing panics on bad
//! input.
#![deny(missing_docs)]

pub mod error;
pub mod header;
pub mod heap;
#[cfg(feature = "test-util")]
pub mod hostile;
pub mod index;
pub mod names;
pub mod pseudonym;
pub mod reader;
pub mod records;
pub mod redact;
pub mod source;
pub mod split;
pub mod stacks;
pub mod tag;
#[cfg(feature = "test-util")]
pub mod writer;

pub use error::{ParseError, Result};
pub use header::{Header, Version};
pub use heap::{
    read_sub_record, walk_heap, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray, Root,
};
pub use index::{DumpIndex, HeapRange, LoadClass, Snapshot};
pub use source::{Compression, DumpSource, OpenOptions};
pub use tag::{BasicType, RecordTag, RootKind, SubTag};
