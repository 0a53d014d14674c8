//! What bounds the judgement of entries' ages besides their times: the window the holder's
//! owner keeps them for, and whether the structure is small (a few entries waiting for a later
//! time look like entries left behind), and whether numeric keys wait above a watermark.

use crate::dom::analysis::Analysis;

use super::super::candidate::Candidate;
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
