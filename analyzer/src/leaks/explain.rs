//! Explanations: what the evidence shows, in a sentence or two, and what to change. They state
//! only measured facts (counts, sizes, durations) and the evidence's own words.

use crate::base::text::{bytes as fmt_bytes, thousands};

use super::candidate::Candidate;
use super::model::{EvidenceName, LeakKind, Strength, Supports, Verdict};

/// The command that decides what one dump cannot.
pub(crate) const SECOND_DUMP: &str = "take a second dump later and run `hprofscan leaks earlier.hprof later.hprof`: growth across the dumps decides";

/// The explanation of a suspect.
pub(crate) fn suspect(c: &Candidate, verdict: Verdict, share: f64) -> String {
    let native = if c.native > 0 {
        format!(
            ", and {} of native memory outside the heap",
            fmt_bytes(c.native)
        )
    } else {
        String::new()
    };
    let what = if c.kind == LeakKind::ClassGroup {
        format!(
            "{} {} objects retain {} ({:.1}% of the reachable heap), none big alone: {} is a field on the path to them, not one object that holds them all ({}).",
            thousands(c.entries),
            group_class(c),
            fmt_bytes(c.retained),
            share * 100.0,
            c.holder_display(),
            c.finding.explanation
        )
    } else {
        format!(
            "{} holds {} {} ({}, {:.1}% of the reachable heap{native}).",
            c.holder_display(),
            thousands(c.entries),
            plural_entries(c),
            fmt_bytes(c.retained),
            share * 100.0
        )
    };
    let deciding: Vec<&str> = c
        .evidence
        .iter()
        .filter(|e| e.supports == Supports::Leak && e.strength >= Strength::Moderate)
        .map(|e| e.detail.as_str())
        .take(2)
        .collect();
    let lead = match verdict {
        Verdict::Leak => "It leaks",
        _ => "It may leak",
    };
    let mut out = what;
    for fact in entry_facts(c) {
        out.push(' ');
        out.push_str(&fact);
    }
    out.push_str(&format!(" {lead}: {}.", deciding.join("; ")));
    if !c.finding.explanation.is_empty() && c.kind != LeakKind::ClassGroup {
        out.push(' ');
        out.push_str(&c.finding.explanation);
    } else {
        out.push(' ');
        out.push_str(advice(c));
    }
    out
}

/// Whether `c` has evidence `name` matching `pred`.
fn has(c: &Candidate, name: EvidenceName, pred: impl Fn(&super::model::Evidence) -> bool) -> bool {
    c.evidence.iter().any(|e| e.name == name && pred(e))
}

