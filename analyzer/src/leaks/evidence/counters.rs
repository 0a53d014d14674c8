//! The holder's own counters: the object that owns the holder field often counts what it does
//! with the collection — entries added (`parkedTotal`, `compiles`, `loads`), lookups that found
//! an entry (`hits`), entries removed (`evicted`, `replayed`, `purged`). A counter equal to the
//! collection's size (a few hundred entries or more: no coincidence) counts its additions, and
//! says that every entry ever added is still held. Beside it:
//!
//! - a removal counter at zero: the code that removes entries never ran (a dead-letter store
//!   never replayed or redelivered, a cache whose eviction never fired). Moderate; strong when the entries'
//!   own times already say they were added over hours and left idle; weak for natural keys
//!   without such times (a directory that never needs to remove looks the same);
//! - a removal counter that counted many removals (100 or more, a tenth of the entries or more):
//!   the code removes entries, but not from this collection (a set of temp directories each
//!   deleted from disk and kept in the set). As strong as a removal counter at zero;
//! - a hit counter below the additions: most lookups added a new entry, so the keys rarely come
//!   back and the collection grows with the lookups (a cache keyed by free text). Moderate,
//!   weak for natural keys (a directory warming up misses at first). Many more hits than
//!   additions say the entries are reused: weak evidence of a working set.
//!
//! Values are read only to compare them; only counts are shown.

use hprof_parser::BasicType;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::words;
use super::Reads;
use crate::base::text::thousands;
use crate::query::objects::FieldValue;

/// Entries below which a counter equal to the size may be a coincidence.
const MIN_ENTRIES: u64 = 200;
/// Words of a counter's name that say it counts removals.
const REMOVAL_WORDS: [&str; 28] = [
    "evicted",
    "evictions",
    "eviction",
    "evicts",
    "removed",
    "removals",
    "removes",
    "expired",
    "expirations",
    "purged",
    "purges",
    "replayed",
    "replays",
    "redelivered",
    "retried",
    "resent",
    "requeued",
    "resubmitted",
    "reprocessed",
    "drained",
    "deleted",
    "dropped",
    "released",
    "cleared",
    "pruned",
    "trimmed",
    "swept",
    "sweeps",
];
/// Words of a counter's name that say it counts lookups that found an entry.
const HIT_WORDS: [&str; 2] = ["hit", "hits"];
/// Words of a field's name that say it is a size, not a counter of additions.
const SIZE_WORDS: [&str; 4] = ["size", "length", "len", "capacity"];

/// The owner's integer fields, by name and value.
fn counters(fields: &[FieldValue]) -> Vec<(&str, u64)> {
    fields
        .iter()
        .filter_map(|f| {
            let v = match f.ty {
                BasicType::Int => (f.raw as u32 as i32).max(0) as u64,
                BasicType::Long => (f.raw as i64).max(0) as u64,
                _ => return None,
            };
            Some((f.name.as_str(), v))
        })
        .collect()
}

/// Whether a counter's name has one of `vocabulary` among its words.
fn named(name: &str, vocabulary: &[&str]) -> bool {
    words(name).iter().any(|w| vocabulary.contains(&w.as_str()))
}

/// What the owner's counters say: the counter of additions, a removal counter at zero, and
/// the hit counter.
struct Counted<'f> {
    added: &'f str,
    never_removed: Option<&'f str>,
    /// A removal counter that counted many removals, though every addition is still held.
    removed_elsewhere: Option<(&'f str, u64)>,
    hits: Option<(&'f str, u64)>,
}

/// Removals counted (at least this many, and this share of the entries) beside a collection
/// that still holds every addition: what the code removes is not removed from it.
const MIN_REMOVALS: u64 = 100;
const REMOVAL_SHARE: f64 = 0.1;

/// The counters of the owner of a collection of `entries` entries, when one counts its
/// additions.
fn counted<'f>(fields: &[(&'f str, u64)], entries: u64) -> Option<Counted<'f>> {
    let added = fields.iter().find(|&&(name, v)| {
        v == entries
            && !named(name, &SIZE_WORDS)
            && !named(name, &REMOVAL_WORDS)
            && !named(name, &HIT_WORDS)
    })?;
    Some(Counted {
        added: added.0,
        never_removed: fields
            .iter()
            .find(|&&(name, v)| v == 0 && named(name, &REMOVAL_WORDS))
            .map(|&(name, _)| name),
        removed_elsewhere: fields
            .iter()
            .find(|&&(name, v)| {
                v >= MIN_REMOVALS
                    && v as f64 >= REMOVAL_SHARE * entries as f64
                    && named(name, &REMOVAL_WORDS)
            })
            .copied(),
        hits: fields
            .iter()
            .find(|&&(name, _)| named(name, &HIT_WORDS))
            .copied(),
    })
}

