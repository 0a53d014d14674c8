//! What the report reads of each loader: its classes and their live instances, its name, parent
//! and children, the threads it is the context loader of, GC roots, the field that holds it,
//! and whether it is stale.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::model::DuplicateClass;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::find::{instances_of, ref_node, subclass_table, views};
use crate::query::holders::{find_holders, find_holders_avoiding, Holding};
use crate::query::objects::{node_class, ObjectView};
use crate::query::strings::strings;
use crate::report::finding::{name_pattern, thousands};

/// Strongly reachable instances (and arrays) per class, counted in one parallel scan.
fn live_counts(a: &Analysis) -> Vec<u64> {
    let g = &a.graph;
    let k = a.heap.classes.len();
    let n = g.len();
    let chunks = (rayon::current_num_threads() * 4).max(1);
    let step = n.div_ceil(chunks).max(1);
    let class_class = a.heap.classes.by_name("java.lang.Class").unwrap_or(NONE);
    let parts: Vec<Vec<u64>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut counts = vec![0u64; k];
            for v in (c * step).min(n)..((c + 1) * step).min(n) {
                let ci = g.class_of(v as u32);
                if ci != NONE && ci != class_class && a.dom.is_reachable(v as u32) {
                    counts[ci as usize] += 1;
                }
            }
            counts
        })
        .collect();
    let mut total = vec![0u64; k];
    for p in parts {
        for (t, x) in total.iter_mut().zip(p) {
            *t += x;
        }
    }
    total
}

/// What marks a loader as in use.
pub(super) struct Usage<'a> {
    pub(super) defined: &'a [Vec<u32>],
    pub(super) live_of: &'a [u64],
    pub(super) context_of: &'a [Vec<String>],
    pub(super) roots_of: &'a [Vec<String>],
}

impl Usage<'_> {
    /// Stale loaders: not in use. In use: no classes, live instances, a thread's context loader,
    /// a root, or the parent of one in use.
    pub(super) fn stale(
        &self,
        parent_of: &[Option<u32>],
        index: &FxHashMap<u32, usize>,
    ) -> Vec<bool> {
        let n = self.defined.len();
        let mut in_use: Vec<bool> = (0..n)
            .map(|i| {
                self.defined[i].is_empty()
                    || self.live_of[i] > 0
                    || !self.context_of[i].is_empty()
                    || !self.roots_of[i].is_empty()
            })
            .collect();
        let mut work: Vec<usize> = (0..n).filter(|&i| in_use[i]).collect();
        while let Some(i) = work.pop() {
            if let Some(&p) = parent_of[i].and_then(|p| index.get(&p)) {
                if !in_use[p] {
                    in_use[p] = true;
                    work.push(p);
                }
            }
        }
        in_use.iter().map(|u| !u).collect()
    }
}

/// The strongly reachable class loaders (instances of `java.lang.ClassLoader` subclasses and
/// the loaders of classes), the threads, in one scan, and how many loaders are unreachable.
pub(super) fn find_loaders(a: &Analysis) -> (Vec<u32>, Vec<u32>, u64) {
    let table = subclass_table(a, &["java.lang.ClassLoader", "java.lang.Thread"]);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    let (mut loaders, threads): (Vec<u32>, Vec<u32>) = instances_of(a, &wanted)
        .into_iter()
        .partition(|&v| table[a.graph.class_of(v) as usize] == Some(0));
    for c in a.heap.classes.iter() {
        if c.loader_id != 0 {
            if let Some(v) = a.graph.ids.get(c.loader_id) {
                loaders.push(v);
            }
        }
    }
    loaders.sort_unstable();
    loaders.dedup();
    let unreachable = loaders.iter().filter(|&&v| !a.dom.is_reachable(v)).count() as u64;
    loaders.retain(|&v| a.dom.is_reachable(v));
    (loaders, threads, unreachable)
}

