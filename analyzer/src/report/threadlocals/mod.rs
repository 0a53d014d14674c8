//! `hprofscan threadlocals`: values left in the ThreadLocal maps of live threads.
//!
//! Thread pools reuse threads, so a value set in a `ThreadLocal` and never removed lives as long
//! as the pool. The method:
//!
//! 1. **Threads** are the strongly reachable instances of `java.lang.Thread` and its
//!    subclasses (one scan of the class array). Each one's `threadLocals` and
//!    `inheritableThreadLocals` maps are read (`ThreadLocal$ThreadLocalMap`: `table`, an array
//!    of `ThreadLocalMap$Entry`), and every entry's `referent` (the `ThreadLocal` key, a weak
//!    reference) and `value` are read back from the dump, all threads' entries in one pass. The
//!    thread's name is its `name` String.
//! 2. **Retained.** A value's retained size is `retained[value]` when its immediate dominator is
//!    the entry, the table or the map of that thread (the map alone keeps it alive); otherwise
//!    the value is *shared* (also reachable from elsewhere, or from another entry already
//!    counted) and counts 0. An entry's retained size (`entries_retained_bytes`) is what removing
//!    the entry would free: the `Entry` object plus what it alone keeps, i.e. its value.
//! 3. **Stale entries.** An entry whose `referent` is null (the `ThreadLocal` key was collected
//!    and the reference cleared), or whose key is no longer strongly reachable (it will be
//!    cleared at the next GC), is stale: its value stays reachable from the thread, and no code
//!    can get or remove it any more. Stale entries are counted per thread and per value class,
//!    and form their own groups, one per value class.
//! 4. **Groups.** Live entries are grouped by their key. The key's *declaring field* is the
//!    field that references the `ThreadLocal` object directly: a static field
//!    (`Renderer.BUFFERS (static)`) first, else an instance field (`ParseTask.scratch`: the class
//!    whose instances hold it), application classes before JDK ones; when the key is only in
//!    an array or collection, the application field found by [`crate::query::holders::find_holders`].
//!    Each group lists its threads (names, and a pool pattern such as `ingest-worker-1..8`),
//!    the value classes and the bytes the values retain.
//! 5. **Leaks** ([`leak_findings`]): a group of live entries whose entries retain at least the
//!    threshold and whose values average at least [`SMALL_VALUE`] per thread (one small value
//!    per thread, such as a counter array or a `StringBuilder`, is what ThreadLocals are for);
//!    and a stale group retaining at least a tenth of the threshold (stale entries are never
//!    intended, like the leak-shaped collections of `leaks`). The finding's size is the
//!    entries' retained bytes, entries and values, as for stale entries no other figure makes
//!    sense (`Renderer.BUFFERS` in threadlocal-leak: 8 x 1,048,624, where the group's
//!    `retained_bytes`, the values alone, is 8 x 1,048,592).
//!
//! 6. **A ThreadLocal per object** (`per_object.rs`): the live groups of one instance field, 100
//!    or more (`new ThreadLocal<>()` in a per-request helper, set on pool threads and never
//!    removed), are one finding: each key alone is a few hundred bytes, together they can hold
//!    most of the heap. The report still lists each key's group.
//!
//! The code: `model.rs` (the document), `read.rs` (threads, maps, entries and declaring
//! fields read from the dump), `report.rs` (the report), `findings.rs` (its leaks),
//! `per_object.rs` (the merge of one field's keys).

mod findings;
mod model;
mod per_object;
mod read;
mod report;

pub use findings::{findings_above, findings_of, leak_findings};
pub use model::*;
pub use report::threadlocal_report;
