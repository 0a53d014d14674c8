//! Stale slots: an object array whose owner's own indexes say most of its filled slots are no
//! longer in use. A hand-written queue or outbox (`Object[] items; int head, tail;`) whose
//! `poll()` advances `head` without setting the slot to null, and which grows its array when
//! `tail` reaches the end instead of reusing the taken prefix, keeps every object ever offered:
//! slots `[0, head)` still reference objects the structure itself will never read again
//! (obsolete references). The dump shows it exactly: the array is filled from slot 0 up to the
//! owner's `tail` and empty after it, and another of the owner's int fields (`head`) lies far
//! inside that range. Index values are read to compare them, never shown beyond counts.
//!
//! A hashed table of the application's own (open addressing: `Object[] values; int size;`)
//! whose `remove()` marks a slot deleted but keeps its object, and whose rehash copies the
//! deleted slots along, shows it another way: its array, not full, has far more filled slots
//! than the owner's own count (`size`) says it holds.

use hprof_parser::BasicType;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::{locate, node_kind, read_object, NodeKind, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::Reads;

/// Stale slots from which they are an accumulation.
const MIN_STALE: u64 = 1000;
/// Share of the filled slots that must be stale.
const MOST: f64 = 0.5;

/// What the owner's indexes say of its array.
pub(crate) struct Stale {
    /// How the owner tells its slots in use.
    pub by: By,
    /// Filled slots.
    pub filled: u64,
    /// Filled slots no longer in use by the owner's account.
    pub stale: u64,
}

/// How the owner tells the slots it still uses.
pub(crate) enum By {
    /// Filled from slot 0 up to the owner's `tail`; the owner's `head` (field, value) marks the
    /// first slot in use.
    Indexes { head: (String, u64), tail: String },
    /// The owner's count (field, value) of the objects it holds, far below the filled slots
    /// of a table that is not full.
    Count(String, u64),
}

/// Words of an int field's name that make it the owner's count of what it holds.
const COUNT_WORDS: &[&str] = &["size", "count", "live", "used", "entries", "occupied"];

/// The array of a candidate and the instance whose field holds it: a class group's holder
/// field when that is an object array, or the object array a single object dominates. A class
/// object is no owner: its static `int`s are constants and counters, not indexes of one array.
fn array_and_owner(a: &Analysis, c: &Candidate) -> Option<(u32, u32)> {
    let h = c.holding.as_ref()?;
    let (arr, owner) = match c.kind {
        LeakKind::ClassGroup => (*h.chain.first()?, h.owner),
        LeakKind::SingleObject => {
            let v = c.node?;
            let arr = a.graph.refs(v).iter().copied().find(|&w| {
                a.dom.idom[w as usize] == v && node_kind(a, w) == NodeKind::ObjectArray
            })?;
            (arr, v)
        }
        _ => return None,
    };
    (node_kind(a, arr) == NodeKind::ObjectArray && a.graph.class_object(owner).is_none())
        .then_some((arr, owner))
}

/// How the candidate's array is filled, and its owner's fields.
struct Fill<'r> {
    /// The owner's fields.
    owner: &'r ObjectView,
    /// Slots of the array.
    slots: usize,
    /// Filled slots.
    filled: usize,
    /// Filled slots before the first empty one.
    prefix: usize,
}

/// How the candidate's array (see [`array_and_owner`]) is filled; `reads` holds the owner's
/// fields.
fn fill<'r>(a: &Analysis, c: &Candidate, reads: &'r Reads) -> Option<Fill<'r>> {
    let (arr, owner) = array_and_owner(a, c)?;
    let owner = reads.views.get(&owner)?;
    let offs = locate(a, &[arr]);
    let elements = read_object(a, *offs.get(&arr)?, false)?.elements;
    Some(Fill {
        owner,
        slots: elements.len(),
        prefix: elements.iter().take_while(|&&e| e != 0).count(),
        filled: elements.iter().filter(|&&e| e != 0).count(),
    })
}

/// Whether the candidate's array has stale slots, by its owner's indexes (see the module
/// documentation); `reads` holds the owner's fields.
pub(crate) fn stale(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Stale> {
    let f = fill(a, c, reads)?;
    // A full array may be a ring whose indexes go round: neither form applies.
    if f.filled == f.slots {
        return None;
    }
    if f.prefix == f.filled {
        // Empty after the filled prefix: appended to from slot 0, never wrapped around.
        of_owner(f.owner, f.filled as u64)
    } else {
        counted(f.owner, f.filled as u64)
    }
}

/// Whether the candidate's array is the backing array of a hand-written list
/// (`Object[] items; int size;`): filled from slot 0 and empty after, not full, with an int
/// field of its owner equal to the filled slots. Such a list grows by copying into a bigger
/// array when it is full, so the array's slot count bounds nothing.
pub(crate) fn growable(a: &Analysis, c: &Candidate, reads: &Reads) -> bool {
    fill(a, c, reads).is_some_and(|f| list_like(&f))
}

/// Whether a fill is a hand-written list's (see [`growable`]).
fn list_like(f: &Fill) -> bool {
    f.filled > 0
        && f.prefix == f.filled
        && f.filled < f.slots
        && f.owner
            .fields
            .iter()
            .any(|x| x.ty == BasicType::Int && (x.raw as u32 as i32).max(0) as usize == f.filled)
}

/// The owner's count (an int field named for a count, the largest under `filled`), when the
/// filled slots beyond it are most of them.
fn counted(view: &ObjectView, filled: u64) -> Option<Stale> {
    let (name, count) = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Int)
        .filter(|f| {
            super::ages::words(&f.name)
                .iter()
                .any(|w| COUNT_WORDS.contains(&w.as_str()))
        })
        .map(|f| (f.name.as_str(), (f.raw as u32 as i32).max(0) as u64))
        .filter(|&(_, x)| x < filled)
        .max_by_key(|&(_, x)| x)?;
    let stale = filled - count;
    (stale >= MIN_STALE && stale as f64 >= MOST * filled as f64).then(|| Stale {
        by: By::Count(name.to_string(), count),
        filled,
        stale,
    })
}

