//! Finding the application field that holds an object: the field a developer would edit.
//!
//! From the object, a breadth-first search runs backwards over references (one parallel scan
//! of the graph per level, for all objects at once) until it meets an instance or class object
//! of an application class (not `java.*`, `javax.*`, `jdk.*`, `sun.*`, `com.sun.*`). A static
//! field is reached through its class object and reported as `Class.FIELD` with
//! `static: true`, never as "AppClassLoader retains 80%".

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::collections::is_jdk_class;
use crate::query::objects::{edge_label, locate};

/// The field that holds a leak.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Holder {
    /// The class that declares the field (Java name).
    pub class: String,
    /// The field's name.
    pub field: String,
    /// Whether it is a static field.
    #[serde(rename = "static")]
    pub is_static: bool,
}

impl Holder {
    /// `Class.field (static)` or `Class.field`.
    pub fn display(&self) -> String {
        if self.is_static {
            format!("{}.{} (static)", self.class, self.field)
        } else {
            format!("{}.{}", self.class, self.field)
        }
    }
}

/// Where an object is held: the holder, and the chain of JDK objects between the holder's
/// field and the object (`workQueue` for an executor's queue).
#[derive(Clone, Debug)]
pub struct Holding {
    /// The application field.
    pub holder: Holder,
    /// The object that owns the field (an instance, or a class object for statics).
    pub owner: u32,
    /// Nodes from the field's target down to the object (the object last).
    pub chain: Vec<u32>,
    /// Field labels along `chain` after the first (`.workQueue`).
    pub via: Vec<String>,
}

/// Whether node `v` belongs to the application: an instance of, or the class object of, a
/// class outside the JDK.
pub fn is_application(a: &Analysis, v: u32) -> bool {
    if let Some(ci) = a.graph.class_object(v) {
        return !is_jdk_class(&a.heap.classes.get(ci).name);
    }
    // An application array (`Foo[]`) is a hop, not a field anyone edits: keep searching.
    let k = a.graph.class_of(v);
    k != NONE && {
        let name = &a.heap.classes.get(k).name;
        !is_jdk_class(name) && !name.ends_with("[]")
    }
}

/// JDK classes whose static fields are registries that application code fills and only
/// application code empties: their class objects own what they hold, as an application field
/// would (`Runtime.addShutdownHook` adds to `ApplicationShutdownHooks.hooks`,
/// `File.deleteOnExit` to `DeleteOnExitHook.files`, `MBeanServer.registerMBean` on the
/// platform server to `ManagementFactory.platformMBeanServer`'s repository, a JDBC driver
/// loading to `DriverManager.registeredDrivers`, emptied only by `deregisterDriver`).
const REGISTRIES: [&str; 4] = [
    "java.lang.ApplicationShutdownHooks",
    "java.io.DeleteOnExitHook",
    "java.lang.management.ManagementFactory",
    "java.sql.DriverManager",
];

/// Static fields of JDK classes that hold what application code fills through a public API
/// and only application code empties, the rest of the class being the JDK's own:
/// `System.setProperty` adds to `System.props`.
const REGISTRY_FIELDS: [(&str, &str); 1] = [("java.lang.System", "props")];

/// Whether the holding is a static field of a JDK registry that only application code fills
/// (`ApplicationShutdownHooks.hooks`, `ManagementFactory.platformMBeanServer`, `System.props`).
pub fn is_registry(h: &Holding) -> bool {
    REGISTRIES.contains(&h.holder.class.as_str())
        || REGISTRY_FIELDS.contains(&(h.holder.class.as_str(), h.holder.field.as_str()))
}

/// Whether class object `v` holds node `w` in one of the [`REGISTRY_FIELDS`].
fn is_registry_field(a: &Analysis, v: u32, w: u32) -> bool {
    let Some(ci) = a.graph.class_object(v) else {
        return false;
    };
    let class = a.heap.classes.get(ci);
    let id = a.graph.ids.id(w);
    REGISTRY_FIELDS.iter().any(|&(name, field)| {
        class.name == name
            && class.record.statics.iter().any(|&(f, _, value)| {
                value == id && a.heap.classes.field_name(&a.heap.dump, f) == field
            })
    })
}

/// Whether the holding reaches the collection through an MBean server's repository (the map of
/// one domain's MBeans): whoever holds the server, the platform registry or an application
/// field, holds what is registered in it, and the entries are registered MBeans.
pub fn in_mbean_repository(h: &Holding) -> bool {
    h.via.iter().any(|v| v == ".repository") && h.via.iter().any(|v| v == ".domainTb")
}

