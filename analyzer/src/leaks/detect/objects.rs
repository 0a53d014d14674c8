//! Accumulations that are not collections: one application object that retains many objects
//! of one class (a hand-made linked list), and many instances of one application class that
//! no single collection holds (a class group).

use rustc_hash::FxHashMap;

use crate::base::shared::Visited;
use crate::dom::analysis::Analysis;
use crate::dom::climb::Memo;
use crate::dom::dominators::SUPER_ROOT;
use crate::dom::retained_classes::DomChildren;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, is_jdk_class, normalise_class, CollectionSpec};
use crate::query::holders::{find_holders, find_holders_past_parts, is_application, parts_of};
use crate::query::objects::{node_class, node_kind, NodeKind};

use super::super::candidate::Candidate;
use super::super::model::{LeakKind, Verdict};
use super::{dominated_by, groups, retainer, Found};

/// Single objects looked at, biggest first.
const MAX_SINGLES: usize = 16;
/// Objects of one class an accumulation needs.
pub(super) const MIN_OBJECTS: u64 = 1000;
/// The nodes of a hand-made list are its accumulation when they make at least one in this many
/// of its objects (each node with the Strings and arrays it carries).
const SPINE: u64 = 8;
/// Objects of the dominant class sampled from a single object's subtree.
const SUBTREE_SAMPLE: usize = 256;

/// Single objects and class groups retaining at least `floor`, outside `judged` (the
/// collections already looked at).
pub(crate) fn detect(
    a: &Analysis,
    floor: u64,
    min_entries: u64,
    judged: &[u32],
    big: &[u32],
) -> Found {
    let mut found = Found::default();
    let mut singles = single_objects(a, floor, judged, big, &mut found);
    let known: Vec<u32> = singles.iter().map(|s| s.0).collect();
    // One pass over the dominators for both ways a chain that threads hold is found.
    let seeds = super::chain_heads::rooted_seeds(a);
    singles.extend(super::chain_heads::stack_chains(a, &seeds, floor, &known));
    let mut skip: Vec<u32> = judged.to_vec();
    skip.extend(singles.iter().map(|s| s.0));
    skip.sort_unstable();
    let groups = groups::class_groups(a, floor, &skip);
    let mut targets: Vec<u32> = singles.iter().map(|s| s.0).collect();
    for g in &groups {
        targets.extend(&g.sample);
    }
    // A group's instance is held by whoever holds its parts, not by its parts.
    let parts: Vec<Vec<u32>> = targets
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            if i < singles.len() {
                Vec::new()
            } else {
                parts_of(a, t)
            }
        })
        .collect();
    let holdings = find_holders_past_parts(a, &targets, &parts, 8);
    let (single_h, group_h) = holdings.split_at(singles.len());
    let (singles, single_h) =
        super::chain_heads::whole_chains(a, &seeds, singles, single_h.to_vec());
    for (Single(v, element, count, sample, chain, retained), h) in singles.into_iter().zip(single_h)
    {
        let Some(h) = h else {
            found.retainers.push(retainer(
                a,
                v,
                None,
                None,
                Verdict::MemoryHungry,
                "held only by JDK internals: no application field owns it".into(),
            ));
            continue;
        };
        let mut c = Candidate::new(LeakKind::SingleObject, Some(v), node_class(a, v), retained);
        c.holding = Some(h);
        c.element_class = element.clone();
        c.element_classes = vec![(element, count)];
        c.entries = count;
        // A chain's nodes dominate one another: the subtree walk meets them in chain order,
        // the order they were linked in (a tree's walk meets them branch by branch).
        if matches!(chain, Spine::List | Spine::Links) {
            c.ordered_runs = vec![sample.len() as u32];
        }
        if chain == Spine::Links {
            c.linked = true;
            c.finding.explanation = super::chains::FIX.to_string();
        }
        if chain == Spine::Tree {
            c.tree_link = tree_field(a, v, &sample);
        }
        c.values = sample;
        found.candidates.push(c);
    }
    let mut offset = 0;
    let mut group_cands = Vec::new();
    for g in groups {
        let hs = &group_h[offset..offset + g.sample.len()];
        offset += g.sample.len();
        group_cands.extend(groups::group_candidate(a, g, hs));
    }
    in_collections(a, group_cands, judged, min_entries, &mut found);
    found
}

