//! The ThreadLocal report's document: threads, their values, groups by key, totals.

use crate::base::id::ObjectId;
use serde::Serialize;

use crate::load::dump::DumpMeta;
use crate::query::holders::Holder;
use crate::report::finding::ClassCount;

/// Values averaging less than this per thread are "one small value per thread": a cache, not a
/// leak.
pub const SMALL_VALUE: u64 = 64 * 1024;

/// Options of the ThreadLocal report.
#[derive(Clone, Debug)]
pub struct ThreadLocalOptions {
    /// Thread names listed per group (the count is always complete).
    pub max_names: usize,
}

impl Default for ThreadLocalOptions {
    fn default() -> Self {
        ThreadLocalOptions { max_names: 64 }
    }
}

/// Which of a thread's two maps an entry is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum MapField {
    /// `Thread.threadLocals`.
    #[serde(rename = "threadLocals")]
    ThreadLocals,
    /// `Thread.inheritableThreadLocals`.
    #[serde(rename = "inheritableThreadLocals")]
    InheritableThreadLocals,
}

impl MapField {
    /// The field's name.
    pub fn field(self) -> &'static str {
        match self {
            MapField::ThreadLocals => "threadLocals",
            MapField::InheritableThreadLocals => "inheritableThreadLocals",
        }
    }
}

/// An object by id and class.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ObjectRef {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Its class.
    pub class: String,
}

/// The values one thread holds for one ThreadLocal (or, for stale entries, of one value class).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadValue {
    /// The map the entries are in.
    pub map: MapField,
    /// The ThreadLocal key; None for stale entries.
    pub key: Option<ObjectRef>,
    /// The field that declares the key.
    pub declared_by: Option<Holder>,
    /// Whether the entries are stale (their key was collected).
    pub stale: bool,
    /// The values' class (`<null>` for a null value).
    pub value_class: String,
    /// Number of entries (1 for a live key; stale entries are counted per value class).
    pub entries: u64,
    /// Bytes the values retain (shared values count 0).
    pub retained_bytes: u64,
    /// Bytes removing the entries would free: the entries and what they alone keep.
    pub entries_retained_bytes: u64,
    /// Values also reachable from outside this thread's map (their retained size is not
    /// counted).
    pub shared_values: u64,
}

/// One thread and what its ThreadLocal maps hold.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadLocals {
    /// The Thread object's id.
    pub id: ObjectId,
    /// The thread's name, if readable.
    pub name: Option<String>,
    /// The Thread object's class.
    pub class: String,
    /// Entries in both maps.
    pub entries: u64,
    /// Of those, stale entries.
    pub stale_entries: u64,
    /// Bytes the values retain.
    pub retained_bytes: u64,
    /// Bytes the entries retain (entries and values).
    pub entries_retained_bytes: u64,
    /// The values, largest first.
    pub values: Vec<ThreadValue>,
}

/// All values held for one ThreadLocal across threads, or all stale entries of one value
/// class.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadLocalGroup {
    /// Whether this is a group of stale entries (keyed by value class, no key).
    pub stale: bool,
    /// The ThreadLocal object; None for stale groups.
    pub key: Option<ObjectRef>,
    /// The field that declares the ThreadLocal (`Renderer.BUFFERS`, static); None when
    /// unknown (always for stale groups).
    pub declared_by: Option<Holder>,
    /// Number of threads holding a value.
    pub threads: u64,
    /// Their names, in natural order (at most `max_names`).
    pub thread_names: Vec<String>,
    /// The names as a pattern: `ingest-worker-1..8`.
    pub thread_pattern: String,
    /// Number of entries.
    pub entries: u64,
    /// The most frequent value class.
    pub value_class: String,
    /// All value classes, most frequent first.
    pub value_classes: Vec<ClassCount>,
    /// Bytes the values retain.
    pub retained_bytes: u64,
    /// Bytes the entries retain (entries and values): what removing them frees.
    pub entries_retained_bytes: u64,
    /// Values also reachable from elsewhere (retained not counted).
    pub shared_values: u64,
    /// The value that retains the most.
    pub largest_value: Option<ObjectRef>,
    /// The node of `largest_value`.
    #[serde(skip)]
    pub(crate) largest_node: Option<u32>,
    /// Maps the entries are in.
    #[serde(skip)]
    pub(crate) maps: Vec<MapField>,
    /// The values' nodes, one per entry that has a value.
    #[serde(skip)]
    pub(crate) value_nodes: Vec<u32>,
}

/// Totals over all threads.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ThreadLocalTotals {
    /// Strongly reachable Thread objects.
    pub threads: u64,
    /// Threads with at least one entry.
    pub threads_with_entries: u64,
    /// Entries in all maps.
    pub entries: u64,
    /// Stale entries.
    pub stale_entries: u64,
    /// Bytes all values retain.
    pub retained_bytes: u64,
    /// Bytes all entries retain.
    pub entries_retained_bytes: u64,
}

/// The live groups of one instance field that declares a ThreadLocal per object (100 or more
/// of them), as one group.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PerObjectGroup {
    /// How many ThreadLocals (keys, each a group of `groups`) the field's objects made.
    pub thread_locals: u64,
    /// All their entries as one group (`key` null).
    #[serde(flatten)]
    pub group: ThreadLocalGroup,
}

/// `hprofscan/threadlocals/2`.
#[derive(Clone, Debug, Serialize)]
pub struct ThreadLocalReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: ThreadLocalTotals,
    /// Groups, largest `entries_retained_bytes` first.
    pub groups: Vec<ThreadLocalGroup>,
    /// The groups of each instance field that made a ThreadLocal per object (100 or more keys),
    /// merged; largest `entries_retained_bytes` first. Their keys' groups are in `groups` too.
    pub per_object: Vec<PerObjectGroup>,
    /// Every thread, those whose entries retain the most first.
    pub threads: Vec<ThreadLocals>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

impl ThreadLocalReport {
    /// Whether live group `g` is one key of a field in `per_object` (listed there merged).
    pub fn in_per_object(&self, g: &ThreadLocalGroup) -> bool {
        !g.stale
            && g.declared_by.is_some()
            && self
                .per_object
                .iter()
                .any(|p| p.group.declared_by == g.declared_by)
    }
}
