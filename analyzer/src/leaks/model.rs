//! The `leaks` report as serialised ([`SCHEMA`]): suspects and the big retainers beside them.

use crate::base::id::ObjectId;
use serde::Serialize;

use crate::dom::analysis::HeapSummary;
use crate::load::dump::DumpMeta;
use crate::query::holders::Holder;

pub use super::left_behind::{LeftBehind, LeftBy};

/// The schema name and version of the report.
pub const SCHEMA: &str = "hprofscan/leaks/16";

/// Default share of the reachable heap a suspect without strong evidence must retain.
pub const DEFAULT_THRESHOLD: f64 = 0.10;
/// Default number of entries below which a collection is a few big objects.
pub const DEFAULT_MIN_ENTRIES: u64 = 100;
/// Default number of big retainers listed beside the suspects.
pub const DEFAULT_TOP_RETAINERS: usize = 10;

/// Options of the leak report.
#[derive(Clone, Debug)]
pub struct LeakOptions {
    /// Share of the reachable heap a suspect must retain unless strong evidence (growth, idle
    /// entries) shows a leak; candidates are looked at down to a tenth of it.
    pub threshold: f64,
    /// Entries below which a collection is a few big objects, not an accumulation.
    pub min_entries: u64,
    /// Retainers listed that are not suspects.
    pub top_retainers: usize,
}

impl Default for LeakOptions {
    fn default() -> Self {
        LeakOptions {
            threshold: DEFAULT_THRESHOLD,
            min_entries: DEFAULT_MIN_ENTRIES,
            top_retainers: DEFAULT_TOP_RETAINERS,
        }
    }
}

/// What kind of structure a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeakKind {
    /// A collection in a static field.
    StaticCollection,
    /// A map in an instance field.
    UnboundedMap,
    /// Another collection in an instance field.
    Collection,
    /// Listeners or callbacks registered on a long-lived object.
    Listeners,
    /// Periodic tasks in a Timer or scheduled executor.
    ScheduledTasks,
    /// Tasks waiting in a thread pool's work queue: its threads cannot keep up, or are stuck.
    WorkQueue,
    /// One application object (not a collection) that retains many objects of one class: a
    /// hand-made linked list or tree.
    SingleObject,
    /// Many instances of one application class, none big alone.
    ClassGroup,
    /// Values in the ThreadLocal maps of long-lived (pooled) threads.
    Threadlocal,
    /// Class loaders kept alive after their application was replaced.
    Classloaders,
    /// Streams, sockets and pooled connections opened and not closed or returned.
    OpenResources,
    /// Many live threads of one name pattern that no pool owns.
    Threads,
    /// Many thread pools of one kind, each with its own idle threads.
    Executors,
    /// Direct `ByteBuffer`s whose native memory (outside the Java heap) one field keeps alive.
    DirectBuffers,
    /// Objects the application dropped that wait for the finalizer thread to run their
    /// `finalize()`, held by `java.lang.ref.Finalizer.unfinalized`.
    FinalizerBacklog,
    /// Objects a `java.lang.ref.Cleaner` keeps because their cleaning action references them:
    /// never phantom reachable, never cleaned.
    CleanerCaptures,
    /// A `StringBuilder`, `StringBuffer`, `ByteArrayOutputStream` or `CharArrayWriter`: one
    /// array holding everything appended since its last reset.
    Buffer,
    /// One primitive array (`int[]`, `long[]`...) that an application field references
    /// directly: a table indexed by an id or sequence number, or a hand-grown buffer.
    PrimitiveArray,
}

impl LeakKind {
    /// The kind as in JSON (`static-collection`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            LeakKind::StaticCollection => "static-collection",
            LeakKind::UnboundedMap => "unbounded-map",
            LeakKind::Collection => "collection",
            LeakKind::Listeners => "listeners",
            LeakKind::ScheduledTasks => "scheduled-tasks",
            LeakKind::WorkQueue => "work-queue",
            LeakKind::SingleObject => "single-object",
            LeakKind::ClassGroup => "class-group",
            LeakKind::Threadlocal => "threadlocal",
            LeakKind::Classloaders => "classloaders",
            LeakKind::OpenResources => "open-resources",
            LeakKind::Threads => "threads",
            LeakKind::Executors => "executors",
            LeakKind::DirectBuffers => "direct-buffers",
            LeakKind::FinalizerBacklog => "finalizer-backlog",
            LeakKind::CleanerCaptures => "cleaner-captures",
            LeakKind::Buffer => "buffer",
            LeakKind::PrimitiveArray => "primitive-array",
        }
    }
}