/// Classes (arrays left out) per loader, the bootstrap loader's class count, and the live
/// instances of each loader's classes.
pub(super) fn classes_per_loader(
    a: &Analysis,
    loaders: &[u32],
    index: &FxHashMap<u32, usize>,
) -> (Vec<Vec<u32>>, u64, Vec<u64>) {
    let classes = &a.heap.classes;
    let live = live_counts(a);
    let mut defined: Vec<Vec<u32>> = vec![Vec::new(); loaders.len()];
    let mut bootstrap = 0u64;
    for (ci, c) in classes.iter().enumerate() {
        if c.loader_id == 0 {
            bootstrap += 1;
            continue;
        }
        let Some(&i) = a.graph.ids.get(c.loader_id).and_then(|v| index.get(&v)) else {
            continue;
        };
        if !c.is_array() {
            defined[i].push(ci as u32);
        }
    }
    let mut live_of: Vec<u64> = vec![0; loaders.len()];
    for (ci, c) in classes.iter().enumerate() {
        if let Some(&i) = a.graph.ids.get(c.loader_id).and_then(|v| index.get(&v)) {
            live_of[i] += live[ci];
        }
    }
    (defined, bootstrap, live_of)
}

/// The loaders and threads re-read, with their names.
pub(super) struct Names {
    read: FxHashMap<u32, ObjectView>,
    names: FxHashMap<u32, String>,
}

impl Names {
    pub(super) fn read(a: &Analysis, loaders: &[u32], threads: &[u32]) -> Names {
        let mut to_read = loaders.to_vec();
        to_read.extend(threads);
        let read = views(a, &to_read);
        let mut name_nodes: Vec<u32> = Vec::new();
        for v in &to_read {
            if let Some(n) = read.get(v).and_then(|view| ref_node(a, view, "name")) {
                name_nodes.push(n);
            }
        }
        let names = strings(a, &name_nodes);
        Names { read, names }
    }

    /// The `name` of a loader or thread.
    pub(super) fn name(&self, a: &Analysis, v: u32) -> Option<String> {
        self.names
            .get(&ref_node(a, self.read.get(&v)?, "name")?)
            .cloned()
    }

    /// A loader's `parent`.
    pub(super) fn parent(&self, a: &Analysis, v: u32) -> Option<u32> {
        self.read
            .get(&v)
            .and_then(|view| ref_node(a, view, "parent"))
    }
}

/// Per loader, the names of the live threads whose context class loader it is.
pub(super) fn context_loaders(
    a: &Analysis,
    threads: &[u32],
    index: &FxHashMap<u32, usize>,
    names: &Names,
) -> Vec<Vec<String>> {
    let mut context_of: Vec<Vec<String>> = vec![Vec::new(); index.len()];
    for &t in threads {
        if !a.dom.is_reachable(t) {
            continue;
        }
        let Some(ccl) = names
            .read
            .get(&t)
            .and_then(|view| ref_node(a, view, "contextClassLoader"))
        else {
            continue;
        };
        if let Some(&i) = index.get(&ccl) {
            context_of[i].push(names.name(a, t).unwrap_or_else(|| "<unnamed>".into()));
        }
    }
    context_of
}

/// The GC root kinds among the loaders, per loader, sorted.
pub(super) fn roots_of(
    a: &Analysis,
    loaders: usize,
    index: &FxHashMap<u32, usize>,
) -> Vec<Vec<String>> {
    let mut roots_of: Vec<Vec<String>> = vec![Vec::new(); loaders];
    for &(v, ri) in &a.graph.roots {
        if let Some(&i) = index.get(&v) {
            // A class taken as a root (a dump without GC roots) has no root record.
            let Some(r) = a.heap.census.roots.get(ri as usize) else {
                continue;
            };
            let k = r.kind.key().to_string();
            if !roots_of[i].contains(&k) {
                roots_of[i].push(k);
            }
        }
    }
    for r in roots_of.iter_mut() {
        r.sort();
    }
    roots_of
}

