//! What an object's own state says about its work: a flag set (`closed`, `done`...), a liveness
//! flag cleared (`open`, `active`, `connected` = false), or a state enum (`state`, `status`...)
//! at a constant that names an end (`CLOSED`, `DISCONNECTED`...). Read for the sampled entries
//! and for the objects they reference directly: a listener's connection, a session's socket.
//!
//! Enum constant names are read (they are identifiers of the code, like field names); a String
//! state is read only to compare it with the end words, and its text is never shown. No other
//! value leaves this module.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, views};
use crate::query::objects::{node_class, node_kind, NodeKind, ObjectView};

use super::super::candidate::Candidate;

/// Boolean fields that, set, say an object's work is over.
pub(crate) const SET: &[&str] = &[
    "closed",
    "isClosed",
    "done",
    "isDone",
    "finished",
    "completed",
    "cancelled",
    "canceled",
    "terminated",
    "released",
    "expired",
    "disposed",
    "stopped",
    "eof",
    "loggedOut",
    "invalidated",
    "revoked",
];

/// Boolean fields that, cleared, say an object's work is over.
const CLEARED: &[&str] = &[
    "open",
    "isOpen",
    "active",
    "isActive",
    "connected",
    "isConnected",
    "alive",
    "isAlive",
    "subscribed",
];

/// Reference fields that hold an object's state as an enum constant.
const STATE_FIELDS: &[&str] = &[
    "state",
    "status",
    "phase",
    "lifecycle",
    "lifecycleState",
    "connectionState",
    "sessionState",
];

/// Enum constants that name an end.
const ENDED: &[&str] = &[
    "CLOSED",
    "DISCONNECTED",
    "TERMINATED",
    "CANCELLED",
    "CANCELED",
    "DONE",
    "FINISHED",
    "COMPLETED",
    "EXPIRED",
    "FAILED",
    "ENDED",
    "STOPPED",
    "DISPOSED",
    "RELEASED",
    "LOGGED_OUT",
    "INVALIDATED",
    "REVOKED",
    "DEAD",
    "ABORTED",
    "SHUT_DOWN",
    "ABANDONED",
];

/// Past participles that, as the words of a time field set to a time (`closedAt`,
/// `completedAt`, `pickedUpAt`, `checkedOutAt`), say when an object's work ended. A second
/// word, when given, must follow (`picked` `up`).
const END_TIMES: &[(&str, &str)] = &[
    ("closed", ""),
    ("ended", ""),
    ("finished", ""),
    ("completed", ""),
    ("cancelled", ""),
    ("canceled", ""),
    ("terminated", ""),
    ("resolved", ""),
    ("delivered", ""),
    ("returned", ""),
    ("disconnected", ""),
    ("settled", ""),
    ("exited", ""),
    ("picked", "up"),
    ("checked", "out"),
    ("logged", "out"),
    ("signed", "out"),
    ("hung", "up"),
];

/// Words of a time field's name after its end word (`At`, `Time`, `On`).
const TIME_SUFFIXES: &[&str] = &["at", "time", "on", "ts", "millis"];

/// Whether a `long` field of this name, set, records when its object's work ended: its words
/// are an end word (and its second word), then a time suffix.
fn end_time_field(name: &str) -> bool {
    let w = super::ages::words(name);
    let Some((last, head)) = w.split_last() else {
        return false;
    };
    TIME_SUFFIXES.contains(&last.as_str())
        && END_TIMES.iter().any(|&(verb, particle)| match particle {
            "" => head == [verb],
            p => head == [verb, p],
        })
}

/// How an object's own state says its work is over.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Over {
    /// A flag that says so is set (named here).
    Set(&'static str),
    /// A liveness flag is cleared (named here).
    Cleared(&'static str),
    /// A state field (named) holds an enum constant that names an end (named).
    State(&'static str, String),
    /// A state field (named) holds a String that names an end (its text is never shown).
    Text(&'static str),
    /// A time field named for an end (`closedAt`, `pickedUpAt`) is set.
    EndTime(String),
}

impl Over {
    /// How the state reads: `closed = true`, `open = false`, `state = CLOSED`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Over::Set(f) => format!("{f} = true"),
            Over::Cleared(f) => format!("{f} = false"),
            Over::State(f, c) => format!("{f} = {c}"),
            Over::Text(f) => format!("{f} (a String) naming an end state"),
            Over::EndTime(f) => format!("{f} set (the time its work ended)"),
        }
    }
}

/// Objects one reference away from the sampled entries, and the names of the enum constants
/// their state fields hold.
#[derive(Default)]
pub(crate) struct Linked {
    /// Instances the entries' reference fields point to.
    pub views: FxHashMap<u32, ObjectView>,
    /// Enum constant node -> constant name, for the constants held by state fields.
    pub constants: FxHashMap<u32, String>,
    /// Strings held by state fields whose text names an end (`"ABANDONED"`, `"closed"`).
    pub ended_text: rustc_hash::FxHashSet<u32>,
    /// The dump's time in milliseconds since the epoch (0 when unknown), which an end time
    /// must lie near to say that work ended in this process.
    pub now: u64,
}

/// Whether `view`'s own state says its work is over.
pub(crate) fn over(a: &Analysis, view: &ObjectView, linked: &Linked) -> Option<Over> {
    for f in &view.fields {
        if f.ty == BasicType::Boolean {
            let names = if f.raw != 0 { SET } else { CLEARED };
            if let Some(&n) = names.iter().find(|&&n| n == f.name) {
                return Some(if f.raw != 0 {
                    Over::Set(n)
                } else {
                    Over::Cleared(n)
                });
            }
        }
    }
    STATE_FIELDS
        .iter()
        .find_map(|&field| {
            let w = ref_node(a, view, field)?;
            if linked.ended_text.contains(&w) {
                return Some(Over::Text(field));
            }
            let name = linked.constants.get(&w)?;
            ENDED
                .contains(&name.as_str())
                .then(|| Over::State(field, name.clone()))
        })
        .or_else(|| {
            // A flag or a state says more than a time; a time set says the work ended too.
            end_time(view, linked.now).map(|(name, _)| Over::EndTime(name.to_string()))
        })
}

/// The time field named for an end (`closedAt`, `completedAt`) that `view` has set, and its
/// raw value (read to compute how long ago the work ended, never shown). With the dump's time
/// `now` known, the time must be a plausible one of this process (within
/// [`super::ages::as_millis`]'s weeks before the dump): a record completed years ago is data
/// loaded (an archive of surveys), not work this process finished.
pub(crate) fn end_time(view: &ObjectView, now: u64) -> Option<(&str, i64)> {
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Long && (f.raw as i64) > 0 && end_time_field(&f.name))
        .find(|f| now == 0 || super::ages::as_millis(f.raw as i64, now).is_some())
        .map(|f| (f.name.as_str(), f.raw as i64))
}

