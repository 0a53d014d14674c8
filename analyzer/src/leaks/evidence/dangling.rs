//! Dangling ids: an index (a map of sets or lists of ids: the item ids under each tag, the
//! posting slugs under each skill) kept beside the directory of what those ids name (a map of
//! the same owner keyed by them). An index that follows its directory names only ids the
//! directory holds; one whose removal path forgets it keeps the id of everything ever
//! removed, and grows with every item added while the directory stays its size. Some sampled
//! ids in the directory ties the two; most of them missing from it is the leak. A directory
//! named for a cache is no such tie (a cache holds a few of the items by design). Ids are
//! compared by value, never shown.

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
    let Some((dir, hits)) = dirs
        .iter()
        .map(|d| {
            let mut members = Members::new(d.node);
            (d, ids.iter().filter(|i| members.holds(a, i)).count())
        })
        .max_by_key(|p| p.1)
    else {
        return;
    };
    let n = ids.len();
    let missing = n - hits;
    if (hits as f64) < LIVE * n as f64 || (missing as f64) < DANGLING * n as f64 {
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

/// The sampled elements as ids: the text of `String`s or the value of boxed integers, of the
/// class most of them are.
fn ids(a: &Analysis, values: &[u32]) -> Vec<Ident> {
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
            .filter_map(|v| texts.get(v).cloned().map(Ident::Text))
            .collect()
    } else if BOXED.contains(&class.as_str()) {
        let ints = boxed_values(a, &same);
        same.iter()
            .filter_map(|v| ints.get(v).copied().map(Ident::Int))
            .collect()
    } else {
        Vec::new()
    }
}
