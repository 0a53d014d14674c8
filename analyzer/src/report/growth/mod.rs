//! `hprofscan growth` and `hprofscan diff`: what grows across a series of dumps of one
//! application.
//!
//! # Method
//!
//! Object ids are addresses and change between dumps, so nothing is matched by id. Each dump is
//! reduced to a small [`DumpSummary`] ([`summarize`], or [`summarize_file`], which loads the
//! dump, summarises it and drops the heap before returning): the caller keeps only the
//! summaries, so a series of three 2 GB dumps needs no more memory than one. The report
//! ([`growth_report`], [`diff_report`]) is a pure function of the summaries.
//!
//! A summary holds:
//!
//! - **Holders**: every application field that owns a collection (a static field, or an
//!   instance field of an application object), found as `leaks` finds holders
//!   ([`crate::query::holders`]): the first application field met walking references backwards from
//!   the collection (pseudo-fields such as HotSpot's `<resolved_references>` are not holders).
//!   A collection is recorded when it retains at least [`MIN_HOLDER_SHARE`] (0.1%) of the
//!   reachable heap **or** has at least [`MIN_HOLDER_ENTRIES`] (100) entries. A collection
//!   whose holder is reached through another recorded collection (a set's map, a wrapper's
//!   collection, the lists in a map) is part of that one and not recorded on its own; nor is a
//!   collection of class objects (a class loader's bookkeeping). A collection that does not
//!   dominate its backing array (an iterator on a thread's stack points at its table too) is
//!   recorded with the array's bytes, in place of the array. A buffer (`StringBuilder`,
//!   `StringBuffer`, `ByteArrayOutputStream`, `CharArrayWriter`: `query/buffers.rs`) is
//!   recorded like a collection when it retains at least the share floor, its entries the chars
//!   or bytes it holds (element class `char` or `byte`); so is an array that a field of an
//!   application object (not a collection) references directly, its entries its slots
//!   (element class `int`, `long`..., or the elements' class): a table grown with every new
//!   index, a hand-grown list. An array is judged by its slots alone: a ring buffer filling
//!   up holds more bytes in the same slots, and only a bigger array is growth. A ThreadLocal whose value on
//!   each thread is a collection, or an object keeping one in a field, is a holder too, under
//!   the field that declares the ThreadLocal: its entries are the elements on every thread.
//!
//!   Holders are matched across dumps by `(class, field, static)`, class names with
//!   hidden-class suffixes removed ([`crate::query::collections::normalise_class`]). **Several
//!   collections with one key** (one instance field of many instances, or a static field of a
//!   class defined by several loaders) are **aggregated**: `entries` and `retained_bytes` are
//!   summed and `collections` says how many there were; the collection and element class are
//!   those of the largest.
//!
//!   **Nesting.** The fields of long-lived instances are often inside another recorded
//!   collection (the beans of a container's map, the tenants of a static list): such a holder
//!   is recorded `within` the holder of the nearest recorded collection that dominates it (no
//!   class object in between: a static field's collection belongs to its class). Every byte
//!   under a recorded collection belongs to the nearest recorded collection above it: that
//!   is a holder's `own_retained_bytes`, while `retained_bytes` is everything it retains
//!   (a collection inside another one of the same holder, in a recursive structure, is not
//!   counted twice).
//! - **Classes**: instances and shallow bytes of the strongly reachable objects per class name
//!   (a live histogram, with hidden-class suffixes removed so lambdas of one site group
//!   together).
//!
//! # Verdicts
//!
//! Each holder's entries and own retained bytes are classified separately by [`classify`]; a
//! holder is `growing` when either is, otherwise it takes the entries' verdict unless that is
//! `stable`, in which case it takes the bytes' verdict ([`holder_verdict`]). Own bytes, so
//! that the container of a growing nested holder is not growing too. For a holder `within`
//! another one, entries and own bytes are taken **per collection**, so that lists that only
//! multiply with their owners (the attribute lists of the sessions in a growing map) are not a
//! growth of their own, while the lists of a fixed set of tenants that each grow are. A value
//! missing from a dump (the holder was absent there, or under both floors) counts as 0.
//!
//! A step between two consecutive dumps is **noise** (flat) when it changes by less than
//! [`NOISE_SHARE`] (2%) of the larger of the two values, or by at most [`NOISE_ENTRIES`]
//! (10) entries / [`NOISE_BYTES`] (16 KiB). Otherwise it is up or down. Then:
//!
//! | verdict | rule |
//! |---|---|
//! | `growing` | no step down and the last step up (rising at every step, or flat and then rising); or, with steps down too, the last value is the highest and at least 4x the first (doubled and doubled again); or, with 4 or more dumps, every step rises by a little and the whole series rises by more than noise |
//! | `warming` | rose (at least one step up, none down), then flat at the last step |
//! | `stable` | every step is noise |
//! | `shrinking` | at least one step down and none up |
//! | `fluctuating` | steps up and down, and not `growing` by the doubling rule |
//!
//! With two dumps (a diff) any rise beyond noise is `growing`: one interval cannot tell cache
//! warming from a leak.
//!
//! `bytes_per_hour` is the change in `retained_bytes` from the first dump to the last, divided
//! by the time between their header timestamps (null when the timestamps are equal). Holders
//! are ranked `growing` first, then `warming`, `fluctuating`, `shrinking`, `stable`, and within
//! a verdict by bytes added (the same order as `bytes_per_hour`), then by name.
//!
//! The classes are those whose shallow bytes grew most from the first dump to the last, by
//! more than noise (the same rule as a step), at most [`GrowthOptions::top_classes`] (20 by
//! default). Only **strongly reachable** objects are counted (as `jmap -histo:live` would):
//! the filler arrays a GC leaves in retired TLABs come and go between dumps and are not
//! growth. This differs from `hprofscan histogram`, which counts every object in the dump.
//!
//! Dumps are ordered by their header timestamps; a warning says so when that differs from the
//! order they were given in.
//!
//! # Layout
//!
//! `model.rs` (the document and the thresholds), `summary.rs` (per dump), `verdict.rs` (one
//! series' verdict), `series.rs` (the report across the series).

mod backing;
mod model;
mod one_field;
mod series;
mod summary;
mod threadlocal_samples;
mod verdict;

pub use model::{
    ClassGrowth, ClassSample, DumpEntry, DumpSummary, GrowthOptions, GrowthReport, HolderGrowth,
    HolderSample, Verdict, MIN_HOLDER_ENTRIES, MIN_HOLDER_SHARE, NOISE_BYTES, NOISE_ENTRIES,
    NOISE_SHARE, SCHEMA,
};
pub use series::{diff_report, growth_report, growth_report_with};
pub(crate) use summary::entries_of;
pub use summary::{summarize, summarize_file};
pub use verdict::{classify, holder_verdict};
