//! `hprofscan classloaders`: every class loader, what it defined and retains, how it is kept
//! alive; class names defined by several loaders (redeploys); stale loaders.
//!
//! The method:
//!
//! 1. **Loaders** are the instances of `java.lang.ClassLoader` and its subclasses, plus any
//!    object named as a class's defining loader in the dump; only strongly reachable ones are
//!    listed (the others are garbage and only counted). Each one's `name` and `parent` fields
//!    are read back. The classes it defined are the class dumps whose loader id is the
//!    loader's (array classes, which follow their element class, are not counted).
//! 2. **Live instances**: one scan of the graph counts the strongly reachable instances and
//!    arrays of every class; a loader's live instances are those of its classes.
//! 3. **How it is kept alive**: whether it is itself a GC root, which threads use it as their
//!    context class loader (`Thread.contextClassLoader`), how many loaders have it as `parent`,
//!    its live instances, and the application field that holds it (found by
//!    [`crate::query::holders::find_holders`] walking references backwards: a registry list such as
//!    `PluginHost.DEPLOYED (static)`, or a static field of a class from a parent loader). The
//!    JDK's built-in loaders (`jdk.internal.loader.*`) are not searched: every other loader
//!    references them as its parent.
//! 4. **Stale**: a loader is stale when it defined at least one class, but no instance of any
//!    of its classes is live, no thread uses it as context class loader, it is not a GC root
//!    and no loader that is not stale has it as parent. What keeps it is then only a
//!    reference to the loader (or to its classes) that nobody uses: after a redeploy, the old
//!    loader and every class it defined, with their statics, stay. A loader whose objects are
//!    still referenced (for instance from a static field of a parent loader's class, the
//!    classic `DriverManager` leak) is not stale here; its `holder` still names the field.
//! 5. **Duplicate classes**: class names defined by more than one loader, each with its number
//!    of copies and how many of them belong to stale loaders.
//! 6. **Leaks** ([`leak_findings`]): stale loaders of one class held by the same application
//!    field become one `classloaders` finding when there are at least two of them or they
//!    retain at least the threshold. Its `entries` is the number of loaders of that class the
//!    field holds, stale or not (all 12 redeploys in `PluginHost.DEPLOYED`), and
//!    `stale_entries` those that are stale (11: the 12th defined the plugin object that is
//!    still active, so it is in use); the retained bytes are the stale loaders' (each loader
//!    retains its classes, their statics and its own bookkeeping).
//!
//! The code: `model.rs` (the document), `read.rs` (what is read of each loader),
//! `report.rs` (the report), `findings.rs` (its leaks).

mod findings;
mod model;
mod read;
mod report;

pub use findings::{findings_of, leak_findings};
pub use model::{
    ClassLoaderOptions, ClassLoaderReport, ClassLoaderTotals, DuplicateClass, LoaderInfo,
};
pub use report::classloader_report;