/// The verdict on a candidate, from its evidence (the rules in `leaks/verdict.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Strong evidence of a leak.
    Leak,
    /// Positive evidence of accumulation that one dump cannot confirm.
    PossibleLeak,
    /// Big, but no evidence either way: a second dump decides.
    Undetermined,
    /// Evidence of a bound or of constancy: memory-hungry, not leaking.
    MemoryHungry,
}

impl Verdict {
    /// The verdict as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Leak => "leak",
            Verdict::PossibleLeak => "possible-leak",
            Verdict::Undetermined => "undetermined",
            Verdict::MemoryHungry => "memory-hungry",
        }
    }

    /// Whether the verdict makes a suspect.
    pub fn is_suspect(self) -> bool {
        matches!(self, Verdict::Leak | Verdict::PossibleLeak)
    }
}

/// How sure the verdict is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Only weak evidence, or evidence both ways.
    Low,
    /// Moderate evidence, or strong evidence with some against.
    Medium,
    /// Strong evidence and nothing of weight against.
    High,
}

/// Which way a piece of evidence points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Supports {
    /// Towards a leak.
    Leak,
    /// Towards a bounded or constant working set.
    MemoryHungry,
}

/// How much a piece of evidence weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Informative, never decides alone.
    Weak,
    /// Decides when nothing of equal weight points the other way.
    Moderate,
    /// Decides unless strong evidence points the other way.
    Strong,
}

pub use super::evidence_name::EvidenceName;

/// One named, measured piece of evidence.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Evidence {
    /// Which evidence.
    pub name: EvidenceName,
    /// Which way it points.
    pub supports: Supports,
    /// How much it weighs.
    pub strength: Strength,
    /// What was measured, in a sentence (counts, sizes and times, never values).
    pub detail: String,
}

/// An object, by id and class.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ObjectRef {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Its class.
    pub class: String,
}

/// A class and how many sampled elements had it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClassCount {
    /// Class (hidden-class suffixes removed).
    pub class: String,
    /// Elements of that class in the sample.
    pub count: u64,
}

/// One line of a GC-root path: the root, a step, or a cut run of steps of one class.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RootPathStep {
    /// The GC root the path starts at.
    Root(crate::report::path::RootInfo),
    /// An object on the path and the edge that reaches it.
    Step(crate::report::path::PathStep),
    /// A run of objects of one class left out.
    Cut {
        /// How many steps were left out.
        left_out: u64,
        /// Their class.
        class: String,
    },
}

/// How a suspect's holder changed across a series of dumps.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SuspectGrowth {
    /// The verdict of [`crate::report::growth`].
    pub verdict: crate::report::growth::Verdict,
    /// Entries in each dump, oldest first (null: not seen in that dump).
    pub entries: Vec<Option<u64>>,
    /// Retained bytes in each dump.
    pub retained_bytes: Vec<Option<u64>>,
    /// Bytes added per hour between the first and the last dump.
    pub bytes_per_hour: Option<f64>,
}