/// What to change for a candidate the rule matches, most specific first (see [`advice`]).
type Advice = (fn(&Candidate) -> bool, &'static str);

/// The advice that depends on where the candidate is held or on what its evidence found.
const ADVICE: [Advice; 26] = [
    (
        |c| has(c, EvidenceName::DeadTask, |_| true),
        "Catch every exception inside the periodic task's body (try { ... } catch (RuntimeException e) { log it }), so that one failed run does not stop it: a ScheduledExecutorService never runs a periodic task again once a run throws. Check the kept future (isDone()) in a health check.",
    ),
    (
        |c| c.holding.as_ref().is_some_and(crate::query::holders::in_mbean_repository),
        "Unregister each MBean (MBeanServer.unregisterMBean) when what it describes is gone.",
    ),
    (
        |c| c.holding.as_ref().is_some_and(|h| !h.holder.is_static && h.holder.field == super::detect::class_locks::FIELD),
        "Look classes up in a fixed registry (a Map<String, Class<?>> of the known plugins, or a ServiceLoader) instead of Class.forName on names built from input: a parallel-capable class loader keeps a lock object for every name it was ever asked for.",
    ),
    (
        |c| c.holding.as_ref().is_some_and(|h| h.holder.class == "java.lang.System" && h.holder.field == "props"),
        "Clear each property (System.clearProperty) when its job or request ends, or keep such state in the application's own map, removed with its job: system properties live as long as the JVM.",
    ),
    (
        |c| has(c, EvidenceName::EntryAges, |e| e.detail.contains(super::evidence::retries::NEVER_GIVEN_UP)),
        "Count every attempt on every failure path (timeouts included) before the give-up check, and move what reaches the limit to a bounded dead-letter store: a retry queue whose limit never applies keeps every item that always fails.",
    ),
    (
        |c| has(c, EvidenceName::Queued, |e| e.detail.contains(super::evidence::completions::UNTAKEN_WORDS)),
        "Take each result from the completion service (take() or poll() once per task submitted), or submit to the executor itself when the futures are waited on directly: an ExecutorCompletionService keeps every completed future until it is taken.",
    ),
    (
        |c| has(c, EvidenceName::Finished, |e| e.detail.contains(super::evidence::cleared_refs::CLEARED_KEPT)),
        "Remove each entry when its reference is cleared: register the references with a ReferenceQueue and poll it on every put (remove the polled references' keys), or use a map that does so (WeakHashMap for weak keys, a cache library's weakValues()).",
    ),
    (
        |c| has(c, EvidenceName::Queued, |_| true),
        "Find what blocks the executor's threads (a thread dump shows where its workers wait), and give it a bounded queue so that a stuck worker shows as rejected tasks, not a growing heap.",
    ),
    (
        |c| c.kind == LeakKind::Threads && c.class == "java.util.TimerThread",
        "Cancel each Timer (Timer.cancel()) when its owner is done with it, or schedule the work on one shared ScheduledExecutorService: a Timer's thread, its queue and every task it holds live until it is cancelled.",
    ),
    (
        |c| {
            c.kind == LeakKind::ScheduledTasks
                && has(c, EvidenceName::Finished, |e| {
                    e.detail.contains(super::evidence::cancelled::CANCELLED_QUEUED)
                })
        },
        "Call Timer.purge() after cancelling tasks (or setRemoveOnCancelPolicy(true) on a ScheduledThreadPoolExecutor), or schedule the task only when its time is near: a cancelled task stays queued, with all it captures, until its run time.",
    ),
    (
        |c| c.kind == LeakKind::ScheduledTasks && has(c, EvidenceName::Captures, |e| e.strength == Strength::Moderate),
        "Let each task capture only what it needs when it runs (an id or a path, not the payload), or schedule it nearer its time: a one-shot task keeps everything it captured until it runs.",
    ),
    (
        |c| has(c, EvidenceName::StaleSlots, |e| e.detail.contains(super::detect::sublists::VIEW_WORDS)),
        "Keep a copy, not a view: new ArrayList<>(list.subList(from, to)), or remove the old entries from the list itself (list.subList(0, n - keep).clear()).",
    ),
    (
        |c| has(c, EvidenceName::StaleSlots, |_| true),
        "Set each slot to null when its object is taken out (items[head] = null), and reuse the freed slots (compact, or wrap around as a ring) instead of growing the array.",
    ),
    (
        |c| has(c, EvidenceName::Tombstones, |e| e.strength >= Strength::Moderate),
        "Remove a record from the in-memory structure when it is deleted (keep the soft delete in the database only), or purge the records marked removed on a schedule.",
    ),
    (
        |c| has(c, EvidenceName::KeyShape, |e| e.detail.contains(super::evidence::unshared_keys::IDENTITY_WORDS)),
        "Start a new identity map for each call (or clear it when the call ends): an identity map kept across calls keeps every object it was ever given, and only those objects could find their entries again.",
    ),
    (
        |c| has(c, EvidenceName::KeyShape, |e| e.detail.contains(super::evidence::outgrown::OUTGROWN_WORDS)),
        "Move the key instead of adding it again (remove its old position first), or use a LinkedHashMap with accessOrder = true and removeEldestEntry: an order list that only gains positions outgrows the map it orders.",
    ),
    (
        |c| has(c, EvidenceName::KeyShape, |e| e.detail.contains(super::evidence::stale_locks::STALE_LOCK_WORDS)),
        "Remove a key's lock when its work is done (locks.remove(id, lock) in a finally block, once no other thread waits on it), or lock a fixed set of stripes (Guava's Striped, or lock[id.hashCode() & (N - 1)]): a lock map filled by computeIfAbsent keeps a lock for every key ever locked.",
    ),
    (
        |c| has(c, EvidenceName::KeyShape, |e| e.detail.contains(super::evidence::emptied::EMPTIED_WORDS)),
        "Remove the key with its last element (map.computeIfPresent(key, (k, set) -> { set.remove(x); return set.isEmpty() ? null : set; })): removing an element leaves its key and the empty collection behind.",
    ),
    (
        |c| has(c, EvidenceName::EntryAges, |e| e.detail.contains(super::evidence::overdue::OVERDUE_WORDS)),
        "Take every entry off the schedule when its time comes, whatever happens to it (a failed delivery goes to a dead-letter store or is rescheduled under a new time), instead of moving the cursor past it.",
    ),
    (
        |c| has(c, EvidenceName::Bound, |e| e.detail.contains(super::evidence::list_caps::STEPPED_OVER_WORDS)),
        "Trim after adding, with a loop (while (list.size() > LIMIT) list.removeFirst()), not with one check for size() == LIMIT before it: an add of two elements steps over an equality, and a collection past its cap is never trimmed again.",
    ),
    (
        |c| has(c, EvidenceName::HistoryChains, |e| e.detail.contains(super::evidence::rearmed::REARM_WORDS)),
        "Re-arm instead of adding: remove a member's entry before adding the one with its new deadline (or keep one entry per member and update its deadline, or let the reaper check the member's last access and re-queue it once): only the latest entry of each member counts.",
    ),
    (
        |c| has(c, EvidenceName::KeyShape, |e| e.detail.contains(super::evidence::unshared_keys::POOL_WORDS)),
        "Canonicalize only values of a bounded set (strip per-request parts such as query strings and ids before pooling), or let the pool forget (a weak or size-capped map): a pool keeps every distinct value it is given.",
    ),
    (
        |c| has(c, EvidenceName::StaleLoaders, |e| e.detail.contains(super::detect::generations::THREAD_LOCAL_WORDS)),
        "Call remove() on the plugin's ThreadLocals when each task ends (in a finally): a value left on a pooled thread keeps its class, its class loader and every class and static of that generation loaded.",
    ),
    (
        |c| has(c, EvidenceName::AppendedLines, |e| e.detail.starts_with(super::evidence::appended_values::VALUES_WORDS)),
        "Keep each value to a tail (trim it to its last lines or characters on every append), or write its lines to a file and reset it: a log kept per key grows with every line, though no key is ever added.",
    ),
    (
        |c| has(c, EvidenceName::DanglingIds, |_| true),
        "Remove an entry's id from every index set it was added to on the same path that removes the entry (the sweep or expiry too, not only the explicit delete), and drop a set when it empties: an index that only gains ids outlives what it indexes.",
    ),
    (
        |c| has(c, EvidenceName::PendingDependents, |_| true),
        "Complete the future (or fail it) when its event happens, and attach no dependent per call to a future that may never complete (check isDone(), or wait with a timeout).",
    ),
];

/// What to change: the first rule of [`ADVICE`] that matches, else by kind.
fn advice(c: &Candidate) -> &'static str {
    ADVICE
        .iter()
        .find(|(matches, _)| matches(c))
        .map_or_else(|| fix(c.kind), |(_, text)| text)
}

