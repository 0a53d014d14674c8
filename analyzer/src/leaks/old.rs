//! `hprofscan leaks`: leak suspects that name the field to fix.
//!
//! 1. Candidates are the collections (HashMap, ArrayList, CopyOnWriteArrayList, Timer and
//!    executor queues, ...: [`crate::collections::SPECS`]) whose retained size is at least a
//!    tenth of the threshold. A collection nested in another candidate is merged with it:
//!    a wrapper and what it wraps are one collection (the outer one), and when an inner
//!    collection holds most (70%) of the outer one's retained bytes, the inner one is the
//!    accumulation point.
//! 2. What each holds: the entry count from its own size field, and the element classes from a
//!    sample of up to 256 elements (task wrappers unwrapped, lambda suffixes normalised).
//! 3. The holder: the first application field found walking references backwards from the
//!    collection ([`crate::holders`]): `SessionManager.sessions (static)`, or
//!    `Scheduler.EXECUTOR (static)` for the executor's work queue.
//! 4. Memory-hungry is not a leak: an access-ordered `LinkedHashMap` (an LRU), a bounded
//!    `ArrayBlockingQueue`, an immutable collection (reference data), a collection of a few
//!    big entries, arrays (which cannot grow: ring buffers, preallocated tables, primitive data)
//!    and collections held only by JDK internals go to `top_retainers` with the reason.
//! 5. A suspect retains at least the threshold (10% of the reachable heap by default), or is
//!    leak-shaped (a static collection, listener list, task queue or instance-held map of at
//!    least 1,000 entries) and retains at least a tenth of it. Suspects are ranked by how
//!    leak-like they are, then by size.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analysis::{Analysis, HeapSummary};
use crate::collections::{
    collection_specs, contents, CollectionSpec, Contents, IMMUTABLE_PREFIXES,
};
use crate::dominators::SUPER_ROOT;
use crate::domtree::children_of;
use crate::dump::DumpMeta;
use crate::graph::NONE;
use crate::holders::{find_holders, Holder, Holding};
use crate::objects::{node_class, node_kind, NodeKind};
use crate::path::{
    chain_text, cut_line, path_steps_at, root_info, shortest_paths, shown_steps, Shown,
};

/// Options of the leak report.
#[derive(Clone, Debug)]
pub struct LeakOptions {
    /// Share of the reachable heap a suspect must retain (leak-shaped collections: a tenth).
    pub threshold: f64,
    /// Entries below which a collection is a few big objects, not an accumulation.
    pub min_entries: u64,
    /// Retainers listed that were not flagged.
    pub top_retainers: usize,
}

impl Default for LeakOptions {
    fn default() -> Self {
        LeakOptions {
            threshold: 0.10,
            min_entries: 100,
            top_retainers: 10,
        }
    }
}

/// Kinds of suspects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeakKind {
    /// A collection in a static field.
    StaticCollection,
    /// A map in an instance field keyed by ever-new keys (a cache without eviction).
    UnboundedMap,
    /// Another collection in an instance field.
    Collection,
    /// Listeners or callbacks registered and never removed.
    Listeners,
    /// Periodic tasks in a Timer or scheduled executor, never cancelled.
    ScheduledTasks,
    /// One application object (not a collection) that retains many objects of one class: a
    /// hand-made linked list or tree that only grows.
    SingleObject,
    /// Many instances of one application class, none big alone, together above the threshold.
    ClassGroup,
    /// Values left in the ThreadLocal maps of long-lived (pooled) threads.
    Threadlocal,
    /// Class loaders kept alive after their application was replaced.
    Classloaders,
    /// Streams, sockets and pooled connections opened and never closed or returned.
    OpenResources,
}

impl LeakKind {
    fn weight(self) -> f64 {
        match self {
            LeakKind::Listeners | LeakKind::ScheduledTasks => 1.0,
            LeakKind::StaticCollection => 0.9,
            LeakKind::UnboundedMap => 0.8,
            LeakKind::Collection => 0.5,
            LeakKind::SingleObject => 0.6,
            LeakKind::ClassGroup => 0.4,
            LeakKind::Threadlocal | LeakKind::Classloaders | LeakKind::OpenResources => 0.95,
        }
    }

