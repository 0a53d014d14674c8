//! Emptied: a map of collections (subscribers per topic, items per cart) most of whose
//! collections are empty keeps each key after its last element was removed. Removing an
//! element from the inner collection does not remove its key from the outer map, so under
//! keys that keep coming (a topic per order) the empty collections pile up. A map that drops
//! a key with its last element holds few empty ones. Only sizes are read.

use crate::base::text::thousands;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Words of the evidence (the advice matches them).
pub(crate) const EMPTIED_WORDS: &str = "pile up as empty collections";
/// Collections needed for a judgement.
const MANY: u64 = 1000;
/// Sampled collections needed for a judgement.
const MIN_SAMPLED: usize = 20;
/// Share of the collections that must be empty.
const EMPTY_SHARE: f64 = 2.0 / 3.0;

/// Adds moderate leak evidence to a collection of [`MANY`] collections or more, two thirds
/// of the sampled ones empty.
pub(crate) fn add(c: &mut Candidate) {
    let n = c.inner_sizes.len();
    let empty = c.inner_sizes.iter().filter(|&&s| s == 0).count();
    if c.entries < MANY || n < MIN_SAMPLED || (empty as f64) < EMPTY_SHARE * n as f64 {
        return;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{empty} of {n} sampled collections of its {} are empty: each key stays after its last element was removed, so keys that keep coming (one per order or request) {EMPTIED_WORDS}",
            thousands(c.entries)
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::super::super::candidate::Candidate;
    use super::super::super::model::{LeakKind, Supports};

    fn judged(entries: u64, sizes: &[u64]) -> bool {
        let mut c = Candidate::new(LeakKind::UnboundedMap, None, "java.util.HashMap".into(), 1);
        c.entries = entries;
        c.inner_sizes = sizes.to_vec();
        super::add(&mut c);
        c.strongest(Supports::Leak).is_some()
    }

    #[test]
    fn maps_of_mostly_empty_collections() {
        let mostly_empty: Vec<u64> = (0..256).map(|i| u64::from(i % 10 == 0)).collect();
        assert!(judged(24_900, &mostly_empty));
        // Too few collections, too few sampled, or most of them in use.
        assert!(!judged(900, &mostly_empty));
        assert!(!judged(24_900, &mostly_empty[..10]));
        let in_use: Vec<u64> = (0..256).map(|i| u64::from(i % 2 == 0) * 3).collect();
        assert!(!judged(24_900, &in_use));
    }
}