/// One leak suspect: a candidate whose verdict is `leak` or `possible-leak`.
#[derive(Clone, Debug, Serialize)]
pub struct Suspect {
    /// 1 = most leak-like.
    pub rank: usize,
    /// `leak` or `possible-leak`.
    pub verdict: Verdict,
    /// How sure the verdict is.
    pub confidence: Confidence,
    /// What kind of structure.
    pub kind: LeakKind,
    /// The application field that holds it (for thread groups: the class the threads run).
    pub holder: Holder,
    /// JDK fields between the holder and the collection (`.workQueue`), if any.
    pub holder_via: Vec<String>,
    /// The collection (or holding object).
    pub collection: ObjectRef,
    /// Where the retained memory accumulates (typically the collection's backing array).
    pub accumulation_point: ObjectRef,
    /// The collection's class.
    pub collection_class: String,
    /// The dominant class of the elements (map values).
    pub element_class: String,
    /// Element classes in a sample of up to 256 elements, most frequent first.
    pub element_classes: Vec<ClassCount>,
    /// Number of entries.
    pub entries: u64,
    /// Bytes the suspect retains.
    pub retained_bytes: u64,
    /// Native memory (outside the Java heap) of the direct buffers it keeps alive; absent
    /// when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native_bytes: Option<u64>,
    /// retained_bytes / reachable_bytes.
    pub share: f64,
    /// How many of the entries were left behind, estimated from the sampled entries an
    /// evidence module judged one by one; absent when no module counted them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_behind: Option<LeftBehind>,
    /// Average bytes retained per entry, and the class that makes most of an entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_entry: Option<PerEntry>,
    /// The evidence, for and against, strongest first.
    pub evidence: Vec<Evidence>,
    /// The shortest strong path from a GC root to the collection.
    pub gc_root_path: Vec<RootPathStep>,
    /// What the evidence shows, in a sentence or two.
    pub explanation: String,
    /// What would decide, when one dump cannot (a second dump).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// Stable across dumps of one application: kind and holder.
    pub fingerprint: String,
    /// ThreadLocal and thread suspects: the threads involved (names as a pattern).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<String>,
    /// ThreadLocal suspects: entries whose key was collected; class-loader suspects: loaders
    /// no longer in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_entries: Option<u64>,
    /// ThreadLocal suspects: the class of the values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_class: Option<String>,
    /// Given several dumps: how the holder changed across them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth: Option<SuspectGrowth>,
}

/// What one entry retains on average, and what makes most of it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PerEntry {
    /// Retained bytes divided by entries.
    pub average_bytes: u64,
    /// The class that makes most of an entry's retained bytes, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mostly_class: Option<String>,
    /// The entry's field that holds it (`.body`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Its share of the sampled entries' retained bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// When the entries are collections themselves (a map of lists): what they hold in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<InnerEntries>,
    /// When the entries are inner-class instances: the outer object each holds through
    /// `this$0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outer: Option<OuterObject>,
    /// One object that makes at least half of what the suspect retains (a big array beside
    /// the entries): its size is not an accumulation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_object: Option<OneObject>,
}

/// What the entries hold when they are collections themselves: `6,000 x ArrayList holding
/// 24,000 byte[512] in all`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct InnerEntries {
    /// Entries of all the inner collections together: exact when every inner collection was
    /// counted, else the sampled ones' count scaled to all entries.
    pub entries: u64,
    /// Whether `entries` is an exact count (not scaled from a sample).
    pub exact: bool,
    /// Inner collections whose entries were counted.
    pub counted: u64,
    /// The most frequent class of their elements (map values) in a sample, with the length for
    /// primitive arrays of one length (`byte[512]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_class: Option<String>,
}

impl InnerEntries {
    /// `holding 24,000 byte[512] in all` (`~` before an estimate).
    pub fn phrase(&self) -> String {
        format!(
            "holding {}{} {} in all",
            if self.exact { "" } else { "~" },
            crate::base::text::thousands(self.entries),
            self.element_class.as_deref().unwrap_or("entries")
        )
    }
}

/// The outer object of inner-class entries, held through the compiler's `this$0` field.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OuterObject {
    /// The outer objects' most frequent class.
    pub class: String,
    /// The field (`this$0`).
    pub field: String,
    /// Sampled entries that have the field set.
    pub entries: u64,
    /// Entries sampled.
    pub sampled: u64,
    /// Distinct outer objects among them.
    pub distinct: u64,
    /// Outer objects kept alive by their entry alone (the entry dominates them).
    pub pinned: u64,
    /// Bytes an outer object retains: the average over the pinned ones, else what the most
    /// frequent outer object retains.
    pub retained_bytes: u64,
}

impl OuterObject {
    /// "256 of 256 sampled entries are inner-class instances that pin their own X through
    /// this$0 (~2.1 KiB retained each)", or, when they share outer objects, which and what the
    /// most frequent one retains.
    pub fn phrase(&self) -> String {
        use crate::base::text::{bytes, thousands};
        let of = format!(
            "{} of {} sampled entries are inner-class instances",
            thousands(self.entries),
            thousands(self.sampled)
        );
        if self.pinned * 2 >= self.entries {
            format!(
                "{of} that pin their own {} through {} (~{} retained each)",
                self.class,
                self.field,
                bytes(self.retained_bytes)
            )
        } else if self.distinct == 1 {
            format!(
                "{of} holding one shared {} through {}, which retains {}",
                self.class,
                self.field,
                bytes(self.retained_bytes)
            )
        } else {
            format!(
                "{of} holding {} distinct {} through {}; the most frequent retains {}",
                thousands(self.distinct),
                self.class,
                self.field,
                bytes(self.retained_bytes)
            )
        }
    }
}

