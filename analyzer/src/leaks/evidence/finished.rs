//! Finished entries: entries whose own state says their work is over — a `closed`, `done`,
//! `cancelled`... flag set (or `eof`: a stream read to its end), or a future that has completed —
//! yet are still held. A registry of
//! connections the peer closed, a map of pending calls whose futures completed: the code that
//! finishes an entry forgot to remove it. A future that completed exceptionally weighs as much
//! as a flag: failed calls are not kept on purpose; a future completed normally is only
//! moderate evidence, since caches of completed futures exist (a bounded one has bound
//! evidence against), unless the field that holds them is named for unfinished work
//! (`pending`, `inFlight`, `outstanding`): then it is strong. Fewer than a thousand finished entries, or finished entries in a bounded
//! structure (a trimmed history of completed trips), are moderate evidence only.
//! The evidence is judged on the sample; the entries left behind are then counted over every
//! entry when all can be found (`every.rs`), so that the count is exact.
//! Values are read only to count.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::states::{over, over_linked, Over};
use super::Reads;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of sampled entries that must be finished.
const MOST: f64 = 0.8;
/// Entries from which finished ones are an accumulation (strong); fewer are moderate.
const MANY: u64 = super::size::MANY_ENTRIES;
/// The future classes whose completion the dump shows.
pub(crate) fn is_future(class: &str) -> bool {
    class == "java.util.concurrent.CompletableFuture"
}

/// How an entry's work ended, if the dump shows that it did.
#[derive(Clone, PartialEq, Eq)]
enum Ended {
    /// Its own state says so.
    Own(Over),
    /// The object in the named field says so (a listener's connection).
    Linked(String, Over),
    /// A future completed exceptionally.
    Failed,
    /// A future completed normally.
    Completed,
}

/// The state of a `CompletableFuture`: its `result` is null while pending, an `AltResult`
/// holding the exception when it failed.
fn future_state(a: &Analysis, future: &ObjectView) -> Option<Ended> {
    let f = future.field("result")?;
    if f.raw == 0 {
        return None;
    }
    let r = a.graph.ids.get(f.raw)?;
    let alt = crate::query::objects::node_class(a, r)
        == "java.util.concurrent.CompletableFuture$AltResult";
    // An AltResult with a reference holds the exception; without one it is a null result.
    Some(if alt && !a.graph.refs(r).is_empty() {
        Ended::Failed
    } else {
        Ended::Completed
    })
}

/// Whether objects of this class are circuit breakers, whose `CLOSED` state is the working one
/// (calls flow), not an end.
pub(crate) fn is_breaker(class: &str) -> bool {
    let simple = crate::base::text::simple_name(class);
    simple.contains("Breaker") || simple.contains("Circuit")
}

/// How `view`'s work ended: its own state, the state of the future it is or holds, or the
/// state of an object it references.
fn ended(a: &Analysis, v: u32, view: &ObjectView, reads: &Reads) -> Option<Ended> {
    let class = crate::query::objects::node_class(a, v);
    if let Some(o) = over(a, view, &reads.linked).filter(|_| !is_breaker(&class)) {
        return Some(Ended::Own(o));
    }
    if is_future(&class) {
        return future_state(a, view);
    }
    let future = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(|f| ref_node(a, view, &f.name))
        .find_map(|w| reads.nested.get(&w).and_then(|fv| future_state(a, fv)));
    future.or_else(|| {
        over_linked(a, view, &reads.linked).map(|(f, o)| Ended::Linked(f.to_string(), o))
    })
}

/// What the most common ended state among `states` reads like.
fn most_common(states: &[Option<Ended>]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for e in states.iter().flatten() {
        let text = match e {
            Ended::Own(o) => format!("have {}", o.describe()),
            Ended::Linked(f, o) => format!("hold an object in field {f} with {}", o.describe()),
            _ => continue,
        };
        match counts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => counts.push((text, 1)),
        }
    }
    let total: usize = counts.iter().map(|&(_, n)| n).sum();
    let Some((text, n)) = counts.into_iter().max_by_key(|&(_, n)| n) else {
        return "have closed = true".into();
    };
    if n < total {
        format!("{text} (the most common of their ended states)")
    } else {
        text
    }
}

/// Words of a field name that say it holds work not yet done, or things lent out and not yet
/// given back (a pool's `leased` or `borrowed` connections).
const PENDING_WORDS: [&str; 8] = [
    "pending",
    "inflight",
    "outstanding",
    "awaiting",
    "unacked",
    "leased",
    "borrowed",
    "lent",
];

/// Runs of words of a field name that say the same (`inFlight`, `checkedOut`, `inUse`).
const PENDING_JOINED: [&str; 3] = ["inflight", "checkedout", "inuse"];

/// The holder field, when its name says it holds unfinished work (`pending`, `inFlight`,
/// `outstandingCalls`) or things lent out (`leased`, `checkedOut`).
pub(super) fn pending_name(c: &Candidate) -> Option<&str> {
    let field = c.holding.as_ref()?.holder.field.as_str();
    let ws = super::ages::words(field);
    let joined = ws.concat();
    (ws.iter().any(|w| PENDING_WORDS.contains(&w.as_str()))
        || PENDING_JOINED.iter().any(|j| joined.contains(j)))
    .then_some(field)
}

