//! One candidate per holder: collection, resource, ThreadLocal and class-loader findings about
//! the same field merge into one that carries all their evidence and the field's real retained
//! size. And where in a collection its memory accumulates.

use rustc_hash::FxHashMap;

use crate::base::text::simple_name;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::objects::{node_kind, NodeKind};
use crate::report::domtree::children_of;

use super::candidate::Candidate;
use super::model::{LeakKind, Strength, Supports};

/// A child keeping this share of its parent is where the memory accumulates.
const ACCUMULATION_SHARE: f64 = 0.7;

fn is_finding(k: LeakKind) -> bool {
    matches!(
        k,
        LeakKind::Threadlocal | LeakKind::Classloaders | LeakKind::OpenResources
    )
}

/// Merges candidates with the same holder field, and a resource finding into the collection
/// that holds its resources: the biggest is kept, with the kind and facts of a specialised
/// finding and everyone's evidence.
pub(crate) fn by_holder(a: &Analysis, cands: Vec<Candidate>) -> Vec<Candidate> {
    let cands = into_collections(a, cands);
    let per_thread: Vec<String> = cands
        .iter()
        .filter(|c| c.kind == LeakKind::Threadlocal)
        .filter_map(|c| c.finding.value_class.clone())
        .collect();
    let mut out: Vec<Candidate> = Vec::new();
    for c in cands {
        let same = c.holding.as_ref().and_then(|h| {
            out.iter().position(|o| {
                o.holding.as_ref().is_some_and(|x| x.holder == h.holder) && mergeable(o, &c)
            })
        });
        match same {
            Some(i) => {
                let o =
                    std::mem::replace(&mut out[i], Candidate::new(c.kind, None, String::new(), 0));
                out[i] = if o.kind == LeakKind::ClassGroup || c.kind == LeakKind::ClassGroup {
                    group_into_collection(o, c)
                } else if let Some(o_is_field) = field_covering(a, &o, &c) {
                    if o_is_field {
                        absorb_into(o, c)
                    } else {
                        absorb_into(c, o)
                    }
                } else if other_instance(a, &o, &c) || per_thread_lists(&o, &c, &per_thread) {
                    add_instance(o, c)
                } else {
                    absorb(o, c)
                };
            }
            None => out.push(c),
        }
    }
    let mut taken: Vec<u32> = out.iter().flat_map(|c| c.members.iter().copied()).collect();
    taken.sort_unstable();
    for c in out.iter_mut() {
        super::all_instances::complete(a, c, &taken);
    }
    into_threadlocals(out)
}

/// Steps from a collection up to the outer collection whose entries' field holds it.
const COVER_DEPTH: usize = 12;

/// Whether one of `x` and `y` is a field candidate ([`Candidate::inside`]: every collection of
/// one field in the entries of an outer collection) and the other one or more of those same
/// collections found on their own, which the field candidate counts already: Some(true) when
/// `x` is the field candidate, Some(false) when `y` is.
fn field_covering(a: &Analysis, x: &Candidate, y: &Candidate) -> Option<bool> {
    let covers = |f: &Candidate, o: &Candidate| {
        f.inside.zip(o.node).is_some_and(|(outer, n)| {
            o.inside.is_none() && super::detect::dominated_by(a, n, outer, COVER_DEPTH)
        })
    };
    if covers(x, y) {
        Some(true)
    } else if covers(y, x) {
        Some(false)
    } else {
        None
    }
}

/// Whether two candidates of one holder field are one structure: neither a class group, or a
/// class group and a collection (the collection's entries, found as a group too when the
/// collection does not dominate them all: an iterator on a stack pointed at some).
fn mergeable(x: &Candidate, y: &Candidate) -> bool {
    let group = |c: &Candidate| c.kind == LeakKind::ClassGroup;
    match (group(x), group(y)) {
        (false, false) => true,
        (true, false) => y.collection.is_some(),
        (false, true) => x.collection.is_some(),
        (true, true) => false,
    }
}

