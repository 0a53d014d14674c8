//! Collection candidates: every collection ([`crate::query::collections::SPECS`]) or immutable
//! collection retaining at least the floor, nested ones merged, with its contents and holder.
//! Big plain arrays go straight to the retainers (an array cannot grow).

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, contents, is_jdk_class, IMMUTABLE_PREFIXES};
use crate::query::holders::{find_holders, Holding};
use crate::query::objects::{node_kind, NodeKind};

use super::super::candidate::{Candidate, CollectionFacts};
use super::super::model::{LeakKind, Retainer, Verdict};
use super::{dominated_by, retainer, Found};

/// At most this many collections are looked at, biggest first.
const MAX_COLLECTIONS: usize = 64;
/// An inner collection holding this share of an outer one is the accumulation point.
const INNER_SHARE: f64 = 0.7;
/// Share of sampled elements that must look like listeners for a listener list.
const LISTENER_SHARE: f64 = 0.5;

/// A collection (or big array) found by the scan, before it is judged.
pub(super) struct Raw {
    /// Its node.
    pub(super) node: u32,
    /// The backing array, when the collection does not dominate it.
    backing: Option<u32>,
    spec: Option<&'static crate::query::collections::CollectionSpec>,
    /// Bytes it retains.
    pub(super) retained: u64,
    /// Native memory of the direct buffers it keeps alive.
    pub(super) native: u64,
}

/// Collections and big arrays retaining at least `floor` bytes, counting the native memory
/// of the direct buffers they keep alive (`native`, by node).
pub(crate) fn detect(
    a: &Analysis,
    floor: u64,
    min_entries: u64,
    native: &FxHashMap<u32, u64>,
    big: &[u32],
) -> Found {
    let specs = collection_specs(a);
    let immutable: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| IMMUTABLE_PREFIXES.iter().any(|p| c.name.starts_with(p)))
        .collect();
    let (mut raws, arrays) = scan(a, floor, &specs, &immutable, native, big);
    let arrays = backing_arrays(a, &specs, &mut raws, arrays);
    raws.sort_by(|x, y| {
        (y.retained + y.native)
            .cmp(&(x.retained + x.native))
            .then(x.node.cmp(&y.node))
    });
    raws.truncate(MAX_COLLECTIONS);
    let raws = merge_nested(a, raws);
    let arrays: Vec<u32> = arrays
        .into_iter()
        .filter(|&v| {
            // Backing arrays of collections are part of them, and an array that contains a
            // collection (a class loader's list of classes) is not the retainer.
            !raws
                .iter()
                .any(|c| dominated_by(a, v, c.node, 4) || dominated_by(a, c.node, v, 64))
        })
        .collect();
    let mut targets: Vec<u32> = raws.iter().map(|c| c.node).collect();
    targets.extend(&arrays);
    let holdings = find_holders(a, &targets, 8);
    let mut holding_of: FxHashMap<u32, Option<Holding>> =
        targets.iter().copied().zip(holdings).collect();
    registry_holders(a, &mut holding_of);
    local_holders(a, &mut holding_of);
    let mut found = Found::default();
    // Raws are in decreasing retained size: a registry comes before the inner collections it
    // judges as its own.
    let mut covered: Vec<u32> = Vec::new();
    for r in &raws {
        if covered.contains(&r.node) {
            found.judged_nodes.push(r.node);
            continue;
        }
        let holding = holding_of.get(&r.node).cloned().flatten();
        covered.extend(candidate(a, r, &raws, holding, min_entries, &mut found));
    }
    for &v in &arrays {
        let holding = holding_of.get(&v).cloned().flatten();
        if let Some(c) = super::arrays::candidate(a, v, holding.as_ref()) {
            found.candidates.push(c);
            continue;
        }
        found.retainers.push(array_retainer(a, v, holding));
        // Its elements' own fields (a trace kept on each of 48 connections) are judged as a
        // collection's entries' fields are.
        if node_kind(a, v) == NodeKind::ObjectArray {
            found
                .few_entries
                .push((v, crate::query::collections::spread(a.graph.refs(v))));
        }
    }
    found
}

