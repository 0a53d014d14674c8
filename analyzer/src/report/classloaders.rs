//! `hprofscan classloaders`: every class loader, what it defined and retains, how it is kept
//! alive; class names defined by several loaders (redeploys); stale loaders.
//!
//! The method:
//!
//! 1. **Loaders** are the instances of `java.lang.ClassLoader` and its subclasses, plus any
//!    object named as a class's defining loader in the dump; only strongly reachable ones are
//!    listed (the others are garbage and only counted). Each one's `name` and `parent` fields
//!    are read back. The classes it defined are the class dumps whose loader id is the
//!    loader's (array classes, which follow their element class, are not counted).
//! 2. **Live instances**: one scan of the graph counts the strongly reachable instances and
//!    arrays of every class; a loader's live instances are those of its classes.
//! 3. **How it is kept alive**: whether it is itself a GC root, which threads use it as their
//!    context class loader (`Thread.contextClassLoader`), how many loaders have it as `parent`,
//!    its live instances, and the application field that holds it (found by
//!    [`crate::query::holders::find_holders`] walking references backwards: a registry list such as
//!    `PluginHost.DEPLOYED (static)`, or a static field of a class from a parent loader). The
//!    JDK's built-in loaders (`jdk.internal.loader.*`) are not searched: every other loader
//!    references them as its parent.
//! 4. **Stale**: a loader is stale when it defined at least one class, but no instance of any
//!    of its classes is live, no thread uses it as context class loader, it is not a GC root
//!    and no loader that is not stale has it as parent. What keeps it is then only a
//!    reference to the loader (or to its classes) that nobody uses: after a redeploy, the old
//!    loader and every class it defined, with their statics, stay. A loader whose objects are
//!    still referenced (for instance from a static field of a parent loader's class, the
//!    classic `DriverManager` leak) is not stale here; its `holder` still names the field.
//! 5. **Duplicate classes**: class names defined by more than one loader, each with its number
//!    of copies and how many of them belong to stale loaders.
//! 6. **Leaks** ([`leak_findings`]): stale loaders of one class held by the same application
//!    field become one `classloaders` finding when there are at least two of them or they
//!    retain at least the threshold. Its `entries` is the number of loaders of that class the
//!    field holds, stale or not (all 12 redeploys in `PluginHost.DEPLOYED`), and
//!    `stale_entries` those that are stale (11: the 12th defined the plugin object that is
//!    still active, so it is in use); the retained bytes are the stale loaders' (each loader
//!    retains its classes, their statics and its own bookkeeping).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::dump::DumpMeta;
use crate::query::find::{hex_id, instances_of, ref_node, subclass_table, views};
use crate::query::holders::{find_holders, Holder};
use crate::query::objects::node_class;
use crate::query::strings::strings;
use crate::report::finding::{
    fmt_bytes, name_pattern, natural_cmp, sort_names, thousands, LeakFinding,
};

/// Options of the class-loader report.
#[derive(Clone, Debug)]
pub struct ClassLoaderOptions {
    /// Class names listed per loader (the count is always complete).
    pub max_class_names: usize,
}

impl Default for ClassLoaderOptions {
    fn default() -> Self {
        ClassLoaderOptions { max_class_names: 5 }
    }
}

/// One class loader.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LoaderInfo {
    /// The loader object's id.
    pub id: String,
    /// Its class.
    pub class: String,
    /// Its `name` field, if set (`plugin-gen-3`, `app`).
    pub name: Option<String>,
    /// Its parent loader's id (None: the boot loader).
    pub parent: Option<String>,
    /// Classes it defined (array classes not counted).
    pub classes: u64,
    /// Some of their names, sorted.
    pub class_names: Vec<String>,
    /// Strongly reachable instances of those classes.
    pub live_instances: u64,
    /// Bytes the loader retains.
    pub retained_bytes: u64,
    /// Whether the loader is stale (see the module documentation).
    pub stale: bool,
    /// The application field that holds it.
    pub holder: Option<Holder>,
    /// How the holder's field leads to the loader (`.elementData`, `[3]`).
    pub holder_via: Vec<String>,
    /// GC root kinds, when the loader is itself a GC root.
    pub gc_roots: Vec<String>,
    /// Names of the threads that use it as context class loader.
    pub context_class_loader_of: Vec<String>,
    /// Loaders that have it as parent.
    pub children: u64,
    /// How it is kept alive, one phrase each.
    pub kept_alive_by: Vec<String>,
    /// The node of the holder field's target (the holding collection).
    #[serde(skip)]
    pub(crate) holder_node: Option<u32>,
}

