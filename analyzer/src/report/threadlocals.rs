//! `hprofscan threadlocals`: values left in the ThreadLocal maps of live threads.
//!
//! Thread pools reuse threads, so a value set in a `ThreadLocal` and never removed lives as long
//! as the pool. The method:
//!
//! 1. **Threads** are the strongly reachable instances of `java.lang.Thread` and its
//!    subclasses (one scan of the class array). Each one's `threadLocals` and
//!    `inheritableThreadLocals` maps are read (`ThreadLocal$ThreadLocalMap`: `table`, an array
//!    of `ThreadLocalMap$Entry`), and every entry's `referent` (the `ThreadLocal` key, a weak
//!    reference) and `value` are read back from the dump, all threads' entries in one pass. The
//!    thread's name is its `name` String.
//! 2. **Retained.** A value's retained size is `retained[value]` when its immediate dominator is
//!    the entry, the table or the map of that thread (the map alone keeps it alive); otherwise
//!    the value is *shared* (also reachable from elsewhere, or from another entry already
//!    counted) and counts 0. An entry's retained size (`entries_retained_bytes`) is what removing
//!    the entry would free: the `Entry` object plus what it alone keeps, i.e. its value.
//! 3. **Stale entries.** An entry whose `referent` is null (the `ThreadLocal` key was collected
//!    and the reference cleared), or whose key is no longer strongly reachable (it will be
//!    cleared at the next GC), is stale: its value stays reachable from the thread, and no code
//!    can get or remove it any more. Stale entries are counted per thread and per value class,
//!    and form their own groups, one per value class.
//! 4. **Groups.** Live entries are grouped by their key. The key's *declaring field* is the
//!    field that references the `ThreadLocal` object directly: a static field
//!    (`Renderer.BUFFERS (static)`) first, else an instance field (`ParseTask.scratch`: the class
//!    whose instances hold it), application classes before JDK ones; when the key is only in
//!    an array or collection, the application field found by [`crate::query::holders::find_holders`].
//!    Each group lists its threads (names, and a pool pattern such as `ingest-worker-1..8`),
//!    the value classes and the bytes the values retain.
//! 5. **Leaks** ([`leak_findings`]): a group of live entries whose entries retain at least the
//!    threshold and whose values average at least [`SMALL_VALUE`] per thread (one small value
//!    per thread, such as a counter array or a `StringBuilder`, is what ThreadLocals are for);
//!    and a stale group retaining at least a tenth of the threshold (stale entries are never
//!    intended, like the leak-shaped collections of `leaks`). The finding's size is the
//!    entries' retained bytes, entries and values, as for stale entries no other figure makes
//!    sense (`Renderer.BUFFERS` in threadlocal-leak: 8 x 1,048,624, where the group's
//!    `retained_bytes`, the values alone, is 8 x 1,048,592).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::load::dump::DumpMeta;
use crate::query::find::{hex_id, instances_of, ref_node, referrers, subclass_table, views};
use crate::query::holders::{find_holders, is_application, Holder};
use crate::query::objects::{edge_label, locate, node_class};
use crate::query::strings::strings;
use crate::report::finding::{
    counted, fmt_bytes, name_pattern, natural_cmp, sort_names, thousands, ClassCount, LeakFinding,
};

/// Values averaging less than this per thread are "one small value per thread": a cache, not a
/// leak.
pub const SMALL_VALUE: u64 = 64 * 1024;

/// Options of the ThreadLocal report.
#[derive(Clone, Debug)]
pub struct ThreadLocalOptions {
    /// Thread names listed per group (the count is always complete).
    pub max_names: usize,
}

impl Default for ThreadLocalOptions {
    fn default() -> Self {
        ThreadLocalOptions { max_names: 64 }
    }
}