/// Of the `big` nodes ([`super::big_nodes`]): collections (with their spec, or immutable ones
/// without) retaining at least `floor` heap and native bytes, and plain arrays retaining at
/// least `floor` heap bytes, each in node order.
fn scan(
    a: &Analysis,
    floor: u64,
    specs: &[Option<&'static crate::query::collections::CollectionSpec>],
    immutable: &[bool],
    native: &FxHashMap<u32, u64>,
    big: &[u32],
) -> (Vec<Raw>, Vec<u32>) {
    let mut raws = Vec::new();
    let mut arrays = Vec::new();
    let floor = floor.max(1);
    // Only collections and arrays are kept: the class says first.
    let wanted: Vec<bool> = a
        .heap
        .classes
        .iter()
        .enumerate()
        .map(|(k, c)| specs[k].is_some() || immutable[k] || c.name.ends_with("[]"))
        .collect();
    for &v in big {
        let k = a.graph.class_of(v);
        if k == NONE || !wanted[k as usize] {
            continue;
        }
        let r = match specs[k as usize] {
            Some(spec) => super::cursors::retained_with_split(a, spec, v),
            None => a.dom.retained.get(v),
        };
        let n = native.get(&v).copied().unwrap_or(0);
        if r + n < floor || a.graph.class_object(v).is_some() {
            continue;
        }
        if specs[k as usize].is_some() || immutable[k as usize] {
            raws.push(Raw {
                node: v,
                backing: None,
                spec: specs[k as usize],
                retained: r,
                native: n,
            });
        } else if r >= floor
            && matches!(
                node_kind(a, v),
                NodeKind::ObjectArray | NodeKind::PrimitiveArray
            )
        {
            arrays.push(v);
        }
    }
    (raws, arrays)
}

/// Big arrays that are a collection's backing array (its `table`, `elementData`) which the
/// collection does not dominate, because something else points at it too (an iterator on a
/// thread's stack at the time of the dump): the collection joins `raws` keeping both its own
/// and the array's bytes. The other arrays are returned.
fn backing_arrays(
    a: &Analysis,
    specs: &[Option<&'static crate::query::collections::CollectionSpec>],
    raws: &mut Vec<Raw>,
    arrays: Vec<u32>,
) -> Vec<u32> {
    if arrays.is_empty() {
        return arrays;
    }
    let mut owner: FxHashMap<u32, u32> = FxHashMap::default();
    for (r, w) in crate::query::find::referrers(a, arrays.iter().copied()) {
        let k = a.graph.class_of(r);
        if k != NONE && a.graph.class_object(r).is_none() && specs[k as usize].is_some() {
            owner.entry(w).or_insert(r);
        }
    }
    let mut rest = Vec::new();
    for v in arrays {
        let Some(&c) = owner.get(&v).filter(|&&c| !dominated_by(a, v, c, 4)) else {
            rest.push(v);
            continue;
        };
        match raws.iter_mut().find(|r| r.node == c) {
            Some(r) => {
                r.retained += a.dom.retained.get(v);
                r.backing = Some(v);
            }
            None => raws.push(Raw {
                node: c,
                backing: Some(v),
                spec: specs[a.graph.class_of(c) as usize],
                retained: a.dom.retained.get(c) + a.dom.retained.get(v),
                native: 0,
            }),
        }
    }
    rest
}

/// A wrapper and what it wraps are one collection (the outer one); when an inner collection
/// holds most of an outer one, the inner one is the accumulation point.
fn merge_nested(a: &Analysis, raws: Vec<Raw>) -> Vec<Raw> {
    let mut dropped = vec![false; raws.len()];
    for i in 0..raws.len() {
        for j in 0..raws.len() {
            if i == j || dropped[i] || dropped[j] {
                continue;
            }
            let (outer, inner) = (&raws[i], &raws[j]);
            if !dominated_by(a, inner.node, outer.node, 64) {
                continue;
            }
            if a.graph.refs(outer.node).contains(&inner.node) {
                dropped[j] = true;
            } else if (inner.retained + inner.native) as f64
                >= INNER_SHARE * (outer.retained + outer.native) as f64
            {
                dropped[i] = true;
            }
        }
    }
    raws.into_iter()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|(c, _)| c)
        .collect()
}

/// A collection that holds what a class group retains, though it does not dominate it (a
/// thread's local points into its linked entries, so each entry has two ways in): judged as
/// the collection it is, keeping `retained` bytes. Whether it became a candidate or retainer.
pub(super) fn holding_group(
    a: &Analysis,
    (node, spec): (u32, &'static crate::query::collections::CollectionSpec),
    retained: u64,
    holding: Option<Holding>,
    min_entries: u64,
    found: &mut Found,
) -> bool {
    let r = Raw {
        node,
        backing: None,
        spec: Some(spec),
        retained: retained.max(a.dom.retained.get(node)),
        native: 0,
    };
    let before = found.candidates.len() + found.retainers.len();
    candidate(a, &r, &[], holding, min_entries, found);
    found.candidates.len() + found.retainers.len() > before
}

/// Levels searched up from a collection no application field holds within 8: a JDK
/// registry's static field may be farther (the platform MBean server's repository is 10 levels
/// above the map of one domain's beans).
const REGISTRY_LEVELS: usize = 12;

/// Gives the collections without a holder the JDK registry that holds them (or the MBean
/// server they are registered in), when one does within [`REGISTRY_LEVELS`].
fn registry_holders(a: &Analysis, holding_of: &mut FxHashMap<u32, Option<Holding>>) {
    // Each level of the search is a scan of every reference: only the orphans that a registry
    // or an MBean server's repository dominates are searched.
    let repository = a.heap.classes.by_name("com.sun.jmx.mbeanserver.Repository");
    let under_registry = |v: u32| {
        let mut x = v;
        for _ in 0..REGISTRY_LEVELS {
            x = a.dom.idom[x as usize];
            if x == NONE || x == crate::dom::dominators::SUPER_ROOT {
                return false;
            }
            if crate::query::holders::is_registry_class(a, x)
                || Some(a.graph.class_of(x)) == repository
            {
                return true;
            }
        }
        false
    };
    let mut orphans: Vec<u32> = holding_of
        .iter()
        .filter(|(&v, h)| h.is_none() && under_registry(v))
        .map(|(&v, _)| v)
        .collect();
    if orphans.is_empty() {
        return;
    }
    orphans.sort_unstable();
    let found = find_holders(a, &orphans, REGISTRY_LEVELS);
    for (v, h) in orphans.into_iter().zip(found) {
        if let Some(h) = h.filter(|h| {
            crate::query::holders::is_registry(h) || crate::query::holders::in_mbean_repository(h)
        }) {
            holding_of.insert(v, Some(h));
        }
    }
}

/// Gives the collections without a holder the local variable of a live thread's method that
/// holds them (a worker's `run()` loop keeping a map for as long as it runs).
fn local_holders(a: &Analysis, holding_of: &mut FxHashMap<u32, Option<Holding>>) {
    for (&v, h) in holding_of.iter_mut().filter(|(_, h)| h.is_none()) {
        *h = crate::query::frames::local_holding(a, v);
    }
}

/// Turns one collection into a candidate, or into a retainer when there is nothing to judge
/// (a few big entries, no application holder, a class loader's bookkeeping). The inner
/// collections of `raws` that it judges as a registry's, not to be judged again.
fn candidate(
    a: &Analysis,
    r: &Raw,
    raws: &[Raw],
    holding: Option<Holding>,
    min_entries: u64,
    found: &mut Found,
) -> Vec<u32> {
    let class = crate::query::objects::node_class(a, r.node);
    let (cont, facts) = read_contents(a, r, &class);
    let element = cont
        .element_classes
        .first()
        .map(|e| e.0.clone())
        .unwrap_or_else(|| "<empty>".into());
    if element == "java.lang.Class" {
        // A class loader's bookkeeping of its classes: not judged, and what its classes'
        // static fields hold is left to the other detectors.
        return Vec::new();
    }
    found.judged_nodes.push(r.node);
    let entries = cont.entries;
    let Some(holding) = holding else {
        found.retainers.push(retainer(
            a,
            r.node,
            None,
            Some(entries),
            Verdict::MemoryHungry,
            "held only by JDK internals: no application field owns it".into(),
        ));
        return Vec::new();
    };
    let registry = (entries < min_entries)
        .then(|| super::registry::find(a, (r.node, entries, &cont.values), raws, min_entries))
        .flatten();
    if entries < min_entries
        && r.spec.is_some()
        && registry.is_none()
        && !super::few::judged_though_few(a, r, entries, &cont.values)
    {
        super::few::few_large(a, r, holding, (entries, cont.values), found);
        return Vec::new();
    }
    let mut kind = kind_of(&facts, &cont.element_classes, &holding);
    if in_listener_support(a, &holding) {
        kind = LeakKind::Listeners;
    }
    let mut c = Candidate::new(kind, Some(r.node), class, r.retained);
    c.native = r.native;
    c.holding = Some(holding);
    c.element_class = element;
    c.element_classes = cont.element_classes;
    c.entries = entries;
    if cont.ordered {
        c.ordered_runs = vec![cont.values.len() as u32];
    }
    (c.values, c.keys) = (cont.values, cont.keys);
    (c.pairs, c.chained) = (cont.pairs, cont.chained);
    c.chained_keys = cont.chained_keys;
    let covered = match registry {
        Some(reg) => super::registry::judge(a, &mut c, reg, &facts),
        None => {
            of_collections(a, &mut c);
            Vec::new()
        }
    };
    c.collection = facts.or_else(|| {
        Some(CollectionFacts {
            spec: &crate::query::collections::SPECS[0],
            access_order: false,
            app_subclass: false,
            immutable: true,
            backing: None,
        })
    });
    found.candidates.push(c);
    covered
}

/// What collection `r` (of class `class`) holds, and its facts (None: an immutable one).
fn read_contents(
    a: &Analysis,
    r: &Raw,
    class: &str,
) -> (crate::query::collections::Contents, Option<CollectionFacts>) {
    match r.spec {
        Some(spec) => {
            let cont = contents(a, r.node, spec);
            let facts = CollectionFacts {
                spec,
                access_order: cont.access_order,
                app_subclass: !is_jdk_class(class),
                immutable: false,
                backing: r.backing,
            };
            (cont, Some(facts))
        }
        None => (immutable_contents(a, r.node), None),
    }
}

/// A collection whose sampled entries are all collections (a map of per-tenant maps, of
/// per-upload lists): what is judged is a sample of their elements, which says what
/// accumulates; its entries stay the collections.
fn of_collections(a: &Analysis, c: &mut Candidate) {
    let spec_of = crate::query::elements::spec_lookup(a);
    if c.values.is_empty() || !c.values.iter().all(|&v| spec_of(v).is_some()) {
        return;
    }
    let collections = c.values.clone();
    super::inner_elements::sample_elements(a, c, &collections, &spec_of);
}

/// What an immutable collection holds: its elements are the references of its arrays.
fn immutable_contents(a: &Analysis, v: u32) -> crate::query::collections::Contents {
    let mut all: Vec<u32> = Vec::new();
    for &w in a.graph.refs(v) {
        if node_kind(a, w) == NodeKind::ObjectArray {
            all.extend(a.graph.refs(w));
        } else {
            // A wrapper (Collections.unmodifiableMap): what it wraps.
            let k = a.graph.class_of(w);
            if k != NONE && crate::query::collections::collection_specs(a)[k as usize].is_some() {
                let spec = crate::query::collections::collection_specs(a)[k as usize];
                if let Some(s) = spec {
                    return contents(a, w, s);
                }
            }
        }
    }
    let sample: Vec<u32> = if all.len() <= 256 {
        all.clone()
    } else {
        (0..256).map(|i| all[i * all.len() / 256]).collect()
    };
    crate::query::collections::Contents {
        entries: all.len() as u64,
        element_classes: crate::query::collections::class_counts(a, &sample),
        values: sample,
        ..Default::default()
    }
}

/// The kind of a collection candidate, by its JDK class, its elements and its holder.
pub(super) fn kind_of(
    facts: &Option<CollectionFacts>,
    element_classes: &[(String, u64)],
    holding: &Holding,
) -> LeakKind {
    let listeners: u64 = element_classes
        .iter()
        .filter(|(n, _)| is_listener_class(n))
        .map(|(_, k)| *k)
        .sum();
    let sampled: u64 = element_classes.iter().map(|(_, k)| *k).sum();
    let spec_name = facts.as_ref().map_or("", |f| f.spec.class);
    let direct = element_classes
        .first()
        .is_some_and(|(n, _)| n.starts_with("java.nio.DirectByteBuffer"));
    if spec_name == "java.util.TaskQueue"
        || spec_name.ends_with("ScheduledThreadPoolExecutor$DelayedWorkQueue")
    {
        LeakKind::ScheduledTasks
    } else if holding.via.first().is_some_and(|v| v == ".workQueue") {
        LeakKind::WorkQueue
    } else if direct {
        LeakKind::DirectBuffers
    } else if (sampled > 0 && listeners as f64 >= LISTENER_SHARE * sampled as f64)
        || spec_name == "java.util.concurrent.SubmissionPublisher"
    {
        LeakKind::Listeners
    } else if holding.holder.is_static {
        LeakKind::StaticCollection
    } else if facts.as_ref().is_some_and(|f| f.spec.map) {
        LeakKind::UnboundedMap
    } else {
        LeakKind::Collection
    }
}

/// The JDK's listener registries: what their maps hold are listeners, whatever their class.
const LISTENER_SUPPORT: [&str; 2] = [
    "java.beans.PropertyChangeSupport",
    "java.beans.VetoableChangeSupport",
];

/// Whether the collection is the inside of a JDK listener registry
/// (`PropertyChangeSupport.map.map`).
fn in_listener_support(a: &Analysis, holding: &Holding) -> bool {
    holding.chain.iter().any(|&v| {
        LISTENER_SUPPORT.contains(&crate::query::objects::node_class(a, v).as_str())
            || NOTIFICATION_EMITTERS
                .iter()
                .any(|e| crate::query::find::extends(a, a.graph.class_of(v), e))
    })
}

/// The JDK's JMX notification emitters, whose listener lists hold listeners (each in a
/// `ListenerInfo`, unwrapped as it is sampled): the platform MXBeans (a GC bean, the memory
/// bean) extend the first, application MBeans the second.
const NOTIFICATION_EMITTERS: [&str; 2] = [
    "sun.management.NotificationEmitterSupport",
    "javax.management.NotificationBroadcasterSupport",
];

/// Lambdas, anonymous classes and classes named like listeners.
pub(crate) fn is_listener_class(name: &str) -> bool {
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

/// Growable JDK classes whose data is one primitive array they replace with a bigger one as
/// they grow (a `BitSet` grows to its highest bit set).
const GROWABLE_ARRAY_OWNERS: [&str; 1] = ["java.util.BitSet"];

/// A big plain array: it cannot grow unless replaced. A `BitSet`'s words grow to its highest
/// bit set: one dump cannot tell a bitmap of a bounded domain from flags indexed by a number
/// that only grows.
fn array_retainer(a: &Analysis, v: u32, holding: Option<Holding>) -> Retainer {
    let owner = a.dom.idom[v as usize];
    let growable = owner != NONE
        && owner != crate::dom::dominators::SUPER_ROOT
        && GROWABLE_ARRAY_OWNERS.contains(&crate::query::objects::node_class(a, owner).as_str());
    if growable {
        return retainer(
            a,
            v,
            holding.map(|h| h.holder),
            None,
            Verdict::Undetermined,
            "the words of a java.util.BitSet, which grows to its highest bit set: a bitmap of a bounded domain, or flags indexed by a number that only grows (offsets, sequence numbers); a second dump decides".into(),
        );
    }
    let reason = if node_kind(a, v) == NodeKind::PrimitiveArray {
        "a primitive array: large data, not an accumulation of objects"
    } else if holding.is_some() {
        "a plain array (a ring buffer or preallocated table): it cannot grow unless the field is given a bigger one (a second dump tells)"
    } else {
        "a plain array (a ring buffer or preallocated table): it cannot grow"
    };
    retainer(
        a,
        v,
        holding.map(|h| h.holder),
        None,
        Verdict::MemoryHungry,
        reason.into(),
    )
}
