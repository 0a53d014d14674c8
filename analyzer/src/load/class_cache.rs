//! Small direct-mapped caches keyed by class id, one per heap walker: a heap's objects belong
//! mostly to a few classes, and a hash-map lookup per object (the class index in the
//! reference pass, the per-class count in the census) was about a quarter of those walks'
//! time. A slot holds one class id; a different id in the same slot replaces it.

use rustc_hash::FxHashMap;

/// Slots per cache (a power of two).
const SLOTS: usize = 128;

/// The id no slot holds yet (an id that never hits: a lookup of it goes to the map).
const EMPTY: u64 = u64::MAX;

#[inline]
fn slot(id: u64) -> usize {
    (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// A lookup of class ids (`ClassTable::index_of`) through a cache of the last answer per
/// slot.
pub struct ClassCache {
    slots: Box<[(u64, Option<u32>); SLOTS]>,
}

impl Default for ClassCache {
    fn default() -> Self {
        ClassCache {
            slots: Box::new([(EMPTY, None); SLOTS]),
        }
    }
}

impl ClassCache {
    /// `lookup(id)`, from the cache when this slot holds `id`.
    #[inline]
    pub fn get(&mut self, id: u64, lookup: impl FnOnce(u64) -> Option<u32>) -> Option<u32> {
        let s = &mut self.slots[slot(id)];
        if s.0 == id && id != EMPTY {
            return s.1;
        }
        let found = lookup(id);
        *s = (id, found);
        found
    }
}

/// Counts per class id, kept in the slots and added to a map when a slot changes hands or
/// at [`CountCache::flush`].
pub struct CountCache {
    slots: Box<[(u64, u64); SLOTS]>,
}

impl Default for CountCache {
    fn default() -> Self {
        CountCache {
            slots: Box::new([(EMPTY, 0); SLOTS]),
        }
    }
}

impl CountCache {
    /// Counts one object of class `id`; `map` receives the count a replaced slot held.
    #[inline]
    pub fn add(&mut self, id: u64, map: &mut FxHashMap<u64, u64>) {
        let s = &mut self.slots[slot(id)];
        if s.0 == id {
            s.1 += 1;
            return;
        }
        if s.1 > 0 {
            *map.entry(s.0).or_default() += s.1;
        }
        *s = (id, 1);
    }

    /// Adds every count held to `map` and empties the slots.
    pub fn flush(&mut self, map: &mut FxHashMap<u64, u64>) {
        for s in self.slots.iter_mut() {
            if s.1 > 0 {
                *map.entry(s.0).or_default() += s.1;
            }
            *s = (EMPTY, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_a_plain_map_whatever_the_collisions() {
        let ids: Vec<u64> = (0..20_000u64)
            .map(|i| {
                let x = (i * 7919 % 1000) * 8;
                // Every 13th near the top of the id space (no overflow: x < 8,000).
                if i % 13 == 0 {
                    u64::MAX - 16_000 + x
                } else {
                    x
                }
            })
            .chain([u64::MAX, u64::MAX, 0])
            .collect();
        let mut want: FxHashMap<u64, u64> = FxHashMap::default();
        for &id in &ids {
            *want.entry(id).or_default() += 1;
        }
        let mut got: FxHashMap<u64, u64> = FxHashMap::default();
        let mut c = CountCache::default();
        for &id in &ids {
            c.add(id, &mut got);
        }
        c.flush(&mut got);
        assert_eq!(got, want);
        // Flushed: nothing is added twice.
        c.flush(&mut got);
        assert_eq!(got, want);
    }

    #[test]
    fn lookups_answer_as_the_lookup_does() {
        let lookup = |id: u64| (!id.is_multiple_of(3)).then_some((id / 8) as u32);
        let mut c = ClassCache::default();
        for i in 0..20_000u64 {
            let id = if i.is_multiple_of(17) {
                u64::MAX
            } else {
                i * 7919 % 1000 * 8
            };
            assert_eq!(c.get(id, lookup), lookup(id), "id {id}");
        }
    }
}
