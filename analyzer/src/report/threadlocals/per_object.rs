//! ThreadLocals per object: an instance field declaring a `ThreadLocal` (`new ThreadLocal<>()`
//! in a per-request helper) makes one ThreadLocal per object, and each one set on a pooled
//! thread and never removed leaves an entry there for as long as the thread lives. Each key is
//! a group of its own, a few hundred bytes; together they can hold most of the heap. The live
//! groups of one instance field, at least [`PER_OBJECT_KEYS`] of them, are merged into one.

use std::collections::BTreeMap;

use crate::report::finding::{name_pattern, ClassCount};

use super::model::ThreadLocalGroup;

/// Live groups of one instance field from which they are one ThreadLocal per object.
pub(crate) const PER_OBJECT_KEYS: usize = 100;

/// The groups of `groups` merged per instance field with at least [`PER_OBJECT_KEYS`] live
/// groups, each with the number of groups merged.
pub(crate) fn merge(groups: &[ThreadLocalGroup]) -> Vec<(ThreadLocalGroup, u64)> {
    let mut by_field: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(h) = g.declared_by.as_ref().filter(|h| !g.stale && !h.is_static) {
            by_field
                .entry((h.class.clone(), h.field.clone()))
                .or_default()
                .push(i);
        }
    }
    by_field
        .into_values()
        .filter(|ix| ix.len() >= PER_OBJECT_KEYS)
        .map(|ix| {
            let parts: Vec<&ThreadLocalGroup> = ix.iter().map(|&i| &groups[i]).collect();
            (one(&parts), parts.len() as u64)
        })
        .collect()
}

/// One group of all `parts` (live groups of one field).
fn one(parts: &[&ThreadLocalGroup]) -> ThreadLocalGroup {
    let mut names: Vec<String> = parts.iter().flat_map(|g| g.thread_names.clone()).collect();
    crate::report::finding::sort_names(&mut names);
    names.dedup();
    let mut classes: BTreeMap<String, u64> = BTreeMap::new();
    for c in parts.iter().flat_map(|g| &g.value_classes) {
        *classes.entry(c.class.clone()).or_default() += c.count;
    }
    let mut value_classes: Vec<ClassCount> = classes
        .into_iter()
        .map(|(class, count)| ClassCount { class, count })
        .collect();
    value_classes.sort_by(|x, y| y.count.cmp(&x.count).then(x.class.cmp(&y.class)));
    let largest = parts
        .iter()
        .filter(|g| g.largest_node.is_some())
        .max_by_key(|g| (g.retained_bytes, std::cmp::Reverse(g.largest_node)));
    let mut maps = Vec::new();
    for m in parts.iter().flat_map(|g| &g.maps) {
        if !maps.contains(m) {
            maps.push(*m);
        }
    }
    ThreadLocalGroup {
        stale: false,
        key: None,
        declared_by: parts[0].declared_by.clone(),
        threads: parts
            .iter()
            .map(|g| g.threads)
            .max()
            .unwrap_or(0)
            .max(names.len() as u64),
        thread_pattern: name_pattern(&names),
        thread_names: names,
        entries: parts.iter().map(|g| g.entries).sum(),
        value_class: value_classes
            .first()
            .map_or_else(|| "<null>".into(), |c| c.class.clone()),
        value_classes,
        retained_bytes: parts.iter().map(|g| g.retained_bytes).sum(),
        entries_retained_bytes: parts.iter().map(|g| g.entries_retained_bytes).sum(),
        shared_values: parts.iter().map(|g| g.shared_values).sum(),
        largest_value: largest.and_then(|g| g.largest_value.clone()),
        largest_node: largest.and_then(|g| g.largest_node),
        maps,
        value_nodes: parts.iter().flat_map(|g| g.value_nodes.clone()).collect(),
    }
}
