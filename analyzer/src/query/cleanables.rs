//! Cleaner registrations (`java.lang.ref.Cleaner`'s `PhantomCleanable`s, the JDK-internal
//! `jdk.internal.ref.Cleaner` and `sun.misc.Cleaner`): each references its action strongly and
//! the object it watches (its referent) only weakly. Its action runs, and the registration is
//! dropped, once the referent is gone, so a registration keeps its action's objects alive only
//! while its referent stays: a `java.util.Timer`'s thread reaper references the timer's queue
//! and thread, yet goes with the timer.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;

/// Whether each class (by index) is a Cleaner registration.
pub(crate) fn cleanable_classes(a: &Analysis) -> Vec<bool> {
    a.heap
        .classes
        .iter()
        .map(|c| is_cleanable(&c.name))
        .collect()
}

/// Whether node `v` is a Cleaner registration, by `cleanable_classes`.
pub(crate) fn is_cleanable_node(a: &Analysis, classes: &[bool], v: u32) -> bool {
    let k = a.graph.class_of(v);
    k != NONE && a.graph.class_object(v).is_none() && classes.get(k as usize) == Some(&true)
}

/// `jdk.internal.ref.CleanerImpl$PhantomCleanableRef` and the other `PhantomCleanable`s,
/// `jdk.internal.ref.Cleaner`, `sun.misc.Cleaner`.
fn is_cleanable(class: &str) -> bool {
    (class.starts_with("jdk.internal.ref.") && class.contains("Cleanable"))
        || class == "jdk.internal.ref.Cleaner"
        || class == "sun.misc.Cleaner"
}

/// The referent of each of `regs` that has one (one pass over the graph's weak edges).
pub(crate) fn referents(a: &Analysis, regs: &[u32]) -> FxHashMap<u32, u32> {
    let wanted: FxHashSet<u32> = regs.iter().copied().collect();
    a.graph
        .weak_edges
        .iter()
        .filter(|(r, _)| wanted.contains(r))
        .map(|&(r, t)| (r, t))
        .collect()
}