    fn key(self) -> &'static str {
        match self {
            LeakKind::StaticCollection => "static-collection",
            LeakKind::UnboundedMap => "unbounded-map",
            LeakKind::Collection => "collection",
            LeakKind::Listeners => "listeners",
            LeakKind::ScheduledTasks => "scheduled-tasks",
            LeakKind::SingleObject => "single-object",
            LeakKind::ClassGroup => "class-group",
            LeakKind::Threadlocal => "threadlocal",
            LeakKind::Classloaders => "classloaders",
            LeakKind::OpenResources => "open-resources",
        }
    }
}

/// An object, by id and class.
#[derive(Clone, Debug, Serialize)]
pub struct ObjectRef {
    /// Object id, hex.
    pub id: String,
    /// Its class.
    pub class: String,
}

/// A class and how many sampled elements had it.
#[derive(Clone, Debug, Serialize)]
pub struct ClassCount {
    /// Class (hidden-class suffixes removed).
    pub class: String,
    /// Elements of that class in the sample.
    pub count: u64,
}

/// One leak suspect.
#[derive(Clone, Debug, Serialize)]
pub struct Suspect {
    /// 1 = most leak-like.
    pub rank: usize,
    /// What kind of leak.
    pub kind: LeakKind,
    /// The application field that holds it.
    pub holder: Holder,
    /// JDK fields between the holder and the collection (`.workQueue`), if any.
    pub holder_via: Vec<String>,
    /// The collection object.
    pub collection: ObjectRef,
    /// Where the retained memory accumulates (typically the collection's backing array).
    pub accumulation_point: ObjectRef,
    /// The collection's class.
    pub collection_class: String,
    /// The dominant class of the elements (map values).
    pub element_class: String,
    /// Element classes in a sample of up to 256 elements, most frequent first.
    pub element_classes: Vec<ClassCount>,
    /// Number of entries, from the collection's size field.
    pub entries: u64,
    /// Bytes the collection retains.
    pub retained_bytes: u64,
    /// retained_bytes / reachable_bytes.
    pub share: f64,
    /// The shortest path from a GC root to the collection, one step per element.
    pub gc_root_path: Vec<String>,
    /// Why this is a leak, in a sentence or two.
    pub explanation: String,
    /// Stable across dumps of one application: kind and holder.
    pub fingerprint: String,
    /// ThreadLocal suspects: the threads that hold values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<String>,
    /// ThreadLocal suspects: entries whose key was collected; class-loader suspects: loaders
    /// no longer in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_entries: Option<u64>,
    /// ThreadLocal suspects: the class of the values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_class: Option<String>,
    /// Given several dumps: how the holder changed across them (`growing`, `warming`,
    /// `stable`, `shrinking`, `fluctuating`), and its entries in each dump.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth: Option<SuspectGrowth>,
}

/// How a suspect's holder changed across a series of dumps.
#[derive(Clone, Debug, Serialize)]
pub struct SuspectGrowth {
    /// The verdict of [`crate::growth`].
    pub verdict: crate::growth::Verdict,
    /// Entries in each dump, oldest first (null: not seen in that dump).
    pub entries: Vec<Option<u64>>,
    /// Retained bytes in each dump.
    pub retained_bytes: Vec<Option<u64>>,
    /// Bytes added per hour between the first and the last dump.
    pub bytes_per_hour: Option<f64>,
}

/// A big retainer that was not flagged, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Retainer {
    /// Object id, hex.
    pub id: String,
    /// Its class.
    pub class: String,
    /// The application field that holds it, if one was found.
    pub holder: Option<Holder>,
    /// Bytes it retains.
    pub retained_bytes: u64,
    /// retained_bytes / reachable_bytes.
    pub share: f64,
    /// Why it is not a suspect.
    pub reason: String,
}

/// `hprofscan/leaks/1`.
#[derive(Clone, Debug, Serialize)]
pub struct LeakReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Heap totals.
    pub heap: HeapSummary,
    /// The threshold used (share of the reachable heap).
    pub threshold: f64,
    /// Suspects, most leak-like first.
    pub suspects: Vec<Suspect>,
    /// The biggest retainers that were not flagged, with the reason.
    pub top_retainers: Vec<Retainer>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