/// Class groups held through a collection's own field (`table` of an application subclass of
/// `LinkedHashMap`), or through a linked collection that does not dominate its own nodes (a
/// thread's frame holds an iterator or an entry, which reaches every node through the links),
/// are that collection's entries: it is judged as a collection (its bound, its order, its
/// entries' times) keeping what the group retains. A group whose collection the collection
/// detector judged already (with the nodes a cursor split off) is those entries, not a second
/// finding: it is dropped. The other groups stay as they are.
fn in_collections(
    a: &Analysis,
    groups: Vec<Candidate>,
    judged: &[u32],
    min_entries: u64,
    found: &mut Found,
) {
    if groups.is_empty() {
        return;
    }
    let specs = collection_specs(a);
    let owners: Vec<Option<Owner>> = groups
        .iter()
        .map(|c| group_owner(a, &specs, judged, c))
        .collect();
    let fresh: Vec<u32> = owners
        .iter()
        .flatten()
        .filter(|o| !o.judged)
        .map(|o| o.node)
        .collect();
    let mut holdings = find_holders(a, &fresh, 8).into_iter();
    for (c, owner) in groups.into_iter().zip(owners) {
        match owner {
            // The collection was judged with these entries already: not a second finding.
            Some(o) if o.judged => continue,
            Some(o) => {
                let h = holdings.next().flatten();
                let spec = (o.node, o.spec);
                if super::collections::holding_group(a, spec, o.retained, h, min_entries, found) {
                    continue;
                }
            }
            None => {}
        }
        found.candidates.push(c);
    }
}

/// The collection whose entries a class group's instances are.
struct Owner {
    node: u32,
    spec: &'static CollectionSpec,
    /// The bytes it keeps when judged for the group.
    retained: u64,
    /// Whether the collection detector judged it already.
    judged: bool,
}

/// The collection that holds class group `c` through its own field, or (a cursor splitting
/// its linked nodes off) through the field that holds it, if any.
fn group_owner(
    a: &Analysis,
    specs: &[Option<&'static CollectionSpec>],
    judged: &[u32],
    c: &Candidate,
) -> Option<Owner> {
    let h = c.holding.as_ref()?;
    let spec_of = |v: u32| {
        let k = a.graph.class_of(v);
        (k != NONE).then(|| specs[k as usize])?
    };
    if let Some(spec) = spec_of(h.owner) {
        let judged = judged.contains(&h.owner);
        return Some(Owner {
            node: h.owner,
            spec,
            retained: c.retained,
            judged,
        });
    }
    let &first = h.chain.first()?;
    let spec = spec_of(first)?;
    let split =
        super::cursors::split_node(a, spec, first, h.chain.iter().skip(1).take(3).copied())?;
    let judged = judged.contains(&first);
    let retained = if judged {
        c.retained
    } else {
        let linked = a.dom.retained.get(first) + super::cursors::split_retained(a, first, split);
        c.retained.max(linked)
    };
    Some(Owner {
        node: first,
        spec,
        retained,
        judged,
    })
}

/// How a single object's accumulated objects link to one another.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Spine {
    /// They do not (or not most of them).
    None,
    /// Nodes of one class, each referencing the next (a hand-made list).
    List,
    /// Objects of one family of classes, each holding the next ([`super::chains`]).
    Links,
    /// Nodes of one application class, each holding its children through a JDK collection
    /// (a trie's nodes with a map of children by character).
    Tree,
}

/// A single object that accumulates: (node, element class, count, sample of the elements in
/// the order the subtree walk or the chain meets them, how they link, bytes it keeps: its
/// retained size, or a whole chain's when threads hold its upper links, see
/// [`super::chain_heads`]).
pub(super) struct Single(
    pub(super) u32,
    pub(super) String,
    pub(super) u64,
    pub(super) Vec<u32>,
    pub(super) Spine,
    pub(super) u64,
);

