//! Dangling ids: an index (a map of sets or lists of ids: the item ids under each tag, the
//! posting slugs under each skill) kept beside the directory of what those ids name (a map of
//! the same owner keyed by them). An index that follows its directory names only ids the
//! directory holds; one whose removal path forgets it keeps the id of everything ever removed,
//! and grows with every item added while the directory stays its size. Some sampled ids in the
//! directory ties the two; most of them missing from it is the leak. An id that another of
//! those maps holds, or whose object something outside the index references (a member's own
//! record, when the map beside the index holds only those online), names something that lives
//! on, and is not counted; a directory named for a cache is no such tie (a cache holds a few of
//! the items by design). Ids are compared by value, never shown.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::node_class;
use crate::query::strings::strings_never_shown;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::directories::{boxed_values, directories, Directory, Ident, Members};
use super::live_keys::BOXED;

/// Sampled ids needed for a judgement.
const MIN_IDS: usize = 50;
/// Share of the ids the directory must hold: the tie is real.
const LIVE: f64 = 0.05;
/// Share of the ids it must no longer hold, for an index left behind.
const DANGLING: f64 = 0.5;

/// Adds the dangling-ids evidence to a map of collections of ids.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    if c.entry_collections.is_empty() || c.values.len() < MIN_IDS {
        return;
    }
    let Some(owner) = c.holding.as_ref().map(|h| h.owner) else {
        return;
    };
    let ids = ids(a, &c.values);
    if ids.len() < MIN_IDS {
        return;
    }
    let dirs: Vec<Directory> = directories(a, owner, c)
        .into_iter()
        .filter(|d| !d.name.to_ascii_lowercase().contains("cache"))
        .collect();
    let helds: Vec<(&Directory, Vec<bool>)> = dirs
        .iter()
        .map(|d| {
            let mut members = Members::new(d.node);
            (d, ids.iter().map(|i| members.holds(a, &i.0)).collect())
        })
        .collect();
    let Some((dir, held)) = helds
        .iter()
        .max_by_key(|p| p.1.iter().filter(|&&h| h).count())
    else {
        return;
    };
    let n = ids.len();
    let hits = held.iter().filter(|&&h| h).count();
    if (hits as f64) < LIVE * n as f64 || ((n - hits) as f64) < DANGLING * n as f64 {
        return;
    }
    // An id another of the owner's maps holds names something that lives on there.
    let missing: Vec<u32> = (0..n)
        .filter(|&k| helds.iter().all(|(_, h)| !h[k]))
        .map(|k| ids[k].1)
        .collect();
    let alive = referenced_elsewhere(a, c, &missing);
    let missing = missing.iter().filter(|w| !alive.contains(w)).count();
    if (missing as f64) < DANGLING * n as f64 {
        return;
    }
    // The entries are the collections, their elements judged: no left-behind count.
    c.add(evidence(
        EvidenceName::DanglingIds,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {} sampled ids in these collections name nothing {} holds any more, beside {} it does: an index whose removal path forgets it keeps the id of every entry ever removed",
            thousands(missing as u64),
            thousands(n as u64),
            dir.name,
            thousands(hits as u64)
        ),
    ));
}

/// The id objects of `ids` that something outside the index references: ids of things that
/// live on elsewhere. One scan of the references.
fn referenced_elsewhere(a: &Analysis, c: &Candidate, ids: &[u32]) -> FxHashSet<u32> {
    let mut tops = c
        .node
        .map(|q| super::dropped::own_arrays(a, q))
        .unwrap_or_default();
    tops.extend(c.node);
    crate::query::find::referrers(a, ids.iter().copied())
        .into_iter()
        .filter(|&(r, _)| !super::dropped::dominated_by(a, r, &tops))
        .map(|(_, w)| w)
        .collect()
}

/// The sampled elements as ids, each with its object: the text of `String`s or the value of
/// boxed integers, of the class the first is.
fn ids(a: &Analysis, values: &[u32]) -> Vec<(Ident, u32)> {
    let Some(&first) = values.first() else {
        return Vec::new();
    };
    let class = node_class(a, first);
    let same: Vec<u32> = values
        .iter()
        .copied()
        .filter(|&v| a.graph.class_of(v) == a.graph.class_of(first))
        .collect();
    if class == "java.lang.String" {
        let texts = strings_never_shown(a, &same);
        same.iter()
            .filter_map(|&v| Some((Ident::Text(texts.get(&v)?.clone()), v)))
            .collect()
    } else if BOXED.contains(&class.as_str()) {
        let ints = boxed_values(a, &same);
        same.iter()
            .filter_map(|&v| Some((Ident::Int(*ints.get(&v)?), v)))
            .collect()
    } else {
        Vec::new()
    }
}