/// Which of a thread's two maps an entry is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum MapField {
    /// `Thread.threadLocals`.
    #[serde(rename = "threadLocals")]
    ThreadLocals,
    /// `Thread.inheritableThreadLocals`.
    #[serde(rename = "inheritableThreadLocals")]
    InheritableThreadLocals,
}

impl MapField {
    /// The field's name.
    pub fn field(self) -> &'static str {
        match self {
            MapField::ThreadLocals => "threadLocals",
            MapField::InheritableThreadLocals => "inheritableThreadLocals",
        }
    }
}

/// An object by id and class.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ObjectRef {
    /// Object id, hex.
    pub id: String,
    /// Its class.
    pub class: String,
}

/// The values one thread holds for one ThreadLocal (or, for stale entries, of one value class).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadValue {
    /// The map the entries are in.
    pub map: MapField,
    /// The ThreadLocal key; None for stale entries.
    pub key: Option<ObjectRef>,
    /// The field that declares the key.
    pub declared_by: Option<Holder>,
    /// Whether the entries are stale (their key was collected).
    pub stale: bool,
    /// The values' class (`<null>` for a null value).
    pub value_class: String,
    /// Number of entries (1 for a live key; stale entries are counted per value class).
    pub entries: u64,
    /// Bytes the values retain (shared values count 0).
    pub retained_bytes: u64,
    /// Bytes removing the entries would free: the entries and what they alone keep.
    pub entries_retained_bytes: u64,
    /// Values also reachable from outside this thread's map (their retained size is not
    /// counted).
    pub shared_values: u64,
}

/// One thread and what its ThreadLocal maps hold.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadLocals {
    /// The Thread object's id.
    pub id: String,
    /// The thread's name, if readable.
    pub name: Option<String>,
    /// The Thread object's class.
    pub class: String,
    /// Entries in both maps.
    pub entries: u64,
    /// Of those, stale entries.
    pub stale_entries: u64,
    /// Bytes the values retain.
    pub retained_bytes: u64,
    /// Bytes the entries retain (entries and values).
    pub entries_retained_bytes: u64,
    /// The values, largest first.
    pub values: Vec<ThreadValue>,
}

/// All values held for one ThreadLocal across threads, or all stale entries of one value
/// class.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadLocalGroup {
    /// Whether this is a group of stale entries (keyed by value class, no key).
    pub stale: bool,
    /// The ThreadLocal object; None for stale groups.
    pub key: Option<ObjectRef>,
    /// The field that declares the ThreadLocal (`Renderer.BUFFERS`, static); None when
    /// unknown (always for stale groups).
    pub declared_by: Option<Holder>,
    /// Number of threads holding a value.
    pub threads: u64,
    /// Their names, in natural order (at most `max_names`).
    pub thread_names: Vec<String>,
    /// The names as a pattern: `ingest-worker-1..8`.
    pub thread_pattern: String,
    /// Number of entries.
    pub entries: u64,
    /// The most frequent value class.
    pub value_class: String,
    /// All value classes, most frequent first.
    pub value_classes: Vec<ClassCount>,
    /// Bytes the values retain.
    pub retained_bytes: u64,
    /// Bytes the entries retain (entries and values): what removing them frees.
    pub entries_retained_bytes: u64,
    /// Values also reachable from elsewhere (retained not counted).
    pub shared_values: u64,
    /// The value that retains the most.
    pub largest_value: Option<ObjectRef>,
    /// The node of `largest_value`.
    #[serde(skip)]
    pub(crate) largest_node: Option<u32>,
    /// Maps the entries are in.
    #[serde(skip)]
    pub(crate) maps: Vec<MapField>,
}

/// Totals over all threads.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ThreadLocalTotals {
    /// Strongly reachable Thread objects.
    pub threads: u64,
    /// Threads with at least one entry.
    pub threads_with_entries: u64,
    /// Entries in all maps.
    pub entries: u64,
    /// Stale entries.
    pub stale_entries: u64,
    /// Bytes all values retain.
    pub retained_bytes: u64,
    /// Bytes all entries retain.
    pub entries_retained_bytes: u64,
}

