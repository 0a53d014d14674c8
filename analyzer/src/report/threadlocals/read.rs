//! Reading the ThreadLocal maps from the dump: the live threads and their names, every entry of
//! their two maps (all threads' entries in one pass), and the fields that declare the keys.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::find::{instances_of, ref_node, referrers, subclass_table, views};
use crate::query::holders::{find_holders, is_application, Holder};
use crate::query::objects::ObjectView;
use crate::query::objects::{edge_label, locate, node_class};
use crate::query::strings::strings;

use super::model::*;

/// One entry as read from the dump.
pub(super) struct RawEntry {
    pub(super) thread: usize,
    pub(super) map: MapField,
    pub(super) key: Option<u32>,
    pub(super) stale: bool,
    pub(super) value: Option<u32>,
    pub(super) value_retained: u64,
    pub(super) entry_retained: u64,
    pub(super) shared: bool,
}

/// Whether `v`'s immediate dominator is one of `inside`.
fn dominated_inside(a: &Analysis, v: u32, inside: &[u32]) -> bool {
    let d = a.dom.idom[v as usize];
    d != NONE && d != SUPER_ROOT && inside.contains(&d)
}

/// The fields that declare the keys: direct referrers first, then application holders.
pub(super) fn declaring_fields(a: &Analysis, keys: &[u32]) -> FxHashMap<u32, Holder> {
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

/// The strongly reachable threads (garbage Thread objects, terminated and unreferenced, are
/// left out), re-read, with their names.
pub(super) struct Threads {
    pub(super) nodes: Vec<u32>,
    views: FxHashMap<u32, ObjectView>,
    names: FxHashMap<u32, String>,
}

impl Threads {
    pub(super) fn read(a: &Analysis) -> Threads {
        let table = subclass_table(a, &["java.lang.Thread"]);
        let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
        let mut nodes = instances_of(a, &wanted);
        nodes.retain(|&t| a.dom.is_reachable(t));
        let views = views(a, &nodes);
        let name_nodes: Vec<u32> = nodes
            .iter()
            .filter_map(|t| views.get(t).and_then(|v| ref_node(a, v, "name")))
            .collect();
        let names = strings(a, &name_nodes);
        Threads {
            nodes,
            views,
            names,
        }
    }

    /// The name of thread `i` (its index in `nodes`).
    pub(super) fn name(&self, a: &Analysis, i: usize) -> Option<String> {
        let view = self.views.get(&self.nodes[i])?;
        self.names.get(&ref_node(a, view, "name")?).cloned()
    }

    /// The (thread index, map, map node) of every map of every thread.
    fn maps(&self, a: &Analysis) -> Vec<(usize, MapField, u32)> {
        let mut maps = Vec::new();
        for (i, t) in self.nodes.iter().enumerate() {
            let Some(view) = self.views.get(t) else {
                continue;
            };
            for m in [MapField::ThreadLocals, MapField::InheritableThreadLocals] {
                if let Some(n) = ref_node(a, view, m.field()) {
                    maps.push((i, m, n));
                }
            }
        }
        maps
    }
}

/// The entries of every map, read in one pass.
pub(super) fn read_entries(a: &Analysis, threads: &Threads) -> Vec<RawEntry> {
    struct MapInfo {
        thread: usize,
        map: MapField,
        node: u32,
        table: Option<u32>,
    }
    let maps = threads.maps(a);
    let map_views = views(a, &maps.iter().map(|m| m.2).collect::<Vec<_>>());
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
                    (a.dom.retained.get(v), false)
                }
                Some(_) => (0, true),
                None => (0, false),
            };
            let entry_retained = if dominated_inside(a, e, &[t, m.node]) {
                a.dom.retained.get(e)
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
    raw
}