/// One object that makes most of what a suspect retains.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OneObject {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Its class, with the length for arrays (`byte[1000000]`).
    pub class: String,
    /// Its own (shallow) size in bytes.
    pub bytes: u64,
    /// bytes / the suspect's retained bytes.
    pub share: f64,
}

impl OneObject {
    /// `1,000,016 B of it is one byte[1000000] (76%)`.
    pub fn phrase(&self) -> String {
        format!(
            "{} B of it is one {} ({:.0}%)",
            crate::base::text::thousands(self.bytes),
            self.class,
            self.share * 100.0
        )
    }
}

/// A big retainer that is not a suspect, with its verdict and evidence.
#[derive(Clone, Debug, Serialize)]
pub struct Retainer {
    /// Object id (`0x7f3a10`).
    pub id: ObjectId,
    /// Its class.
    pub class: String,
    /// The application field that holds it, if one was found.
    pub holder: Option<Holder>,
    /// Entries, for collections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
    /// Bytes it retains.
    pub retained_bytes: u64,
    /// Native memory of the direct buffers it keeps alive; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native_bytes: Option<u64>,
    /// retained_bytes / reachable_bytes.
    pub share: f64,
    /// `memory-hungry` or `undetermined`.
    pub verdict: Verdict,
    /// The evidence, strongest first (empty for plain arrays and JDK-held objects).
    pub evidence: Vec<Evidence>,
    /// Why it is not a suspect, in a sentence.
    pub reason: String,
}

/// One row of the verdict table: every candidate judged, suspect or not.
#[derive(Clone, Debug, Serialize)]
pub struct Judged {
    /// The holder, displayed (`Class.field (static)`), or the object's class.
    pub holder: String,
    /// What kind of structure.
    pub kind: LeakKind,
    /// The verdict.
    pub verdict: Verdict,
    /// How sure.
    pub confidence: Confidence,
    /// Bytes retained.
    pub retained_bytes: u64,
    /// Entries.
    pub entries: u64,
    /// Across a series: the holder's growth verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth: Option<crate::report::growth::Verdict>,
}

/// `hprofscan/leaks/10`.
#[derive(Clone, Debug, Serialize)]
pub struct LeakReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump (the last of a series).
    pub dump: DumpMeta,
    /// Dumps of the series before it, oldest first (empty for one dump).
    pub series: Vec<String>,
    /// Heap totals.
    pub heap: HeapSummary,
    /// Native memory referenced from the heap (direct and mapped buffers).
    pub off_heap: crate::report::offheap::OffHeapTotals,
    /// The threshold used (share of the reachable heap).
    pub threshold: f64,
    /// `leak`, `possible-leak` or `no-leak`: the strongest verdict among the suspects.
    pub outcome: Outcome,
    /// Suspects, most leak-like first.
    pub suspects: Vec<Suspect>,
    /// The biggest retainers that are not suspects, with verdict and evidence.
    pub top_retainers: Vec<Retainer>,
    /// Every candidate with its verdict, biggest first.
    pub verdicts: Vec<Judged>,
    /// What would decide the undetermined ones, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// The report's one-word outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// At least one `leak` suspect.
    Leak,
    /// Only `possible-leak` suspects.
    PossibleLeak,
    /// No suspect.
    NoLeak,
}

#[cfg(test)]
mod tests {
    use super::{LeftBehind, LeftBy};

    #[test]
    fn left_behind_scales_the_sample_and_rounds() {
        let l = LeftBehind::of(LeftBy::State, 6_683, 235, 256).unwrap();
        assert_eq!(l.estimate, 6_135);
        assert_eq!(LeftBehind::of(LeftBy::Idle, 10, 1, 3).unwrap().estimate, 3);
        assert_eq!(LeftBehind::of(LeftBy::Idle, 10, 2, 3).unwrap().estimate, 7);
        assert!(LeftBehind::of(LeftBy::State, 10, 1, 0).is_none());
        assert!(LeftBehind::of(LeftBy::State, 10, 4, 3).is_none());
    }
}