/// Whether node `v` owns what it holds: an application object other than a lambda, or a JDK
/// registry's class object ([`REGISTRIES`]; an application object met on the same level wins). A lambda's captured argument
/// (`Foo$$Lambda$16.arg$1`) is a hop, not a field anyone edits: the owner is whoever holds the
/// lambda (a listener list, a task queue).
fn is_owner(a: &Analysis, v: u32) -> bool {
    (is_application(a, v) && !is_lambda(a, v)) || is_registry_class(a, v)
}

/// Whether node `v` is the class object of a JDK registry that only application code fills
/// (`ApplicationShutdownHooks`, `ManagementFactory`).
pub(crate) fn is_registry_class(a: &Analysis, v: u32) -> bool {
    a.graph
        .class_object(v)
        .is_some_and(|ci| REGISTRIES.contains(&a.heap.classes.get(ci).name.as_str()))
}

/// Whether node `v` is an instance of a lambda's hidden class.
fn is_lambda(a: &Analysis, v: u32) -> bool {
    let k = a.graph.class_of(v);
    k != NONE
        && a.graph.class_object(v).is_none()
        && a.heap.classes.get(k).name.contains("$$Lambda")
}

/// Whether `v -> w` is a class object's link to its loader, super class, signers or protection
/// domain: bookkeeping, not a field anyone would edit.
fn class_link(a: &Analysis, v: u32, w: u32) -> bool {
    let Some(ci) = a.graph.class_object(v) else {
        return false;
    };
    let r = &a.heap.classes.get(ci).record;
    let id = a.graph.ids.id(w);
    id == r.loader_id
        || id == r.super_id
        || id == r.signers_id
        || id == r.protection_domain_id
        || r.statics.iter().any(|&(name, _, value)| {
            // HotSpot's pseudo-static for the constant pool's resolved strings and constants.
            value == id && a.heap.classes.field_name(&a.heap.dump, name) == "<resolved_references>"
        })
}

/// Finds the holders of `targets` (searching at most `max_levels` references back). An
/// object that is itself of an application class is held by whatever application object
/// references it.
pub fn find_holders(a: &Analysis, targets: &[u32], max_levels: usize) -> Vec<Option<Holding>> {
    find_holders_avoiding(a, targets, &[], max_levels)
}

/// [`find_holders`], where the search for target `i` never passes through `avoid[i]` (when
/// given): the holder of a class other than its own loader.
pub fn find_holders_avoiding(
    a: &Analysis,
    targets: &[u32],
    avoid: &[u32],
    max_levels: usize,
) -> Vec<Option<Holding>> {
    labelled(a, targets, search(a, targets, avoid, &[], max_levels))
}

/// [`find_holders`], where target `i`'s parts (`parts[i]`, see [`parts_of`]; a class group's
/// instances have them) are searched through, not taken for the owner: a `QuoteLine` in its
/// `Quote`'s list points back at it through `QuoteLine.quote`, and the owner is whoever holds
/// the lines or the quote beside them (`Product.quoteLines`).
pub fn find_holders_past_parts(
    a: &Analysis,
    targets: &[u32],
    parts: &[Vec<u32>],
    max_levels: usize,
) -> Vec<Option<Holding>> {
    labelled(a, targets, search(a, targets, &[], parts, max_levels))
}

/// Nodes a part search looks at from one object, at most.
const PARTS_BUDGET: usize = 4096;
/// References followed from an object to its parts, at most (object, set, map, table, node,
/// part).
const PARTS_DEPTH: usize = 5;

/// The parts of application object `t`: application objects it holds through a collection or
/// array of its own (not a field of its own: that one would be its neighbour) that point
/// straight back at it, as an order line points back at its order.
pub fn parts_of(a: &Analysis, t: u32) -> Vec<u32> {
    let mut parts = Vec::new();
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    seen.insert(t);
    let mut frontier = vec![t];
    for depth in 1..=PARTS_DEPTH {
        let mut next = Vec::new();
        for &v in &frontier {
            for &w in a.graph.refs(v) {
                if seen.len() >= PARTS_BUDGET {
                    return parts;
                }
                if w == NONE || a.graph.class_object(w).is_some() || !seen.insert(w) {
                    continue;
                }
                if !is_application(a, w) {
                    next.push(w);
                } else if depth >= 2 && a.graph.refs(w).contains(&t) {
                    parts.push(w);
                }
            }
        }
        frontier = next;
    }
    parts
}