/// Which ended entries the evidence counts as left behind.
#[derive(Clone, Copy)]
enum Left {
    /// A flag or a state, their own or a linked object's.
    Flagged,
    /// A future that completed exceptionally.
    Failed,
    /// A future that completed, either way.
    Done,
}

impl Left {
    fn counts(self, e: &Ended) -> bool {
        match self {
            Left::Flagged => matches!(e, Ended::Own(_) | Ended::Linked(..)),
            Left::Failed => *e == Ended::Failed,
            Left::Done => matches!(e, Ended::Failed | Ended::Completed),
        }
    }
}

/// The ended states of `values`, as far as `reads` holds their views.
fn states_of(a: &Analysis, values: &[u32], reads: &Reads) -> Vec<Option<Ended>> {
    values
        .iter()
        .filter_map(|&v| reads.views.get(&v).map(|view| ended(a, v, view, reads)))
        .collect()
}

/// (left behind, judged) over every entry of `c`, when [`every::values`] finds them all and
/// each is read: a count, where the sample gives an estimate.
fn every_left(a: &Analysis, c: &Candidate, reads: &Reads, left: Left) -> Option<(u64, u64)> {
    let (values, all) = super::every::read(a, c, reads)?;
    let states = states_of(a, &values, &all);
    let n = states.len() as u64;
    let k = states.iter().flatten().filter(|e| left.counts(e)).count() as u64;
    (n == c.entries).then_some((k, n))
}

/// (ended by their own or a linked object's state, judged) over every entry of `c`, when
/// [`every::values`] finds them all and each is read.
pub(super) fn every_ended(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<(u64, u64)> {
    every_left(a, c, reads, Left::Flagged)
}

/// Adds the finished-entries evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let states = states_of(a, &c.values, reads);
    let n = states.len();
    if n < MIN_ENTRIES {
        return;
    }
    let count = |l: Left| states.iter().flatten().filter(|e| l.counts(e)).count();
    let flagged = count(Left::Flagged);
    let failed = count(Left::Failed);
    let completed = count(Left::Done) - failed;
    let most = |k: usize| k as f64 >= MOST * n as f64;
    let (strength, what, left) = if most(flagged) {
        (
            Strength::Strong,
            format!("{flagged} of {n} sampled entries {}", most_common(&states)),
            Left::Flagged,
        )
    } else if most(failed) {
        (
            Strength::Strong,
            format!("{failed} of {n} sampled entries hold a future that completed exceptionally"),
            Left::Failed,
        )
    } else if most(failed + completed) {
        // Caches of completed futures exist; a structure named for unfinished work does not
        // keep them on purpose.
        let pending = pending_name(c);
        (
            if pending.is_some() {
                Strength::Strong
            } else {
                Strength::Moderate
            },
            format!(
                "{} of {n} sampled entries hold a future that has completed{}",
                failed + completed,
                pending
                    .map(|f| format!(", in field {f}, named for work not yet done"))
                    .unwrap_or_default()
            ),
            Left::Done,
        )
    } else {
        return;
    };
    // The entries' own state is the best count of those left behind: over all of them when
    // they can all be found, else over the sample.
    let (k, m) = every_left(a, c, reads, left).unwrap_or((count(left) as u64, n as u64));
    c.left_in_sample = Some((super::super::model::LeftBy::State, k, m));
    // A hundred closed streams kept are a smell; thousands are an accumulation. A bounded
    // structure (a trimmed history, a capped cache) keeps finished work on purpose.
    let bounded = c
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::Bound && e.supports == Supports::MemoryHungry);
    let strength = if c.entries < MANY || bounded {
        strength.min(Strength::Moderate)
    } else {
        strength
    };
    if let Some(oldest) = recent_ends(c, reads) {
        c.add(evidence(
            EvidenceName::Finished,
            Supports::Leak,
            Strength::Weak,
            format!("{what}, all within the last {} before the dump: kept for a while after their work ended (a window for claims or replays), not left behind", super::ages::duration(oldest)),
        ));
        return;
    }
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        strength,
        format!("{what}: their work is over, yet they are still held (the code that finishes an entry does not remove it)"),
    ));
}

/// Entries kept after their end for at most this long are kept for a window.
const RECENT: u64 = super::ages::IDLE;

/// How long ago the oldest sampled entry's work ended, when every sampled entry has an end
/// time and all lie within [`RECENT`] of the dump: entries kept for a set while after they
/// end (returns kept for damage claims), which a leak's ends, spread over the hours since it
/// began, are not. End times are read only to compare them with the dump's time.
fn recent_ends(c: &Candidate, reads: &Reads) -> Option<u64> {
    let now = reads.linked.now;
    let ends: Vec<u64> = c
        .values
        .iter()
        .filter_map(|v| reads.views.get(v))
        .map(|view| {
            let (_, raw) = super::states::end_time(view, now)?;
            super::ages::as_millis(raw, now)
        })
        .collect::<Option<Vec<u64>>>()?;
    let oldest = ends.iter().map(|&t| now.saturating_sub(t)).max()?;
    (now > 0 && ends.len() >= MIN_ENTRIES && oldest < RECENT).then_some(oldest)
}