struct Candidate {
    node: u32,
    spec: &'static CollectionSpec,
    retained: u64,
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn is_listener_class(name: &str) -> bool {
    let anonymous = name
        .rsplit('$')
        .next()
        .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()));
    name.contains("$$Lambda")
        || anonymous
        || ["Listener", "Callback", "Handler", "Observer", "Subscriber"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Whether `inner` is in `outer`'s dominator subtree (walking up at most `limit` steps).
fn dominated_by(a: &Analysis, inner: u32, outer: u32, limit: usize) -> bool {
    let mut v = inner;
    for _ in 0..limit {
        match a.dom.idom[v as usize] {
            NONE | SUPER_ROOT => return false,
            d if d == outer => return true,
            d => v = d,
        }
    }
    false
}

/// Follows the biggest dominated child while it keeps at least 70% of its parent.
fn accumulation_point(a: &Analysis, c: u32) -> u32 {
    let mut v = c;
    for _ in 0..4 {
        let kids = children_of(a, &[v]);
        let Some(best) = kids.get(&v).and_then(|k| {
            k.iter()
                .copied()
                .max_by_key(|&k| a.dom.retained[k as usize])
        }) else {
            break;
        };
        if (a.dom.retained[best as usize] as f64) < 0.7 * a.dom.retained[v as usize] as f64 {
            break;
        }
        v = best;
        if node_kind(a, v) == NodeKind::ObjectArray {
            break;
        }
    }
    v
}

fn object_ref(a: &Analysis, v: u32) -> ObjectRef {
    ObjectRef {
        id: format!("0x{:x}", a.graph.ids.id(v)),
        class: node_class(a, v),
    }
}

use crate::text::{bytes as fmt_bytes, thousands};

fn explain(kind: LeakKind, s: &Suspect) -> String {
    let what = format!(
        "{} {} holds {} entries of {} ({}, {:.1}% of the reachable heap)",
        if s.holder.is_static {
            "static"
        } else {
            "field"
        },
        s.holder.display().trim_end_matches(" (static)"),
        thousands(s.entries),
        s.element_class,
        fmt_bytes(s.retained_bytes),
        s.share * 100.0
    );
    let why = match kind {
        LeakKind::StaticCollection => format!(
            "A static {} lives as long as its class, so every entry added and never removed stays.",
            short(&s.collection_class)
        ),
        LeakKind::UnboundedMap => "The map is used as a cache without eviction: entries under ever-new keys are added and never removed.".to_string(),
        LeakKind::Collection => "Entries accumulate in a long-lived collection and are never removed.".to_string(),
        LeakKind::Listeners => "Listeners are registered and never unregistered; each keeps what it captured alive.".to_string(),
        LeakKind::ScheduledTasks => "Periodic tasks are scheduled and never cancelled; each keeps what it captured alive for as long as the timer or executor lives.".to_string(),
        LeakKind::SingleObject => format!(
            "One {} retains them all: a linked structure that keeps growing.",
            short(&s.collection_class)
        ),
        LeakKind::ClassGroup => "No single collection holds them: they accumulate across many holders.".to_string(),
        // These come with their own explanation from their analysis.
        LeakKind::Threadlocal | LeakKind::Classloaders | LeakKind::OpenResources => String::new(),
    };
    format!("{what}. {why}")
}

/// A path from a GC root (root first) as text lines: the root, then one line a step (long
/// runs of one class cut as [`shown_steps`] says).
fn root_path_strings(a: &Analysis, nodes: &[u32]) -> Vec<String> {
    if nodes.is_empty() {
        return Vec::new();
    }
    let shown = shown_steps(nodes.len(), |i, j| {
        a.graph.class_of(nodes[i]) == a.graph.class_of(nodes[j])
    });
    let which: Vec<usize> = shown
        .iter()
        .filter_map(|s| match s {
            Shown::Step(i) => Some(*i),
            Shown::Cut(_) => None,
        })
        .collect();
    let mut steps = path_steps_at(a, nodes, &which).into_iter();
    let root = root_info(a, nodes[0]);
    let mut out = vec![chain_text(Some(&root), &[])];
    let mut class = String::new();
    for s in shown {
        match s {
            Shown::Step(_) => {
                let Some(step) = steps.next() else { break };
                out.push(chain_text(None, std::slice::from_ref(&step)));
                class = step.class;
            }
            Shown::Cut(n) => out.push(cut_line(n, &class)),
        }
    }
    out
}

/// Sets each suspect's path from a GC root to its collection, from one breadth-first search
/// for all of them (a search per suspect would walk the heap once each).
fn fill_root_paths(a: &Analysis, suspects: &mut [Suspect]) {
    let nodes: Vec<Option<u32>> = suspects
        .iter()
        .map(|s| parse_id(a, &s.collection.id))
        .collect();
    let targets: Vec<u32> = nodes.iter().flatten().copied().collect();
    let mut paths = shortest_paths(a, &targets).into_iter();
    for (s, node) in suspects.iter_mut().zip(&nodes) {
        if node.is_some() {
            let path = paths.next().flatten().unwrap_or_default();
            s.gc_root_path = root_path_strings(a, &path);
        }
    }
}

/// A suspect from a ThreadLocal, class-loader or open-resource finding.
fn from_finding(a: &Analysis, f: crate::finding::LeakFinding) -> (f64, Suspect) {
    let kind = match f.kind {
        "threadlocal" => LeakKind::Threadlocal,
        "classloaders" => LeakKind::Classloaders,
        _ => LeakKind::OpenResources,
    };
    let holder = f.holder.clone().unwrap_or(Holder {
        class: "java.lang.Thread".into(),
        field: "threadLocals".into(),
        is_static: false,
    });
    let node = f.node;
    let share = a.share(f.retained_bytes);
    let obj = |v: Option<u32>| match v {
        Some(v) => object_ref(a, v),
        None => ObjectRef {
            id: "0x0".into(),
            class: f.element_class.clone(),
        },
    };
    let s = Suspect {
        rank: 0,
        kind,
        fingerprint: format!("{}:{}.{}", kind.key(), holder.class, holder.field),
        holder,
        holder_via: Vec::new(),
        collection: obj(node),
        accumulation_point: obj(node.map(|v| accumulation_point(a, v))),
        collection_class: node.map(|v| node_class(a, v)).unwrap_or_default(),
        element_class: f.element_class.clone(),
        element_classes: vec![ClassCount {
            class: f.element_class.clone(),
            count: f.entries.max(1),
        }],
        entries: f.entries,
        retained_bytes: f.retained_bytes,
        share,
        // Filled for all suspects at once, by one search (see `fill_root_paths`).
        gc_root_path: Vec::new(),
        explanation: f.explanation,
        threads: f.threads,
        stale_entries: (f.stale_entries > 0 || kind != LeakKind::OpenResources)
            .then_some(f.stale_entries),
        value_class: f.value_class,
        growth: None,
    };
    (kind.weight() * (1.0 + share), s)
}

fn parse_id(a: &Analysis, hex: &str) -> Option<u32> {
    let id = u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok()?;
    a.graph.ids.get(id)
}

/// A suspect that is not a collection: single objects and class groups.
fn accumulation_suspect(
    a: &Analysis,
    kind: LeakKind,
    node: u32,
    holding: &Holding,
    class: String,
    element: (String, u64),
    retained: u64,
) -> (f64, Suspect) {
    let share = a.share(retained);
    let acc = accumulation_point(a, node);
    let mut s = Suspect {
        rank: 0,
        kind,
        holder: holding.holder.clone(),
        holder_via: holding.via.clone(),
        collection: object_ref(a, node),
        accumulation_point: object_ref(a, acc),
        collection_class: class,
        element_class: element.0.clone(),
        element_classes: vec![ClassCount {
            class: element.0,
            count: element.1,
        }],
        entries: element.1,
        retained_bytes: retained,
        share,
        gc_root_path: Vec::new(),
        explanation: String::new(),
        fingerprint: format!(
            "{}:{}.{}",
            kind.key(),
            holding.holder.class,
            holding.holder.field
        ),
        threads: Vec::new(),
        stale_entries: None,
        value_class: None,
        growth: None,
    };
    s.explanation = explain(kind, &s);
    (kind.weight() * (1.0 + share), s)
}

/// Single objects and class groups above the threshold that no collection suspect explains.
fn other_accumulations(
    a: &Analysis,
    cands: &[Candidate],
    suspect_nodes: &[u32],
    threshold_bytes: u64,
    retainers: &mut Vec<Retainer>,
) -> Vec<(f64, Suspect)> {
    use crate::holders::is_application;
    use crate::retained_classes::{retained_by_class_outside, DomChildren};
    let n = a.graph.len();
    let specs = collection_specs(a);
    let mut singles: Vec<u32> = (0..n as u32)
        .filter(|&v| {
            a.dom.retained[v as usize] >= threshold_bytes.max(1)
                && node_kind(a, v) == NodeKind::Instance
                && is_application(a, v)
                && {
                    let k = a.graph.class_of(v);
                    k != NONE && specs[k as usize].is_none()
                }
        })
        .collect();
    singles.sort_by_key(|&v| std::cmp::Reverse(a.dom.retained[v as usize]));
    singles.truncate(16);
    let tree = DomChildren::build(a);
    let mut out: Vec<(f64, Suspect)> = Vec::new();
    let mut chosen: Vec<u32> = Vec::new();
    let mut found: Vec<(u32, String, (String, u64))> = Vec::new();
    for v in singles {
        let r = a.dom.retained[v as usize];
        if chosen
            .iter()
            .chain(suspect_nodes)
            .any(|&s| dominated_by(a, v, s, 100_000))
        {
            continue;
        }
        // A collection inside holding most of it is the real accumulation point.
        if cands
            .iter()
            .any(|c| c.retained * 2 >= r && dominated_by(a, c.node, v, 100_000))
        {
            continue;
        }
        let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
        let mut total = 0u64;
        tree.for_each_in_subtree(v, |x| {
            total += 1;
            *counts.entry(a.graph.class_of(x)).or_default() += 1;
        });
        let Some((&k, &count)) = counts.iter().max_by_key(|(_, &c)| c) else {
            continue;
        };
        chosen.push(v);
        if k == NONE || count < 1000 || count * 2 < total {
            retainers.push(Retainer {
                id: format!("0x{:x}", a.graph.ids.id(v)),
                class: node_class(a, v),
                holder: None,
                retained_bytes: r,
                share: a.share(r),
                reason: format!(
                    "one object graph of {} objects of mixed classes: memory-hungry, not an accumulation of one kind",
                    thousands(total)
                ),
            });
            continue;
        }
        let element = crate::collections::normalise_class(&a.heap.classes.get(k).name);
        found.push((v, node_class(a, v), (element, count)));
    }
    // Class groups: many instances of one application class outside every suspect.
    let mut skip: Vec<u32> = suspect_nodes
        .iter()
        .copied()
        .chain(chosen.iter().copied())
        .collect();
    skip.sort_unstable();
    let per_class = retained_by_class_outside(a, &tree, &skip);
    let mut instances = vec![0u64; a.heap.classes.len()];
    for k in a.graph.classes() {
        if k != NONE {
            instances[k as usize] += 1;
        }
    }
    let mut groups: Vec<(usize, u64)> = Vec::new();
    for (k, c) in a.heap.classes.iter().enumerate() {
        let name = &c.name;
        if per_class[k] < threshold_bytes.max(1)
            || instances[k] < 1000
            || crate::collections::is_jdk_class(name)
            || name.ends_with("[]")
            || specs[k].is_some()
        {
            continue;
        }
        groups.push((k, per_class[k]));
    }
    // Holders: for single objects themselves; for groups, a sample of their instances.
    let mut targets: Vec<u32> = found.iter().map(|f| f.0).collect();
    let mut group_samples: Vec<Vec<u32>> = Vec::new();
    for &(k, _) in &groups {
        let sample: Vec<u32> = (0..n as u32)
            .filter(|&v| {
                a.graph.class_of(v) == k as u32
                    && a.graph.class_object(v).is_none()
                    && a.dom.is_reachable(v)
            })
            .take(64)
            .collect();
        targets.extend(&sample);
        group_samples.push(sample);
    }
    let holdings = find_holders(a, &targets, 8);
    for (i, (v, class, element)) in found.into_iter().enumerate() {
        match &holdings[i] {
            Some(h) => out.push(accumulation_suspect(
                a,
                LeakKind::SingleObject,
                v,
                h,
                class,
                element,
                a.dom.retained[v as usize],
            )),
            None => retainers.push(Retainer {
                id: format!("0x{:x}", a.graph.ids.id(v)),
                class,
                holder: None,
                retained_bytes: a.dom.retained[v as usize],
                share: a.share(a.dom.retained[v as usize]),
                reason: "held only by JDK internals: no application field owns it".into(),
            }),
        }
    }
    let mut offset = out.len();
    for ((k, bytes), sample) in groups.into_iter().zip(group_samples) {
        let hs = &holdings[offset..offset + sample.len()];
        offset += sample.len();
        // The most common holder among the sampled instances.
        let mut tally: FxHashMap<String, (u64, &Holding)> = FxHashMap::default();
        for h in hs.iter().flatten() {
            tally.entry(h.holder.display()).or_insert((0, h)).0 += 1;
        }
        let Some((_, (_, best))) = tally
            .into_iter()
            .max_by_key(|(name, (c, _))| (*c, name.clone()))
        else {
            continue;
        };
        let name = a.heap.classes.get(k as u32).name.clone();
        let first = sample.first().copied().unwrap_or(0);
        out.push(accumulation_suspect(
            a,
            LeakKind::ClassGroup,
            first,
            best,
            name.clone(),
            (crate::collections::normalise_class(&name), instances[k]),
            bytes,
        ));
    }
    out
}

/// Uses a series of dumps (the report is of the last one): each suspect gets its holder's
/// growth; suspects that do not grow are ranked after those that do; a growing holder that is
/// no suspect (under the threshold) is promoted to one.
pub fn apply_growth(
    a: &Analysis,
    report: &mut LeakReport,
    growth: &crate::growth::GrowthReport,
    last: &crate::growth::DumpSummary,
) {
    use crate::growth::Verdict;
    let of = |h: &crate::growth::HolderGrowth| SuspectGrowth {
        verdict: h.verdict,
        entries: h.entries.clone(),
        retained_bytes: h.retained_bytes.clone(),
        bytes_per_hour: h.bytes_per_hour,
    };
    for s in report.suspects.iter_mut() {
        if let Some(h) = growth.holder(&s.holder.class, &s.holder.field, s.holder.is_static) {
            s.growth = Some(of(h));
            if h.verdict != Verdict::Growing {
                s.explanation.push_str(&format!(
                    " Across the {} dumps it did not grow ({}): likely a working set, not a leak.",
                    growth.dumps.len(),
                    h.verdict.as_str()
                ));
            }
        }
    }
    // Promote growing holders that are no suspect yet.
    for h in growth.growing() {
        if report.suspects.iter().any(|s| s.holder == h.holder) {
            continue;
        }
        let Some(sample) = last.holders.iter().find(|x| x.holder == h.holder) else {
            continue;
        };
        let Some(node) = a.graph.ids.get(sample.collection_id) else {
            continue;
        };
        let kind = if h.holder.is_static {
            LeakKind::StaticCollection
        } else if sample.collection_class.contains("Map") {
            LeakKind::UnboundedMap
        } else {
            LeakKind::Collection
        };
        let retained = a.dom.retained[node as usize];
        let holding = Holding {
            holder: h.holder.clone(),
            owner: node,
            chain: vec![node],
            via: Vec::new(),
        };
        let (_, mut s) = accumulation_suspect(
            a,
            kind,
            node,
            &holding,
            sample.collection_class.clone(),
            (sample.element_class.clone(), sample.entries),
            retained,
        );
        s.explanation.push_str(&format!(
            " It is under the size threshold but grew in every one of the {} dumps.",
            growth.dumps.len()
        ));
        s.growth = Some(of(h));
        report.suspects.push(s);
    }
    // Growing first, then unknown, then the rest; the previous order within each.
    let rank = |s: &Suspect| match s.growth.as_ref().map(|g| g.verdict) {
        Some(Verdict::Growing) => 0,
        None => 1,
        Some(_) => 2,
    };
    report.suspects.sort_by_key(|s| (rank(s), s.rank));
    for (i, s) in report.suspects.iter_mut().enumerate() {
        s.rank = i + 1;
    }
}

/// Builds the leak report.
pub fn leak_report(a: &Analysis, opts: &LeakOptions) -> LeakReport {
    let reachable = a.dom.reachable_bytes.max(1);
    let floor = ((opts.threshold / 10.0) * reachable as f64) as u64;
    let threshold_bytes = (opts.threshold * reachable as f64) as u64;
    let specs = collection_specs(a);
    let immutable: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| IMMUTABLE_PREFIXES.iter().any(|p| c.name.starts_with(p)))
        .collect();

    // 1. Candidates.
    let mut cands: Vec<Candidate> = Vec::new();
    let mut immutables: Vec<u32> = Vec::new();
    let mut arrays: Vec<u32> = Vec::new();
    for v in 0..a.graph.len() as u32 {
        let r = a.dom.retained[v as usize];
        if r < floor.max(1) || a.graph.class_object(v).is_some() {
            continue;
        }
        let k = a.graph.class_of(v);
        if k == NONE {
            continue;
        }
        if let Some(spec) = specs[k as usize] {
            cands.push(Candidate {
                node: v,
                spec,
                retained: r,
            });
        } else if immutable[k as usize] {
            immutables.push(v);
        } else if matches!(
            node_kind(a, v),
            NodeKind::ObjectArray | NodeKind::PrimitiveArray
        ) {
            arrays.push(v);
        }
    }
    cands.sort_by(|x, y| y.retained.cmp(&x.retained).then(x.node.cmp(&y.node)));
    cands.truncate(64);

    // 2. Merge nested candidates.
    let mut dropped = vec![false; cands.len()];
    for i in 0..cands.len() {
        for j in 0..cands.len() {
            if i == j || dropped[i] || dropped[j] {
                continue;
            }
            let (outer, inner) = (&cands[i], &cands[j]);
            if !dominated_by(a, inner.node, outer.node, 64) {
                continue;
            }
            if a.graph.refs(outer.node).contains(&inner.node) {
                dropped[j] = true; // a wrapper and what it wraps: keep the outer
            } else if inner.retained as f64 >= 0.7 * outer.retained as f64 {
                dropped[i] = true; // the accumulation is inside
            }
        }
    }
    let cands: Vec<Candidate> = cands
        .into_iter()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|(c, _)| c)
        .collect();
    let arrays: Vec<u32> = arrays
        .into_iter()
        .filter(|&v| {
            // Backing arrays of candidate collections are part of them, and an array that
            // contains a candidate (a class loader's list of classes) is not the retainer.
            !cands
                .iter()
                .any(|c| dominated_by(a, v, c.node, 4) || dominated_by(a, c.node, v, 64))
        })
        .collect();

    // 3. Contents and holders.
    let contents_of: Vec<Contents> = cands.iter().map(|c| contents(a, c.node, c.spec)).collect();
    let mut targets: Vec<u32> = cands.iter().map(|c| c.node).collect();
    targets.extend(&immutables);
    targets.extend(&arrays);
    let holdings = find_holders(a, &targets, 8);
    let holding_of: FxHashMap<u32, Option<Holding>> =
        targets.iter().copied().zip(holdings).collect();

    let mut suspects: Vec<(f64, Suspect)> = Vec::new();
    let mut retainers: Vec<Retainer> = Vec::new();
    let make_retainer = |v: u32, reason: String| Retainer {
        id: format!("0x{:x}", a.graph.ids.id(v)),
        class: node_class(a, v),
        holder: holding_of.get(&v).cloned().flatten().map(|h| h.holder),
        retained_bytes: a.dom.retained[v as usize],
        share: a.share(a.dom.retained[v as usize]),
        reason,
    };
    for (c, cont) in cands.iter().zip(&contents_of) {
        let class = node_class(a, c.node);
        let element = cont
            .element_classes
            .first()
            .map(|e| e.0.clone())
            .unwrap_or_else(|| "<empty>".into());
        if element == "java.lang.Class" {
            continue; // a class loader's bookkeeping of its classes
        }
        let spec_name = c.spec.class;
        let reason = if cont.access_order {
            Some(format!(
                "an LRU cache (access-ordered LinkedHashMap) holding {} entries: bounded, memory-hungry rather than leaking",
                thousands(cont.entries)
            ))
        } else if spec_name == "java.util.concurrent.ArrayBlockingQueue" {
            Some("a bounded queue (ArrayBlockingQueue): it cannot grow past its capacity".into())
        } else if cont.entries < opts.min_entries {
            Some(format!(
                "{} entries: a few large objects, not an accumulation of many",
                thousands(cont.entries)
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            retainers.push(make_retainer(c.node, reason));
            continue;
        }
        let Some(holding) = holding_of.get(&c.node).cloned().flatten() else {
            retainers.push(make_retainer(
                c.node,
                "held only by JDK internals: no application field owns it".into(),
            ));
            continue;
        };
        let listener_share = cont
            .element_classes
            .iter()
            .filter(|(n, _)| is_listener_class(n))
            .map(|(_, k)| *k)
            .sum::<u64>() as f64
            / cont
                .element_classes
                .iter()
                .map(|(_, k)| *k)
                .sum::<u64>()
                .max(1) as f64;
        let kind = if spec_name == "java.util.TaskQueue"
            || spec_name.ends_with("ScheduledThreadPoolExecutor$DelayedWorkQueue")
        {
            LeakKind::ScheduledTasks
        } else if listener_share >= 0.5 {
            LeakKind::Listeners
        } else if holding.holder.is_static {
            LeakKind::StaticCollection
        } else if c.spec.map {
            LeakKind::UnboundedMap
        } else {
            LeakKind::Collection
        };
        let leak_shaped = kind != LeakKind::Collection && cont.entries >= 1000;
        if c.retained < threshold_bytes && !leak_shaped {
            retainers.push(make_retainer(
                c.node,
                format!(
                    "below the threshold ({:.1}% of the heap, {} entries)",
                    a.share(c.retained) * 100.0,
                    thousands(cont.entries)
                ),
            ));
            continue;
        }
        let sampled: u64 = cont.element_classes.iter().map(|e| e.1).sum();
        let homogeneity = cont
            .element_classes
            .first()
            .map_or(0.0, |e| e.1 as f64 / sampled.max(1) as f64);
        let share = a.share(c.retained);
        let score = kind.weight() * (0.5 + 0.5 * homogeneity) * (1.0 + share);
        let (_, mut s) = accumulation_suspect(
            a,
            kind,
            c.node,
            &holding,
            class,
            (element, cont.entries),
            c.retained,
        );
        s.element_classes = cont
            .element_classes
            .iter()
            .take(5)
            .map(|(n, k)| ClassCount {
                class: n.clone(),
                count: *k,
            })
            .collect();
        suspects.push((score, s));
    }
    // 6. Accumulations that are not collections: one object retaining many of one class
    //    (a hand-made linked list), or many instances of one class together.
    let suspect_nodes: Vec<u32> = suspects
        .iter()
        .filter_map(|(_, s)| parse_id(a, &s.collection.id))
        .collect();
    // Everything a collection candidate or an immutable collection holds was judged already.
    let mut judged: Vec<u32> = suspect_nodes.clone();
    judged.extend(cands.iter().map(|c| c.node));
    judged.extend(&immutables);
    let more = other_accumulations(a, &cands, &judged, threshold_bytes, &mut retainers);
    suspects.extend(more);
    // 7. ThreadLocals, class loaders and open resources, from their own analyses.
    for f in crate::threadlocals::leak_findings(a, threshold_bytes)
        .into_iter()
        .chain(crate::classloaders::leak_findings(a, threshold_bytes))
        .chain(crate::resources::leak_findings(a, threshold_bytes))
    {
        suspects.push(from_finding(a, f));
    }
    for &v in &immutables {
        retainers.push(make_retainer(
            v,
            "an immutable collection: reference data loaded once, it cannot grow".into(),
        ));
    }
    for &v in &arrays {
        let reason = if node_kind(a, v) == NodeKind::PrimitiveArray {
            "a primitive array: large data, not an accumulation of objects"
        } else {
            "a plain array (a ring buffer or preallocated table): it cannot grow"
        };
        retainers.push(make_retainer(v, reason.into()));
    }
    suspects.sort_by(|x, y| {
        y.0.partial_cmp(&x.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(y.1.retained_bytes.cmp(&x.1.retained_bytes))
    });
    let mut suspects: Vec<Suspect> = suspects
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut s))| {
            s.rank = i + 1;
            s
        })
        .collect();
    fill_root_paths(a, &mut suspects);
    // A retainer inside a suspect, or containing one, is explained by that suspect; so are the
    // ThreadLocal tables and values of a ThreadLocal suspect.
    let flagged: Vec<u32> = suspects
        .iter()
        .filter_map(|s| parse_id(a, &s.collection.id))
        .collect();
    let tl_values: Vec<&str> = suspects
        .iter()
        .filter(|s| s.kind == LeakKind::Threadlocal)
        .filter_map(|s| s.value_class.as_deref())
        .collect();
    let any_tl = suspects.iter().any(|s| s.kind == LeakKind::Threadlocal);
    retainers.retain(|t| {
        if any_tl
            && (t.class.starts_with("java.lang.ThreadLocal$")
                || tl_values.contains(&t.class.as_str()))
        {
            return false;
        }
        match parse_id(a, &t.id) {
            Some(v) => !flagged
                .iter()
                .any(|&f| f == v || dominated_by(a, v, f, 10_000) || dominated_by(a, f, v, 10_000)),
            None => true,
        }
    });
    retainers.sort_by(|x, y| {
        y.retained_bytes
            .cmp(&x.retained_bytes)
            .then(x.id.cmp(&y.id))
    });
    retainers.truncate(opts.top_retainers);
    LeakReport {
        schema: "hprofscan/leaks/1",
        dump: a.heap.dump.meta(),
        heap: a.summary(),
        threshold: opts.threshold,
        suspects,
        top_retainers: retainers,
        warnings: a.warnings(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::is_jdk_class;

    #[test]
    fn listener_like_classes() {
        assert!(is_listener_class("com.acme.Bus$$Lambda"));
        assert!(is_listener_class("com.acme.Bus$1"));
        assert!(is_listener_class("com.acme.OrderListener"));
        assert!(!is_listener_class("com.acme.Order"));
        assert!(!is_listener_class("com.acme.Order$Line"));
        assert!(!is_jdk_class("com.acme.Order") && is_jdk_class("java.util.HashMap"));
    }
}