/// The holdings of what [`search`] found, their fields labelled.
fn labelled(
    a: &Analysis,
    targets: &[u32],
    (found, back): (Vec<Option<(u32, u32)>>, Back),
) -> Vec<Option<Holding>> {
    debug_assert_eq!(found.len(), targets.len());
    // Label the fields: the owner's field to the first node, then each hop down.
    let (label_nodes, chains) = chains_of(&found, &back);
    let offsets = locate(a, &label_nodes);
    chains
        .into_iter()
        .map(|c| {
            let (owner, chain) = c?;
            holding(a, owner, chain, &offsets)
        })
        .collect()
}

/// Where each target's search went back from.
type Back = FxHashMap<(u32, usize), u32>;
/// A found target's owner and the chain from the owner's field down to the target.
type Chain = Option<(u32, Vec<u32>)>;

/// The breadth-first search up the referrers, up to `max_levels`: for each target the first
/// application object met and the node it was reached from; the way back.
fn search(
    a: &Analysis,
    targets: &[u32],
    avoid: &[u32],
    parts: &[Vec<u32>],
    max_levels: usize,
) -> (Vec<Option<(u32, u32)>>, Back) {
    let (mut back, mut frontier) = start(targets, avoid);
    let mut found: Vec<Option<(u32, u32)>> = vec![None; targets.len()];
    // A thread's link to its group is bookkeeping: through it, every thread of the group would
    // look held by any thread of an application subclass (`Worker.group`).
    let group = a
        .heap
        .classes
        .iter()
        .position(|c| c.name == "java.lang.ThreadGroup");
    let group = group.map(|k| k as u32);
    // Above a JDK thread met on the way there is no owner of what it keeps (its ThreadLocals,
    // its stack): only its group, the waiters' queues it parks in, the tasks it runs.
    let threads = crate::query::find::subclass_table(a, &["java.lang.Thread"]);
    let jdk_thread = |w: u32| {
        let k = a.graph.class_of(w);
        k != NONE
            && threads.get(k as usize).is_some_and(Option::is_some)
            && is_jdk_class(&a.heap.classes.get(k).name)
            && a.graph.class_object(w).is_none()
            && !targets.contains(&w)
    };
    for _ in 0..max_levels {
        if frontier.is_empty() || found.iter().all(Option::is_some) {
            break;
        }
        let hits = crate::query::find::referrers(a, frontier.keys().copied());
        let mut next: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
        // A JDK registry met on a level holds the target only if no application object does
        // on the same level: the field that keeps the MBean server is the one to name.
        let mut registry: FxHashMap<usize, (u32, u32)> = FxHashMap::default();
        // Application objects met on this level, per target: the one that keeps the target
        // alive wins (see [`Nearest`]), whatever the order of the dump's addresses.
        let mut met = Nearest::default();
        for (v, w) in hits {
            if class_link(a, v, w) || Some(a.graph.class_of(w)) == group || jdk_thread(w) {
                continue;
            }
            let Some(owners) = frontier.get(&w) else {
                continue;
            };
            for &owner in owners {
                // A back-reference from within the target (an entry's link to the map it sits
                // in, `Session.registry`) keeps nothing alive: never its holder.
                let seen = found[owner].is_some() || back.contains_key(&(v, owner));
                if seen || inside(a, v, targets[owner]) {
                    continue;
                }
                back.insert((v, owner), w);
                if is_registry_class(a, v) || is_registry_field(a, v, w) {
                    registry.entry(owner).or_insert((v, w));
                } else if is_owner(a, v) && !parts.get(owner).is_some_and(|p| p.contains(&v)) {
                    met.offer(a, (owner, targets[owner]), (v, w));
                } else {
                    next.entry(v).or_default().push(owner);
                }
            }
        }
        for (owner, (_, hit)) in met.best {
            found[owner] = Some(hit);
        }
        for (owner, hit) in registry {
            found[owner].get_or_insert(hit);
        }
        for owners in next.values_mut() {
            owners.retain(|&o| found[o].is_none());
        }
        next.retain(|_, o| !o.is_empty());
        frontier = next;
    }
    (found, back)
}