impl Single {
    /// Node `v` accumulating `count` objects of class `k` (`sample` of them), as `spine`
    /// links them, keeping its retained size.
    pub(super) fn new(
        a: &Analysis,
        v: u32,
        k: u32,
        count: u64,
        sample: Vec<u32>,
        spine: Spine,
    ) -> Self {
        let element = normalise_class(&a.heap.classes.get(k).name);
        Single(v, element, count, sample, spine, a.dom.retained.get(v))
    }
}

/// Application objects (not collections) retaining at least `floor` that hold mostly one
/// class.
fn single_objects(
    a: &Analysis,
    floor: u64,
    judged: &[u32],
    big: &[u32],
    found: &mut Found,
) -> Vec<Single> {
    let mut out = Vec::new();
    let mut chosen: Vec<u32> = Vec::new();
    let mut mixed: Vec<u32> = Vec::new();
    let singles = biggest_singles(a, floor, big);
    if singles.is_empty() {
        // The subtrees cost a climb from every node: none to look at, none to build.
        return out;
    }
    let tree = &subtrees(a, &singles);
    for v in singles {
        if chosen
            .iter()
            .chain(judged)
            .any(|&s| dominated_by(a, v, s, 100_000))
        {
            continue;
        }
        let Some((k, count, total, sample, chain)) = accumulated_class(a, tree, v) else {
            continue;
        };
        if holds_judged(a, v, judged, chain) {
            continue;
        }
        // Objects spread over many owners' small collections are a class group of the owners'
        // field, unless the owners are links of a chain, each with its own table.
        let spread = chain == Spine::None && super::group_lists::spread_over_lists(a, &sample);
        // One class making half the graph, or one in [`SPINE`] when it links to itself (the
        // nodes of a hand-made list or tree, each with its payload).
        let one_kind = count * 2 >= total || (count * SPINE >= total && chain != Spine::None);
        if spread || count < MIN_OBJECTS || !one_kind {
            // Links of a few classes, each holding the next and its own payload.
            if let Some(c) = super::chains::chain(a, tree, v) {
                chosen.push(v);
                out.push(Single::new(
                    a,
                    c.head,
                    c.class,
                    c.links,
                    c.sample,
                    Spine::Links,
                ));
            } else if !spread {
                list_mixed(a, v, total, &mut mixed, found);
            }
            continue;
        }
        // Only an accumulation hides what lies inside it: an object graph of mixed classes
        // (a service object) may hold one (a hand-made list) further down.
        chosen.push(v);
        let v = if chain == Spine::List {
            chain_head(a, v, k, &sample)
        } else {
            v
        };
        out.push(Single::new(a, v, k, count, sample, chain));
    }
    out
}

/// Lists object graph `v` of `total` objects of mixed classes as a retainer without a verdict
/// of its own (a service object holding everything holds its leak too), once: the mixed
/// object graphs inside one already listed are its parts.
fn list_mixed(a: &Analysis, v: u32, total: u64, mixed: &mut Vec<u32>, found: &mut Found) {
    let listed = mixed.iter().any(|&m| dominated_by(a, v, m, 100_000));
    mixed.push(v);
    if listed {
        return;
    }
    found.retainers.push(retainer(
        a,
        v,
        None,
        None,
        Verdict::Undetermined,
        format!(
            "one object graph of {} objects of mixed classes, not an accumulation of one kind: what it holds is judged part by part",
            crate::base::text::thousands(total)
        ),
    ));
}

/// Whether single object `v`'s accumulated objects are judged as something else: a judged
/// collection inside it holding half of it or more is the real accumulation point (unless it is
/// a tree's root node's children: a tree grows below them, not in them).
fn holds_judged(a: &Analysis, v: u32, judged: &[u32], chain: Spine) -> bool {
    let r = a.dom.retained.get(v);
    chain != Spine::Tree
        && judged
            .iter()
            .any(|&c| a.dom.retained.get(c) * 2 >= r && dominated_by(a, c, v, 100_000))
}

