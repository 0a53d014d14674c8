//! Duplicate Strings and duplicate primitive arrays: objects whose contents equal another's
//! (compared by a hash of their bytes, then byte for byte; contents are never shown).
//!
//! In each set of equal objects the first (in node order) is kept; every other one is waste:
//! its shallow size, and for a String also its value array unless an earlier copy shares it.
//! Interning (or an enum) would save exactly that.

use serde::Serialize;

use super::attribute::{attribute, Attribution};
use super::scan::{bytes_of, Found, PrimArray};
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::classes::primitive_array_name;
use crate::query::holders::Holder;

/// Duplicate Strings held by one field.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateStrings {
    /// The application field that holds them; null when none does.
    pub holder: Option<Holder>,
    /// Strings whose value another String also has.
    pub strings: u64,
    /// How many distinct values they have.
    pub distinct_values: u64,
    /// Bytes that interning (or an enum) would save.
    pub bytes_saved: u64,
}

/// One duplicated String value (its contents are never shown).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateValue {
    /// Strings with this value.
    pub count: u64,
    /// Its length in chars.
    pub length: u64,
    /// Whether it is stored as UTF-16 (else Latin-1).
    pub utf16: bool,
    /// Bytes that keeping one copy would save.
    pub bytes_saved: u64,
    /// The field that holds most of the copies.
    pub holder: Option<Holder>,
}

/// Duplicate primitive arrays held by one field.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateArrays {
    /// The application field that holds them; null when none does.
    pub holder: Option<Holder>,
    /// The array class (`int[]`).
    pub class: String,
    /// Arrays whose contents another array of the same class also has.
    pub arrays: u64,
    /// How many distinct contents they have.
    pub distinct_values: u64,
    /// Bytes that sharing one copy of each would save.
    pub bytes_saved: u64,
}

/// Sets of equal items: `items` are (hash, bytes, tag, array index into `arrays`) and come
/// back reordered so that each returned range holds one set of equal contents (two or more).
fn equal_sets(
    a: &Analysis,
    arrays: &[PrimArray],
    items: &mut [(u64, u32, u8, u32, u32)],
) -> Vec<(usize, usize)> {
    items.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let key = (items[i].0, items[i].1, items[i].2);
        let mut j = i + 1;
        while j < items.len() && (items[j].0, items[j].1, items[j].2) == key {
            j += 1;
        }
        // Split the run by exact contents (a hash collision is one more set).
        let mut s = i;
        while j - s >= 2 {
            let first = bytes_of(a, &arrays[items[s].3 as usize]);
            let run = &mut items[s..j];
            // Equal ones first, in their order.
            run.sort_by_key(|x| bytes_of(a, &arrays[x.3 as usize]) != first);
            let n = run
                .iter()
                .take_while(|x| bytes_of(a, &arrays[x.3 as usize]) == first)
                .count();
            if n >= 2 {
                out.push((s, s + n));
            }
            s += n;
        }
        i = j;
    }
    out
}

/// Per-holder sums; slot `holders.len()` is "no holder".
struct Groups {
    count: Vec<u64>,
    distinct: Vec<u64>,
    saved: Vec<u64>,
    last_set: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            count: vec![0; n + 1],
            distinct: vec![0; n + 1],
            saved: vec![0; n + 1],
            last_set: vec![usize::MAX; n + 1],
        }
    }
    fn add(&mut self, slot: usize, set: usize, saved: u64) {
        self.count[slot] += 1;
        self.saved[slot] += saved;
        if self.last_set[slot] != set {
            self.last_set[slot] = set;
            self.distinct[slot] += 1;
        }
    }
}

fn slot(at: &Attribution, i: usize) -> usize {
    match at.of[i] {
        NONE => at.holders.len(),
        h => h as usize,
    }
}

fn holder_at(at: &Attribution, slot: usize) -> Option<Holder> {
    at.holders.get(slot).cloned()
}

