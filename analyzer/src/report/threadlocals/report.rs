//! The ThreadLocal report from the entries read: one value per thread and live key (stale
//! entries per map and value class), groups by key (stale ones by value class), totals.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::query::find::object_id;
use crate::query::holders::Holder;
use crate::query::objects::node_class;
use crate::report::finding::{counted, name_pattern, natural_cmp, sort_names};

use super::model::*;
use super::read::{declaring_fields, read_entries, RawEntry, Threads};

/// Builds the report.
pub fn threadlocal_report(a: &Analysis, opts: &ThreadLocalOptions) -> ThreadLocalReport {
    let threads = Threads::read(a);
    let raw = read_entries(a, &threads);
    let mut keys: Vec<u32> = raw.iter().filter_map(|r| r.key).collect();
    keys.sort_unstable();
    keys.dedup();
    let declared = declaring_fields(a, &keys);
    let (per_thread, groups) = accumulate(a, &raw, threads.nodes.len(), &declared);
    let (thread_rows, totals) = thread_rows(a, &threads, per_thread);
    let group_rows = group_rows(a, &threads, groups, &declared, opts);
    let mut per_object: Vec<PerObjectGroup> = super::per_object::merge(&group_rows)
        .into_iter()
        .map(|(group, thread_locals)| PerObjectGroup {
            thread_locals,
            group,
        })
        .collect();
    per_object.sort_by(|x, y| {
        y.group
            .entries_retained_bytes
            .cmp(&x.group.entries_retained_bytes)
            .then_with(|| holder_key(&x.group).cmp(&holder_key(&y.group)))
    });
    ThreadLocalReport {
        schema: "hprofscan/threadlocals/2",
        dump: a.heap.dump.meta(),
        totals,
        groups: group_rows,
        per_object,
        threads: thread_rows,
        warnings: a.warnings(),
    }
}

/// A group's declaring field as (class, field), for a stable order.
fn holder_key(g: &ThreadLocalGroup) -> Option<(&str, &str)> {
    g.declared_by
        .as_ref()
        .map(|h| (h.class.as_str(), h.field.as_str()))
}

/// The class of a value (`<null>` for none).
fn value_class(a: &Analysis, v: Option<u32>) -> String {
    v.map_or_else(|| "<null>".to_string(), |v| node_class(a, v))
}

/// An object by id and class.
fn key_ref(a: &Analysis, k: u32) -> ObjectRef {
    ObjectRef {
        id: object_id(a, k),
        class: node_class(a, k),
    }
}

/// A group as it is gathered: live entries by key, stale ones by value class.
struct GroupAcc {
    stale: bool,
    key: Option<u32>,
    threads: FxHashSet<usize>,
    entries: u64,
    classes: FxHashMap<String, u64>,
    retained: u64,
    entries_retained: u64,
    shared: u64,
    largest: Option<(u64, u32)>,
    maps: Vec<MapField>,
    values: Vec<u32>,
}

/// A thread's values: by map and key, or for stale entries by map and value class.
type ValueKey = (MapField, Option<u32>, String);

/// What each thread holds: one value per live key, stale entries per (map, value class).
type PerThread = Vec<FxHashMap<ValueKey, ThreadValue>>;

/// Per thread and per group, every entry counted once in each.
fn accumulate(
    a: &Analysis,
    raw: &[RawEntry],
    threads: usize,
    declared: &FxHashMap<u32, Holder>,
) -> (PerThread, FxHashMap<(Option<u32>, String), GroupAcc>) {
    let mut per_thread: PerThread = (0..threads).map(|_| FxHashMap::default()).collect();
    let mut groups: FxHashMap<(Option<u32>, String), GroupAcc> = FxHashMap::default();
    for r in raw {
        let vc = value_class(a, r.value);
        let tv = per_thread[r.thread]
            .entry((
                r.map,
                r.key,
                if r.stale { vc.clone() } else { String::new() },
            ))
            .or_insert_with(|| ThreadValue {
                map: r.map,
                key: r.key.map(|k| key_ref(a, k)),
                declared_by: r.key.and_then(|k| declared.get(&k).cloned()),
                stale: r.stale,
                value_class: vc.clone(),
                entries: 0,
                retained_bytes: 0,
                entries_retained_bytes: 0,
                shared_values: 0,
            });
        tv.entries += 1;
        tv.retained_bytes += r.value_retained;
        tv.entries_retained_bytes += r.entry_retained;
        tv.shared_values += r.shared as u64;

        let gk = if r.stale {
            (None, vc.clone())
        } else {
            (r.key, String::new())
        };
        let g = groups.entry(gk).or_insert_with(|| GroupAcc {
            stale: r.stale,
            key: r.key,
            threads: FxHashSet::default(),
            entries: 0,
            classes: FxHashMap::default(),
            retained: 0,
            entries_retained: 0,
            shared: 0,
            largest: None,
            maps: Vec::new(),
            values: Vec::new(),
        });
        g.threads.insert(r.thread);
        g.entries += 1;
        *g.classes.entry(vc).or_default() += 1;
        g.retained += r.value_retained;
        g.entries_retained += r.entry_retained;
        g.shared += r.shared as u64;
        if !g.maps.contains(&r.map) {
            g.maps.push(r.map);
        }
        if let Some(v) = r.value {
            g.values.push(v);
            let cand = (r.value_retained, v);
            if g.largest
                .is_none_or(|l| (cand.0, std::cmp::Reverse(cand.1)) > (l.0, std::cmp::Reverse(l.1)))
            {
                g.largest = Some(cand);
            }
        }
    }
    (per_thread, groups)
}