/// The class of a class group's objects.
fn group_class(c: &Candidate) -> &str {
    if c.element_class.is_empty() {
        &c.class
    } else {
        &c.element_class
    }
}

/// What the entries hold one level down, as sentences: one object that makes most of the
/// size, what inner collections hold in all, the outer object inner-class entries pin.
fn entry_facts(c: &Candidate) -> Vec<String> {
    let Some(p) = &c.per_entry else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(o) = &p.one_object {
        out.push(format!(
            "{}: that size is one object, not an accumulation of entries.",
            capitalised(&o.phrase())
        ));
    }
    if let Some(i) = &p.inner {
        out.push(format!(
            "The {} {} are collections {}.",
            thousands(c.entries),
            c.element_class,
            i.phrase()
        ));
    }
    if let Some(o) = &p.outer {
        out.push(format!("{}.", capitalised(&o.phrase())));
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut ch = s.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().chain(ch).collect(),
        None => String::new(),
    }
}

fn plural_entries(c: &Candidate) -> String {
    match c.kind {
        LeakKind::Executors => "thread pools".into(),
        LeakKind::WorkQueue if c.element_class.is_empty() => "queued tasks".into(),
        LeakKind::WorkQueue => format!("queued tasks of {}", c.element_class),
        LeakKind::Threads => "live threads".into(),
        LeakKind::Classloaders => "class loaders".into(),
        LeakKind::OpenResources => format!("open {}", c.element_class),
        LeakKind::FinalizerBacklog => {
            format!("objects awaiting finalization, mostly {}", c.element_class)
        }
        LeakKind::CleanerCaptures => {
            format!(
                "objects registered with the Cleaner, mostly {}",
                c.element_class
            )
        }
        LeakKind::Buffer if c.instances > 1 => {
            format!("{}s appended to its buffers", c.element_class)
        }
        LeakKind::Buffer => format!("{}s appended to one buffer", c.element_class),
        LeakKind::PrimitiveArray => format!("{} slots in one array", c.element_class),
        _ if c.linked => format!("linked {} objects, each holding the next", c.element_class),
        _ if c.tree_link.is_some() => format!("{} nodes of one tree", c.element_class),
        _ if c.element_class.is_empty() => "entries".into(),
        _ => format!("entries of {}", c.element_class),
    }
}

