//! Entries waiting above a watermark: a map keyed by sequence numbers (offsets, sequence ids)
//! whose owner keeps a watermark, the number up to which everything is done (`committed`,
//! `watermark`, `lowWaterMark`, `checkpoint`). Entries above it wait for it to pass them and
//! then go: pending work, not a directory of natural ids, however the numbers look. Key and
//! field values are only compared, never shown.

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::candidate::Candidate;
use super::Reads;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::query::find::views;
use crate::query::objects::ObjectView;
use hprof_parser::BasicType;

/// Words of an owner's field holding a watermark.
const WORDS: &[&str] = &[
    "watermark",
    "committed",
    "lowwater",
    "checkpoint",
    "contiguous",
];
/// Sampled keys with a known watermark needed.
const MIN_KEYS: usize = 20;
/// Least share of those keys above their watermark.
const ABOVE: f64 = 0.9;

/// What the keys show: most lie above their owners' watermark.
pub(crate) struct Pinned {
    /// The owner's watermark field.
    pub(crate) field: String,
    /// Sampled keys above it.
    pub(crate) above: usize,
    /// Sampled keys compared.
    pub(crate) judged: usize,
}

/// Whether most of `c`'s sampled keys lie above the watermark of the object holding their map.
pub(crate) fn check(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Pinned> {
    if c.keys.len() < MIN_KEYS {
        return None;
    }
    let members: Vec<u32> = if c.members.is_empty() {
        c.node.into_iter().collect()
    } else {
        c.members.clone()
    };
    let marks = watermarks(a, &members);
    let field = marks.values().next()?.0.clone();
    let set: FxHashSet<u32> = marks.keys().copied().collect();
    let (mut above, mut judged) = (0, 0);
    for &k in &c.keys {
        let mark = super::added_order::in_member(a, k, &set).and_then(|m| marks.get(&m));
        let (Some(n), Some((_, mark))) = (boxed_value(a, reads, k), mark) else {
            continue;
        };
        judged += 1;
        above += usize::from(n > *mark);
    }
    (judged >= MIN_KEYS && above as f64 >= ABOVE * judged as f64).then_some(Pinned {
        field,
        above,
        judged,
    })
}

/// For each collection whose owner (its immediate dominator) has a watermark field: that
/// field's name and value.
fn watermarks(a: &Analysis, members: &[u32]) -> FxHashMap<u32, (String, i64)> {
    let owner_of: Vec<(u32, u32)> = members
        .iter()
        .filter_map(|&m| {
            let o = *a.dom.idom.get(m as usize)?;
            (o != SUPER_ROOT && a.dom.is_reachable(o)).then_some((m, o))
        })
        .collect();
    let mut owners: Vec<u32> = owner_of.iter().map(|p| p.1).collect();
    owners.sort_unstable();
    owners.dedup();
    let vs = views(a, &owners);
    owner_of
        .into_iter()
        .filter_map(|(m, o)| Some((m, watermark(vs.get(&o)?)?)))
        .collect()
}

/// The first `long` or `int` field of `owner` named for a watermark, and its value.
fn watermark(owner: &ObjectView) -> Option<(String, i64)> {
    owner.fields.iter().find_map(|f| {
        let name = f.name.to_ascii_lowercase().replace('_', "");
        let value = match f.ty {
            BasicType::Long => f.raw as i64,
            BasicType::Int => i64::from(f.raw as i32),
            _ => return None,
        };
        WORDS
            .iter()
            .any(|w| name.contains(w))
            .then(|| (f.name.clone(), value))
    })
}

/// The value of boxed `Long` or `Integer` key `k`.
fn boxed_value(a: &Analysis, reads: &Reads, k: u32) -> Option<i64> {
    let n = super::keys::boxed_number(a, reads, k)?;
    let long = a.heap.classes.by_name("java.lang.Long") == Some(a.graph.class_of(k));
    Some(if long {
        (n ^ (1 << 63)) as i64
    } else {
        i64::from((n as u32 ^ (1 << 31)) as i32)
    })
}
