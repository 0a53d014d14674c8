//! Stale slots: an object array whose owner's own indexes say most of its filled slots are no
//! longer in use. A hand-written queue or outbox (`Object[] items; int head, tail;`) whose
//! `poll()` advances `head` without setting the slot to null, and which grows its array when
//! `tail` reaches the end instead of reusing the taken prefix, keeps every object ever offered:
//! slots `[0, head)` still reference objects the structure itself will never read again
//! (obsolete references). The dump shows it exactly: the array is filled from slot 0 up to the
//! owner's `tail` and empty after it, and another of the owner's int fields (`head`) lies far
//! inside that range. Index values are read to compare them, never shown beyond counts.

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
    /// The owner's field that marks the first slot in use (`head`), and its value.
    pub head: (String, u64),
    /// The owner's field that marks the end of the filled slots (`tail`).
    pub tail: String,
    /// Filled slots (from slot 0 on).
    pub filled: u64,
}

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

/// Whether the candidate's array has stale slots, by its owner's indexes (see the module
/// documentation); `reads` holds the owner's fields.
pub(crate) fn stale(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Stale> {
    let (arr, owner) = array_and_owner(a, c)?;
    let owner_view = reads.views.get(&owner)?;
    let offs = locate(a, &[arr]);
    let elements = read_object(a, *offs.get(&arr)?, false)?.elements;
    let filled = elements.iter().take_while(|&&e| e != 0).count();
    // Empty after the filled prefix, and some of it empty: appended to from slot 0, never
    // wrapped around (a full array may be a ring whose indexes go round).
    if filled == elements.len() || elements[filled..].iter().any(|&e| e != 0) {
        return None;
    }
    let filled = filled as u64;
    of_owner(owner_view, filled)
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
        head: (head.0.to_string(), head.1),
        tail: tail.to_string(),
        filled,
    })
}

/// Adds the stale-slot evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some(s) = stale(a, c, reads) else { return };
    // The path leads to the array that keeps them, not to one of the objects.
    if let Some((arr, _)) = array_and_owner(a, c) {
        c.node = Some(arr);
    }
    c.left_in_sample = Some((LeftBy::State, s.head.1, s.filled));
    c.add(evidence(
        EvidenceName::StaleSlots,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of the {} filled slots of its array lie before the owner's {} = {} ({} = {}): taken out and never set to null, so the array keeps every object ever added (obsolete references)",
            thousands(s.head.1),
            thousands(s.filled),
            s.head.0,
            thousands(s.head.1),
            s.tail,
            thousands(s.filled),
        ),
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
    fn head_far_inside_the_filled_range() {
        let s = of_owner(&view(&[("head", 39_975), ("tail", 40_000)]), 40_000).unwrap();
        assert_eq!((s.head.1, s.tail.as_str()), (39_975, "tail"));
        // Nothing taken yet, or a tail that is not where the filling ends.
        assert!(of_owner(&view(&[("head", 0), ("tail", 40_000)]), 40_000).is_none());
        assert!(of_owner(&view(&[("head", 30_000), ("tail", 39_000)]), 40_000).is_none());
        // Only a few taken: not most of the slots.
        assert!(of_owner(&view(&[("head", 1_500), ("tail", 40_000)]), 40_000).is_none());
    }
}