/// Details of the evidence pointing `way`, strongest first.
fn strongest_first(c: &Candidate, way: Supports) -> Vec<&str> {
    let mut ev: Vec<_> = c.evidence.iter().filter(|e| e.supports == way).collect();
    ev.sort_by_key(|e| std::cmp::Reverse(e.strength));
    ev.into_iter().map(|e| e.detail.as_str()).collect()
}

/// What to change, by kind.
fn fix(kind: LeakKind) -> &'static str {
    match kind {
        LeakKind::StaticCollection | LeakKind::Collection | LeakKind::UnboundedMap => {
            "Remove entries when their work is done, or bound the structure with an eviction policy."
        }
        LeakKind::Listeners => "Unregister each listener when its owner is done with it.",
        LeakKind::ScheduledTasks => {
            "Cancel each task (ScheduledFuture.cancel, TimerTask.cancel) when its work is over."
        }
        LeakKind::WorkQueue => {
            "Find why the pool's threads cannot keep up (a worker blocked inside a task, a pool too small for its input), and bound its queue (a bounded queue with a rejection policy, or back-pressure on the submitters)."
        }
        LeakKind::SingleObject => "Trim or cap the structure as entries are no longer needed.",
        LeakKind::ClassGroup => "Find where these objects are created and who keeps them.",
        LeakKind::Threads => "Run the work on a shared pool, or make each started thread end.",
        LeakKind::Executors => {
            "Share one executor, or call shutdown() on each one created when its work is done."
        }
        LeakKind::Threadlocal => "Call remove() on the ThreadLocal when the task ends.",
        LeakKind::Classloaders => "Drop every reference to a loader when its application is undeployed.",
        LeakKind::OpenResources => "Close every resource (try-with-resources) and drop it.",
        LeakKind::DirectBuffers => {
            "Drop each direct buffer when its work is done, or reuse buffers from a bounded pool."
        }
        LeakKind::FinalizerBacklog => {
            "Release such objects with close() (try-with-resources) or a java.lang.ref.Cleaner instead of finalize(); a finalize() must never block or take a lock."
        }
        LeakKind::CleanerCaptures => {
            "Make the cleaning action capture only the native state it frees (a static nested class or a lambda in a static method), never the object it cleans."
        }
        LeakKind::PrimitiveArray => {
            "Size the array for what must be kept (a window rebased as the oldest index moves on, or a ring indexed modulo its length) instead of growing it with every new index."
        }
        LeakKind::Buffer => {
            "Reset the buffer (setLength(0), reset()) each time its content is written out, or stop appending to it; a debug or audit buffer held in a field keeps every line."
        }
    }
}

/// Why a candidate is not a suspect.
pub(crate) fn retainer(c: &Candidate, verdict: Verdict) -> String {
    let mut facts = entry_facts(c);
    if c.kind == LeakKind::ClassGroup {
        facts.insert(
            0,
            format!(
                "{} {} objects, {} in all, none big alone: {} is a field on the path to them, not one object that holds them all ({}).",
                thousands(c.entries),
                group_class(c),
                fmt_bytes(c.retained),
                c.holder_display(),
                c.finding.explanation
            ),
        );
    }
    if c.instances > 1 && c.kind != LeakKind::ClassGroup {
        facts.insert(
            0,
            format!(
                "{} objects hold one each in this field: {} entries, {} in all.",
                thousands(c.instances),
                thousands(c.entries),
                fmt_bytes(c.retained)
            ),
        );
    }
    let why = retainer_reason(c, verdict);
    if facts.is_empty() {
        why
    } else {
        format!("{} {}", facts.join(" "), capitalised(&why))
    }
}

fn retainer_reason(c: &Candidate, verdict: Verdict) -> String {
    match verdict {
        Verdict::MemoryHungry => {
            let why = strongest_first(c, Supports::MemoryHungry);
            format!(
                "memory-hungry, not leaking: {}",
                why.first().copied().unwrap_or("bounded")
            )
        }
        _ => {
            let leaning = |s: Supports| {
                c.evidence
                    .iter()
                    .any(|e| e.supports == s && e.strength >= Strength::Moderate)
            };
            if leaning(Supports::MemoryHungry) {
                "undetermined: the evidence points both ways; a second dump decides".to_string()
            } else if leaning(Supports::Leak) {
                "undetermined: evidence of a leak that one dump cannot confirm, in a structure smaller than the suspect threshold; a second dump decides".to_string()
            } else if c.kind == LeakKind::PrimitiveArray {
                format!(
                    "undetermined: one {}[] of {} slots; a table sized for its id space and one grown with every new index look the same in one dump; a second dump decides",
                    c.element_class,
                    thousands(c.entries)
                )
            } else {
                "undetermined: big, but one dump shows no evidence either way; a second dump decides".to_string()
            }
        }
    }
}
