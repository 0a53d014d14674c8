//! The names of the kinds of evidence, as serialised (`entry-ages`, `dangling-ids`): one per
//! module of `leaks/evidence/` that computes it.

use serde::Serialize;

/// The named kinds of evidence; each is computed by one module of `leaks/evidence/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceName {
    /// Share of the reachable heap and the number of similar small objects.
    Size,
    /// Growth across a series of dumps.
    Growth,
    /// Ages of the entries, from timestamp-like fields.
    EntryAges,
    /// The shape of the keys (per-request tokens or a natural domain).
    KeyShape,
    /// A cap, an eviction policy or a bounded capacity.
    Bound,
    /// An immutable collection.
    Immutable,
    /// What the entries capture (lambdas, anonymous classes).
    Captures,
    /// ThreadLocal entries whose key was collected.
    StaleThreadLocals,
    /// One value per pool thread.
    PerThread,
    /// Class loaders none of whose classes is in use.
    StaleLoaders,
    /// Resources still open that the application dropped.
    OpenResources,
    /// Live threads or pools created by application code, or the ended thread of a queue's
    /// owner (nothing drains the queue).
    Threads,
    /// Entries whose own state says their work is over (a closed flag, a completed future).
    Finished,
    /// Dropped objects waiting for their `finalize()` to run.
    Finalization,
    /// Objects kept only by the cleaning action registered for them.
    CleaningAction,
    /// Dependent actions stacked on a future that has not completed.
    PendingDependents,
    /// Tasks that have waited in an executor's work queue for hours.
    Queued,
    /// Timestamped lines appended to a buffer over hours, in order, none removed.
    AppendedLines,
    /// Entries marked removed (a soft delete) and still held.
    Tombstones,
    /// Filled slots of an array that its owner's own indexes say are no longer in use.
    StaleSlots,
    /// Entries that each keep a chain of earlier objects of their class, of no fixed length;
    /// or entries of superseded versions of one thing kept beside the newest (`docId` and
    /// `version`).
    HistoryChains,
    /// Listeners that a listener registry alone keeps, with the application object each
    /// belongs to: their owners are gone, yet they stay registered.
    LapsedListeners,
    /// The holder's owner counts its additions (a counter equal to the size: nothing added
    /// was ever removed), beside a removal counter at zero or its hits.
    Counters,
    /// A field named for requests in flight holds far more entries than the JVM has live
    /// threads: finished requests were never removed.
    InFlight,
    /// Periodic tasks whose member (a subscription, a device) the directory their scheduler's
    /// owner keeps no longer holds: removed without cancelling its task.
    OrphanedTasks,
    /// An index's collections of ids (a tag's item ids) name mostly what the directory beside
    /// it (a map of the same owner keyed by those ids) no longer holds: its removal path
    /// forgets the index.
    DanglingIds,
    /// The holder's owner keeps the future of its own periodic task (a trim, a reaper), which
    /// ended with an exception and never runs again, and the task reaches the structure.
    DeadTask,
}
