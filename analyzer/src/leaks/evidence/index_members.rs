//! The members of expiry indexes, read once for the modules that count or match them: every
//! instance of an index entry class (a deadline and one member, [`super::rearmed::member`])
//! whose sampled entries make a candidate, and the member each names, as a key: the member's
//! text for a String (an id parsed anew from every request is a new String each time, equal
//! by value to the map key it names, never the same object), else the member object itself.
//! Texts are hashed to be compared, never decoded nor shown.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::find::instances_of;
use crate::query::strings::text_hashes;

use super::super::candidate::Candidate;
use super::Reads;

/// Entries an index needs before its members are read (as [`super::rearmed`] judges).
pub(crate) const MIN_TOTAL: u64 = 1_000;
/// The JDK's string class, whose members are compared by text.
const STRING: &str = "java.lang.String";

/// Every entry of one class of index entries, with the key of the member it names.
pub(crate) struct IndexMembers {
    /// The index entry class.
    pub class: u32,
    /// The member field's name.
    pub field: String,
    /// The member class.
    pub member_class: u32,
    /// (member key, entry) of every instance naming a member, sorted by key: a String's
    /// text hash, else the member's node.
    pub keyed: Vec<(u64, u32)>,
}

impl IndexMembers {
    /// Whether members are keyed by their text.
    pub fn by_text(&self, a: &Analysis) -> bool {
        a.heap.classes.get(self.member_class).name == STRING
    }

    /// How many distinct members the entries name.
    pub fn distinct(&self) -> u64 {
        let mut n = 0u64;
        let mut last = None;
        for &(k, _) in &self.keyed {
            if last != Some(k) {
                n += 1;
                last = Some(k);
            }
        }
        n
    }

    /// An entry naming a member of key `key`, if any.
    pub fn entry_of(&self, key: u64) -> Option<u32> {
        let i = self.keyed.partition_point(|&(k, _)| k < key);
        self.keyed
            .get(i)
            .filter(|&&(k, _)| k == key)
            .map(|&(_, e)| e)
    }
}

/// The index entry classes of the candidates whose sampled entries are index entries, each
/// with every instance and its member's key, in one pass over the heap for all of them.
pub(crate) fn find(
    a: &Analysis,
    cands: &[Candidate],
    reads: &Reads,
    now: u64,
) -> Vec<IndexMembers> {
    let mut found: Vec<(u32, String, u32)> = Vec::new();
    for c in cands
        .iter()
        .filter(|c| c.collection.is_some() && c.entries >= MIN_TOTAL)
    {
        let Some(&first) = c.values.first() else {
            continue;
        };
        let class = a.graph.class_of(first);
        if found.iter().any(|f| f.0 == class) {
            continue;
        }
        if let Some((field, member_class)) = super::rearmed::member_field(a, c, reads, now) {
            found.push((class, field, member_class));
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let mut wanted = vec![false; a.heap.classes.len()];
    for f in &found {
        wanted[f.0 as usize] = true;
    }
    let all = instances_of(a, &wanted);
    found
        .into_iter()
        .map(|(class, field, member_class)| {
            let entries = all
                .iter()
                .copied()
                .filter(|&e| a.graph.class_of(e) == class);
            keyed(a, entries, class, field, member_class)
        })
        .collect()
}

/// The members of `entries` (instances of `class`), keyed.
fn keyed(
    a: &Analysis,
    entries: impl Iterator<Item = u32>,
    class: u32,
    field: String,
    member_class: u32,
) -> IndexMembers {
    let pairs: Vec<(u32, u32)> = entries
        .filter_map(|e| {
            let m = a
                .graph
                .refs(e)
                .iter()
                .copied()
                .find(|&w| a.graph.class_of(w) == member_class)?;
            Some((m, e))
        })
        .collect();
    let mut out = IndexMembers {
        class,
        field,
        member_class,
        keyed: Vec::new(),
    };
    let by_text = out.by_text(a);
    let texts: FxHashMap<u32, u64> = match by_text {
        true => {
            let mut members: Vec<u32> = pairs.iter().map(|p| p.0).collect();
            members.sort_unstable();
            members.dedup();
            text_hashes(a, &members)
        }
        false => FxHashMap::default(),
    };
    out.keyed = pairs
        .into_iter()
        .filter_map(|(m, e)| match by_text {
            true => Some((*texts.get(&m)?, e)),
            false => Some((m as u64, e)),
        })
        .collect();
    out.keyed.sort_unstable();
    out
}