/// The search's start: each target visited on its own search, the avoided nodes marked as
/// visited (never entered), and the targets as the first frontier. Each target's search is
/// separate (two targets may pass through the same objects): `back[(v, t)]` is the node `v`
/// was reached from on target `t`'s search.
fn start(targets: &[u32], avoid: &[u32]) -> (Back, FxHashMap<u32, Vec<usize>>) {
    let mut back: Back = FxHashMap::default();
    let mut frontier: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, &t) in targets.iter().enumerate() {
        back.insert((t, i), NONE);
        frontier.entry(t).or_default().push(i);
        if let Some(&v) = avoid.get(i) {
            back.insert((v, i), NONE);
        }
    }
    (back, frontier)
}

/// The application objects met on one level of the search, per target: the nearest of the
/// target's dominators among them (the owner whose field keeps it alive, `Service.sessions`,
/// not a helper the owner gave it to, `Trimmer.sessions`), else the first met.
#[derive(Default)]
struct Nearest {
    /// Per target index: (rank of the object among the target's dominators, the hit).
    best: FxHashMap<usize, (usize, (u32, u32))>,
    /// Per target index: its dominators, nearest first (at most [`INSIDE_DEPTH`]).
    dominators: FxHashMap<usize, Vec<u32>>,
}

impl Nearest {
    /// Offers object `v` referencing node `w` on target `t`'s search (index `i`).
    fn offer(&mut self, a: &Analysis, (i, t): (usize, u32), (v, w): (u32, u32)) {
        let doms = self
            .dominators
            .entry(i)
            .or_insert_with(|| dominators_of(a, t));
        let rank = doms.iter().position(|&x| x == v).unwrap_or(usize::MAX);
        let best = self.best.entry(i).or_insert((rank, (v, w)));
        if rank < best.0 {
            *best = (rank, (v, w));
        }
    }
}

/// Node `t`'s dominators, nearest first, at most [`INSIDE_DEPTH`] of them.
fn dominators_of(a: &Analysis, t: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut x = t;
    for _ in 0..INSIDE_DEPTH {
        x = a.dom.idom[x as usize];
        if x == NONE || x == crate::dom::dominators::SUPER_ROOT {
            break;
        }
        out.push(x);
    }
    out
}

/// Dominator steps climbed from a referrer looking for the target above it.
const INSIDE_DEPTH: usize = 64;

/// Whether the target `t` dominates `v` (within [`INSIDE_DEPTH`] steps): `v` lies inside what
/// `t` keeps alive.
fn inside(a: &Analysis, v: u32, t: u32) -> bool {
    let mut x = v;
    for _ in 0..INSIDE_DEPTH {
        x = a.dom.idom[x as usize];
        if x == t {
            return true;
        }
        if x == NONE || x == crate::dom::dominators::SUPER_ROOT {
            return false;
        }
    }
    false
}

/// Each found target's owner and chain (the first node down to the target), and the nodes
/// whose fields label it.
fn chains_of(found: &[Option<(u32, u32)>], back: &Back) -> (Vec<u32>, Vec<Chain>) {
    let mut label_nodes: Vec<u32> = Vec::new();
    let mut chains: Vec<Chain> = Vec::new();
    for (t, f) in found.iter().enumerate() {
        match f {
            Some((owner, first)) => {
                let mut chain = vec![*first];
                let mut cur = *first;
                while let Some(&next) = back.get(&(cur, t)) {
                    if next == NONE {
                        break;
                    }
                    chain.push(next);
                    cur = next;
                }
                label_nodes.push(*owner);
                label_nodes.extend(chain.iter().take(chain.len().saturating_sub(1)));
                chains.push(Some((*owner, chain)));
            }
            None => chains.push(None),
        }
    }
    (label_nodes, chains)
}

/// The holding of `owner` through `chain`, its fields labelled.
fn holding(
    a: &Analysis,
    owner: u32,
    chain: Vec<u32>,
    offsets: &FxHashMap<u32, u64>,
) -> Option<Holding> {
    let field = edge_label(a, owner, chain[0], offsets)?;
    let is_static = a.graph.class_object(owner).is_some();
    let class = match a.graph.class_object(owner) {
        Some(ci) => a.heap.classes.get(ci).name.clone(),
        None => a.heap.classes.get(a.graph.class_of(owner)).name.clone(),
    };
    let field = field
        .trim_start_matches('.')
        .trim_end_matches(" (static)")
        .to_string();
    let via = chain
        .windows(2)
        .map(|w| edge_label(a, w[0], w[1], offsets).unwrap_or_else(|| "?".into()))
        .collect();
    Some(Holding {
        holder: Holder {
            class,
            field,
            is_static,
        },
        owner,
        chain,
        via,
    })
}