/// Whether an object `view` references directly (through field, returned) says its work is
/// over.
pub(crate) fn over_linked<'v>(
    a: &Analysis,
    view: &'v ObjectView,
    linked: &Linked,
) -> Option<(&'v str, Over)> {
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .find_map(|f| {
            let w = a.graph.ids.get(f.raw)?;
            let lv = linked.views.get(&w)?;
            if super::finished::is_breaker(&node_class(a, w)) {
                return None;
            }
            over(a, lv, linked).map(|o| (f.name.as_str(), o))
        })
}

/// Reads the objects the sampled entries reference and the state constants of both.
pub(crate) fn gather(
    a: &Analysis,
    cands: &[Candidate],
    entry_views: &FxHashMap<u32, ObjectView>,
) -> Linked {
    let entries = cands
        .iter()
        .flat_map(|c| c.values.iter())
        .filter_map(|v| entry_views.get(v));
    let mut nodes: Vec<u32> = entries
        .flat_map(|view| targets(a, view))
        .filter(|&w| plain(a, w))
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    let linked = views(a, &nodes);
    let (constants, ended_text) = constants(a, entry_views.values().chain(linked.values()));
    Linked {
        views: linked,
        constants,
        ended_text,
        now: a.heap.dump.meta().timestamp_ms,
    }
}

/// The nodes `view`'s reference fields point to.
fn targets<'v>(a: &'v Analysis, view: &'v ObjectView) -> impl Iterator<Item = u32> + 'v {
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(move |f| a.graph.ids.get(f.raw))
}

/// An instance of an application or library class other than strings and boxes.
fn plain(a: &Analysis, w: u32) -> bool {
    if node_kind(a, w) != NodeKind::Instance {
        return false;
    }
    let class = node_class(a, w);
    !class.starts_with("java.lang.") && !class.starts_with("java.time.")
}

/// The names of the enum constants the state fields of `objects` hold, and the Strings they
/// hold whose text names an end (read to compare, never kept).
fn constants<'v>(
    a: &Analysis,
    objects: impl Iterator<Item = &'v ObjectView>,
) -> (FxHashMap<u32, String>, rustc_hash::FxHashSet<u32>) {
    let mut nodes: Vec<u32> = objects
        .flat_map(|view| STATE_FIELDS.iter().filter_map(|f| ref_node(a, view, f)))
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    let texts: Vec<u32> = nodes
        .iter()
        .copied()
        .filter(|&w| node_class(a, w) == "java.lang.String")
        .collect();
    let ended_text = crate::query::strings::strings_never_shown(a, &texts)
        .into_iter()
        .filter(|(_, t)| ENDED.contains(&t.to_ascii_uppercase().as_str()))
        .map(|(w, _)| w)
        .collect();
    (enum_names(a, &nodes), ended_text)
}

/// The names of the enum constants among `nodes`.
fn enum_names(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, String> {
    let consts = views(a, nodes);
    let names: Vec<(u32, u32)> = consts
        .iter()
        .filter(|(_, view)| view.int("ordinal").is_some())
        .filter_map(|(&k, view)| Some((k, ref_node(a, view, "name")?)))
        .collect();
    let strings: Vec<u32> = names.iter().map(|&(_, s)| s).collect();
    let text = crate::query::strings::strings_never_shown(a, &strings);
    names
        .into_iter()
        .filter_map(|(k, s)| Some((k, text.get(&s)?.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::end_time_field;

    #[test]
    fn end_time_fields_by_their_words() {
        for name in [
            "closedAt",
            "completed_at",
            "pickedUpAt",
            "checkedOutTime",
            "endedOn",
        ] {
            assert!(end_time_field(name), "{name}");
        }
        for name in [
            "createdAt",
            "closeAt",
            "pickedAt",
            "upAt",
            "closed",
            "lastClosedAt",
        ] {
            assert!(!end_time_field(name), "{name}");
        }
    }
}
