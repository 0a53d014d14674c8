//! Superseded versions: entries that carry the id of what they belong to and its version
//! (`Posting { docId, version }`, `Snapshot { aggregateId, version }`), of which many share an
//! id with another entry of a newer version. Code that adds an entry for each new version and
//! never removes the entries of the version it replaced (an inverted index re-indexing an
//! updated document, a snapshot list appended to where the last should be replaced) keeps every
//! version ever saved: the structure grows with the updates, not with the things it is about.
//! A store kept on purpose (a revision history) looks the same, so the evidence is moderate.
//! Ids and versions are read only to compare them, never shown.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::words;
use super::Reads;

/// Entries from which a structure's versions are judged.
const MIN_ENTRIES: u64 = 1_000;
/// Ids sampled more than once, needed for a judgement.
const MIN_REPEATED: usize = 10;
/// Share of those sampled in more than one version.
const MOST: f64 = 0.5;
/// Words a version field's name ends with.
const VERSION_WORDS: [&str; 3] = ["version", "revision", "generation"];

/// The names of an entry's id field (an integer named `id` or `...Id`) and version field.
fn id_and_version(view: &ObjectView) -> Option<(String, String)> {
    let ints = || {
        view.fields
            .iter()
            .filter(|f| matches!(f.ty, BasicType::Int | BasicType::Long))
    };
    let last_word = |name: &str| words(name).last().cloned().unwrap_or_default();
    let id = ints().find(|f| last_word(&f.name) == "id")?;
    let version = ints().find(|f| VERSION_WORDS.contains(&last_word(&f.name).as_str()))?;
    Some((id.name.clone(), version.name.clone()))
}

/// Of `(id, version)` pairs: how many ids appear more than once, and how many of those in
/// more than one version.
fn ids_and_mixed(pairs: &[(i64, i64)]) -> (usize, usize) {
    let mut by_id: FxHashMap<i64, (i64, i64, usize)> = FxHashMap::default();
    for &(id, version) in pairs {
        let e = by_id.entry(id).or_insert((version, version, 0));
        e.0 = e.0.min(version);
        e.1 = e.1.max(version);
        e.2 += 1;
    }
    let repeated = by_id.values().filter(|e| e.2 > 1);
    let mixed = repeated.clone().filter(|e| e.0 < e.1).count();
    (repeated.count(), mixed)
}

/// Adds the evidence of entries that keep superseded versions.
pub(crate) fn add(c: &mut Candidate, reads: &Reads) {
    if c.collection.is_none() || c.entries < MIN_ENTRIES {
        return;
    }
    let views: Vec<&ObjectView> = c.values.iter().filter_map(|v| reads.views.get(v)).collect();
    let Some((id, version)) = views.first().and_then(|v| id_and_version(v)) else {
        return;
    };
    let pairs: Vec<(i64, i64)> = views
        .iter()
        .filter_map(|v| Some((v.integer(&id)?, v.integer(&version)?)))
        .collect();
    let (repeated, mixed) = ids_and_mixed(&pairs);
    if repeated < MIN_REPEATED || (mixed as f64) < MOST * repeated as f64 {
        return;
    }
    c.add(evidence(
        EvidenceName::HistoryChains,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{mixed} of {repeated} {id} values found in more than one sampled entry are there in several {version}s: the entries of replaced versions stay beside the newest, so it grows with every update"
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::ids_and_mixed;

    #[test]
    fn ids_in_several_versions_are_counted() {
        // Document 7 in versions 1, 2 and 3; document 8 twice in version 4; 9 once.
        let pairs = [(7, 1), (7, 2), (9, 4), (7, 3), (8, 4), (8, 4)];
        assert_eq!(ids_and_mixed(&pairs), (2, 1));
        // One version per id: nothing superseded.
        assert_eq!(ids_and_mixed(&[(1, 5), (1, 5), (2, 5)]), (1, 0));
    }
}
