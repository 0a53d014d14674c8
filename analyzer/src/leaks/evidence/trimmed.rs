//! Deques consumed from the front: an `ArrayDeque` whose `head` and `tail` both left slot 0,
//! and not as its own growth leaves them, had entries removed from its front: a history
//! trimmed oldest first, or a queue consumed. The age of what a history keeps says how long
//! the trimming keeps entries, not that nothing removes them; a queue's (a field named for
//! one: `outbound`, `backlog`) says how long its entries waited for a consumer.

use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;

use super::super::candidate::Candidate;
use super::Reads;

/// Whether the candidate is an `ArrayDeque` that entries were removed from the front of: both
/// its `head` and `tail` left slot 0 (appending alone moves only `tail`, pushing alone only
/// `head`), and not as its own growth leaves them, held by a field not named for a queue. The
/// age of what is left then says how long the trimming keeps entries, not that nothing removes
/// them ([`super::ages`] does not judge it). A queue's entries are judged by their ages: old
/// ones waited for a consumer that stopped.
pub(crate) fn trimmed_front(a: &Analysis, c: &Candidate, reads: &Reads) -> bool {
    trimmed(a, c, reads) && !queue_named(c)
}

/// Words of a field that holds work waiting to be sent or handled (`outbound`, `sendQueue`,
/// `backlog`): a deque consumed from its front is then a queue, not a history, and how long
/// its entries have waited says whether its consumer still runs.
const QUEUE_WORDS: &[&str] = &[
    "outbound", "outgoing", "queue", "queued", "outbox", "backlog", "unsent", "mailbox",
];

/// Whether the holder field is named for a queue ([`QUEUE_WORDS`]).
fn queue_named(c: &Candidate) -> bool {
    c.holding.as_ref().is_some_and(|h| {
        super::ages::words(&h.holder.field)
            .iter()
            .any(|w| QUEUE_WORDS.contains(&w.as_str()))
    })
}

/// Members of a group of deques read at most (spread over them) to tell whether the group
/// was trimmed.
const MAX_MEMBERS: usize = 4096;

/// Whether entries were removed from the front of the candidate's `ArrayDeque`; for one
/// deque in each of many objects (an inbox per broker), whether the trimmed deques hold at
/// least half of the entries: a few trimmed ones (the inboxes of those who open theirs) do not
/// make a bound of the others.
fn trimmed(a: &Analysis, c: &Candidate, reads: &Reads) -> bool {
    let deque = c
        .collection
        .as_ref()
        .is_some_and(|f| f.spec.class == "java.util.ArrayDeque");
    if !deque {
        return false;
    }
    if c.members.len() > 1 {
        let step = c.members.len().div_ceil(MAX_MEMBERS).max(1);
        let sample: Vec<u32> = c.members.iter().copied().step_by(step).collect();
        let views = crate::query::find::views(a, &sample);
        let slots = slots_of(a, views.values());
        let (mut cut, mut all) = (0u64, 0u64);
        for view in views.values() {
            let (front, held) = front_removed(a, view, &slots);
            all += held;
            cut += if front { held } else { 0 };
        }
        return all > 0 && 2 * cut >= all;
    }
    c.node
        .and_then(|v| reads.views.get(&v))
        .is_some_and(|own| front_removed(a, own, &slots_of(a, [own])).0)
}

/// The lengths of the deques' `elements` arrays, read in one pass (not one per deque).
fn slots_of<'v>(
    a: &Analysis,
    deques: impl IntoIterator<Item = &'v crate::query::objects::ObjectView>,
) -> rustc_hash::FxHashMap<u32, u64> {
    let arrays: Vec<u32> = deques
        .into_iter()
        .filter_map(|d| ref_node(a, d, "elements"))
        .collect();
    crate::query::objects::array_lengths(a, &arrays)
}

/// Whether entries were removed from the front of the `ArrayDeque` `own`, and how many it
/// holds; `slots`: the lengths of the deques' arrays ([`slots_of`]).
fn front_removed(
    a: &Analysis,
    own: &crate::query::objects::ObjectView,
    slots: &rustc_hash::FxHashMap<u32, u64>,
) -> (bool, u64) {
    let (head, tail) = (own.int("head").unwrap_or(0), own.int("tail").unwrap_or(0));
    let slots = ref_node(a, own, "elements").and_then(|arr| slots.get(&arr).copied());
    let held = match slots {
        Some(len) if len > 0 => (tail as i64 - head as i64).rem_euclid(len as i64) as u64,
        _ => 0,
    };
    if head == 0 || tail == 0 {
        return (false, held);
    }
    (
        !slots.is_some_and(|len| grown_by_appending(len, head as u64)),
        held,
    )
}

/// Whether an `ArrayDeque` of `len` slots whose `head` is here was only appended to (and taken
/// from at its tail: a stack on `addLast`/`pollLast`) since it was created (JDK 9 and later).
/// Each growth moves the part from `head` to the end of the old array to the end of the new
/// one, so `head` becomes `len - initial capacity`, and only taking from the front moves it
/// again; the growth steps (`2n + 2` below 64 slots, `n + n/2` from there) lead from that
/// initial capacity to exactly `len`. Where `tail` is says nothing: taking from the tail moves
/// it back past the wrap. JDK 8 reset `head` to 0 on growth.
fn grown_by_appending(len: u64, head: u64) -> bool {
    if head >= len {
        return false;
    }
    let mut cap = len - head;
    while cap < len {
        cap = if cap < 64 { 2 * cap + 2 } else { cap + cap / 2 };
    }
    cap == len
}

#[cfg(test)]
mod tests {
    use super::grown_by_appending;

    /// `head`, `tail` and length of JDK 17 `ArrayDeque`s read by reflection after `addLast`
    /// only (default capacity, 17 slots, and `new ArrayDeque<>(100)`, 101 slots), after
    /// `addLast` with `pollLast` (a stack whose tail went back past the wrap: `tail > head`),
    /// and after `addLast` with `pollFirst` beyond 250 entries.
    #[test]
    fn appended_deques_are_told_from_trimmed_ones() {
        for (len, head, tail) in [
            (36, 19, 3),
            (373, 356, 305),
            (9540, 9523, 8901),
            (339, 238, 221),
            (13014, 12913, 8817),
            (373, 356, 369),
        ] {
            assert!(grown_by_appending(len, head), "{len} {head} {tail}");
        }
        // Entries were taken from the front: `head` moved on from where growth left it.
        assert!(!grown_by_appending(373, 257));
        assert!(!grown_by_appending(373, 100));
    }
}
