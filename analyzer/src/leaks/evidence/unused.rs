//! Never used: entries that count their own uses (`hits`, `hitCount`, `uses`, `accessCount`,
//! `lookups`) and whose count is still zero an hour or more after they were added, by their
//! own time, were never read again: memory allocated and never used. Most sampled entries like
//! that, added over an hour or more and still being added in the last hour, are a cache that
//! keeps what nobody asks for again. The counter says it whatever order the collector left the
//! entries in. Not judged: a collection with a strong bound (an LRU, a cap reached: a bounded
//! cache keeps a share of one-off entries until it evicts them). Values are read only to count.

use hprof_parser::BasicType;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeftBy, Strength, Supports};
use super::ages::{duration, entry_times, unless_natural, words, IDLE};
use super::Reads;
use crate::dom::analysis::Analysis;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of the sampled entries that must have a use counter.
const COUNTED: f64 = 0.8;
/// Share of the counted entries that must be old and never used.
const MOST: f64 = 0.5;
/// Words of a field's name that say it counts uses of its entry.
const COUNTER_WORDS: [&str; 8] = [
    "hit", "hits", "uses", "accesses", "lookups", "reads", "served", "usage",
];

/// Adds the never-used evidence of a collection's entries.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    let judged = c
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::EntryAges && e.supports == Supports::Leak);
    if now == 0
        || judged
        || c.collection.is_none()
        || c.values.len() < MIN_ENTRIES
        || c.strongest(Supports::MemoryHungry) == Some(Strength::Strong)
    {
        return;
    }
    let Some(u) = unused(a, c, reads, now) else {
        return;
    };
    let n = c.values.len() as u64;
    c.left_in_sample
        .get_or_insert((LeftBy::Idle, u.unused as u64, n));
    let (strength, caveat) = unless_natural(c, Strength::Moderate);
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        strength,
        format!(
            "{} of {n} sampled entries were added an hour or more before the dump and never used since (field {} is 0); entries were added over {} and still are: what nobody asks for again is kept{caveat}",
            u.unused,
            u.counter,
            duration(u.span)
        ),
    ));
}

/// What the sampled entries' counters and times say.
struct Unused {
    /// The counter field's name.
    counter: String,
    /// Entries added an hour or more ago whose counter is 0.
    unused: usize,
    /// Over how long the entries were added.
    span: u64,
}

/// The never-used entries, when most sampled entries have a use counter, most of those are old
/// and unused, and the entries were added over an hour or more until the last hour.
fn unused(a: &Analysis, c: &Candidate, reads: &Reads, now: u64) -> Option<Unused> {
    let (mut counted, mut unused) = (0usize, 0usize);
    let (mut first, mut last) = (u64::MAX, 0u64);
    let mut counter: Option<String> = None;
    for v in &c.values {
        let Some(view) = reads.views.get(v) else {
            continue;
        };
        let Some(f) = view.fields.iter().find(|f| is_counter(&f.name, f.ty)) else {
            continue;
        };
        let Some(added) = entry_times(view, reads, a, now).iter().map(|t| t.1).min() else {
            continue;
        };
        counted += 1;
        counter.get_or_insert_with(|| f.name.clone());
        (first, last) = (first.min(added), last.max(added));
        if f.raw == 0 && now.saturating_sub(added) >= IDLE {
            unused += 1;
        }
    }
    let n = c.values.len() as f64;
    let span = last.saturating_sub(first);
    let ok = counted as f64 >= COUNTED * n
        && unused as f64 >= MOST * counted as f64
        && span >= IDLE
        && now.saturating_sub(last) < IDLE;
    ok.then(|| Unused {
        counter: counter.unwrap_or_default(),
        unused,
        span,
    })
}

/// Whether a field counts uses of its entry: an integer named for hits, uses or reads (not
/// misses).
fn is_counter(name: &str, ty: BasicType) -> bool {
    let ws = words(name);
    matches!(ty, BasicType::Int | BasicType::Long | BasicType::Short)
        && ws.iter().any(|w| COUNTER_WORDS.contains(&w.as_str()))
        && !ws.iter().any(|w| w.starts_with("miss"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_for_uses() {
        for name in [
            "hits",
            "hitCount",
            "uses",
            "accessesTotal",
            "lookups",
            "timesServed",
        ] {
            assert!(is_counter(name, BasicType::Int), "{name}");
        }
        assert!(is_counter("hit_count", BasicType::Long));
        for name in ["missCount", "count", "sumMicros", "hitsAndMisses"] {
            assert!(!is_counter(name, BasicType::Int), "{name}");
        }
        assert!(!is_counter("hits", BasicType::Boolean));
    }
}
