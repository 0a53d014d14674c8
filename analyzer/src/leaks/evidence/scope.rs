//! What bounds the judgement of entries' ages besides their times: the window the holder's
//! owner keeps them for, whether the structure is small (a few entries waiting for a later
//! time look like entries left behind) and whether numeric keys wait above a watermark; and so
//! how strong idle entries added over hours are.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;

use super::super::candidate::Candidate;
use super::super::model::Strength;
use super::Reads;

/// What bounds the judgement of the entries' ages besides their times.
pub(super) struct Scope {
    /// The window the holder's owner keeps its entries for.
    pub window: Option<super::windowed::Window>,
    /// Whether the structure is small: fewer than [`FEW_ENTRIES`] entries and under
    /// [`SMALL_SHARE`] of the reachable heap.
    pub small: bool,
    /// When the keys look like natural ids: whether most lie above their owner's watermark
    /// (pending work, no directory).
    pub pinned: Option<super::watermark::Pinned>,
}

/// Entries under which a structure that is also a small share of the heap may be pending work.
const FEW_ENTRIES: u64 = 1_000;
/// Share of the reachable heap under which a structure of few entries may be pending work.
const SMALL_SHARE: f64 = 0.05;
/// What the evidence of a small structure's idle entries adds.
pub(super) const SMALL_WORDS: &str = "a small share of the heap: work waiting for a later time (waivers signed for this afternoon's flights) looks the same, so a second dump decides";

impl Scope {
    /// The scope of candidate `c`'s entries.
    pub fn of(a: &Analysis, c: &Candidate, reads: &Reads) -> Scope {
        Scope {
            window: super::windowed::of_owner(a, c, reads),
            small: c.entries < FEW_ENTRIES
                && (c.retained as f64) < SMALL_SHARE * a.dom.reachable_bytes as f64,
            pinned: c
                .keyed_naturally()
                .then(|| super::watermark::check(a, c, reads))
                .flatten(),
        }
    }
}

/// How strong idle entries added over hours are as a leak, and what qualifies it: strong
/// unless the keys look like natural ids, and strong all the same in a field named for
/// unfinished work, for a thinned sequence or for keys above their owner's watermark.
pub(super) fn added_strength(
    c: &Candidate,
    thinned: Option<super::thinned::Thinned>,
    scope: &Scope,
) -> (Strength, String) {
    // Work that waits hours in a field named for unfinished work is overdue, whatever its
    // keys: a directory is not named `pending`.
    match (super::finished::pending_name(c), thinned, &scope.pinned) {
        (Some(_), _, _) if c.keyed_naturally() => (
            Strength::Strong,
            "; the keys look like natural ids, but a field named for unfinished work or things lent out is no directory".to_string(),
        ),
        (None, Some(t), _) if c.keyed_naturally() => (
            Strength::Strong,
            format!(
                "; the keys are numbered in the order the entries were made and it holds {} of the ~{} numbers issued over that time, of the oldest as many as of the newest: the others were removed, these were left",
                thousands(c.entries),
                thousands(t.issued)
            ),
        ),
        (None, None, Some(p)) if c.keyed_naturally() => (
            Strength::Strong,
            format!(
                "; the keys look like natural ids, but {} of {} sampled lie above their owner's watermark (field {}): work waiting for the watermark to pass it, which has not moved in that time",
                thousands(p.above as u64),
                thousands(p.judged as u64),
                p.field
            ),
        ),
        _ if scope.small => (
            Strength::Moderate,
            format!("; but {} entries, {}", thousands(c.entries), SMALL_WORDS),
        ),
        _ => {
            let (s, caveat) = super::ages::unless_natural(c, Strength::Weak);
            (s, caveat.to_string())
        }
    }
}