/// The application field that holds each loader (not searched for the JDK's built-in loaders).
pub(super) fn holdings(
    a: &Analysis,
    loaders: &[u32],
    defined: &[Vec<u32>],
) -> Vec<Option<Holding>> {
    let searched: Vec<usize> = (0..loaders.len())
        .filter(|&i| !node_class(a, loaders[i]).starts_with("jdk.internal.loader."))
        .collect();
    let targets: Vec<u32> = searched.iter().map(|&i| loaders[i]).collect();
    let mut holdings = vec![None; loaders.len()];
    for (&i, h) in searched.iter().zip(find_holders(a, &targets, 8)) {
        holdings[i] = h;
    }
    through_classes(a, loaders, &searched, defined, &mut holdings);
    holdings
}

/// For the loaders no field holds, the holder of one of their classes: a registry that keeps
/// `Class` objects (`Map<String, Class<?>>`, a stats record's `scriptClass`) keeps their loader
/// through the class's link to it, which the search does not follow (every class has one).
fn through_classes(
    a: &Analysis,
    loaders: &[u32],
    searched: &[usize],
    defined: &[Vec<u32>],
    holdings: &mut [Option<Holding>],
) {
    let (mut of, mut targets, mut avoid) = (Vec::new(), Vec::new(), Vec::new());
    for &i in searched.iter().filter(|&&i| holdings[i].is_none()) {
        for &ci in &defined[i] {
            if let Some(v) = a.graph.ids.get(a.heap.classes.get(ci).id) {
                of.push(i);
                targets.push(v);
                avoid.push(loaders[i]);
            }
        }
    }
    let found = find_holders_avoiding(a, &targets, &avoid, 8);
    for (i, h) in of.into_iter().zip(found) {
        if holdings[i].is_none() {
            holdings[i] = h;
        }
    }
}

/// What keeps a loader alive, in words.
pub(super) fn kept_alive_by(
    roots: &[String],
    context_of: &[String],
    children: usize,
    live: u64,
    holding: &Option<Holding>,
) -> Vec<String> {
    let mut kept = Vec::new();
    if !roots.is_empty() {
        kept.push(format!("gc root ({})", roots.join(", ")));
    }
    if !context_of.is_empty() {
        kept.push(format!(
            "context class loader of {} thread{} ({})",
            thousands(context_of.len() as u64),
            if context_of.len() == 1 { "" } else { "s" },
            name_pattern(context_of)
        ));
    }
    if children > 0 {
        kept.push(format!(
            "parent of {} class loader{}",
            thousands(children as u64),
            if children == 1 { "" } else { "s" }
        ));
    }
    if live > 0 {
        kept.push(format!(
            "{} live instance{} of its classes",
            thousands(live),
            if live == 1 { "" } else { "s" }
        ));
    }
    if let Some(h) = holding {
        kept.push(format!("field {}", h.holder.display()));
    }
    kept
}

/// Class names with several copies, and how many of the copies are in stale loaders.
pub(super) fn duplicate_classes(
    a: &Analysis,
    loaders: &[u32],
    stale: &[bool],
) -> Vec<DuplicateClass> {
    let stale_loader: FxHashMap<u64, bool> = loaders
        .iter()
        .enumerate()
        .map(|(i, &v)| (a.graph.ids.id(v), stale[i]))
        .collect();
    let mut copies: FxHashMap<&str, (u64, u64)> = FxHashMap::default();
    for c in a.heap.classes.iter().filter(|c| !c.is_array()) {
        let e = copies.entry(c.name.as_str()).or_default();
        e.0 += 1;
        e.1 += stale_loader.get(&c.loader_id).copied().unwrap_or(false) as u64;
    }
    let mut duplicates: Vec<DuplicateClass> = copies
        .into_iter()
        .filter(|(_, (n, _))| *n > 1)
        .map(|(name, (n, s))| DuplicateClass {
            class: name.to_string(),
            copies: n,
            stale_copies: s,
        })
        .collect();
    duplicates.sort_by(|x, y| y.copies.cmp(&x.copies).then(x.class.cmp(&y.class)));
    duplicates
}