/// One row per thread, its values largest first, and the totals.
fn thread_rows(
    a: &Analysis,
    threads: &Threads,
    mut per_thread: PerThread,
) -> (Vec<ThreadLocals>, ThreadLocalTotals) {
    let mut totals = ThreadLocalTotals {
        threads: threads.nodes.len() as u64,
        ..Default::default()
    };
    let mut thread_rows: Vec<ThreadLocals> = threads
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let mut values: Vec<ThreadValue> = per_thread[i].drain().map(|(_, v)| v).collect();
            values.sort_by(|x, y| {
                y.entries_retained_bytes
                    .cmp(&x.entries_retained_bytes)
                    .then(x.stale.cmp(&y.stale))
                    .then(x.value_class.cmp(&y.value_class))
                    .then(
                        x.key
                            .as_ref()
                            .map(|k| &k.id)
                            .cmp(&y.key.as_ref().map(|k| &k.id)),
                    )
            });
            let row = ThreadLocals {
                id: object_id(a, t),
                name: threads.name(a, i),
                class: node_class(a, t),
                entries: values.iter().map(|v| v.entries).sum(),
                stale_entries: values.iter().filter(|v| v.stale).map(|v| v.entries).sum(),
                retained_bytes: values.iter().map(|v| v.retained_bytes).sum(),
                entries_retained_bytes: values.iter().map(|v| v.entries_retained_bytes).sum(),
                values,
            };
            totals.threads_with_entries += (row.entries > 0) as u64;
            totals.entries += row.entries;
            totals.stale_entries += row.stale_entries;
            totals.retained_bytes += row.retained_bytes;
            totals.entries_retained_bytes += row.entries_retained_bytes;
            row
        })
        .collect();
    thread_rows.sort_by(|x, y| {
        y.entries_retained_bytes
            .cmp(&x.entries_retained_bytes)
            .then_with(|| {
                natural_cmp(
                    x.name.as_deref().unwrap_or_default(),
                    y.name.as_deref().unwrap_or_default(),
                )
            })
            .then(x.id.text_cmp(&y.id))
    });
    (thread_rows, totals)
}

/// One row per group, largest first.
fn group_rows(
    a: &Analysis,
    threads: &Threads,
    groups: FxHashMap<(Option<u32>, String), GroupAcc>,
    declared: &FxHashMap<u32, Holder>,
    opts: &ThreadLocalOptions,
) -> Vec<ThreadLocalGroup> {
    let mut group_rows: Vec<ThreadLocalGroup> = groups
        .into_values()
        .map(|g| {
            let mut names: Vec<String> = g
                .threads
                .iter()
                .map(|&i| threads.name(a, i).unwrap_or_else(|| "<unnamed>".into()))
                .collect();
            sort_names(&mut names);
            let pattern = name_pattern(&names);
            names.truncate(opts.max_names);
            let value_classes = counted(g.classes);
            ThreadLocalGroup {
                stale: g.stale,
                key: g.key.map(|k| key_ref(a, k)),
                declared_by: g.key.and_then(|k| declared.get(&k).cloned()),
                threads: g.threads.len() as u64,
                thread_names: names,
                thread_pattern: pattern,
                entries: g.entries,
                value_class: value_classes
                    .first()
                    .map_or_else(|| "<null>".into(), |c| c.class.clone()),
                value_classes,
                retained_bytes: g.retained,
                entries_retained_bytes: g.entries_retained,
                shared_values: g.shared,
                largest_value: g.largest.map(|(_, v)| key_ref(a, v)),
                largest_node: g.largest.map(|(_, v)| v),
                maps: g.maps,
                value_nodes: g.values,
            }
        })
        .collect();
    group_rows.sort_by(|x, y| {
        y.entries_retained_bytes
            .cmp(&x.entries_retained_bytes)
            .then(y.entries.cmp(&x.entries))
            .then(x.value_class.cmp(&y.value_class))
            .then(
                x.key
                    .as_ref()
                    .map(|k| &k.id)
                    .cmp(&y.key.as_ref().map(|k| &k.id)),
            )
    });
    group_rows
}