/// A class group joined to the collection of the same holder field: the collection is kept
/// with its own sizes (what removing it frees; the group's instances may be held elsewhere
/// too, by a second index of the same entries).
fn group_into_collection(x: Candidate, y: Candidate) -> Candidate {
    if x.kind == LeakKind::ClassGroup {
        y
    } else {
        x
    }
}

/// Whether two collections are held by the same field of a ThreadLocal's value class (one
/// request context per pool thread): each thread's list is its own however unevenly the
/// threads were loaded, so they add up whatever their sizes.
fn per_thread_lists(x: &Candidate, y: &Candidate, per_thread: &[String]) -> bool {
    x.collection.is_some()
        && y.collection.is_some()
        && x.node != y.node
        && x.holding
            .as_ref()
            .is_some_and(|h| !h.holder.is_static && per_thread.contains(&h.holder.class))
}

/// Sampled entries kept for a field's collections in all objects.
const INSTANCES_SAMPLE: usize = 1024;

/// Instances of a field's collections add up only when each is within this factor of the
/// others' average size: one big collection beside small ones of the same field plays another
/// role (a pool of request ids beside a pool of header names) and is judged alone.
const ALIKE: u64 = 4;

/// Whether two collections held by the same instance field are each their own (one per
/// object, a cache per connection), not one inside the other, and of a like size.
fn other_instance(a: &Analysis, x: &Candidate, y: &Candidate) -> bool {
    let (Some(n), Some(m)) = (x.node, y.node) else {
        return false;
    };
    let (ax, ay) = (
        x.weight() / x.instances.max(1),
        y.weight() / y.instances.max(1),
    );
    ax <= ALIKE * ay
        && ay <= ALIKE * ax
        && x.collection.is_some()
        && y.collection.is_some()
        && x.kind == y.kind
        && n != m
        && x.holding.as_ref().is_some_and(|h| !h.holder.is_static)
        && !super::detect::dominated_by(a, n, m, 64)
        && !super::detect::dominated_by(a, m, n, 64)
}

/// The collections of one field in two objects, as one candidate: their entries and sizes
/// add up, their samples join (up to [`INSTANCES_SAMPLE`]), the biggest is the one shown.
fn add_instance(x: Candidate, y: Candidate) -> Candidate {
    let (mut big, small) = if y.weight() > x.weight() {
        (y, x)
    } else {
        (x, y)
    };
    big.entries += small.entries;
    big.retained += small.retained;
    big.native += small.native;
    big.instances += small.instances;
    big.members.extend(small.members);
    let room = |v: &Vec<u32>| INSTANCES_SAMPLE.saturating_sub(v.len());
    let n = room(&big.values);
    let taken = small.values.len().min(n) as u32;
    // Two lists' samples side by side are two runs, each in its own list's order.
    if big.ordered_runs.is_empty() || small.ordered_runs.is_empty() {
        big.ordered_runs.clear();
    } else if taken > 0 {
        big.ordered_runs.push(taken.min(small.ordered_runs[0]));
    }
    big.values.extend(small.values.into_iter().take(n));
    let n = room(&big.keys);
    big.keys.extend(small.keys.into_iter().take(n));
    let n = INSTANCES_SAMPLE.saturating_sub(big.pairs.len());
    big.pairs.extend(small.pairs.into_iter().take(n));
    let n = INSTANCES_SAMPLE.saturating_sub(big.chained.len());
    big.chained.extend(small.chained.into_iter().take(n));
    let n = INSTANCES_SAMPLE.saturating_sub(big.chained_keys.len());
    big.chained_keys
        .extend(small.chained_keys.into_iter().take(n));
    big
}