/// The owner's `tail` (an int field equal to `filled`) and `head` (the largest other int field
/// inside the filled range), when the slots before `head` are most of them.
fn of_owner(view: &ObjectView, filled: u64) -> Option<Stale> {
    let ints: Vec<(&str, u64)> = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Int)
        .map(|f| (f.name.as_str(), (f.raw as u32 as i32).max(0) as u64))
        .collect();
    let tail = ints.iter().find(|&&(_, x)| x == filled && x > 0)?.0;
    let head = ints
        .iter()
        .filter(|&&(n, x)| n != tail && x < filled)
        .max_by_key(|&&(_, x)| x)?;
    (head.1 >= MIN_STALE && head.1 as f64 >= MOST * filled as f64).then(|| Stale {
        by: By::Indexes {
            head: (head.0.to_string(), head.1),
            tail: tail.to_string(),
        },
        filled,
        stale: head.1,
    })
}

/// Adds the stale-slot evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(s) = stale(a, c, reads) else { return };
    // The path leads to the array that keeps them, not to one of the objects.
    if let Some((arr, _)) = array_and_owner(a, c) {
        c.node = Some(arr);
    }
    c.left_in_sample = Some((LeftBy::State, s.stale, s.filled));
    let detail = match &s.by {
        By::Indexes { head, tail } => format!(
            "{} of the {} filled slots of its array lie before the owner's {} = {} ({} = {}): taken out and never set to null, so the array keeps every object ever added (obsolete references)",
            thousands(s.stale),
            thousands(s.filled),
            head.0,
            thousands(head.1),
            tail,
            thousands(s.filled),
        ),
        By::Count(field, count) => format!(
            "its array has {} filled slots, but the owner's {} = {}: {} slots it no longer counts still reference their objects (removed, never set to null), and a bigger array takes them along",
            thousands(s.filled),
            field,
            thousands(*count),
            thousands(s.stale),
        ),
    };
    c.add(evidence(
        EvidenceName::StaleSlots,
        Supports::Leak,
        Strength::Strong,
        detail,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::objects::FieldValue;

    fn view(ints: &[(&str, u64)]) -> ObjectView {
        ObjectView {
            fields: ints
                .iter()
                .map(|&(n, x)| FieldValue {
                    name: n.to_string(),
                    ty: BasicType::Int,
                    raw: x,
                })
                .collect(),
            elements: Vec::new(),
            data: Vec::new(),
            elem: None,
            len: 0,
            class_links: [0; 4],
        }
    }

    #[test]
    fn a_list_is_filled_from_slot_0_up_to_its_size() {
        let owner = view(&[("size", 48_000), ("modCount", 7)]);
        let list = |slots, filled, prefix| Fill {
            owner: &owner,
            slots,
            filled,
            prefix,
        };
        assert!(list_like(&list(59_049, 48_000, 48_000)));
        // Full: a ring buffer, or a list exactly at its capacity; no size field to tell.
        assert!(!list_like(&list(48_000, 48_000, 48_000)));
        // Holes: a table indexed by id.
        assert!(!list_like(&list(59_049, 48_000, 30_000)));
        // No int field counts the filled slots.
        assert!(!list_like(&list(59_049, 47_000, 47_000)));
    }

    #[test]
    fn head_far_inside_the_filled_range() {
        let s = of_owner(&view(&[("head", 39_975), ("tail", 40_000)]), 40_000).unwrap();
        assert_eq!(s.stale, 39_975);
        assert!(matches!(s.by, By::Indexes { ref tail, .. } if tail == "tail"));
        // Nothing taken yet, or a tail that is not where the filling ends.
        assert!(of_owner(&view(&[("head", 0), ("tail", 40_000)]), 40_000).is_none());
        assert!(of_owner(&view(&[("head", 30_000), ("tail", 39_000)]), 40_000).is_none());
        // Only a few taken: not most of the slots.
        assert!(of_owner(&view(&[("head", 1_500), ("tail", 40_000)]), 40_000).is_none());
    }

    #[test]
    fn a_count_far_below_the_filled_slots() {
        // An open-addressing table: 9,128 filled slots, 2,346 counted.
        let v = view(&[("size", 2_346), ("tombstones", 6_782), ("rehashes", 4)]);
        let s = counted(&v, 9_128).unwrap();
        assert_eq!(s.stale, 6_782);
        assert!(matches!(s.by, By::Count(ref f, 2_346) if f == "size"));
        // Most slots counted, or too few stale: not this.
        assert!(counted(&view(&[("size", 9_000)]), 9_128).is_none());
        assert!(counted(&view(&[("size", 100)]), 900).is_none());
        // No field named for a count.
        assert!(counted(&view(&[("rehashes", 4), ("mask", 16_383)]), 9_128).is_none());
    }
}