/// A class name defined by several loaders.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateClass {
    /// The class name.
    pub class: String,
    /// Number of class objects with this name (one per defining loader).
    pub copies: u64,
    /// Of those, copies defined by stale loaders.
    pub stale_copies: u64,
}

/// Totals.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ClassLoaderTotals {
    /// Strongly reachable class loaders.
    pub loaders: u64,
    /// Of those, stale ones.
    pub stale_loaders: u64,
    /// Class loaders in the dump that are not strongly reachable (garbage).
    pub unreachable_loaders: u64,
    /// Classes in the dump (array classes included).
    pub classes: u64,
    /// Classes defined by the boot loader.
    pub bootstrap_classes: u64,
    /// Class names defined by more than one loader.
    pub duplicate_class_names: u64,
}

/// `hprofscan/classloaders/1`.
#[derive(Clone, Debug, Serialize)]
pub struct ClassLoaderReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: ClassLoaderTotals,
    /// Reachable loaders, largest retained first.
    pub loaders: Vec<LoaderInfo>,
    /// Class names with more than one copy, most copies first.
    pub duplicate_classes: Vec<DuplicateClass>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

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

/// Builds the report.
pub fn classloader_report(a: &Analysis, opts: &ClassLoaderOptions) -> ClassLoaderReport {
    let classes = &a.heap.classes;
    // Loaders and threads, in one scan.
    let table = subclass_table(a, &["java.lang.ClassLoader", "java.lang.Thread"]);
    let wanted: Vec<bool> = table.iter().map(Option::is_some).collect();
    let (mut loaders, threads): (Vec<u32>, Vec<u32>) = instances_of(a, &wanted)
        .into_iter()
        .partition(|&v| table[a.graph.class_of(v) as usize] == Some(0));
    for c in classes.iter() {
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
    let index: FxHashMap<u32, usize> = loaders.iter().enumerate().map(|(i, &v)| (v, i)).collect();

    // Classes per loader, and live instances.
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

    // Names and parents of the loaders; context class loaders of the threads.
    let mut to_read = loaders.clone();
    to_read.extend(&threads);
    let read = views(a, &to_read);
    let mut name_nodes: Vec<u32> = Vec::new();
    for v in &to_read {
        if let Some(n) = read.get(v).and_then(|view| ref_node(a, view, "name")) {
            name_nodes.push(n);
        }
    }
    let names = strings(a, &name_nodes);
    let name_of =
        |v: u32| -> Option<String> { names.get(&ref_node(a, read.get(&v)?, "name")?).cloned() };
    let mut context_of: Vec<Vec<String>> = vec![Vec::new(); loaders.len()];
    for &t in &threads {
        if !a.dom.is_reachable(t) {
            continue;
        }
        let Some(ccl) = read
            .get(&t)
            .and_then(|view| ref_node(a, view, "contextClassLoader"))
        else {
            continue;
        };
        if let Some(&i) = index.get(&ccl) {
            context_of[i].push(name_of(t).unwrap_or_else(|| "<unnamed>".into()));
        }
    }
    let parent_of: Vec<Option<u32>> = loaders
        .iter()
        .map(|v| read.get(v).and_then(|view| ref_node(a, view, "parent")))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); loaders.len()];
    for (i, p) in parent_of.iter().enumerate() {
        if let Some(&pi) = p.and_then(|p| index.get(&p)) {
            if pi != i {
                children[pi].push(i);
            }
        }
    }

    // GC roots among the loaders.
    let mut roots_of: Vec<Vec<String>> = vec![Vec::new(); loaders.len()];
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

    // In use: live instances, a thread's context loader, a root, or the parent of one in use.
    let mut in_use: Vec<bool> = (0..loaders.len())
        .map(|i| {
            defined[i].is_empty()
                || live_of[i] > 0
                || !context_of[i].is_empty()
                || !roots_of[i].is_empty()
        })
        .collect();
    let mut work: Vec<usize> = (0..loaders.len()).filter(|&i| in_use[i]).collect();
    while let Some(i) = work.pop() {
        if let Some(&p) = parent_of[i].and_then(|p| index.get(&p)) {
            if !in_use[p] {
                in_use[p] = true;
                work.push(p);
            }
        }
    }
    let stale: Vec<bool> = in_use.iter().map(|u| !u).collect();

    // Holders (not for the JDK's built-in loaders).
    let searched: Vec<usize> = (0..loaders.len())
        .filter(|&i| !node_class(a, loaders[i]).starts_with("jdk.internal.loader."))
        .collect();
    let targets: Vec<u32> = searched.iter().map(|&i| loaders[i]).collect();
    let mut holdings = vec![None; loaders.len()];
    for (&i, h) in searched.iter().zip(find_holders(a, &targets, 8)) {
        holdings[i] = h;
    }

    let mut rows: Vec<LoaderInfo> = loaders
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let mut class_names: Vec<String> = defined[i]
                .iter()
                .map(|&ci| classes.get(ci).name.clone())
                .collect();
            class_names.sort();
            class_names.truncate(opts.max_class_names);
            let mut ctx = std::mem::take(&mut context_of[i]);
            sort_names(&mut ctx);
            let holding = holdings[i].take();
            let mut kept = Vec::new();
            if !roots_of[i].is_empty() {
                kept.push(format!("gc root ({})", roots_of[i].join(", ")));
            }
            if !ctx.is_empty() {
                kept.push(format!(
                    "context class loader of {} thread{} ({})",
                    thousands(ctx.len() as u64),
                    if ctx.len() == 1 { "" } else { "s" },
                    name_pattern(&ctx)
                ));
            }
            if !children[i].is_empty() {
                kept.push(format!(
                    "parent of {} class loader{}",
                    thousands(children[i].len() as u64),
                    if children[i].len() == 1 { "" } else { "s" }
                ));
            }
            if live_of[i] > 0 {
                kept.push(format!(
                    "{} live instance{} of its classes",
                    thousands(live_of[i]),
                    if live_of[i] == 1 { "" } else { "s" }
                ));
            }
            if let Some(h) = &holding {
                kept.push(format!("field {}", h.holder.display()));
            }
            LoaderInfo {
                id: hex_id(a, v),
                class: node_class(a, v),
                name: name_of(v),
                parent: parent_of[i].map(|p| hex_id(a, p)),
                classes: defined[i].len() as u64,
                class_names,
                live_instances: live_of[i],
                retained_bytes: a.dom.retained[v as usize],
                stale: stale[i],
                holder: holding.as_ref().map(|h| h.holder.clone()),
                holder_via: holding.as_ref().map(|h| h.via.clone()).unwrap_or_default(),
                gc_roots: roots_of[i].clone(),
                context_class_loader_of: ctx,
                children: children[i].len() as u64,
                kept_alive_by: kept,
                holder_node: holding.as_ref().map(|h| h.chain[0]),
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.retained_bytes
            .cmp(&x.retained_bytes)
            .then_with(|| {
                natural_cmp(
                    x.name.as_deref().unwrap_or_default(),
                    y.name.as_deref().unwrap_or_default(),
                )
            })
            .then(x.id.cmp(&y.id))
    });

    // Class names with several copies.
    let stale_loader: FxHashMap<u64, bool> = loaders
        .iter()
        .enumerate()
        .map(|(i, &v)| (a.graph.ids.id(v), stale[i]))
        .collect();
    let mut copies: FxHashMap<&str, (u64, u64)> = FxHashMap::default();
    for c in classes.iter().filter(|c| !c.is_array()) {
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

    ClassLoaderReport {
        schema: "hprofscan/classloaders/1",
        dump: a.heap.dump.meta(),
        totals: ClassLoaderTotals {
            loaders: loaders.len() as u64,
            stale_loaders: stale.iter().filter(|&&s| s).count() as u64,
            unreachable_loaders: unreachable,
            classes: classes.len() as u64,
            bootstrap_classes: bootstrap,
            duplicate_class_names: duplicates.len() as u64,
        },
        loaders: rows,
        duplicate_classes: duplicates,
        warnings: a.warnings(),
    }
}