/// The [`MAX_SINGLES`] biggest application instances (not collections) retaining at least
/// `floor`, biggest first, of the `big` nodes ([`super::big_nodes`], whose floor is lower).
fn biggest_singles(a: &Analysis, floor: u64, big: &[u32]) -> Vec<u32> {
    let specs = collection_specs(a);
    // In node order, as the stable sort below needs for equal sizes.
    let mut singles: Vec<u32> = big
        .iter()
        .copied()
        .filter(|&v| {
            a.dom.retained.get(v) >= floor.max(1)
                && node_kind(a, v) == NodeKind::Instance
                && is_application(a, v)
                && {
                    let k = a.graph.class_of(v);
                    k != NONE && specs[k as usize].is_none()
                }
        })
        .collect();
    singles.sort_by_key(|&v| std::cmp::Reverse(a.dom.retained.get(v)));
    singles.truncate(MAX_SINGLES);
    singles
}

/// The class `v`'s dominator subtree accumulates: its most frequent class, or the most frequent
/// application class when that links to itself (a hand-made list) or to its own children
/// through JDK collections (a hand-made tree) and makes at least one in [`SPINE`] of the
/// objects (its nodes each carry a few Strings, arrays or a map of children): (class, its
/// objects, all objects, a sample of them, how they link to one another).
fn accumulated_class(
    a: &Analysis,
    tree: &DomChildren,
    v: u32,
) -> Option<(u32, u64, u64, Vec<u32>, Spine)> {
    let (k, count, total, app) = dominant_class(a, tree, v)?;
    let sample_of = |k: u32, count: u64| {
        if count >= MIN_OBJECTS {
            subtree_sample(a, tree, v, k, count)
        } else {
            Vec::new()
        }
    };
    let sample = sample_of(k, count);
    if self_linked(a, k, &sample) {
        return Some((k, count, total, sample, Spine::List));
    }
    if let Some((ka, ca)) = app.filter(|&(_, ca)| ca * SPINE >= total) {
        let spine = if ka == k {
            sample.clone()
        } else {
            sample_of(ka, ca)
        };
        if ka != k && self_linked(a, ka, &spine) {
            return Some((ka, ca, total, spine, Spine::List));
        }
        if tree_linked(a, v, &spine) {
            return Some((ka, ca, total, spine, Spine::Tree));
        }
    }
    Some((k, count, total, sample, Spine::None))
}

/// (class, its objects, all objects, (most frequent application class, its objects)).
type Dominant = (u32, u64, u64, Option<(u32, u64)>);

/// The child lists of the dominator subtrees of `roots` (and nothing else): which nodes are in
/// them comes from climbing the dominators (two bits per node), so the lists cost 4 bytes per
/// node of those subtrees instead of per node of the heap.
fn subtrees(a: &Analysis, roots: &[u32]) -> DomChildren {
    let mut sorted = roots.to_vec();
    sorted.sort_unstable();
    let memo = Memo::new(a.graph.len());
    memo.answer_all(a, &|v| sorted.binary_search(&v).is_ok());
    DomChildren::build_within(a, |v| memo.yes(v))
}

/// The most frequent class in `v`'s dominator subtree, an application class first on a tie (a
/// linked node beside the payload array each node holds), and the most frequent application
/// class.
fn dominant_class(a: &Analysis, tree: &DomChildren, v: u32) -> Option<Dominant> {
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    let mut total = 0u64;
    tree.for_each_in_subtree(v, |x| {
        total += 1;
        *counts.entry(a.graph.class_of(x)).or_default() += 1;
    });
    let (&k, &count) = counts
        .iter()
        .filter(|(&k, _)| k != NONE)
        .max_by_key(|(&k, &c)| {
            (
                c,
                !is_jdk_class(&a.heap.classes.get(k).name),
                std::cmp::Reverse(k),
            )
        })?;
    let app = counts
        .iter()
        .filter(|(&k, _)| k != NONE && !is_jdk_class(&a.heap.classes.get(k).name))
        .max_by_key(|(&k, &c)| (c, std::cmp::Reverse(k)))
        .map(|(&k, &c)| (k, c));
    Some((k, count, total, app))
}

/// Up to [`SUBTREE_SAMPLE`] objects of class `k` spread over `v`'s dominator subtree.
fn subtree_sample(a: &Analysis, tree: &DomChildren, v: u32, k: u32, count: u64) -> Vec<u32> {
    let mut sample = Vec::new();
    let step = (count as usize / SUBTREE_SAMPLE).max(1);
    let mut i = 0usize;
    tree.for_each_in_subtree(v, |x| {
        if a.graph.class_of(x) == k {
            if i.is_multiple_of(step) && sample.len() < SUBTREE_SAMPLE {
                sample.push(x);
            }
            i += 1;
        }
    });
    sample
}