/// Open resources and class loaders whose holder object lies inside a collection candidate
/// join it: the collection is where they accumulate (a map whose values hold the loaders'
/// classes).
fn into_collections(a: &Analysis, cands: Vec<Candidate>) -> Vec<Candidate> {
    let (findings, mut rest): (Vec<Candidate>, Vec<Candidate>) = cands.into_iter().partition(|c| {
        c.kind == LeakKind::OpenResources
            || (c.kind == LeakKind::Classloaders
                && c.holding.as_ref().is_some_and(|h| !h.holder.is_static))
    });
    for f in findings {
        // The finding's node, and for resources its sampled members too: the node alone may
        // be one still in use (a stream a request holds), outside the collection the rest
        // accumulate in.
        let probes: Vec<u32> = match f.kind {
            LeakKind::Classloaders => f.holding.iter().map(|h| h.owner).collect(),
            _ => f
                .node
                .into_iter()
                .chain(f.values.iter().copied().take(16))
                .collect(),
        };
        let inside = rest.iter().position(|c| {
            let Some(facts) = &c.collection else {
                return false;
            };
            let held = probes
                .iter()
                .filter(|&&n| {
                    let inside = |m: u32| m != n && super::detect::dominated_by(a, n, m, 64);
                    c.node.is_some_and(inside) || facts.backing.is_some_and(inside)
                })
                .count();
            held * 2 > probes.len()
        });
        match inside {
            Some(i) => {
                let c =
                    std::mem::replace(&mut rest[i], Candidate::new(f.kind, None, String::new(), 0));
                rest[i] = absorb(c, f);
            }
            None => rest.push(f),
        }
    }
    rest
}

/// A collection held by a field of a ThreadLocal's value class (the list of a per-thread
/// request context), keeping most of what the ThreadLocal retains, is where that ThreadLocal's
/// memory accumulates: one suspect, held by the ThreadLocal's field, with the collection's
/// entries and both's evidence.
fn into_threadlocals(cands: Vec<Candidate>) -> Vec<Candidate> {
    let (locals, mut rest): (Vec<Candidate>, Vec<Candidate>) = cands
        .into_iter()
        .partition(|c| c.kind == LeakKind::Threadlocal && c.finding.value_class.is_some());
    for t in locals {
        let value = t.finding.value_class.as_deref().unwrap_or_default();
        let inside = rest.iter().position(|c| {
            c.collection.is_some()
                && c.holding.as_ref().is_some_and(|h| {
                    !h.holder.is_static
                        && (h.holder.class == value || in_thread_map(&h.holder.field, c, value))
                })
                && c.weight() as f64 >= ACCUMULATION_SHARE * t.weight() as f64
        });
        match inside {
            Some(i) => {
                let c = &mut rest[i];
                // Every thread's list counted (a small one is no candidate of its own).
                if t.element_class == c.element_class {
                    c.entries = c.entries.max(t.entries);
                }
                c.kind = t.kind;
                c.holding = t.holding;
                // One per thread: the threads line says how many.
                c.instances = 1;
                c.retained = c.retained.max(t.retained);
                c.native = c.native.max(t.native);
                c.finding = t.finding;
                c.evidence.extend(t.evidence);
            }
            None => rest.push(t),
        }
    }
    rest
}

/// Whether `c` is the ThreadLocal's value itself, held through the `threadLocals` map of a
/// `Thread` subclass of the application (the one application object on its path).
fn in_thread_map(field: &str, c: &Candidate, value: &str) -> bool {
    (field == "threadLocals" || field == "inheritableThreadLocals") && c.class == value
}

/// Two findings about one structure as one candidate: the bigger one's sizes with the evidence
/// and findings of both.
fn absorb(x: Candidate, y: Candidate) -> Candidate {
    if y.weight() > x.weight() {
        absorb_into(y, x)
    } else {
        absorb_into(x, y)
    }
}