/// Stale loaders of one class held by one application field, at least two of them or
/// retaining at least `threshold_bytes`.
pub fn leak_findings(a: &Analysis, threshold_bytes: u64) -> Vec<LeakFinding> {
    let report = classloader_report(a, &ClassLoaderOptions::default());
    findings_of(&report, threshold_bytes)
}

/// The findings of a report already built.
pub fn findings_of(report: &ClassLoaderReport, threshold_bytes: u64) -> Vec<LeakFinding> {
    struct Group<'r> {
        holder: &'r Holder,
        class: &'r str,
        loaders: u64,
        stale: Vec<&'r LoaderInfo>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for l in &report.loaders {
        let Some(h) = &l.holder else {
            continue;
        };
        let i = match groups
            .iter()
            .position(|g| g.holder == h && g.class == l.class)
        {
            Some(i) => i,
            None => {
                groups.push(Group {
                    holder: h,
                    class: &l.class,
                    loaders: 0,
                    stale: Vec::new(),
                });
                groups.len() - 1
            }
        };
        groups[i].loaders += 1;
        if l.stale {
            groups[i].stale.push(l);
        }
    }
    let mut out = Vec::new();
    for g in groups {
        let retained: u64 = g.stale.iter().map(|l| l.retained_bytes).sum();
        let n = g.stale.len() as u64;
        if n == 0 || (n < 2 && retained < threshold_bytes.max(1)) {
            continue;
        }
        // The class names the stale loaders define, for the explanation.
        let mut defined: Vec<&str> = g
            .stale
            .iter()
            .flat_map(|l| l.class_names.iter().map(String::as_str))
            .collect();
        defined.sort_unstable();
        defined.dedup();
        let same = g.stale.iter().all(|l| l.classes == g.stale[0].classes);
        let mut names: Vec<String> = g.stale.iter().filter_map(|l| l.name.clone()).collect();
        sort_names(&mut names);
        let named = if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", name_pattern(&names))
        };
        let defines = if same && !defined.is_empty() {
            format!(
                ", each defining {} class{} ({})",
                g.stale[0].classes,
                if g.stale[0].classes == 1 { "" } else { "es" },
                defined.join(", ")
            )
        } else {
            String::new()
        };
        let explanation = format!(
            "{} class loader{} of class {} {} held by {}; {} of them{named} are stale: no instance of their classes is \
             live and no thread uses them{defines}. They retain {} with their classes and \
             statics. Each redeploy leaves its loader behind: remove a loader from {} when it \
             is undeployed.",
            thousands(g.loaders),
            if g.loaders == 1 { "" } else { "s" },
            g.class,
            if g.loaders == 1 { "is" } else { "are" },
            g.holder.display(),
            thousands(n),
            fmt_bytes(retained),
            g.holder.field,
        );
        out.push(LeakFinding {
            kind: "classloaders",
            holder: Some(g.holder.clone()),
            node: g.stale.iter().find_map(|l| l.holder_node),
            entries: g.loaders,
            element_class: g.class.to_string(),
            retained_bytes: retained,
            explanation,
            threads: Vec::new(),
            stale_entries: n,
            value_class: None,
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.retained_bytes));
    out
}