/// Adds the counters evidence of a single collection whose owner counts its additions.
pub(crate) fn add(c: &mut Candidate, reads: &Reads) {
    let Some(owner) = c.holding.as_ref().map(|h| h.owner) else {
        return;
    };
    if c.instances > 1 || c.entries < MIN_ENTRIES {
        return;
    }
    let Some(view) = reads.views.get(&owner) else {
        return;
    };
    let fields = counters(&view.fields);
    let Some(k) = counted(&fields, c.entries) else {
        return;
    };
    let n = thousands(c.entries);
    let hits = k.hits.map(|(hit, h)| hit_piece(c, (hit, h)));
    let removal = k
        .never_removed
        .map(|r| {
            (
                removal_strength(c),
                format!(
                    ", and its removal counter {r} is 0: the code that removes entries never ran"
                ),
            )
        })
        .or_else(|| {
            k.removed_elsewhere.map(|(r, v)| {
                (
                    removal_strength(c),
                    format!(
                        ", though its removal counter {r} counted {}: what the code removes is not removed from this collection",
                        thousands(v)
                    ),
                )
            })
        });
    let (supports, strength, detail) = match (removal, hits) {
        (None, None) => return,
        (Some((s, r)), None) => (Supports::Leak, s, r),
        (None, Some((way, s, h))) => (way, s, h),
        (Some((s1, r)), Some((Supports::Leak, s2, h))) => {
            (Supports::Leak, s1.max(s2), format!("{r}{h}"))
        }
        (Some((s1, r)), Some(_)) => (Supports::Leak, s1, r),
    };
    c.add(evidence(
        EvidenceName::Counters,
        supports,
        strength,
        format!(
            "its owner counts {n} additions in {} and holds every one of them{detail}",
            k.added
        ),
    ));
}

/// How strong a removal counter at zero is (see the module doc).
fn removal_strength(c: &Candidate) -> Strength {
    let aged = c
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::EntryAges && e.supports == Supports::Leak);
    match (aged, c.keyed_naturally()) {
        (true, _) => Strength::Strong,
        (false, false) => Strength::Moderate,
        (false, true) => Strength::Weak,
    }
}

/// The evidence of a hit counter `h` beside the additions, as a clause.
fn hit_piece(c: &Candidate, (hit, h): (&str, u64)) -> (Supports, Strength, String) {
    let lookups = h + c.entries;
    if h >= c.entries {
        return (
            Supports::MemoryHungry,
            Strength::Weak,
            format!(
                "; {} hits in {hit}: the entries are looked up again, a working set",
                thousands(h)
            ),
        );
    }
    let strength = if c.keyed_naturally() {
        Strength::Weak
    } else {
        Strength::Moderate
    };
    (
        Supports::Leak,
        strength,
        format!(
            "; {} hits in {hit}: {:.0}% of {} lookups added an entry, kept without eviction (keys that rarely come back)",
            thousands(h),
            100.0 * c.entries as f64 / lookups as f64,
            thousands(lookups)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn an_addition_counter_equals_the_size() {
        let f = [("parkedTotal", 6406), ("replayed", 0), ("sweeps", 0)];
        let k = counted(&f, 6406).expect("counted");
        assert_eq!(k.added, "parkedTotal");
        assert_eq!(k.never_removed, Some("replayed"));
        assert!(k.hits.is_none());
    }

    #[test]
    fn sizes_and_hits_are_not_additions() {
        let f = [("size", 500), ("hits", 500), ("evicted", 3)];
        assert!(counted(&f, 500).is_none());
        let f = [("hits", 642), ("compiles", 11358), ("evicted", 0)];
        let k = counted(&f, 11358).expect("counted");
        assert_eq!(k.added, "compiles");
        assert_eq!(k.hits, Some(("hits", 642)));
        assert_eq!(k.never_removed, Some("evicted"));
    }

    #[test]
    fn a_dead_letter_store_never_redelivered() {
        let f = [("everParked", 4006), ("redelivered", 0)];
        let k = counted(&f, 4006).expect("counted");
        assert_eq!(k.added, "everParked");
        assert_eq!(k.never_removed, Some("redelivered"));
    }

    #[test]
    fn a_removal_counter_above_zero_is_not_never() {
        let f = [("added", 1000), ("evictions", 12)];
        let k = counted(&f, 1000).expect("counted");
        assert!(k.never_removed.is_none());
        assert!(k.removed_elsewhere.is_none());
    }

    #[test]
    fn removals_counted_beside_every_addition_held() {
        let f = [("created", 24_000), ("deleted", 23_697)];
        let k = counted(&f, 24_000).expect("counted");
        assert_eq!(k.removed_elsewhere, Some(("deleted", 23_697)));
    }
}