/// `hprofscan/threadlocals/1`.
#[derive(Clone, Debug, Serialize)]
pub struct ThreadLocalReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: ThreadLocalTotals,
    /// Groups, largest `entries_retained_bytes` first.
    pub groups: Vec<ThreadLocalGroup>,
    /// Every thread, those whose entries retain the most first.
    pub threads: Vec<ThreadLocals>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// A thread's values: by map and key, or for stale entries by map and value class.
type ValueKey = (MapField, Option<u32>, String);

/// One entry as read from the dump.
struct RawEntry {
    thread: usize,
    map: MapField,
    key: Option<u32>,
    stale: bool,
    value: Option<u32>,
    value_retained: u64,
    entry_retained: u64,
    shared: bool,
}

/// Whether `v`'s immediate dominator is one of `inside`.
fn dominated_inside(a: &Analysis, v: u32, inside: &[u32]) -> bool {
    let d = a.dom.idom[v as usize];
    d != NONE && d != SUPER_ROOT && inside.contains(&d)
}

/// The fields that declare the keys: direct referrers first, then application holders.
fn declaring_fields(a: &Analysis, keys: &[u32]) -> FxHashMap<u32, Holder> {
    let pairs = referrers(a, keys.iter().copied());
    let mut label_nodes: Vec<u32> = pairs.iter().map(|p| p.0).collect();
    label_nodes.sort_unstable();
    label_nodes.dedup();
    let offsets = locate(a, &label_nodes);
    // (rank, holder): 0 application static, 1 application instance, 2 JDK static, 3 JDK instance.
    let mut best: FxHashMap<u32, (u8, Holder)> = FxHashMap::default();
    for &(v, key) in &pairs {
        let Some(label) = edge_label(a, v, key, &offsets) else {
            continue;
        };
        let Some(field) = label.strip_prefix('.') else {
            continue; // an array slot or a class link: not a field
        };
        let is_static = a.graph.class_object(v).is_some();
        let field = field.trim_end_matches(" (static)").to_string();
        let rank = match (is_application(a, v), is_static) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        let class = node_class(a, v);
        let h = Holder {
            class,
            field,
            is_static,
        };
        let e = best.entry(key).or_insert((rank, h.clone()));
        if rank < e.0 {
            *e = (rank, h);
        }
    }
    let rest: Vec<u32> = keys
        .iter()
        .copied()
        .filter(|k| !best.contains_key(k))
        .collect();
    let mut out: FxHashMap<u32, Holder> = best.into_iter().map(|(k, (_, h))| (k, h)).collect();
    if !rest.is_empty() {
        for (k, h) in rest.iter().zip(find_holders(a, &rest, 8)) {
            if let Some(h) = h {
                out.insert(*k, h.holder);
            }
        }
    }
    out
}