/// `big` with the evidence and findings of `small`, keeping its own sizes.
fn absorb_into(mut big: Candidate, small: Candidate) -> Candidate {
    big.native = big.native.max(small.native);
    if is_finding(small.kind) && !is_finding(big.kind) {
        big.kind = small.kind;
        if small.kind == LeakKind::Classloaders {
            // What the suspect holds is counted in loaders, not in the map entries that pin
            // them (a class-keyed cache of 50 entries keeping 15 generations).
            big.entries = small.entries;
            big.element_class = small.element_class;
            big.element_classes = small.element_classes;
        }
    }
    for e in small.evidence {
        if !big.evidence.contains(&e) {
            big.evidence.push(e);
        }
    }
    if big.finding.explanation.is_empty() {
        big.finding.explanation = small.finding.explanation;
    }
    if big.finding.threads.is_empty() {
        big.finding.threads = small.finding.threads;
    }
    big.finding.stale_entries = big.finding.stale_entries.or(small.finding.stale_entries);
    big.finding.value_class = big.finding.value_class.or(small.finding.value_class);
    big
}

/// Follows the biggest dominated child while it keeps at least 70% of its parent.
pub(crate) fn accumulation_point(a: &Analysis, c: u32) -> u32 {
    let mut v = c;
    for _ in 0..4 {
        let kids = children_of(a, &[v]);
        let Some(best) = kids
            .get(&v)
            .and_then(|k| k.iter().copied().max_by_key(|&k| a.dom.retained.get(k)))
        else {
            break;
        };
        if (a.dom.retained.get(best) as f64) < ACCUMULATION_SHARE * a.dom.retained.get(v) as f64 {
            break;
        }
        v = best;
        if node_kind(a, v) == NodeKind::ObjectArray {
            break;
        }
    }
    v
}

/// Share of a collection's sampled entries that must hold a class group's holder object.
const HOLDING_GROUP: f64 = 0.5;

/// Class groups with evidence of a leak whose holder objects a collection's entries are or
/// reference directly (a registration record and its listener lambda, whose captured requests
/// make the group) join that collection after both gathered their own evidence: one suspect,
/// with the collection's holder and sizes, and the group's evidence said of the objects it
/// holds. The same for a group held by a field of the threads of a thread group (what each
/// thread started per request keeps). A group without such evidence stays as it is: what the entries merely reference
/// (reference data, shared instruments) says nothing of the collection.
pub(crate) fn groups_into_entries(a: &Analysis, cands: Vec<Candidate>) -> Vec<Candidate> {
    let (groups, mut rest): (Vec<Candidate>, Vec<Candidate>) = cands.into_iter().partition(|c| {
        c.kind == LeakKind::ClassGroup
            && c.holding.is_some()
            && c.strongest(Supports::Leak) >= Some(Strength::Moderate)
    });
    for g in groups {
        if let Some(i) = dominating(a, &rest, &g) {
            take_group_evidence(&mut rest[i], g, None);
            continue;
        }
        let owner = g.holding.as_ref().map(|h| a.graph.class_of(h.owner));
        let inside = owner.and_then(|k| {
            rest.iter().position(|c| {
                (c.collection.is_some() || c.kind == LeakKind::Threads) && entries_hold(a, c, k)
            })
        });
        match inside {
            Some(i) => {
                let what = g
                    .holding
                    .as_ref()
                    .map(|h| format!("{}.{}", simple_name(&h.holder.class), h.holder.field));
                take_group_evidence(&mut rest[i], g, what)
            }
            None => rest.push(g),
        }
    }
    rest
}

/// Dominator steps climbed from each sampled instance of a group, at most.
const CLIMB: usize = 1 << 16;