/// Duplicate Strings by holder (most bytes saved first) and the `top` most duplicated values.
pub(crate) fn duplicate_strings(
    a: &Analysis,
    found: &Found,
    top: usize,
) -> (Vec<DuplicateStrings>, Vec<DuplicateValue>) {
    let array_index = |v: u32| found.arrays.binary_search_by_key(&v, |x| x.node).ok();
    // (hash, bytes, coder, array index, string node)
    let mut items: Vec<(u64, u32, u8, u32, u32)> = found
        .strings
        .iter()
        .filter_map(|s| {
            let ai = array_index(s.value)?;
            let x = &found.arrays[ai];
            Some((x.hash, x.bytes, s.coder, ai as u32, s.node))
        })
        .collect();
    let sets = equal_sets(a, &found.arrays, &mut items);
    // Within a set: by (array, string), so the first user of each array carries it.
    for &(s, e) in &sets {
        items[s..e].sort_unstable_by_key(|x| (found.arrays[x.3 as usize].node, x.4));
    }
    let members: Vec<u32> = sets
        .iter()
        .flat_map(|&(s, e)| items[s..e].iter().map(|x| x.4))
        .collect();
    let at = attribute(a, &members);
    let mut groups = Groups::new(at.holders.len());
    let mut values = Vec::with_capacity(sets.len());
    let mut m = 0usize;
    for (si, &(s, e)) in sets.iter().enumerate() {
        let mut set_saved = 0;
        let mut per_slot: Vec<(usize, u64)> = Vec::new();
        for k in s..e {
            let (_, _, _, ai, node) = items[k];
            let array = found.arrays[ai as usize].node;
            let saved = if k == s {
                0
            } else {
                let new_array = array != found.arrays[items[k - 1].3 as usize].node;
                a.graph.shallow(node) + if new_array { a.graph.shallow(array) } else { 0 }
            };
            let sl = slot(&at, m);
            groups.add(sl, si, saved);
            match per_slot.iter_mut().find(|p| p.0 == sl) {
                Some(p) => p.1 += 1,
                None => per_slot.push((sl, 1)),
            }
            set_saved += saved;
            m += 1;
        }
        let (_, bytes, coder, _, _) = items[s];
        let main = per_slot.iter().max_by_key(|p| (p.1, usize::MAX - p.0));
        values.push(DuplicateValue {
            count: (e - s) as u64,
            length: if coder == 0 { bytes } else { bytes / 2 } as u64,
            utf16: coder != 0,
            bytes_saved: set_saved,
            holder: main.and_then(|p| holder_at(&at, p.0)),
        });
    }
    values.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then(y.bytes_saved.cmp(&x.bytes_saved))
            .then(y.length.cmp(&x.length))
    });
    values.truncate(top);
    let out = string_rows(&at, &groups);
    (out, values)
}

/// One row per holder of duplicate Strings, most bytes saved first.
fn string_rows(at: &Attribution, groups: &Groups) -> Vec<DuplicateStrings> {
    let mut out: Vec<DuplicateStrings> = (0..=at.holders.len())
        .filter(|&i| groups.count[i] > 0)
        .map(|i| DuplicateStrings {
            holder: holder_at(at, i),
            strings: groups.count[i],
            distinct_values: groups.distinct[i],
            bytes_saved: groups.saved[i],
        })
        .collect();
    out.sort_by(|x, y| {
        y.bytes_saved
            .cmp(&x.bytes_saved)
            .then(y.strings.cmp(&x.strings))
    });
    out
}

/// Duplicate primitive arrays (String values left out) by holder and class, most saved first.
pub(crate) fn duplicate_arrays(a: &Analysis, found: &Found) -> Vec<DuplicateArrays> {
    let mut string_values: Vec<u32> = found.strings.iter().map(|s| s.value).collect();
    string_values.sort_unstable();
    let mut items: Vec<(u64, u32, u8, u32, u32)> = found
        .arrays
        .iter()
        .enumerate()
        .filter(|(_, x)| string_values.binary_search(&x.node).is_err())
        .map(|(i, x)| (x.hash, x.bytes, x.elem as u8, i as u32, x.node))
        .collect();
    let sets = equal_sets(a, &found.arrays, &mut items);
    for &(s, e) in &sets {
        items[s..e].sort_unstable_by_key(|x| x.4);
    }
    let members: Vec<u32> = sets
        .iter()
        .flat_map(|&(s, e)| items[s..e].iter().map(|x| x.4))
        .collect();
    let at = attribute(a, &members);
    // Keyed by (holder slot, element type).
    let mut keys: Vec<(usize, u8)> = Vec::new();
    let mut key_index: rustc_hash::FxHashMap<(usize, u8), usize> = Default::default();
    let mut sums: Vec<(u64, u64, u64, usize, String)> = Vec::new();
    let mut m = 0usize;
    for (si, &(s, e)) in sets.iter().enumerate() {
        for (k, item) in items.iter().enumerate().take(e).skip(s) {
            let node = item.4;
            let elem = found.arrays[item.3 as usize].elem;
            let key = (slot(&at, m), elem as u8);
            let gi = *key_index.entry(key).or_insert_with(|| {
                keys.push(key);
                sums.push((0, 0, 0, usize::MAX, primitive_array_name(elem)));
                keys.len() - 1
            });
            let g = &mut sums[gi];
            g.0 += 1;
            if g.3 != si {
                g.3 = si;
                g.1 += 1;
            }
            if k != s {
                g.2 += a.graph.shallow(node);
            }
            m += 1;
        }
    }
    let mut out: Vec<DuplicateArrays> = keys
        .iter()
        .zip(sums)
        .map(|(&(sl, _), (n, d, saved, _, class))| DuplicateArrays {
            holder: holder_at(&at, sl),
            class,
            arrays: n,
            distinct_values: d,
            bytes_saved: saved,
        })
        .collect();
    out.sort_by(|x, y| {
        y.bytes_saved
            .cmp(&x.bytes_saved)
            .then(y.arrays.cmp(&x.arrays))
    });
    out
}