/// Builds the report.
pub fn threadlocal_report(a: &Analysis, opts: &ThreadLocalOptions) -> ThreadLocalReport {
    let table = subclass_table(a, &["java.lang.Thread"]);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    // Garbage Thread objects (terminated, unreferenced) are left out.
    let mut threads = instances_of(a, &wanted);
    threads.retain(|&t| a.dom.is_reachable(t));
    let thread_views = views(a, &threads);

    // The maps and the names.
    let mut maps: Vec<(usize, MapField, u32)> = Vec::new();
    let mut name_nodes: Vec<u32> = Vec::new();
    for (i, t) in threads.iter().enumerate() {
        let Some(view) = thread_views.get(t) else {
            continue;
        };
        for m in [MapField::ThreadLocals, MapField::InheritableThreadLocals] {
            if let Some(n) = ref_node(a, view, m.field()) {
                maps.push((i, m, n));
            }
        }
        if let Some(n) = ref_node(a, view, "name") {
            name_nodes.push(n);
        }
    }
    let names = strings(a, &name_nodes);
    let thread_name = |i: usize| -> Option<String> {
        let view = thread_views.get(&threads[i])?;
        names.get(&ref_node(a, view, "name")?).cloned()
    };
    let map_views = views(a, &maps.iter().map(|m| m.2).collect::<Vec<_>>());

    // The entries of every map, read in one pass.
    struct MapInfo {
        thread: usize,
        map: MapField,
        node: u32,
        table: Option<u32>,
    }
    let infos: Vec<MapInfo> = maps
        .iter()
        .map(|&(thread, map, node)| MapInfo {
            thread,
            map,
            node,
            table: map_views.get(&node).and_then(|v| ref_node(a, v, "table")),
        })
        .collect();
    let entry_nodes: Vec<u32> = infos
        .iter()
        .filter_map(|m| m.table)
        .flat_map(|t| a.graph.refs(t).iter().copied())
        .collect();
    let entry_views = views(a, &entry_nodes);
    let mut raw: Vec<RawEntry> = Vec::new();
    for m in &infos {
        let Some(t) = m.table else {
            continue;
        };
        let mut seen_values: FxHashSet<u32> = FxHashSet::default();
        for &e in a.graph.refs(t) {
            let Some(ev) = entry_views.get(&e) else {
                continue;
            };
            let referent = ev.field("referent").map_or(0, |f| f.raw);
            let key = (referent != 0).then(|| a.graph.ids.get(referent)).flatten();
            let stale = referent == 0 || key.is_none_or(|k| !a.dom.is_reachable(k));
            let value = ref_node(a, ev, "value");
            let inside = [e, t, m.node];
            let (value_retained, shared) = match value {
                Some(v) if dominated_inside(a, v, &inside) && seen_values.insert(v) => {
                    (a.dom.retained[v as usize], false)
                }
                Some(_) => (0, true),
                None => (0, false),
            };
            let entry_retained = if dominated_inside(a, e, &[t, m.node]) {
                a.dom.retained[e as usize]
            } else {
                0
            };
            raw.push(RawEntry {
                thread: m.thread,
                map: m.map,
                key: if stale { None } else { key },
                stale,
                value,
                value_retained,
                entry_retained,
                shared,
            });
        }
    }

    let mut keys: Vec<u32> = raw.iter().filter_map(|r| r.key).collect();
    keys.sort_unstable();
    keys.dedup();
    let declared = declaring_fields(a, &keys);
    let value_class = |v: Option<u32>| v.map_or_else(|| "<null>".to_string(), |v| node_class(a, v));
    let key_ref = |k: u32| ObjectRef {
        id: hex_id(a, k),
        class: node_class(a, k),
    };

    // Per thread: one value per live key, stale entries per (map, value class).
    let mut per_thread: Vec<FxHashMap<ValueKey, ThreadValue>> =
        (0..threads.len()).map(|_| FxHashMap::default()).collect();
    // Per group: live by key, stale by value class.
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
    }
    let mut groups: FxHashMap<(Option<u32>, String), GroupAcc> = FxHashMap::default();
    for r in &raw {
        let vc = value_class(r.value);
        let tv = per_thread[r.thread]
            .entry((
                r.map,
                r.key,
                if r.stale { vc.clone() } else { String::new() },
            ))
            .or_insert_with(|| ThreadValue {
                map: r.map,
                key: r.key.map(key_ref),
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
            let cand = (r.value_retained, v);
            if g.largest
                .is_none_or(|l| (cand.0, std::cmp::Reverse(cand.1)) > (l.0, std::cmp::Reverse(l.1)))
            {
                g.largest = Some(cand);
            }
        }
    }

    let mut totals = ThreadLocalTotals {
        threads: threads.len() as u64,
        ..Default::default()
    };
    let mut thread_rows: Vec<ThreadLocals> = threads
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
                id: hex_id(a, t),
                name: thread_name(i),
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
            .then(x.id.cmp(&y.id))
    });

    let mut group_rows: Vec<ThreadLocalGroup> = groups
        .into_values()
        .map(|g| {
            let mut names: Vec<String> = g
                .threads
                .iter()
                .map(|&i| thread_name(i).unwrap_or_else(|| "<unnamed>".into()))
                .collect();
            sort_names(&mut names);
            let pattern = name_pattern(&names);
            names.truncate(opts.max_names);
            let value_classes = counted(g.classes);
            ThreadLocalGroup {
                stale: g.stale,
                key: g.key.map(key_ref),
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
                largest_value: g.largest.map(|(_, v)| key_ref(v)),
                largest_node: g.largest.map(|(_, v)| v),
                maps: g.maps,
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

    ThreadLocalReport {
        schema: "hprofscan/threadlocals/1",
        dump: a.heap.dump.meta(),
        totals,
        groups: group_rows,
        threads: thread_rows,
        warnings: a.warnings(),
    }
}

/// The ThreadLocal leaks of the heap: live groups whose entries retain at least
/// `threshold_bytes` with values of at least [`SMALL_VALUE`] per thread, and stale groups
/// retaining at least a tenth of it.
pub fn leak_findings(a: &Analysis, threshold_bytes: u64) -> Vec<LeakFinding> {
    let report = threadlocal_report(a, &ThreadLocalOptions::default());
    findings_of(&report, threshold_bytes)
}

/// The findings of a report already built.
pub fn findings_of(report: &ThreadLocalReport, threshold_bytes: u64) -> Vec<LeakFinding> {
    let mut out = Vec::new();
    for g in &report.groups {
        let size = g.entries_retained_bytes;
        let leak = if g.stale {
            size >= (threshold_bytes / 10).max(1)
        } else {
            size >= threshold_bytes.max(1) && g.retained_bytes / g.threads.max(1) >= SMALL_VALUE
        };
        if !leak {
            continue;
        }
        let map_field = if g.maps == [MapField::InheritableThreadLocals] {
            "inheritableThreadLocals"
        } else {
            "threadLocals"
        };
        let holder = g.declared_by.clone().unwrap_or_else(|| Holder {
            class: "java.lang.Thread".into(),
            field: map_field.into(),
            is_static: false,
        });
        let threads = format!(
            "{} thread{} ({})",
            thousands(g.threads),
            if g.threads == 1 { "" } else { "s" },
            g.thread_pattern
        );
        let explanation = if g.stale {
            format!(
                "{} stale entries on {threads} retain {} of {}: their ThreadLocal keys were \
                 garbage-collected, but the values stay in the threads' ThreadLocalMaps as long \
                 as the threads live, and no code can get or remove them. A ThreadLocal created \
                 per object (an instance field) and never removed leaves one such entry per \
                 object and thread: make it static, or call remove() when done.",
                thousands(g.entries),
                fmt_bytes(size),
                g.value_class
            )
        } else {
            let decl = match &g.declared_by {
                Some(h) if h.is_static => format!("static ThreadLocal {}.{}", h.class, h.field),
                Some(h) => format!("the ThreadLocal in field {}.{}", h.class, h.field),
                None => "a ThreadLocal".to_string(),
            };
            format!(
                "{decl} holds a {} value on each of {threads}, {} in all: pooled threads live \
                 as long as their pool, so a value set and never removed stays. Call remove() \
                 when the task ends, or keep less in it.",
                g.value_class,
                fmt_bytes(size)
            )
        };
        out.push(LeakFinding {
            kind: "threadlocal",
            holder: Some(holder),
            node: g.largest_node,
            entries: g.entries,
            element_class: g.value_class.clone(),
            retained_bytes: size,
            explanation,
            threads: g.thread_names.clone(),
            stale_entries: if g.stale { g.entries } else { 0 },
            value_class: Some(g.value_class.clone()),
        });
    }
    out
}