/// The candidate of `rest` that retains most of group `g`'s sampled instances: the nearest
/// candidate above each on its dominator path (a chain of callbacks on one future, whose
/// captured requests make the group; its few instances that a map of live things also
/// references named that map as the group's holder). Single objects and groups do not count:
/// a service object retains everything it owns.
fn dominating(a: &Analysis, rest: &[Candidate], g: &Candidate) -> Option<usize> {
    let nodes: FxHashMap<u32, usize> = rest
        .iter()
        .enumerate()
        .filter(|(_, c)| !matches!(c.kind, LeakKind::SingleObject | LeakKind::ClassGroup))
        .flat_map(|(i, c)| {
            // A backing array an iterator also pointed at is the collection's all the same.
            let backing = c.collection.as_ref().and_then(|f| f.backing);
            c.node.into_iter().chain(backing).map(move |v| (v, i))
        })
        .collect();
    let mut votes: FxHashMap<usize, usize> = FxHashMap::default();
    for &v in &g.values {
        let mut x = v;
        for _ in 0..CLIMB {
            match a.dom.idom[x as usize] {
                NONE | SUPER_ROOT => break,
                d => {
                    if let Some(&i) = nodes.get(&d) {
                        *votes.entry(i).or_default() += 1;
                        break;
                    }
                    x = d;
                }
            }
        }
    }
    let (i, n) = votes
        .into_iter()
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
    (n as f64 >= HOLDING_GROUP * g.values.len() as f64).then_some(i)
}

/// Whether most of `c`'s sampled entries are of class `k` or reference an object of it.
fn entries_hold(a: &Analysis, c: &Candidate, k: u32) -> bool {
    let holding = c
        .values
        .iter()
        .filter(|&&v| {
            a.graph.class_of(v) == k || a.graph.refs(v).iter().any(|&w| a.graph.class_of(w) == k)
        })
        .count();
    !c.values.is_empty() && holding as f64 >= HOLDING_GROUP * c.values.len() as f64
}

/// Adds group `g`'s evidence (not its size) to candidate `c`, naming what it was measured on:
/// the objects its entries hold through field `what`, or the objects it retains (then not the
/// group's growth: that was measured on the field that names the group, not on `c`).
fn take_group_evidence(c: &mut Candidate, g: Candidate, what: Option<String>) {
    use super::model::EvidenceName;
    for mut e in g.evidence {
        if e.name == EvidenceName::Size || (what.is_none() && e.name == EvidenceName::Growth) {
            continue;
        }
        let class = simple_name(&g.element_class);
        e.detail = match &what {
            Some(w) => format!("the {class} its entries hold (through {w}): {}", e.detail),
            None => format!("the {class} objects it retains: {}", e.detail),
        };
        c.evidence.push(e);
    }
    if c.left_in_sample.is_none() && g.entries == c.entries {
        c.left_in_sample = g.left_in_sample;
    }
}

/// The thread class of `java.util.Timer`.
const TIMER_THREAD: &str = "java.util.TimerThread";

/// A group of `java.util.Timer` threads absorbs the class groups its Timers keep: those held by
/// the same field as the Timers (the tasks in their queues, reached through it), and those held
/// by a field of a `TimerTask` (what each scheduled task captures). One leak, one suspect,
/// named by the field that keeps the Timers; its size is the biggest of the parts (their
/// retained sizes overlap).
pub(crate) fn timer_groups_into_threads(a: &Analysis, cands: Vec<Candidate>) -> Vec<Candidate> {
    let Some(t) = cands
        .iter()
        .position(|c| c.kind == LeakKind::Threads && c.class == TIMER_THREAD)
    else {
        return cands;
    };
    let Some(holder) = cands[t].holding.as_ref().map(|h| h.holder.clone()) else {
        return cands;
    };
    let task_classes = crate::query::find::subclass_table(a, &["java.util.TimerTask"]);
    let is_task = |name: &str| {
        a.heap
            .classes
            .iter()
            .enumerate()
            .any(|(k, c)| task_classes[k].is_some() && c.name == name)
    };
    let absorbed = |c: &Candidate| {
        c.kind == LeakKind::ClassGroup
            && c.holding
                .as_ref()
                .is_some_and(|h| h.holder == holder || is_task(&h.holder.class))
    };
    let (groups, mut out): (Vec<Candidate>, Vec<Candidate>) =
        cands.into_iter().partition(|c| absorbed(c));
    if let Some(timers) = out
        .iter_mut()
        .find(|c| c.kind == LeakKind::Threads && c.class == TIMER_THREAD)
    {
        for g in groups {
            timers.retained = timers.retained.max(g.retained);
        }
    }
    out
}