/// The first node of the hand-made list of class `k` inside `v` (of the sampled nodes' topmost
/// dominators of class `k`, the one retaining most: its holder field is the list's head; a
/// tail field makes the last node a top of its own), or `v` itself when the list's nodes are
/// JDK objects, do not dominate one another (a doubly linked list) or `v` is the first one.
fn chain_head(a: &Analysis, v: u32, k: u32, sample: &[u32]) -> u32 {
    if is_jdk_class(&a.heap.classes.get(k).name) || a.graph.class_of(v) == k {
        return v;
    }
    // Each walk stops at a node seen before: at most one step per node in all. One bit per
    // node (a list may have millions of nodes: no set keyed by node).
    let mut bits = Visited::new(a.graph.len());
    let mut best = v;
    for &x in sample {
        let mut top = x;
        while bits.first_visit(top) {
            match a.dom.idom[top as usize] {
                d if d != v && d != NONE && d != SUPER_ROOT && a.graph.class_of(d) == k => top = d,
                _ => break,
            }
        }
        let better = best == v || a.dom.retained.get(top) > a.dom.retained.get(best);
        if better && top != v {
            best = top;
        }
    }
    // A doubly linked list's nodes do not dominate one another: `v` holds it.
    let holds_most = a.dom.retained.get(best) * 2 >= a.dom.retained.get(v);
    if best != v && holds_most && dominated_by(a, best, v, 100_000) {
        best
    } else {
        v
    }
}

/// JDK objects a tree's node may sit below its parent node: `HashMap` -> `table` -> `Node` ->
/// child, one more for a tree bin or a list's array.
const TREE_HOPS: usize = 5;

/// Whether most sampled objects (of one class, below `v`) are dominated by another object of
/// their class through JDK objects only (at most [`TREE_HOPS`] of them): the nodes of a tree
/// whose nodes keep their children in collections.
fn tree_linked(a: &Analysis, v: u32, sample: &[u32]) -> bool {
    let linked = sample
        .iter()
        .filter(|&&x| tree_parent(a, v, x).is_some())
        .count();
    !sample.is_empty() && linked * 10 >= sample.len() * 8
}

/// The node of `x`'s class that dominates `x` (below `v`) through JDK objects only (at most
/// [`TREE_HOPS`] of them), with the topmost of those objects: (parent, its collection).
fn tree_parent(a: &Analysis, v: u32, x: u32) -> Option<(u32, u32)> {
    let k = a.graph.class_of(x);
    let (mut below, mut d) = (x, a.dom.idom[x as usize]);
    for _ in 0..=TREE_HOPS {
        if d == v || d == NONE || d == SUPER_ROOT {
            return None;
        }
        let kd = a.graph.class_of(d);
        if kd == k {
            return (below != x).then_some((d, below));
        }
        if kd == NONE || !is_jdk_class(&a.heap.classes.get(kd).name) {
            return None;
        }
        (below, d) = (d, a.dom.idom[d as usize]);
    }
    None
}

/// The field by which a tree's nodes (the sampled ones, below `v`) hold their children's
/// collection: `children` of a trie node's `Map<Character, Node> children`.
fn tree_field(a: &Analysis, v: u32, sample: &[u32]) -> Option<String> {
    let (parent, collection) = sample.iter().find_map(|&x| tree_parent(a, v, x))?;
    let offsets = crate::query::objects::locate(a, &[parent]);
    let label = crate::query::objects::edge_label(a, parent, collection, &offsets)?;
    label.strip_prefix('.').map(str::to_string)
}

/// Whether most sampled objects of class `k` reference another object of class `k`: the
/// nodes of a linked structure.
fn self_linked(a: &Analysis, k: u32, sample: &[u32]) -> bool {
    let linked = sample
        .iter()
        .filter(|&&x| a.graph.refs(x).iter().any(|&w| a.graph.class_of(w) == k))
        .count();
    !sample.is_empty() && linked * 10 >= sample.len() * 8
}
